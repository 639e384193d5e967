package rbac_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/abacc/abacc/rbac"
)

// scenarioFile is the "abacc-rbac-cases/1" format of ../shared/spec/examples/rbac/cases.json.
type scenarioFile struct {
	Format    string     `json:"format"`
	Scenarios []scenario `json:"scenarios"`
}

type scenario struct {
	ID              string          `json:"id"`
	Invalid         bool            `json:"invalid"`
	RoleDefinitions json.RawMessage `json:"roleDefinitions"`
	RoleAssignments json.RawMessage `json:"roleAssignments"`
	DenyAssignments json.RawMessage `json:"denyAssignments"`
	Hierarchy       json.RawMessage `json:"hierarchy"`
	Checks          []struct {
		Name      string          `json:"name"`
		Principal json.RawMessage `json:"principal"`
		Request   json.RawMessage `json:"request"`
		Expect    struct {
			Error           bool     `json:"error"`
			Decision        string   `json:"decision"`
			Reason          string   `json:"reason"`
			DecidedBy       *string  `json:"decidedBy"`
			DecidedByAnyOf  []string `json:"decidedByAnyOf"`
			ConditionFailed []string `json:"conditionFailed"`
		} `json:"expect"`
	} `json:"checks"`
}

// scenarioFiles are the spec's worked examples and abacc's own corpus of documented scenarios.
func scenarioFiles(t *testing.T) []string {
	files, err := filepath.Glob("../testdata/rbac/scenarios/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if spec := "../../shared/spec/examples/rbac/cases.json"; fileExists(spec) {
		files = append(files, spec)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	return files
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func doc(name string, raw json.RawMessage) rbac.Document {
	if len(raw) == 0 {
		return rbac.Document{}
	}
	return rbac.Document{Name: name, Data: raw}
}

// TestScenarios decides every check of every scenario file through Load, Decide and Explain.
func TestScenarios(t *testing.T) {
	total := 0
	for _, file := range scenarioFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var sf scenarioFile
		if err := json.Unmarshal(data, &sf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if sf.Format != "abacc-rbac-cases/1" {
			t.Fatalf("%s: format %q", file, sf.Format)
		}
		for _, sc := range sf.Scenarios {
			t.Run(filepath.Base(file)+"/"+sc.ID, func(t *testing.T) {
				eng, loadErr := rbac.Load(rbac.Inputs{
					Roles:       doc("roles.json", sc.RoleDefinitions),
					Assignments: doc("assignments.json", sc.RoleAssignments),
					Deny:        doc("deny.json", sc.DenyAssignments),
					Hierarchy:   doc("hierarchy.json", sc.Hierarchy),
				})
				for _, ck := range sc.Checks {
					total++
					var p rbac.Principal
					var req *rbac.Request
					err := loadErr
					if err == nil {
						p, err = rbac.ParsePrincipal(rbac.Document{Name: "principal.json", Data: ck.Principal})
					}
					if err == nil {
						req, err = rbac.ParseRequest(rbac.Document{Name: "request.json", Data: ck.Request})
					}
					if sc.Invalid || ck.Expect.Error {
						if err == nil {
							t.Errorf("%s: want an error, got none", ck.Name)
						} else if !strings.Contains(err.Error(), ".json") {
							t.Errorf("%s: the error does not name the file: %v", ck.Name, err)
						}
						continue
					}
					if err != nil {
						t.Errorf("%s: %v", ck.Name, err)
						continue
					}
					d := eng.Decide(&p, req)
					x := eng.Explain(&p, req)
					want := ck.Expect
					gotDecision := "deny"
					if d.Allowed {
						gotDecision = "allow"
					}
					if gotDecision != want.Decision || d.Reason.String() != want.Reason {
						t.Errorf("%s: got %s/%s by %q, want %s/%s", ck.Name, gotDecision, d.Reason, d.DecidedBy, want.Decision, want.Reason)
						continue
					}
					if x.Decision.Allowed != d.Allowed || x.Decision.Reason != d.Reason {
						t.Errorf("%s: explain says %s, decide %s", ck.Name, x.Decision.Reason, d.Reason)
					}
					anyOf := want.DecidedByAnyOf
					if want.DecidedBy != nil {
						anyOf = append(anyOf, *want.DecidedBy)
					}
					if len(anyOf) == 0 && d.DecidedBy != "" {
						t.Errorf("%s: decidedBy %q, want null", ck.Name, d.DecidedBy)
					}
					if len(anyOf) > 0 && !slices.ContainsFunc(anyOf, func(s string) bool { return strings.EqualFold(s, d.DecidedBy) }) {
						t.Errorf("%s: decidedBy %q, want one of %q", ck.Name, d.DecidedBy, anyOf)
					}
					if want.ConditionFailed != nil {
						got := slices.Sorted(slices.Values(x.ConditionFailed))
						exp := slices.Sorted(slices.Values(want.ConditionFailed))
						if !slices.Equal(got, exp) {
							t.Errorf("%s: conditionFailed %q, want %q", ck.Name, got, exp)
						}
					}
				}
			})
		}
	}
	t.Logf("%d checks", total)
}

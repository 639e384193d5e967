package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	diskAssignments = "examples/disk/assignments.json"
	diskID          = "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG/providers/Microsoft.Compute/disks/scan-archive-01"
	groupGrant      = "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG/providers/Microsoft.Authorization/roleAssignments/e1e1e1e1-0001-4000-8000-000000000001"
)

func authorizeDisk(t *testing.T, who, request string, extra ...string) result {
	t.Helper()
	args := append([]string{"authorize", "--assignments", diskAssignments, "--principal", "examples/disk/" + who + ".json",
		"--request", "examples/disk/" + request + ".json"}, extra...)
	return run(t, "", args...)
}

// The README's managed-disk example: the group member may download; Reader, Owner and
// Contributor may not (their Actions never reach data actions).
func TestAuthorizeDisk(t *testing.T) {
	r := authorizeDisk(t, "alice", "download")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "allow: Allowed by role assignment "+groupGrant) {
		t.Fatalf("alice: %+v", r)
	}
	for _, who := range []string{"reader", "owner", "contributor"} {
		r := authorizeDisk(t, who, "download")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "deny: NoRoleAssignment") {
			t.Errorf("%s: %+v", who, r)
		}
	}
	r = authorizeDisk(t, "owner", "sas")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "allow") {
		t.Errorf("owner may create the SAS: %+v", r)
	}
	r = authorizeDisk(t, "alice", "download", "--json")
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("--json: %v %+v", err, r)
	}
	if out["decision"] != "allow" || out["reason"] != "Allowed" || out["decidedBy"] != groupGrant {
		t.Errorf("--json: %v", out)
	}
	if cf, ok := out["conditionFailed"].([]any); !ok || len(cf) != 0 {
		t.Errorf("--json conditionFailed: %v", out["conditionFailed"])
	}
	r = authorizeDisk(t, "owner", "download", "--explain")
	for _, want := range []string{"deny: NoRoleAssignment", `role "Owner"`, "role does not include the operation",
		`"*" matches in the other plane`, "deny assignments: 0"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--explain lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestAuthorizeWho(t *testing.T) {
	r := run(t, "", "authorize", "who", "--assignments", diskAssignments, "--data-action", "Microsoft.Compute/disks/download/action",
		"--resource", diskID, "--json")
	var w struct {
		Allowed, Conditional, Blocked []struct {
			PrincipalID string `json:"principalId"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &w); err != nil || r.code != 0 {
		t.Fatalf("%v %+v", err, r)
	}
	if len(w.Allowed) != 1 || w.Allowed[0].PrincipalID != "7c7c7c7c-1111-4222-8333-444455556666" || len(w.Conditional)+len(w.Blocked) != 0 {
		t.Errorf("who: %+v", w)
	}
	r = run(t, "", "authorize", "who", "--assignments", diskAssignments, "--action", "Microsoft.Compute/disks/delete", "--resource", diskID)
	if r.code != 0 || !strings.Contains(r.stdout, "allowed: 2") {
		t.Errorf("who may delete (Owner and Contributor): %+v", r)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badAssign := write("bad.json", `[{"id": "x1", "principalId": "nope", "roleDefinitionId": "/r/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "scope": "/"}]`)
	bothReq := write("both.json", `{"action": "a", "dataAction": "b", "resourceId": "/x"}`)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"authorize"}, 2, "required"},
		{[]string{"authorize", "--assignments", diskAssignments, "--principal", "examples/disk/alice.json"}, 2, "required"},
		{[]string{"authorize", "--assignments", diskAssignments, "--principal", "-", "--request", "-"}, 2, "standard input"},
		{[]string{"authorize", "--bogus"}, 2, "bogus"},
		{[]string{"authorize", "--assignments", badAssign, "--principal", "examples/disk/alice.json", "--request", "examples/disk/download.json"}, 1, "bad.json: role assignment 0 (\"x1\"): principalId"},
		{[]string{"authorize", "--assignments", diskAssignments, "--principal", "examples/disk/alice.json", "--request", bothReq}, 1, "not both"},
		{[]string{"authorize", "--assignments", filepath.Join(dir, "missing.json"), "--principal", "examples/disk/alice.json", "--request", "examples/disk/download.json"}, 1, "missing.json"},
		{[]string{"authorize", "who", "--assignments", diskAssignments, "--resource", diskID}, 2, "exactly one"},
	}
	for _, c := range cases {
		r := run(t, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "goroutine ") {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}

func TestAuthorizeCheck(t *testing.T) {
	dir := t.TempDir()
	roles := filepath.Join(dir, "roles.json")
	asg := filepath.Join(dir, "assignments.json")
	os.WriteFile(roles, []byte(`[
	  {"name": "11111111-1111-4111-8111-111111111111", "roleName": "Narrow", "roleType": "CustomRole",
	   "assignableScopes": ["/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Other"],
	   "permissions": [{"actions": ["Microsoft.Compute/*/read/*"],
	     "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]}]},
	  {"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "roleName": "Storage Blob Data Reader", "assignableScopes": ["/"],
	   "permissions": [{"dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]}]}]`), 0o644)
	os.WriteFile(asg, []byte(`[
	  {"id": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/providers/Microsoft.Authorization/roleAssignments/a1",
	   "principalId": "1a2b3c4d-0000-4000-8000-00000000a1e0", "roleDefinitionId": "/x/11111111-1111-4111-8111-111111111111",
	   "scope": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10",
	   "condition": "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Team_Id] GuidEquals 1a2b3c4d-0000-4000-8000-00000000a1e0)",
	   "conditionVersion": "2.0"},
	  {"id": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/providers/Microsoft.Authorization/roleAssignments/a2",
	   "principalId": "1a2b3c4d-0000-4000-8000-00000000a1e0", "roleDefinitionId": "/x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	   "scope": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/rg",
	   "condition": "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'scans'", "conditionVersion": "2.0"},
	  {"id": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/providers/Microsoft.Authorization/roleAssignments/a3",
	   "principalId": "1a2b3c4d-0000-4000-8000-00000000a1e0", "roleDefinitionId": "/x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	   "scope": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10"}]`), 0o644)
	r := run(t, "", "authorize", "check", "--roles", roles, "--assignments", asg)
	if r.code != 0 {
		t.Fatalf("check: %+v", r)
	}
	for _, code := range []string{"RBAC4001", "RBAC4002", "RBAC4003", "RBAC4004", "RBAC4005"} {
		if !strings.Contains(r.stderr, code) {
			t.Errorf("check does not report %s:\n%s", code, r.stderr)
		}
	}
	if strict := run(t, "", "authorize", "check", "-strict", "--roles", roles, "--assignments", asg); strict.code != 1 {
		t.Errorf("check -strict with findings: exit %d", strict.code)
	}
	if clean := run(t, "", "authorize", "check", "--assignments", diskAssignments); clean.code != 0 || clean.stderr != "" {
		t.Errorf("clean tenant: %+v", clean)
	}
}

// compile accepts assignment files and names each condition by its assignment id.
func TestCompileAssignments(t *testing.T) {
	dir := t.TempDir()
	asg := filepath.Join(dir, "a.json")
	os.WriteFile(asg, []byte(`{"value": [{"id": "/s/providers/Microsoft.Authorization/roleAssignments/e1e1e1e1-0005-4000-8000-000000000005",
	  "properties": {"principalId": "1a2b3c4d-0000-4000-8000-00000000a1e0", "roleDefinitionId": "/x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	  "scope": "/s", "condition": "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'scans'", "conditionVersion": "2.0"}},
	  {"id": "/s/providers/Microsoft.Authorization/roleAssignments/plain", "properties": {"principalId": "1a2b3c4d-0000-4000-8000-00000000a1e0",
	  "roleDefinitionId": "/x/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "scope": "/s"}}]}`), 0o644)
	out := filepath.Join(dir, "b.abacc")
	if r := run(t, "", "compile", "-o", out, asg); r.code != 0 {
		t.Fatalf("compile: %+v", r)
	}
	req := filepath.Join(dir, "q.json")
	os.WriteFile(req, []byte(`{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
	  "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "scans"}}`), 0o644)
	for _, name := range []string{"/s/providers/Microsoft.Authorization/roleAssignments/e1e1e1e1-0005-4000-8000-000000000005", "E1E1E1E1-0005-4000-8000-000000000005"} {
		if r := run(t, "", "eval", "-b", out, "-name", name, "-r", req); r.code != 0 || r.stdout != "true\n" {
			t.Errorf("eval -name %s: %+v", name, r)
		}
	}
	if r := run(t, "", "eval", "-b", out, "-name", "plain", "-r", req); r.code != 1 {
		t.Errorf("an unconditional assignment has no program: %+v", r)
	}
}

// Every scenario of the corpus through the binary, as the outside tests drive it.
func TestAuthorizeScenarios(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/rbac/scenarios/*.json")
	dir := t.TempDir()
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sf struct {
			Scenarios []map[string]json.RawMessage `json:"scenarios"`
		}
		if err := json.Unmarshal(data, &sf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, sc := range sf.Scenarios {
			paths := map[string]string{}
			for key, def := range map[string]string{"roleDefinitions": "[]", "roleAssignments": "[]", "denyAssignments": "[]", "hierarchy": "{}"} {
				raw := sc[key]
				if len(raw) == 0 {
					raw = json.RawMessage(def)
				}
				paths[key] = filepath.Join(dir, key+".json")
				os.WriteFile(paths[key], raw, 0o644)
			}
			var invalid bool
			json.Unmarshal(sc["invalid"], &invalid)
			var checks []struct {
				Name      string
				Principal json.RawMessage
				Request   json.RawMessage
				Expect    struct {
					Error     bool
					Decision  string
					Reason    string
					DecidedBy *string
					AnyOf     []string `json:"decidedByAnyOf"`
				}
			}
			json.Unmarshal(sc["checks"], &checks)
			for _, ck := range checks {
				n++
				pf, qf := filepath.Join(dir, "p.json"), filepath.Join(dir, "q.json")
				os.WriteFile(pf, ck.Principal, 0o644)
				os.WriteFile(qf, ck.Request, 0o644)
				r := run(t, "", "authorize", "--roles", paths["roleDefinitions"], "--assignments", paths["roleAssignments"],
					"--deny", paths["denyAssignments"], "--hierarchy", paths["hierarchy"], "--principal", pf, "--request", qf, "--json")
				name := filepath.Base(f) + "/" + string(sc["id"]) + "/" + ck.Name
				if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
					t.Errorf("%s: crashed: %s", name, r.stderr)
					continue
				}
				if invalid || ck.Expect.Error {
					if r.code != 1 || r.stderr == "" {
						t.Errorf("%s: want exit 1 with an error, got %+v", name, r)
					}
					continue
				}
				var got struct {
					Decision, Reason string
					DecidedBy        *string
				}
				if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
					t.Errorf("%s: %v %+v", name, err, r)
					continue
				}
				anyOf := ck.Expect.AnyOf
				if ck.Expect.DecidedBy != nil {
					anyOf = append(anyOf, *ck.Expect.DecidedBy)
				}
				okBy := (got.DecidedBy == nil && len(anyOf) == 0) || (got.DecidedBy != nil && containsFold(anyOf, *got.DecidedBy))
				if got.Decision != ck.Expect.Decision || got.Reason != ck.Expect.Reason || !okBy {
					t.Errorf("%s: got %s/%s by %v, want %s/%s by %v", name, got.Decision, got.Reason, got.DecidedBy, ck.Expect.Decision, ck.Expect.Reason, anyOf)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no scenario checks found")
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

package rbac_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/abacc/abacc/rbac"
)

// TestConcurrentDecide shares one engine between 8 goroutines, each with its own requests, and
// checks every answer against the one decided alone (run under -race by make test).
func TestConcurrentDecide(t *testing.T) {
	data, err := os.ReadFile("../../shared/spec/examples/rbac/cases.json")
	if err != nil {
		t.Skip("shared/spec not present")
	}
	var sf scenarioFile
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	type job struct {
		eng  *rbac.Engine
		p    rbac.Principal
		req  []byte
		want rbac.Decision
	}
	var jobs []job
	for _, sc := range sf.Scenarios {
		if sc.Invalid {
			continue
		}
		eng, err := rbac.Load(rbac.Inputs{Roles: doc("r", sc.RoleDefinitions), Assignments: doc("a", sc.RoleAssignments),
			Deny: doc("d", sc.DenyAssignments), Hierarchy: doc("h", sc.Hierarchy)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ck := range sc.Checks {
			p, err := rbac.ParsePrincipal(rbac.Document{Name: "p", Data: ck.Principal})
			if err != nil {
				t.Fatal(err)
			}
			r, err := rbac.ParseRequest(rbac.Document{Name: "q", Data: ck.Request})
			if err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, job{eng, p, ck.Request, eng.Decide(&p, r)})
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			reqs := make([]*rbac.Request, len(jobs))
			for i := range jobs {
				reqs[i] = rbac.NewRequest()
				if err := reqs[i].UnmarshalJSON(jobs[i].req); err != nil {
					t.Error(err)
					return
				}
			}
			for round := 0; round < 200; round++ {
				for k := range jobs {
					i := (k + g + round) % len(jobs)
					d := jobs[i].eng.Decide(&jobs[i].p, reqs[i])
					if d.Allowed != jobs[i].want.Allowed || d.Reason != jobs[i].want.Reason || d.DecidedBy != jobs[i].want.DecidedBy {
						t.Errorf("goroutine %d job %d: got %v, want %v", g, i, d, jobs[i].want)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
}

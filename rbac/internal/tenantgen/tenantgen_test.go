package tenantgen_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/rbac/internal/tenantgen"
)

var small = tenantgen.Config{Assignments: 2000, Roles: 120, Deny: 20, Seed: 7}

func TestDeterministic(t *testing.T) {
	a, b := tenantgen.Generate(small), tenantgen.Generate(small)
	for _, pair := range [][2][]byte{{a.Roles, b.Roles}, {a.Assignments, b.Assignments}, {a.Deny, b.Deny}, {a.Hierarchy, b.Hierarchy}} {
		if !bytes.Equal(pair[0], pair[1]) {
			t.Fatal("the same Config gave different documents")
		}
	}
	c := small
	c.Seed++
	if bytes.Equal(tenantgen.Generate(c).Assignments, a.Assignments) {
		t.Fatal("another seed gave the same assignments")
	}
}

func TestConditionsCompile(t *testing.T) {
	for _, src := range tenantgen.ConditionTexts() {
		if _, err := abacc.Compile(src); err != nil {
			t.Errorf("%v\n%s", err, src)
		}
	}
}

func TestShapes(t *testing.T) {
	d := tenantgen.Generate(small)
	s := d.Stats()
	if s.Assignments != small.Assignments || s.Roles != small.Roles || s.Deny != small.Deny {
		t.Errorf("counts: %+v", s)
	}
	if s.ManagementGroups < 4 || s.Subscriptions < 2 || s.ResourceGroups == 0 || s.Resources == 0 || s.Containers == 0 || s.ConditionalAssignments == 0 {
		t.Errorf("missing levels: %+v", s)
	}
	var assignments []map[string]any
	if err := json.Unmarshal(d.Assignments, &assignments); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "principalId", "principalType", "roleDefinitionId", "roleDefinitionName", "scope", "condition", "conditionVersion"} {
		if _, ok := assignments[0][k]; !ok {
			t.Errorf("assignment without %q: %v", k, assignments[0])
		}
	}
	var deny struct {
		Value []struct {
			Properties map[string]any `json:"properties"`
		} `json:"value"`
	}
	if err := json.Unmarshal(d.Deny, &deny); err != nil || len(deny.Value) != small.Deny || deny.Value[0].Properties["principals"] == nil {
		t.Errorf("deny document: %v", err)
	}
	p := d.Principal()
	if len(p.GroupIDs) != 20 {
		t.Errorf("principal in %d groups, want 20", len(p.GroupIDs))
	}
	for _, c := range tenantgen.Cases {
		reqs := d.Requests(c)
		if reqs[0].ResourceID == reqs[1].ResourceID || reqs[0].Action == reqs[1].Action {
			t.Errorf("%v: the two requests do not differ: %+v", c, reqs)
		}
		if (c == tenantgen.NoAssignment) != (reqs[0].DecidedBy == "") {
			t.Errorf("%v: DecidedBy %q", c, reqs[0].DecidedBy)
		}
	}
}

package rbac_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/abacc/abacc/rbac"
)

const (
	ownerGUID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	sub       = "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10"
	userA     = "1a2b3c4d-0000-4000-8000-00000000a1e0"
)

// The three shapes of a role definition name the same role.
func TestRoleDefinitionShapes(t *testing.T) {
	cli := `[{"id": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/` + ownerGUID + `",
	  "name": "` + ownerGUID + `", "roleName": "Owner", "roleType": "BuiltInRole", "assignableScopes": ["/"],
	  "permissions": [{"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]}]`
	rest := `{"value": [{"id": "/providers/Microsoft.Authorization/roleDefinitions/` + strings.ToUpper(ownerGUID) + `",
	  "name": "` + ownerGUID + `", "type": "Microsoft.Authorization/roleDefinitions",
	  "properties": {"roleName": "Owner", "type": "BuiltInRole", "assignableScopes": ["/"],
	  "permissions": [{"actions": ["*"]}]}}], "nextLink": null}`
	ps := `[{"Name": "Owner", "Id": "` + ownerGUID + `", "IsCustom": false, "Actions": ["*"], "NotActions": [],
	  "DataActions": [], "NotDataActions": [], "AssignableScopes": ["/"], "Condition": null, "ConditionVersion": null}]`
	for name, src := range map[string]string{"cli": cli, "rest": rest, "powershell": ps} {
		roles, err := rbac.ParseRoleDefinitions(rbac.Document{Name: name, Data: []byte(src)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(roles) != 1 || roles[0].GUID.String() != ownerGUID || roles[0].RoleName != "Owner" ||
			len(roles[0].Permissions) != 1 || roles[0].Permissions[0].Actions[0] != "*" || roles[0].Custom {
			t.Errorf("%s: got %+v", name, roles)
		}
	}
}

func TestAssignmentShapes(t *testing.T) {
	flat := `[{"id": "` + sub + `/providers/Microsoft.Authorization/roleAssignments/e1", "principalId": "` + userA + `",
	  "roleDefinitionId": "` + sub + `/providers/Microsoft.Authorization/roleDefinitions/` + ownerGUID + `",
	  "scope": "` + sub + `", "condition": null, "conditionVersion": null, "principalName": "alice", "canDelegate": null}]`
	rest := `{"value": [{"id": "` + sub + `/providers/Microsoft.Authorization/roleAssignments/e1", "name": "e1",
	  "properties": {"principalId": "` + strings.ToUpper(userA) + `",
	  "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/` + strings.ToUpper(ownerGUID) + `",
	  "principalType": "User", "condition": "", "conditionVersion": ""}}]}`
	for name, src := range map[string]string{"flat": flat, "rest": rest} {
		as, err := rbac.ParseRoleAssignments(rbac.Document{Name: name, Data: []byte(src)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(as) != 1 || !strings.EqualFold(as[0].Scope, sub) || as[0].RoleGUID.String() != ownerGUID ||
			as[0].PrincipalID.String() != userA || as[0].Condition != "" {
			t.Errorf("%s: got %+v", name, as)
		}
	}
}

func TestDenyShapes(t *testing.T) {
	wrapped := `[{"id": "` + sub + `/providers/Microsoft.Authorization/denyAssignments/d1", "name": "d1",
	  "properties": {"denyAssignmentName": "lock", "permissions": [{"actions": ["*"], "notActions": ["*/read"]}],
	  "doNotApplyToChildScopes": true, "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
	  "excludePrincipals": [{"id": "` + userA + `", "type": "User"}]}}]`
	flat := `{"value": [{"id": "` + sub + `/providers/Microsoft.Authorization/denyAssignments/d1", "denyAssignmentName": "lock",
	  "permissions": [{"actions": ["*"], "notActions": ["*/read"]}], "scope": "` + sub + `", "doNotApplyToChildScopes": true,
	  "principals": [{"id": "00000000-0000-0000-0000-000000000000"}], "excludePrincipals": [{"id": "` + userA + `"}]}]}`
	for name, src := range map[string]string{"wrapped": wrapped, "flat": flat} {
		ds, err := rbac.ParseDenyAssignments(rbac.Document{Name: name, Data: []byte(src)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := ds[0]
		if len(ds) != 1 || !strings.EqualFold(d.Scope, sub) || !d.DoNotApplyToChildScopes || d.Name != "lock" ||
			len(d.Principals) != 1 || d.Principals[0] != rbac.Everyone || len(d.ExcludePrincipals) != 1 {
			t.Errorf("%s: got %+v", name, ds)
		}
	}
}

// Every invalid input of rbac.md is an *InputError naming the file, the element and the field.
func TestInvalidInputs(t *testing.T) {
	role := `[{"name": "` + ownerGUID + `", "roleName": "Owner", "permissions": [{"actions": ["*"]}]}]`
	asg := func(fields string) string {
		return `[{"id": "/a/providers/Microsoft.Authorization/roleAssignments/x1", "principalId": "` + userA + `",
		  "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/` + ownerGUID + `", "scope": "` + sub + `"` + fields + `}]`
	}
	cases := []struct {
		name        string
		roles, asgs string
		deny, hier  string
		want        []string // substrings of the error
	}{
		{"malformed JSON", role, `[{"id": }]`, "", "", []string{"assignments.json", "1:9", "malformed JSON"}},
		{"wrong shape", role, `{"id": 3}`, "", "", []string{"assignments.json", "id", "must be a string"}},
		{"not a list", role, `"x"`, "", "", []string{"assignments.json", "array"}},
		{"bad principal GUID", role, strings.Replace(asg(""), userA, "not-a-guid", 1), "", "", []string{"assignments.json", "role assignment 0", "principalId", "not a GUID"}},
		{"scope without slash", role, strings.Replace(asg(""), `"scope": "/`, `"scope": "`, 1), "", "", []string{"scope", "does not start with"}},
		{"empty segment", role, strings.Replace(asg(""), sub, sub+"//resourceGroups/x", 1), "", "", []string{"scope", "empty segment"}},
		{"unknown role", `[{"name": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "permissions": []}]`, asg(""), "", "", []string{"assignments.json", "x1", "roleDefinitionId", "unknown role definition " + ownerGUID}},
		{"duplicate roles", `[{"name": "` + ownerGUID + `"}, {"id": "/providers/Microsoft.Authorization/roleDefinitions/` + strings.ToUpper(ownerGUID) + `"}]`, asg(""), "", "", []string{"roles.json", "role definition 1", "defined twice"}},
		{"duplicate assignments", role, strings.Replace(asg("")+asg(""), "}][{", "},{", 1), "", "", []string{"assignments.json", "role assignment 1", "appears twice"}},
		{"condition version", role, asg(`, "condition": "@Environment[isPrivateLink] BoolEquals true", "conditionVersion": "1.0"`), "", "", []string{"assignments.json", "x1", "conditionVersion", "1.0"}},
		{"condition does not compile", role, asg(`, "condition": "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'a'", "conditionVersion": "2.0"`), "", "",
			[]string{"assignments.json", "roleAssignments/x1", "condition", "1:75", "unknown operator", "ABAC2001"}},
		{"role entry condition does not compile", `[{"name": "` + ownerGUID + `", "permissions": [{"actions": ["*"], "condition": "((", "conditionVersion": "2.0"}]}]`, asg(""), "", "",
			[]string{"roles.json", "permissions[0].condition", "1:1", "never closed"}},
		{"deny bad principal", role, asg(""), `[{"id": "/d/providers/Microsoft.Authorization/denyAssignments/d1", "principals": [{"id": "zz"}]}]`, "", []string{"deny.json", "d1", "principals[0].id", "not a GUID"}},
		{"deny without scope", role, asg(""), `[{"id": "d1", "permissions": []}]`, "", []string{"deny.json", "scope", "required"}},
		{"hierarchy cycle", role, asg(""), "", `{"/providers/Microsoft.Management/managementGroups/a": "/providers/Microsoft.Management/managementGroups/b",
		  "/providers/Microsoft.Management/managementGroups/b": "/providers/Microsoft.Management/managementGroups/a"}`, []string{"hierarchy.json", "cycle"}},
		{"hierarchy parent not an MG", role, asg(""), "", `{"` + sub + `": "` + sub + `"}`, []string{"hierarchy.json", "not a management group"}},
		{"byte-order mark", role, "\ufeff" + asg(""), "", "", []string{"assignments.json", "byte-order mark"}},
		{"deep nesting", role, strings.Repeat("[", 100000), "", "", []string{"assignments.json", "nested deeper"}},
	}
	for _, c := range cases {
		in := rbac.Inputs{Roles: rbac.Document{Name: "roles.json", Data: []byte(c.roles)},
			Assignments: rbac.Document{Name: "assignments.json", Data: []byte(c.asgs)}}
		if c.deny != "" {
			in.Deny = rbac.Document{Name: "deny.json", Data: []byte(c.deny)}
		}
		if c.hier != "" {
			in.Hierarchy = rbac.Document{Name: "hierarchy.json", Data: []byte(c.hier)}
		}
		_, err := rbac.Load(in)
		var ie *rbac.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: want an *InputError, got %v", c.name, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}

func TestInvalidRequests(t *testing.T) {
	rid := sub + "/resourceGroups/rg"
	cases := []struct{ src, want string }{
		{`{"action": "a", "dataAction": "b", "resourceId": "` + rid + `"}`, "not both"},
		{`{"resourceId": "` + rid + `"}`, "action: is required"},
		{`{"action": " ", "resourceId": "` + rid + `"}`, "must not be empty"},
		{`{"action": "Microsoft.Compute/disks/read", "resourceId": "` + rid + `", "attributes": {"action": "Microsoft.Compute/disks/write"}}`, "differs"},
		{`{"action": "x", "resourceId": "subscriptions/x"}`, "resourceId"},
		{`{"action": "x", "resourceID": "/x"}`, `did you mean "resourceId"`},
		{`{"action": "x", "resourceId": "/x", "attributes": {"resource": {"nope": 1}}}`, "attributes"},
	}
	for _, c := range cases {
		_, err := rbac.ParseRequest(rbac.Document{Name: "q.json", Data: []byte(c.src)})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "q.json") {
			t.Errorf("%s: got %v, want an error naming q.json and %q", c.src, err, c.want)
		}
	}
	// The attributes' action defaults to the request's, and may be given in another case.
	for _, src := range []string{
		`{"dataAction": "Microsoft.Compute/disks/download/action", "resourceId": "/x"}`,
		`{"dataAction": "Microsoft.Compute/disks/download/action", "resourceId": "/x", "attributes": {}}`,
		`{"dataAction": "Microsoft.Compute/disks/download/action", "resourceId": "/x", "attributes": {"action": "microsoft.compute/disks/DOWNLOAD/action"}}`,
	} {
		r, err := rbac.ParseRequest(rbac.Document{Name: "q.json", Data: []byte(src)})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if r.Plane() != rbac.Data || !strings.EqualFold(r.Attributes().Action(), "Microsoft.Compute/disks/download/action") {
			t.Errorf("%s: plane %v, attribute action %q", src, r.Plane(), r.Attributes().Action())
		}
	}
}

func TestPrincipal(t *testing.T) {
	p, err := rbac.ParsePrincipal(rbac.Document{Name: "p.json", Data: []byte(`{"id": "` + strings.ToUpper(userA) + `", "groupIds": ["7c7c7c7c-1111-4222-8333-444455556666"]}`)})
	if err != nil || p.ID.String() != userA || len(p.GroupIDs) != 1 {
		t.Fatalf("got %+v, %v", p, err)
	}
	for src, want := range map[string]string{
		`{"id": "x"}`:                            "not a GUID",
		`{"groupIds": []}`:                       "id: is required",
		`{"id": "` + userA + `", "groups": []}`:  "unknown key",
		`{"id": "` + userA + `", "groupIds": 3}`: "groupIds: must be an array",
		`[]`:                                     "must be a JSON object",
	} {
		_, err := rbac.ParsePrincipal(rbac.Document{Name: "p.json", Data: []byte(src)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
}

// Without role definitions the built-in snapshot applies; with them, exactly those are known.
func TestBuiltinRoles(t *testing.T) {
	roles, err := rbac.BuiltinRoles()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, r := range roles {
		names[r.RoleName] = r.GUID.String()
	}
	for name, guid := range map[string]string{
		"Owner": ownerGUID, "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c", "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
		"Data Operator for Managed Disks": "959f8984-c045-4866-89c7-12bf9737be2e", "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
		"User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
	} {
		if names[name] != guid {
			t.Errorf("built-in %q: got %q, want %s", name, names[name], guid)
		}
	}
	if rbac.BuiltinSnapshotDate() == "" {
		t.Error("the snapshot has no date")
	}
	a := `[{"id": "/x/providers/Microsoft.Authorization/roleAssignments/a1", "principalId": "` + userA + `", "scope": "/",
	  "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/` + ownerGUID + `"}]`
	if _, err := rbac.Load(rbac.Inputs{Assignments: rbac.Document{Name: "a", Data: []byte(a)}}); err != nil {
		t.Errorf("Owner is built in: %v", err)
	}
	_, err = rbac.Load(rbac.Inputs{Roles: rbac.Document{Name: "r", Data: []byte(`[{"name": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}]`)},
		Assignments: rbac.Document{Name: "a", Data: []byte(a)}})
	if err == nil || !strings.Contains(err.Error(), "unknown role definition") {
		t.Errorf("with --roles given, only those are known: got %v", err)
	}
}

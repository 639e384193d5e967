package rbac_test

import (
	"fmt"

	"github.com/abacc/abacc/rbac"
)

// A service loads its tenant once (without role definitions the shipped built-in roles are
// known) and decides whether a user may download a managed disk: only a role with the data
// action grants it, whatever the user's Owner assignment says.
func ExampleLoad() {
	assignments := `[
	  {"id": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG/providers/Microsoft.Authorization/roleAssignments/e1",
	   "principalId": "7c7c7c7c-1111-4222-8333-444455556666",
	   "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/959f8984-c045-4866-89c7-12bf9737be2e",
	   "scope": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG"},
	  {"id": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/providers/Microsoft.Authorization/roleAssignments/e2",
	   "principalId": "1a2b3c4d-0000-4000-8000-00000000c5a0",
	   "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	   "scope": "/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10"}]`
	eng, err := rbac.Load(rbac.Inputs{Assignments: rbac.Document{Name: "assignments.json", Data: []byte(assignments)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	group, _ := rbac.ParseGUID("7c7c7c7c-1111-4222-8333-444455556666")
	alice, _ := rbac.ParseGUID("1a2b3c4d-0000-4000-8000-00000000a1e0")
	owner, _ := rbac.ParseGUID("1a2b3c4d-0000-4000-8000-00000000c5a0")

	req := rbac.NewRequest() // reused for every decision of this goroutine
	req.SetOperation(rbac.Data, "Microsoft.Compute/disks/download/action")
	if err := req.SetResource("/subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG/providers/Microsoft.Compute/disks/scan-archive-01"); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range []rbac.Principal{{ID: alice, GroupIDs: []rbac.GUID{group}}, {ID: owner}} {
		d := eng.Decide(&p, req)
		fmt.Println(d.Allowed, d.Reason)
	}
	// Output:
	// true Allowed
	// false NoRoleAssignment
}

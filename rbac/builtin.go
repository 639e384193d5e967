package rbac

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed builtin/roles.json
var builtinJSON []byte

var builtin struct {
	once  sync.Once
	roles []RoleDefinition
	date  string
	err   error
}

// BuiltinRoles returns the shipped snapshot of common built-in role definitions (Owner,
// Contributor, Reader, the Storage data roles, the managed-disk roles, …), taken verbatim from
// Azure's built-in-roles documentation. It is used when no role definitions are supplied.
// Callers get their own copy of the list.
func BuiltinRoles() ([]RoleDefinition, error) {
	builtin.once.Do(func() {
		builtin.roles, builtin.err = ParseRoleDefinitions(Document{Name: "built-in roles", Data: builtinJSON})
		var head struct {
			SnapshotDate string `json:"snapshotDate"`
		}
		_ = json.Unmarshal(builtinJSON, &head)
		builtin.date = head.SnapshotDate
	})
	return append([]RoleDefinition(nil), builtin.roles...), builtin.err
}

// BuiltinSnapshotDate is the date of the documentation the built-in snapshot was taken from.
func BuiltinSnapshotDate() string {
	_, _ = BuiltinRoles()
	return builtin.date
}

// Package rbac decides whole Azure RBAC requests offline: "may this principal perform this action
// (or data action) on that resource?", from role definitions, role assignments with conditions,
// deny assignments and the management-group hierarchy, exactly as ../shared/spec/rbac.md
// describes Azure Resource Manager and the data planes, and says what decided it.
//
// Data flows one way: Azure's JSON is parsed into a Tenant (load.go), a Tenant is indexed into an
// immutable Engine (engine.go), and the Engine decides requests (Decide) without allocating.
//
//	eng, err := rbac.Load(rbac.Inputs{Assignments: rbac.Document{Name: "a.json", Data: data}})
//	req := rbac.NewRequest()
//	err = req.UnmarshalJSON(requestJSON)
//	d := eng.Decide(&principal, req)   // d.Allowed, d.Reason, d.DecidedBy
//
// An Engine may be shared by any number of goroutines; a Request belongs to one at a time.
package rbac

import (
	"github.com/abacc/abacc/internal/attrs"
)

// GUID is a 128-bit identifier (object ids of principals and groups, role definition names).
// GUIDs compare as numbers, so letter case and hyphenation do not matter.
type GUID struct{ Hi, Lo uint64 }

// ParseGUID reads a GUID as 8-4-4-4-12 hexadecimal digits (or 32 digits), in either case.
func ParseGUID(s string) (GUID, error) {
	g, err := attrs.ParseGuid(s)
	return GUID{g.Hi, g.Lo}, err
}

// String formats the GUID in lower case with hyphens.
func (g GUID) String() string { return attrs.Guid{Hi: g.Hi, Lo: g.Lo}.String() }

// Everyone is the "All Principals" id of deny assignments.
var Everyone = GUID{}

// Plane is the plane an operation belongs to: control (Actions) or data (DataActions). The
// planes never mix.
type Plane uint8

const (
	// Control is the Azure Resource Manager plane: role Actions and NotActions.
	Control Plane = iota
	// Data is the data plane: role DataActions and NotDataActions.
	Data
)

func (p Plane) String() string {
	if p == Data {
		return "dataAction"
	}
	return "action"
}

// Permission is one permission entry of a role definition or deny assignment.
type Permission struct {
	Actions, NotActions, DataActions, NotDataActions []string
	// Condition (empty: none) must hold for the entry to take effect.
	Condition string
}

// Allow returns the entry's grant patterns of plane p.
func (e *Permission) Allow(p Plane) []string {
	if p == Data {
		return e.DataActions
	}
	return e.Actions
}

// NotAllow returns the entry's subtracted patterns of plane p.
func (e *Permission) NotAllow(p Plane) []string {
	if p == Data {
		return e.NotDataActions
	}
	return e.NotActions
}

// RoleDefinition is a built-in or custom role.
type RoleDefinition struct {
	// ID is the definition's id as given (or /providers/Microsoft.Authorization/roleDefinitions/GUID).
	ID string
	// GUID identifies the definition; assignments link to it by their roleDefinitionId's last segment.
	GUID GUID
	// RoleName is the display name.
	RoleName string
	// Custom is true for custom roles (roleType CustomRole, or PowerShell's IsCustom).
	Custom           bool
	AssignableScopes []string
	Permissions      []Permission
}

// RoleAssignment grants a role to a principal (user, group, service principal) at a scope.
type RoleAssignment struct {
	// ID is the assignment's id as exported (decisions name it).
	ID          string
	PrincipalID GUID
	// RoleDefinitionID is the roleDefinitionId as given; RoleGUID its last segment.
	RoleDefinitionID string
	RoleGUID         GUID
	Scope            string
	// Condition (empty: none) must hold for the assignment to grant.
	Condition string
}

// DenyAssignment blocks actions for principals at a scope, whatever the role assignments say.
type DenyAssignment struct {
	ID string
	// Name is denyAssignmentName (for display).
	Name                    string
	Scope                   string
	DoNotApplyToChildScopes bool
	Principals              []GUID
	ExcludePrincipals       []GUID
	Permissions             []Permission
	// Condition (empty: none) must hold for the deny assignment to apply.
	Condition string
}

// Tenant is everything a decision reads, as loaded from Azure's JSON (or built in Go).
type Tenant struct {
	Roles       []RoleDefinition
	Assignments []RoleAssignment
	Deny        []DenyAssignment
	// Parents maps a subscription or management-group scope to its parent management group's
	// scope; keys and values as given (they compare case-insensitively).
	Parents map[string]string
}

// Principal is who asks: an object id and the transitive closure of its groups, as a token
// carries them. The engine does not expand group nesting.
type Principal struct {
	ID       GUID
	GroupIDs []GUID
}

// Reason says why a decision came out as it did.
type Reason uint8

const (
	// Allowed: a role assignment granted the operation.
	Allowed Reason = iota
	// DeniedByDenyAssignment: a deny assignment applied.
	DeniedByDenyAssignment
	// NoRoleAssignment: no assignment of the principal at a covering scope includes the operation.
	NoRoleAssignment
	// ConditionNotMet: assignments included the operation, but none had its conditions hold.
	ConditionNotMet
)

var reasonNames = [...]string{"Allowed", "DeniedByDenyAssignment", "NoRoleAssignment", "ConditionNotMet"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "Reason(?)"
}

// Decision is the answer to one request.
type Decision struct {
	Allowed bool
	Reason  Reason
	// DecidedBy is the id of the granting role assignment or of the applying deny assignment
	// ("" when nothing decided: NoRoleAssignment, ConditionNotMet).
	DecidedBy string
	// ConditionFailed lists the assignments that included the operation but whose conditions
	// were false, among those the decision evaluated (all of them unless it allowed). It aliases
	// the request's storage: valid until the request's next decision.
	ConditionFailed []string
}

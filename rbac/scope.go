package rbac

import (
	"errors"
	"strings"

	"github.com/abacc/abacc/internal/match"
)

// Scopes and resource ids are paths of "/"-separated segments compared case-insensitively
// (simple case folding, as everywhere in abacc), with a trailing "/" ignored.

var (
	errScopeSlash = errors.New("does not start with \"/\"")
	errScopeEmpty = errors.New("has an empty segment (\"//\")")
)

// validScope checks a scope or resource id: it starts with "/" and has no empty segment (a
// trailing "/" is ignored; "/" alone is the root).
func validScope(s string) error {
	if !strings.HasPrefix(s, "/") {
		return errScopeSlash
	}
	if s == "/" {
		return nil
	}
	// One trailing "/" is ignored; what remains must have no empty segment.
	t := strings.TrimSuffix(s, "/")
	if t == "" || strings.HasSuffix(t, "/") || strings.Contains(t, "//") {
		return errScopeEmpty
	}
	return nil
}

// trimScope drops the trailing "/" (the root stays "/").
func trimScope(s string) string {
	if len(s) > 1 {
		s = strings.TrimSuffix(s, "/")
	}
	return s
}

// foldScope is the case-insensitive key of a scope.
func foldScope(s string) string { return match.FoldString(trimScope(s)) }

// segments splits a valid scope into its segments (none for the root).
func segments(s string) []string {
	s = trimScope(s)
	if s == "/" || s == "" {
		return nil
	}
	return strings.Split(s[1:], "/")
}

type kind uint8

const (
	kindOther kind = iota
	kindSubscription
	kindManagementGroup
)

// scopeKind tells whether s is exactly a subscription or a management-group scope.
func scopeKind(s string) (kind, string) {
	if validScope(s) != nil {
		return kindOther, ""
	}
	seg := segments(s)
	switch {
	case len(seg) == 2 && strings.EqualFold(seg[0], "subscriptions"):
		return kindSubscription, seg[1]
	case len(seg) == 4 && strings.EqualFold(seg[0], "providers") && strings.EqualFold(seg[1], "Microsoft.Management") &&
		strings.EqualFold(seg[2], "managementGroups"):
		return kindManagementGroup, seg[3]
	}
	return kindOther, ""
}

// anchorLen returns how many leading segments of a resource id name the subscription or
// management group it lives in (2 or 4), or 0 when it is in neither: the hierarchy is entered
// there.
func anchorLen(seg []string) int {
	switch {
	case len(seg) >= 2 && match.EqualFold(seg[0], "SUBSCRIPTIONS"):
		return 2
	case len(seg) >= 4 && match.EqualFold(seg[0], "PROVIDERS") && match.EqualFold(seg[1], "MICROSOFT.MANAGEMENT") &&
		match.EqualFold(seg[2], "MANAGEMENTGROUPS"):
		return 4
	}
	return 0
}

package attrs

import (
	"strings"
	"testing"
)

// TestCatalogTableInvariants checks the static tables of catalog_data.go.
func TestCatalogTableInvariants(t *testing.T) {
	seen := map[string]int{}
	for i, a := range azureAttributes {
		where := "@" + a.Source.String() + "[" + a.Name + "]"

		// Source and name.
		if a.Source < Resource || a.Source > Environment {
			t.Errorf("entry %d (%s): invalid source %d", i, a.Name, a.Source)
		}
		if a.Name == "" || strings.TrimSpace(a.Name) != a.Name {
			t.Errorf("entry %d: name %q is empty or has surrounding spaces", i, a.Name)
		}
		if strings.ContainsAny(a.Name, "[]\t\r\n'") {
			t.Errorf("%s: name contains a character that cannot appear between brackets", where)
		}
		if strings.HasSuffix(a.Name, KeySuffix) || strings.HasSuffix(a.Name, KeysSuffix) {
			t.Errorf("%s: name carries a dictionary selector suffix", where)
		}

		// No duplicate (source, lower-case name).
		k := catalogKey(a.Source, a.Name)
		if j, dup := seen[k]; dup {
			t.Errorf("%s: duplicate of entry %d", where, j)
		}
		seen[k] = i

		// Types: a known value type; Untyped only for a dictionary whose values the operators type.
		if a.Type > TypeGuid {
			t.Errorf("%s: invalid type %d", where, a.Type)
		}
		if a.Type == Untyped && a.Dict == NotDict {
			t.Errorf("%s: a plain attribute must have a type", where)
		}
		if a.Type != Untyped && a.Type.String() == "invalid" {
			t.Errorf("%s: type %d has no name", where, a.Type)
		}

		// Dictionaries.
		switch a.Dict {
		case NotDict, DictPlain:
		case DictTagged:
			if a.Type != TypeString {
				t.Errorf("%s: blob index tags are String-valued, got %v", where, a.Type)
			}
		default:
			t.Errorf("%s: invalid dictionary form %d", where, a.Dict)
		}
		if looksLikeDictionary(a.Name) && a.Dict == NotDict {
			t.Errorf("%s: dictionary attribute without a Dict form", where)
		}
		if a.Dict != NotDict && strings.Contains(a.Name, ":") {
			t.Errorf("%s: a dictionary name cannot contain ':' (the key selector splits at the first ':')", where)
		}
		if a.Dict != NotDict && a.Multi {
			t.Errorf("%s: a dictionary is not itself multi-valued", where)
		}

		// Display metadata.
		if a.Title == "" || strings.TrimSpace(a.Title) != a.Title {
			t.Errorf("%s: title %q is empty or has surrounding spaces", where, a.Title)
		}
		if a.Service == "" {
			t.Errorf("%s: no service", where)
		}

		// Actions: none for environment and principal attributes (every action supplies them);
		// otherwise each pattern is well formed and matches a catalog action.
		switch a.Source {
		case Environment, Principal:
			if len(a.Actions) != 0 {
				t.Errorf("%s: %s attributes are supplied with every action; Actions must be empty", where, a.Source)
			}
		default:
			if len(a.Actions) == 0 {
				t.Errorf("%s: no supplying actions", where)
			}
		}
		patterns := map[string]bool{}
		for _, p := range a.Actions {
			if p == "" || strings.TrimSpace(p) != p || strings.ContainsAny(p, " \t") {
				t.Errorf("%s: malformed action pattern %q", where, p)
			}
			if patterns[strings.ToLower(p)] {
				t.Errorf("%s: action pattern %q listed twice", where, p)
			}
			patterns[strings.ToLower(p)] = true
			matched := false
			for _, act := range azureActions {
				if ActionPatternMatch(p, act.Name) {
					matched = true
					break
				}
			}
			if !matched {
				t.Errorf("%s: action pattern %q matches no catalog action", where, p)
			}
		}
	}

	// A plain attribute named `X:attr` must not shadow a dictionary X of the same source.
	for _, a := range azureAttributes {
		if a.Dict != NotDict {
			continue
		}
		if i := strings.IndexByte(a.Name, ':'); i >= 0 {
			if j, ok := seen[catalogKey(a.Source, a.Name[:i])]; ok && azureAttributes[j].Dict != NotDict {
				t.Errorf("@%s[%s] is ambiguous with dictionary @%s[%s]", a.Source, a.Name, a.Source, azureAttributes[j].Name)
			}
		}
	}
}

// looksLikeDictionary reports the names Azure documents as dictionaries: blob index tags,
// container metadata and principal custom security attributes.
func looksLikeDictionary(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, "/tags") || strings.HasSuffix(n, "/metadata") ||
		strings.HasSuffix(n, "/customsecurityattributes/id")
}

// TestCatalogActionInvariants checks the action table.
func TestCatalogActionInvariants(t *testing.T) {
	seen := map[string]bool{}
	for _, act := range azureActions {
		if act.Name == "" || strings.TrimSpace(act.Name) != act.Name || strings.ContainsAny(act.Name, " \t*") {
			t.Errorf("malformed action name %q", act.Name)
		}
		if !strings.HasPrefix(act.Name, "Microsoft.") || strings.Count(act.Name, "/") < 2 {
			t.Errorf("action %q is not a provider operation name", act.Name)
		}
		lower := strings.ToLower(act.Name)
		if seen[lower] {
			t.Errorf("action %q listed twice", act.Name)
		}
		seen[lower] = true
		if act.Title == "" || strings.TrimSpace(act.Title) != act.Title {
			t.Errorf("action %q: title %q is empty or has surrounding spaces", act.Name, act.Title)
		}
		if act.Service == "" {
			t.Errorf("action %q: no service", act.Name)
		}
		subs := map[string]bool{}
		for _, s := range act.SubOperations {
			if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t") {
				t.Errorf("action %q: malformed suboperation %q", act.Name, s)
			}
			if subs[strings.ToLower(s)] {
				t.Errorf("action %q: suboperation %q listed twice", act.Name, s)
			}
			subs[strings.ToLower(s)] = true
		}

		// Every action supplies at least one resource or request attribute: an action that no
		// attribute names would be one a condition cannot constrain.
		supplied := false
		for id := range Default.Attributes() {
			a := Default.Attr(ID(id))
			if (a.Source == Resource || a.Source == Request) && Default.Supplies(ID(id), act.Name) {
				supplied = true
				break
			}
		}
		if !supplied {
			t.Errorf("action %q supplies no resource or request attribute", act.Name)
		}
	}
}

// TestCatalogResolvesEveryEntry checks that each entry is reachable through the reference forms
// of language.md and the request keys of request.md.
func TestCatalogResolvesEveryEntry(t *testing.T) {
	c := NewCatalog(azureAttributes, azureActions) // panics on a duplicate
	if c.Len() != len(azureAttributes) {
		t.Fatalf("catalog has %d entries, table %d", c.Len(), len(azureAttributes))
	}
	for i, a := range c.Attributes() {
		id := ID(i)
		if got, ok := c.Lookup(a.Source, a.Name); !ok || got != id {
			t.Errorf("Lookup(@%s[%s]) = %d, %v; want %d", a.Source, a.Name, got, ok, id)
		}
		if got, ok := c.Lookup(a.Source, strings.ToUpper(a.Name)); !ok || got != id {
			t.Errorf("Lookup is not case-insensitive for @%s[%s]", a.Source, a.Name)
		}
		switch a.Dict {
		case NotDict:
			ref, err := c.Resolve(a.Source, a.Name)
			if err != nil || ref.ID != id || ref.Sel != SelValue || ref.Type != a.Type || ref.Multi != a.Multi {
				t.Errorf("Resolve(@%s[%s]) = %+v, %v", a.Source, a.Name, ref, err)
			}
		case DictTagged:
			ref, err := c.Resolve(a.Source, a.Name+":Project"+KeySuffix)
			if err != nil || ref.ID != id || ref.Sel != SelKey || ref.Key != "Project" || ref.Type != TypeString {
				t.Errorf("Resolve(@%s[%s:Project%s]) = %+v, %v", a.Source, a.Name, KeySuffix, ref, err)
			}
			ref, err = c.Resolve(a.Source, a.Name+KeysSuffix)
			if err != nil || ref.ID != id || ref.Sel != SelKeys || !ref.Multi || ref.Type != TypeString {
				t.Errorf("Resolve(@%s[%s%s]) = %+v, %v", a.Source, a.Name, KeysSuffix, ref, err)
			}
			if _, err := c.Resolve(a.Source, a.Name+":Project"); err == nil {
				t.Errorf("@%s[%s:Project] without %s resolved", a.Source, a.Name, KeySuffix)
			}
		case DictPlain:
			ref, err := c.Resolve(a.Source, a.Name+":Engineering_Project")
			if err != nil || ref.ID != id || ref.Sel != SelKey || ref.Key != "Engineering_Project" || ref.Type != a.Type {
				t.Errorf("Resolve(@%s[%s:Engineering_Project]) = %+v, %v", a.Source, a.Name, ref, err)
			}
			if a.Type == Untyped && !ref.MaybeMulti {
				t.Errorf("@%s[%s:...]: an untyped dictionary value may be multi-valued", a.Source, a.Name)
			}
		}
	}
}

// TestCatalogDocumentedEntries spot-checks entries against Azure's documentation.
func TestCatalogDocumentedEntries(t *testing.T) {
	type want struct {
		src    Source
		name   string
		typ    Type
		multi  bool
		dict   DictForm
		action string // an action that supplies it
		not    string // an action that does not ("" to skip)
	}
	for _, w := range []want{
		{Resource, "Microsoft.Storage/storageAccounts:name", TypeString, false, NotDict, messageRead, ""},
		{Resource, "Microsoft.Storage/storageAccounts:name", TypeString, false, NotDict, blobFilter, roleAssignmentWrite},
		{Resource, "Microsoft.Storage/storageAccounts/blobServices/containers:name", TypeString, false, NotDict, blobRead, blobFilter},
		{Resource, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path", TypeString, false, NotDict, blobMove, messageRead},
		{Request, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix", TypeString, false, NotDict, blobRead, blobWrite},
		{Resource, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags", TypeString, false, DictTagged, blobTagsRead, blobDelete},
		{Request, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags", TypeString, false, DictTagged, blobAdd, blobRead},
		{Resource, "Microsoft.Storage/storageAccounts/blobServices/containers/metadata", TypeString, false, DictPlain, blobRead, ""},
		{Resource, "Microsoft.Storage/storageAccounts/encryptionScopes:name", TypeString, false, NotDict, blobAdd, blobDelete},
		{Resource, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:isCurrentVersion", TypeBoolean, false, NotDict, blobRunAsSuperUser, blobAdd},
		{Resource, "Microsoft.Storage/storageAccounts:isHnsEnabled", TypeBoolean, false, NotDict, blobFilter, messageRead},
		{Request, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:snapshot", TypeDateTime, false, NotDict, blobRead, blobDeleteVersion},
		{Request, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId", TypeDateTime, false, NotDict, blobDeleteVersion, blobAdd},
		{Request, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include", TypeString, true, NotDict, blobRead, blobWrite},
		{Resource, "Microsoft.Storage/storageAccounts/queueServices/queues:name", TypeString, false, NotDict, messageProcess, blobRead},
		{Environment, "isPrivateLink", TypeBoolean, false, NotDict, blobRead, ""},
		{Environment, "Microsoft.Network/privateEndpoints", TypeString, false, NotDict, messageRead, ""},
		{Environment, "Microsoft.Network/virtualNetworks/subnets", TypeString, false, NotDict, blobWrite, ""},
		{Environment, "UtcNow", TypeDateTime, false, NotDict, blobRead, ""},
		{Request, "Microsoft.Authorization/roleAssignments:RoleDefinitionId", TypeGuid, false, NotDict, roleAssignmentWrite, roleAssignmentDelete},
		{Request, "Microsoft.Authorization/roleAssignments:PrincipalId", TypeGuid, false, NotDict, roleAssignmentWrite, roleAssignmentDelete},
		{Request, "Microsoft.Authorization/roleAssignments:PrincipalType", TypeString, false, NotDict, roleAssignmentWrite, roleAssignmentDelete},
		{Resource, "Microsoft.Authorization/roleAssignments:RoleDefinitionId", TypeGuid, false, NotDict, roleAssignmentDelete, roleAssignmentWrite},
		{Resource, "Microsoft.Authorization/roleAssignments:PrincipalId", TypeGuid, false, NotDict, roleAssignmentDelete, roleAssignmentWrite},
		{Resource, "Microsoft.Authorization/roleAssignments:PrincipalType", TypeString, false, NotDict, roleAssignmentDelete, roleAssignmentWrite},
		{Principal, "Microsoft.Directory/CustomSecurityAttributes/Id", Untyped, false, DictPlain, secretGet, ""},
		{Request, "Microsoft.ContainerRegistry/registries/repositories:name", TypeString, false, NotDict, repoContentRead, blobRead},
		{Resource, "Microsoft.KeyVault/vaults:name", TypeString, false, NotDict, secretSet, repoContentRead},
		{Resource, "Microsoft.KeyVault/vaults/secrets:name", TypeString, false, NotDict, secretGet, secretSet},
		{Request, "Microsoft.KeyVault/vaults/secrets:name", TypeString, false, NotDict, secretRestore, secretGet},
	} {
		id, ok := Default.Lookup(w.src, w.name)
		if !ok {
			t.Errorf("@%s[%s] missing", w.src, w.name)
			continue
		}
		a := Default.Attr(id)
		if a.Name != w.name || a.Type != w.typ || a.Multi != w.multi || a.Dict != w.dict {
			t.Errorf("@%s[%s] = {%s %v multi=%v dict=%d}, want {%s %v multi=%v dict=%d}",
				w.src, w.name, a.Name, a.Type, a.Multi, a.Dict, w.name, w.typ, w.multi, w.dict)
		}
		if !Default.Supplies(id, w.action) {
			t.Errorf("@%s[%s] should be supplied by %s", w.src, w.name, w.action)
		}
		if w.not != "" && Default.Supplies(id, w.not) {
			t.Errorf("@%s[%s] should not be supplied by %s", w.src, w.name, w.not)
		}
	}

	// Azure documents the encryption scope name as a Resource attribute only.
	if _, ok := Default.Lookup(Request, "Microsoft.Storage/storageAccounts/encryptionScopes:name"); ok {
		t.Error("@Request[Microsoft.Storage/storageAccounts/encryptionScopes:name] is not a documented attribute")
	}

	// Suboperations of the blob actions.
	subs := map[string][]string{}
	for _, act := range Default.Actions() {
		subs[act.Name] = act.SubOperations
	}
	for action, want := range map[string][]string{
		blobRead:  {"Blob.List", "Blob.Read.WithTagConditions"},
		blobWrite: {"Blob.Write.Tier", "Blob.Write.WithTagHeaders"},
		blobAdd:   {"Blob.Write.WithTagHeaders"},
	} {
		if strings.Join(subs[action], ",") != strings.Join(want, ",") {
			t.Errorf("%s suboperations = %v, want %v", action, subs[action], want)
		}
	}
}

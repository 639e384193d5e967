package attrs_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

// Attribute names used below.
const (
	accountName   = "Microsoft.Storage/storageAccounts:name"
	containerName = "Microsoft.Storage/storageAccounts/blobServices/containers:name"
	blobPath      = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path"
	isHns         = "Microsoft.Storage/storageAccounts:isHnsEnabled"
	blobTags      = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"
	metadata      = "Microsoft.Storage/storageAccounts/blobServices/containers/metadata"
	blobPrefix    = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix"
	versionID     = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId"
	listInclude   = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include"
	csa           = "Microsoft.Directory/CustomSecurityAttributes/Id"
	privateLink   = "isPrivateLink"
	privateEP     = "Microsoft.Network/privateEndpoints"
	utcNow        = "UtcNow"
	roleDefID     = "Microsoft.Authorization/roleAssignments:RoleDefinitionId"
	blobRead      = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
)

// exampleRequest is the example of request.md.
const exampleRequest = `{
  "action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
  "subOperation": "Blob.List",
  "resource": {
    "Microsoft.Storage/storageAccounts:name": "sampleaccount",
    "Microsoft.Storage/storageAccounts/blobServices/containers:name": "container1",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path": "readonly/report.txt",
    "Microsoft.Storage/storageAccounts:isHnsEnabled": false,
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade", "Program": "Alpine"},
    "Microsoft.Storage/storageAccounts/blobServices/containers/metadata": {"testKey": "testValue"}
  },
  "request": {
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix": "logs/",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId": "2022-06-01T23:38:32.8883645Z",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Baker"}
  },
  "principal": {
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"]
  },
  "environment": {
    "isPrivateLink": true,
    "Microsoft.Network/privateEndpoints": "/subscriptions/…/privateEndpoints/privateendpoint1",
    "UtcNow": "2023-05-01T13:00:00.0000000Z"
  }
}`

// id returns the catalog id of an attribute or dictionary, by its exact catalog name.
func id(t *testing.T, src attrs.Source, name string) attrs.ID {
	t.Helper()
	i, ok := attrs.Default.Lookup(src, name)
	if !ok {
		t.Fatalf("Lookup(%s, %s) failed", src, name)
	}
	return i
}

// ref resolves a reference as written in a condition.
func ref(t *testing.T, src attrs.Source, name string) attrs.Ref {
	t.Helper()
	r, err := attrs.Default.Resolve(src, name)
	if err != nil {
		t.Fatalf("Resolve(%s, %s): %v", src, name, err)
	}
	return r
}

func decode(t *testing.T, doc string) *attrs.Vector {
	t.Helper()
	v := attrs.NewVector(attrs.Default)
	if err := v.UnmarshalJSON([]byte(doc)); err != nil {
		t.Fatalf("UnmarshalJSON: %v\n%s", err, doc)
	}
	return v
}

func wantStrs(t *testing.T, v *attrs.Vector, s attrs.Slot, what string, want ...string) {
	t.Helper()
	if !s.Present {
		t.Errorf("%s: missing, want %q", what, want)
		return
	}
	if s.Kind != attrs.TypeString {
		t.Errorf("%s: kind %v, want String", what, s.Kind)
		return
	}
	if got := v.StrsOf(s); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func wantNums(t *testing.T, v *attrs.Vector, s attrs.Slot, kind attrs.Type, what string, want ...int64) {
	t.Helper()
	if !s.Present {
		t.Errorf("%s: missing, want %v", what, want)
		return
	}
	if s.Kind != kind {
		t.Errorf("%s: kind %v, want %v", what, s.Kind, kind)
		return
	}
	if got := v.NumsOf(s); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestUnmarshalExampleRequest(t *testing.T) {
	v := decode(t, exampleRequest)
	if v.Action() != blobRead {
		t.Errorf("Action = %q", v.Action())
	}
	if !v.HasSubOp() || v.SubOp() != "Blob.List" {
		t.Errorf("SubOp = %q (%v)", v.SubOp(), v.HasSubOp())
	}
	if v.Catalog() != attrs.Default {
		t.Errorf("Catalog() is not attrs.Default")
	}

	wantStrs(t, v, v.Slot(id(t, attrs.Resource, accountName)), "account name", "sampleaccount")
	wantStrs(t, v, v.Slot(id(t, attrs.Resource, containerName)), "container name", "container1")
	wantStrs(t, v, v.Slot(id(t, attrs.Resource, blobPath)), "blob path", "readonly/report.txt")
	wantNums(t, v, v.Slot(id(t, attrs.Resource, isHns)), attrs.TypeBoolean, "isHnsEnabled", 0)

	rtags := id(t, attrs.Resource, blobTags)
	if !v.Slot(rtags).Present {
		t.Errorf("resource tags dictionary not present")
	}
	wantStrs(t, v, v.Entry(rtags, "Project"), "resource tag Project", "Cascade")
	wantStrs(t, v, v.Entry(rtags, "Program"), "resource tag Program", "Alpine")
	if len(v.Entries(rtags)) != 2 {
		t.Errorf("resource tags hold %d entries, want 2", len(v.Entries(rtags)))
	}
	md := id(t, attrs.Resource, metadata)
	wantStrs(t, v, v.Entry(md, "testKey"), "metadata testKey", "testValue")

	wantStrs(t, v, v.Slot(id(t, attrs.Request, blobPrefix)), "prefix", "logs/")
	ver, _ := attrs.ParseDateTime("2022-06-01T23:38:32.8883645Z")
	wantNums(t, v, v.Slot(id(t, attrs.Request, versionID)), attrs.TypeDateTime, "versionId", int64(ver))
	qtags := id(t, attrs.Request, blobTags)
	wantStrs(t, v, v.Entry(qtags, "Project"), "request tag Project", "Baker")
	if v.Entry(qtags, "Program").Present {
		t.Errorf("request tags hold Program, which only the resource tags have")
	}

	proj := ref(t, attrs.Principal, csa+":Engineering_Project")
	if proj.Sel != attrs.SelKey || proj.Key != "Engineering_Project" {
		t.Fatalf("custom security attribute resolves to %+v", proj)
	}
	if proj.ID != id(t, attrs.Principal, csa) {
		t.Errorf("custom security attribute id %d differs from the dictionary's", proj.ID)
	}
	wantStrs(t, v, v.Entry(proj.ID, proj.Key), "Engineering_Project", "Baker", "Cascade")

	wantNums(t, v, v.Slot(id(t, attrs.Environment, privateLink)), attrs.TypeBoolean, "isPrivateLink", 1)
	wantStrs(t, v, v.Slot(id(t, attrs.Environment, privateEP)), "privateEndpoints", "/subscriptions/…/privateEndpoints/privateendpoint1")
	now, _ := attrs.ParseDateTime("2023-05-01T13:00:00Z")
	wantNums(t, v, v.Slot(id(t, attrs.Environment, utcNow)), attrs.TypeDateTime, "UtcNow", int64(now))

	// Everything else is missing.
	set := map[attrs.ID]bool{}
	for _, s := range []struct {
		src  attrs.Source
		name string
	}{
		{attrs.Resource, accountName}, {attrs.Resource, containerName}, {attrs.Resource, blobPath},
		{attrs.Resource, isHns}, {attrs.Resource, blobTags}, {attrs.Resource, metadata},
		{attrs.Request, blobPrefix}, {attrs.Request, versionID}, {attrs.Request, blobTags},
		{attrs.Principal, csa}, {attrs.Environment, privateLink}, {attrs.Environment, privateEP},
		{attrs.Environment, utcNow},
	} {
		set[id(t, s.src, s.name)] = true
	}
	for i := 0; i < attrs.Default.Len(); i++ {
		if s := v.Slot(attrs.ID(i)); s.Present && !set[attrs.ID(i)] {
			a := attrs.Default.Attr(attrs.ID(i))
			t.Errorf("@%s[%s] is present but not in the request", a.Source, a.Name)
		}
	}
	if v.Slot(id(t, attrs.Environment, "Microsoft.Network/virtualNetworks/subnets")).Present {
		t.Errorf("subnet should be missing")
	}
}

func TestUnmarshalNoSubOperation(t *testing.T) {
	v := decode(t, `{"action": "a"}`)
	if v.HasSubOp() || v.SubOp() != "" {
		t.Errorf("absent subOperation: HasSubOp=%v SubOp=%q", v.HasSubOp(), v.SubOp())
	}
	v = decode(t, `{"action": "a", "subOperation": ""}`)
	if !v.HasSubOp() {
		t.Errorf(`"subOperation": "" should be present`)
	}
}

func TestUnmarshalDictionaries(t *testing.T) {
	v := decode(t, `{
  "action": "a",
  "resource": {
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>": "Cascade",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Cost Center<$key_case_sensitive$>": "42",
    "Microsoft.Storage/storageAccounts/blobServices/containers/metadata:testKey": "testValue"
  },
  "principal": {
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"],
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level": 3,
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Levels": [1, -2, 9223372036854775807, -9223372036854775808],
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Lead": true,
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Flags": [false, true],
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Team": "Red",
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Since": "2024-01-01T00:00:00Z",
    "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_None": []
  }
}`)
	tags := id(t, attrs.Resource, blobTags)
	if !v.Slot(tags).Present {
		t.Errorf("tags dictionary not present after a flattened key")
	}
	wantStrs(t, v, v.Entry(tags, "Project"), "tag Project", "Cascade")
	wantStrs(t, v, v.Entry(tags, "Cost Center"), "tag Cost Center", "42")
	flat := ref(t, attrs.Resource, blobTags+":Project<$key_case_sensitive$>")
	if flat.ID != tags || flat.Key != "Project" {
		t.Errorf("flattened tag resolves to %+v", flat)
	}
	md := id(t, attrs.Resource, metadata)
	wantStrs(t, v, v.Entry(md, "testKey"), "metadata testKey", "testValue")

	p := id(t, attrs.Principal, csa)
	wantStrs(t, v, v.Entry(p, "Engineering_Project"), "Engineering_Project", "Baker", "Cascade")
	wantNums(t, v, v.Entry(p, "Engineering_Level"), attrs.TypeInteger, "Engineering_Level", 3)
	wantNums(t, v, v.Entry(p, "Engineering_Levels"), attrs.TypeInteger, "Engineering_Levels", 1, -2, 9223372036854775807, -9223372036854775808)
	wantNums(t, v, v.Entry(p, "Engineering_Lead"), attrs.TypeBoolean, "Engineering_Lead", 1)
	wantNums(t, v, v.Entry(p, "Engineering_Flags"), attrs.TypeBoolean, "Engineering_Flags", 0, 1)
	wantStrs(t, v, v.Entry(p, "Engineering_Team"), "Engineering_Team", "Red")
	// Untyped values keep their JSON kind: a date-like string stays a string.
	wantStrs(t, v, v.Entry(p, "Engineering_Since"), "Engineering_Since", "2024-01-01T00:00:00Z")
	if e := v.Entry(p, "Engineering_None"); !e.Present || e.N != 0 {
		t.Errorf("empty array: %+v, want present with no values", e)
	}
	if v.Entry(p, "Engineering_Missing").Present {
		t.Errorf("absent custom security attribute is present")
	}

	// The dictionaries given as objects, including the custom security attributes.
	v = decode(t, `{"action": "a",
  "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade", "project": "lower", "PROJECT": ["a", "b"]}},
  "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id": {"Engineering_Project": "Baker", "Engineering_Level": 7}}}`)
	wantStrs(t, v, v.Entry(tags, "Project"), "tag Project", "Cascade")
	wantStrs(t, v, v.Entry(tags, "project"), "tag project", "lower")
	wantStrs(t, v, v.Entry(tags, "PROJECT"), "tag PROJECT", "a", "b")
	wantStrs(t, v, v.Entry(p, "Engineering_Project"), "Engineering_Project", "Baker")
	wantNums(t, v, v.Entry(p, "Engineering_Level"), attrs.TypeInteger, "Engineering_Level", 7)
}

func TestEntryIsCaseSensitive(t *testing.T) {
	v := decode(t, `{"action": "a", "resource": {"`+blobTags+`": {"Project": "Cascade"}, "`+metadata+`": {"testKey": "v"}}}`)
	tags := id(t, attrs.Resource, blobTags)
	if !v.Entry(tags, "Project").Present {
		t.Fatalf("tag Project missing")
	}
	for _, k := range []string{"project", "PROJECT", "Project ", " Project", "Projec", ""} {
		if v.Entry(tags, k).Present {
			t.Errorf("Entry(tags, %q) is present; keys are case-sensitive and exact", k)
		}
	}
	md := id(t, attrs.Resource, metadata)
	if v.Entry(md, "testkey").Present || !v.Entry(md, "testKey").Present {
		t.Errorf("metadata lookup is not exact")
	}
	// A dictionary that was not given at all.
	if v.Entry(id(t, attrs.Request, blobTags), "Project").Present {
		t.Errorf("request tags were not given")
	}
}

func TestEmptyArrayAndObjectArePresent(t *testing.T) {
	v := decode(t, `{"action": "a",
  "resource": {"`+blobTags+`": {}, "`+containerName+`": []},
  "request": {"`+listInclude+`": [], "`+versionID+`": []},
  "environment": {"`+privateLink+`": []}}`)
	tags := id(t, attrs.Resource, blobTags)
	if s := v.Slot(tags); !s.Present || len(v.Entries(tags)) != 0 {
		t.Errorf("empty tags object: %+v with %d entries, want present and empty", s, len(v.Entries(tags)))
	}
	for _, c := range []struct {
		src  attrs.Source
		name string
	}{
		{attrs.Resource, containerName}, {attrs.Request, listInclude}, {attrs.Request, versionID},
		{attrs.Environment, privateLink},
	} {
		s := v.Slot(id(t, c.src, c.name))
		if !s.Present || s.N != 0 {
			t.Errorf("@%s[%s] = []: %+v, want present with no values", c.src, c.name, s)
		}
	}
	// A scalar where the attribute is multi-valued is a set of one.
	v = decode(t, `{"action": "a", "request": {"`+listInclude+`": "metadata"}}`)
	wantStrs(t, v, v.Slot(id(t, attrs.Request, listInclude)), "include", "metadata")
	v = decode(t, `{"action": "a", "request": {"`+listInclude+`": ["metadata", "tags", "versions"]}}`)
	wantStrs(t, v, v.Slot(id(t, attrs.Request, listInclude)), "include", "metadata", "tags", "versions")
}

func TestUnmarshalTypedValues(t *testing.T) {
	v := decode(t, `{"action": "`+"Microsoft.Authorization/roleAssignments/write"+`",
  "request": {"`+roleDefID+`": "B24988AC-6180-42A0-AB88-20F7382DD24C",
              "Microsoft.Authorization/roleAssignments:PrincipalId": ["8e3af657a8ff443ca75c2fe8c4bcb635", "00000000-0000-0000-0000-000000000001"],
              "`+versionID+`": ["2024-02-29T14:00:00.1234568+02:00", "2024-02-29T12:00:00Z"]}}`)
	rd := v.Slot(id(t, attrs.Request, roleDefID))
	if !rd.Present || rd.Kind != attrs.TypeGuid || rd.N != 1 {
		t.Fatalf("RoleDefinitionId slot %+v", rd)
	}
	if g := v.GuidsOf(rd)[0]; g.String() != "b24988ac-6180-42a0-ab88-20f7382dd24c" {
		t.Errorf("RoleDefinitionId = %v", g)
	}
	pi := v.Slot(id(t, attrs.Request, "Microsoft.Authorization/roleAssignments:PrincipalId"))
	if gs := v.GuidsOf(pi); len(gs) != 2 || gs[0].String() != "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" || gs[1].String() != "00000000-0000-0000-0000-000000000001" {
		t.Errorf("PrincipalId = %v", gs)
	}
	a, _ := attrs.ParseDateTime("2024-02-29T12:00:00.1234568Z")
	b, _ := attrs.ParseDateTime("2024-02-29T12:00:00Z")
	wantNums(t, v, v.Slot(id(t, attrs.Request, versionID)), attrs.TypeDateTime, "versionId", int64(a), int64(b))
}

// TestUnmarshalReplacesContents: a second document replaces the first entirely.
func TestUnmarshalReplacesContents(t *testing.T) {
	v := decode(t, exampleRequest)
	if err := v.UnmarshalJSON([]byte(`{"action": "b", "resource": {"` + blobTags + `": {"Other": "x"}}}`)); err != nil {
		t.Fatal(err)
	}
	if v.Action() != "b" || v.HasSubOp() {
		t.Errorf("action %q, HasSubOp %v", v.Action(), v.HasSubOp())
	}
	tags := id(t, attrs.Resource, blobTags)
	if v.Entry(tags, "Project").Present || v.Entry(tags, "Program").Present {
		t.Errorf("tags of the first request survive")
	}
	wantStrs(t, v, v.Entry(tags, "Other"), "tag Other", "x")
	for i := 0; i < attrs.Default.Len(); i++ {
		if s := v.Slot(attrs.ID(i)); s.Present && attrs.ID(i) != tags {
			t.Errorf("slot %d (%s) survives the refill", i, attrs.Default.Attr(attrs.ID(i)).Name)
		}
	}
	if p := id(t, attrs.Principal, csa); len(v.Entries(p)) != 0 {
		t.Errorf("custom security attributes survive the refill: %v", v.Entries(p))
	}
}

// errCase is a request document that must be rejected. near, when set, is a substring of doc
// at which RequestError.Offset must point (allowing the separator before it).
type errCase struct {
	name string
	doc  string
	near string
	// msg and hint, when set, must occur in the error's message and hint.
	msg, hint string
}

func reqDoc(section, body string) string {
	return `{"action": "a", "` + section + `": {` + body + `}}`
}

var requestErrorCases = []errCase{
	// Shape.
	{name: "not an object", doc: `["action"]`},
	{name: "empty document", doc: ``},
	{name: "malformed", doc: `{"action": "a",}`},
	{name: "unclosed", doc: `{"action": "a"`},
	{name: "section not an object", doc: `{"action": "a", "resource": []}`, near: `[]`},
	{name: "section null", doc: `{"action": "a", "resource": null}`, near: `null`},
	// Top-level keys.
	{name: "unknown top-level key", doc: `{"action": "a", "actoin": "b"}`, near: `"actoin"`, msg: "actoin", hint: `"action"`},
	{name: "unknown top-level key resources", doc: `{"action": "a", "resources": {}}`, near: `"resources"`, hint: `"resource"`},
	{name: "unknown top-level key case", doc: `{"action": "a", "Environment": {}}`, near: `"Environment"`, hint: `"environment"`},
	{name: "unknown top-level key suboperation", doc: `{"action": "a", "suboperation": "x"}`, near: `"suboperation"`, hint: `"subOperation"`},
	{name: "action not a string", doc: `{"action": 5}`, near: `5`},
	{name: "action null", doc: `{"action": null}`, near: `null`},
	{name: "subOperation not a string", doc: `{"action": "a", "subOperation": ["x"]}`, near: `["x"]`},
	// Missing action.
	{name: "missing action", doc: `{}`, msg: "action"},
	{name: "missing action with attributes", doc: `{"subOperation": "Blob.List", "environment": {"isPrivateLink": true}}`, msg: "action"},
	// Unknown attributes.
	{name: "unknown attribute with hint", doc: reqDoc("resource", `"Microsoft.Storage/storageAccounts/blobServices/containers:nmae": "x"`),
		near: `"Microsoft.Storage/storageAccounts/blobServices/containers:nmae"`, msg: "containers:nmae", hint: containerName},
	{name: "unknown environment attribute", doc: reqDoc("environment", `"isPrivateLnk": true`), near: `"isPrivateLnk"`, hint: "isPrivateLink"},
	{name: "unknown attribute second key", doc: reqDoc("environment", `"isPrivateLink": true, "UtcNo": "2024-01-01T00:00:00Z"`), near: `"UtcNo"`, hint: "UtcNow"},
	{name: "attribute under the wrong source", doc: reqDoc("request", `"isPrivateLink": true`), near: `"isPrivateLink"`, hint: "@Environment[isPrivateLink]"},
	{name: "resource attribute under request", doc: reqDoc("request", `"`+containerName+`": "c"`), near: `"` + containerName + `"`, hint: "@Resource["},
	{name: "request attribute under resource", doc: reqDoc("resource", `"`+blobPrefix+`": "p"`), near: `"` + blobPrefix + `"`, hint: "@Request["},
	{name: "principal attribute under resource", doc: reqDoc("resource", `"`+csa+`:Engineering_Project": "p"`), near: `"` + csa + `:Engineering_Project"`, hint: "@Principal["},
	{name: "keys selector as a key", doc: reqDoc("resource", `"`+blobTags+`&$keys$&": ["Project"]`), near: `"` + blobTags + `&$keys$&"`},
	{name: "tag key without marker", doc: reqDoc("resource", `"`+blobTags+`:Project": "x"`), near: `"` + blobTags + `:Project"`, hint: "<$key_case_sensitive$>"},
	{name: "empty dictionary key", doc: reqDoc("resource", `"`+metadata+`:": "x"`), near: `"` + metadata + `:"`},
	// Wrong JSON type for the catalog type.
	{name: "string for Boolean", doc: reqDoc("environment", `"isPrivateLink": "true"`), near: `"true"`, msg: "isPrivateLink"},
	{name: "number for Boolean", doc: reqDoc("environment", `"isPrivateLink": 1`), near: `1`, msg: "isPrivateLink"},
	{name: "number for String", doc: reqDoc("resource", `"`+containerName+`": 5`), near: `5`, msg: containerName},
	{name: "boolean for String", doc: reqDoc("resource", `"`+containerName+`": true`), near: `true`, msg: containerName},
	{name: "number for DateTime", doc: reqDoc("environment", `"UtcNow": 638000000000000000`), near: `638000000000000000`, msg: "UtcNow"},
	{name: "boolean for Guid", doc: reqDoc("request", `"`+roleDefID+`": false`), near: `false`, msg: roleDefID},
	{name: "object for String", doc: reqDoc("resource", `"`+containerName+`": {"a": "b"}`), near: `{"a"`, msg: containerName},
	{name: "wrong type inside an array", doc: reqDoc("request", `"`+listInclude+`": ["metadata", 5]`), near: `5]`, msg: listInclude},
	{name: "nested array", doc: reqDoc("request", `"`+listInclude+`": [["metadata"]]`), near: `["metadata"]`},
	{name: "object in an array", doc: reqDoc("request", `"`+listInclude+`": [{}]`), near: `{}]`},
	{name: "number for a tag value", doc: reqDoc("resource", `"`+blobTags+`": {"Project": 5}`), near: `5`, msg: "Project"},
	{name: "boolean for a metadata value", doc: reqDoc("resource", `"`+metadata+`": {"k": true}`), near: `true`, msg: "k"},
	{name: "tags as a string", doc: reqDoc("resource", `"`+blobTags+`": "Project=Cascade"`), near: `"Project=Cascade"`, msg: "dictionary"},
	{name: "tags as an array", doc: reqDoc("resource", `"`+blobTags+`": ["Project"]`), near: `["Project"]`},
	{name: "mixed untyped array", doc: reqDoc("principal", `"`+csa+`:A": ["x", 1]`), near: `1]`},
	{name: "object for a custom security attribute", doc: reqDoc("principal", `"`+csa+`:A": {"b": 1}`), near: `{"b"`},
	// null.
	{name: "null attribute", doc: reqDoc("environment", `"isPrivateLink": null`), near: `null`, hint: "leave the attribute out"},
	{name: "null in an array", doc: reqDoc("request", `"`+listInclude+`": ["metadata", null]`), near: `null`},
	{name: "null tag value", doc: reqDoc("resource", `"`+blobTags+`": {"Project": null}`), near: `null`},
	{name: "null dictionary", doc: reqDoc("resource", `"`+blobTags+`": null`), near: `null`},
	{name: "null custom security attribute", doc: reqDoc("principal", `"`+csa+`:A": null`), near: `null`},
	{name: "null subOperation", doc: `{"action": "a", "subOperation": null}`, near: `null`},
	// Numbers.
	{name: "fraction", doc: reqDoc("principal", `"`+csa+`:Level": 1.5`), near: `1.5`, msg: "1.5"},
	{name: "exponent", doc: reqDoc("principal", `"`+csa+`:Level": 1e3`), near: `1e3`, msg: "1e3"},
	{name: "exponent upper", doc: reqDoc("principal", `"`+csa+`:Level": 1E+3`), near: `1E+3`},
	{name: "fraction zero", doc: reqDoc("principal", `"`+csa+`:Level": 2.0`), near: `2.0`},
	{name: "fraction in array", doc: reqDoc("principal", `"`+csa+`:Level": [1, 2.5]`), near: `2.5`},
	{name: "int64 overflow", doc: reqDoc("principal", `"`+csa+`:Level": 9223372036854775808`), near: `9223372036854775808`, msg: "9223372036854775808"},
	{name: "int64 underflow", doc: reqDoc("principal", `"`+csa+`:Level": -9223372036854775809`), near: `-9223372036854775809`},
	{name: "huge integer", doc: reqDoc("principal", `"`+csa+`:Level": 100000000000000000000000000000`), near: `100000000000000000000000000000`},
	// Bad DateTime and Guid.
	{name: "bad DateTime", doc: reqDoc("environment", `"UtcNow": "2023-05-01 13:00:00Z"`), near: `"2023-05-01 13:00:00Z"`, msg: "UtcNow"},
	{name: "DateTime without zone", doc: reqDoc("environment", `"UtcNow": "2023-05-01T13:00:00"`), near: `"2023-05-01T13:00:00"`},
	{name: "DateTime with 8 fraction digits", doc: reqDoc("request", `"`+versionID+`": "2022-06-01T23:38:32.88836451Z"`), near: `"2022-06-01T23:38:32.88836451Z"`},
	{name: "DateTime non-leap", doc: reqDoc("environment", `"UtcNow": "2023-02-29T00:00:00Z"`), near: `"2023-02-29T00:00:00Z"`},
	{name: "bad DateTime in an array", doc: reqDoc("request", `"`+versionID+`": ["2022-06-01T23:38:32Z", "yesterday"]`), near: `"yesterday"`},
	{name: "bad Guid", doc: reqDoc("request", `"`+roleDefID+`": "not-a-guid"`), near: `"not-a-guid"`, msg: roleDefID},
	{name: "Guid too short", doc: reqDoc("request", `"`+roleDefID+`": "b24988ac-6180-42a0-ab88-20f7382dd24"`), near: `"b24988ac-6180-42a0-ab88-20f7382dd24"`},
	{name: "Guid with braces", doc: reqDoc("request", `"`+roleDefID+`": "{b24988ac-6180-42a0-ab88-20f7382dd24c}"`), near: `"{b24988ac`},
	// Duplicate keys.
	{name: "duplicate action", doc: `{"action": "a", "action": "b"}`, near: `"action": "b"`, msg: "duplicate"},
	{name: "duplicate section", doc: `{"action": "a", "environment": {}, "environment": {}}`, near: `"environment": {}}`, msg: "duplicate"},
	{name: "duplicate attribute", doc: reqDoc("environment", `"isPrivateLink": true, "isPrivateLink": false`), near: `"isPrivateLink": false`, msg: "duplicate"},
	{name: "duplicate tag key", doc: reqDoc("resource", `"`+blobTags+`": {"Project": "a", "Project": "b"}`), near: `"Project": "b"`, msg: "duplicate"},
	{name: "duplicate flattened key", doc: reqDoc("principal", `"`+csa+`:A": "x", "`+csa+`:A": "y"`), near: `"` + csa + `:A": "y"`, msg: "duplicate"},
	// Trailing data.
	{name: "trailing object", doc: `{"action": "a"} {}`, near: ` {}`},
	{name: "trailing word", doc: `{"action": "a"} x`, near: ` x`},
	{name: "trailing bracket", doc: `{"action": "a"}]`, near: `]`},
	{name: "trailing comma", doc: `{"action": "a"},`, near: `,`},
	{name: "trailing number", doc: `{"action": "a"}1`, near: `1`},
	{name: "second request", doc: `{"action": "a"}{"action": "b"}`, near: `{"action": "b"}`},
}

func TestUnmarshalErrors(t *testing.T) {
	for _, c := range requestErrorCases {
		t.Run(c.name, func(t *testing.T) {
			v := attrs.NewVector(attrs.Default)
			err := v.UnmarshalJSON([]byte(c.doc))
			if err == nil {
				t.Fatalf("accepted %s", c.doc)
			}
			var re *attrs.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %T %v is not a *RequestError", err, err)
			}
			if re.Offset < 0 || re.Offset > int64(len(c.doc)) {
				t.Errorf("Offset %d outside the document (%d bytes)", re.Offset, len(c.doc))
			}
			if c.msg != "" && !strings.Contains(re.Msg, c.msg) {
				t.Errorf("message %q does not mention %q", re.Msg, c.msg)
			}
			if c.hint != "" && !strings.Contains(re.Hint, c.hint) {
				t.Errorf("hint %q does not contain %q (message %q)", re.Hint, c.hint, re.Msg)
			}
			if re.Error() != re.Msg {
				t.Errorf("Error() = %q, Msg = %q", re.Error(), re.Msg)
			}
		})
	}
}

// TestRequestErrorOffsetNear: the offset lies between the separator before the offending key or
// value and its end.
func TestRequestErrorOffsetNear(t *testing.T) {
	for _, c := range requestErrorCases {
		if c.near == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			err := attrs.NewVector(attrs.Default).UnmarshalJSON([]byte(c.doc))
			var re *attrs.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RequestError", err)
			}
			at := strings.LastIndex(c.doc, c.near)
			if at < 0 {
				t.Fatalf("bad test: %q not in %q", c.near, c.doc)
			}
			lo := strings.LastIndexAny(c.doc[:at], ",{[:}")
			if lo < 0 {
				lo = 0
			}
			hi := at + len(c.near)
			if off := int(re.Offset); off < lo || off > hi {
				t.Errorf("Offset %d, want within [%d, %d] around %q:\n%s\n%s^", off, lo, hi, c.near, c.doc, strings.Repeat(" ", max(0, min(off, len(c.doc)))))
			}
		})
	}
}

// lineOf returns the 1-based line of byte offset off.
func lineOf(doc string, off int) int {
	if off > len(doc) {
		off = len(doc)
	}
	return strings.Count(doc[:off], "\n") + 1
}

// TestRequestErrorOffsetLine: in a pretty-printed request (the usual form), the offset is on the
// line of the offending key, so that `abacc eval` reports FILE:LINE:COL at the right line.
func TestRequestErrorOffsetLine(t *testing.T) {
	cases := []struct{ name, doc, near string }{
		{"unknown top-level key", "{\n  \"action\": \"a\",\n  \"actoin\": \"b\"\n}", `"actoin"`},
		{"duplicate top-level key", "{\n  \"action\": \"a\",\n  \"action\": \"b\"\n}", `"action": "b"`},
		{"unknown attribute, first key", "{\n  \"action\": \"a\",\n  \"environment\": {\n    \"isPrivateLnk\": true\n  }\n}", `"isPrivateLnk"`},
		{"unknown attribute, second key", "{\n  \"action\": \"a\",\n  \"environment\": {\n    \"isPrivateLink\": true,\n    \"UtcNo\": \"x\"\n  }\n}", `"UtcNo"`},
		{"duplicate attribute", "{\n  \"action\": \"a\",\n  \"environment\": {\n    \"isPrivateLink\": true,\n    \"isPrivateLink\": false\n  }\n}", `"isPrivateLink": false`},
		{"wrong type", "{\n  \"action\": \"a\",\n  \"environment\": {\n    \"isPrivateLink\": \"yes\"\n  }\n}", `"yes"`},
		{"bad element in an array", "{\n  \"action\": \"a\",\n  \"request\": {\n    \"" + listInclude + "\": [\n      \"metadata\",\n      5\n    ]\n  }\n}", "5\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := attrs.NewVector(attrs.Default).UnmarshalJSON([]byte(c.doc))
			var re *attrs.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RequestError", err)
			}
			at := strings.LastIndex(c.doc, c.near)
			if got, want := lineOf(c.doc, int(re.Offset)), lineOf(c.doc, at); got != want {
				t.Errorf("%s: Offset %d is on line %d, the problem %s on line %d", re.Msg, re.Offset, got, c.near, want)
			}
		})
	}
}

// TestUnmarshalDuplicateSpellings: the same attribute (or dictionary entry) given twice under
// different JSON keys is a duplicate, like a repeated key: keeping one silently would let a
// typo or a stale entry change a decision. The catalog matches names case-insensitively (as the
// condition language does), and a tag can be given inside its dictionary object or as a
// flattened key.
func TestUnmarshalDuplicateSpellings(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"attribute in two casings", reqDoc("environment", `"isPrivateLink": true, "isprivatelink": false`)},
		{"dictionary in two casings", reqDoc("resource", `"`+blobTags+`": {"Project": "a"}, "`+strings.ToLower(blobTags)+`": {"Project": "b"}`)},
		{"tag as object and flattened", reqDoc("resource", `"`+blobTags+`": {"Project": "a"}, "`+blobTags+`:Project<$key_case_sensitive$>": "b"`)},
		{"custom security attribute as object and flattened", reqDoc("principal", `"`+csa+`": {"A": "x"}, "`+csa+`:A": "y"`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := attrs.NewVector(attrs.Default)
			if err := v.UnmarshalJSON([]byte(c.doc)); err == nil {
				t.Errorf("accepted a request giving one attribute twice (the last value silently wins):\n%s", c.doc)
			}
		})
	}
}

func TestUnmarshalAcceptsEdges(t *testing.T) {
	for _, doc := range []string{
		`{"action": "a"}`,
		" \n\t{\"action\": \"a\"}\n\t ",
		`{"resource": {}, "request": {}, "principal": {}, "environment": {}, "action": "a"}`,
		reqDoc("principal", `"`+csa+`:Level": 9223372036854775807`),
		reqDoc("principal", `"`+csa+`:Level": -9223372036854775808`),
		reqDoc("principal", `"`+csa+`:Level": -0`),
		reqDoc("environment", `"isprivatelink": true`), // the catalog matches names case-insensitively
	} {
		if err := attrs.NewVector(attrs.Default).UnmarshalJSON([]byte(doc)); err != nil {
			t.Errorf("rejected %s: %v", doc, err)
		}
	}
}

// --- Typed setters ---

func TestSettersFillSlots(t *testing.T) {
	v := attrs.NewVector(attrs.Default)
	name := id(t, attrs.Resource, containerName)
	include := id(t, attrs.Request, listInclude)
	hns := id(t, attrs.Resource, isHns)
	now := id(t, attrs.Environment, utcNow)
	rd := id(t, attrs.Request, roleDefID)
	tags := id(t, attrs.Resource, blobTags)
	p := id(t, attrs.Principal, csa)
	g, _ := attrs.ParseGuid("b24988ac-6180-42a0-ab88-20f7382dd24c")
	inst, _ := attrs.ParseDateTime("2024-02-29T12:00:00Z")

	v.SetAction(blobRead)
	v.SetSubOperation("Blob.List")
	for _, err := range []error{
		v.SetString(name, "c1"),
		v.SetStrings(include, "metadata", "tags"),
		v.SetBool(hns, true),
		v.SetDateTimes(now, inst),
		v.SetGuids(rd, g),
		v.SetKeyStrings(tags, "Project", "Cascade"),
		v.SetKeyStrings(tags, "Program", "Alpine"),
		v.SetKeyStrings(tags, "Project", "Baker"), // replaces
		v.SetKeyInts(p, "Level", 3, 4),
		v.SetKeyBools(p, "Lead", true),
		v.SetKeyStrings(p, "Team", "Red"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if v.Action() != blobRead || v.SubOp() != "Blob.List" || !v.HasSubOp() {
		t.Errorf("action/subop: %q %q %v", v.Action(), v.SubOp(), v.HasSubOp())
	}
	wantStrs(t, v, v.Slot(name), "container name", "c1")
	wantStrs(t, v, v.Slot(include), "include", "metadata", "tags")
	wantNums(t, v, v.Slot(hns), attrs.TypeBoolean, "isHnsEnabled", 1)
	wantNums(t, v, v.Slot(now), attrs.TypeDateTime, "UtcNow", int64(inst))
	if gs := v.GuidsOf(v.Slot(rd)); len(gs) != 1 || gs[0] != g || v.Slot(rd).Kind != attrs.TypeGuid {
		t.Errorf("RoleDefinitionId = %v", gs)
	}
	if !v.Slot(tags).Present || len(v.Entries(tags)) != 2 {
		t.Errorf("tags: %+v %v", v.Slot(tags), v.Entries(tags))
	}
	wantStrs(t, v, v.Entry(tags, "Project"), "tag Project", "Baker")
	wantStrs(t, v, v.Entry(tags, "Program"), "tag Program", "Alpine")
	wantNums(t, v, v.Entry(p, "Level"), attrs.TypeInteger, "Level", 3, 4)
	wantNums(t, v, v.Entry(p, "Lead"), attrs.TypeBoolean, "Lead", 1)
	wantStrs(t, v, v.Entry(p, "Team"), "Team", "Red")

	// Empty: present with no values.
	if err := v.SetStrings(include); err != nil {
		t.Fatal(err)
	}
	if s := v.Slot(include); !s.Present || s.N != 0 {
		t.Errorf("SetStrings(include) with no values: %+v", s)
	}
	md := id(t, attrs.Resource, metadata)
	if err := v.SetDict(md); err != nil {
		t.Fatal(err)
	}
	if !v.Slot(md).Present || len(v.Entries(md)) != 0 {
		t.Errorf("SetDict: %+v %v", v.Slot(md), v.Entries(md))
	}

	v.Reset()
	if v.Action() != "" || v.SubOp() != "" || v.HasSubOp() {
		t.Errorf("Reset left action/subop: %q %q %v", v.Action(), v.SubOp(), v.HasSubOp())
	}
	for i := 0; i < attrs.Default.Len(); i++ {
		if s := v.Slot(attrs.ID(i)); s.Present {
			t.Errorf("Reset left slot %d present", i)
		}
	}
	for i := 0; i < attrs.Default.Len(); i++ {
		if d := v.Entries(attrs.ID(i)); len(d) != 0 {
			t.Errorf("Reset left dictionary %d with %d entries", i, len(d))
		}
	}
	if v.ArenaLen() != 0 {
		t.Errorf("Reset left %d values in the arenas", v.ArenaLen())
	}
}

func TestSettersRejectWrongType(t *testing.T) {
	v := attrs.NewVector(attrs.Default)
	name := id(t, attrs.Resource, containerName)
	hns := id(t, attrs.Resource, isHns)
	now := id(t, attrs.Environment, utcNow)
	rd := id(t, attrs.Request, roleDefID)
	tags := id(t, attrs.Resource, blobTags)
	md := id(t, attrs.Resource, metadata)
	p := id(t, attrs.Principal, csa)
	var g attrs.Guid
	cases := []struct {
		what string
		err  error
	}{
		{"SetString on a Boolean", v.SetString(hns, "true")},
		{"SetStrings on a Boolean", v.SetStrings(hns, "true")},
		{"SetString on a DateTime", v.SetString(now, "2024-01-01T00:00:00Z")},
		{"SetStrings on a DateTime", v.SetStrings(now, "2024-01-01T00:00:00Z")},
		{"SetString on a Guid", v.SetString(rd, "b24988ac-6180-42a0-ab88-20f7382dd24c")},
		{"SetBool on a String", v.SetBool(name, true)},
		{"SetBool on a DateTime", v.SetBool(now, true)},
		{"SetInts on a String", v.SetInts(name, 1)},
		{"SetInts on a Boolean", v.SetInts(hns, 1)},
		{"SetDateTimes on a String", v.SetDateTimes(name, 0)},
		{"SetDateTimes on a Guid", v.SetDateTimes(rd, 0)},
		{"SetGuids on a String", v.SetGuids(name, g)},
		{"SetGuids on a DateTime", v.SetGuids(now, g)},
		// Dictionaries versus plain attributes.
		{"SetString on a dictionary", v.SetString(tags, "x")},
		{"SetStrings on a dictionary", v.SetStrings(md, "x")},
		{"SetString on the custom security attributes", v.SetString(p, "x")},
		{"SetInts on the custom security attributes", v.SetInts(p, 1)},
		{"SetBool on the custom security attributes", v.SetBool(p, true)},
		{"SetKeyStrings on a plain attribute", v.SetKeyStrings(name, "k", "x")},
		{"SetKeyInts on a plain attribute", v.SetKeyInts(hns, "k", 1)},
		{"SetKeyBools on a plain attribute", v.SetKeyBools(hns, "k", true)},
		{"SetDict on a plain attribute", v.SetDict(name)},
		// Typed dictionaries.
		{"SetKeyInts on tags", v.SetKeyInts(tags, "Project", 1)},
		{"SetKeyBools on metadata", v.SetKeyBools(md, "k", true)},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: accepted", c.what)
			continue
		}
		var se *attrs.SetError
		if !errors.As(c.err, &se) {
			t.Errorf("%s: error %T is not a *SetError", c.what, c.err)
		}
		if !strings.Contains(c.err.Error(), "@") {
			t.Errorf("%s: error %q does not name the attribute", c.what, c.err)
		}
	}
	for i := 0; i < attrs.Default.Len(); i++ {
		if s := v.Slot(attrs.ID(i)); s.Present {
			t.Errorf("a rejected setter left slot %d present", i)
		}
	}
	if msg := v.SetString(tags, "x").Error(); !strings.Contains(msg, "dictionary") {
		t.Errorf("SetString on a dictionary: %q should say it is a dictionary", msg)
	}
	if msg := v.SetString(hns, "x").Error(); !strings.Contains(msg, "Boolean") || !strings.Contains(msg, "String") {
		t.Errorf("SetString on a Boolean: %q should name both types", msg)
	}
}

// TestSetErrorKeyedSetterOnPlainAttribute: a keyed setter on a plain attribute is rejected, and
// the message should say why (the attribute is not a dictionary), not name a type "untyped".
func TestSetErrorKeyedSetterOnPlainAttribute(t *testing.T) {
	v := attrs.NewVector(attrs.Default)
	err := v.SetKeyStrings(id(t, attrs.Resource, containerName), "k", "x")
	if err == nil {
		t.Fatal("accepted")
	}
	if msg := err.Error(); !strings.Contains(msg, "not a dictionary") || strings.Contains(msg, "untyped") {
		t.Errorf("SetKeyStrings on a plain String attribute: %q", msg)
	}
}

// TestSettersDoNotAllocate: after one warm-up fill, Reset and refilling through the typed setters
// reuse the vector's storage.
func TestSettersDoNotAllocate(t *testing.T) {
	v := attrs.NewVector(attrs.Default)
	name := id(t, attrs.Resource, containerName)
	path := id(t, attrs.Resource, blobPath)
	include := id(t, attrs.Request, listInclude)
	hns := id(t, attrs.Resource, isHns)
	link := id(t, attrs.Environment, privateLink)
	now := id(t, attrs.Environment, utcNow)
	ver := id(t, attrs.Request, versionID)
	rd := id(t, attrs.Request, roleDefID)
	tags := ref(t, attrs.Resource, blobTags+":Project<$key_case_sensitive$>")
	proj := ref(t, attrs.Principal, csa+":Engineering_Project")
	level := ref(t, attrs.Principal, csa+":Engineering_Level")
	g, _ := attrs.ParseGuid("b24988ac-6180-42a0-ab88-20f7382dd24c")
	t1, _ := attrs.ParseDateTime("2024-02-29T12:00:00Z")
	t2, _ := attrs.ParseDateTime("2024-03-01T12:00:00Z")
	dynamic := []string{"metadata", "tags", "versions"} // a caller's slice

	var failed error
	fill := func() {
		v.Reset()
		v.SetAction(blobRead)
		v.SetSubOperation("Blob.List")
		for _, err := range [...]error{
			v.SetString(name, "container1"),
			v.SetString(path, "readonly/report.txt"),
			v.SetStrings(include, dynamic...),
			v.SetBool(hns, true),
			v.SetBool(link, false),
			v.SetDateTimes(now, t1),
			v.SetDateTimes(ver, t1, t2),
			v.SetGuids(rd, g),
			v.SetKeyStrings(tags.ID, tags.Key, "Cascade"),
			v.SetKeyStrings(tags.ID, "Program", "Alpine"),
			v.SetKeyStrings(proj.ID, proj.Key, "Baker", "Cascade"),
			v.SetKeyInts(level.ID, level.Key, 3),
		} {
			if err != nil && failed == nil {
				failed = err
			}
		}
	}
	fill() // warm-up
	if failed != nil {
		t.Fatal(failed)
	}
	if allocs := testing.AllocsPerRun(200, fill); allocs != 0 {
		t.Errorf("Reset + typed setters allocate %v times per request, want 0", allocs)
	}
	if failed != nil {
		t.Fatal(failed)
	}
	wantStrs(t, v, v.Entry(proj.ID, proj.Key), "Engineering_Project", "Baker", "Cascade")
	wantStrs(t, v, v.Slot(include), "include", "metadata", "tags", "versions")
}

// TestSetIntsDoesNotAllocate covers SetInts, which needs a plain Integer attribute: Azure's
// catalog has none (integers are custom security attributes), so a small catalog supplies one.
func TestSetIntsDoesNotAllocate(t *testing.T) {
	cat := attrs.NewCatalog([]attrs.Attribute{
		{Source: attrs.Request, Name: "Example/count", Type: attrs.TypeInteger, Title: "Count", Service: "Test"},
		{Source: attrs.Request, Name: "Example/name", Type: attrs.TypeString, Title: "Name", Service: "Test"},
	}, nil)
	count, ok := cat.Lookup(attrs.Request, "Example/count")
	if !ok {
		t.Fatal("lookup failed")
	}
	nameID, _ := cat.Lookup(attrs.Request, "Example/name")
	v := attrs.NewVector(cat)
	var failed error
	fill := func() {
		v.Reset()
		if err := v.SetInts(count, 1, -2, 3); err != nil {
			failed = err
		}
		if err := v.SetString(nameID, "x"); err != nil {
			failed = err
		}
	}
	fill()
	if failed != nil {
		t.Fatal(failed)
	}
	if allocs := testing.AllocsPerRun(200, fill); allocs != 0 {
		t.Errorf("Reset + SetInts allocate %v times, want 0", allocs)
	}
	wantNums(t, v, v.Slot(count), attrs.TypeInteger, "count", 1, -2, 3)
	if v.SetInts(nameID, 1) == nil {
		t.Errorf("SetInts on a String attribute accepted")
	}
	if v.SetString(count, "1") == nil {
		t.Errorf("SetString on an Integer attribute accepted")
	}
}

// TestUnmarshalReusesStorage: a second decode of the same document grows no arena.
func TestUnmarshalReusesStorage(t *testing.T) {
	v := decode(t, exampleRequest)
	strs, nums := v.ArenaCaps()
	for i := 0; i < 3; i++ {
		if err := v.UnmarshalJSON([]byte(exampleRequest)); err != nil {
			t.Fatal(err)
		}
	}
	if s2, n2 := v.ArenaCaps(); s2 != strs || n2 != nums {
		t.Errorf("arenas grew on refill: strs %d -> %d, nums %d -> %d", strs, s2, nums, n2)
	}
}

package testgen

import (
	"strings"

	"github.com/abacc/abacc/internal/attrs"
)

// Family is an operator family; it fixes the type of both operands.
type Family uint8

// The operator families.
const (
	StringFamily Family = iota
	IntegerFamily
	BoolFamily
	DateTimeFamily
	GuidFamily
	// NumFamilies is the number of families; a valid Family is below it.
	NumFamilies
)

// String returns the family's type name.
func (f Family) String() string {
	switch f {
	case StringFamily:
		return "String"
	case IntegerFamily:
		return "Integer"
	case BoolFamily:
		return "Boolean"
	case DateTimeFamily:
		return "DateTime"
	case GuidFamily:
		return "Guid"
	}
	return "Family(?)"
}

// Operators returns the family's operators (shared; do not modify).
func (f Family) Operators() []string { return familyOps[f].ops }

// QuantifiableOperators returns the operators of the family that may follow a quantifier
// (shared; do not modify). Boolean and DateTime have none.
func (f Family) QuantifiableOperators() []string { return familyOps[f].quantOps }

// Quantifiers are the quantifier prefixes of a comparison (ForAnyOfAnyValues:…).
var Quantifiers = []string{"ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}

var familyOps = func() [NumFamilies]struct{ ops, quantOps []string } {
	var t [NumFamilies]struct{ ops, quantOps []string }
	for _, ic := range []string{"", "IgnoreCase"} {
		for _, b := range []string{"Equals", "NotEquals", "StartsWith", "NotStartsWith", "Like", "NotLike"} {
			t[StringFamily].ops = append(t[StringFamily].ops, "String"+b+ic)
			if !strings.Contains(b, "StartsWith") {
				t[StringFamily].quantOps = append(t[StringFamily].quantOps, "String"+b+ic)
			}
		}
	}
	t[IntegerFamily].ops = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
	t[IntegerFamily].quantOps = t[IntegerFamily].ops
	t[BoolFamily].ops = []string{"BoolEquals", "BoolNotEquals"}
	t[DateTimeFamily].ops = []string{"DateTimeEquals", "DateTimeNotEquals", "DateTimeLessThan", "DateTimeLessThanEquals", "DateTimeGreaterThan", "DateTimeGreaterThanEquals"}
	t[GuidFamily].ops = []string{"GuidEquals", "GuidNotEquals"}
	t[GuidFamily].quantOps = t[GuidFamily].ops
	return t
}()

// quantifiable reports whether op may follow a quantifier.
func quantifiable(f Family, op string) bool {
	for _, q := range familyOps[f].quantOps {
		if q == op {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------------------------
// Attributes.

// Names of the attributes and actions the generator uses (all in attrs.Default).
const (
	blobsPath = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	blobRead  = blobsPath + "/read"
	tagsDict  = blobsPath + "/tags"
	metaDict  = "Microsoft.Storage/storageAccounts/blobServices/containers/metadata"
	csaDict   = "Microsoft.Directory/CustomSecurityAttributes/Id"
	kcs       = "<$key_case_sensitive$>"
	keysSel   = "&$keys$&"

	saName      = "Microsoft.Storage/storageAccounts:name"
	contName    = "Microsoft.Storage/storageAccounts/blobServices/containers:name"
	raPrefix    = "Microsoft.Authorization/roleAssignments:"
	encScope    = "Microsoft.Storage/storageAccounts/encryptionScopes:name"
	queueName   = "Microsoft.Storage/storageAccounts/queueServices/queues:name"
	kvVault     = "Microsoft.KeyVault/vaults:name"
	kvSecret    = "Microsoft.KeyVault/vaults/secrets:name"
	repoName    = "Microsoft.ContainerRegistry/registries/repositories:name"
	privEndp    = "Microsoft.Network/privateEndpoints"
	subnets     = "Microsoft.Network/virtualNetworks/subnets"
	isCurrent   = blobsPath + ":isCurrentVersion"
	hnsEnabled  = "Microsoft.Storage/storageAccounts:isHnsEnabled"
	blobPath    = blobsPath + ":path"
	blobPrefix  = blobsPath + ":prefix"
	blobInclude = blobsPath + ":include"
	snapshot    = blobsPath + ":snapshot"
	versionID   = blobsPath + ":versionId"
)

// Selector says which part of an attribute a reference reads.
type Selector uint8

// The selectors.
const (
	WholeValue Selector = iota // @Source[name]
	DictKey                    // @Source[dict:key], with <$key_case_sensitive$> when CaseSensitiveKey
	DictKeys                   // @Source[dict&$keys$&]: the dictionary's key set
)

// Attr is one attribute reference a condition can make.
type Attr struct {
	Source           string // Resource, Request, Principal or Environment
	Base             string // catalog name (the dictionary's, for DictKey and DictKeys)
	Selector         Selector
	Key              string // DictKey: the key
	CaseSensitiveKey bool   // DictKey: written KEY<$key_case_sensitive$>
	Family           Family
	Multi            bool // multi-valued: only on the left of a quantifier, or on the right of anything
}

// nameWith returns the text between the brackets of the reference, the catalog name spelled
// base (which may be in another case).
func (a Attr) nameWith(base string) string {
	switch a.Selector {
	case DictKey:
		if a.CaseSensitiveKey {
			return base + ":" + a.Key + kcs
		}
		return base + ":" + a.Key
	case DictKeys:
		return base + keysSel
	}
	return base
}

// memoryKey identifies an attribute (or a dictionary key) on both sides, in conditions and in
// requests; "" for a key set, which requests do not give values to directly.
func (a Attr) memoryKey() string {
	if a.Selector == DictKeys {
		return ""
	}
	return memoryKey(a.Source, a.Base, a.Key)
}

func memoryKey(src, base, key string) string { return strings.ToLower(src + "|" + base + "|" + key) }

// untyped reports whether the attribute's type comes from how a condition uses it (custom
// security attributes): a condition must use it with one family only.
func (a Attr) untyped() bool { return a.Source == "Principal" && a.Base == csaDict }

func plain(src, name string, f Family) Attr {
	return Attr{Source: src, Base: name, Family: f}
}

func tag(src, key string) Attr {
	return Attr{Source: src, Base: tagsDict, Selector: DictKey, Key: key, CaseSensitiveKey: true, Family: StringFamily}
}

func meta(key string) Attr {
	return Attr{Source: "Resource", Base: metaDict, Selector: DictKey, Key: key, Family: StringFamily}
}

func csa(key string, f Family) Attr {
	return Attr{Source: "Principal", Base: csaDict, Selector: DictKey, Key: key, Family: f}
}

// singleAttrs[f] are the single-valued references of family f (a few twice, to weigh them);
// multiAttrs[f] the multi-valued ones. The custom security attribute Any is used as String or
// Integer, whichever a condition uses it as first.
var singleAttrs = [NumFamilies][]Attr{
	StringFamily: {
		plain("Resource", saName, StringFamily), plain("Resource", contName, StringFamily), plain("Resource", blobPath, StringFamily),
		plain("Resource", encScope, StringFamily), plain("Resource", queueName, StringFamily), plain("Resource", raPrefix+"PrincipalType", StringFamily),
		plain("Resource", kvVault, StringFamily), plain("Resource", kvSecret, StringFamily), plain("Request", blobPrefix, StringFamily),
		plain("Request", raPrefix+"PrincipalType", StringFamily), plain("Request", repoName, StringFamily), plain("Request", kvSecret, StringFamily),
		plain("Environment", privEndp, StringFamily), plain("Environment", subnets, StringFamily),
		tag("Resource", "Project"), tag("Resource", "Team"), tag("Resource", "a:b"), tag("Resource", "project"),
		tag("Request", "Project"), tag("Request", "Team"),
		meta("testKey"), meta("classification"),
		csa("Project", StringFamily), csa("Project", StringFamily), csa("Any", StringFamily),
	},
	IntegerFamily: {csa("Level", IntegerFamily), csa("Level", IntegerFamily), csa("Any", IntegerFamily)},
	BoolFamily: {
		plain("Environment", "isPrivateLink", BoolFamily), plain("Resource", hnsEnabled, BoolFamily),
		plain("Resource", isCurrent, BoolFamily), csa("Flag", BoolFamily),
	},
	DateTimeFamily: {
		plain("Environment", "UtcNow", DateTimeFamily), plain("Request", versionID, DateTimeFamily),
		plain("Request", snapshot, DateTimeFamily), csa("When", DateTimeFamily),
	},
	GuidFamily: {
		plain("Request", raPrefix+"RoleDefinitionId", GuidFamily), plain("Request", raPrefix+"PrincipalId", GuidFamily),
		plain("Resource", raPrefix+"RoleDefinitionId", GuidFamily), plain("Resource", raPrefix+"PrincipalId", GuidFamily),
		csa("Id", GuidFamily),
	},
}

var multiAttrs = [NumFamilies][]Attr{
	StringFamily: {
		{Source: "Request", Base: blobInclude, Family: StringFamily, Multi: true},
		{Source: "Resource", Base: tagsDict, Selector: DictKeys, Family: StringFamily, Multi: true},
		{Source: "Request", Base: tagsDict, Selector: DictKeys, Family: StringFamily, Multi: true},
	},
}

// ---------------------------------------------------------------------------------------------
// Value pools.

// Characters strings are built from: case-folding orbits of every size (ß ẞ; s S ſ; k K K;
// σ ς Σ; µ μ Μ; ͅ ι Ι ι), characters without simple folds (İ ı ﬀ), wildcards and escapes,
// separators, multi-byte and astral characters, U+FFFD. None is a quote or a control character,
// so they may appear in condition literals.
var condRunes = []string{
	"a", "A", "b", "B", "k", "K", "s", "S", "x", "y", "z", "ß", "ẞ", "ſ", "\u212A", "σ", "ς", "Σ", "i", "I", "İ", "ı",
	"ǅ", "Ǆ", "ǆ", "µ", "μ", "Μ", "\u0345", "ι", "\u1FBE", "Ω", "\u2126", "ω", "é", "É", "e\u0301", "😀", "\uFFFD",
	"/", ".", "-", " ", "0", "1", "*", "?", "\\", "ﬀ", "Ⅰ", "ⅰ", "ǰ", "\u00a0",
}

// More characters for request values: quotes and controls (JSON escapes them).
var reqOnlyRunes = []string{"'", "\"", "\n", "\x00", "\t", "\u2028"}

// Invalid UTF-8, possible only through the typed setters (JSON decoding replaces it).
var invalidUTF8 = []string{"\xff", "\xe2\x82", "\xc0\x80", "\xed\xa0\x80", "\x80", "\xf0\x9f\x98"}

// strPool are strings for literals and requests alike, so that comparisons are often true.
var strPool = []string{
	"", "a", "A", "ab", "abc", "ä", "Ä", "ß", "SS", "ss", "σ", "Σ", "ς", "\u212A", "k", "K", "x/y/z", "a*b", "a?b", `a\b`,
	"Project", "Team", "project", "Cascade", "Baker", "cascade", "logs/", "logs/2023/app.log", "readonly/report.txt",
	"container1", "sampleaccount", "User", "ServicePrincipal", "Snapshots", "Versions", "ǅ", "İ", "ı", "\uFFFD", "😀",
}

// reqStrPool is strPool and strings only requests carry: near misses of the literals, and
// numbers as strings (for custom security attributes a condition reads as Integer).
var reqStrPool = append(append([]string(nil), strPool...),
	"aXb", "x/z", "ABC", "a**b", `a\\b`, "Σσς", "a\u212A", "\u212Ab", "ßa", "Kß", "x/Y/z", "5", "-1")

var patPool = []string{
	"*", "a*", "*b", "a*b", "?", "??", "a?", "a?b", `a\*b`, `a\?b`, `a\\b`, `a\b`, "x/*", "*/z", "x*z", "Σ*", "σ?",
	"k*", "*K", "P*", `*\`, `\`, `\\`, "*a*", "**", "?*?", `\*`, `\?`, "ß*", "SS*", "?/y/?", "*ς", "*k", "\u212A*",
	"*/Y/*", "*ß", "a*\u212A", "logs/*", "*.txt", "readonly/*", "*\uFFFD", "\uFFFD", "a\uFFFD*", "*\uFFFD*", "?\uFFFD",
	"Cas*", "*ade", "*sca*", "C?scade",
}

// fffdPats are the patterns of patPool that hold U+FFFD.
var fffdPats = func() []string {
	var out []string
	for _, p := range patPool {
		if strings.Contains(p, "\uFFFD") {
			out = append(out, p)
		}
	}
	return out
}()

// LikePatterns returns the StringLike patterns the generator draws from (a copy), for seeds.
func LikePatterns() []string { return append([]string(nil), patPool...) }

var intPool = []int64{-9223372036854775808, -9223372036854775807, -100, -2, -1, 0, 1, 2, 3, 4, 5, 6, 10, 100,
	9223372036854775806, 9223372036854775807}

// DateTimes: a few instants, each written several ways, and the extremes.
var datePool = []string{
	"2023-05-01T13:00:00Z", "2023-05-01T13:00:00.0000000Z", "2023-05-01T15:00:00+02:00", "2023-05-01T08:30:00-04:30",
	"2023-05-01T13:00:00.0Z", "2023-05-01T13:00:00.0000001Z", "2023-05-01T14:00:00.0000001+01:00",
	"2023-05-01T12:59:59.9999999Z", "2023-05-01T12:59:59.9999999+00:00", "1999-12-31T23:59:59.9999999Z",
	"2000-01-01T00:59:59.9999999+01:00", "2023-05-01T13:00:00.5Z", "2023-05-01T13:00:00.50+00:00",
	"2024-03-01T00:30:00Z", "2024-02-29T23:30:00-01:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00",
	"0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999-14:00",
	"9999-12-31T23:59:59.9999999+14:00", "2022-06-01T23:38:32.8883645Z",
}

var guidPool = []string{
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "5e467623-bb1f-42f4-a55d-6e525e11384b", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
	"12345678-1234-1234-1234-123456789abc", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
	"80000000-0000-0000-8000-000000000000", "7fffffff-ffff-ffff-7fff-ffffffffffff",
}

var subOpPool = []string{"Blob.List", "blob.list", "Blob.Write.Tier", "BLOB.LIST", "Blob.Read.WithTagConditions",
	"Blob.Write.WithTagHeaders", "Blob.Write.ManualTagging", "", "ǅ", "ß"}

var wildActionPool = []string{
	blobsPath + "/*", "Microsoft.Storage/*", "*", "*/read", "*/messages/*", "*blobs*", "Microsoft.Authorization/roleAssignments/*",
	"microsoft.storage/*/READ", "**", "*/*", "*write", "Microsoft.Storage/storageAccounts/*/containers/*/tags/*",
}

// actionNames are the catalog's actions and a few that are not (in another case, odd, empty).
var actionNames = func() []string {
	var out []string
	for _, a := range attrs.Default.Actions() {
		out = append(out, a.Name)
	}
	return append(out, blobRead[:len(blobRead)-4]+"READ", "Ǆ/ß", "")
}()

// guardActions are the exact actions action-guarded blocks mostly test: the first catalog
// actions (blobs, role assignments) and a queue action.
var guardActions = append(append([]string(nil), actionNames[:min(len(actionNames), 12)]...),
	"Microsoft.Storage/storageAccounts/queueServices/queues/messages/read")

// canonicalLits are the literals shrinking replaces others by.
var canonicalLits = [NumFamilies]string{
	StringFamily:   "''",
	IntegerFamily:  "0",
	BoolFamily:     "true",
	DateTimeFamily: "'" + datePool[0] + "'",
	GuidFamily:     guidPool[0],
}

package fuzz

// The structured decoder of FuzzDifferential: fuzz bytes drive a generator of conditions and
// requests, choosing among grammar productions and value pools, so that nearly every input is
// a well-typed condition and a loadable request. Literals the condition uses are remembered and
// requests draw from them (varied under case folding), so that comparisons are often true.

import (
	"encoding/json"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"strconv"
	"strings"
	"unicode"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
)

// stream hands out the fuzz bytes as choices. Past the end of the input it continues with a
// pseudo-random sequence seeded by a hash of the whole input, so that short inputs still give
// rich requests; generation is bounded (depth, set sizes), so every input decodes to a
// finished case.
type stream struct {
	b     []byte
	i     int
	state uint64
}

func (s *stream) byte() byte {
	if s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		return c
	}
	if s.state == 0 {
		h := uint64(14695981039346656037) // FNV-1a
		for _, c := range s.b {
			h = (h ^ uint64(c)) * 1099511628211
		}
		s.state = h | 1
	}
	// xorshift64*
	s.state ^= s.state >> 12
	s.state ^= s.state << 25
	s.state ^= s.state >> 27
	return byte((s.state * 2685821657736338717) >> 56)
}

// n returns a choice in [0, k).
func (s *stream) n(k int) int {
	if k <= 1 {
		return 0
	}
	v := int(s.byte())
	if k > 256 {
		v = v<<8 | int(s.byte())
	}
	return v % k
}

// pct returns a choice in [0, 100).
func (s *stream) pct() int { return s.n(100) }

func (s *stream) u64() uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v = v<<8 | uint64(s.byte())
	}
	return v
}

func pick[T any](s *stream, xs []T) T { return xs[s.n(len(xs))] }

// ---------------------------------------------------------------------------------------------
// Vocabulary.

type family uint8

const (
	fStr family = iota
	fInt
	fBool
	fDate
	fGuid
)

// attrDef is one attribute reference a condition can make.
type attrDef struct {
	src    string // Resource, Request, Principal, Environment
	base   string // catalog name (the dictionary's for keyed references)
	sel    byte   // 'v' plain value, 'k' dictionary key, 'K' key set
	key    string
	tagged bool // dictionary keys written KEY<$key_case_sensitive$>
	fam    family
	multi  bool
}

func (a attrDef) name(base string) string {
	switch a.sel {
	case 'k':
		if a.tagged {
			return base + ":" + a.key + kcs
		}
		return base + ":" + a.key
	case 'K':
		return base + "&$keys$&"
	}
	return base
}

const (
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
	isCurrent   = blobs + ":isCurrentVersion"
	hnsEnabled  = "Microsoft.Storage/storageAccounts:isHnsEnabled"
	blobPath    = blobs + ":path"
	blobPrefix  = blobs + ":prefix"
	blobInclude = blobs + ":include"
	snapshot    = blobs + ":snapshot"
	versionID   = blobs + ":versionId"
)

func plain(src, name string, f family) attrDef {
	return attrDef{src: src, base: name, sel: 'v', fam: f}
}
func tag(src, key string) attrDef {
	return attrDef{src: src, base: tagsDict, sel: 'k', key: key, tagged: true, fam: fStr}
}
func meta(key string) attrDef {
	return attrDef{src: "Resource", base: metaDict, sel: 'k', key: key, fam: fStr}
}
func csa(key string, f family) attrDef {
	return attrDef{src: "Principal", base: csaPrefix, sel: 'k', key: key, fam: f}
}

// single[f] are the single-valued references of family f; multi[f] the multi-valued ones.
var single = [...][]attrDef{
	fStr: {
		plain("Resource", saName, fStr), plain("Resource", contName, fStr), plain("Resource", blobPath, fStr),
		plain("Resource", encScope, fStr), plain("Resource", queueName, fStr), plain("Resource", raPrefix+"PrincipalType", fStr),
		plain("Resource", kvVault, fStr), plain("Resource", kvSecret, fStr), plain("Request", blobPrefix, fStr),
		plain("Request", raPrefix+"PrincipalType", fStr), plain("Request", repoName, fStr), plain("Request", kvSecret, fStr),
		plain("Environment", privEndp, fStr), plain("Environment", subnets, fStr),
		tag("Resource", "Project"), tag("Resource", "Team"), tag("Resource", "a:b"), tag("Resource", "project"),
		tag("Request", "Project"), tag("Request", "Team"),
		meta("testKey"), meta("classification"),
		csa("Project", fStr), csa("Project", fStr), csa("Any", fStr),
	},
	fInt:  {csa("Level", fInt), csa("Level", fInt), csa("Any", fInt)},
	fBool: {plain("Environment", "isPrivateLink", fBool), plain("Resource", hnsEnabled, fBool), plain("Resource", isCurrent, fBool), csa("Flag", fBool)},
	fDate: {plain("Environment", "UtcNow", fDate), plain("Request", versionID, fDate), plain("Request", snapshot, fDate), csa("When", fDate)},
	fGuid: {
		plain("Request", raPrefix+"RoleDefinitionId", fGuid), plain("Request", raPrefix+"PrincipalId", fGuid),
		plain("Resource", raPrefix+"RoleDefinitionId", fGuid), plain("Resource", raPrefix+"PrincipalId", fGuid), csa("Id", fGuid),
	},
}

var multi = [...][]attrDef{
	fStr: {
		{src: "Request", base: blobInclude, sel: 'v', fam: fStr, multi: true},
		{src: "Resource", base: tagsDict, sel: 'K', fam: fStr, multi: true},
		{src: "Request", base: tagsDict, sel: 'K', fam: fStr, multi: true},
	},
	fInt:  nil,
	fBool: nil,
	fDate: nil,
	fGuid: nil,
}

// Operators: base names by family, and which of them may follow a quantifier.
var (
	strBases   = []string{"Equals", "NotEquals", "StartsWith", "NotStartsWith", "Like", "NotLike"}
	numOps     = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
	boolOps    = []string{"BoolEquals", "BoolNotEquals"}
	dateOps    = []string{"DateTimeEquals", "DateTimeNotEquals", "DateTimeLessThan", "DateTimeLessThanEquals", "DateTimeGreaterThan", "DateTimeGreaterThanEquals"}
	guidOps    = []string{"GuidEquals", "GuidNotEquals"}
	quantNames = []string{"ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues"}
)

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

var strPool = []string{
	"", "a", "A", "ab", "abc", "ä", "Ä", "ß", "SS", "ss", "σ", "Σ", "ς", "\u212A", "k", "K", "x/y/z", "a*b", "a?b", `a\b`,
	"Project", "Team", "project", "Cascade", "Baker", "cascade", "logs/", "logs/2023/app.log", "readonly/report.txt",
	"container1", "sampleaccount", "User", "ServicePrincipal", "Snapshots", "Versions", "ǅ", "İ", "ı", "\uFFFD", "😀",
}

var patPool = []string{
	"*", "a*", "*b", "a*b", "?", "??", "a?", "a?b", `a\*b`, `a\?b`, `a\\b`, `a\b`, "x/*", "*/z", "x*z", "Σ*", "σ?",
	"k*", "*K", "P*", `*\`, `\`, `\\`, "*a*", "**", "?*?", `\*`, `\?`, "ß*", "SS*", "?/y/?", "*ς", "*k", "\u212A*",
	"*/Y/*", "*ß", "a*\u212A", "logs/*", "*.txt", "readonly/*", "*\uFFFD", "\uFFFD", "a\uFFFD*", "*\uFFFD*", "?\uFFFD",
	"Cas*", "*ade", "*sca*", "C?scade",
}

var intPool = []int64{-9223372036854775808, -9223372036854775807, -2, -1, 0, 1, 2, 3, 5, 10, 100, 9223372036854775806, 9223372036854775807}

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
	blobs + "/*", "Microsoft.Storage/*", "*", "*/read", "*/messages/*", "*blobs*", "Microsoft.Authorization/roleAssignments/*",
	"microsoft.storage/*/READ", "**", "*/*", "*write", "Microsoft.Storage/storageAccounts/*/containers/*/tags/*",
}

var actionNames = func() []string {
	var out []string
	for _, a := range attrs.Default.Actions() {
		out = append(out, a.Name)
	}
	out = append(out, blobs+"/READ", "Ǆ/ß", "")
	return out
}()

// ---------------------------------------------------------------------------------------------
// The generator.

type gen struct {
	s      *stream
	setter bool // requests go through the typed setters (and may hold invalid UTF-8)
	strs   []string
	ints   []int64
	dates  []string
	guids  []string
	acts   []string
	subs   []string
	// last collects the values of the literals generated since it was reset; attrVals maps
	// an attribute (akey) to the literal values it was compared with, which requests prefer
	// for that attribute.
	last     []string
	attrVals map[string][]string
}

// akey identifies an attribute (or a dictionary key) on both sides: in conditions and in
// requests.
func akey(src, base, key string) string { return strings.ToLower(src + "|" + base + "|" + key) }

func (a attrDef) akey() string {
	if a.sel == 'K' {
		return ""
	}
	return akey(a.src, a.base, a.key)
}

// remember records the literal values compared with attribute a.
func (g *gen) remember(a *attrDef, vals []string) {
	if a == nil || a.akey() == "" || len(vals) == 0 {
		return
	}
	if g.attrVals == nil {
		g.attrVals = map[string][]string{}
	}
	g.attrVals[a.akey()] = append(g.attrVals[a.akey()], vals...)
}

// varyCase replaces characters by others of their simple case folding orbit.
func (g *gen) varyCase(s string) string {
	var b strings.Builder
	mode := g.s.n(4)
	for _, r := range s {
		switch mode {
		case 1:
			r = unicode.ToUpper(r)
		case 2:
			r = unicode.ToLower(r)
		case 3:
			for k := g.s.n(3); k > 0; k-- {
				r = unicode.SimpleFold(r)
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (g *gen) runes(pool []string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if g.setter && g.s.n(6) == 0 {
			// With setter-built requests, U+FFFD in literals meets invalid UTF-8 in values.
			b.WriteString("\uFFFD")
			continue
		}
		b.WriteString(pick(g.s, pool))
	}
	return b.String()
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

// str is a string literal for a condition.
func (g *gen) str() string {
	var v string
	switch x := g.s.pct(); {
	case x < 35:
		v = pick(g.s, strPool)
	case x < 75:
		v = g.runes(condRunes, g.s.n(7))
	case x < 90 && len(g.strs) > 0:
		v = g.varyCase(pick(g.s, g.strs))
	default:
		// Long values: beyond the VM's stack buffer for folded binary search.
		v = strings.Repeat(pick(g.s, strPool)+g.runes(condRunes, 1), 20+g.s.n(60))
	}
	g.strs = append(g.strs, v)
	g.last = append(g.last, v)
	return v
}

// pattern is a StringLike pattern.
func (g *gen) pattern() string {
	var v string
	switch x := g.s.pct(); {
	case g.setter && x < 12:
		v = pick(g.s, fffdPats)
	case x < 30:
		v = pick(g.s, patPool)
	case x < 60:
		wild := []string{"*", "?", `\`, `\*`, `\?`, `\\`, "*", "*"}
		var b strings.Builder
		for n := g.s.n(7); n > 0; n-- {
			if g.s.n(3) == 0 {
				b.WriteString(pick(g.s, wild))
			} else {
				b.WriteString(pick(g.s, condRunes))
			}
		}
		v = b.String()
	case len(g.strs) > 0:
		// A remembered value with wildcards put in.
		var b strings.Builder
		for _, r := range g.varyCase(pick(g.s, g.strs)) {
			switch g.s.n(8) {
			case 0:
				b.WriteString("*")
			case 1:
				b.WriteString("?")
			case 2:
				b.WriteString("*")
				b.WriteRune(r)
			default:
				if r == '*' || r == '?' || r == '\\' {
					if g.s.n(2) == 0 {
						b.WriteByte('\\')
					}
				}
				b.WriteRune(r)
			}
		}
		v = b.String()
	default:
		v = pick(g.s, patPool)
	}
	// Remember the pattern's text without wildcards, so requests sometimes match it.
	text := strings.NewReplacer(`\*`, "*", `\?`, "?", `\\`, `\`, "*", "", "?", "x").Replace(v)
	g.strs = append(g.strs, text)
	g.last = append(g.last, text)
	return v
}

func (g *gen) integer() int64 {
	var v int64
	switch x := g.s.pct(); {
	case x < 55:
		v = pick(g.s, intPool)
	case x < 80 && len(g.ints) > 0:
		v = pick(g.s, g.ints) + int64(g.s.n(3)) - 1
	default:
		v = int64(g.s.u64())
		if g.s.n(2) == 0 {
			v %= 1000
		}
	}
	g.ints = append(g.ints, v)
	g.last = append(g.last, strconv.FormatInt(v, 10))
	return v
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (g *gen) newDate() string {
	years := []int{2023, 2024, 2000, 1999, 1, 9999, 1900, 2100}
	y := pick(g.s, years)
	if g.s.n(4) == 0 {
		y = 1 + g.s.n(9999)
	}
	mo := 1 + g.s.n(12)
	d := 1 + g.s.n(daysIn(y, mo))
	t := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, g.s.n(24), g.s.n(60), g.s.n(60))
	if nd := g.s.n(9); nd > 0 && nd <= 7 {
		t += "."
		for i := 0; i < nd; i++ {
			t += strconv.Itoa(g.s.n(10))
		}
	}
	switch g.s.n(4) {
	case 0, 1:
		t += "Z"
	case 2:
		t += fmt.Sprintf("+%02d:%02d", g.s.n(15), pick(g.s, []int{0, 30, 45, 59}))
	default:
		t += fmt.Sprintf("-%02d:%02d", g.s.n(15), pick(g.s, []int{0, 30, 45, 59}))
	}
	return t
}

func (g *gen) date() string {
	var v string
	switch x := g.s.pct(); {
	case x < 50:
		v = pick(g.s, datePool)
	case x < 65 && len(g.dates) > 0:
		v = pick(g.s, g.dates)
	default:
		v = g.newDate()
	}
	g.dates = append(g.dates, v)
	g.last = append(g.last, v)
	return v
}

func (g *gen) newGuid() string {
	hi, lo := g.s.u64(), g.s.u64()
	h := fmt.Sprintf("%016x%016x", hi, lo)
	if g.s.n(2) == 0 {
		h = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	return h
}

// guidForm writes a GUID with or without hyphens, in either case.
func (g *gen) guidForm(s string) string {
	if g.s.n(3) == 0 {
		s = strings.ReplaceAll(s, "-", "")
	}
	switch g.s.n(3) {
	case 0:
		s = strings.ToUpper(s)
	case 1:
		s = strings.ToLower(s)
	}
	return s
}

func (g *gen) guid() string {
	var v string
	switch x := g.s.pct(); {
	case x < 50:
		v = pick(g.s, guidPool)
	case x < 70 && len(g.guids) > 0:
		v = pick(g.s, g.guids)
	default:
		v = g.newGuid()
	}
	g.guids = append(g.guids, v)
	g.last = append(g.last, v)
	return g.guidForm(v)
}

// literal writes one literal of family f (like: a StringLike pattern).
func (g *gen) literal(f family, like bool) string {
	switch f {
	case fStr:
		if like {
			return "'" + g.pattern() + "'"
		}
		return "'" + g.str() + "'"
	case fInt:
		return strconv.FormatInt(g.integer(), 10)
	case fBool:
		return pick(g.s, []string{"true", "false"})
	case fDate:
		return "'" + g.date() + "'"
	}
	v := g.guid()
	if g.s.n(2) == 0 {
		return "'" + v + "'"
	}
	return v
}

func (g *gen) set(f family, like bool) string {
	n := 1 + g.s.n(4)
	if g.s.n(5) == 0 {
		n = 9 + g.s.n(8) // sorted and searched by binary search
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.literal(f, like)
	}
	sep := ", "
	if g.s.n(4) == 0 {
		sep = pick(g.s, []string{",", " ,", ",\n  ", "\t,\t"})
	}
	return "{" + strings.Join(parts, sep) + "}"
}

// oddCase sometimes respells a case-insensitive word.
func (g *gen) oddCase(s string) string {
	switch g.s.n(12) {
	case 0:
		return strings.ToLower(s)
	case 1:
		return strings.ToUpper(s)
	}
	return s
}

func (g *gen) attr(a attrDef) string {
	base := a.base
	if g.s.n(10) == 0 {
		base = g.oddCase(base)
	}
	return "@" + g.oddCase(a.src) + "[" + a.name(base) + "]"
}

func (g *gen) sp() string {
	if g.s.n(6) == 0 {
		return pick(g.s, []string{"\n", "\t", "  ", "\r\n  ", "\n\n"})
	}
	return " "
}

func (g *gen) comparison() string {
	var f family
	switch x := g.s.pct(); {
	case x < 45:
		f = fStr
	case x < 60:
		f = fInt
	case x < 70:
		f = fBool
	case x < 85:
		f = fDate
	default:
		f = fGuid
	}
	quantifiable := f == fStr || f == fInt || f == fGuid
	quant := quantifiable && g.s.n(100) < 35
	var op string
	like := false
	switch f {
	case fStr:
		base := pick(g.s, strBases)
		if quant {
			base = pick(g.s, []string{"Equals", "NotEquals", "Like", "NotLike"})
		}
		like = strings.Contains(base, "Like")
		op = "String" + base
		if g.s.n(2) == 0 {
			op += "IgnoreCase"
		}
	case fInt:
		op = pick(g.s, numOps)
	case fBool:
		op = pick(g.s, boolOps)
	case fDate:
		op = pick(g.s, dateOps)
	default:
		op = pick(g.s, guidOps)
	}
	op = g.oddCase(op)
	if quant {
		op = g.oddCase(pick(g.s, quantNames)) + ":" + op
	}
	var left, right string
	var leftAttr, rightAttr *attrDef
	useAttr := func(a attrDef) string {
		leftAttr = &a
		return g.attr(a)
	}
	g.last = nil
	switch x := g.s.pct(); {
	case !quant && x < 88:
		left = useAttr(pick(g.s, single[f]))
	case !quant:
		left = g.literal(f, false)
	case x < 40:
		left = useAttr(pick(g.s, single[f]))
	case x < 65 && len(multi[f]) > 0:
		left = useAttr(pick(g.s, multi[f]))
	case x < 75:
		left = g.literal(f, false)
	default:
		left = g.set(f, false)
	}
	leftVals := g.last
	g.last = nil
	switch x := g.s.pct(); {
	case x < 45:
		right = g.literal(f, like)
	case x < 78:
		right = g.set(f, like)
	case x < 92 || len(multi[f]) == 0:
		a := pick(g.s, single[f])
		rightAttr = &a
		right = g.attr(a)
	default:
		a := pick(g.s, multi[f])
		rightAttr = &a
		right = g.attr(a)
	}
	g.remember(leftAttr, g.last)
	g.remember(rightAttr, leftVals)
	if leftAttr != nil && rightAttr != nil {
		// Attribute against attribute: give both the same values sometimes.
		g.remember(rightAttr, g.attrVals[leftAttr.akey()])
	}
	return left + g.sp() + op + g.sp() + right
}

func (g *gen) action() string {
	var v string
	switch x := g.s.pct(); {
	case x < 55:
		v = pick(g.s, actionNames)
	case x < 80:
		v = pick(g.s, wildActionPool)
	default:
		// An action with one segment replaced by a wildcard.
		parts := strings.Split(pick(g.s, actionNames), "/")
		parts[g.s.n(len(parts))] = pick(g.s, []string{"*", "*s", "b*", "**"})
		v = strings.Join(parts, "/")
	}
	g.acts = append(g.acts, v)
	return g.varyCase(v)
}

func (g *gen) subOp() string {
	v := pick(g.s, subOpPool)
	g.subs = append(g.subs, v)
	return v
}

func (g *gen) matches(fn string, one func() string) string {
	n := 1 + g.s.n(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "'" + one() + "'"
	}
	return g.oddCase(fn) + "{" + strings.Join(parts, ","+g.sp()) + "}"
}

func (g *gen) leaf() string {
	switch x := g.s.pct(); {
	case x < 8:
		var a attrDef
		f := family(g.s.n(5))
		if g.s.n(4) == 0 && len(multi[f]) > 0 {
			a = pick(g.s, multi[f])
		} else {
			a = pick(g.s, single[f])
		}
		kw := "Exists"
		if g.s.n(3) == 0 {
			kw = "NotExists"
		}
		return g.oddCase(kw) + g.sp() + g.attr(a)
	case x < 15:
		return g.matches("ActionMatches", g.action)
	case x < 20:
		return g.matches("SubOperationMatches", g.subOp)
	}
	return g.comparison()
}

func (g *gen) paren(s string) string { return "(" + s + ")" }

func (g *gen) not() string {
	return pick(g.s, []string{"NOT ", "!", "not ", "! ", "NOT\n", "Not "})
}

func (g *gen) join(op string) string {
	if op == "AND" {
		return pick(g.s, []string{" AND ", " && ", " and ", "\nAND\n", "&&", " AND\n  "})
	}
	return pick(g.s, []string{" OR ", " || ", " or ", "\nOR\n", "||", " OR\n  "})
}

func (g *gen) expr(depth int) string {
	b := g.s.byte()
	switch {
	case depth <= 0 || b < 100:
		l := g.leaf()
		switch g.s.n(10) {
		case 0:
			return g.paren(l)
		case 1:
			return g.not() + l
		case 2:
			return g.not() + g.paren(l)
		}
		return l
	case b < 235:
		op := "AND"
		if b >= 170 {
			op = "OR"
		}
		n := 2 + g.s.n(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = g.expr(depth - 1)
			if g.s.n(3) == 0 {
				parts[i] = g.paren(parts[i])
			}
		}
		var sb strings.Builder
		for i, p := range parts {
			if i > 0 {
				sb.WriteString(g.join(op))
			}
			sb.WriteString(p)
		}
		return sb.String()
	}
	return g.not() + g.paren(g.expr(depth-1))
}

// condition writes a whole condition: a free tree, Azure's AND of action-guarded blocks, or an
// OR of action clauses (the last two are what the dispatch optimization rewrites).
func (g *gen) condition() string {
	depth := 1 + g.s.n(4)
	switch g.s.n(8) {
	case 5, 6:
		n := 1 + g.s.n(4)
		parts := make([]string, n)
		for i := range parts {
			guard := g.matches("ActionMatches", g.exactAction)
			if g.s.n(2) == 0 {
				guard += " AND NOT " + g.matches("SubOperationMatches", g.subOp)
			}
			body := g.expr(depth - 1)
			if g.s.n(8) == 0 {
				parts[i] = g.not() + g.paren(guard) // a block without a body
				continue
			}
			parts[i] = "(" + g.not() + g.paren(guard) + g.join("OR") + g.paren(body) + ")"
		}
		return strings.Join(parts, g.join("AND"))
	case 7:
		n := 2 + g.s.n(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "(" + g.matches("ActionMatches", g.exactAction) + g.join("AND") + g.paren(g.expr(depth-1)) + ")"
		}
		return strings.Join(parts, g.join("OR"))
	}
	return g.expr(depth)
}

// exactAction is mostly an exact action name (dispatchable), sometimes any pattern.
func (g *gen) exactAction() string {
	if g.s.n(5) == 0 {
		return g.action()
	}
	v := pick(g.s, actionNames[:min(len(actionNames), 12)])
	if g.s.n(3) == 0 {
		v = pick(g.s, actionNames)
	}
	g.acts = append(g.acts, v)
	return g.varyCase(v)
}

// ---------------------------------------------------------------------------------------------
// Requests.

// rval is one request value: a string, an integer or a boolean (the JSON kinds).
type rval struct {
	kind byte // 's', 'i', 'b'
	s    string
	i    int64
	b    bool
}

func (v rval) json() string {
	switch v.kind {
	case 'i':
		return strconv.FormatInt(v.i, 10)
	case 'b':
		return strconv.FormatBool(v.b)
	}
	b, _ := json.Marshal(v.s)
	return string(b)
}

// rvals is a scalar (array false, one value) or an array of values.
type rvals struct {
	vals  []rval
	array bool
}

func (v rvals) json() string {
	if !v.array {
		return v.vals[0].json()
	}
	parts := make([]string, len(v.vals))
	for i, x := range v.vals {
		parts[i] = x.json()
	}
	return "[" + strings.Join(parts, ",") + "]"
}

type rentry struct {
	key string
	v   rvals
}

// rattr is one attribute of a request section.
type rattr struct {
	src     string // Resource, Request, Principal, Environment
	name    string // the JSON key
	fam     family
	dict    bool // an object of entries
	entries []rentry
	keyed   bool // a flattened dictionary key: name is DICT:KEY (custom security attributes)
	dictKey string
	v       rvals
}

type reqSpec struct {
	action string
	hasSub bool
	sub    string
	attrs  []rattr
}

// The request-side attribute slots.
type plainSlot struct {
	src, name string
	fam       family
}

var plainSlots = []plainSlot{
	{"Resource", saName, fStr}, {"Resource", contName, fStr}, {"Resource", blobPath, fStr}, {"Resource", encScope, fStr},
	{"Resource", queueName, fStr}, {"Resource", isCurrent, fBool}, {"Resource", hnsEnabled, fBool},
	{"Resource", raPrefix + "RoleDefinitionId", fGuid}, {"Resource", raPrefix + "PrincipalId", fGuid},
	{"Resource", raPrefix + "PrincipalType", fStr}, {"Resource", kvVault, fStr}, {"Resource", kvSecret, fStr},
	{"Request", blobPrefix, fStr}, {"Request", snapshot, fDate}, {"Request", versionID, fDate},
	{"Request", raPrefix + "RoleDefinitionId", fGuid}, {"Request", raPrefix + "PrincipalId", fGuid},
	{"Request", raPrefix + "PrincipalType", fStr}, {"Request", blobInclude, fStr}, {"Request", repoName, fStr},
	{"Request", kvSecret, fStr},
	{"Environment", "isPrivateLink", fBool}, {"Environment", privEndp, fStr}, {"Environment", subnets, fStr},
	{"Environment", "UtcNow", fDate},
}

var (
	tagKeys  = []string{"Project", "Team", "a:b", "project", "Other", "ß", ""}
	metaKeys = []string{"testKey", "classification", "TestKey"}
	csaKeys  = []struct {
		key string
		fam family
	}{{"Project", fStr}, {"Level", fInt}, {"Flag", fBool}, {"When", fDate}, {"Id", fGuid}, {"Any", 255}}
)

// reqStr is a string request value.
func (g *gen) reqStr() string {
	switch x := g.s.pct(); {
	case x < 50 && len(g.strs) > 0:
		v := pick(g.s, g.strs)
		if g.s.n(2) == 0 {
			v = g.varyCase(v)
		}
		if g.s.n(6) == 0 {
			v += pick(g.s, condRunes) // one more character
		}
		if g.setter && g.s.n(2) == 0 {
			// U+FFFD and invalid UTF-8 read alike rune-wise (both are U+FFFD) but not
			// byte-wise: swap one for the other.
			if strings.Contains(v, "\uFFFD") {
				v = strings.ReplaceAll(v, "\uFFFD", pick(g.s, invalidUTF8))
			} else if g.s.n(2) == 0 {
				v += pick(g.s, invalidUTF8)
			}
		}
		return v
	case x < 70:
		return pick(g.s, strPool)
	case x < 85 || !g.setter:
		pool := condRunes
		if g.s.n(4) == 0 {
			pool = reqOnlyRunes
		}
		var b strings.Builder
		for n := g.s.n(7); n > 0; n-- {
			if g.s.n(5) == 0 {
				b.WriteString(pick(g.s, reqOnlyRunes))
			} else {
				b.WriteString(pick(g.s, pool))
			}
		}
		return b.String()
	}
	// Invalid UTF-8 among valid characters (setters only).
	var b strings.Builder
	for n := 1 + g.s.n(4); n > 0; n-- {
		if g.s.n(2) == 0 {
			b.WriteString(pick(g.s, invalidUTF8))
		} else {
			b.WriteString(pick(g.s, condRunes))
		}
	}
	return b.String()
}

func (g *gen) reqInt() int64 {
	if len(g.ints) > 0 && g.s.n(2) == 0 {
		return pick(g.s, g.ints) + int64(g.s.n(3)) - 1
	}
	if g.s.n(4) == 0 {
		return int64(g.s.u64())
	}
	return pick(g.s, intPool)
}

func (g *gen) reqDate() string {
	if len(g.dates) > 0 && g.s.n(2) == 0 {
		return pick(g.s, g.dates)
	}
	if g.s.n(2) == 0 {
		return pick(g.s, datePool)
	}
	return g.newDate()
}

func (g *gen) reqGuid() string {
	if len(g.guids) > 0 && g.s.n(2) == 0 {
		return g.guidForm(pick(g.s, g.guids))
	}
	if g.s.n(2) == 0 {
		return g.guidForm(pick(g.s, guidPool))
	}
	return g.newGuid()
}

// value is one value of family f as its JSON kind (DateTime and Guid travel as strings),
// mostly one the condition compares the attribute (key) with, when there is one.
func (g *gen) value(f family, key string) rval {
	if vs := g.attrVals[key]; len(vs) > 0 && g.s.n(10) < 6 {
		v := pick(g.s, vs)
		switch f {
		case fStr:
			if g.s.n(3) == 0 {
				v = g.varyCase(v)
			}
			if g.setter && g.s.n(3) == 0 {
				if strings.Contains(v, "\uFFFD") {
					v = strings.ReplaceAll(v, "\uFFFD", pick(g.s, invalidUTF8))
				} else {
					v += pick(g.s, invalidUTF8)
				}
			}
			if g.s.n(8) == 0 {
				v += pick(g.s, condRunes)
			}
			return rval{kind: 's', s: v}
		case fInt:
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return rval{kind: 'i', i: n + int64(g.s.n(3)) - 1}
			}
		case fDate:
			return rval{kind: 's', s: v}
		case fGuid:
			return rval{kind: 's', s: g.guidForm(v)}
		}
	}
	switch f {
	case fStr:
		return rval{kind: 's', s: g.reqStr()}
	case fInt:
		return rval{kind: 'i', i: g.reqInt()}
	case fBool:
		return rval{kind: 'b', b: g.s.n(2) == 0}
	case fDate:
		return rval{kind: 's', s: g.reqDate()}
	}
	return rval{kind: 's', s: g.reqGuid()}
}

// values gives one scalar (60%), an array of one to three (28%) or an empty array.
func (g *gen) values(f family, key string) rvals {
	switch x := g.s.pct(); {
	case x < 60:
		return rvals{vals: []rval{g.value(f, key)}}
	case x < 88:
		n := 1 + g.s.n(3)
		vs := make([]rval, n)
		for i := range vs {
			vs[i] = g.value(f, key)
		}
		return rvals{vals: vs, array: true}
	}
	return rvals{array: true}
}

func (g *gen) request() *reqSpec {
	q := &reqSpec{}
	switch x := g.s.pct(); {
	case x < 70 && len(g.acts) > 0:
		q.action = pick(g.s, g.acts)
		if strings.Contains(q.action, "*") && g.s.n(2) == 0 {
			q.action = strings.ReplaceAll(q.action, "*", pick(g.s, []string{"", "x", "a/b", "blobs"}))
		}
		q.action = g.varyCase(q.action)
	case x < 95:
		q.action = pick(g.s, actionNames)
	default:
		q.action = g.reqStr()
	}
	if g.s.n(5) < 2 {
		q.hasSub = true
		if len(g.subs) > 0 && g.s.n(2) == 0 {
			q.sub = g.varyCase(pick(g.s, g.subs))
		} else {
			q.sub = pick(g.s, subOpPool)
		}
	}
	for _, p := range plainSlots {
		if g.s.n(5) < 2 {
			continue // missing
		}
		q.attrs = append(q.attrs, rattr{src: p.src, name: p.name, fam: p.fam, v: g.values(p.fam, akey(p.src, p.name, ""))})
	}
	dict := func(src, name string, keys []string) {
		if g.s.n(5) < 2 {
			return
		}
		a := rattr{src: src, name: name, fam: fStr, dict: true}
		for _, k := range keys {
			if g.s.n(2) == 0 {
				continue
			}
			v := rvals{vals: []rval{g.value(fStr, akey(src, name, k))}}
			if g.s.n(5) == 0 {
				v = g.values(fStr, akey(src, name, k))
			}
			a.entries = append(a.entries, rentry{k, v})
		}
		q.attrs = append(q.attrs, a)
	}
	dict("Resource", tagsDict, tagKeys)
	dict("Request", tagsDict, tagKeys)
	dict("Resource", metaDict, metaKeys)
	// Custom security attributes: as flattened keys or as one object; values mostly of the
	// type the condition reads them as, sometimes of another kind.
	asObject := g.s.n(3) == 0
	obj := rattr{src: "Principal", name: csaPrefix, dict: true}
	for _, k := range csaKeys {
		if g.s.n(5) < 2 {
			continue
		}
		f := k.fam
		if f == 255 || g.s.n(10) == 0 {
			f = family(g.s.n(5))
		}
		v := g.values(f, akey("Principal", csaPrefix, k.key))
		if asObject {
			obj.entries = append(obj.entries, rentry{k.key, v})
		} else {
			q.attrs = append(q.attrs, rattr{src: "Principal", name: csaPrefix + ":" + k.key, fam: f, keyed: true, dictKey: k.key, v: v})
		}
	}
	if asObject && (len(obj.entries) > 0 || g.s.n(2) == 0) {
		q.attrs = append(q.attrs, obj)
	}
	return q
}

// JSON renders the request document of request.md.
func (q *reqSpec) JSON() string {
	var b strings.Builder
	b.WriteString(`{"action":` + rval{kind: 's', s: q.action}.json())
	if q.hasSub {
		b.WriteString(`,"subOperation":` + rval{kind: 's', s: q.sub}.json())
	}
	for _, sec := range []string{"Resource", "Request", "Principal", "Environment"} {
		var parts []string
		for _, a := range q.attrs {
			if a.src != sec {
				continue
			}
			name := rval{kind: 's', s: a.name}.json()
			if a.dict {
				var kv []string
				for _, e := range a.entries {
					kv = append(kv, rval{kind: 's', s: e.key}.json()+":"+e.v.json())
				}
				parts = append(parts, name+":{"+strings.Join(kv, ",")+"}")
				continue
			}
			parts = append(parts, name+":"+a.v.json())
		}
		if len(parts) > 0 {
			b.WriteString(`,"` + strings.ToLower(sec) + `":{` + strings.Join(parts, ",") + "}")
		}
	}
	b.WriteString("}")
	return b.String()
}

// apply fills r through the typed setters and returns a Go-like transcript of the calls.
func (q *reqSpec) apply(r *abacc.Request) (string, error) {
	r.Reset()
	var log strings.Builder
	v := hooks.Vector(r)
	r.SetAction(q.action)
	fmt.Fprintf(&log, "SetAction(%+q)\n", q.action)
	if q.hasSub {
		r.SetSubOperation(q.sub)
		fmt.Fprintf(&log, "SetSubOperation(%+q)\n", q.sub)
	}
	lookup := func(src, name string) (attrs.ID, error) {
		s, ok := attrs.ParseSource(src)
		if !ok {
			return 0, fmt.Errorf("bad source %q", src)
		}
		id, ok := attrs.Default.Lookup(s, name)
		if !ok {
			return 0, fmt.Errorf("@%s[%s] is not in the catalog", src, name)
		}
		return id, nil
	}
	setKey := func(id attrs.ID, key string, vs rvals) error {
		if len(vs.vals) == 0 {
			fmt.Fprintf(&log, "SetKeyStrings(%d, %+q)\n", id, key)
			return v.SetKeyStrings(id, key)
		}
		switch vs.vals[0].kind {
		case 'i':
			var xs []int64
			for _, x := range vs.vals {
				xs = append(xs, x.i)
			}
			fmt.Fprintf(&log, "SetKeyInts(%d, %+q, %v)\n", id, key, xs)
			return v.SetKeyInts(id, key, xs...)
		case 'b':
			var xs []bool
			for _, x := range vs.vals {
				xs = append(xs, x.b)
			}
			fmt.Fprintf(&log, "SetKeyBools(%d, %+q, %v)\n", id, key, xs)
			return v.SetKeyBools(id, key, xs...)
		}
		var xs []string
		for _, x := range vs.vals {
			xs = append(xs, x.s)
		}
		fmt.Fprintf(&log, "SetKeyStrings(%d, %+q, %+q)\n", id, key, xs)
		return v.SetKeyStrings(id, key, xs...)
	}
	for _, a := range q.attrs {
		switch {
		case a.dict:
			id, err := lookup(a.src, a.name)
			if err != nil {
				return log.String(), err
			}
			fmt.Fprintf(&log, "SetDict(%d) // @%s[%s]\n", id, a.src, a.name)
			if err := v.SetDict(id); err != nil {
				return log.String(), err
			}
			for _, e := range a.entries {
				if err := setKey(id, e.key, e.v); err != nil {
					return log.String(), err
				}
			}
		case a.keyed:
			id, err := lookup(a.src, csaPrefix)
			if err != nil {
				return log.String(), err
			}
			if err := setKey(id, a.dictKey, a.v); err != nil {
				return log.String(), err
			}
		default:
			id, err := lookup(a.src, a.name)
			if err != nil {
				return log.String(), err
			}
			var err2 error
			switch a.fam {
			case fStr:
				var xs []string
				for _, x := range a.v.vals {
					xs = append(xs, x.s)
				}
				fmt.Fprintf(&log, "SetStrings(%d, %+q) // @%s[%s]\n", id, xs, a.src, a.name)
				err2 = v.SetStrings(id, xs...)
			case fInt:
				var xs []int64
				for _, x := range a.v.vals {
					xs = append(xs, x.i)
				}
				fmt.Fprintf(&log, "SetInts(%d, %v) // @%s[%s]\n", id, xs, a.src, a.name)
				err2 = v.SetInts(id, xs...)
			case fBool:
				if len(a.v.vals) == 0 {
					continue
				}
				fmt.Fprintf(&log, "SetBool(%d, %v) // @%s[%s]\n", id, a.v.vals[0].b, a.src, a.name)
				err2 = v.SetBool(id, a.v.vals[0].b)
			case fDate:
				var xs []attrs.Instant
				for _, x := range a.v.vals {
					t, err := attrs.ParseDateTime(x.s)
					if err != nil {
						return log.String(), err
					}
					xs = append(xs, t)
				}
				fmt.Fprintf(&log, "SetDateTimes(%d, %v) // @%s[%s]\n", id, xs, a.src, a.name)
				err2 = v.SetDateTimes(id, xs...)
			case fGuid:
				var xs []attrs.Guid
				for _, x := range a.v.vals {
					gd, err := attrs.ParseGuid(x.s)
					if err != nil {
						return log.String(), err
					}
					xs = append(xs, gd)
				}
				fmt.Fprintf(&log, "SetGuids(%d, %v) // @%s[%s]\n", id, xs, a.src, a.name)
				err2 = v.SetGuids(id, xs...)
			}
			if err2 != nil {
				return log.String(), err2
			}
		}
	}
	return log.String(), nil
}

// genCase is one decoded fuzz input.
type genCase struct {
	cond   string
	reqs   []*reqSpec
	setter bool
	// raw mode: the condition and one request document given verbatim.
	raw     bool
	rawJSON []byte
	// raw setter mode: the condition and lines SOURCE|NAME|"GO-QUOTED STRING", each set with
	// the typed setter SetString (so values may hold invalid UTF-8).
	rawSetter bool
	rawLines  []string
}

// rawMarker opens an input that holds a condition and a request verbatim, separated by a NUL
// byte: the form the corpus seeds take (fuzzing mutates them as text). rawSetterMarker opens a
// condition and, after a NUL byte, string attributes to set through the typed setters, one a
// line: SOURCE|NAME|"Go-quoted value". Structured inputs (any other first byte) mean whatever
// the generator of this file makes of them, so a regression input that must outlive changes
// to the generator is best kept in one of the raw forms.
const (
	rawMarker       = 0xFF
	rawSetterMarker = 0xFE
)

func decodeCase(data []byte) *genCase {
	if len(data) > 0 && data[0] == rawSetterMarker {
		rest := string(data[1:])
		cond, lines, _ := strings.Cut(rest, "\x00")
		return &genCase{rawSetter: true, cond: cond, rawLines: strings.Split(lines, "\n")}
	}
	if len(data) > 0 && data[0] == rawMarker {
		rest := data[1:]
		i := strings.IndexByte(string(rest), 0)
		if i < 0 {
			return &genCase{raw: true, cond: string(rest)}
		}
		return &genCase{raw: true, cond: string(rest[:i]), rawJSON: rest[i+1:]}
	}
	g := &gen{s: &stream{b: data}}
	g.setter = g.s.n(4) == 0
	c := &genCase{setter: g.setter, cond: g.condition()}
	for n := 1 + g.s.n(3); n > 0; n-- {
		c.reqs = append(c.reqs, g.request())
	}
	return c
}

// applyLines fills r from raw setter lines (see rawSetterMarker), ignoring unusable lines, and
// returns a transcript.
func applyLines(r *abacc.Request, lines []string) string {
	r.Reset()
	r.SetAction(blobRead)
	var b strings.Builder
	for _, l := range lines {
		parts := strings.SplitN(l, "|", 3)
		if len(parts) != 3 {
			continue
		}
		v, err := strconv.Unquote(parts[2])
		if err != nil {
			v = parts[2]
		}
		a, err := abacc.LookupAttr("@" + parts[0] + "[" + parts[1] + "]")
		if err != nil || r.SetString(a, v) != nil {
			continue
		}
		fmt.Fprintf(&b, "SetString(@%s[%s], %+q)\n", parts[0], parts[1], v)
	}
	return fmt.Sprintf("SetAction(%q)\n%s", blobRead, b.String())
}

func rawSeed(cond string, req []byte) []byte {
	out := append([]byte{rawMarker}, cond...)
	out = append(out, 0)
	return append(out, req...)
}

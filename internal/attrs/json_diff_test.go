package attrs

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The jsontext decoder (json.go) against the encoding/json decoder it replaced
// (json_legacy_test.go): on every document both must accept or reject alike, with identical
// messages, hints and offsets, and fill identical requests.

// dumpVector renders everything a request holds.
func dumpVector(v *Vector) string {
	var b strings.Builder
	fmt.Fprintf(&b, "action %q fold %q sub %v %q fold %q\n", v.Action(), v.ActionFolded(), v.HasSubOp(), v.SubOp(), v.SubOpFolded())
	values := func(s Slot) string {
		if !s.Present {
			return "missing"
		}
		switch s.Kind {
		case TypeString:
			return fmt.Sprintf("%v %q", s.Kind, v.StrsOf(s))
		case TypeGuid:
			return fmt.Sprintf("%v %v", s.Kind, v.GuidsOf(s))
		case Untyped:
			return fmt.Sprintf("untyped n=%d", s.N)
		}
		return fmt.Sprintf("%v %v", s.Kind, v.NumsOf(s))
	}
	for id := 0; id < v.cat.Len(); id++ {
		s := v.Slot(ID(id))
		if !s.Present && len(v.Entries(ID(id))) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%d: %s\n", id, values(s))
		for _, e := range v.Entries(ID(id)) {
			fmt.Fprintf(&b, "  %q: %s\n", e.Key, values(e.Slot))
		}
	}
	return b.String()
}

func describeErr(err error) string {
	if err == nil {
		return "ok"
	}
	var re *RequestError
	if !errors.As(err, &re) {
		return fmt.Sprintf("%T %v", err, err)
	}
	return fmt.Sprintf("offset %d: %q hint %q", re.Offset, re.Msg, re.Hint)
}

// diffDecode decodes doc with both decoders, into fresh requests and into requests that held
// another document, and reports any difference.
func diffDecode(t *testing.T, doc []byte, defaultAction string, limits Limits) {
	t.Helper()
	legacy, fresh, reused := NewVector(Default), NewVector(Default), NewVector(Default)
	if err := reused.UnmarshalJSON([]byte(diffBase)); err != nil {
		t.Fatal(err)
	}
	for _, v := range []*Vector{legacy, fresh, reused} {
		v.SetLimits(limits)
	}
	want := describeErr(legacy.decodeLegacy(doc, defaultAction))
	got := describeErr(fresh.DecodeJSON(doc, defaultAction))
	got2 := describeErr(reused.DecodeJSON(doc, defaultAction))
	if got != want || got2 != want {
		t.Fatalf("document %q (default action %q, limits %+v):\nlegacy:   %s\njsontext: %s\nreused:   %s", doc, defaultAction, limits, want, got, got2)
	}
	dw, dg, dr := dumpVector(legacy), dumpVector(fresh), dumpVector(reused)
	if dg != dw || dr != dw {
		t.Fatalf("document %q (%s): contents differ\nlegacy:\n%s\njsontext:\n%s\nreused:\n%s", doc, want, dw, dg, dr)
	}
}

// diffBase fills a request before it is reused.
const diffBase = `{"action": "x/y", "subOperation": "S", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Old", "k0": "v"}, "Microsoft.Storage/storageAccounts:name": "acct"}, "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:A": [1, 2]}}`

// Pieces of generated requests.
var (
	genPlain = []struct {
		src  string
		name string
		vals []string
	}{
		{"resource", "Microsoft.Storage/storageAccounts:name", []string{`"acct"`, `"ä\u00e4"`, `5`, `["a", "b"]`, `[]`}},
		{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers:name", []string{`"c1"`, `"\ud800x"`, `null`}},
		{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path", []string{`"a/b.txt"`, `"a\"b"`, `true`}},
		{"resource", "Microsoft.Storage/storageAccounts:isHnsEnabled", []string{`true`, `false`, `[true, false]`, `"true"`, `0`}},
		{"resource", "Microsoft.Storage/storageAccounts/encryptionScopes:name", []string{`"s"`, `{}`}},
		{"request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix", []string{`"logs/"`, `[[]]`}},
		{"request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId", []string{`"2022-06-01T23:38:32.8883645Z"`, `["2022-06-01T23:38:32Z", "2022-06-01T23:38:32+01:00"]`, `"2022-13-01T00:00:00Z"`, `1`}},
		{"request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include", []string{`["metadata", "snapshots"]`, `"x"`, `[1]`}},
		{"request", "Microsoft.Authorization/roleAssignments:RoleDefinitionId", []string{`"ba92f5b4-2d11-453d-a403-e96b0029c9fe"`, `"BA92F5B42D11453DA403E96B0029C9FE"`, `"nope"`, `[]`}},
		{"environment", "isPrivateLink", []string{`true`, `null`, `[false]`}},
		{"environment", "UtcNow", []string{`"2023-05-01T13:00:00.0000000Z"`, `"2023-05-01T13:00:00"`}},
		{"environment", "Microsoft.Network/privateEndpoints", []string{`"/subscriptions/x"`}},
	}
	genDicts = []struct{ src, name string }{
		{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"},
		{"request", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"},
		{"resource", "Microsoft.Storage/storageAccounts/blobServices/containers/metadata"},
		{"principal", "Microsoft.Directory/CustomSecurityAttributes/Id"},
	}
	genKeys     = []string{"Project", "Program", "project", "k", "", "ä", `a\u0062`, "ab", `\ud800`, `\udc00`, "k<$key_case_sensitive$>"}
	genDictVals = []string{`"v"`, `"w\n"`, `1`, `-9223372036854775808`, `9223372036854775808`, `9223372036854775807`, `-9223372036854775809`, `-0`, `1.0`, `1e2`, `true`, `["a", "b"]`, `[1, "x"]`, `[]`, `null`, `{}`, `[[1]]`, `"2023-05-01T13:00:00Z"`}
	genTop      = []string{`"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"`, `"action": "a\u00e9\ud800"`, `"subOperation": "Blob.List"`, `"action": 5`, `"subOperation": null`, `"actoin": "x"`, `"Resource": {}`, `"environment": []`}
	genSpaces   = []string{"", " ", "\n  ", "\t", "\r\n"}
)

// pick returns one of the first good elements of list (valid in most places) four times in
// five, else any.
func pick(r *rand.Rand, list []string, good int) string {
	if r.IntN(5) != 0 {
		return list[r.IntN(good)]
	}
	return list[r.IntN(len(list))]
}

func caseVariant(r *rand.Rand, name string) string {
	switch r.IntN(6) {
	case 0:
		return strings.ToLower(name)
	case 1:
		return strings.ToUpper(name)
	case 2:
		return strings.Replace(name, "k", "\u212a", 1) // the Kelvin sign lowercases to k
	}
	return name
}

// genRequest builds a random request document, mostly valid.
func genRequest(r *rand.Rand) string {
	sp := func() string { return genSpaces[r.IntN(len(genSpaces))] }
	sections := map[string][]string{}
	for n := r.IntN(6); n > 0; n-- {
		p := genPlain[r.IntN(len(genPlain))]
		name := p.name
		if r.IntN(8) == 0 {
			name = caseVariant(r, name)
		}
		sections[p.src] = append(sections[p.src], fmt.Sprintf(`"%s":%s%s`, name, sp(), pick(r, p.vals, 1)))
	}
	for n := r.IntN(4); n > 0; n-- {
		dct := genDicts[r.IntN(len(genDicts))]
		name := dct.name
		if r.IntN(8) == 0 {
			name = caseVariant(r, name)
		}
		if r.IntN(3) == 0 { // flattened
			key := genKeys[r.IntN(len(genKeys))]
			if strings.HasSuffix(name, "tags") && r.IntN(4) != 0 {
				key += "<$key_case_sensitive$>"
			}
			sections[dct.src] = append(sections[dct.src], fmt.Sprintf(`"%s:%s": %s`, name, key, pick(r, genDictVals, 2)))
			continue
		}
		var es []string
		for k := r.IntN(5); k > 0; k-- {
			es = append(es, fmt.Sprintf(`"%s":%s%s`, pick(r, genKeys, 4), sp(), pick(r, genDictVals, 2)))
		}
		if r.IntN(20) == 0 {
			for k := 0; k < 40; k++ {
				es = append(es, fmt.Sprintf(`"k%d": "v"`, r.IntN(60)))
			}
		}
		sections[dct.src] = append(sections[dct.src], fmt.Sprintf(`"%s": {%s}`, name, strings.Join(es, ","+sp())))
	}
	var top []string
	if r.IntN(10) != 0 {
		top = append(top, genTop[0])
	}
	if r.IntN(2) == 0 {
		top = append(top, genTop[2])
	}
	if r.IntN(5) == 0 {
		top = append(top, genTop[1+r.IntN(len(genTop)-1)])
	}
	for _, s := range []string{"resource", "request", "principal", "environment"} {
		if ks, ok := sections[s]; ok {
			r.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
			top = append(top, fmt.Sprintf(`"%s":%s{%s}`, s, sp(), strings.Join(ks, ","+sp())))
		}
	}
	r.Shuffle(len(top), func(i, j int) { top[i], top[j] = top[j], top[i] })
	doc := sp() + "{" + sp() + strings.Join(top, ","+sp()) + sp() + "}" + sp()
	if r.IntN(30) == 0 {
		doc = "\xef\xbb\xbf" + doc
	}
	return doc
}

// mutate damages a document the way typos and truncation do.
func mutate(r *rand.Rand, doc []byte) []byte {
	d := append([]byte(nil), doc...)
	const alphabet = "{}[]:,\"\\ \n0123456789-+.eEtrufalsn\x00\xff\xc3\xa4abcxyz/"
	for n := 1 + r.IntN(3); n > 0 && len(d) > 0; n-- {
		i := r.IntN(len(d))
		switch r.IntN(6) {
		case 0: // delete a byte
			d = append(d[:i], d[i+1:]...)
		case 1: // insert a byte
			d = append(d[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, d[i:]...)...)
		case 2: // replace a byte
			d[i] = alphabet[r.IntN(len(alphabet))]
		case 3: // truncate
			d = d[:i]
		case 4: // duplicate a span
			j := i + r.IntN(min(40, len(d)-i)+1)
			d = append(d[:j], append(append([]byte(nil), d[i:j]...), d[j:]...)...)
		case 5: // delete a span
			j := i + r.IntN(min(20, len(d)-i)+1)
			d = append(d[:i], d[j:]...)
		}
	}
	return d
}

func diffLimits(r *rand.Rand) Limits {
	if r.IntN(10) != 0 {
		return DefaultLimits
	}
	return Limits{MaxBytes: r.IntN(2) * (50 + r.IntN(500)), MaxEntries: r.IntN(12)}
}

func TestDecodeMatchesLegacy(t *testing.T) {
	n := 6000
	if testing.Short() {
		n = 1000
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		doc := []byte(genRequest(r))
		action := ""
		if r.IntN(8) == 0 {
			action = "d/read"
		}
		diffDecode(t, doc, action, diffLimits(r))
		for k := 0; k < 4; k++ {
			diffDecode(t, mutate(r, doc), action, diffLimits(r))
		}
	}
}

// TestDecodeMatchesLegacyOnTables runs the decoders of record's own tables through the oracle.
func TestDecodeMatchesLegacyOnTables(t *testing.T) {
	docs := []string{
		``, `{}`, `[]`, `null`, `{"action": null}`, `{"action": "\ud800"}`, "{\"action\": \"\xff\"}",
		"\ufeff{\"action\": \"a\"}", "\ufeff\ufeff{\"action\": 1}", "{\"action\": \"a\" /* */}",
		strings.Repeat("[", 5000), `{"action": "a", "resource": {"x": ` + strings.Repeat("[", 1000) + `}}`,
		`{"action": "a", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:L": ` + strings.Repeat("[", 1000) + `}}`,
		`{"action": "a", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id": {"` + strings.Repeat("k", 3000) + `": 1}}}`,
	}
	for _, doc := range docs {
		diffDecode(t, []byte(doc), "", DefaultLimits)
	}
	var big bytes.Buffer
	big.WriteString(`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {`)
	for i := 0; i < 3000; i++ {
		if i > 0 {
			big.WriteString(", ")
		}
		fmt.Fprintf(&big, `"k%d": "v%d"`, i%2900, i)
	}
	big.WriteString(`}, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:k5<$key_case_sensitive$>": "x"}}`)
	diffDecode(t, big.Bytes(), "", DefaultLimits)
	diffDecode(t, bytes.Replace(big.Bytes(), []byte(`"k2899": "v5799"`), []byte(`"k9999": "v"`), 1), "", DefaultLimits)
}

// FuzzDecodeMatchesLegacy: go test -fuzz FuzzDecodeMatchesLegacy ./attrs
func FuzzDecodeMatchesLegacy(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50; i++ {
		f.Add([]byte(genRequest(r)))
	}
	for _, b := range benchRequests {
		f.Add([]byte(b.doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		diffDecode(t, doc, "", DefaultLimits)
		diffDecode(t, doc, "d/read", Limits{MaxEntries: 5})
	})
}

// TestDecodedStringsOutliveRefill: the strings a decode stores (values, dictionary keys, the
// action) are immutable: refilling the request does not change strings read from it before,
// as callers such as Explain keep them.
func TestDecodedStringsOutliveRefill(t *testing.T) {
	v := NewVector(Default)
	if err := v.UnmarshalJSON([]byte(benchRequests[0].doc)); err != nil {
		t.Fatal(err)
	}
	tags, _ := Default.Lookup(Resource, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags")
	name, _ := Default.Lookup(Resource, "Microsoft.Storage/storageAccounts:name")
	action, key, value := v.Action(), v.Entries(tags)[0].Key, v.StrsOf(v.Slot(name))[0]
	before := action + "|" + key + "|" + value
	for i := 0; i < 200; i++ { // through many chunks of text
		r := benchRequests[i%len(benchRequests)]
		if err := v.UnmarshalJSON([]byte(strings.ReplaceAll(r.doc, "a", "Z"))); err == nil {
			t.Fatal("the altered request decoded")
		}
		if err := v.UnmarshalJSON([]byte(r.doc)); err != nil {
			t.Fatal(err)
		}
	}
	if after := action + "|" + key + "|" + value; after != before {
		t.Errorf("strings changed by later decodes: %q, then %q", before, after)
	}
}

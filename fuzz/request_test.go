package fuzz

import (
	"github.com/abacc/abacc/internal/hooks"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/abacc/abacc"
)

// requestConditions complement the conformance conditions for FuzzRequestJSON: they read every
// kind of value, including untyped custom security attributes as each type, key sets, multi-
// valued attributes under each quantifier, and large (binary-searched) sets.
var requestConditions = []string{
	"@Principal[" + csaPrefix + ":Level] NumericGreaterThan 3 OR @Principal[" + csaPrefix + ":Level] ForAnyOfAnyValues:NumericEquals {5, 6, 7}",
	"@Principal[" + csaPrefix + ":Flag] BoolEquals true",
	"@Principal[" + csaPrefix + ":When] DateTimeLessThan '2024-01-01T00:00:00Z'",
	"@Principal[" + csaPrefix + ":Id] GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 OR @Principal[" + csaPrefix + ":Id] ForAnyOfAnyValues:GuidNotEquals {5e467623-bb1f-42f4-a55d-6e525e11384b}",
	"@Principal[" + csaPrefix + ":Engineering_Project] ForAllOfAnyValues:StringEqualsIgnoreCase {'baker', 'cascade', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'ß'}",
	"@Principal[" + csaPrefix + ":Engineering_Project] ForAnyOfAllValues:StringNotLike {'*x*', '?'}",
	"@Resource[" + tagsDict + "&$keys$&] ForAllOfAnyValues:StringEquals {'Project', 'Program', 'a', 'b', 'c', 'd', 'e', 'f', 'g'}",
	"@Request[" + tagsDict + "&$keys$&] ForAnyOfAnyValues:StringLikeIgnoreCase 'p*' AND Exists @Request[" + tagsDict + ":Project" + kcs + "]",
	"@Resource[" + tagsDict + ":Project" + kcs + "] StringEquals @Request[" + tagsDict + ":Project" + kcs + "]",
	"@Resource[" + metaDict + ":testKey] StringStartsWithIgnoreCase 'TEST' OR NotExists @Resource[" + metaDict + ":testKey]",
	"@Request[" + blobs + ":include] ForAllOfAllValues:StringNotEquals {'Snapshots'} AND @Request[" + blobs + ":include] ForAnyOfAnyValues:StringLike '*s'",
	"@Request[" + blobs + ":versionId] DateTimeEquals @Request[" + blobs + ":snapshot] OR @Environment[UtcNow] DateTimeGreaterThanEquals '2023-05-01T13:00:00Z'",
	"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {ba92f5b4-2d11-453d-a403-e96b0029c9fe, 8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 00000000-0000-0000-0000-000000000001, 00000000-0000-0000-0000-000000000002, 00000000-0000-0000-0000-000000000003, 00000000-0000-0000-0000-000000000004, 00000000-0000-0000-0000-000000000005, 00000000-0000-0000-0000-000000000006, 00000000-0000-0000-0000-000000000007}",
	"@Environment[isPrivateLink] BoolNotEquals @Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] OR @Resource[" + blobs + ":isCurrentVersion] BoolEquals false",
	"@Resource[" + blobs + ":path] StringLike '*/*.txt' OR @Request[" + blobs + ":prefix] StringStartsWith 'logs/' OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'container1'}",
	"ActionMatches{'*/read'} AND SubOperationMatches{'Blob.List', 'BLOB.READ.WITHTAGCONDITIONS'} OR ActionMatches{'Microsoft.Authorization/roleAssignments/*'}",
	"Exists @Environment[Microsoft.Network/privateEndpoints] AND NOT Exists @Environment[Microsoft.Network/virtualNetworks/subnets]",
}

type requestProgram struct {
	src        string
	opt, noopt *abacc.Program
}

var (
	reqProgsOnce sync.Once
	reqProgs     []requestProgram
	reqProgsErr  error
)

func requestPrograms(t testing.TB) []requestProgram {
	t.Helper()
	// A handful: every fifth conformance condition and the conditions above.
	var conds []string
	for i, c := range conformanceConditions(t) {
		if i%5 == 0 {
			conds = append(conds, c)
		}
	}
	conds = append(conds, requestConditions...)
	reqProgsOnce.Do(func() {
		for _, src := range conds {
			opt, err := abacc.Compile(src)
			if err != nil {
				reqProgsErr = err
				return
			}
			noopt, err := compileOpts(src, hooks.Options{NoOptimize: true})
			if err != nil {
				reqProgsErr = err
				return
			}
			reqProgs = append(reqProgs, requestProgram{src, opt, noopt})
		}
	})
	if reqProgsErr != nil {
		t.Fatalf("a fixed condition does not compile: %v", reqProgsErr)
	}
	return reqProgs
}

var trickyRequests = []string{
	``, `{}`, `[]`, `null`, `{"action": null}`, `{"action": 5}`, `{"action": "a", "action": "b"}`, `{"action": "a"} {}`,
	`{"action": "a",}`, `{"action": "a"`, `{"action": "\ud800"}`, `{"action": "\xff"}`, "\ufeff{\"action\": \"a\"}",
	`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts:name": null}}`,
	`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts:name": [[]]}}`,
	`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts:name": {}}}`,
	`{"action": "a", "resource": {"Microsoft.Storage/storageAccounts:NAME": "x", "Microsoft.Storage/storageAccounts:name": "y"}}`,
	`{"action": "a", "resource": {"` + tagsDict + `": {"k": "v"}, "` + tagsDict + `:k` + kcs + `": "w"}}`,
	`{"action": "a", "resource": {"` + tagsDict + `:k` + kcs + `": "w"}}`,
	`{"action": "a", "resource": {"` + tagsDict + `&$keys$&": ["k"]}}`,
	`{"action": "a", "resource": {"` + tagsDict + `": {"k": ["v", 1]}}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `:L": [1, "x"]}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `:L": 1e3}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `:L": 1.0}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `:L": -0}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `:L": 9223372036854775808}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `": {"L": 1}, "` + csaPrefix + `:L": 2}}`,
	`{"action": "a", "principal": {"` + csaPrefix + `": []}}`,
	`{"action": "a", "environment": {"UtcNow": "2023-05-01T13:00:00.12345678Z"}}`,
	`{"action": "a", "environment": {"UtcNow": 5}}`,
	`{"action": "a", "environment": {"isPrivateLink": "true"}}`,
	`{"action": "a", "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "not-a-guid"}}`,
	`{"action": "a", "Resource": {}}`, `{"action": "a", "resources": {}}`, `{"action": "a", "environment": []}`,
	`{"action": "a", "subOperation": "s", "subOperation": "t"}`,
	"{\"action\": \"a\"}\n\n", "{\"action\": \"a\" /* */}",
	strings.Repeat("[", 5000), `{"action": "a", "resource": {"x": ` + strings.Repeat("[", 1000) + `}}`,
}

// FuzzRequestJSON reads arbitrary bytes as a request document. UnmarshalJSON must never panic;
// a request it accepts must decide every fixed condition alike in the optimized VM, the
// unoptimized VM and the reference interpreter; and decoding the same bytes again, into the
// same request and into one that held another document, must succeed or fail alike and give
// identical decisions (a reused request keeps nothing of its past).
func FuzzRequestJSON(f *testing.F) {
	for _, r := range corpusRequests(f) {
		f.Add(r)
	}
	for _, r := range fixedRequestJSON {
		f.Add([]byte(r))
	}
	for _, r := range trickyRequests {
		f.Add([]byte(r))
	}
	f.Add([]byte(`{"action": "a", "resource": {"` + longDictName + `": "v"}}`))
	progs := requestPrograms(f)
	fixed := fixedRequests(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		req := abacc.NewRequest()
		start := time.Now()
		err := req.UnmarshalJSON(data)
		if d := time.Since(start); d > parseLimit(len(data)) {
			t.Fatalf("UnmarshalJSON took %v on %d bytes: %q", d, len(data), clip(string(data)))
		}
		dirty := dirtyRequest(t)
		err2 := dirty.UnmarshalJSON(data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("decoding into a fresh request gives %v, into a reused one %v\nrequest: %q", err, err2, data)
		}
		if err != nil {
			// A request left half-filled by a failed decode must refill cleanly.
			if err := req.UnmarshalJSON([]byte(fixedRequestJSON[1])); err != nil {
				t.Fatalf("after a failed decode, a valid request no longer decodes: %v\nfailed input: %q", err, data)
			}
			for _, p := range progs {
				if got, want := p.opt.Eval(req), p.opt.Eval(fixed[1]); got != want {
					t.Fatalf("after a failed decode of %q, fixed request 1 decides %v instead of %v\ncondition:\n%s", data, got, want, p.src)
				}
			}
			return
		}
		first := make([]bool, len(progs))
		for i, p := range progs {
			ref := p.opt.EvalReference(req)
			vmOpt, vmNo := p.opt.Eval(req), p.noopt.Eval(req)
			if vmOpt != ref || vmNo != ref {
				t.Fatalf("decisions differ: reference=%v VM(optimized)=%v VM(unoptimized)=%v\ncondition:\n%s\nrequest: %s\nbytecode:\n%s",
					ref, vmOpt, vmNo, p.src, data, p.opt.Disassemble())
			}
			first[i] = ref
			if got := p.opt.Eval(dirty); got != ref {
				t.Fatalf("a reused request decides %v, a fresh one %v\ncondition:\n%s\nrequest: %s", got, ref, p.src, data)
			}
		}
		// The same bytes again into the same request.
		if err := req.UnmarshalJSON(data); err != nil {
			t.Fatalf("the request decoded once but not twice: %v\nrequest: %s", err, data)
		}
		for i, p := range progs {
			if got, got2 := p.opt.Eval(req), p.opt.EvalReference(req); got != first[i] || got2 != first[i] {
				t.Fatalf("after decoding the same bytes again the VM decides %v and the reference %v, before %v\ncondition:\n%s\nrequest: %s",
					got, got2, first[i], p.src, data)
			}
		}
	})
}

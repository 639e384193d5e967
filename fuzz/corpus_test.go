// Package fuzz holds abacc's native Go fuzz targets (go test -fuzz). Plain `go test ./fuzz` runs
// every target on its seeds only (the f.Add seeds built here from the conformance, operator,
// error and formatter corpora, plus the files under fuzz/testdata/fuzz/FuzzX/, which include
// every crash a fuzzing run has found): a fast regression test. fuzz/run.sh fuzzes each target
// in turn; see RUNS.md for the runs made so far.
//
// Targets:
//
//	FuzzParse          any text: the front end never panics and finishes quickly; an accepted
//	                   condition prints, reparses to an equal tree, and printing is idempotent
//	FuzzDifferential   bytes decoded into a (condition, request) pair: optimized VM, unoptimized
//	                   VM and the reference interpreter decide alike
//	FuzzBundle         arbitrary bytes as a bundle (as given, resealed, and as a raw payload):
//	                   loading never panics; loaded programs evaluate without panicking
//	FuzzDecodeProgram  arbitrary bytes as bytecode: vm.Decode never panics; a decoded program
//	                   evaluates, disassembles and re-encodes without panicking
//	FuzzLike           match.Like against a plain rune-wise reference matcher
//	FuzzRequestJSON    arbitrary bytes as a request document: decoding never panics; a decoded
//	                   request decides alike in the VM and the reference interpreter, and
//	                   decoding into a reused request gives the same decisions
//	FuzzExtended       a condition in the extended dialect and a request: FuzzParse's and
//	                   FuzzDifferential's checks for the IP, time-of-day, range and list
//	                   operators and their literals (internal/ipaddr:FuzzParse holds the
//	                   VM's address reader to net/netip, internal/attrs:FuzzParseTimeOfDay the
//	                   time-of-day literal reader to package time)
package fuzz

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/abacc/abacc"
)

// root is the module root, relative to this package's directory (where go test runs).
const root = ".."

// corpusCase is one (condition, request, expectation) of the conformance or operator corpora.
type corpusCase struct {
	File      string
	Condition string
	Request   []byte
	Expect    bool
}

// corpusFile is the shape of testdata/conformance/*.json and testdata/operators/*.json.
type corpusFile struct {
	Condition string `json:"condition"`
	Cases     []struct {
		Request json.RawMessage `json:"request"`
		Expect  bool            `json:"expect"`
	} `json:"cases"`
	Rows []struct {
		Condition string          `json:"condition"`
		Request   json.RawMessage `json:"request"`
		Expect    bool            `json:"expect"`
	} `json:"rows"`
}

var (
	corpusOnce  sync.Once
	corpusCases []corpusCase
	corpusErr   error
)

// loadCorpus reads every case of testdata/conformance and testdata/operators (once).
func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	corpusOnce.Do(func() {
		for _, dir := range []string{"conformance", "operators"} {
			files, err := filepath.Glob(filepath.Join(root, "testdata", dir, "*.json"))
			if err != nil {
				corpusErr = err
				return
			}
			sort.Strings(files)
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					corpusErr = err
					return
				}
				var cf corpusFile
				if err := json.Unmarshal(data, &cf); err != nil {
					corpusErr = err
					return
				}
				for _, c := range cf.Cases {
					corpusCases = append(corpusCases, corpusCase{f, cf.Condition, c.Request, c.Expect})
				}
				for _, r := range cf.Rows {
					corpusCases = append(corpusCases, corpusCase{f, r.Condition, r.Request, r.Expect})
				}
			}
		}
	})
	if corpusErr != nil {
		t.Fatalf("loading the corpora: %v", corpusErr)
	}
	if len(corpusCases) == 0 {
		t.Fatalf("no cases found under %s/testdata/{conformance,operators}", root)
	}
	return corpusCases
}

// conformanceConditions returns the distinct conditions of testdata/conformance, in file order.
func conformanceConditions(t testing.TB) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range loadCorpus(t) {
		if filepath.Base(filepath.Dir(c.File)) != "conformance" || seen[c.Condition] {
			continue
		}
		seen[c.Condition] = true
		out = append(out, c.Condition)
	}
	return out
}

// corpusConditions returns the distinct conditions of both corpora.
func corpusConditions(t testing.TB) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range loadCorpus(t) {
		if !seen[c.Condition] {
			seen[c.Condition] = true
			out = append(out, c.Condition)
		}
	}
	return out
}

// corpusRequests returns the distinct request documents of both corpora.
func corpusRequests(t testing.TB) [][]byte {
	var out [][]byte
	seen := map[string]bool{}
	for _, c := range loadCorpus(t) {
		if !seen[string(c.Request)] {
			seen[string(c.Request)] = true
			out = append(out, c.Request)
		}
	}
	return out
}

// textFiles returns the contents of the files matching pattern under the module root.
func textFiles(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, pattern))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(data))
	}
	return out
}

// invalidConditions returns testdata/errors/*.cond (conditions that must be rejected).
func invalidConditions(t testing.TB) []string {
	out := textFiles(t, "testdata/errors/*.cond")
	if len(out) == 0 {
		t.Fatalf("no conditions found in %s/testdata/errors", root)
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// Fixed requests and conditions shared by the targets that evaluate programs they did not
// generate (bundles, decoded bytecode, fuzzed requests).

const (
	blobs     = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	blobRead  = blobs + "/read"
	tagsDict  = blobs + "/tags"
	metaDict  = "Microsoft.Storage/storageAccounts/blobServices/containers/metadata"
	csaPrefix = "Microsoft.Directory/CustomSecurityAttributes/Id"
	kcs       = "<$key_case_sensitive$>"
)

// fixedRequestJSON are requests that exercise every kind of value: missing attributes, single
// and multi-valued ones, empty arrays, dictionaries, untyped custom security attributes of every
// JSON kind, and unusual actions.
var fixedRequestJSON = []string{
	`{"action": "` + blobRead + `"}`,
	`{"action": "` + blobRead + `", "subOperation": "Blob.List",
	  "resource": {
	    "Microsoft.Storage/storageAccounts:name": "sampleaccount",
	    "Microsoft.Storage/storageAccounts/blobServices/containers:name": "container1",
	    "` + blobs + `:path": "readonly/report.txt",
	    "Microsoft.Storage/storageAccounts:isHnsEnabled": false,
	    "` + blobs + `:isCurrentVersion": true,
	    "` + tagsDict + `": {"Project": "Cascade", "Program": "Alpine", "project": "x"},
	    "` + metaDict + `": {"testKey": "testValue"},
	    "Microsoft.Authorization/roleAssignments:RoleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
	  },
	  "request": {
	    "` + blobs + `:prefix": "logs/",
	    "` + blobs + `:versionId": "2022-06-01T23:38:32.8883645Z",
	    "` + blobs + `:snapshot": "2022-06-01T23:38:32Z",
	    "` + tagsDict + `": {"Project": "Baker"},
	    "` + blobs + `:include": ["Snapshots", "Versions"],
	    "Microsoft.Authorization/roleAssignments:RoleDefinitionId": "8E3AF657A8FF443CA75C2FE8C4BCB635",
	    "Microsoft.Authorization/roleAssignments:PrincipalId": "5e467623-bb1f-42f4-a55d-6e525e11384b",
	    "Microsoft.Authorization/roleAssignments:PrincipalType": "User"
	  },
	  "principal": {
	    "` + csaPrefix + `:Engineering_Project": ["Baker", "Cascade"],
	    "` + csaPrefix + `:Level": 5,
	    "` + csaPrefix + `:Flag": true,
	    "` + csaPrefix + `:When": "2023-05-01T13:00:00Z",
	    "` + csaPrefix + `:Id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	  },
	  "environment": {
	    "isPrivateLink": true,
	    "Microsoft.Network/privateEndpoints": "/subscriptions/s/privateEndpoints/pe1",
	    "Microsoft.Network/virtualNetworks/subnets": "/subscriptions/s/subnets/default",
	    "UtcNow": "2023-05-01T13:00:00.0000000Z"
	  }}`,
	`{"action": "MICROSOFT.STORAGE/STORAGEACCOUNTS/BLOBSERVICES/CONTAINERS/BLOBS/WRITE", "subOperation": "",
	  "resource": {"` + tagsDict + `": {}, "` + metaDict + `": {}, "` + blobs + `:path": ""},
	  "request": {"` + blobs + `:include": [], "` + tagsDict + `": {"Project": ["a", "b"]}},
	  "principal": {"` + csaPrefix + `": {"Engineering_Project": [], "Level": ["5", "6"], "Id": 7, "When": false}},
	  "environment": {"UtcNow": "9999-12-31T23:59:59.9999999+14:00"}}`,
	`{"action": "Microsoft.Authorization/roleAssignments/write",
	  "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
	    "Microsoft.Authorization/roleAssignments:PrincipalType": "ServicePrincipal"},
	  "principal": {"` + csaPrefix + `:Level": -9223372036854775808, "` + csaPrefix + `:Engineering_Project": "\u212Aß\ufffd*?\\"}}`,
}

var (
	fixedOnce sync.Once
	fixedReqs []*abacc.Request
	fixedErr  error
)

// fixedRequests returns the decoded fixedRequestJSON (shared, read-only after loading).
func fixedRequests(t testing.TB) []*abacc.Request {
	t.Helper()
	fixedOnce.Do(func() {
		for _, js := range fixedRequestJSON {
			r := abacc.NewRequest()
			if err := r.UnmarshalJSON([]byte(js)); err != nil {
				fixedErr = err
				return
			}
			fixedReqs = append(fixedReqs, r)
		}
	})
	if fixedErr != nil {
		t.Fatalf("a fixed request does not decode: %v", fixedErr)
	}
	return fixedReqs
}

// longDictName is an unknown attribute name of 25 KB holding a ':', the regression seed of the
// quadratic "did you mean" suggestion (see RUNS.md): FuzzParse and FuzzRequestJSON time it.
var longDictName = "Microsoft.Storage/storageAccounts/blobServices/containers/metadatax:" + strings.Repeat("k", 25000)

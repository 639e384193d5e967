// Package peers compares abacc with general-purpose policy and expression engines on the
// workload corpus of ../corpus: github.com/expr-lang/expr, cel.dev/cel-go (formerly
// github.com/google/cel-go), github.com/open-policy-agent/opa (v1/rego),
// github.com/cedar-policy/cedar-go and hand-written Go functions over a prepared struct. Every corpus condition is translated by hand for each
// engine (translations.go); TestAgreement checks that every engine decides every corpus
// request as abacc does and as the corpus expects, and the benchmarks (peers_test.go,
// cmd/peercompare) time the decisions and the compilations. See README.md.
//
// It is a module of its own so that abacc's main module does not depend on the engines.
package peers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Case is one request of a corpus condition with its expected decision.
type Case struct {
	Name    string          `json:"name"`
	Request json.RawMessage `json:"request"`
	Expect  bool            `json:"expect"`
	// Req is the request decoded once (ParseRequest), the source of the peers' inputs.
	Req *Req `json:"-"`
}

// Condition is one corpus file.
type Condition struct {
	// ID is the file name without ".json", e.g. "02-tag-project-read".
	ID          string `json:"-"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Condition   string `json:"condition"`
	Cases       []Case `json:"cases"`
}

// CorpusDir finds the corpus: $ABACC_PEERS_CORPUS if set, else ../corpus (from bench/peers, the
// directory `go test` and `go run ./cmd/peercompare` run in), else bench/corpus (from the root
// of the main module).
func CorpusDir() (string, error) {
	if d := os.Getenv("ABACC_PEERS_CORPUS"); d != "" {
		return d, nil
	}
	for _, d := range []string{"../corpus", "bench/corpus", "../../corpus"} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d, nil
		}
	}
	return "", fmt.Errorf("corpus not found: run from bench/peers or set ABACC_PEERS_CORPUS")
}

// LoadCorpus reads every *.json of dir, sorted by name, and decodes every request.
func LoadCorpus(dir string) ([]*Condition, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no corpus files in %s", dir)
	}
	sort.Strings(files)
	var out []*Condition
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c := &Condition{}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(c); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		c.ID = strings.TrimSuffix(filepath.Base(f), ".json")
		if len(c.Cases) == 0 {
			return nil, fmt.Errorf("%s: no cases", f)
		}
		for i := range c.Cases {
			r, err := ParseRequest(c.Cases[i].Request)
			if err != nil {
				return nil, fmt.Errorf("%s: case %q: %v", f, c.Cases[i].Name, err)
			}
			c.Cases[i].Req = r
		}
		out = append(out, c)
	}
	return out, nil
}

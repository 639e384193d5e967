package bundle_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"github.com/abacc/abacc/internal/hooks"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
	"github.com/klauspost/compress/zstd"
)

type corpusCase struct {
	name    string
	src     string
	request []json.RawMessage
}

func corpus(t *testing.T) []corpusCase {
	files, _ := filepath.Glob("../../testdata/conformance/*.json")
	if len(files) == 0 {
		t.Fatal("no conformance files")
	}
	var out []corpusCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Condition string
			Cases     []struct{ Request json.RawMessage }
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatal(err)
		}
		c := corpusCase{name: filepath.Base(f), src: cf.Condition}
		for _, k := range cf.Cases {
			c.request = append(c.request, k.Request)
		}
		out = append(out, c)
	}
	return out
}

func build(t *testing.T, cases []corpusCase, withSource bool) []byte {
	var named []abacc.NamedProgram
	for _, c := range cases {
		p, err := abacc.Compile(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		named = append(named, abacc.NamedProgram{Name: c.name, Program: p})
	}
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, named, withSource); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRoundTrip: every conformance condition decides every one of its requests the same from
// source and from a bundle, with and without source text in the bundle.
func TestRoundTrip(t *testing.T) {
	cases := corpus(t)
	for _, withSource := range []bool{true, false} {
		data := build(t, cases, withSource)
		b, err := abacc.LoadBundle(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Names()) != len(cases) {
			t.Fatalf("%d programs, want %d", len(b.Names()), len(cases))
		}
		for _, c := range cases {
			direct, _ := abacc.Compile(c.src)
			loaded := b.Program(c.name)
			if loaded == nil {
				t.Fatalf("%s missing from the bundle", c.name)
			}
			if loaded.HasSource() != withSource {
				t.Errorf("%s: HasSource %v", c.name, loaded.HasSource())
			}
			for i, rj := range c.request {
				req := abacc.NewRequest()
				if err := req.UnmarshalJSON(rj); err != nil {
					t.Fatal(err)
				}
				if direct.Eval(req) != loaded.Eval(req) {
					t.Errorf("%s case %d: source and bundle disagree", c.name, i)
				}
				if withSource && loaded.Explain(req).Result != direct.Eval(req) {
					t.Errorf("%s case %d: explanation from the bundle disagrees", c.name, i)
				}
			}
		}
	}
}

// TestCorruption: every single-byte change, every truncation and random garbage is rejected.
func TestCorruption(t *testing.T) {
	data := build(t, corpus(t)[:3], true)
	for i := range data {
		for _, delta := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(data)
			bad[i] ^= delta
			if _, err := abacc.LoadBundle(bad); err == nil {
				t.Fatalf("byte %d ^ %#x accepted", i, delta)
			}
		}
	}
	for n := 0; n < len(data); n++ {
		if _, err := abacc.LoadBundle(data[:n]); err == nil {
			t.Fatalf("truncation to %d bytes accepted", n)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 2000; i++ {
		garbage := make([]byte, rng.Intn(2*len(data)))
		rng.Read(garbage)
		if i%2 == 0 && len(garbage) > 8 {
			copy(garbage, bundle.Magic)
		}
		if _, err := abacc.LoadBundle(garbage); err == nil {
			t.Fatalf("random garbage accepted")
		}
	}
}

// reseal builds an unsigned (format 1.0) bundle around an arbitrary payload with a correct
// checksum, as an attacker who knows the format could: the inner checks, not the checksum, must
// then catch problems.
var encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))

func reseal(payload []byte, declared uint64) []byte {
	comp := encoder.EncodeAll(payload, nil)
	var out []byte
	out = append(out, bundle.Magic...)
	out = binary.LittleEndian.AppendUint16(out, bundle.Major)
	out = binary.LittleEndian.AppendUint16(out, 0)
	out = append(out, 1)
	out = append(out, 0) // empty compiler string
	out = binary.LittleEndian.AppendUint64(out, declared)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(comp)))
	out = append(out, comp...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

// TestTamperedPayload mutates the payload behind a valid checksum: every result must be an
// error or a set of verified programs that evaluate without panicking.
func TestTamperedPayload(t *testing.T) {
	cases := corpus(t)[:4]
	data := build(t, cases, true)
	good, err := bundle.Read(data, attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	var entries []bundle.Entry
	entries = append(entries, good.Entries...)
	var buf bytes.Buffer
	if err := bundle.Write(&buf, "x", entries, true); err != nil {
		t.Fatal(err)
	}
	// Recover the payload by decompressing the body of a bundle we wrote.
	payload := decompress(t, buf.Bytes())
	if _, err := bundle.Read(reseal(payload, uint64(len(payload))), attrs.Default); err != nil {
		t.Fatalf("resealed original rejected: %v", err)
	}
	var reqs []*abacc.Request
	for _, c := range cases {
		for _, rj := range c.request {
			r := abacc.NewRequest()
			if err := r.UnmarshalJSON(rj); err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, r)
		}
	}
	accepted := 0
	for i := range payload {
		for _, delta := range []byte{0x01, 0x02, 0x80, 0xff} {
			bad := bytes.Clone(payload)
			bad[i] ^= delta
			b, err := bundle.Read(reseal(bad, uint64(len(bad))), attrs.Default)
			if err != nil {
				continue
			}
			accepted++
			for _, e := range b.Entries {
				for _, r := range reqs {
					func() {
						defer func() {
							if p := recover(); p != nil {
								t.Fatalf("payload byte %d ^ %#x: verified program panicked: %v", i, delta, p)
							}
						}()
						e.Program.Eval(hooks.Vector(r))
					}()
				}
			}
		}
	}
	t.Logf("%d payload bytes mutated; %d mutations still verified (changed constants or names) and ran safely", len(payload), accepted)
	// Bombs: a bundle that declares more than the cap, and one that declares little but
	// expands to more.
	bomb := make([]byte, bundle.MaxPayload+1)
	if _, err := bundle.Read(reseal(bomb, uint64(len(bomb))), attrs.Default); err == nil {
		t.Error("oversized payload accepted")
	}
	if _, err := bundle.Read(reseal(bomb, 100), attrs.Default); err == nil {
		t.Error("payload larger than declared accepted")
	}
}

func decompress(t *testing.T, data []byte) []byte {
	body := data[:len(data)-sha256.Size]
	off := len(bundle.Magic) + 5
	n, k := binary.Uvarint(body[off:])
	off += k + int(n) + 16
	dec, _ := zstd.NewReader(nil)
	out, err := dec.DecodeAll(body[off:], nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMismatchedSource: a bundle whose source text says one thing and whose bytecode another
// still explains with the bytecode's decision, and says so.
func TestMismatchedSource(t *testing.T) {
	yes, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true`)
	no, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals false`)
	var buf bytes.Buffer
	err := bundle.Write(&buf, "x", []bundle.Entry{{Name: "p", Source: no.Source(), Program: hooks.Bytecode(yes)}}, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := abacc.LoadBundle(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	req := abacc.NewRequest()
	_ = req.UnmarshalJSON([]byte(`{"action": "a", "environment": {"isPrivateLink": true}}`))
	p := b.Program("p")
	ex := p.Explain(req)
	if !p.Eval(req) || !ex.Result || ex.Note == "" {
		t.Errorf("Eval %v, Explain %v, note %q", p.Eval(req), ex.Result, ex.Note)
	}
}

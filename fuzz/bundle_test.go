package fuzz

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
	"github.com/abacc/abacc/internal/vm"
)

// headerLen is the fixed part of a bundle header: magic, major, minor, compression.
const headerLen = len(bundle.Magic) + 2 + 2 + 1

var zenc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithZeroFrames(true), zstd.WithEncoderConcurrency(1))

// seal wraps a payload in a well-formed bundle envelope (header, zstd, checksum), so that the
// fuzzer's bytes reach the payload parser and vm.Decode rather than stopping at the checksum.
func seal(payload []byte) []byte {
	compressed := zenc.EncodeAll(payload, nil)
	var out []byte
	out = append(out, bundle.Magic...)
	out = binary.LittleEndian.AppendUint16(out, bundle.Major)
	out = binary.LittleEndian.AppendUint16(out, 0) // format 1.0: no signature block
	out = append(out, 1)                           // zstd
	out = binary.AppendUvarint(out, uint64(len("fuzz")))
	out = append(out, "fuzz"...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(compressed)))
	out = append(out, compressed...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

// reseal repairs the compressed-length field and the checksum of a mutated bundle, so that a
// mutation of the header or the compressed stream is judged by what follows them. It returns
// nil when the header is too damaged to find the length field.
func reseal(data []byte) []byte {
	if len(data) < headerLen+sha256.Size {
		return nil
	}
	body := bytes.Clone(data[:len(data)-sha256.Size])
	n, w := binary.Uvarint(body[headerLen:])
	if w <= 0 || n > uint64(len(body)) {
		return nil
	}
	off := headerLen + w + int(n)
	if off+16 > len(body) {
		return nil
	}
	binary.LittleEndian.PutUint64(body[off+8:], uint64(len(body)-off-16))
	sum := sha256.Sum256(body)
	return append(body, sum[:]...)
}

// unseal returns a bundle's decompressed payload (for seeds).
func unseal(t testing.TB, data []byte) []byte {
	body := data[:len(data)-sha256.Size]
	n, w := binary.Uvarint(body[headerLen:])
	off := headerLen + w + int(n) + 16
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	payload, err := dec.DecodeAll(body[off:], nil)
	if err != nil {
		t.Fatalf("unseal: %v", err)
	}
	return payload
}

// seedBundles writes small bundles of the conformance conditions (one to three programs each,
// with and without sources; small, so that fuzzing runs fast), and an empty one.
func seedBundles(t testing.TB) [][]byte {
	var progs []abacc.NamedProgram
	for i, src := range conformanceConditions(t) {
		p, err := abacc.Compile(src)
		if err != nil {
			t.Fatalf("conformance condition %d does not compile: %v", i, err)
		}
		progs = append(progs, abacc.NamedProgram{Name: fmt.Sprintf("c%02d", i), Program: p})
	}
	var out [][]byte
	write := func(ps []abacc.NamedProgram, withSource bool) {
		var b bytes.Buffer
		if err := abacc.WriteBundle(&b, ps, withSource); err != nil {
			t.Fatalf("WriteBundle: %v", err)
		}
		out = append(out, b.Bytes())
	}
	for i := 0; i+3 <= len(progs); i += 3 {
		write(progs[i:i+1+i%3], i%2 == 0)
	}
	write(nil, true)
	return out
}

// FuzzBundle reads arbitrary bytes as a bundle three ways: as given, resealed (length field and
// checksum repaired) and as a raw payload sealed in a valid envelope. abacc.LoadBundle and
// bundle.Read must never panic, and every program of a bundle that loads must evaluate the
// fixed requests (VM, reference interpreter, explanation) and disassemble without panicking.
func FuzzBundle(f *testing.F) {
	for _, b := range seedBundles(f) {
		f.Add(b)
		f.Add(unseal(f, b))
		// Corruptions: truncations, a flipped byte in the header, the stream and the checksum.
		f.Add(b[:len(b)/2])
		f.Add(b[:len(b)-1])
		for _, i := range []int{0, 8, 12, 14, len(b) / 2, len(b) - 1} {
			c := bytes.Clone(b)
			c[i] ^= 0x41
			f.Add(c)
		}
		p := unseal(f, b)
		for _, i := range []int{0, 1, 2, len(p) / 3, len(p) / 2, len(p) - 1} {
			if i >= 0 && i < len(p) {
				c := bytes.Clone(p)
				c[i] ^= 0x41
				f.Add(c)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte(bundle.Magic))
	reqs := fixedRequests(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		try := func(how string, data []byte) {
			if data == nil {
				return
			}
			if _, err := bundle.Read(data, attrs.Default); err != nil {
				if _, err2 := abacc.LoadBundle(data); err2 == nil {
					t.Fatalf("%s: bundle.Read rejects the bundle (%v) but abacc.LoadBundle accepts it", how, err)
				}
				return
			}
			b, err := abacc.LoadBundle(data)
			if err != nil {
				t.Fatalf("%s: bundle.Read accepts the bundle but abacc.LoadBundle rejects it: %v", how, err)
			}
			for _, name := range b.Names() {
				p := b.Program(name)
				if p == nil {
					t.Fatalf("%s: Program(%q) is nil though Names lists it", how, name)
				}
				for i, r := range reqs {
					p.Eval(r)
					if i < 2 {
						p.EvalReference(r)
						p.Explain(r)
					}
				}
				_ = p.Disassemble()
				_ = p.Format()
			}
		}
		try("as given", data)
		try("resealed", reseal(data))
		try("as payload", seal(data))
	})
}

// FuzzDecodeProgram reads arbitrary bytes as encoded bytecode: vm.Decode must never panic; a
// program it accepts must evaluate the fixed requests, disassemble and report its size without
// panicking, and re-encode to bytes that decode again to a program that encodes the same
// (Encode∘Decode is a fixed point after one round) and decides alike.
func FuzzDecodeProgram(f *testing.F) {
	for _, src := range conformanceConditions(f) {
		for _, noopt := range []bool{false, true} {
			p, err := compileOpts(src, hooks.Options{NoOptimize: noopt})
			if err != nil {
				continue
			}
			enc := hooks.Bytecode(p).Encode()
			f.Add(enc)
			if !noopt && len(enc) > 8 {
				f.Add(enc[:len(enc)-1])
				c := bytes.Clone(enc)
				c[len(c)/2] ^= 0x80
				f.Add(c)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte{vm.FormatVersion})
	reqs := fixedRequests(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := vm.Decode(data, attrs.Default)
		if err != nil {
			return
		}
		want := make([]bool, len(reqs))
		for i, r := range reqs {
			want[i] = p.Eval(hooks.Vector(r))
		}
		_ = p.Disassemble()
		_, _ = p.MaxSteps(), p.Size()
		enc := p.Encode()
		q, err := vm.Decode(enc, attrs.Default)
		if err != nil {
			t.Fatalf("a decoded program re-encodes to bytes Decode rejects: %v\ninput: %x\nprogram:\n%s", err, data, p.Disassemble())
		}
		if enc2 := q.Encode(); !bytes.Equal(enc, enc2) {
			t.Fatalf("Encode(Decode(Encode(p))) differs from Encode(p)\ninput: %x", data)
		}
		for i, r := range reqs {
			if got := q.Eval(hooks.Vector(r)); got != want[i] {
				t.Fatalf("fixed request %d: the re-decoded program decides %v, the decoded one %v\ninput: %x", i, got, want[i], data)
			}
		}
	})
}

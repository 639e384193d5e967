package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
	"github.com/abacc/abacc/internal/hooks"
)

const extendedSrc = `@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Net_Ip] IpMatch '10.0.0.0/8'`

// extendedEntry compiles src with the extended dialect into a bundle entry marked as such.
func extendedEntry(t *testing.T, name, src string) bundle.Entry {
	t.Helper()
	p, err := abacc.CompileWith(src, abacc.Options{Dialect: abacc.DialectExtended})
	if err != nil {
		t.Fatal(err)
	}
	return bundle.Entry{Name: name, Source: src, Program: hooks.Bytecode(p), Extended: true}
}

func writeEntries(t *testing.T, es []bundle.Entry, opts bundle.WriteOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bundle.WriteWith(&buf, es, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDialectRecorded: a bundle holding a program compiled with the extended dialect is format
// 1.2 with the program marked; a reader refuses it unless it allows the extended dialect; a
// bundle of standard programs stays 1.0 (1.1 signed), byte for byte the old layout.
func TestDialectRecorded(t *testing.T) {
	es := append(entries(t), extendedEntry(t, "ip", extendedSrc))
	for _, keys := range [][]int{nil, {7}} {
		opts := bundle.WriteOptions{Compiler: "test", WithSource: true}
		for range keys {
			opts.SigningKeys = append(opts.SigningKeys, key(7))
		}
		data := writeEntries(t, es, opts)
		if v := binary.LittleEndian.Uint16(data[10:]); v != bundle.MinorDialect {
			t.Fatalf("format 1.%d, want 1.%d", v, bundle.MinorDialect)
		}
		_, err := bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{})
		wantError(t, "extended bundle, standard reader", err, `program "ip" was compiled with the extended dialect, which this reader does not allow`)
		var trusted []ed25519.PublicKey
		if keys != nil {
			trusted = append(trusted, pub(key(7)))
		}
		b, err := bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{AllowExtended: true, TrustedKeys: trusted})
		if err != nil {
			t.Fatalf("extended reader: %v", err)
		}
		if b.Minor != bundle.MinorDialect || len(b.Entries) != 3 || b.Entries[0].Extended || !b.Entries[2].Extended {
			t.Errorf("read back: format 1.%d, %+v", b.Minor, b.Entries)
		}
		if keys != nil && (len(b.Signatures) != 1 || !b.Signatures[0].Verified) {
			t.Errorf("signatures: %+v", b.Signatures)
		}
	}
	// Standard programs, written by a release that knows dialects: the old layouts.
	if v := binary.LittleEndian.Uint16(write(t)[10:]); v != 0 {
		t.Errorf("an unsigned standard bundle is format 1.%d, want 1.0", v)
	}
	if v := binary.LittleEndian.Uint16(write(t, key(1))[10:]); v != bundle.MinorSigned {
		t.Errorf("a signed standard bundle is format 1.%d, want 1.1", v)
	}
}

// TestDialectOfStandardProgram: what the bundle records is the dialect a program was compiled
// with, even when the program uses no extended operator.
func TestDialectOfStandardProgram(t *testing.T) {
	e := extendedEntry(t, "plain", `@Environment[isPrivateLink] BoolEquals true`)
	if e.Program.Extended() {
		t.Fatal("BoolEquals compiled to an extended instruction")
	}
	data := writeEntries(t, []bundle.Entry{e}, bundle.WriteOptions{WithSource: true})
	if _, err := bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{}); err == nil || !strings.Contains(err.Error(), "extended dialect") {
		t.Errorf("a program compiled with the extended dialect loaded in a standard reader: %v", err)
	}
	// An extended instruction is marked even when the writer forgot to say so.
	p := extendedEntry(t, "ip", extendedSrc)
	p.Extended = false
	data = writeEntries(t, []bundle.Entry{p}, bundle.WriteOptions{})
	if b, err := bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{AllowExtended: true}); err != nil || !b.Entries[0].Extended {
		t.Errorf("unmarked extended program: %v", err)
	}
}

// TestUnmarkedExtendedBytecode: a payload whose program uses an extended-dialect instruction
// without the flag (a forged or hand-made bundle) is refused, whatever the reader allows; and
// the flag bit is unknown before format 1.2.
func TestUnmarkedExtendedBytecode(t *testing.T) {
	e := extendedEntry(t, "ip", extendedSrc)
	payload := func(flags byte) []byte {
		var p []byte
		p = binary.AppendUvarint(p, 1)
		p = binary.AppendUvarint(p, 2)
		p = append(p, "ip"...)
		p = append(p, flags)
		code := e.Program.EncodeCode()
		p = binary.AppendUvarint(p, uint64(len(code)))
		return append(p, code...)
	}
	unmarked := payload(0)
	for _, allow := range []bool{false, true} {
		_, err := bundle.ReadWith(reseal(unmarked, uint64(len(unmarked))), attrs.Default, bundle.ReadOptions{AllowExtended: allow})
		wantError(t, "unmarked extended bytecode", err, "uses instructions of the extended dialect but is not marked")
	}
	marked := payload(2) // the 1.2 flag in a 1.0 bundle
	_, err := bundle.ReadWith(reseal(marked, uint64(len(marked))), attrs.Default, bundle.ReadOptions{AllowExtended: true})
	wantError(t, "dialect flag in a 1.0 bundle", err, "bad flags")
}

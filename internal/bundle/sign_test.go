package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/bundle"
	"github.com/klauspost/compress/zstd"
)

// key derives a deterministic test key.
func key(n byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{n}, ed25519.SeedSize))
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func entries(t *testing.T) []bundle.Entry {
	t.Helper()
	var out []bundle.Entry
	for i, src := range []string{
		`@Environment[isPrivateLink] BoolEquals true`,
		`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'`,
	} {
		p, err := abacc.Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bundle.Entry{Name: fmt.Sprintf("p%d", i), Source: src, Program: hooks.Bytecode(p)})
	}
	return out
}

func write(t *testing.T, keys ...ed25519.PrivateKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bundle.WriteWith(&buf, entries(t), bundle.WriteOptions{Compiler: "test", WithSource: true, SigningKeys: keys}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(data []byte, trusted ...ed25519.PrivateKey) (*bundle.Bundle, error) {
	var keys []ed25519.PublicKey
	for _, k := range trusted {
		keys = append(keys, pub(k))
	}
	return bundle.ReadWith(data, attrs.Default, bundle.ReadOptions{TrustedKeys: keys})
}

// sigBlock returns the offset of the signature block (the end of the compressed payload).
func sigBlock(data []byte) int {
	off := len(bundle.Magic) + 5
	n, k := binary.Uvarint(data[off:])
	off += k + int(n)
	clen := binary.LittleEndian.Uint64(data[off+8:])
	return off + 16 + int(clen)
}

// resealSum replaces the checksum of a bundle body (data without its old checksum).
func resealSum(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

// wantError checks that err is a *bundle.Error mentioning want.
func wantError(t *testing.T, what string, err error, want string) {
	t.Helper()
	var be *bundle.Error
	if err == nil {
		t.Errorf("%s: accepted", what)
	} else if !errors.As(err, &be) {
		t.Errorf("%s: error %T %v is not a *bundle.Error", what, err, err)
	} else if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %q does not mention %q", what, err, want)
	}
}

func TestSignedRoundTrip(t *testing.T) {
	k := key(1)
	data := write(t, k)
	if v := binary.LittleEndian.Uint16(data[10:]); v != 1 {
		t.Fatalf("signed bundle written as minor version %d", v)
	}
	for _, trusted := range [][]ed25519.PrivateKey{nil, {k}} {
		b, err := read(data, trusted...)
		if err != nil {
			t.Fatalf("trusted %d keys: %v", len(trusted), err)
		}
		if len(b.Signatures) != 1 || b.Signatures[0].KeyID != bundle.KeyIDOf(pub(k)) || b.Signatures[0].Verified != (trusted != nil) {
			t.Errorf("trusted %d keys: signatures %+v", len(trusted), b.Signatures)
		}
		if b.Major != 1 || b.Minor != 1 || len(b.Entries) != 2 {
			t.Errorf("version %d.%d, %d entries", b.Major, b.Minor, len(b.Entries))
		}
		if e, ok := b.Lookup("p1"); !ok || e.Name != "p1" {
			t.Errorf("Lookup(p1) = %v, %v", e, ok)
		}
		if _, ok := b.Lookup("nope"); ok {
			t.Error("Lookup found a missing name")
		}
	}
	// The key id is the first 8 bytes of SHA-256 of the raw public key.
	sum := sha256.Sum256(pub(k))
	if id := bundle.KeyIDOf(pub(k)); !bytes.Equal(id[:], sum[:8]) || id.String() != fmt.Sprintf("%x", sum[:8]) {
		t.Errorf("key id %s", id)
	}
	// The signature is over the documented message.
	off := sigBlock(data)
	h := sha256.Sum256(data[:off])
	msg := append([]byte("abacc bundle signature v1\x00"), h[:]...)
	if data[off] != 1 || !ed25519.Verify(pub(k), msg, data[off+1+8:off+1+8+64]) {
		t.Error("the signature does not verify over the documented message")
	}
	if off+1+72+sha256.Size != len(data) {
		t.Errorf("signature block of %d bytes, want 73", len(data)-sha256.Size-off)
	}
}

// TestSignedEveryByteChange: with a trusted key, every single-byte change of a signed bundle is
// rejected, whether or not the checksum is repaired after it.
func TestSignedEveryByteChange(t *testing.T) {
	k := key(1)
	data := write(t, k)
	body := data[:len(data)-sha256.Size]
	for i := range data {
		for _, delta := range []byte{0x01, 0x80} {
			bad := bytes.Clone(data)
			bad[i] ^= delta
			if _, err := read(bad, k); err == nil {
				t.Fatalf("byte %d ^ %#x accepted", i, delta)
			}
			if i < len(body) {
				resealed := resealSum(bad[:len(body)])
				if _, err := read(resealed, k); err == nil {
					t.Fatalf("byte %d ^ %#x accepted after resealing the checksum", i, delta)
				}
			}
		}
	}
}

func TestUntrustedKey(t *testing.T) {
	data := write(t, key(1))
	_, err := read(data, key(2))
	wantError(t, "signed by another key", err, "signed only by untrusted keys (key id "+bundle.KeyIDOf(pub(key(1))).String()+")")
}

func TestUnsignedRejectedWhenTrusting(t *testing.T) {
	unsigned := write(t)
	if v := binary.LittleEndian.Uint16(unsigned[10:]); v != 0 {
		t.Fatalf("unsigned bundle written as minor version %d, want 0", v)
	}
	b, err := read(unsigned)
	if err != nil || len(b.Signatures) != 0 || b.Minor != 0 {
		t.Fatalf("unsigned bundle without trust: %v, %+v", err, b)
	}
	_, err = read(unsigned, key(1))
	wantError(t, "unsigned", err, "unsigned (format 1.0 has no signatures)")
}

// TestStrippedSignature: removing the signature block, or emptying it, and repairing the
// checksum leaves an unsigned bundle, which trusted keys reject.
func TestStrippedSignature(t *testing.T) {
	k := key(1)
	data := write(t, k)
	off := sigBlock(data)
	emptied := resealSum(append(bytes.Clone(data[:off]), 0))
	_, err := read(emptied, k)
	wantError(t, "signature block emptied", err, "unsigned (the signature block is empty)")
	if b, err := read(emptied); err != nil || len(b.Signatures) != 0 {
		t.Errorf("emptied block without trust: %v", err)
	}
	stripped := resealSum(data[:off])
	_, err = read(stripped, k)
	wantError(t, "signature block removed", err, "truncated signature block")
	_, err = read(stripped)
	wantError(t, "signature block removed, no trust", err, "truncated signature block")
}

// TestDowngrade: rewriting a signed 1.1 bundle as 1.0 (version lowered, block removed, checksum
// repaired) gives an unsigned bundle, which trusted keys reject; the version is also signed, so
// lowering it alone breaks the signature.
func TestDowngrade(t *testing.T) {
	k := key(1)
	data := write(t, k)
	off := sigBlock(data)
	down := bytes.Clone(data[:off])
	binary.LittleEndian.PutUint16(down[10:], 0)
	down = resealSum(down)
	_, err := read(down, k)
	wantError(t, "downgraded to 1.0", err, "unsigned (format 1.0 has no signatures)")
	if _, err := read(down); err != nil {
		t.Errorf("the downgraded bundle is a valid unsigned one: %v", err)
	}
	// Raising the version to a later 1.x keeps the block but changes the signed header.
	up := bytes.Clone(data[:len(data)-sha256.Size])
	binary.LittleEndian.PutUint16(up[10:], 2)
	_, err = read(resealSum(up), k)
	wantError(t, "version raised", err, "does not verify")
}

func TestTwoSignatures(t *testing.T) {
	oldKey, newKey := key(1), key(2)
	data := write(t, oldKey, newKey)
	for _, trusted := range []ed25519.PrivateKey{oldKey, newKey} {
		b, err := read(data, trusted)
		if err != nil {
			t.Fatalf("trusting %s: %v", bundle.KeyIDOf(pub(trusted)), err)
		}
		var verified []bundle.KeyID
		for _, s := range b.Signatures {
			if s.Verified {
				verified = append(verified, s.KeyID)
			}
		}
		if len(b.Signatures) != 2 || len(verified) != 1 || verified[0] != bundle.KeyIDOf(pub(trusted)) {
			t.Errorf("trusting %s: signatures %+v", bundle.KeyIDOf(pub(trusted)), b.Signatures)
		}
	}
	if b, err := read(data, oldKey, newKey); err != nil || !b.Signatures[0].Verified || !b.Signatures[1].Verified {
		t.Errorf("trusting both: %v %+v", err, b)
	}
	// A forged signature under a trusted key id is rejected even beside a valid one.
	off := sigBlock(data)
	forged := bytes.Clone(data[:len(data)-sha256.Size])
	forged[off+1+72+8+5] ^= 1 // inside the second (newKey) signature
	forged = resealSum(forged)
	if _, err := read(forged, oldKey); err != nil {
		t.Errorf("a bad signature by an untrusted key must be ignored: %v", err)
	}
	_, err := read(forged, oldKey, newKey)
	wantError(t, "forged second signature", err, "the signature by trusted key "+bundle.KeyIDOf(pub(newKey)).String()+" does not verify")
	// The same key twice is malformed.
	dup := bytes.Clone(data[:len(data)-sha256.Size])
	copy(dup[off+1+72:off+1+72+8], dup[off+1:off+1+8])
	_, err = read(resealSum(dup))
	wantError(t, "two signatures by one key", err, "two signatures by key")
}

func TestSignatureBlockBounds(t *testing.T) {
	k := key(1)
	data := write(t, k)
	off := sigBlock(data)
	// Trailing bytes after the block of a 1.1 bundle are rejected; a later 1.x may carry
	// extensions there, which this reader ignores (the checksum still covers them).
	ext := append(bytes.Clone(data[:len(data)-sha256.Size]), "extension"...)
	_, err := read(resealSum(ext))
	wantError(t, "trailing bytes in 1.1", err, "9 trailing bytes after the signature block")
	// A count the bytes present cannot hold.
	big := bytes.Clone(data[:off])
	big = binary.AppendUvarint(big, 1<<40)
	_, err = read(resealSum(big))
	wantError(t, "huge signature count", err, "signature count 1099511627776 out of range")
	// The compressed length may not run past the end.
	long := bytes.Clone(data[:len(data)-sha256.Size])
	hdr := len(bundle.Magic) + 5
	n, w := binary.Uvarint(long[hdr:])
	at := hdr + w + int(n) + 8
	binary.LittleEndian.PutUint64(long[at:], uint64(len(long)))
	_, err = read(resealSum(long))
	wantError(t, "compressed length past the end", err, "does not match the")
}

func TestBadKeys(t *testing.T) {
	var buf bytes.Buffer
	err := bundle.WriteWith(&buf, entries(t), bundle.WriteOptions{SigningKeys: []ed25519.PrivateKey{key(1)[:10]}})
	wantError(t, "short signing key", err, "signing key 1 is 10 bytes")
	err = bundle.WriteWith(&buf, entries(t), bundle.WriteOptions{SigningKeys: []ed25519.PrivateKey{key(1), key(1)}})
	wantError(t, "same signing key twice", err, "given twice")
	_, err = bundle.ReadWith(write(t, key(1)), attrs.Default, bundle.ReadOptions{TrustedKeys: []ed25519.PublicKey{pub(key(1))[:31]}})
	wantError(t, "short trusted key", err, "trusted key 1 is 31 bytes")
}

// zeroReader yields zero bytes forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// sealCompressed wraps an already compressed stream in a valid 1.0 envelope.
func sealCompressed(comp []byte, declared uint64) []byte {
	var out []byte
	out = append(out, bundle.Magic...)
	out = binary.LittleEndian.AppendUint16(out, 1)
	out = binary.LittleEndian.AppendUint16(out, 0)
	out = append(out, 1, 0) // zstd, empty compiler string
	out = binary.LittleEndian.AppendUint64(out, declared)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(comp)))
	out = append(out, comp...)
	return resealSum(out)
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDeclaredSizeBound: a header declaring 10 bytes in front of a stream of 100 MB of zeros
// fails having decompressed 11 bytes, and allocating far less than the stream's size.
func TestDeclaredSizeBound(t *testing.T) {
	var comp bytes.Buffer
	enc, err := zstd.NewWriter(&comp, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(zstd.MinWindowSize))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(enc, io.LimitReader(zeroReader{}, 100<<20)); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	data := sealCompressed(comp.Bytes(), 10)
	var rerr error
	n := allocated(func() { _, rerr = bundle.Read(data, attrs.Default) })
	wantError(t, "10 bytes declared, 100 MB present", rerr, "payload exceeds the 10 bytes the header declares (decompression stopped at byte 11)")
	if n > 1<<20 {
		t.Errorf("reading allocated %d bytes", n)
	}
	t.Logf("%d compressed bytes expanding to 100 MB: rejected after allocating %d bytes", comp.Len(), n)
	// The same stream declaring 1 MB stops at 1 MB + 1.
	data = sealCompressed(comp.Bytes(), 1<<20)
	n = allocated(func() { _, rerr = bundle.Read(data, attrs.Default) })
	wantError(t, "1 MB declared, 100 MB present", rerr, fmt.Sprintf("decompression stopped at byte %d", 1<<20+1))
	if n > 8<<20 {
		t.Errorf("reading allocated %d bytes", n)
	}
	// Fewer bytes than declared.
	short := encoder.EncodeAll([]byte("abc"), nil)
	_, rerr = bundle.Read(sealCompressed(short, 10), attrs.Default)
	wantError(t, "3 bytes for 10 declared", rerr, "payload is 3 bytes, header says 10")
}

// TestDeclaredWindowBound: a frame that claims a window (history buffer) far larger than the
// declared payload is refused before the decoder allocates it.
func TestDeclaredWindowBound(t *testing.T) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<25))
	if err != nil {
		t.Fatal(err)
	}
	comp := enc.EncodeAll(make([]byte, 32<<20), nil) // single segment: window = 32 MB
	data := sealCompressed(comp, 10)
	var rerr error
	n := allocated(func() { _, rerr = bundle.Read(data, attrs.Default) })
	wantError(t, "32 MB window, 10 bytes declared", rerr, "decompression refused")
	if n > 1<<20 {
		t.Errorf("reading allocated %d bytes", n)
	}
}

// TestFormat10StillLoads: a bundle written by the release before signatures (format 1.0,
// testdata/v1.0.abacc, from `abacc compile -o` of examples/tag-read.cond and
// examples/role-assignments.json) loads unsigned, and is rejected when keys are trusted.
func TestFormat10StillLoads(t *testing.T) {
	data, err := os.ReadFile("testdata/v1.0.abacc")
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint16(data[10:]); v != 0 {
		t.Fatalf("fixture is format 1.%d", v)
	}
	b, err := read(data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Minor != 0 || len(b.Signatures) != 0 || len(b.Entries) != 3 {
		t.Errorf("version 1.%d, %d signatures, %d entries", b.Minor, len(b.Signatures), len(b.Entries))
	}
	if _, ok := b.Lookup("delegate-readers"); !ok {
		t.Error("delegate-readers missing")
	}
	_, err = read(data, key(1))
	wantError(t, "1.0 bundle with trusted keys", err, "unsigned (format 1.0 has no signatures)")
	// What this release writes unsigned is still format 1.0, byte for byte the old layout.
	if unsigned := write(t); binary.LittleEndian.Uint16(unsigned[10:]) != 0 {
		t.Error("unsigned bundles are no longer written as 1.0")
	}
}

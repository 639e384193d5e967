// Package bundle reads and writes precompiled bundles: named, verified bytecode programs with
// their source text (optional), compressed with zstd, optionally signed with Ed25519 keys and
// sealed with a SHA-256 checksum (FORMAT.md describes the layout). Loading is strict: any
// malformed, truncated, tampered, oversized or unverifiable input is rejected with an error
// naming the problem, and nothing is ever run before it passed vm.Verify. With trusted keys,
// nothing is even decompressed before a trusted signature verified.
package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/vm"
	"github.com/klauspost/compress/zstd"
)

// Magic opens every bundle.
const Magic = "ABACCBDL"

// Format versions: a reader rejects an unknown major version and accepts any minor one. Minor
// is the newest this package reads and writes: 1.1 adds the signature block, 1.2 the extended
// dialect's mark on programs. Unsigned bundles of standard-dialect programs are written as 1.0,
// byte for byte what earlier releases wrote and read; signed ones as 1.1; bundles holding a
// program compiled with the extended dialect as 1.2 (with a signature block, empty when
// unsigned), which older readers reject.
const (
	Major = 1
	Minor = 2
)

// MinorSigned is the first minor version with a signature block; MinorDialect the first with
// the extended-dialect flag of programs.
const (
	MinorSigned  = 1
	MinorDialect = 2
)

// Program flags in the payload.
const (
	flagSource   = 1 // the condition text follows
	flagExtended = 2 // compiled with the extended dialect (1.2)
)

// MaxPayload caps the decompressed payload, so a small hostile bundle cannot expand into an
// unbounded allocation (a decompression bomb).
const MaxPayload = 256 << 20

// Entry is one named program of a bundle.
type Entry struct {
	Name string
	// Source is the condition text; empty when the bundle was written without sources.
	Source  string
	Program *vm.Verified
	// Extended records that the program was compiled with the extended dialect.
	Extended bool
}

// Bundle is a decoded bundle.
type Bundle struct {
	// Compiler is the version of abacc that wrote it.
	Compiler string
	Entries  []Entry
	// Major and Minor are the format version the bundle was written in.
	Major, Minor uint16
	// Signatures lists the bundle's signatures in file order (none for an unsigned bundle).
	Signatures []Signature

	index map[string]int
	sigs  []signature // while reading
}

// Lookup returns the entry named name. It is a map lookup, whatever the bundle's size.
func (b *Bundle) Lookup(name string) (*Entry, bool) {
	i, ok := b.index[name]
	if !ok {
		return nil, false
	}
	return &b.Entries[i], true
}

// Signature is one signature of a bundle.
type Signature struct {
	KeyID KeyID
	// Verified is true when KeyID is one of the reader's trusted keys and the signature
	// verified with it. Signatures by keys the reader does not trust are reported, not checked.
	Verified bool
}

// KeyID names a public key: the first 8 bytes of SHA-256 of its raw 32 bytes.
type KeyID [8]byte

// KeyIDOf returns the id of an Ed25519 public key.
func KeyIDOf(pub ed25519.PublicKey) KeyID {
	sum := sha256.Sum256(pub)
	var id KeyID
	copy(id[:], sum[:])
	return id
}

// String returns the id as 16 lower-case hex digits.
func (k KeyID) String() string { return hex.EncodeToString(k[:]) }

// SignatureDomain opens every signed message, so that a bundle signature can never be
// mistaken for (or replayed as) a signature over anything else made with the same key.
const SignatureDomain = "abacc bundle signature v1\x00"

// sigLen is the size of one signature record: key id and Ed25519 signature.
const sigLen = len(KeyID{}) + ed25519.SignatureSize

// signedMessage is what a signature covers: the domain, then SHA-256 of every byte from the
// magic through the end of the compressed payload (header, version, compiler, sizes, payload).
func signedMessage(signed []byte) []byte {
	sum := sha256.Sum256(signed)
	return append([]byte(SignatureDomain), sum[:]...)
}

// Error reports a bundle that cannot be loaded.
type Error struct{ Msg string }

func (e *Error) Error() string { return "bundle: " + e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

const compZstd = 1

// Write encodes entries into an unsigned bundle. With withSource false the condition texts are
// left out (smaller, but explanations then have no text to quote).
func Write(w io.Writer, compiler string, entries []Entry, withSource bool) error {
	return WriteWith(w, entries, WriteOptions{Compiler: compiler, WithSource: withSource})
}

// WriteOptions configure WriteWith.
type WriteOptions struct {
	// Compiler names the writer (recorded in the bundle).
	Compiler string
	// WithSource keeps the condition texts.
	WithSource bool
	// SigningKeys sign the bundle, one signature each (several for key rotation: readers that
	// trust any one of the keys accept it). With none, the bundle is written unsigned, as 1.0.
	SigningKeys []ed25519.PrivateKey
}

// WriteWith encodes entries into a bundle, signed by opts.SigningKeys.
func WriteWith(w io.Writer, entries []Entry, opts WriteOptions) error {
	seenKey := map[KeyID]bool{}
	for i, k := range opts.SigningKeys {
		if len(k) != ed25519.PrivateKeySize {
			return errorf("signing key %d is %d bytes, not an Ed25519 private key", i+1, len(k))
		}
		id := KeyIDOf(k.Public().(ed25519.PublicKey))
		if seenKey[id] {
			return errorf("signing key %s given twice", id)
		}
		seenKey[id] = true
	}
	withSource := opts.WithSource
	extended := false
	var payload []byte
	payload = binary.AppendUvarint(payload, uint64(len(entries)))
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Name] {
			return errorf("two programs are named %q", e.Name)
		}
		seen[e.Name] = true
		payload = appendString(payload, e.Name)
		var flags byte
		if withSource {
			flags |= flagSource
		}
		if e.Extended || e.Program.Extended() {
			flags |= flagExtended
			extended = true
		}
		payload = append(payload, flags)
		if withSource {
			payload = appendString(payload, e.Source)
		}
		payload = appendString(payload, string(e.Program.EncodeCode()))
	}
	if len(payload) > MaxPayload {
		return errorf("payload of %d bytes exceeds the %d-byte limit", len(payload), MaxPayload)
	}
	// The window need not exceed the payload: zstd's default sizes the encoder for 8 MiB
	// windows, which cost ~88 MB of buffers per bundle written, whatever its size.
	window := zstd.MinWindowSize
	for window < len(payload) && window < zstd.MaxWindowSize {
		window <<= 1
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithWindowSize(window),
		zstd.WithEncoderConcurrency(1))
	if err != nil {
		return err
	}
	compressed := enc.EncodeAll(payload, nil)
	enc.Close()

	minor := uint16(0)
	if len(opts.SigningKeys) > 0 {
		minor = MinorSigned
	}
	if extended {
		minor = MinorDialect
	}
	var out []byte
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint16(out, Major)
	out = binary.LittleEndian.AppendUint16(out, minor)
	out = append(out, compZstd)
	out = appendString(out, opts.Compiler)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(compressed)))
	out = append(out, compressed...)
	if minor >= MinorSigned {
		msg := signedMessage(out)
		out = binary.AppendUvarint(out, uint64(len(opts.SigningKeys)))
		for _, k := range opts.SigningKeys {
			id := KeyIDOf(k.Public().(ed25519.PublicKey))
			out = append(out, id[:]...)
			out = append(out, ed25519.Sign(k, msg)...)
		}
	}
	sum := sha256.Sum256(out)
	out = append(out, sum[:]...)
	_, err = w.Write(out)
	return err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Read decodes a bundle, links every program to cat and verifies it. Signatures are parsed and
// reported but not required (ReadWith with trusted keys requires them).
func Read(data []byte, cat *attrs.Catalog) (*Bundle, error) {
	return ReadWith(data, cat, ReadOptions{})
}

// ReadOptions configure ReadWith.
type ReadOptions struct {
	// TrustedKeys, when not empty, make a trusted signature mandatory: the bundle must carry at
	// least one signature by one of these keys, every signature by one of these keys must
	// verify, and the bundle is rejected before decompression otherwise. Signatures by other
	// keys are reported (Verified false) and otherwise ignored.
	TrustedKeys []ed25519.PublicKey
	// AllowExtended lets the bundle hold programs compiled with the extended dialect; without
	// it such a bundle is refused, as is any program whose bytecode uses an extended-dialect
	// instruction.
	AllowExtended bool
}

// ReadWith decodes a bundle like Read, enforcing opts.
func ReadWith(data []byte, cat *attrs.Catalog, opts ReadOptions) (*Bundle, error) {
	trusted, err := trustedKeys(opts.TrustedKeys)
	if err != nil {
		return nil, err
	}
	const header = len(Magic) + 2 + 2 + 1
	if len(data) < len(Magic) || string(data[:len(Magic)]) != Magic {
		return nil, errorf("not an abacc bundle (wrong magic)")
	}
	if len(data) < header+sha256.Size {
		return nil, errorf("truncated (%d bytes)", len(data))
	}
	major, minor := binary.LittleEndian.Uint16(data[8:]), binary.LittleEndian.Uint16(data[10:])
	if major != Major {
		return nil, errorf("format version %d.%d; this abacc reads version %d.x", major, minor, Major)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
		return nil, errorf("checksum mismatch: the bundle is corrupt or truncated")
	}
	r := &reader{b: body, off: header - 1}
	if comp := r.byte(); comp != compZstd {
		return nil, errorf("unknown compression %d", comp)
	}
	b := &Bundle{Compiler: r.string(256), Major: major, Minor: minor}
	size := r.u64()
	clen := r.u64()
	if r.err != nil {
		return nil, r.err
	}
	if size > MaxPayload {
		return nil, errorf("declared payload of %d bytes exceeds the %d-byte limit", size, MaxPayload)
	}
	rest := uint64(len(body) - r.off)
	if clen > rest || (minor < MinorSigned && clen != rest) {
		return nil, errorf("compressed length %d does not match the %d bytes present", clen, rest)
	}
	end := r.off + int(clen) // the end of the signed part
	compressed := body[r.off:end]
	if minor >= MinorSigned {
		// The signature block follows the payload. Versions after 1.1 may append extensions
		// after it (covered by the checksum, not by signatures); this reader ignores them.
		r.off = end
		if err := b.readSignatures(r, minor <= Minor); err != nil {
			return nil, err
		}
	}
	if err := b.checkSignatures(body[:end], trusted); err != nil {
		return nil, err
	}
	payload, err := inflate(compressed, size)
	if err != nil {
		return nil, err
	}
	if err := b.readPayload(payload, cat, opts.AllowExtended); err != nil {
		return nil, err
	}
	return b, nil
}

// trustedKeys indexes keys by id, rejecting malformed keys and distinct keys sharing an id.
func trustedKeys(keys []ed25519.PublicKey) (map[KeyID]ed25519.PublicKey, error) {
	out := make(map[KeyID]ed25519.PublicKey, len(keys))
	for i, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			return nil, errorf("trusted key %d is %d bytes, not an Ed25519 public key", i+1, len(k))
		}
		id := KeyIDOf(k)
		if prev, dup := out[id]; dup && !prev.Equal(k) {
			return nil, errorf("two trusted keys share the key id %s", id)
		}
		out[id] = k
	}
	return out, nil
}

// maxWindow is the largest zstd window a payload of size bytes may use: the power of two above
// size (what zstd encoders choose for a known size), at least zstd's 1 KiB minimum.
func maxWindow(size uint64) uint64 {
	return max(zstd.MinWindowSize, min(uint64(1)<<bits.Len64(size), MaxPayload))
}

// signature is a parsed signature record, kept until it is checked.
type signature struct {
	id  KeyID
	sig []byte
}

// readSignatures parses the signature block at r: a count, then key id and signature each.
// With exact, nothing may follow it.
func (b *Bundle) readSignatures(r *reader, exact bool) error {
	n := r.uvarint()
	if r.err != nil {
		return errorf("truncated signature block")
	}
	if n > uint64(len(r.b)-r.off)/uint64(sigLen) {
		return errorf("signature count %d out of range", n)
	}
	seen := map[KeyID]bool{}
	for i := uint64(0); i < n; i++ {
		var s signature
		copy(s.id[:], r.b[r.off:])
		s.sig = r.b[r.off+len(s.id) : r.off+sigLen]
		r.off += sigLen
		if seen[s.id] {
			return errorf("two signatures by key %s", s.id)
		}
		seen[s.id] = true
		b.sigs = append(b.sigs, s)
		b.Signatures = append(b.Signatures, Signature{KeyID: s.id})
	}
	if exact && r.off != len(r.b) {
		return errorf("%d trailing bytes after the signature block", len(r.b)-r.off)
	}
	return nil
}

// checkSignatures enforces the trust policy on signed, the bytes the signatures cover.
func (b *Bundle) checkSignatures(signed []byte, trusted map[KeyID]ed25519.PublicKey) error {
	defer func() { b.sigs = nil }()
	if len(trusted) == 0 {
		return nil
	}
	if len(b.sigs) == 0 {
		if b.Minor < MinorSigned {
			return errorf("unsigned (format %d.%d has no signatures), but trusted keys are configured", b.Major, b.Minor)
		}
		return errorf("unsigned (the signature block is empty), but trusted keys are configured")
	}
	msg := signedMessage(signed)
	verified := 0
	var unknown []string
	for i, s := range b.sigs {
		k, ok := trusted[s.id]
		if !ok {
			unknown = append(unknown, s.id.String())
			continue
		}
		if !ed25519.Verify(k, msg, s.sig) {
			return errorf("the signature by trusted key %s does not verify: the bundle was changed after signing, or the signature is not that key's", s.id)
		}
		b.Signatures[i].Verified = true
		verified++
	}
	if verified == 0 {
		return errorf("signed only by untrusted keys (key id %s)", strings.Join(unknown, ", "))
	}
	return nil
}

// inflate decompresses exactly size bytes: the stream is read through a limit of size+1 bytes,
// so a payload that expands further is stopped at the first byte past the declared size, and
// memory grows with what was actually decompressed, not with what the header claims. The zstd
// window (the decoder's history buffer, allocated up front) is capped by the declared size too:
// a window larger than the payload serves no back-reference, and a frame claiming one could
// otherwise make a few bytes allocate hundreds of megabytes.
func inflate(compressed []byte, size uint64) ([]byte, error) {
	dec, err := zstd.NewReader(bytes.NewReader(compressed), zstd.WithDecoderMaxMemory(MaxPayload),
		zstd.WithDecoderMaxWindow(maxWindow(size)), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, errorf("decompression failed: %v", err)
	}
	defer dec.Close()
	fail := func(err error) error {
		if errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded) {
			return errorf("decompression refused: the zstd frame needs more memory than the %d-byte payload the header declares", size)
		}
		return errorf("decompression failed: %v", err)
	}
	lr := io.LimitReader(dec, int64(size)+1)
	buf := make([]byte, 0, min(size+1, 64<<10))
	for {
		if len(buf) == cap(buf) {
			// Double, but never past size+1: memory follows what was actually decompressed.
			buf = slices.Grow(buf, int(min(uint64(cap(buf)), size+1-uint64(len(buf)))))
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if uint64(len(buf)) > size {
			return nil, errorf("payload exceeds the %d bytes the header declares (decompression stopped at byte %d)", size, len(buf))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail(err)
		}
	}
	if uint64(len(buf)) != size {
		return nil, errorf("payload is %d bytes, header says %d", len(buf), size)
	}
	return buf, nil
}

func (b *Bundle) readPayload(payload []byte, cat *attrs.Catalog, allowExtended bool) error {
	r := &reader{b: payload}
	n := r.uvarint()
	if r.err == nil && n > uint64(len(payload)) {
		return errorf("program count %d out of range", n)
	}
	b.index = make(map[string]int, min(n, 1<<16))
	for i := uint64(0); i < n && r.err == nil; i++ {
		e := Entry{Name: r.string(math.MaxInt32)}
		flags := r.byte()
		known := byte(flagSource)
		if b.Minor >= MinorDialect {
			known |= flagExtended
		}
		if r.err == nil && flags&^known != 0 {
			return errorf("program %q: bad flags", e.Name)
		}
		if flags&flagSource != 0 {
			e.Source = r.string(math.MaxInt32)
		}
		e.Extended = flags&flagExtended != 0
		if e.Extended && !allowExtended && r.err == nil {
			return errorf("program %q was compiled with the extended dialect, which this reader does not allow (-dialect=extended; abacc.BundleOptions{Dialect: abacc.DialectExtended})", e.Name)
		}
		code := r.string(math.MaxInt32)
		if r.err != nil {
			break
		}
		if _, dup := b.index[e.Name]; dup {
			return errorf("two programs are named %q", e.Name)
		}
		b.index[e.Name] = len(b.Entries)
		// The source travels beside the bytecode; put it back before verification so spans are
		// checked against it.
		p, err := decodeProgram([]byte(code), e.Source, cat)
		if err != nil {
			return errorf("program %q: %v", e.Name, err)
		}
		if p.Extended() && !e.Extended {
			return errorf("program %q uses instructions of the extended dialect but is not marked as compiled with it", e.Name)
		}
		e.Program = p
		b.Entries = append(b.Entries, e)
	}
	if r.err != nil {
		return r.err
	}
	if r.off != len(payload) {
		return errorf("trailing bytes in the payload")
	}
	return nil
}

// decodeProgram decodes bytecode written without its source and attaches src before linking
// and verification.
func decodeProgram(code []byte, src string, cat *attrs.Catalog) (*vm.Verified, error) {
	p, err := vm.Decode(code, cat)
	if err != nil || src == "" {
		return p, err
	}
	return p.WithSource(src, cat)
}

type reader struct {
	b   []byte
	off int
	err error
}

var errTruncated = &Error{Msg: "truncated"}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.off += n
	return v
}

func (r *reader) u64() uint64 {
	if r.err != nil || r.off+8 > len(r.b) {
		r.err = errTruncated
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *reader) string(limit int) string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(limit) || n > uint64(len(r.b)-r.off) {
		r.err = errorf("string of %d bytes out of range", n)
		return ""
	}
	s := string(r.b[r.off : r.off+int(n)])
	r.off += int(n)
	return s
}

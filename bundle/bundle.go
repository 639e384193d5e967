// Package bundle reads and writes precompiled bundles: named, verified bytecode programs with
// their source text (optional), compressed with zstd and sealed with a SHA-256 checksum. Loading
// is strict: any malformed, truncated, tampered, oversized or unverifiable input is rejected with
// an error naming the problem, and nothing is ever run before it passed vm.Verify.
package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/abacc/abacc/attrs"
	"github.com/abacc/abacc/vm"
	"github.com/klauspost/compress/zstd"
)

// Magic opens every bundle.
const Magic = "ABACCBDL"

// Format versions: a reader rejects an unknown major version and accepts any minor one.
const (
	Major = 1
	Minor = 0
)

// MaxPayload caps the decompressed payload, so a small hostile bundle cannot expand into an
// unbounded allocation (a decompression bomb).
const MaxPayload = 256 << 20

// Entry is one named program of a bundle.
type Entry struct {
	Name string
	// Source is the condition text; empty when the bundle was written without sources.
	Source  string
	Program *vm.Program
}

// Bundle is a decoded bundle.
type Bundle struct {
	// Compiler is the version of abacc that wrote it.
	Compiler string
	Entries  []Entry
}

// Error reports a bundle that cannot be loaded.
type Error struct{ Msg string }

func (e *Error) Error() string { return "bundle: " + e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

const compZstd = 1

// Write encodes entries into a bundle. With withSource false the condition texts are left out
// (smaller, but explanations then have no text to quote).
func Write(w io.Writer, compiler string, entries []Entry, withSource bool) error {
	var payload []byte
	payload = binary.AppendUvarint(payload, uint64(len(entries)))
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Name] {
			return errorf("two programs are named %q", e.Name)
		}
		seen[e.Name] = true
		payload = appendString(payload, e.Name)
		p := *e.Program
		p.Source = ""
		if withSource {
			payload = append(payload, 1)
			payload = appendString(payload, e.Source)
		} else {
			payload = append(payload, 0)
		}
		payload = appendString(payload, string(vm.Encode(&p)))
	}
	if len(payload) > MaxPayload {
		return errorf("payload of %d bytes exceeds the %d-byte limit", len(payload), MaxPayload)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	if err != nil {
		return err
	}
	compressed := enc.EncodeAll(payload, nil)
	enc.Close()

	var out []byte
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint16(out, Major)
	out = binary.LittleEndian.AppendUint16(out, Minor)
	out = append(out, compZstd)
	out = appendString(out, compiler)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(compressed)))
	out = append(out, compressed...)
	sum := sha256.Sum256(out)
	out = append(out, sum[:]...)
	_, err = w.Write(out)
	return err
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Read decodes a bundle, links every program to cat and verifies it.
func Read(data []byte, cat *attrs.Catalog) (*Bundle, error) {
	const header = len(Magic) + 2 + 2 + 1
	if len(data) < len(Magic) || string(data[:len(Magic)]) != Magic {
		return nil, errorf("not an abacc bundle (wrong magic)")
	}
	if len(data) < header+sha256.Size {
		return nil, errorf("truncated (%d bytes)", len(data))
	}
	major := binary.LittleEndian.Uint16(data[8:])
	if major != Major {
		return nil, errorf("format version %d.%d; this abacc reads version %d.x", major, binary.LittleEndian.Uint16(data[10:]), Major)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(want[:], sum) {
		return nil, errorf("checksum mismatch: the bundle is corrupt or truncated")
	}
	r := &reader{b: body, off: header - 1}
	if comp := r.byte(); comp != compZstd {
		return nil, errorf("unknown compression %d", comp)
	}
	b := &Bundle{Compiler: r.string(256)}
	size := r.u64()
	clen := r.u64()
	if r.err != nil {
		return nil, r.err
	}
	if size > MaxPayload {
		return nil, errorf("declared payload of %d bytes exceeds the %d-byte limit", size, MaxPayload)
	}
	if clen != uint64(len(body)-r.off) {
		return nil, errorf("compressed length %d does not match the %d bytes present", clen, len(body)-r.off)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(MaxPayload), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	// The declared size only sizes the first buffer up to a bound; the decoder's own limit
	// (WithDecoderMaxMemory) stops a frame that expands further.
	payload, err := dec.DecodeAll(body[r.off:], make([]byte, 0, min(size, 1<<20)))
	if err != nil {
		return nil, errorf("decompression failed: %v", err)
	}
	if uint64(len(payload)) != size {
		return nil, errorf("payload is %d bytes, header says %d", len(payload), size)
	}
	if err := b.readPayload(payload, cat); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Bundle) readPayload(payload []byte, cat *attrs.Catalog) error {
	r := &reader{b: payload}
	n := r.uvarint()
	if r.err == nil && n > uint64(len(payload)) {
		return errorf("program count %d out of range", n)
	}
	seen := map[string]bool{}
	for i := uint64(0); i < n && r.err == nil; i++ {
		e := Entry{Name: r.string(math.MaxInt32)}
		switch r.byte() {
		case 0:
		case 1:
			e.Source = r.string(math.MaxInt32)
		default:
			if r.err == nil {
				return errorf("program %q: bad flags", e.Name)
			}
		}
		code := r.string(math.MaxInt32)
		if r.err != nil {
			break
		}
		if seen[e.Name] {
			return errorf("two programs are named %q", e.Name)
		}
		seen[e.Name] = true
		// The source travels beside the bytecode; put it back before verification so spans are
		// checked against it.
		p, err := decodeProgram([]byte(code), e.Source, cat)
		if err != nil {
			return errorf("program %q: %v", e.Name, err)
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
func decodeProgram(code []byte, src string, cat *attrs.Catalog) (*vm.Program, error) {
	p, err := vm.Decode(code, cat)
	if err != nil {
		return nil, err
	}
	if src == "" {
		return p, nil
	}
	p.Source = src
	if err := vm.Verify(p, cat); err != nil {
		return nil, err
	}
	return p, nil
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

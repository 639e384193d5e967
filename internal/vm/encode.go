package vm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/abacc/abacc/internal/attrs"
)

// Encode serializes a program in the format of FORMAT.md. Operands are written by source and
// name, not by id, so that Decode can link them to any catalog.
func Encode(p *Program) []byte {
	var e encoder
	e.byte(p.NeedsVersion())
	e.uvarint(uint64(len(p.Operands)))
	for _, o := range p.Operands {
		e.byte(byte(o.Source))
		e.string(o.Name)
		e.byte(byte(o.Sel))
		e.string(o.Key)
		e.byte(byte(o.Type))
	}
	e.uvarint(uint64(len(p.Strs)))
	for _, s := range p.Strs {
		e.string(s)
	}
	e.uvarint(uint64(len(p.Nums)))
	for _, n := range p.Nums {
		e.b = binary.AppendVarint(e.b, n)
	}
	e.uvarint(uint64(len(p.Guids)))
	for _, g := range p.Guids {
		e.b = binary.BigEndian.AppendUint64(e.b, g.Hi)
		e.b = binary.BigEndian.AppendUint64(e.b, g.Lo)
	}
	e.uvarint(uint64(len(p.Sets)))
	for _, s := range p.Sets {
		e.uvarint(uint64(s.Off))
		e.uvarint(uint64(s.N))
		e.bool(s.Sorted)
	}
	e.uvarint(uint64(len(p.Cmps)))
	for _, c := range p.Cmps {
		e.byte(c.Quant)
		e.byte(c.Rel)
		e.byte(byte(c.Type))
		var flags byte
		if c.Fold {
			flags |= 1
		}
		if c.BaseNeg {
			flags |= 2
		}
		e.byte(flags)
		for _, s := range []Side{c.L, c.R} {
			e.bool(s.Attr)
			e.uvarint(uint64(s.Index))
		}
	}
	e.uvarint(uint64(len(p.Switches)))
	for _, sw := range p.Switches {
		e.uvarint(uint64(sw.Set))
		e.uvarint(uint64(len(sw.Targets)))
		for _, t := range sw.Targets {
			e.uvarint(uint64(t))
		}
		e.uvarint(uint64(sw.Default))
	}
	e.uvarint(uint64(len(p.Code)))
	for _, in := range p.Code {
		e.b = append(e.b, byte(in.Op), in.Flag)
		e.b = binary.LittleEndian.AppendUint16(e.b, in.A)
		e.b = binary.LittleEndian.AppendUint16(e.b, in.B)
		e.b = binary.LittleEndian.AppendUint16(e.b, in.Jump)
	}
	for _, s := range p.Spans {
		e.uvarint(uint64(s.Pos))
		e.uvarint(uint64(s.End - s.Pos))
	}
	e.string(p.Source)
	return e.b
}

type encoder struct{ b []byte }

func (e *encoder) byte(c byte)      { e.b = append(e.b, c) }
func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) string(s string)  { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }

func (e *encoder) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

// DecodeError reports a malformed program encoding.
type DecodeError struct {
	Offset int
	Msg    string
}

func (e *DecodeError) Error() string { return fmt.Sprintf("bytecode offset %d: %s", e.Offset, e.Msg) }

// Decode reads a program written by Encode, links its operands to cat and verifies it. It
// never panics and returns an error naming the first problem.
func Decode(data []byte, cat *attrs.Catalog) (*Verified, error) {
	d := &decoder{b: data}
	p := d.program()
	if d.err != nil {
		return nil, d.err
	}
	if err := Link(p, cat); err != nil {
		return nil, err
	}
	return Verify(p, cat)
}

// Link resolves each operand's source and name against cat, setting its id.
func Link(p *Program, cat *attrs.Catalog) error {
	for i := range p.Operands {
		o := &p.Operands[i]
		id, ok := cat.Lookup(o.Source, o.Name)
		if !ok {
			return fmt.Errorf("operand %d: attribute @%s[%s] is not in this host's catalog", i, o.Source, o.Name)
		}
		o.ID = id
	}
	return nil
}

type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(msg string, args ...any) {
	if d.err == nil {
		d.err = &DecodeError{Offset: d.off, Msg: fmt.Sprintf(msg, args...)}
	}
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.fail("truncated")
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("truncated or malformed varint")
		return 0
	}
	d.off += n
	return v
}

// count reads a length and checks that at least min bytes per element remain, so a hostile
// count cannot make the decoder allocate more than the input justifies.
func (d *decoder) count(min int, limit uint64) int {
	n := d.uvarint()
	if d.err != nil {
		return 0
	}
	if n > limit || n*uint64(min) > uint64(len(d.b)-d.off) {
		d.fail("count %d out of range", n)
		return 0
	}
	return int(n)
}

func (d *decoder) u16() uint16 {
	v := d.uvarint()
	if v > math.MaxUint16 {
		d.fail("index %d out of range", v)
	}
	return uint16(v)
}

func (d *decoder) u32() uint32 {
	v := d.uvarint()
	if v > math.MaxUint32 {
		d.fail("value %d out of range", v)
	}
	return uint32(v)
}

func (d *decoder) string() string {
	n := d.count(1, math.MaxInt32)
	if d.err != nil {
		return ""
	}
	s := string(d.b[d.off : d.off+n])
	d.off += n
	return s
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bad boolean")
	return false
}

var errTrailing = errors.New("trailing bytes after the program")

func (d *decoder) program() *Program {
	p := &Program{}
	v := d.byte()
	if d.err == nil && (v < MinFormatVersion || v > FormatVersion) {
		d.fail("bytecode format version %d, this abacc reads versions %d to %d", v, MinFormatVersion, FormatVersion)
		return nil
	}
	p.Version = v
	p.Operands = make([]Operand, d.count(4, math.MaxUint16+1))
	for i := range p.Operands {
		o := &p.Operands[i]
		o.Source = attrs.Source(d.byte())
		o.Name = d.string()
		o.Sel = attrs.Selector(d.byte())
		o.Key = d.string()
		o.Type = attrs.Type(d.byte())
	}
	p.Strs = make([]string, d.count(1, math.MaxUint32))
	for i := range p.Strs {
		p.Strs[i] = d.string()
	}
	p.Nums = make([]int64, d.count(1, math.MaxUint32))
	for i := range p.Nums {
		if d.err != nil {
			break
		}
		v, n := binary.Varint(d.b[d.off:])
		if n <= 0 {
			d.fail("truncated or malformed varint")
			break
		}
		p.Nums[i] = v
		d.off += n
	}
	p.Guids = make([]attrs.Guid, d.count(16, math.MaxUint32))
	for i := range p.Guids {
		p.Guids[i] = attrs.Guid{Hi: binary.BigEndian.Uint64(d.b[d.off:]), Lo: binary.BigEndian.Uint64(d.b[d.off+8:])}
		d.off += 16
	}
	p.Sets = make([]Set, d.count(3, math.MaxUint16+1))
	for i := range p.Sets {
		p.Sets[i] = Set{Off: d.u32(), N: d.u32(), Sorted: d.bool()}
	}
	p.Cmps = make([]Cmp, d.count(8, math.MaxUint16+1))
	for i := range p.Cmps {
		c := &p.Cmps[i]
		c.Quant, c.Rel, c.Type = d.byte(), d.byte(), attrs.Type(d.byte())
		flags := d.byte()
		if flags&^3 != 0 {
			d.fail("bad comparison flags")
		}
		c.Fold, c.BaseNeg = flags&1 != 0, flags&2 != 0
		c.L = Side{Attr: d.bool(), Index: d.u16()}
		c.R = Side{Attr: d.bool(), Index: d.u16()}
	}
	p.Switches = make([]Switch, d.count(3, math.MaxUint16+1))
	for i := range p.Switches {
		sw := &p.Switches[i]
		sw.Set = d.u16()
		sw.Targets = make([]uint16, d.count(1, math.MaxUint16+1))
		for j := range sw.Targets {
			sw.Targets[j] = d.u16()
		}
		sw.Default = d.u16()
	}
	p.Code = make([]Instr, d.count(8, math.MaxUint16))
	for i := range p.Code {
		if d.err != nil {
			break
		}
		b := d.b[d.off:]
		p.Code[i] = Instr{Op: Opcode(b[0]), Flag: b[1], A: binary.LittleEndian.Uint16(b[2:]),
			B: binary.LittleEndian.Uint16(b[4:]), Jump: binary.LittleEndian.Uint16(b[6:])}
		d.off += 8
	}
	p.Spans = make([]Span, len(p.Code))
	for i := range p.Spans {
		pos := d.u32()
		n := d.u32()
		if uint64(pos)+uint64(n) > math.MaxUint32 {
			d.fail("span out of range")
		}
		p.Spans[i] = Span{Pos: pos, End: pos + n}
	}
	p.Source = d.string()
	if d.err == nil && d.off != len(d.b) {
		d.err = &DecodeError{Offset: d.off, Msg: errTrailing.Error()}
	}
	return p
}

package vm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
)

// Disassemble lists a verified program one instruction a line: index, opcode, decoded
// operands and constants, branch and the source text the instruction came from.
func (v *Verified) Disassemble() string { return disassemble(v.p) }

func disassemble(p *Program) string {
	var b strings.Builder
	fmt.Fprintf(&b, "; bytecode format %d: %d instructions (worst case %d steps), %d operands, %d bytes\n",
		p.NeedsVersion(), len(p.Code), p.MaxSteps(), len(p.Operands), p.Size())
	for pc, in := range p.Code {
		text := fmt.Sprintf("%04d  %-15s %s", pc, in.Op, p.operandsText(in))
		switch in.Op.Info().Flow {
		case FlowTest:
			cond := "false"
			if in.Flag&FlagJumpIfTrue != 0 {
				cond = "true"
			}
			text += fmt.Sprintf("  if %s -> %04d", cond, in.Jump)
		case FlowJump:
			text += fmt.Sprintf("-> %04d", in.Jump)
		}
		if src := p.spanText(pc); src != "" {
			text = fmt.Sprintf("%-100s ; %s", text, src)
		}
		b.WriteString(strings.TrimRight(text, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// spanText returns the one-line, clipped source of an instruction's span.
func (p *Program) spanText(pc int) string {
	if pc >= len(p.Spans) {
		return ""
	}
	s := p.Spans[pc]
	if p.Source == "" || int(s.End) > len(p.Source) || s.Pos >= s.End {
		return ""
	}
	t := strings.Join(strings.Fields(p.Source[s.Pos:s.End]), " ")
	if r := []rune(t); len(r) > 90 {
		t = string(r[:87]) + "..."
	}
	return t
}

func (p *Program) operandText(a uint16) string {
	if int(a) >= len(p.Operands) {
		return "?"
	}
	o := p.Operands[a]
	switch o.Sel {
	case attrs.SelKey:
		return fmt.Sprintf("@%s[%s:%s]", o.Source, o.Name, o.Key)
	case attrs.SelKeys:
		return fmt.Sprintf("@%s[%s%s]", o.Source, o.Name, attrs.KeysSuffix)
	}
	return fmt.Sprintf("@%s[%s]", o.Source, o.Name)
}

func (p *Program) setText(i uint16, t attrs.Type) string {
	if int(i) >= len(p.Sets) {
		return "?"
	}
	s := p.Sets[i]
	var parts []string
	for k := s.Off; k < s.Off+s.N && len(parts) < 8; k++ {
		switch t {
		case attrs.TypeString:
			parts = append(parts, strconv.Quote(p.Strs[k]))
		case attrs.TypeGuid:
			parts = append(parts, p.Guids[k].String())
		default:
			parts = append(parts, strconv.FormatInt(p.Nums[k], 10))
		}
	}
	if s.N > 8 {
		parts = append(parts, fmt.Sprintf("… %d in all", s.N))
	}
	sorted := ""
	if s.Sorted {
		sorted = " sorted"
	}
	return fmt.Sprintf("s%d{%s}%s", i, strings.Join(parts, ", "), sorted)
}

func (p *Program) numText(i uint16, o Operand) string {
	v := p.Nums[i]
	switch o.Type {
	case attrs.TypeDateTime:
		return attrs.Instant(v).String()
	case attrs.TypeBoolean:
		return strconv.FormatBool(v != 0)
	}
	return strconv.FormatInt(v, 10)
}

// operandsText renders the A and B fields as the opcode's table entry says they are used.
func (p *Program) operandsText(in Instr) string {
	info := in.Op.Info()
	var parts []string
	if info.A == KindOperand {
		parts = append(parts, p.operandText(in.A))
	}
	switch info.B {
	case KindStr:
		parts = append(parts, strconv.Quote(p.Strs[in.B]))
	case KindNum:
		parts = append(parts, p.numText(in.B, p.Operands[in.A]))
	case KindGuid:
		parts = append(parts, p.Guids[in.B].String())
	case KindStrSet, KindActionSet:
		parts = append(parts, p.setText(in.B, attrs.TypeString))
	case KindNumSet:
		parts = append(parts, p.setText(in.B, attrs.TypeInteger))
	case KindGuidSet:
		parts = append(parts, p.setText(in.B, attrs.TypeGuid))
	case KindOperandSet:
		parts = append(parts, p.setText(in.B, p.Operands[in.A].Type))
	case KindCmp:
		parts = append(parts, p.cmpText(in.B))
	case KindSwitch:
		parts = append(parts, p.switchText(in.B))
	case KindIPRanges, KindTimeRanges:
		parts = append(parts, p.tableText(in.B, info.B))
	}
	return strings.Join(parts, " ")
}

var relNames = [...]string{RelEq: "eq", RelPrefix: "prefix", RelLike: "like", RelLt: "lt", RelLe: "le", RelGt: "gt", RelGe: "ge", RelSuffix: "suffix", RelContains: "contains"}

// tableText renders a range table: addresses as CIDRs or first-last, times as hh:mm:ss-hh:mm:ss.
func (p *Program) tableText(i uint16, k Kind) string {
	if int(i) >= len(p.Sets) {
		return "?"
	}
	s := p.Sets[i]
	var parts []string
	for j := s.Off; j+1 < s.Off+s.N && len(parts) < 8; j += 2 {
		if k == KindIPRanges {
			parts = append(parts, ipaddr.Range{First: ipaddr.Addr(p.Guids[j]), Last: ipaddr.Addr(p.Guids[j+1])}.String())
		} else {
			parts = append(parts, attrs.FormatTimeOfDay(int32(p.Nums[j]))+"-"+attrs.FormatTimeOfDay(int32(p.Nums[j+1])))
		}
	}
	if s.N/2 > 8 {
		parts = append(parts, fmt.Sprintf("… %d in all", s.N/2))
	}
	return fmt.Sprintf("t%d{%s}", i, strings.Join(parts, ", "))
}

var quantNames = [...]string{QuantNone: "one", QuantAnyOfAny: "any-any", QuantAllOfAny: "all-any", QuantAnyOfAll: "any-all", QuantAllOfAll: "all-all"}

func (p *Program) cmpText(i uint16) string {
	c := p.Cmps[i]
	side := func(s Side) string {
		if s.Attr {
			return p.operandText(s.Index)
		}
		return p.setText(s.Index, c.Type)
	}
	rel := relNames[c.Rel]
	if c.Fold {
		rel += "-fold"
	}
	if c.BaseNeg {
		rel = "not-" + rel
	}
	return fmt.Sprintf("c%d[%s %s %s] %s %s", i, quantNames[c.Quant], c.Type, rel, side(c.L), side(c.R))
}

func (p *Program) switchText(i uint16) string {
	sw := p.Switches[i]
	s := p.Sets[sw.Set]
	var parts []string
	for k := uint32(0); k < s.N; k++ {
		parts = append(parts, fmt.Sprintf("%q -> %04d", p.Strs[s.Off+k], sw.Targets[k]))
	}
	return fmt.Sprintf("action {%s} else -> %04d", strings.Join(parts, ", "), sw.Default)
}

package vm

import (
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/ipaddr"
)

// ipProgram builds `@Principal[…:Ip] IpMatch {10.0.0.0/8, 2001:db8::/32}` by hand.
func ipProgram(t *testing.T) *Program {
	id, ok := attrs.Default.Lookup(attrs.Principal, "Microsoft.Directory/CustomSecurityAttributes/Id")
	if !ok {
		t.Fatal("custom security attributes not in catalog")
	}
	var guids []attrs.Guid
	for _, s := range []string{"10.0.0.0/8", "2001:db8::/32"} {
		r, err := ipaddr.ParseLiteral(s)
		if err != nil {
			t.Fatal(err)
		}
		guids = append(guids, attrs.Guid(r.First), attrs.Guid(r.Last))
	}
	return &Program{
		Code:  []Instr{{Op: OpIPIn, Flag: FlagJumpIfTrue, A: 0, B: 0, Jump: 2}, {Op: OpRetFalse}, {Op: OpRetTrue}},
		Spans: make([]Span, 3),
		Operands: []Operand{{ID: id, Sel: attrs.SelKey, Key: "Net_Ip", Type: attrs.TypeString, Source: attrs.Principal,
			Name: "Microsoft.Directory/CustomSecurityAttributes/Id"}},
		Guids: guids,
		Sets:  []Set{{Off: 0, N: 4, Sorted: true}},
	}
}

// timeProgram builds `@Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00']` by hand.
func timeProgram(t *testing.T) *Program {
	id, _ := attrs.Default.Lookup(attrs.Environment, "UtcNow")
	return &Program{
		Code:     []Instr{{Op: OpTimeIn, Flag: FlagJumpIfTrue, A: 0, B: 0, Jump: 2}, {Op: OpRetFalse}, {Op: OpRetTrue}},
		Spans:    make([]Span, 3),
		Operands: []Operand{{ID: id, Type: attrs.TypeDateTime, Source: attrs.Environment, Name: "UtcNow"}},
		Nums:     []int64{0, 6 * 3600, 22 * 3600, 86399},
		Sets:     []Set{{Off: 0, N: 4, Sorted: true}},
	}
}

func TestExtendedInstructions(t *testing.T) {
	ip, err := Verify(ipProgram(t), attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	if !ip.Extended() || ip.Version() != 3 {
		t.Errorf("IP_IN program: extended %v, version %d", ip.Extended(), ip.Version())
	}
	r := attrs.NewVector(attrs.Default)
	for addr, want := range map[string]bool{"10.1.2.3": true, "::ffff:10.1.2.3": true, "11.0.0.0": false, "2001:db8::1": true,
		"2001:db9::": false, "fe80::1%eth0": false, "": false} {
		js := `{"action": "a", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Net_Ip": "` + addr + `"}}`
		if err := r.UnmarshalJSON([]byte(js)); err != nil {
			t.Fatal(err)
		}
		if got := ip.Eval(r); got != want {
			t.Errorf("IP_IN %q = %v", addr, got)
		}
	}
	tm, err := Verify(timeProgram(t), attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := attrs.Default.Lookup(attrs.Environment, "UtcNow")
	for s, want := range map[string]bool{"2024-01-01T23:59:59Z": true, "2024-01-02T00:00:00Z": true, "2024-01-01T06:00:00.9Z": true,
		"2024-01-01T06:00:01Z": false, "2024-01-01T21:59:59Z": false, "2024-01-01T22:00:00Z": true} {
		i, err := attrs.ParseDateTime(s)
		if err != nil {
			t.Fatal(err)
		}
		r.Reset()
		if err := r.SetDateTimes(now, i); err != nil {
			t.Fatal(err)
		}
		if got := tm.Eval(r); got != want {
			t.Errorf("TIME_IN %s = %v", s, got)
		}
	}
	for _, p := range []*Verified{ip, tm} {
		q, err := Decode(p.Encode(), attrs.Default)
		if err != nil || string(q.Encode()) != string(p.Encode()) || p.Encode()[0] != 3 {
			t.Errorf("round trip: %v", err)
		}
		if d := p.Disassemble(); !strings.Contains(d, "; bytecode format 3") {
			t.Errorf("disassembly:\n%s", d)
		}
	}
	if !strings.Contains(ip.Disassemble(), "t0{10.0.0.0/8, 2001:db8::/32}") || !strings.Contains(tm.Disassemble(), "t0{00:00:00-06:00:00, 22:00:00-23:59:59}") {
		t.Errorf("tables:\n%s%s", ip.Disassemble(), tm.Disassemble())
	}
}

func TestVerifyRejectsBadTables(t *testing.T) {
	ipCases := map[string]func(p *Program){
		"odd table":          func(p *Program) { p.Sets[0].N = 3 },
		"unsorted flag":      func(p *Program) { p.Sets[0].Sorted = false },
		"reversed range":     func(p *Program) { p.Guids[0], p.Guids[1] = p.Guids[1], p.Guids[0] },
		"overlapping ranges": func(p *Program) { p.Guids[2] = p.Guids[1] },
		"out of the pool":    func(p *Program) { p.Sets[0].N = 6 },
		"not a String":       func(p *Program) { p.Operands[0].Type = attrs.TypeInteger },
		"a key set":          func(p *Program) { p.Operands[0].Sel = attrs.SelKeys; p.Operands[0].Key = "" },
		"version 1":          func(p *Program) { p.Version = 1 },
		"version 4":          func(p *Program) { p.Version = 4 },
	}
	for name, mutate := range ipCases {
		p := ipProgram(t)
		mutate(p)
		if _, err := Verify(p, attrs.Default); err == nil {
			t.Errorf("IP_IN %s: accepted", name)
		}
	}
	timeCases := map[string]func(p *Program){
		"past the day":   func(p *Program) { p.Nums[3] = 86400 },
		"negative":       func(p *Program) { p.Nums[0] = -1 },
		"reversed":       func(p *Program) { p.Nums[0], p.Nums[1] = p.Nums[1], p.Nums[0] },
		"overlapping":    func(p *Program) { p.Nums[2] = p.Nums[1] },
		"not a DateTime": func(p *Program) { p.Code[0].Op = OpIPIn },
	}
	for name, mutate := range timeCases {
		p := timeProgram(t)
		mutate(p)
		if _, err := Verify(p, attrs.Default); err == nil {
			t.Errorf("TIME_IN %s: accepted", name)
		}
	}
	// A substring descriptor needs format 2 (a program built now is written as 3) and is never folded.
	p := small(t)
	p.Code[0] = Instr{Op: OpCmp, Flag: FlagJumpIfTrue, B: 0, Jump: 2}
	p.Strs = []string{"a"}
	p.Sets = []Set{{Off: 0, N: 1}}
	p.Operands[0] = Operand{ID: mustID(t, "Microsoft.Storage/storageAccounts:name"), Type: attrs.TypeString, Source: attrs.Resource, Name: "Microsoft.Storage/storageAccounts:name"}
	p.Nums = nil
	p.Cmps = []Cmp{{Rel: RelContains, Type: attrs.TypeString, L: Side{Attr: true}, R: Side{Index: 0}}}
	if v, err := Verify(p, attrs.Default); err != nil || v.Version() != 3 {
		t.Fatalf("contains descriptor: %v", err)
	}
	p.Version = 1
	if _, err := Verify(p, attrs.Default); err == nil || !strings.Contains(err.Error(), "format 1 program") {
		t.Errorf("a format 1 program with a contains descriptor: %v", err)
	}
	p.Version = 0
	p.Cmps[0].Fold = true
	if _, err := Verify(p, attrs.Default); err == nil {
		t.Error("a folded contains descriptor was accepted")
	}
}

func mustID(t *testing.T, name string) attrs.ID {
	id, ok := attrs.Default.Lookup(attrs.Resource, name)
	if !ok {
		t.Fatalf("%s not in catalog", name)
	}
	return id
}

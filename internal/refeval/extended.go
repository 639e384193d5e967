package refeval

import (
	"net/netip"
	"strings"
	"time"

	"github.com/abacc/abacc/internal/syntax/ast"
)

// The extended dialect, read literally from RATIONALE.md ("The extended dialect") with the
// standard library: net/netip for addresses and time for times of day. Nothing here is shared
// with the compiler's tables or the VM's parser; literals are read again from their text.

// extended decides the positive form of an extended-dialect operator between the values of
// its left side and its right side (literals, a set, or a pair).
func extended(info *ast.OpInfo, l, r Operand) bool {
	if info.Rel == ast.RelListContains {
		// Some value of the list equals some value on the right.
		for _, a := range l.Values {
			for _, b := range r.Values {
				if relation(&ast.OpInfo{Type: a.Type, Rel: ast.RelEq}, a, b) {
					return true
				}
			}
		}
		return false
	}
	// Every other operator compares exactly one left value.
	if len(l.Values) != 1 || l.Values[0].Bad {
		return false
	}
	a := l.Values[0]
	switch info.Rel {
	case ast.RelIPMatch, ast.RelIPRange:
		addr, ok := requestAddr(a.Str)
		if !ok {
			return false
		}
		if r.Pair {
			lo, _ := literalAddr(r.Values[0].Str)
			hi, _ := literalAddr(r.Values[1].Str)
			return lo.Compare(addr) <= 0 && addr.Compare(hi) <= 0
		}
		for _, b := range r.Values {
			if inPrefix(addr, b.Str) {
				return true
			}
		}
		return false
	case ast.RelNumRange:
		return r.Values[0].Num <= a.Num && a.Num <= r.Values[1].Num
	}
	// Times of day.
	t := clock(a.Num)
	if r.Pair {
		from, to := parseClock(r.Values[0].Str), parseClock(r.Values[1].Str)
		if from <= to {
			return from <= t && t <= to
		}
		return t >= from || t <= to // wraps midnight
	}
	for _, b := range r.Values {
		v := parseClock(b.Str)
		var hold bool
		switch info.Rel {
		case ast.RelTimeEq:
			hold = t == v
		case ast.RelTimeLt:
			hold = t < v
		case ast.RelTimeLe:
			hold = t <= v
		case ast.RelTimeGt:
			hold = t > v
		case ast.RelTimeGe:
			hold = t >= v
		}
		if hold {
			return true
		}
	}
	return false
}

// requestAddr reads a request value as an address: netip's grammar, no zone, and an IPv4
// address (or IPv4-mapped IPv6 address) as its 16-byte mapped form.
func requestAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(a.As16()), true
}

// literalAddr reads a checked address literal in the same 16-byte form.
func literalAddr(s string) (netip.Addr, bool) { return requestAddr(s) }

// inPrefix reports whether addr (16-byte form) is the address or inside the CIDR lit: an IPv4
// CIDR a/n is compared as ::ffff:a/(96+n).
func inPrefix(addr netip.Addr, lit string) bool {
	if !strings.Contains(lit, "/") {
		b, ok := literalAddr(lit)
		return ok && b == addr
	}
	p, err := netip.ParsePrefix(lit)
	if err != nil {
		return false
	}
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	want := netip.PrefixFrom(netip.AddrFrom16(p.Addr().As16()), bits).Masked()
	got, err := addr.Prefix(bits)
	return err == nil && got == want
}

// clock returns an instant's UTC time of day in whole seconds, through package time.
func clock(ticks int64) int {
	// Instants count 100 ns ticks from 0001-01-01T00:00:00Z; time.Time holds them exactly.
	epoch := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	days := ticks / (86400 * 10_000_000)
	rest := ticks % (86400 * 10_000_000)
	if rest < 0 {
		days--
		rest += 86400 * 10_000_000
	}
	t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(rest) * 100)
	return t.Hour()*3600 + t.Minute()*60 + t.Second()
}

// parseClock reads a checked 'hh:mm' or 'hh:mm:ss' literal into seconds, through package time.
func parseClock(s string) int {
	layout := "15:04:05"
	if len(s) == 5 {
		layout = "15:04"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		panic("refeval: unchecked time of day " + s)
	}
	return t.Hour()*3600 + t.Minute()*60 + t.Second()
}

// contains reports whether y occurs in x, by trying every position (no shared code).
func contains(x, y string) bool {
	for i := 0; i+len(y) <= len(x); i++ {
		if x[i:i+len(y)] == y {
			return true
		}
	}
	return false
}

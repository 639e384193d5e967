// Package ipaddr is the extended dialect's IP address model: IPv4 and IPv6 addresses in one
// 128-bit space in which the IPv4 address a.b.c.d is the IPv4-mapped IPv6 address
// ::ffff:a.b.c.d (RATIONALE.md, "IpMatch, IpNotMatch, IpInRange, IpNotInRange"), and inclusive
// ranges of such addresses.
//
// Parse is the VM's hot-path reader of request values: it follows net/netip.ParseAddr's
// grammar exactly (a fuzz target holds it to it), rejects zones, and allocates nothing even
// when the text is not an address (netip's errors allocate). Literals are read at compile time
// by ParseLiteral and ParseRange, which use net/netip itself and report positioned-friendly
// errors. The package is a leaf: the checker, the IR, the VM and the tests share it.
package ipaddr

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Addr is an address of the 128-bit space, most significant half first; IPv4 addresses are
// stored in their IPv4-mapped form ::ffff:a.b.c.d.
type Addr struct{ Hi, Lo uint64 }

// v4Hi and v4Lo are the fixed high bits of the IPv4-mapped block ::ffff:0:0/96.
const (
	v4Hi = 0
	v4Lo = 0xffff << 32
)

// From16 returns the address of 16 bytes in network order.
func From16(b [16]byte) Addr {
	return Addr{Hi: binary.BigEndian.Uint64(b[:8]), Lo: binary.BigEndian.Uint64(b[8:])}
}

// As16 returns the address as 16 bytes in network order.
func (a Addr) As16() [16]byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], a.Hi)
	binary.BigEndian.PutUint64(b[8:], a.Lo)
	return b
}

// Is4 reports whether the address is an IPv4 address (in ::ffff:0:0/96).
func (a Addr) Is4() bool { return a.Hi == v4Hi && a.Lo>>32 == 0xffff }

// Compare orders addresses as 128-bit unsigned integers.
func (a Addr) Compare(b Addr) int {
	if c := cmp.Compare(a.Hi, b.Hi); c != 0 {
		return c
	}
	return cmp.Compare(a.Lo, b.Lo)
}

// next returns a+1 and whether it did not wrap.
func (a Addr) next() (Addr, bool) {
	if a.Lo != ^uint64(0) {
		return Addr{a.Hi, a.Lo + 1}, true
	}
	if a.Hi != ^uint64(0) {
		return Addr{a.Hi + 1, 0}, true
	}
	return Addr{}, false
}

// String formats the address: dotted-quad for IPv4, RFC 5952 for IPv6.
func (a Addr) String() string {
	ip := netip.AddrFrom16(a.As16())
	if a.Is4() {
		ip = ip.Unmap()
	}
	return ip.String()
}

// Parse reads an address as net/netip.ParseAddr does (dotted-quad IPv4 without leading zeros;
// RFC 4291 IPv6 with :: and an embedded IPv4 tail), except that any zone ("%eth0") makes the
// text no address. It allocates nothing.
func Parse(s string) (Addr, bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.':
			var b [4]byte
			if !parse4(s, b[:]) {
				return Addr{}, false
			}
			return Addr{Hi: v4Hi, Lo: v4Lo | uint64(binary.BigEndian.Uint32(b[:]))}, true
		case ':':
			return parse6(s)
		case '%':
			return Addr{}, false
		}
	}
	return Addr{}, false
}

// parse4 reads four dotted decimal octets (no leading zeros, each at most 255) into b.
func parse4(s string, b []byte) bool {
	val, digits, pos := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return false // leading zero
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' || pos == 3 {
				return false
			}
			b[pos] = byte(val)
			pos++
			val, digits = 0, 0
		default:
			return false
		}
	}
	if pos < 3 {
		return false
	}
	b[3] = byte(val)
	return true
}

// parse6 reads an IPv6 address (netip's parseIPv6 without zones).
func parse6(s string) (Addr, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			return Addr{}, false
		}
	}
	var ip [16]byte
	ellipsis := -1
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis = 0
		s = s[2:]
		if len(s) == 0 {
			return Addr{}, true
		}
	}
	i := 0
	for i < 16 {
		off := 0
		acc := uint32(0)
		for ; off < len(s); off++ {
			c := s[off]
			switch {
			case c >= '0' && c <= '9':
				acc = acc<<4 + uint32(c-'0')
			case c >= 'a' && c <= 'f':
				acc = acc<<4 + uint32(c-'a'+10)
			case c >= 'A' && c <= 'F':
				acc = acc<<4 + uint32(c-'A'+10)
			default:
				goto done
			}
			if off > 3 || acc > 0xffff {
				return Addr{}, false
			}
		}
	done:
		if off == 0 {
			return Addr{}, false
		}
		if off < len(s) && s[off] == '.' {
			if ellipsis < 0 && i != 12 || i+4 > 16 {
				return Addr{}, false
			}
			if !parse4(s, ip[i:i+4]) {
				return Addr{}, false
			}
			s = ""
			i += 4
			break
		}
		ip[i] = byte(acc >> 8)
		ip[i+1] = byte(acc)
		i += 2
		s = s[off:]
		if len(s) == 0 {
			break
		}
		if s[0] != ':' || len(s) == 1 {
			return Addr{}, false
		}
		s = s[1:]
		if s[0] == ':' {
			if ellipsis >= 0 {
				return Addr{}, false
			}
			ellipsis = i
			s = s[1:]
			if len(s) == 0 {
				break
			}
		}
	}
	if len(s) != 0 {
		return Addr{}, false
	}
	if i < 16 {
		if ellipsis < 0 {
			return Addr{}, false
		}
		n := 16 - i
		for j := i - 1; j >= ellipsis; j-- {
			ip[j+n] = ip[j]
		}
		clear(ip[ellipsis : ellipsis+n])
	} else if ellipsis >= 0 {
		return Addr{}, false // :: must stand for at least one group of zeros
	}
	return From16(ip), true
}

// Range is an inclusive range of addresses, First ≤ Last.
type Range struct{ First, Last Addr }

// Contains reports whether a lies in r.
func (r Range) Contains(a Addr) bool { return r.First.Compare(a) <= 0 && a.Compare(r.Last) <= 0 }

// String formats the range as a CIDR when it is one, else as first-last.
func (r Range) String() string {
	if r.First == r.Last {
		return r.First.String()
	}
	for bits := 0; bits <= 128; bits++ {
		if p, ok := prefixRange(r.First, bits); ok && p == r {
			if r.First.Is4() && bits >= 96 {
				return fmt.Sprintf("%s/%d", r.First, bits-96)
			}
			return fmt.Sprintf("%s/%d", r.First, bits)
		}
	}
	return r.First.String() + "-" + r.Last.String()
}

// prefixRange returns the range of the prefix of a with the given number of leading bits (in
// the 128-bit space), and whether a is that prefix's first address.
func prefixRange(a Addr, bits int) (Range, bool) {
	var mhi, mlo uint64 // host mask
	switch {
	case bits <= 0:
		mhi, mlo = ^uint64(0), ^uint64(0)
	case bits < 64:
		mhi, mlo = ^uint64(0)>>bits, ^uint64(0)
	case bits < 128:
		mhi, mlo = 0, ^uint64(0)>>(bits-64)
	}
	first := Addr{a.Hi &^ mhi, a.Lo &^ mlo}
	return Range{first, Addr{first.Hi | mhi, first.Lo | mlo}}, first == a
}

// LiteralError explains why a literal is not an address, CIDR or range; Hint suggests a fix.
type LiteralError struct {
	Msg, Hint string
}

// Error returns the message (without the hint).
func (e *LiteralError) Error() string { return e.Msg }

// ParseLiteral reads an address or a CIDR (address/bits, as net/netip.ParsePrefix reads it)
// into the range it names. Zones and CIDRs with host bits set are errors; an IPv4 CIDR a/n is
// the range of ::ffff:a/(96+n).
func ParseLiteral(s string) (Range, error) {
	if strings.Contains(s, "%") {
		return Range{}, &LiteralError{Msg: "it has a zone id, which a condition cannot use",
			Hint: "remove the %zone: a zone names a link of one machine"}
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return Range{}, &LiteralError{Msg: "not an IP address: " + reason(err), Hint: addrHint}
		}
		x := From16(a.As16())
		return Range{x, x}, nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return Range{}, &LiteralError{Msg: "not a CIDR: " + reason(err), Hint: addrHint}
	}
	if m := p.Masked(); m != p {
		return Range{}, &LiteralError{Msg: "the CIDR has host bits set",
			Hint: fmt.Sprintf("did you mean %s? (the bits after the first %d must be zero)", m, p.Bits())}
	}
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	r, _ := prefixRange(From16(p.Addr().As16()), bits)
	return r, nil
}

const addrHint = "write an IPv4 or IPv6 address ('10.0.0.1', '2001:db8::1') or a CIDR ('10.0.0.0/8')"

// reason strips net/netip's quoting of the input from its error text.
func reason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		return msg[i+3:]
	}
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// ParsePair reads an ordered pair of addresses as the inclusive range [lo, hi]. Both must be
// plain addresses of one family (IPv4 or IPv6); loErr/hiErr report a malformed end, and
// ErrReversed a low end above the high end.
func ParsePair(lo, hi string) (r Range, loErr, hiErr, err error) {
	a, loErr := parseAddrLiteral(lo)
	b, hiErr := parseAddrLiteral(hi)
	if loErr != nil || hiErr != nil {
		return Range{}, loErr, hiErr, nil
	}
	if a.Is4() != b.Is4() {
		return Range{}, nil, nil, &LiteralError{Msg: "the range mixes IPv4 and IPv6",
			Hint: "both ends of an address range are IPv4, or both IPv6"}
	}
	if a.Compare(b) > 0 {
		return Range{}, nil, nil, ErrReversed
	}
	return Range{a, b}, nil, nil, nil
}

// ErrReversed reports a range whose low end is above its high end.
var ErrReversed = &LiteralError{Msg: "the low end is above the high end", Hint: "write the range as [low, high]"}

func parseAddrLiteral(s string) (Addr, error) {
	if strings.Contains(s, "/") {
		return Addr{}, &LiteralError{Msg: "a CIDR, where a range's end is an address", Hint: "write [first address, last address], or the CIDR alone"}
	}
	r, err := ParseLiteral(s)
	return r.First, err
}

// Merge sorts ranges and merges those that overlap or touch, giving the disjoint, sorted
// table the VM searches. It does not modify its argument.
func Merge(ranges []Range) []Range {
	rs := slices.Clone(ranges)
	slices.SortFunc(rs, func(a, b Range) int { return a.First.Compare(b.First) })
	var out []Range
	for _, r := range rs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			next, ok := last.Last.next()
			if !ok || r.First.Compare(next) <= 0 {
				if r.Last.Compare(last.Last) > 0 {
					last.Last = r.Last
				}
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// Search reports whether a lies in one of the ranges of a table Merge produced, by binary
// search over flattened pairs (first, last, first, last, ...) as the VM stores them.
func Search(table []Addr, a Addr) bool {
	lo, hi := 0, len(table)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if table[2*m+1].Compare(a) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(table)/2 && table[2*lo].Compare(a) <= 0
}

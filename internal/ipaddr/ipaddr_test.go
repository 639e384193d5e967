package ipaddr

import (
	"net/netip"
	"strings"
	"testing"
)

// parseSeeds are address texts on every path of netip.ParseAddr's grammar, valid and not.
var parseSeeds = []string{
	"", "1", ".", ":", "::", ":::", "%", "%eth0", "0.0.0.0", "255.255.255.255", "256.0.0.0", "1.2.3",
	"1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.0", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4",
	"1.2.3.4:80", "1.2::", "::1", "::ffff:10.0.0.1", "::ffff:0a00:0001", "::10.0.0.1", "1::", "1:2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "1::2::3", "12345::",
	"fFfF::", "g::", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4",
	"::1.2.3", "::1.2.3.4.5", "::ffff:1.2.3.04", "fe80::1%eth0", "fe80::1%", "2001:db8::/32",
	"[::1]", "::ffff:256.0.0.1", "1:", ":1", "1:::2", "::ffff:1.2.3.4%x", "0:0:0:0:0:ffff:1.2.3.4",
	"\xff", "1.2.3.4\x00", "2001:0db8:0000:0000:0000:0000:0000:0001", "02001:db8::1",
}

// checkParse holds Parse to net/netip.ParseAddr: the same texts are addresses (zones aside,
// which Parse rejects) and they read as netip's 16-byte form (IPv4 as ::ffff:a.b.c.d).
func checkParse(t *testing.T, s string) {
	got, ok := Parse(s)
	want, err := netip.ParseAddr(s)
	if err == nil && want.Zone() != "" {
		if ok {
			t.Errorf("Parse(%q) accepted an address with a zone", s)
		}
		return
	}
	if ok != (err == nil) {
		t.Errorf("Parse(%q) ok=%v, netip: %v", s, ok, err)
		return
	}
	if ok && got != From16(want.As16()) {
		t.Errorf("Parse(%q) = %v, netip %v", s, got, want)
	}
}

func TestParseAgreesWithNetip(t *testing.T) {
	for _, s := range parseSeeds {
		checkParse(t, s)
	}
}

// FuzzParse: the hot-path parser agrees with net/netip on any text.
func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParse)
}

func TestParseAllocatesNothing(t *testing.T) {
	for _, s := range []string{"10.0.0.1", "2001:db8::1", "::ffff:1.2.3.4", "not an address", "fe80::1%eth0", "1.2.3.400"} {
		if n := testing.AllocsPerRun(100, func() { Parse(s) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations", s, n)
		}
	}
}

func TestMappedIsIPv4(t *testing.T) {
	a, _ := Parse("10.1.2.3")
	b, _ := Parse("::ffff:10.1.2.3")
	if a != b || !a.Is4() || a.String() != "10.1.2.3" {
		t.Errorf("10.1.2.3 = %v (%v), ::ffff:10.1.2.3 = %v", a, a.Is4(), b)
	}
	c, _ := Parse("::10.1.2.3") // IPv4-compatible: an ordinary IPv6 address
	if c == a || c.Is4() {
		t.Errorf("::10.1.2.3 read as IPv4")
	}
}

func TestParseLiteral(t *testing.T) {
	for _, c := range []struct {
		in, first, last, err string
	}{
		{in: "10.0.0.0/8", first: "10.0.0.0", last: "10.255.255.255"},
		{in: "::ffff:10.0.0.0/104", first: "10.0.0.0", last: "10.255.255.255"},
		{in: "0.0.0.0/0", first: "0.0.0.0", last: "255.255.255.255"},
		{in: "::/0", first: "::", last: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{in: "10.1.2.3/32", first: "10.1.2.3", last: "10.1.2.3"},
		{in: "2001:db8::1/128", first: "2001:db8::1", last: "2001:db8::1"},
		{in: "2001:db8::/32", first: "2001:db8::", last: "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"},
		{in: "10.0.0.1", first: "10.0.0.1", last: "10.0.0.1"},
		{in: "10.1.0.0/8", err: "host bits"},
		{in: "10.0.0.0/33", err: "not a CIDR"},
		{in: "10.0.0.0/08", err: "not a CIDR"},
		{in: "fe80::1%eth0", err: "zone"},
		{in: "fe80::/10%eth0", err: "zone"},
		{in: "10.0.0", err: "not an IP address"},
		{in: "", err: "not an IP address"},
	} {
		r, err := ParseLiteral(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseLiteral(%q) = %v, %v; want an error about %q", c.in, r, err, c.err)
			}
			continue
		}
		if err != nil || r.First.String() != c.first || r.Last.String() != c.last {
			t.Errorf("ParseLiteral(%q) = %v-%v, %v; want %s-%s", c.in, r.First, r.Last, err, c.first, c.last)
		}
	}
}

func TestParsePair(t *testing.T) {
	if r, e1, e2, err := ParsePair("10.0.0.1", "10.0.0.10"); e1 != nil || e2 != nil || err != nil || r.First.String() != "10.0.0.1" || r.Last.String() != "10.0.0.10" {
		t.Errorf("pair: %v %v %v %v", r, e1, e2, err)
	}
	if _, _, _, err := ParsePair("10.0.0.10", "10.0.0.1"); err != ErrReversed {
		t.Errorf("reversed: %v", err)
	}
	if _, _, _, err := ParsePair("10.0.0.1", "::1"); err == nil || !strings.Contains(err.Error(), "mixes") {
		t.Errorf("mixed: %v", err)
	}
	if _, e1, _, _ := ParsePair("10.0.0.0/8", "10.0.0.1"); e1 == nil {
		t.Errorf("a CIDR as a range end accepted")
	}
}

func TestMergeAndSearch(t *testing.T) {
	var rs []Range
	for _, s := range []string{"10.0.0.0/24", "10.0.1.0/24", "192.168.0.0/16", "10.0.0.128/25", "::/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"} {
		r, err := ParseLiteral(s)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	m := Merge(rs)
	var got []string
	for _, r := range m {
		got = append(got, r.String())
	}
	if want := "::, 10.0.0.0/23, 192.168.0.0/16, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"; strings.Join(got, ", ") != want {
		t.Errorf("Merge = %s, want %s", strings.Join(got, ", "), want)
	}
	var table []Addr
	for _, r := range m {
		table = append(table, r.First, r.Last)
	}
	for s, want := range map[string]bool{"10.0.0.0": true, "10.0.1.255": true, "10.0.2.0": false, "9.255.255.255": false,
		"192.168.255.255": true, "192.169.0.0": false, "::": true, "::1": false, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff": true, "::ffff:10.0.1.7": true} {
		a, _ := Parse(s)
		if Search(table, a) != want {
			t.Errorf("Search(%s) = %v", s, !want)
		}
		linear := false
		for _, r := range m {
			linear = linear || r.Contains(a)
		}
		if linear != want {
			t.Errorf("linear(%s) = %v", s, linear)
		}
	}
	if Search(nil, Addr{}) {
		t.Error("empty table holds an address")
	}
}

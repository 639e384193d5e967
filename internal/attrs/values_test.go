package attrs_test

import (
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc/internal/attrs"
)

// unixEpochSeconds is 1970-01-01T00:00:00Z in seconds since 0001-01-01T00:00:00Z.
const unixEpochSeconds = 62135596800

// ticksOf converts a time to abacc's 100 ns instant using Go's time package as the reference.
func ticksOf(t time.Time) attrs.Instant {
	return attrs.Instant((t.Unix()+unixEpochSeconds)*10_000_000 + int64(t.Nanosecond()/100))
}

func mustParseDateTime(t *testing.T, s string) attrs.Instant {
	t.Helper()
	v, err := attrs.ParseDateTime(s)
	if err != nil {
		t.Fatalf("ParseDateTime(%q): unexpected error %v", s, err)
	}
	return v
}

func TestParseDateTimeFractionDigits(t *testing.T) {
	base := ticksOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	cases := []struct {
		in   string
		frac int64 // ticks added by the fraction
	}{
		{"2024-01-02T03:04:05Z", 0},
		{"2024-01-02T03:04:05.1Z", 1_000_000},
		{"2024-01-02T03:04:05.12Z", 1_200_000},
		{"2024-01-02T03:04:05.123Z", 1_230_000},
		{"2024-01-02T03:04:05.1234Z", 1_234_000},
		{"2024-01-02T03:04:05.12345Z", 1_234_500},
		{"2024-01-02T03:04:05.123456Z", 1_234_560},
		{"2024-01-02T03:04:05.1234567Z", 1_234_567},
		{"2024-01-02T03:04:05.0000001Z", 1},
		{"2024-01-02T03:04:05.9999999Z", 9_999_999},
		{"2024-01-02T03:04:05.0Z", 0},
		{"2024-01-02T03:04:05.0000000Z", 0},
		{"2024-01-02T03:04:05.5+00:00", 5_000_000},
	}
	for _, c := range cases {
		got, err := attrs.ParseDateTime(c.in)
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", c.in, err)
			continue
		}
		if want := base + attrs.Instant(c.frac); got != want {
			t.Errorf("ParseDateTime(%q) = %d, want %d", c.in, got, want)
		}
	}
	for _, bad := range []string{
		"2024-01-02T03:04:05.12345678Z",        // 8 digits
		"2024-01-02T03:04:05.123456789Z",       // 9 digits
		"2024-01-02T03:04:05.00000000Z",        // 8 zeros
		"2024-01-02T03:04:05.12345678+02:00",   // 8 digits with offset
		"2024-01-02T03:04:05.Z",                // '.' without digits
		"2024-01-02T03:04:05.+01:00",           // '.' without digits
		"2024-01-02T03:04:05,5Z",               // comma separator
		"2024-01-02T03:04:05.1a2Z",             // non-digit in fraction
		"2024-01-02T03:04:05.1234567 Z",        // space before zone
		"2024-01-02T03:04:05.1234567Z ",        // trailing space
		" 2024-01-02T03:04:05.1234567Z",        // leading space
		"2024-01-02T03:04:05.1234567ZZ",        // doubled zone
		"2024-01-02T03:04:05.1234567+02:00Z",   // offset and Z
		"2024-01-02T03:04:05.1234567+0200",     // offset without colon
		"2024-01-02T03:04:05.1234567+2:00",     // one-digit offset hour
		"2024-01-02T03:04:05.1234567+02:0",     // one-digit offset minute
		"2024-01-02T03:04:05.1234567+02:00:00", // offset with seconds
	} {
		if v, err := attrs.ParseDateTime(bad); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error", bad, v)
		}
	}
}

func TestParseDateTimeEightFractionDigitsMessage(t *testing.T) {
	_, err := attrs.ParseDateTime("2024-01-02T03:04:05.12345678Z")
	if err == nil || !strings.Contains(err.Error(), "7") {
		t.Errorf("8 fraction digits: error %v should name the 7-digit limit", err)
	}
}

func TestParseDateTimeOffsetsNormalizedToUTC(t *testing.T) {
	same := [][]string{
		{"2024-02-29T14:00:00.1234568+02:00", "2024-02-29T12:00:00.1234568Z"},
		{"2024-02-29T12:00:00Z", "2024-02-29T12:00:00+00:00", "2024-02-29T12:00:00-00:00"},
		{"2024-03-01T01:30:00+05:30", "2024-02-29T20:00:00Z"},                 // crosses the leap day backwards
		{"2023-12-31T20:00:00-05:00", "2024-01-01T01:00:00Z"},                 // crosses a year forwards
		{"2024-01-01T00:00:00+14:00", "2023-12-31T10:00:00Z"},                 // largest offset in use
		{"2024-01-01T00:00:00-12:00", "2024-01-01T12:00:00Z"},                 // smallest offset in use
		{"2024-06-15T12:00:00.5-09:30", "2024-06-15T21:30:00.5000000Z"},       // half-hour offset
		{"2024-06-15T12:00:00+23:59", "2024-06-14T12:01:00Z"},                 // extreme but well-formed offset
		{"2000-03-01T00:00:00+00:01", "2000-02-29T23:59:00Z"},                 // into the 400-year leap day
		{"2022-06-01T23:38:32.8883645Z", "2022-06-02T01:38:32.8883645+02:00"}, // versionId of request.md
		{"2023-05-01T13:00:00.0000000Z", "2023-05-01T15:00:00+02:00"},         // UtcNow of request.md
		{"0001-01-01T01:00:00+01:00", "0001-01-01T00:00:00Z"},                 // epoch through an offset
		{"9999-12-31T22:59:59.9999999-01:00", "9999-12-31T23:59:59.9999999Z"}, // max through an offset
	}
	for _, group := range same {
		want := mustParseDateTime(t, group[0])
		for _, s := range group[1:] {
			if got := mustParseDateTime(t, s); got != want {
				t.Errorf("ParseDateTime(%q) = %d (%v), want %d (%v) as for %q", s, got, got, want, want, group[0])
			}
		}
	}
	for _, bad := range []string{
		"2024-01-01T00:00:00+24:00",
		"2024-01-01T00:00:00-24:00",
		"2024-01-01T00:00:00+01:60",
		"2024-01-01T00:00:00+ab:00",
		"2024-01-01T00:00:00*01:00",
	} {
		if v, err := attrs.ParseDateTime(bad); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an offset error", bad, v)
		}
	}
}

func TestParseDateTimeLeapYears(t *testing.T) {
	ok := []string{
		"2000-02-29T00:00:00Z", // divisible by 400
		"2024-02-29T00:00:00Z", // divisible by 4
		"1600-02-29T00:00:00Z",
		"0004-02-29T00:00:00Z",
		"2400-02-29T23:59:59.9999999Z",
		"2023-02-28T00:00:00Z",
		"1900-02-28T00:00:00Z",
	}
	bad := []string{
		"1900-02-29T00:00:00Z", // divisible by 100, not by 400
		"2023-02-29T00:00:00Z", // not divisible by 4
		"2100-02-29T00:00:00Z",
		"0001-02-29T00:00:00Z",
		"2024-02-30T00:00:00Z",
		"2000-02-30T00:00:00Z",
	}
	for _, s := range ok {
		v := mustParseDateTime(t, s)
		ref, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("time.Parse(%q): %v", s, err)
		}
		if want := ticksOf(ref); v != want {
			t.Errorf("ParseDateTime(%q) = %d, want %d", s, v, want)
		}
	}
	for _, s := range bad {
		if v, err := attrs.ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error (no such day)", s, v)
		}
	}
	// 2024-02-29 is one day after 2024-02-28 and one day before 2024-03-01.
	d28 := mustParseDateTime(t, "2024-02-28T00:00:00Z")
	d29 := mustParseDateTime(t, "2024-02-29T00:00:00Z")
	m1 := mustParseDateTime(t, "2024-03-01T00:00:00Z")
	const day = 86400 * 10_000_000
	if d29-d28 != day || m1-d29 != day {
		t.Errorf("leap day spacing: %d, %d ticks, want %d", d29-d28, m1-d29, day)
	}
}

func TestParseDateTimeRanges(t *testing.T) {
	ok := []string{
		"2024-01-31T00:00:00Z",
		"2024-03-31T00:00:00Z",
		"2024-04-30T00:00:00Z",
		"2024-06-30T00:00:00Z",
		"2024-09-30T00:00:00Z",
		"2024-11-30T00:00:00Z",
		"2024-12-31T23:59:59Z",
		"2024-01-01T00:00:00Z",
	}
	for _, s := range ok {
		mustParseDateTime(t, s)
	}
	bad := map[string]string{
		"2024-00-10T00:00:00Z": "month 00",
		"2024-13-10T00:00:00Z": "month 13",
		"2024-99-10T00:00:00Z": "month 99",
		"2024-01-00T00:00:00Z": "day 00",
		"2024-01-32T00:00:00Z": "day 32 of January",
		"2024-04-31T00:00:00Z": "day 31 of April",
		"2024-06-31T00:00:00Z": "day 31 of June",
		"2024-09-31T00:00:00Z": "day 31 of September",
		"2024-11-31T00:00:00Z": "day 31 of November",
		"2024-01-01T24:00:00Z": "hour 24",
		"2024-01-01T25:00:00Z": "hour 25",
		"2024-01-01T00:60:00Z": "minute 60",
		"2024-01-01T00:00:60Z": "second 60 (no leap seconds)",
		"2024-01-01T00:00:99Z": "second 99",
		"2024-1-01T00:00:00Z":  "one-digit month",
		"2024-01-1T00:00:00Z":  "one-digit day",
		"2024-01-01T0:00:00Z":  "one-digit hour",
		"2024-01-01 00:00:00Z": "space instead of T",
		"2024/01/01T00:00:00Z": "slashes",
		"2024-01-01T00-00-00Z": "hyphens in the time",
		"2024-01-01":           "date only",
		"2024-01-01T00:00Z":    "no seconds",
		"":                     "empty",
		"Z":                    "zone only",
		"+024-01-01T00:00:00Z": "signed year",
		"-024-01-01T00:00:00Z": "negative year",
		"2O24-01-01T00:00:00Z": "letter O in year",
		"２０２４-01-01T00:00:00Z": "full-width digits",
	}
	for s, why := range bad {
		if v, err := attrs.ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error (%s)", s, v, why)
		}
	}
}

func TestParseDateTimeZoneRequired(t *testing.T) {
	for _, s := range []string{
		"2024-01-01T00:00:00",
		"2024-01-01T00:00:00.1234567",
		"2024-01-01T00:00:00.5",
	} {
		if v, err := attrs.ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want a missing-zone error", s, v)
		}
	}
}

// TestParseDateTimeMissingZoneMessage: ParseDateTime has a dedicated "missing time zone" error,
// and it should be the one reported whether or not the value has a fraction. Without a fraction
// (19 bytes) the length guard `len(s) < 20` rejects the value before the zone is looked at, so
// the user gets the generic shape message instead.
func TestParseDateTimeMissingZoneMessage(t *testing.T) {
	for _, s := range []string{
		"2024-01-01T00:00:00.5",
		"2024-01-01T00:00:00",
	} {
		_, err := attrs.ParseDateTime(s)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "zone") {
			t.Errorf("ParseDateTime(%q): error %v should say the time zone is missing", s, err)
		}
	}
}

func TestParseDateTimeLowercaseRejected(t *testing.T) {
	for _, s := range []string{
		"2024-01-01t00:00:00Z",
		"2024-01-01T00:00:00z",
		"2024-01-01t00:00:00z",
		"2024-01-01T00:00:00.123z",
	} {
		if v, err := attrs.ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error (lower-case t/z)", s, v)
		}
	}
}

func TestParseDateTimeYearBounds(t *testing.T) {
	if v := mustParseDateTime(t, "0001-01-01T00:00:00Z"); v != 0 {
		t.Errorf("0001-01-01T00:00:00Z = %d ticks, want 0", v)
	}
	if v := mustParseDateTime(t, "0001-01-01T00:00:00.0000001Z"); v != 1 {
		t.Errorf("0001-01-01T00:00:00.0000001Z = %d ticks, want 1", v)
	}
	// .NET's DateTime.MaxValue.Ticks.
	const maxTicks = 3155378975999999999
	if v := mustParseDateTime(t, "9999-12-31T23:59:59.9999999Z"); v != maxTicks {
		t.Errorf("9999-12-31T23:59:59.9999999Z = %d ticks, want %d", v, maxTicks)
	}
	if v := mustParseDateTime(t, "9999-01-01T00:00:00Z"); v != ticksOf(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("9999-01-01 = %d ticks", v)
	}
	for _, s := range []string{
		"0000-01-01T00:00:00Z",
		"0000-12-31T23:59:59Z",
		"10000-01-01T00:00:00Z",
		"99999-12-31T23:59:59Z",
	} {
		if v, err := attrs.ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want an error (year out of range)", s, v)
		}
	}
	if got := attrs.Instant(0).String(); got != "0001-01-01T00:00:00.0000000Z" {
		t.Errorf("Instant(0).String() = %q", got)
	}
	if got := attrs.Instant(maxTicks).String(); got != "9999-12-31T23:59:59.9999999Z" {
		t.Errorf("Instant(max).String() = %q", got)
	}
}

func TestParseDateTimeOrderingAcrossOffsets(t *testing.T) {
	// Sorted by instant; the local clock readings are deliberately out of order.
	ordered := []string{
		"2024-01-01T10:00:00+05:00",    // 05:00Z
		"2024-01-01T01:00:00-05:00",    // 06:00Z
		"2024-01-01T07:00:00+01:00",    // 06:00Z
		"2024-01-01T06:00:00.0000001Z", // 06:00:00.0000001Z
		"2024-01-01T02:30:00-04:00",    // 06:30Z
		"2024-01-01T12:00:00+05:30",    // 06:30Z
		"2023-12-31T23:00:00-08:00",    // 07:00Z on Jan 1
		"2024-01-02T00:00:00+14:00",    // 10:00Z
		"2024-01-01T00:00:00-12:00",    // 12:00Z
	}
	prev := mustParseDateTime(t, ordered[0])
	for i := 1; i < len(ordered); i++ {
		cur := mustParseDateTime(t, ordered[i])
		if cur < prev {
			t.Errorf("%s (%v) sorts before %s (%v)", ordered[i], cur, ordered[i-1], prev)
		}
		prev = cur
	}
	a := mustParseDateTime(t, "2024-01-01T01:00:00-05:00")
	b := mustParseDateTime(t, "2024-01-01T07:00:00+01:00")
	if a != b {
		t.Errorf("06:00Z written two ways: %v != %v", a, b)
	}
	// A later local clock reading can be an earlier instant.
	early := mustParseDateTime(t, "2024-01-01T23:00:00+14:00")
	late := mustParseDateTime(t, "2024-01-01T00:00:00-12:00")
	if !(early < late) {
		t.Errorf("23:00+14:00 (%v) should be before 00:00-12:00 (%v)", early, late)
	}
}

// TestParseDateTimeAgainstTimePackage compares ParseDateTime and Instant.String with Go's time
// package on random instants, offsets and fraction lengths.
func TestParseDateTimeAgainstTimePackage(t *testing.T) {
	rng := rand.New(rand.NewSource(20240229))
	minSec := time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC).Unix()      // a day of margin for offsets
	maxSec := time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC).Unix() // likewise
	fracLayouts := []string{"", ".0", ".00", ".000", ".0000", ".00000", ".000000", ".0000000"}
	for i := 0; i < 500; i++ {
		sec := minSec + rng.Int63n(maxSec-minSec)
		digits := rng.Intn(8)
		unit := int64(1)
		for j := digits; j < 9; j++ {
			unit *= 10
		}
		nsec := rng.Int63n(1_000_000_000) / unit * unit // exactly representable with `digits` digits
		var zone *time.Location
		switch rng.Intn(4) {
		case 0:
			zone = time.UTC
		default:
			off := (rng.Intn(2*14*60+1) - 14*60) * 60 // ±14:00 in whole minutes
			zone = time.FixedZone("", off)
		}
		ref := time.Unix(sec, nsec).In(zone)
		layout := "2006-01-02T15:04:05" + fracLayouts[digits] + "Z07:00"
		text := ref.Format(layout)

		got, err := attrs.ParseDateTime(text)
		if err != nil {
			t.Fatalf("ParseDateTime(%q): %v", text, err)
		}
		want := attrs.Instant((ref.Unix()+unixEpochSeconds)*10_000_000 + int64(ref.Nanosecond()/100))
		if got != want {
			t.Fatalf("ParseDateTime(%q) = %d ticks, want %d (time package)", text, got, want)
		}
		// String is UTC with seven fraction digits, exactly as the time package formats it.
		str := got.String()
		if wantStr := ref.UTC().Format("2006-01-02T15:04:05.0000000Z"); str != wantStr {
			t.Fatalf("Instant(%d).String() = %q, want %q", got, str, wantStr)
		}
		// And it parses back to the same instant.
		back, err := attrs.ParseDateTime(str)
		if err != nil || back != got {
			t.Fatalf("round trip of %q: %v, %v; want %d", str, back, err, got)
		}
	}
}

// TestInstantStringRoundTrip checks String on random tick counts over the whole range.
func TestInstantStringRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	const maxTicks = 3155378975999999999
	for i := 0; i < 300; i++ {
		ticks := attrs.Instant(rng.Int63n(maxTicks + 1))
		s := ticks.String()
		back, err := attrs.ParseDateTime(s)
		if err != nil {
			t.Fatalf("ParseDateTime(Instant(%d).String() = %q): %v", ticks, s, err)
		}
		if back != ticks {
			t.Fatalf("round trip of %d via %q gave %d", ticks, s, back)
		}
		ref := time.Unix(int64(ticks)/10_000_000-unixEpochSeconds, int64(ticks)%10_000_000*100).UTC()
		if want := ref.Format("2006-01-02T15:04:05.0000000Z"); s != want {
			t.Fatalf("Instant(%d).String() = %q, want %q", ticks, s, want)
		}
	}
}

func TestParseDateTimeAllocatesNothing(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = attrs.ParseDateTime("2024-02-29T14:00:00.1234568+02:00")
		_, _ = attrs.ParseGuid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
	})
	if allocs != 0 {
		t.Errorf("ParseDateTime + ParseGuid allocate %v times, want 0", allocs)
	}
	// Failures too: the VM parses untyped request values during evaluation.
	allocs = testing.AllocsPerRun(100, func() {
		_, _ = attrs.ParseDateTime("2024-02-30T14:00:00Z")
		_, _ = attrs.ParseDateTime("2024-02-29T14:00:00.123456789Z")
		_, _ = attrs.ParseDateTime("2024-02-29T14:00:00")
		_, _ = attrs.ParseDateTime("2024-02-29T14:00:00+25:00")
		_, _ = attrs.ParseGuid("not-a-guid")
	})
	if allocs != 0 {
		t.Errorf("failing ParseDateTime + ParseGuid allocate %v times, want 0", allocs)
	}
}

// --- Guid ---

func mustParseGuid(t *testing.T, s string) attrs.Guid {
	t.Helper()
	g, err := attrs.ParseGuid(s)
	if err != nil {
		t.Fatalf("ParseGuid(%q): %v", s, err)
	}
	return g
}

func TestParseGuidForms(t *testing.T) {
	want := attrs.Guid{Hi: 0x8e3af657a8ff443c, Lo: 0xa75c2fe8c4bcb635}
	for _, s := range []string{
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		"8E3AF657-A8FF-443C-A75C-2FE8C4BCB635",
		"8e3AF657-a8FF-443c-A75c-2fe8C4BCb635",
		"8e3af657a8ff443ca75c2fe8c4bcb635",
		"8E3AF657A8FF443CA75C2FE8C4BCB635",
		"8e3Af657A8ff443Ca75C2fe8c4BCb635",
	} {
		if g := mustParseGuid(t, s); g != want {
			t.Errorf("ParseGuid(%q) = %#v, want %#v", s, g, want)
		}
	}
	if g := mustParseGuid(t, "00000000-0000-0000-0000-000000000000"); g != (attrs.Guid{}) {
		t.Errorf("nil GUID = %#v", g)
	}
	if g := mustParseGuid(t, "ffffffffffffffffffffffffffffffff"); g != (attrs.Guid{Hi: ^uint64(0), Lo: ^uint64(0)}) {
		t.Errorf("all-ones GUID = %#v", g)
	}
	// The role definition id of the built-in Contributor role, in both forms.
	a := mustParseGuid(t, "b24988ac-6180-42a0-ab88-20f7382dd24c")
	b := mustParseGuid(t, "B24988AC618042A0AB8820F7382DD24C")
	if a != b || a.Compare(b) != 0 {
		t.Errorf("hyphenated and bare forms differ: %v vs %v", a, b)
	}
}

func TestParseGuidErrors(t *testing.T) {
	bad := map[string]string{
		"":                                       "empty",
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb63":    "35 characters",
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb6355":  "37 characters",
		"8e3af657a8ff443ca75c2fe8c4bcb63":        "31 digits",
		"8e3af657a8ff443ca75c2fe8c4bcb6355":      "33 digits",
		"8e3af657a8ff443ca75c2fe8c4bcb635aaaa":   "36 digits without hyphens",
		"{8e3af657-a8ff-443c-a75c-2fe8c4bcb635}": "braces",
		"(8e3af657-a8ff-443c-a75c-2fe8c4bcb635)": "parentheses",
		"8e3af65-7a8ff-443c-a75c-2fe8c4bcb635":   "first hyphen one early",
		"8e3af657a-8ff-443c-a75c-2fe8c4bcb635":   "first hyphen one late",
		"8e3af657-a8ff443c--a75c-2fe8c4bcb635":   "second hyphen moved",
		"8e3af657-a8ff-443ca-75c-2fe8c4bcb635":   "third hyphen moved",
		"8e3af657-a8ff-443c-a75c2-fe8c4bcb635":   "fourth hyphen moved",
		"8e3af657-a8ff-443c-a75c-2fe8c4bc-b63":   "extra hyphen in the last group",
		"-8e3af657a8ff443ca75c2fe8c4bcb63":       "leading hyphen in the bare form",
		"8e3af657-a8ff-443c-a75c2fe8c4bcb635":    "three hyphens",
		"8e3af657_a8ff_443c_a75c_2fe8c4bcb635":   "underscores",
		"8e3af657 a8ff 443c a75c 2fe8c4bcb635":   "spaces",
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb63g":   "non-hex g",
		"ge3af657a8ff443ca75c2fe8c4bcb635":       "non-hex g, bare",
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb6 5":   "space digit",
		"0x3af657-a8ff-443c-a75c-2fe8c4bcb635":   "0x prefix",
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb6３":    "full-width digit",
		"8e3af657-a8ff-+43c-a75c-2fe8c4bcb635":   "plus sign",
	}
	for s, why := range bad {
		if g, err := attrs.ParseGuid(s); err == nil {
			t.Errorf("ParseGuid(%q) = %v, want an error (%s)", s, g, why)
		}
	}
}

func TestGuidStringRoundTrip(t *testing.T) {
	for _, s := range []string{
		"8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		"00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
		"00000000-0000-0000-0000-000000000001",
		"10000000-0000-0000-0000-000000000000",
		"0123abcd-4567-89ef-0123-456789abcdef",
	} {
		if got := mustParseGuid(t, s).String(); got != s {
			t.Errorf("ParseGuid(%q).String() = %q", s, got)
		}
		if got := mustParseGuid(t, strings.ToUpper(s)).String(); got != s {
			t.Errorf("ParseGuid(upper %q).String() = %q, want lower case", s, got)
		}
		if got := mustParseGuid(t, strings.ReplaceAll(s, "-", "")).String(); got != s {
			t.Errorf("ParseGuid(bare %q).String() = %q, want hyphenated", s, got)
		}
	}
	rng := rand.New(rand.NewSource(42))
	for i := 0; i < 300; i++ {
		g := attrs.Guid{Hi: rng.Uint64(), Lo: rng.Uint64()}
		s := g.String()
		if len(s) != 36 || s != strings.ToLower(s) {
			t.Fatalf("Guid%#v.String() = %q", g, s)
		}
		if back := mustParseGuid(t, s); back != g {
			t.Fatalf("round trip of %#v via %q gave %#v", g, s, back)
		}
	}
}

func TestGuidCompare(t *testing.T) {
	ordered := []string{
		"00000000-0000-0000-0000-000000000000",
		"00000000-0000-0000-0000-000000000001",
		"00000000-0000-0000-0000-0000000000ff",
		"00000000-0000-0000-7fff-ffffffffffff",
		"00000000-0000-0000-8000-000000000000", // high bit of Lo: unsigned order
		"00000000-0000-0000-ffff-ffffffffffff",
		"00000000-0000-0001-0000-000000000000", // lowest bit of Hi outranks all of Lo
		"7fffffff-ffff-ffff-ffff-ffffffffffff",
		"80000000-0000-0000-0000-000000000000", // high bit of Hi: unsigned order
		"ffffffff-ffff-ffff-ffff-fffffffffffe",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
	}
	gs := make([]attrs.Guid, len(ordered))
	for i, s := range ordered {
		gs[i] = mustParseGuid(t, s)
	}
	for i := range gs {
		for j := range gs {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := gs[i].Compare(gs[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	// Sorting random GUIDs by Compare agrees with sorting their canonical text.
	rng := rand.New(rand.NewSource(3))
	rs := make([]attrs.Guid, 200)
	for i := range rs {
		rs[i] = attrs.Guid{Hi: rng.Uint64(), Lo: rng.Uint64()}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Compare(rs[j]) < 0 })
	for i := 1; i < len(rs); i++ {
		if rs[i-1].String() >= rs[i].String() {
			t.Fatalf("Compare order disagrees with text order: %s before %s", rs[i-1], rs[i])
		}
	}
	// Case and hyphens do not matter.
	a := mustParseGuid(t, "8E3AF657A8FF443CA75C2FE8C4BCB635")
	b := mustParseGuid(t, "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
	if a.Compare(b) != 0 || b.Compare(a) != 0 {
		t.Errorf("same GUID in two spellings does not compare equal")
	}
}

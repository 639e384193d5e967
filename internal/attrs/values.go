package attrs

import (
	"errors"
	"strconv"
	"time"
)

// Instant is a point in time in 100-nanosecond ticks since 0001-01-01T00:00:00Z (the resolution
// and epoch of .NET's DateTime, which Azure uses), normalized to UTC.
type Instant int64

// Guid is a 128-bit GUID value; case and hyphens of its text do not matter.
type Guid struct{ Hi, Lo uint64 }

const (
	ticksPerSecond = 10_000_000
	ticksPerMinute = 60 * ticksPerSecond
	ticksPerDay    = 86400 * ticksPerSecond
)

// Parse errors are values, so that parsing allocates nothing even when it fails (the VM parses
// untyped request values during evaluation).
var (
	errDateTimeShape = errors.New("want yyyy-mm-ddThh:mm:ss[.fffffff](Z|±hh:mm)")
	errYear          = errors.New("year must be 0001 or later")
	errMonth         = errors.New("month out of range")
	errDay           = errors.New("day out of range for the month")
	errTimeOfDay     = errors.New("time of day out of range")
	errNoFraction    = errors.New("missing fraction digits after '.'")
	errFraction      = errors.New("more than 7 fraction digits (the precision is 100 ns)")
	errOffset        = errors.New("offset out of range")
	errNoZone        = errors.New("missing time zone: end with Z or an offset ±hh:mm")
)

// ParseDateTime parses `yyyy-mm-ddThh:mm:ss[.f{1,7}](Z|±hh:mm)` into an Instant. It allocates
// nothing, so the VM may call it on untyped values during evaluation.
func ParseDateTime(s string) (Instant, error) {
	// Fixed part: yyyy-mm-ddThh:mm:ss is 19 bytes.
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, errDateTimeShape
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	second, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 0, errDateTimeShape
	}
	if year < 1 {
		return 0, errYear
	}
	if month < 1 || month > 12 {
		return 0, errMonth
	}
	if day < 1 || day > daysIn(year, month) {
		return 0, errDay
	}
	if hour > 23 || minute > 59 || second > 59 {
		return 0, errTimeOfDay
	}
	rest := s[19:]
	var frac int64
	if rest != "" && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		nd := n - 1
		if nd == 0 {
			return 0, errNoFraction
		}
		if nd > 7 {
			return 0, errFraction
		}
		f, _ := digits(rest[1:n])
		for i := nd; i < 7; i++ {
			f *= 10
		}
		frac = int64(f)
		rest = rest[n:]
	}
	var offset int64 // in minutes east of UTC
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, okh := digits(rest[1:3])
		om, okm := digits(rest[4:6])
		if !okh || !okm || oh > 23 || om > 59 {
			return 0, errOffset
		}
		offset = int64(oh*60 + om)
		if rest[0] == '-' {
			offset = -offset
		}
	case rest == "":
		return 0, errNoZone
	default:
		return 0, errDateTimeShape
	}
	days := daysBefore(year, month) + int64(day-1)
	t := days*ticksPerDay + int64(hour)*3600*ticksPerSecond + int64(minute)*ticksPerMinute +
		int64(second)*ticksPerSecond + frac - offset*ticksPerMinute
	return Instant(t), nil
}

// digits parses a run of ASCII decimal digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func daysIn(y, m int) int {
	if m == 2 && isLeap(y) {
		return 29
	}
	return monthDays[m]
}

// daysBefore counts the days from 0001-01-01 to the first of the given month.
func daysBefore(y, m int) int64 {
	py := int64(y - 1)
	d := py*365 + py/4 - py/100 + py/400
	for i := 1; i < m; i++ {
		d += int64(daysIn(y, i))
	}
	return d
}

// String formats the instant as yyyy-mm-ddThh:mm:ss.fffffffZ (UTC, seven fraction digits).
func (t Instant) String() string {
	ticks := int64(t)
	if ticks < 0 {
		return "Instant(" + strconv.FormatInt(ticks, 10) + ")"
	}
	days := ticks / ticksPerDay
	rem := ticks % ticksPerDay
	y := 1
	for {
		n := int64(365)
		if isLeap(y) {
			n = 366
		}
		if days < n {
			break
		}
		days -= n
		y++
	}
	m := 1
	for days >= int64(daysIn(y, m)) {
		days -= int64(daysIn(y, m))
		m++
	}
	b := make([]byte, 0, 28)
	b = pad(b, y, 4)
	b = append(b, '-')
	b = pad(b, m, 2)
	b = append(b, '-')
	b = pad(b, int(days)+1, 2)
	b = append(b, 'T')
	b = pad(b, int(rem/(3600*ticksPerSecond)), 2)
	b = append(b, ':')
	b = pad(b, int(rem/ticksPerMinute%60), 2)
	b = append(b, ':')
	b = pad(b, int(rem/ticksPerSecond%60), 2)
	b = append(b, '.')
	b = pad(b, int(rem%ticksPerSecond), 7)
	b = append(b, 'Z')
	return string(b)
}

func pad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

var errGuidShape = errors.New("want 8-4-4-4-12 hexadecimal digits (hyphens optional)")

// ParseGuid parses a GUID written as 8-4-4-4-12 hex digits or as 32 hex digits without hyphens,
// in either case. It allocates nothing.
func ParseGuid(s string) (Guid, error) {
	var g Guid
	n := 0
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return Guid{}, errGuidShape
		}
	case 32:
	default:
		return Guid{}, errGuidShape
	}
	for i := 0; i < len(s); i++ {
		if len(s) == 36 && (i == 8 || i == 13 || i == 18 || i == 23) {
			continue
		}
		v, ok := hexVal(s[i])
		if !ok {
			return Guid{}, errGuidShape
		}
		if n < 16 {
			g.Hi = g.Hi<<4 | uint64(v)
		} else {
			g.Lo = g.Lo<<4 | uint64(v)
		}
		n++
	}
	return g, nil
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String formats the GUID in lower case with hyphens.
func (g Guid) String() string {
	const hexdigits = "0123456789abcdef"
	b := make([]byte, 0, 36)
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		w := g.Hi
		shift := uint(60 - 4*i)
		if i >= 16 {
			w = g.Lo
			shift = uint(60 - 4*(i-16))
		}
		b = append(b, hexdigits[(w>>shift)&0xf])
	}
	return string(b)
}

// Compare orders GUIDs as 128-bit unsigned integers.
func (g Guid) Compare(h Guid) int {
	switch {
	case g.Hi < h.Hi || (g.Hi == h.Hi && g.Lo < h.Lo):
		return -1
	case g == h:
		return 0
	}
	return 1
}

// InstantOf converts a time to the 100 ns instant of DateTime values.
func InstantOf(t time.Time) Instant {
	const unixEpochTicks = 621355968000000000 // 1970-01-01 in ticks since 0001-01-01
	u := t.UTC()
	return Instant(u.Unix()*10_000_000 + int64(u.Nanosecond()/100) + unixEpochTicks)
}

package attrs

import "errors"

// SecondsPerDay bounds a time of day: 0 ≤ TimeOfDay < SecondsPerDay.
const SecondsPerDay = 86400

// TimeOfDay returns an instant's UTC wall-clock time truncated to the second: seconds since
// 00:00:00 UTC, 0 to 86399 (RATIONALE.md, "TimeOfDay…"). Instants before the epoch (possible
// only through offsets and the Go setters) count from the midnight before them.
func TimeOfDay(t Instant) int32 {
	r := int64(t) % ticksPerDay
	if r < 0 {
		r += ticksPerDay
	}
	return int32(r / ticksPerSecond)
}

var errTimeOfDayShape = errors.New("want hh:mm or hh:mm:ss (UTC, two digits each)")

// ParseTimeOfDay reads a time-of-day literal, 'hh:mm' or 'hh:mm:ss' with two digits each
// (00–23, 00–59, 00–59), into seconds since midnight UTC. Nothing else is accepted: no
// fractions, offsets, 24:00 or leap seconds.
func ParseTimeOfDay(s string) (int32, error) {
	if len(s) != 5 && len(s) != 8 || s[2] != ':' || len(s) == 8 && s[5] != ':' {
		return 0, errTimeOfDayShape
	}
	two := func(i int) (int32, bool) {
		a, b := s[i], s[i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return int32(a-'0')*10 + int32(b-'0'), true
	}
	h, ok1 := two(0)
	m, ok2 := two(3)
	sec, ok3 := int32(0), true
	if len(s) == 8 {
		sec, ok3 = two(6)
	}
	if !ok1 || !ok2 || !ok3 {
		return 0, errTimeOfDayShape
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, errTimeOfDay
	}
	return h*3600 + m*60 + sec, nil
}

// FormatTimeOfDay writes seconds since midnight as hh:mm:ss.
func FormatTimeOfDay(sec int32) string {
	b := []byte("00:00:00")
	put := func(i int, v int32) { b[i], b[i+1] = byte('0'+v/10), byte('0'+v%10) }
	put(0, sec/3600)
	put(3, sec/60%60)
	put(6, sec%60)
	return string(b)
}

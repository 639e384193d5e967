package attrs

import (
	"testing"
	"time"
)

func TestParseTimeOfDay(t *testing.T) {
	for s, want := range map[string]int32{"00:00": 0, "00:00:00": 0, "23:59:59": 86399, "08:00": 28800, "12:30:15": 45015, "22:00": 79200} {
		if got, err := ParseTimeOfDay(s); err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %d, %v; want %d", s, got, err, want)
		}
		if got, _ := ParseTimeOfDay(s); len(s) == 8 && FormatTimeOfDay(got) != s {
			t.Errorf("FormatTimeOfDay(%d) = %s", got, FormatTimeOfDay(got))
		}
	}
	for _, s := range []string{"", "8:00", "08:0", "24:00", "23:60", "23:59:60", "12:00:00Z", "12:00:00.5", "12-00", "08:00-18:00", "1200", "aa:bb", "12:00:", "-1:00", "+1:00", "12:00+01:00", "０８:００"} {
		if v, err := ParseTimeOfDay(s); err == nil {
			t.Errorf("ParseTimeOfDay(%q) = %d, want an error", s, v)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"00:00", "23:59:59", "24:00", "08:00-18:00", "12:00:00.5", "9:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		ref, rerr := time.Parse("15:04:05", s)
		if len(s) == 5 {
			ref, rerr = time.Parse("15:04", s)
		}
		// time.Parse also takes single-digit forms and other lengths; on the two fixed shapes
		// with two digits each it must agree.
		if (len(s) == 5 || len(s) == 8) && rerr == nil && isDigits(s) {
			want := int32(ref.Hour()*3600 + ref.Minute()*60 + ref.Second())
			if err != nil || v != want {
				t.Fatalf("ParseTimeOfDay(%q) = %d, %v; time.Parse gives %d", s, v, err, want)
			}
		}
		if err == nil && (v < 0 || v >= SecondsPerDay || rerr != nil || FormatTimeOfDay(v)[:len(s)] != s) {
			t.Fatalf("ParseTimeOfDay(%q) accepted %d (time.Parse: %v)", s, v, rerr)
		}
	})
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && !(s[i] == ':' && (i == 2 || i == 5)) {
			return false
		}
	}
	return true
}

func TestTimeOfDay(t *testing.T) {
	for s, want := range map[string]int32{
		"2024-05-01T12:30:15Z": 45015, "2024-05-01T12:30:15.9999999Z": 45015, "2024-05-01T23:59:59.9999999Z": 86399,
		"2024-05-02T00:00:00Z": 0, "2024-05-01T01:00:00+02:00": 82800, "0001-01-01T00:30:00+01:00": 84600,
	} {
		i, err := ParseDateTime(s)
		if err != nil {
			t.Fatal(s, err)
		}
		if got := TimeOfDay(i); got != want {
			t.Errorf("TimeOfDay(%s) = %d, want %d", s, got, want)
		}
	}
}

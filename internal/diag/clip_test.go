package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	if Clip("short") != "short" {
		t.Error("short text changed")
	}
	exact := strings.Repeat("é", 80)
	if Clip(exact) != exact {
		t.Error("80 characters are kept whole")
	}
	long := strings.Repeat("1", 1000000)
	got := Clip(long)
	if utf8.RuneCountInString(got) != 80 || !strings.HasSuffix(got, "…") {
		t.Errorf("got %d characters: %q", utf8.RuneCountInString(got), got)
	}
	if got := Clip(strings.Repeat("é", 100)); !utf8.ValidString(got) || utf8.RuneCountInString(got) != 80 {
		t.Errorf("multi-byte: %q", got)
	}
}

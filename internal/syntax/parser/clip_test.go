package parser

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A long token cut for a message never splits a character.
func TestClipTextUTF8(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		s := strings.Repeat("a", 55+pad) + strings.Repeat("é", 10)
		got := clipText(s)
		if !utf8.ValidString(got) || !strings.HasSuffix(got, "...") || len(got) > 60 {
			t.Errorf("pad %d: %q", pad, got)
		}
	}
	if clipText("short") != "short" {
		t.Error("short text changed")
	}
}

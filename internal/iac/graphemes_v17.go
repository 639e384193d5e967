//go:build go1.27

package iac

import textseg "github.com/apparentlymart/go-textseg/v17/textseg"

// The grapheme segmentation hcl/v2 uses for the <<- heredoc rule (its internal/unicodeutil picks
// the go-textseg version by the same build constraint).
func scanGrapheme(b []byte) int {
	adv, _, _ := textseg.ScanGraphemeClusters(b, true)
	return adv
}

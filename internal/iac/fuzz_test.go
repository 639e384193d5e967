package iac

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzExtract feeds arbitrary bytes to every reader (the name's extension picks it) and checks
// what must hold for any input: no panic; errors are *FileError; literal ranges inside the
// file; positions that never go backwards; the Terraform reader agreeing with hcl's value; and
// a literal rewritten with its own text reading back as that text.
func FuzzExtract(f *testing.F) {
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "manifest.json") {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<16 {
			f.Add(filepath.Ext(p), data)
		}
		return nil
	})
	for _, s := range []struct{ ext, src string }{
		{".tf", tfCondition("<<-EOT\n  \u00a0a\n\t b $${c}\n\n  EOT")},
		{".tf", tfCondition(`"\u00e9e\u0301 \"q\" \\ $${x} %%{y}"`)},
		{".bicep", bicepCondition(`'a\'b\u{1F600}\${c}'`)},
		{".bicep", bicepCondition("$$'''\r\nx ${y}\r\n''''")},
		{".json", `[{"principalId":"p","condition":"a\ud83d\ude00\u0027"}]`},
		{".json", strings.Replace(armTemplate, "LIT", `"[[x]"`, 1)},
		{".cond", "\xEF\xBB\xBF(x)"},
	} {
		f.Add(s.ext, []byte(s.src))
	}
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkExtract(t, "f"+ext, data)
		Detect("f"+ext, data)
	})
}

package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	bin "encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"github.com/abacc/abacc/internal/hooks"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/bundle"
)

// keygen runs abacc keygen -o DIR/NAME and returns the key id it printed.
func keygen(t *testing.T, dir, name string) string {
	t.Helper()
	r := run(t, "", "keygen", "-o", filepath.Join(dir, name))
	i := strings.Index(r.stdout, "key id ")
	if r.code != 0 || i < 0 {
		t.Fatalf("keygen: %+v", r)
	}
	return strings.TrimSpace(r.stdout[i+len("key id "):])
}

// signedBundle compiles examples/tag-read.cond into DIR/OUT signed with the given keys.
func signedBundle(t *testing.T, dir, out string, keys ...string) string {
	t.Helper()
	path := filepath.Join(dir, out)
	args := []string{"compile", "-o", path}
	for _, k := range keys {
		args = append(args, "-sign", filepath.Join(dir, k+".key"))
	}
	args = append(args, "examples/tag-read.cond")
	if r := run(t, "", args...); r.code != 0 {
		t.Fatalf("compile %v: %+v", args, r)
	}
	return path
}

// sigBlockOffset returns where a bundle's signature block starts.
func sigBlockOffset(data []byte) int {
	off := len(bundle.Magic) + 5
	n, k := bin.Uvarint(data[off:])
	off += k + int(n)
	return off + 16 + int(bin.LittleEndian.Uint64(data[off+8:]))
}

func resealed(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

func TestSignVerifyEval(t *testing.T) {
	dir := t.TempDir()
	id := keygen(t, dir, "ci")
	st, err := os.Stat(filepath.Join(dir, "ci.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("ci.key: %v, mode %v", err, st.Mode())
	}
	for _, f := range []string{"ci.key", "ci.pub"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		want := map[string]string{"ci.key": "PRIVATE KEY", "ci.pub": "PUBLIC KEY"}[f]
		if b, _ := pem.Decode(data); b == nil || b.Type != want {
			t.Errorf("%s is not a %s PEM file", f, want)
		}
	}
	// keygen never overwrites.
	before, _ := os.ReadFile(filepath.Join(dir, "ci.key"))
	if r := run(t, "", "keygen", "-o", filepath.Join(dir, "ci")); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("keygen over an existing pair: %+v", r)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "ci.key")); !bytes.Equal(before, after) {
		t.Error("keygen overwrote ci.key")
	}
	os.WriteFile(filepath.Join(dir, "half.pub"), []byte("x"), 0o644)
	if r := run(t, "", "keygen", "-o", filepath.Join(dir, "half")); r.code != 1 {
		t.Errorf("keygen over an existing .pub: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "half.key")); err == nil {
		t.Error("keygen left half a key pair")
	}

	b := signedBundle(t, dir, "b.abacc", "ci")
	pub := filepath.Join(dir, "ci.pub")
	r := run(t, "", "verify", "-trust", pub, b)
	if r.code != 0 || !strings.Contains(r.stdout, "verified") || !strings.Contains(r.stdout, id+" (trusted, verified)") {
		t.Errorf("verify: %+v", r)
	}
	for req, want := range map[string]string{"examples/read-cascade.json": "true", "examples/read-baker.json": "false"} {
		r = run(t, "", "eval", "-b", b, "-trust", pub, "-r", req)
		if r.code != 0 || firstLine(r.stdout) != want {
			t.Errorf("eval -trust %s: %+v", req, r)
		}
	}
	r = run(t, "", "disasm", b)
	if r.code != 0 || !strings.Contains(firstLine(r.stdout), "signed by key id "+id) {
		t.Errorf("disasm header: %q", firstLine(r.stdout))
	}
	// -trust is a usage error outside -b; -sign outside -o; verify needs -trust.
	for _, args := range [][]string{
		{"eval", "-c", "examples/tag-read.cond", "-trust", pub, "-r", "examples/read-cascade.json"},
		{"compile", "-dump=ir", "-sign", filepath.Join(dir, "ci.key"), "examples/tag-read.cond"},
		{"verify", b},
		{"verify", "-trust", pub},
		{"keygen"},
	} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("abacc %v: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
}

// TestSignedBundleByteChanges: with -trust, every single-byte change of a signed bundle is
// rejected (exit 1), and so is every change with the checksum repaired after it. The commands
// run in-process (the same code as the binary, without a process per byte), and a sample
// through the binary.
func TestSignedBundleByteChanges(t *testing.T) {
	dir := t.TempDir()
	keygen(t, dir, "ci")
	pub := filepath.Join(dir, "ci.pub")
	good := signedBundle(t, dir, "b.abacc", "ci")
	data, _ := os.ReadFile(good)
	bad := filepath.Join(dir, "bad.abacc")
	body := len(data) - sha256.Size
	inProcess := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		c := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
		return c.run(args), errb.String()
	}
	if code, stderr := inProcess("verify", "-trust", pub, good); code != 0 {
		t.Fatalf("the good bundle: exit %d, %s", code, stderr)
	}
	for i := range data {
		for _, reseal := range []bool{false, true} {
			if reseal && i >= body {
				continue
			}
			content := bytes.Clone(data)
			content[i] ^= 0x20
			if reseal {
				content = resealed(content[:body])
			}
			os.WriteFile(bad, content, 0o644)
			// Alternately verify and eval; req is relative to the repository root (the binary's
			// working directory) or to this package (in-process).
			args := func(req string) []string {
				if i%2 == 0 {
					return []string{"eval", "-b", bad, "-trust", pub, "-r", req}
				}
				return []string{"verify", "-trust", pub, bad}
			}
			var code int
			var stderr string
			if i%50 == 0 {
				r := run(t, "", args("examples/read-cascade.json")...)
				code, stderr = r.code, r.stderr
			} else {
				code, stderr = inProcess(args("../../examples/read-cascade.json")...)
			}
			if code != 1 || !strings.Contains(stderr, "error") {
				t.Fatalf("byte %d changed (checksum repaired: %v): abacc %s: exit %d, stderr %q", i, reseal, args("")[0], code, stderr)
			}
		}
	}
}

func TestSignatureRejections(t *testing.T) {
	dir := t.TempDir()
	ciID := keygen(t, dir, "ci")
	keygen(t, dir, "other")
	ci, other := filepath.Join(dir, "ci.pub"), filepath.Join(dir, "other.pub")
	b := signedBundle(t, dir, "b.abacc", "ci")
	data, _ := os.ReadFile(b)
	off := sigBlockOffset(data)
	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o644)
		return p
	}
	stripped := write("stripped.abacc", resealed(append(bytes.Clone(data[:off]), 0)))
	down := bytes.Clone(data[:off])
	bin.LittleEndian.PutUint16(down[10:], 0)
	downgraded := write("downgraded.abacc", resealed(down))
	unsigned := filepath.Join(dir, "unsigned.abacc")
	if r := run(t, "", "compile", "-o", unsigned, "examples/tag-read.cond"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, c := range []struct {
		what, bundle, key, want string
	}{
		{"untrusted key", b, other, "signed only by untrusted keys (key id " + ciID + ")"},
		{"stripped signature", stripped, ci, "unsigned (the signature block is empty)"},
		{"downgraded to 1.0", downgraded, ci, "unsigned (format 1.0 has no signatures)"},
		{"unsigned bundle", unsigned, ci, "unsigned (format 1.0 has no signatures)"},
		{"1.0 bundle of the previous release", "internal/bundle/testdata/v1.0.abacc", ci, "unsigned (format 1.0 has no signatures)"},
	} {
		for _, args := range [][]string{
			{"verify", "-trust", c.key, c.bundle},
			{"eval", "-b", c.bundle, "-name", "tag-read", "-trust", c.key, "-r", "examples/read-cascade.json"},
		} {
			r := run(t, "", args...)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
				t.Errorf("%s: abacc %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.what, args[0], r.code, r.stdout, r.stderr, c.want)
			}
		}
	}
	// Without -trust, stripped, downgraded and 1.0 bundles load as unsigned ones.
	for _, p := range []string{stripped, downgraded, unsigned, "internal/bundle/testdata/v1.0.abacc"} {
		r := run(t, "", "eval", "-b", p, "-name", "tag-read", "-r", "examples/read-cascade.json")
		if r.code != 0 || firstLine(r.stdout) != "true" {
			t.Errorf("eval -b %s: %+v", p, r)
		}
		if r := run(t, "", "disasm", p); !strings.Contains(firstLine(r.stdout), ", unsigned") {
			t.Errorf("disasm %s: %q", p, firstLine(r.stdout))
		}
	}
}

func TestTwoSignaturesOneTrusted(t *testing.T) {
	dir := t.TempDir()
	oldID, newID := keygen(t, dir, "old"), keygen(t, dir, "new")
	keygen(t, dir, "third")
	b := signedBundle(t, dir, "b.abacc", "old", "new")
	r := run(t, "", "verify", "-trust", filepath.Join(dir, "new.pub"), b)
	if r.code != 0 || !strings.Contains(r.stdout, oldID+" (not trusted, not checked), "+newID+" (trusted, verified)") {
		t.Errorf("verify trusting the new key: %+v", r)
	}
	r = run(t, "", "verify", "-trust", filepath.Join(dir, "third.pub"), "-trust", filepath.Join(dir, "old.pub"), b)
	if r.code != 0 || !strings.Contains(r.stdout, oldID+" (trusted, verified)") {
		t.Errorf("verify trusting the old key among others: %+v", r)
	}
	r = run(t, "", "disasm", b)
	if !strings.Contains(firstLine(r.stdout), "signed by key ids "+oldID+", "+newID) {
		t.Errorf("disasm header: %q", firstLine(r.stdout))
	}
}

func TestBadKeyFiles(t *testing.T) {
	dir := t.TempDir()
	keygen(t, dir, "ci")
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPubDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	files := map[string]string{
		"garbage":     "not a key at all\n",
		"cert.pem":    string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}})),
		"bad-der.key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})),
		"ec.key":      string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})),
		"ec.pub":      string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER})),
	}
	for name, content := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600)
	}
	b := signedBundle(t, dir, "b.abacc", "ci")
	p := func(name string) string { return filepath.Join(dir, name) }
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("ci.pub"), "examples/tag-read.cond"}, "is a public key; -sign needs the private key"},
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("garbage"), "examples/tag-read.cond"}, "not a PEM key file"},
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("cert.pem"), "examples/tag-read.cond"}, `a PEM "CERTIFICATE" block`},
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("bad-der.key"), "examples/tag-read.cond"}, "bad-der.key: not a valid PKCS#8 private key"},
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("ec.key"), "examples/tag-read.cond"}, "an ECDSA key, not Ed25519"},
		{[]string{"compile", "-o", p("x.abacc"), "-sign", p("missing.key"), "examples/tag-read.cond"}, "no such file"},
		{[]string{"verify", "-trust", p("ci.key"), b}, "is a private key; -trust takes the public key"},
		{[]string{"verify", "-trust", p("ec.pub"), b}, "an ECDSA key, not Ed25519"},
		{[]string{"verify", "-trust", p("garbage"), b}, "not a PEM key file"},
		{[]string{"eval", "-b", b, "-trust", p("cert.pem"), "-r", "examples/read-cascade.json"}, `a PEM "CERTIFICATE" block`},
	} {
		r := run(t, "", c.args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("abacc %v: exit %d, stderr %q; want exit 1 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if _, err := os.Stat(p("x.abacc")); err == nil {
		t.Error("a bundle was written despite a bad key")
	}
}

// TestEngineRefHonoured: -engine=ref decides with the reference interpreter with -json and
// -explain too (-explain then walks the source in source order). The bundle's source text says
// false where its bytecode says true, so the two engines disagree; the VM's explanation says so.
func TestEngineRefHonoured(t *testing.T) {
	yes, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true`)
	no, _ := abacc.Compile(`@Environment[isPrivateLink] BoolEquals false`)
	var buf bytes.Buffer
	if err := bundle.Write(&buf, "test", []bundle.Entry{{Name: "p", Source: no.Source(), Program: hooks.Bytecode(yes)}}, true); err != nil {
		t.Fatal(err)
	}
	b := writeTemp(t, "mismatch.abacc", buf.String())
	req := writeTemp(t, "req.json", `{"action": "a", "environment": {"isPrivateLink": true}}`)
	for _, c := range []struct {
		engine string
		extra  []string
		want   bool
	}{
		{"vm", nil, true}, {"ref", nil, false},
		{"vm", []string{"-json"}, true}, {"ref", []string{"-json"}, false},
		{"vm", []string{"-json", "-explain"}, true}, {"ref", []string{"-json", "-explain"}, false},
		{"vm", []string{"-explain"}, true}, {"ref", []string{"-explain"}, false},
	} {
		args := append([]string{"eval", "-b", b, "-r", req, "-engine=" + c.engine}, c.extra...)
		r := run(t, "", args...)
		got := firstLine(r.stdout)
		if strings.Contains(strings.Join(c.extra, " "), "-json") {
			var out struct {
				Result bool
				Note   string
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, r.stdout)
			}
			got = fmt.Sprint(out.Result)
			// The VM's explanation says the text it quotes is not what its bytecode came from.
			if len(c.extra) == 2 && c.engine == "vm" && !strings.Contains(out.Note, "does not compile to its bytecode") {
				t.Errorf("%v: note %q", args, out.Note)
			}
		}
		if r.code != 0 || got != fmt.Sprint(c.want) {
			t.Errorf("abacc %v: exit %d, result %s, want %v\n%s", args, r.code, got, c.want, r.stderr)
		}
	}
	// Without source text there is nothing for the reference interpreter to walk, whatever
	// the output format.
	buf.Reset()
	abacc.WriteBundle(&buf, []abacc.NamedProgram{{Name: "p", Program: yes}}, false)
	nosrc := writeTemp(t, "nosrc.abacc", buf.String())
	for _, extra := range [][]string{nil, {"-json"}, {"-explain"}} {
		args := append([]string{"eval", "-b", nosrc, "-r", req, "-engine=ref"}, extra...)
		if r := run(t, "", args...); r.code != 1 || !strings.Contains(r.stderr, "needs the condition text") {
			t.Errorf("abacc %v: %+v", args, r)
		}
	}
	if r := run(t, "", "eval", "-e", "x", "-r", req, "-engine=jit"); r.code != 2 {
		t.Errorf("-engine=jit: %+v", r)
	}
}

func TestExplainCode(t *testing.T) {
	r := run(t, "", "explain-code", "ABAC2001")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ABAC2001 (name or type error): an operator name that does not exist") ||
		!strings.Contains(r.stdout, "StringEqual 'reports'") || !strings.Contains(r.stdout, `example:1:75: error: unknown operator "StringEqual" [ABAC2001]`) ||
		!strings.Contains(r.stdout, "hint: did you mean StringEquals?") {
		t.Errorf("explain-code ABAC2001: %+v", r)
	}
	for _, arg := range []string{"abac3103", "3103"} {
		if r := run(t, "", "explain-code", arg); r.code != 0 || !strings.HasPrefix(r.stdout, "ABAC3103 (lint warning)") {
			t.Errorf("explain-code %s: %+v", arg, r)
		}
	}
	r = run(t, "", "explain-code", "ABAC201")
	if r.code != 1 || !strings.Contains(r.stderr, `unknown code "ABAC201"; did you mean ABAC2001?`) {
		t.Errorf("explain-code ABAC201: %+v", r)
	}
	r = run(t, "", "explain-code", "nonsense")
	if r.code != 1 || !strings.Contains(r.stderr, "codes are ABAC1001") {
		t.Errorf("explain-code nonsense: %+v", r)
	}
	if r := run(t, "", "explain-code"); r.code != 2 {
		t.Errorf("explain-code without a code: %+v", r)
	}
}

// TestCodeExamples: every documented code has an example, and compiling it draws that code.
func TestCodeExamples(t *testing.T) {
	for code := range codeDescriptions() {
		ex, ok := codeExamples[code]
		if !ok {
			t.Errorf("%s has no example", code)
			continue
		}
		if ex.prose {
			continue
		}
		if _, ok := exampleDiagnostic(code, ex); !ok {
			t.Errorf("%s: the example does not draw it: %s", code, ex.text)
		}
	}
	for code := range codeExamples {
		if _, ok := codeDescriptions()[code]; !ok {
			t.Errorf("example for %s, which is not a documented code", code)
		}
	}
}

// TestLargeBundleCLI: eval -b -name and disasm on a 100,000-program bundle look each program
// up by name once (no scan per program, which made both quadratic).
func TestLargeBundleCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100,000-program bundle")
	}
	p, err := abacc.Compile(`@Environment[isPrivateLink] BoolEquals true`)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100_000
	progs := make([]abacc.NamedProgram, n)
	for i := range progs {
		progs[i] = abacc.NamedProgram{Name: fmt.Sprintf("p%d", i), Program: p}
	}
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, progs, false); err != nil {
		t.Fatal(err)
	}
	b := writeTemp(t, "big.abacc", buf.String())
	req := writeTemp(t, "req.json", `{"action": "a", "environment": {"isPrivateLink": true}}`)
	start := time.Now()
	r := run(t, "", "eval", "-b", b, "-name", fmt.Sprintf("p%d", n-1), "-r", req)
	evalTime := time.Since(start)
	if r.code != 0 || firstLine(r.stdout) != "true" {
		t.Fatalf("eval: %+v", r)
	}
	start = time.Now()
	r = run(t, "", "disasm", b)
	disasmTime := time.Since(start)
	if r.code != 0 || strings.Count(r.stdout, "\n; "+b+"[p") != n {
		t.Fatalf("disasm: exit %d, %d listings", r.code, strings.Count(r.stdout, "\n; "+b+"[p"))
	}
	t.Logf("100,000 programs: eval -b -name %v, disasm %v", evalTime, disasmTime)
	// Generous bounds (a quadratic lookup took minutes here; a loaded machine takes seconds).
	if evalTime > time.Minute || disasmTime > time.Minute {
		t.Errorf("eval %v, disasm %v", evalTime, disasmTime)
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

const (
	dialectCond = "(!(ActionMatches{'Microsoft.KeyVault/vaults/secrets/getSecret/action'})) OR " +
		"(@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp] IpMatch {'10.0.0.0/8', '2001:db8::/32'} " +
		"AND @Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00'])"
	dialectReq = `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp": "::ffff:10.1.2.3"},
  "environment": {"UtcNow": "2024-03-04T23:30:00Z"}}`
)

// TestDialectFlag: every command that compiles or loads takes -dialect; without it an extended
// operator is a positioned ABAC2014 error naming -dialect=extended (exit 1), and a bundle
// compiled with the extended dialect is refused by eval -b, disasm and verify.
func TestDialectFlag(t *testing.T) {
	cond := writeTemp(t, "ip.cond", dialectCond)
	req := writeTemp(t, "req.json", dialectReq)
	r := run(t, "", "check", cond)
	if r.code != 1 || !strings.Contains(r.stderr, "ip.cond:1:155: error: IpMatch belongs to the extended dialect") ||
		!strings.Contains(r.stderr, "hint: compile with -dialect=extended") || !strings.Contains(r.stderr, "[ABAC2014]") {
		t.Errorf("check without -dialect: %+v", r)
	}
	if r := run(t, "", "check", "-dialect=extended", cond); r.code != 0 || r.stderr != "" {
		t.Errorf("check -dialect=extended: %+v", r)
	}
	if r := run(t, "", "check", "-dialect=regorus", cond); r.code != 2 {
		t.Errorf("check -dialect=regorus: %+v", r)
	}
	if r := run(t, "", "eval", "-c", cond, "-r", req); r.code != 1 || !strings.Contains(r.stderr, "ABAC2014") {
		t.Errorf("eval without -dialect: %+v", r)
	}
	if r := run(t, "", "eval", "--dialect", "extended", "-c", cond, "-r", req, "-explain"); r.code != 0 || !strings.HasPrefix(r.stdout, "true\n") ||
		!strings.Contains(r.stdout, "(time of day 23:30:00)") {
		t.Errorf("eval -dialect=extended -explain: %+v", r)
	}
	if r := run(t, "", "eval", "-dialect=extended", "-engine=ref", "-c", cond, "-r", req); r.code != 0 || r.stdout != "true\n" {
		t.Errorf("eval -engine=ref: %+v", r)
	}
	if r := run(t, "", "fmt", "-dialect=extended", cond); r.code != 0 || !strings.Contains(r.stdout, "TimeOfDayInRange ['22:00', '06:00']") {
		t.Errorf("fmt: %+v", r)
	}
	if r := run(t, "", "compile", "-dialect=extended", "-dump=bytecode", cond); r.code != 0 ||
		!strings.Contains(r.stdout, "; bytecode format 3") || !strings.Contains(r.stdout, "IP_IN") || !strings.Contains(r.stdout, "TIME_IN") {
		t.Errorf("compile -dump=bytecode: %+v", r)
	}
	if r := run(t, "", "disasm", "-dialect=extended", cond); r.code != 0 || !strings.Contains(r.stdout, "t1{00:00:00-06:00:00, 22:00:00-23:59:59}") {
		t.Errorf("disasm: %+v", r)
	}

	dir := t.TempDir()
	bundle := filepath.Join(dir, "ip.abacc")
	if r := run(t, "", "compile", "-o", bundle, cond); r.code != 1 {
		t.Errorf("compile -o without -dialect: %+v", r)
	}
	if r := run(t, "", "compile", "-dialect=extended", "-o", bundle, cond); r.code != 0 {
		t.Fatalf("compile -dialect=extended -o: %+v", r)
	}
	refused := `program "ip" was compiled with the extended dialect, which this reader does not allow`
	for _, args := range [][]string{{"eval", "-b", bundle, "-r", req}, {"disasm", bundle}} {
		if r := run(t, "", args...); r.code != 1 || !strings.Contains(r.stderr, refused) {
			t.Errorf("%v: %+v", args, r)
		}
	}
	if r := run(t, "", "eval", "-b", bundle, "-r", req, "-dialect=extended"); r.code != 0 || r.stdout != "true\n" {
		t.Errorf("eval -b -dialect=extended: %+v", r)
	}
	if r := run(t, "", "disasm", "-dialect=extended", bundle); r.code != 0 || !strings.Contains(r.stdout, "IP_IN") {
		t.Errorf("disasm -dialect=extended of the bundle: %+v", r)
	}
}

// TestDialectTestFiles: a table-test file may say dialect: extended; -dialect=extended does the
// same for files that do not say; a file's own dialect wins.
func TestDialectTestFiles(t *testing.T) {
	cases := `
cases:
  - name: night, corporate network
    request: ` + strings.ReplaceAll(dialectReq, "\n", " ") + `
    expect: true
  - name: noon
    request: {action: Microsoft.KeyVault/vaults/secrets/getSecret/action, principal: {"Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp": "10.1.2.3"}, environment: {UtcNow: "2024-03-04T12:00:00Z"}}
    expect: false
`
	cond := "condition: \"" + strings.ReplaceAll(dialectCond, `\`, `\\`) + "\"\n"
	says := writeTemp(t, "says.test.yaml", "dialect: extended\n"+cond+cases)
	silent := writeTemp(t, "silent.test.yaml", cond+cases)
	standard := writeTemp(t, "standard.test.yaml", "dialect: standard\n"+cond+cases)
	bad := writeTemp(t, "bad.test.yaml", "dialect: regorus\n"+cond+cases)
	if r := run(t, "", "test", says); r.code != 0 || r.stdout != "2 passed, 0 failed\n" {
		t.Errorf("dialect: extended: %+v", r)
	}
	if r := run(t, "", "test", silent); r.code != 1 || !strings.Contains(r.stderr, "ABAC2014") {
		t.Errorf("no dialect, no flag: %+v", r)
	}
	if r := run(t, "", "test", "-dialect=extended", silent); r.code != 0 || r.stdout != "2 passed, 0 failed\n" {
		t.Errorf("-dialect=extended: %+v", r)
	}
	if r := run(t, "", "test", "-dialect=extended", standard); r.code != 1 || !strings.Contains(r.stderr, "ABAC2014") {
		t.Errorf("dialect: standard under -dialect=extended: %+v", r)
	}
	if r := run(t, "", "test", bad); r.code != 1 || !strings.Contains(r.stderr, `dialect: "regorus" is not standard or extended`) {
		t.Errorf("dialect: regorus: %+v", r)
	}
}

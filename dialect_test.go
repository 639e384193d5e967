package abacc_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/abacc/abacc"
)

const ipCond = `@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp] IpInRange ['10.0.0.1', '10.0.0.10']`

// TestDialects: the zero Options are the standard dialect, which refuses an extended operator
// with ABAC2014; a bundle records the dialect and LoadBundle refuses an extended program unless
// BundleOptions allow the extended dialect; the loaded program decides with the VM, the
// reference interpreter and Explain alike.
func TestDialects(t *testing.T) {
	_, err := abacc.Compile(ipCond)
	var ce *abacc.Error
	if !asError(err, &ce) || ce.Diagnostics[0].Code != "ABAC2014" || !strings.Contains(ce.Diagnostics[0].Hint, "-dialect=extended") {
		t.Fatalf("standard dialect: %v", err)
	}
	p, err := abacc.CompileWith(ipCond, abacc.Options{Dialect: abacc.DialectExtended})
	if err != nil {
		t.Fatal(err)
	}
	if p.Dialect() != abacc.DialectExtended {
		t.Errorf("Dialect() = %v", p.Dialect())
	}
	var buf bytes.Buffer
	if err := abacc.WriteBundle(&buf, []abacc.NamedProgram{{Name: "ip", Program: p}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := abacc.LoadBundle(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "extended dialect") {
		t.Fatalf("LoadBundle of an extended bundle: %v", err)
	}
	b, err := abacc.LoadBundleWith(buf.Bytes(), abacc.BundleOptions{Dialect: abacc.DialectExtended})
	if err != nil {
		t.Fatal(err)
	}
	q := b.Program("ip")
	if q.Dialect() != abacc.DialectExtended || !q.HasSource() {
		t.Fatalf("loaded program: dialect %v, source %v", q.Dialect(), q.HasSource())
	}
	for addr, want := range map[string]bool{"10.0.0.8": true, "10.0.0.11": false, "::ffff:10.0.0.1": true, "fe80::1%eth0": false} {
		r := abacc.NewRequest()
		js := `{"action": "x", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Network_ClientIp": "` + addr + `"}}`
		if err := r.UnmarshalJSON([]byte(js)); err != nil {
			t.Fatal(err)
		}
		if q.Eval(r) != want || q.EvalReference(r) != want || q.Explain(r).Result != want || p.Eval(r) != want {
			t.Errorf("%s: want %v", addr, want)
		}
	}
	for _, s := range []string{"standard", "Extended"} {
		if d, err := abacc.ParseDialect(s); err != nil || !strings.EqualFold(d.String(), s) {
			t.Errorf("ParseDialect(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := abacc.ParseDialect("regorus"); err == nil {
		t.Error("ParseDialect accepted regorus")
	}
}

func asError(err error, target **abacc.Error) bool {
	e, ok := err.(*abacc.Error)
	*target = e
	return ok
}

// The extended dialect is an opt-in: the IP, time-of-day, range and list operators compile
// only with Options.Dialect set.
func ExampleOptions_dialect() {
	src := `@Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00']`
	if _, err := abacc.Compile(src); err != nil {
		fmt.Println(err.(*abacc.Error).Diagnostics[0].Code)
	}
	p, _ := abacc.CompileWith(src, abacc.Options{Dialect: abacc.DialectExtended})
	for _, now := range []string{"2024-03-04T23:59:59Z", "2024-03-05T00:00:00Z", "2024-03-05T12:00:00Z"} {
		r := abacc.NewRequest()
		_ = r.UnmarshalJSON([]byte(`{"action": "read", "environment": {"UtcNow": "` + now + `"}}`))
		fmt.Println(now, p.Eval(r))
	}
	// Output:
	// ABAC2014
	// 2024-03-04T23:59:59Z true
	// 2024-03-05T00:00:00Z true
	// 2024-03-05T12:00:00Z false
}

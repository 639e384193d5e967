package bench

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/abacc/abacc"
	"github.com/abacc/abacc/internal/hooks"
)

// The newer string operators and the extended dialect's operator families, one benchmark each
// (`go test ./bench -run '^$' -bench Extended -benchmem`): single-valued tests against one
// constant, the range tables (IP and time of day, searched by binary search), the bounds of
// NumericInRange and the membership of ListContains. Every one must allocate nothing.

const (
	benchCSA  = "Microsoft.Directory/CustomSecurityAttributes/Id:"
	benchIP   = "@Principal[" + benchCSA + "Network_ClientIp]"
	benchName = "@Resource[Microsoft.KeyVault/vaults/secrets:name]"
	benchInc  = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include]"
)

// extendedBench is one benchmarked condition with the request it decides.
type extendedBench struct {
	name, cond, request string
	extended            bool
	want                bool
}

var extendedBenches = func() []extendedBench {
	cidrs := ""
	for i := 0; i < 64; i++ {
		if i > 0 {
			cidrs += ", "
		}
		cidrs += "'10." + itoa(2*i) + ".0.0/16'"
	}
	kv := func(name string) string {
		return `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "resource": {"Microsoft.KeyVault/vaults/secrets:name": "` + name + `"}}`
	}
	ip := func(addr string) string {
		return `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "principal": {"` + benchCSA + `Network_ClientIp": "` + addr + `"}}`
	}
	now := func(t string) string {
		return `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "environment": {"UtcNow": "` + t + `"}}`
	}
	return []extendedBench{
		{name: "StringEndsWith", cond: benchName + " StringEndsWith '-prod'", request: kv("payments-db-prod"), want: true},
		{name: "StringContains", cond: benchName + " StringContains '-db-'", request: kv("payments-db-prod"), want: true},
		{name: "StringNotContains", cond: benchName + " StringNotContains 'sandbox'", request: kv("payments-db-prod"), want: true},
		{name: "StringContains-cross-product", cond: benchInc + " ForAnyOfAnyValues:StringContains {'ver', 'snap'}",
			request: `{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", "request": {"` +
				"Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include" + `": ["metadata", "tags", "versions"]}}`, want: true},
		{name: "IpMatch-CIDR", cond: benchIP + " IpMatch '10.0.0.0/8'", request: ip("10.20.30.40"), extended: true, want: true},
		{name: "IpMatch-IPv6", cond: benchIP + " IpMatch '2001:db8::/32'", request: ip("2001:db8:85a3::8a2e:370:7334"), extended: true, want: true},
		{name: "IpMatch-64-CIDRs", cond: benchIP + " IpMatch {" + cidrs + "}", request: ip("10.63.1.1"), extended: true, want: false},
		{name: "IpMatch-mapped", cond: benchIP + " IpNotMatch '192.168.0.0/16'", request: ip("::ffff:192.168.1.1"), extended: true, want: false},
		{name: "IpMatch-malformed", cond: benchIP + " IpMatch '10.0.0.0/8'", request: ip("10.0.0.256"), extended: true, want: false},
		{name: "IpInRange-pair", cond: benchIP + " IpInRange ['10.0.0.1', '10.0.0.10']", request: ip("10.0.0.8"), extended: true, want: true},
		{name: "TimeOfDayInRange", cond: "@Environment[UtcNow] TimeOfDayInRange ['08:00', '18:00']", request: now("2024-03-04T12:30:15.1234567Z"), extended: true, want: true},
		{name: "TimeOfDayInRange-wrap", cond: "@Environment[UtcNow] TimeOfDayInRange ['22:00', '06:00']", request: now("2024-03-04T23:59:59Z"), extended: true, want: true},
		{name: "TimeOfDayLessThan", cond: "@Environment[UtcNow] TimeOfDayLessThan '08:00'", request: now("2024-03-04T09:00:00+02:00"), extended: true, want: true},
		{name: "NumericInRange", cond: "@Principal[" + benchCSA + "Eng_Level] NumericInRange [3, 5]",
			request: `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "principal": {"` + benchCSA + `Eng_Level": 4}}`, extended: true, want: true},
		{name: "ListContains", cond: "@Principal[" + benchCSA + "Ops_Teams] ListContains {'netops', 'sre'}",
			request: `{"action": "Microsoft.KeyVault/vaults/secrets/getSecret/action", "principal": {"` + benchCSA + `Ops_Teams": ["dba", "web", "sre"]}}`, extended: true, want: true},
		{name: "ListNotContains-keys", cond: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&] ListNotContains 'Secret'",
			request: `{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "a", "Program": "b"}}}`, extended: true, want: true},
	}
}()

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func (e extendedBench) opts(o hooks.Options) hooks.Options {
	if e.extended {
		o.Dialect = uint8(abacc.DialectExtended)
	}
	return o
}

// BenchmarkExtended decides each newer or extended operator family's condition with the
// optimized VM, the VM without the optimizer and the reference interpreter.
func BenchmarkExtended(b *testing.B) {
	for _, eb := range extendedBenches {
		b.Run(eb.name, func(b *testing.B) {
			req := mustRequest(b, []byte(eb.request))
			for _, e := range engines {
				prog := mustCompile(b, eb.cond, eb.opts(e.opts))
				if got := e.eval(prog, req); got != eb.want {
					b.Fatalf("%s decides %v, want %v", e.name, got, eb.want)
				}
				b.Run(e.name, func(b *testing.B) {
					b.ReportAllocs()
					n := 0
					for b.Loop() {
						if e.eval(prog, req) {
							n++
						}
					}
					sink += n
				})
			}
		})
	}
}

// TestExtendedZeroAllocs asserts that the VM (optimized and unoptimized) allocates nothing to
// decide the benchmarked conditions, and every row of the newer and extended operator tables
// (malformed addresses, zones and untyped values included).
func TestExtendedZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts are not meaningful under -cover or -race")
	}
	type row struct {
		name, cond string
		request    json.RawMessage
		extended   bool
	}
	var rows []row
	for _, eb := range extendedBenches {
		rows = append(rows, row{eb.name, eb.cond, json.RawMessage(eb.request), eb.extended})
	}
	files, _ := filepath.Glob("../testdata/operators/extended-*.json")
	files = append(files, "../testdata/operators/strings-newer.json")
	more, _ := filepath.Glob("../testdata/conformance/extended/*.json")
	files = append(files, more...)
	if len(files) < 5 {
		t.Fatalf("operator tables not found: %v", files)
	}
	for _, f := range files {
		var cf struct {
			Dialect   string
			Condition string
			Rows      []struct {
				Name      string
				Condition string
				Request   json.RawMessage
			}
			Cases []struct {
				Name    string
				Request json.RawMessage
			}
		}
		if err := json.Unmarshal(readFile(t, f), &cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range cf.Rows {
			rows = append(rows, row{r.Name, r.Condition, r.Request, cf.Dialect == "extended"})
		}
		for _, c := range cf.Cases {
			rows = append(rows, row{c.Name, cf.Condition, c.Request, cf.Dialect == "extended"})
		}
	}
	for _, r := range rows {
		for _, opts := range []hooks.Options{{}, {NoOptimize: true}} {
			eb := extendedBench{extended: r.extended}
			prog := mustCompile(t, r.cond, eb.opts(opts))
			req := mustRequest(t, r.request)
			if allocs := testing.AllocsPerRun(20, func() {
				if prog.Eval(req) {
					sink++
				}
			}); allocs != 0 {
				t.Errorf("%s (NoOptimize=%v): Eval: %v allocs/op, want 0\n%s", r.name, opts.NoOptimize, allocs, r.cond)
			}
		}
	}
	t.Logf("%d conditions and requests", len(rows))
}

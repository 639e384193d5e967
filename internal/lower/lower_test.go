package lower_test

import (
	"strings"
	"testing"

	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/ir"
	"github.com/abacc/abacc/internal/lower"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// TestExtendedLowering pins what each extended-dialect operator lowers to: the IP operators
// to one address-table test, the time-of-day operators to one second-table test (their
// tables built as RATIONALE.md says), NumericInRange to two bounds, the list operators to
// cross products.
func TestExtendedLowering(t *testing.T) {
	const (
		ip   = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Net_Ip]"
		now  = "@Environment[UtcNow]"
		lvl  = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Eng_Level]"
		incl = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:include]"
	)
	for _, c := range []struct{ src, want string }{
		{ip + " IpMatch '10.0.0.0/8'", ip + " IpInRange k0={10.0.0.0/8}\n"},
		{ip + " IpInRange '10.0.0.0/8'", ip + " IpInRange k0={10.0.0.0/8}\n"},
		{ip + " IpNotMatch {'10.0.1.0/24', '10.0.0.0/24', '::ffff:10.0.2.0/120'}", "NOT " + ip + " IpInRange k0={10.0.0.0-10.0.2.255}\n"},
		{ip + " IpInRange ['10.0.0.1', '10.0.0.10']", ip + " IpInRange k0={10.0.0.1-10.0.0.10}\n"},
		{"NOT " + ip + " IpNotInRange '::/0'", ip + " IpInRange k0={::/0}\n"},
		{now + " TimeOfDayEquals {'12:00', '08:30:15'}", now + " TimeOfDayInRange k0={08:30:15-08:30:15, 12:00:00-12:00:00}\n"},
		{now + " TimeOfDayNotEquals '12:00'", "NOT " + now + " TimeOfDayInRange k0={12:00:00-12:00:00}\n"},
		{now + " TimeOfDayLessThan '08:00'", now + " TimeOfDayInRange k0={00:00:00-07:59:59}\n"},
		{now + " TimeOfDayLessThanEquals '08:00'", now + " TimeOfDayInRange k0={00:00:00-08:00:00}\n"},
		{now + " TimeOfDayGreaterThan '23:59:59'", now + " TimeOfDayInRange k0={}\n"},
		{now + " TimeOfDayGreaterThanEquals {'18:00', '20:00'}", now + " TimeOfDayInRange k0={18:00:00-23:59:59}\n"},
		{now + " TimeOfDayInRange ['22:00', '06:00']", now + " TimeOfDayInRange k0={00:00:00-06:00:00, 22:00:00-23:59:59}\n"},
		{now + " TimeOfDayInRange ['06:00', '06:00']", now + " TimeOfDayInRange k0={06:00:00-06:00:00}\n"},
		{lvl + " NumericInRange [-5, 5]", "And (2)\n  " + lvl + " NumericGreaterThanEquals k0=-5\n  " + lvl + " NumericLessThanEquals k1=5\n"},
		{"NOT " + lvl + " NumericInRange [-5, 5]", "Or (2)\n  NOT " + lvl + " NumericGreaterThanEquals k0=-5\n  NOT " + lvl + " NumericLessThanEquals k1=5\n"},
		{incl + " ListContains {'metadata', 'tags'}", incl + " ForAnyOfAnyValues:StringEquals k0={'metadata', 'tags'}\n"},
		{incl + " ListNotContains 'metadata'", incl + " ForAllOfAllValues:StringNotEquals k0='metadata'\n"},
		{"NOT " + incl + " ListNotContains 'metadata'", incl + " ForAnyOfAnyValues:StringEquals k0='metadata'\n"},
		{lvl + " ListContains 3", lvl + " ForAnyOfAnyValues:NumericEquals k0=3\n"},
	} {
		u := compiler.Frontend("t", c.src, compiler.Options{Dialect: ast.Extended})
		if !u.OK() {
			t.Fatalf("%s:\n%s", c.src, u.File.FormatAll(&u.Diags))
		}
		got := ir.Print(lower.Lower(u.Expr, c.src))
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s lowers to\n%s\nwant\n%s", c.src, got, c.want)
		}
	}
}

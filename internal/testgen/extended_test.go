package testgen

import (
	"math/rand"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
	"github.com/abacc/abacc/internal/syntax/ast"
)

// checkExtendedCase fails t unless c's condition compiles in the extended dialect and its
// requests load.
func checkExtendedCase(t *testing.T, what string, c *ExtendedCase) {
	t.Helper()
	if u := compiler.Frontend("ext", c.Text(), compiler.Options{Dialect: ast.Extended}); !u.OK() {
		t.Fatalf("%s condition does not compile: %v%s", what, u.Diags.Items, c)
	}
	for _, q := range c.Reqs {
		v := attrs.NewVector(attrs.Default)
		if err := v.UnmarshalJSON([]byte(q.JSON())); err != nil {
			t.Fatalf("%s request does not load: %v\n%s", what, err, q.JSON())
		}
	}
}

// TestExtendedCases: extended cases compile and load, reach every operator, shape of right
// operand, quantifier and negation, and every shrink candidate is valid too.
func TestExtendedCases(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	seen := map[string]bool{}
	for i := 0; i < 400; i++ {
		c := New(r, Options{}).ExtendedCase(2)
		checkExtendedCase(t, "a generated", c)
		for _, cmp := range c.Comparisons {
			seen[cmp.Op.String()] = true
			seen[[]string{"literal", "set", "pair"}[cmp.Shape]+" "+cmp.Op.String()] = true
			seen[cmp.Quant] = true
			if cmp.Negated {
				seen["NOT"] = true
			}
		}
		if len(c.Comparisons) > 1 {
			seen[map[bool]string{false: "AND", true: "OR"}[c.Or]] = true
		}
		if i%10 != 0 {
			continue
		}
		shrink := ShrinkExtendedCase(c)
		for n := 0; n < 200; n++ {
			v, ok := shrink()
			if !ok {
				break
			}
			checkExtendedCase(t, "a shrunk", v.(*ExtendedCase))
		}
	}
	want := []string{"NOT", "AND", "OR", "ForAnyOfAnyValues", "ForAllOfAnyValues", "ForAnyOfAllValues", "ForAllOfAllValues",
		"pair IpInRange", "set IpInRange", "pair TimeOfDayInRange", "pair NumericInRange", "set ListContains"}
	for _, op := range ExtendedOperators() {
		want = append(want, op.String())
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("the generator never made %s", w)
		}
	}
}

// TestExtendedSameInputSameCase: a fuzz input means one extended case.
func TestExtendedSameInputSameCase(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for i := 0; i < 50; i++ {
		data := make([]byte, r.Intn(300))
		r.Read(data)
		a := New(NewByteSource(data), Options{}).ExtendedCase(2)
		b := New(NewByteSource(data), Options{}).ExtendedCase(2)
		if a.String() != b.String() {
			t.Fatalf("one input, two cases:\n%s\n%s", a, b)
		}
	}
}

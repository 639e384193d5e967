package vm

import (
	"reflect"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
)

// The trust boundary is in the types: only *Verified runs, it has no exported fields (outside
// this package the only way to get one is Verify or Decode), and the builder form cannot run.
func TestSealedVerified(t *testing.T) {
	vt := reflect.TypeOf(Verified{})
	for i := 0; i < vt.NumField(); i++ {
		if vt.Field(i).IsExported() {
			t.Errorf("Verified exports field %s", vt.Field(i).Name)
		}
	}
	for _, m := range []string{"Eval", "EvalTrace", "Disassemble"} {
		if _, ok := reflect.TypeOf(&Program{}).MethodByName(m); ok {
			t.Errorf("an unverified *Program has %s", m)
		}
		if _, ok := reflect.TypeOf(&Verified{}).MethodByName(m); !ok {
			t.Errorf("*Verified lacks %s", m)
		}
	}
	// Verify copies: the verified program shares no table with the program it checked.
	p := small(t)
	v, err := Verify(p, attrs.Default)
	if err != nil {
		t.Fatal(err)
	}
	if &v.p.Code[0] == &p.Code[0] {
		t.Error("Verify kept the caller's code slice")
	}
	c := v.Copy()
	c.Code[0].Op = OpRetTrue
	if v.p.Code[0].Op == OpRetTrue {
		t.Error("Copy shares the code slice")
	}
}

package testgen

import (
	"math/rand"
	"testing"

	"github.com/abacc/abacc/internal/attrs"
	"github.com/abacc/abacc/internal/compiler"
)

func TestByteSource(t *testing.T) {
	data := []byte{7, 200, 1, 2}
	s := NewByteSource(data)
	if got := s.Intn(1); got != 0 || s.pos != 0 {
		t.Fatalf("Intn(1) = %d after reading %d bytes; want 0 without reading", got, s.pos)
	}
	if got := s.Intn(10); got != 7 {
		t.Fatalf("Intn(10) = %d, want 7 (the first byte)", got)
	}
	if got := s.Intn(1000); got != (200<<8|1)%1000 {
		t.Fatalf("Intn(1000) = %d, want two bytes mod 1000", got)
	}
	// Past the end: a sequence that depends on the whole input only.
	a, b := NewByteSource(data), NewByteSource(data)
	for i := 0; i < 100; i++ {
		x, y := a.Intn(97), b.Intn(97)
		if x != y || x < 0 || x >= 97 {
			t.Fatalf("draw %d: %d and %d from the same input", i, x, y)
		}
	}
}

// TestSameInputSameCase: a fuzz input means one case (so that a failing input reproduces).
func TestSameInputSameCase(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		data := make([]byte, r.Intn(300))
		r.Read(data)
		a := New(NewByteSource(data), Options{}).Case(2)
		b := New(NewByteSource(data), Options{}).Case(2)
		if a.String() != b.String() {
			t.Fatalf("one input, two cases:\n%s\n%s", a, b)
		}
	}
}

// TestShrinkStaysValid: every shrink candidate of generated cases is a condition the front end
// accepts and requests that load.
func TestShrinkStaysValid(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 40; i++ {
		c := New(r, Options{MinDepth: 2, MaxDepth: 3}).Case(2)
		shrink := ShrinkCase(c)
		for n := 0; n < 200; n++ {
			v, ok := shrink()
			if !ok {
				break
			}
			s := v.(*Case)
			if u := compiler.Frontend("shrunk", s.Cond.Text(), compiler.Options{}); !u.OK() {
				t.Fatalf("a shrunk condition does not compile: %v\noriginal:%s\nshrunk:%s", u.Diags.Items, c, s)
			}
			for _, q := range s.Reqs {
				v := attrs.NewVector(attrs.Default)
				if err := v.UnmarshalJSON([]byte(q.JSON())); err != nil {
					t.Fatalf("a shrunk request does not load: %v\n%s", err, q.JSON())
				}
				if log, err := q.Apply(v); err != nil {
					t.Fatalf("the typed setters reject a shrunk request: %v\n%s", err, log)
				}
			}
		}
	}
}

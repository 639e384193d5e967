package slab

import "testing"

func TestSlab(t *testing.T) {
	var s Slab[int]
	seen := map[*int]bool{}
	for i := range 5000 {
		p := s.New()
		if *p != 0 || seen[p] {
			t.Fatalf("New %d: reused or dirty value", i)
		}
		*p = i + 1
		seen[p] = true
	}
	for _, n := range []int{0, 1, 3, 100, 300, 2000} {
		v := s.Make(n)
		if len(v) != n || cap(v) != n {
			t.Fatalf("Make(%d): len %d cap %d", n, len(v), cap(v))
		}
		for i := range v {
			if v[i] != 0 {
				t.Fatalf("Make(%d): dirty value", n)
			}
			v[i] = -1
		}
		if n > 0 {
			w := s.New()
			if *w != 0 {
				t.Fatalf("New after Make(%d): dirty value", n)
			}
			*w = -2
			if v[n-1] != -1 {
				t.Fatalf("Make(%d): slice overlaps the next value", n)
			}
		}
	}
	s.Reserve(50)
	if len(s.free) < 50 {
		t.Fatalf("Reserve(50) left %d", len(s.free))
	}
}

func TestSlabAllocations(t *testing.T) {
	allocs := testing.AllocsPerRun(10, func() {
		var s Slab[[4]int]
		for range 100 {
			s.New()
		}
	})
	if allocs > 5 { // chunks of 8, 16, 32, 64
		t.Errorf("100 values took %v allocations", allocs)
	}
}

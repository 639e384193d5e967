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

// TestRewind: a rewound slab hands its chunk out again, zeroed, and allocates nothing while
// its chunk suffices.
func TestRewind(t *testing.T) {
	var s Slab[int]
	s.Reserve(64)
	first := s.New()
	for i := range 40 {
		*s.New() = i + 1
	}
	*first = 7
	s.Rewind()
	if p := s.New(); p != first || *p != 0 {
		t.Fatalf("after Rewind: got %p (value %d), want the chunk's first value %p zeroed", p, *p, first)
	}
	for i := range 63 {
		if v := s.New(); *v != 0 {
			t.Fatalf("value %d after Rewind is dirty: %d", i, *v)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		s.Rewind()
		s.Reserve(64)
		for range 64 {
			s.New()
		}
	})
	if allocs != 0 {
		t.Fatalf("a rewound slab allocated %v times per use", allocs)
	}
	var empty Slab[int]
	empty.Rewind() // a slab that never allocated rewinds to nothing
	if empty.Left() != 0 {
		t.Fatalf("empty slab has %d left after Rewind", empty.Left())
	}
}

// Package slab allocates the many small values a compilation builds (syntax and IR nodes,
// operand lists, constant values) in chunks: a tree of a hundred nodes costs a few allocations
// instead of a hundred. Every value stays reachable as long as any value of its chunk is, which
// suits the compiler: a program keeps its whole tree or drops it whole.
package slab

// maxChunk bounds a chunk's length, so that the unused tail of the last chunk stays small.
const maxChunk = 1024

// Slab hands out zeroed values of type T from chunks. The zero Slab is ready to use; it is
// not safe for concurrent use.
type Slab[T any] struct {
	free  []T // the unused rest of the current chunk
	chunk []T // the current chunk, whole (for Rewind and for the next chunk's size)
}

// Reserve starts a chunk of n values (at most maxChunk) unless the current one has n left, for
// callers that can estimate how many they will need: with an exact estimate, no value of the
// chunk is left unused.
func (s *Slab[T]) Reserve(n int) {
	if len(s.free) < n {
		s.free = make([]T, min(n, maxChunk))
		s.chunk = s.free
	}
}

// Rewind zeroes the values handed out from the current chunk and hands them out again, for a
// slab whose values are all dropped between uses (scratch memory reused from one compilation
// to the next): every value handed out before is invalid after. Earlier chunks are left to
// the garbage collector, so a slab reused for inputs of one size soon allocates nothing.
func (s *Slab[T]) Rewind() {
	clear(s.chunk[:len(s.chunk)-len(s.free)])
	s.free = s.chunk
}

// Left is the number of values the current chunk still holds.
func (s *Slab[T]) Left() int { return len(s.free) }

// New returns a pointer to a zeroed T.
func (s *Slab[T]) New() *T {
	if len(s.free) == 0 {
		s.grow(1)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// Make returns a zeroed slice of n values whose capacity is n, so that appending to it never
// writes into the chunk.
func (s *Slab[T]) Make(n int) []T {
	if n == 0 {
		return nil
	}
	if len(s.free) < n {
		if n > maxChunk/4 {
			return make([]T, n) // a chunk of its own
		}
		s.grow(n)
	}
	v := s.free[:n:n]
	s.free = s.free[n:]
	return v
}

// grow starts a new chunk with room for at least n values, twice as long as the last one (up
// to maxChunk).
func (s *Slab[T]) grow(n int) {
	size := min(max(2*len(s.chunk), 8), maxChunk)
	s.free = make([]T, max(size, n))
	s.chunk = s.free
}

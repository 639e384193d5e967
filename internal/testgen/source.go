package testgen

// Source is what a Generator draws its choices from. A *math/rand.Rand (the one gopter hands
// its generators) is a Source, and so is a ByteSource over a fuzz input.
type Source interface {
	// Intn returns a choice in [0, n). The generator never asks for n < 1.
	Intn(n int) int
	// Uint64 returns 64 random bits.
	Uint64() uint64
}

// ByteSource hands out the bytes of a fuzz input as choices, so that the fuzzer's mutations
// of the bytes steer the generator. Past the end of the input it continues with a
// pseudo-random sequence seeded by a hash of the whole input, so that short inputs still give
// rich cases; generation is bounded (tree depth, set sizes), so every input gives a finished
// case.
type ByteSource struct {
	data  []byte
	pos   int
	state uint64
}

// NewByteSource returns a Source that reads data (which it does not modify).
func NewByteSource(data []byte) *ByteSource { return &ByteSource{data: data} }

func (s *ByteSource) byte() byte {
	if s.pos < len(s.data) {
		c := s.data[s.pos]
		s.pos++
		return c
	}
	if s.state == 0 {
		h := uint64(14695981039346656037) // FNV-1a
		for _, c := range s.data {
			h = (h ^ uint64(c)) * 1099511628211
		}
		s.state = h | 1
	}
	// xorshift64*
	s.state ^= s.state >> 12
	s.state ^= s.state << 25
	s.state ^= s.state >> 27
	return byte((s.state * 2685821657736338717) >> 56)
}

// Intn returns a choice in [0, n) from one input byte (two for n > 256); 0 for n <= 1, without
// reading a byte.
func (s *ByteSource) Intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := int(s.byte())
	if n > 256 {
		v = v<<8 | int(s.byte())
	}
	return v % n
}

// Uint64 returns the next eight bytes, big-endian.
func (s *ByteSource) Uint64() uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v = v<<8 | uint64(s.byte())
	}
	return v
}

// pick returns a random element of xs, which must not be empty.
func pick[T any](src Source, xs []T) T { return xs[src.Intn(len(xs))] }

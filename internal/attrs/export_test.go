package attrs

// Test hooks into the vector's arenas.

// ArenaLen is the number of values stored (all kinds).
func (r *Vector) ArenaLen() int { return len(r.strs) + len(r.nums) + len(r.guids) }

// ArenaCaps returns the capacities of the string and number arenas.
func (r *Vector) ArenaCaps() (strs, nums int) { return cap(r.strs), cap(r.nums) }

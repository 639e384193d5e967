//go:build !race

package bench

// raceEnabled: the race detector's instrumentation allocates, so allocation tests skip.
const raceEnabled = false

//go:build !linux

package bench

import "time"

// scaleClockName says what scaleClock measures, for the table's heading.
const scaleClockName = "wall-clock time (the thread CPU clock is read on Linux only)"

// scaleClock falls back to wall-clock time off Linux.
func scaleClock() int64 { return time.Now().UnixNano() }

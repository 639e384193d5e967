//go:build linux

package bench

import (
	"syscall"
	"time"
	"unsafe"
)

// scaleClockName says what scaleClock measures, for the table's heading.
const scaleClockName = "CPU time of the measuring thread (locked to its goroutine) plus that of the child processes it waited for"

// scaleClock returns the CPU time, in nanoseconds, of the calling OS thread
// (clock_gettime(CLOCK_THREAD_CPUTIME_ID); TestScaling locks its goroutine to the thread) plus
// that of the waited-for child processes (getrusage(RUSAGE_CHILDREN): the abacc binary of the
// `abacc test` dimensions). Unlike wall-clock time it does not count the time spent descheduled
// on a loaded machine; unlike the process's CPU time it does not count the runtime's background
// work on other threads (the scavenger returning memory freed by the previous size), which has
// nothing to do with the operation measured.
func scaleClock() int64 {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	var children syscall.Rusage
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 ||
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return time.Now().UnixNano()
	}
	return ts.Nano() + children.Utime.Nano() + children.Stime.Nano()
}

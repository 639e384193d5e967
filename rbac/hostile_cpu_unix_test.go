//go:build unix

package rbac_test

import "syscall"

// hProcCPU returns the CPU time (user and system) the test process has used, or -1. The hostile
// tests bound CPU time rather than wall time: on a shared machine a test may wait for a core
// far longer than it computes.
func hProcCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return int64(ru.Utime.Nano() + ru.Stime.Nano())
}

package rbac_test

import (
	"syscall"
	"unsafe"
)

// benchThreadCPU returns the CPU time consumed by the calling OS thread in nanoseconds
// (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), or -1 if it cannot be read. The benchmarks lock
// their goroutine to its thread and report it as cpu-ns/op: on a shared machine it does not
// count the time the benchmark spends descheduled, which wall-clock ns/op does.
func benchThreadCPU() int64 {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return -1
	}
	return ts.Nano()
}

// benchProcCPU returns the CPU time (user and system) of the whole process in nanoseconds, or -1:
// for Load, whose garbage collection runs on other threads.
func benchProcCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

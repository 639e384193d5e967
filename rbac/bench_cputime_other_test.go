//go:build !linux

package rbac_test

// benchThreadCPU is not available off Linux: no cpu-ns/op metric.
func benchThreadCPU() int64 { return -1 }

// benchProcCPU is not read off Linux: no proc-cpu-ns/op metric.
func benchProcCPU() int64 { return -1 }

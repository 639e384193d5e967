//go:build !unix

package rbac_test

// hProcCPU is not read off Unix: the hostile tests bound wall time instead.
func hProcCPU() int64 { return -1 }

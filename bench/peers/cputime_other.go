//go:build !linux

package peers

// threadCPU is unavailable on this platform: cpu-ns/op is not reported.
func threadCPU() int64 { return -1 }

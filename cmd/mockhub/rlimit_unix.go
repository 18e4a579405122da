//go:build unix

package main

import (
	"log/slog"
	"syscall"
)

// descriptorReserve is how many descriptors are kept for everything but
// client connections: the listener, data files, the runtime's own.
const descriptorReserve = 64

// fitDescriptors lowers the connection cap to what the process's descriptor
// limit allows, so that the cap, not the kernel's "too many open files",
// is what a flood of connections meets: accepting stops failing, and
// connections beyond get their 503. A cap of 0 (none) is left alone. Go raises the soft limit to the hard
// one at start-up; this reads the result.
func fitDescriptors(maxConns int64, log *slog.Logger) int64 {
	var lim syscall.Rlimit
	if maxConns <= 0 || syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil || lim.Cur > 1<<40 {
		return maxConns // no cap asked for, or no limit to fit
	}
	fit := int64(lim.Cur) - descriptorReserve
	if fit < 1 {
		fit = 1
	}
	if maxConns > fit {
		log.Warn("connection cap lowered to fit the descriptor limit", "maxConns", fit, "descriptorLimit", lim.Cur)
		return fit
	}
	return maxConns
}

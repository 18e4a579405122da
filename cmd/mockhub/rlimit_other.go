//go:build !unix

package main

import "log/slog"

// fitDescriptors leaves the cap as it is where descriptors are not limited
// per process the Unix way.
func fitDescriptors(maxConns int64, _ *slog.Logger) int64 { return maxConns }

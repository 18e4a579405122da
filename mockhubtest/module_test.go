package mockhubtest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestExampleModule runs the tests of ../examples, a module of its own that
// requires github.com/mockhub/mockhub and imports mockhubtest as a user's
// project does. It needs no network: the example module's dependencies are
// this module's, already in the module cache.
func TestExampleModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.Command(goBin, "test", "-count=1", "./...")
	cmd.Dir = filepath.Join("..", "examples")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in examples: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// Command bare serves internal/bare on --addr, for load runs that compare
// mockhub with a handler that does the least any server must (see
// bench/README.md).
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/mockhub/mockhub/internal/bare"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:4020", "listen address")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, bare.Handler(http.StatusOK)))
}

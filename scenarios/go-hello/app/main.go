// A hello HTTP server on the standard library only: the app every base variant ships.
// It prints basebench's timeline lines ("basebench-timeline entered|listening <CLOCK_MONOTONIC ns>")
// so the harness can tell the process's own start from the engine's.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"syscall"
	"unsafe"
)

// monotonicNanos reads CLOCK_MONOTONIC (1), the clock the host shares with its containers;
// time.Now's monotonic reading is not exposed as an absolute value.
func monotonicNanos() int64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

func main() {
	fmt.Printf("basebench-timeline entered %d\n", monotonicNanos())
	addr := ":8080"
	if port := os.Getenv("PORT"); port != "" {
		addr = ":" + port
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("hello from basebench\n"))
	})
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("basebench-timeline listening %d\n", monotonicNanos())
	log.Printf("listening on %s", addr)
	log.Fatal(http.Serve(listener, nil))
}

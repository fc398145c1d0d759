"""A hello HTTP server on the standard library only: the app every base variant ships.

It prints basebench's timeline lines ("basebench-timeline entered|listening <CLOCK_MONOTONIC ns>";
time.monotonic_ns is CLOCK_MONOTONIC on Linux) so the harness can tell the runtime's start from the engine's.
"""
import time

print(f"basebench-timeline entered {time.monotonic_ns()}", flush=True)

import os  # noqa: E402 (after the first timeline line, so imports count as the app's own time)
from http.server import BaseHTTPRequestHandler, HTTPServer

BODY = b"hello from basebench\n"


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    server = HTTPServer(("0.0.0.0", port), Hello)  # binds and listens
    print(f"basebench-timeline listening {time.monotonic_ns()}", flush=True)
    print(f"listening on :{port}", flush=True)
    server.serve_forever()

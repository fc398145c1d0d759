"""A hello HTTP server on the standard library only: the app every base variant ships."""
import os
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
    print(f"listening on :{port}", flush=True)
    HTTPServer(("0.0.0.0", port), Hello).serve_forever()

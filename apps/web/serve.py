#!/usr/bin/env python3
"""Serves a built apps/web/dist on 127.0.0.1 for scripts/web.sh and the
browser tests: the right MIME types for .wasm and .js modules, the
precompressed .br/.gz files when the browser accepts them, no caching.

    python3 apps/web/serve.py DIST PORT
"""
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".milk": "text/plain",
    }

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accept = self.headers.get("Accept-Encoding", "")
        for enc, ext in (("br", ".br"), ("gzip", ".gz")):
            if enc in accept and os.path.isfile(path + ext):
                f = open(path + ext, "rb")
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", enc)
                self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                self.end_headers()
                return f
        return super().send_head()

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("KEFIR_WEB_LOG"):
            super().log_message(fmt, *args)


def main():
    root, port = sys.argv[1], int(sys.argv[2])
    os.chdir(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()

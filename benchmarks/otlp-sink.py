#!/usr/bin/env python3
"""An OTLP/HTTP trace endpoint that accepts and discards what it gets (for the tracing cost runs in
BENCHMARKS.md, where no Jaeger can run): POST /v1/traces answers 200 with an empty
ExportTraceServiceResponse. Usage: benchmarks/otlp-sink.py [port] (default 4318); counts requests and bytes
on stderr every 10 s."""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = {"requests": 0, "bytes": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        received["requests"] += 1
        received["bytes"] += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def report():
    while True:
        time.sleep(10)
        print(f"otlp-sink: {received['requests']} requests, {received['bytes']} bytes", file=sys.stderr, flush=True)


port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
threading.Thread(target=report, daemon=True).start()
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()

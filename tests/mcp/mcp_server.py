#!/usr/bin/env python3
"""mcp_server.py: a small MCP server over stdio or streamable HTTP for diffsmith's tests.

Usage: python3 mcp_server.py [--mode MODE] [--log FILE]
       python3 mcp_server.py --http [--mode MODE] [--log FILE] [--token TOKEN]

Tools: echo {text} -> "echo: TEXT"; add {a, b} -> the sum as text;
picture {} -> an image block and a text block; secret {} (for deny lists).
Every message received is appended to --log as one JSON line.

Modes:
  ok          behaves (and sends a notification and a ping request of its own
              before answering tools/list, which the client must handle)
  crash-call  exits (status 3) when a tool is called
  hang-call   never answers tools/call
  hang-start  never answers initialize
  junk        answers initialize with a line that is not JSON

--http serves POST /mcp on 127.0.0.1 (a free port, printed as "PORT <n>"),
until its stdin closes. initialize is answered as JSON with an Mcp-Session-Id
header; every later request must carry that id and MCP-Protocol-Version
(else HTTP 400); notifications get 202; tools/list is answered as JSON,
tools/call as an event stream: a notification, a ping request of its own
(whose reply, POSTed back, it waits for), the result, then keep-alive
comments until the client hangs up. --token requires "Authorization: Bearer
TOKEN" (else 401). HTTP modes: ok, hang-call (as above), http500 (initialize
gets HTTP 500), junk (initialize gets an application/json body that is not
JSON). The log also records each request's session id and a DELETE.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOOLS = [
    {"name": "echo", "description": "Echo the text back.",
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}},
    {"name": "add", "description": "Add two integers.",
     "inputSchema": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                     "required": ["a", "b"]}},
    {"name": "picture", "description": "A picture and a caption.",
     "inputSchema": {"type": "object", "properties": {}}},
    {"name": "secret", "description": "A tool a deny list hides.",
     "inputSchema": {"type": "object", "properties": {}}},
]


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def call_content(name, a):
    if name == "echo":
        return [{"type": "text", "text": "echo: " + a.get("text", "")}]
    if name == "add":
        return [{"type": "text", "text": str(a["a"] + a["b"])}]
    if name == "picture":
        return [{"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
                {"type": "text", "text": "a caption"}]
    return None


def serve_http(args):
    session = "sess-%d" % os.getpid()
    lock = threading.Lock()
    log = open(args.log, "a") if args.log else None
    ping_answered = threading.Event()

    def record(entry):
        if log:
            with lock:
                log.write(json.dumps(entry) + "\n")
                log.flush()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, body=b"", ctype="application/json", headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_DELETE(self):
            record({"DELETE": self.headers.get("Mcp-Session-Id")})
            self.reply(200)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            msg = json.loads(raw)
            method, mid = msg.get("method"), msg.get("id")
            record({"message": msg, "session": self.headers.get("Mcp-Session-Id"),
                    "protocol": self.headers.get("MCP-Protocol-Version"),
                    "accept": self.headers.get("Accept")})
            if args.token and self.headers.get("Authorization") != "Bearer " + args.token:
                return self.reply(401, b'{"error": "unauthorized"}')
            if method != "initialize" and (self.headers.get("Mcp-Session-Id") != session or
                                           not self.headers.get("MCP-Protocol-Version")):
                return self.reply(400, b'{"error": "missing or wrong Mcp-Session-Id or MCP-Protocol-Version"}')
            if method is None:  # a reply to our ping
                if mid == "srv-1" and "result" in msg:
                    ping_answered.set()
                return self.reply(202)
            if method == "initialize":
                if args.mode == "http500":
                    return self.reply(500, b"internal error", "text/plain")
                if args.mode == "junk":
                    return self.reply(200, b"<html>this is not json</html>")
                body = {"jsonrpc": "2.0", "id": mid, "result": {
                    "protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                    "serverInfo": {"name": "test-mcp-http", "version": "2.0"}}}
                return self.reply(200, json.dumps(body).encode(), headers={"Mcp-Session-Id": session})
            if mid is None:
                return self.reply(202)
            if method == "tools/list":
                body = {"jsonrpc": "2.0", "id": mid, "result": {"tools": TOOLS}}
                return self.reply(200, json.dumps(body).encode())
            if method == "tools/call":
                if args.mode == "hang-call":
                    time.sleep(3600)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()

                def event(m):
                    self.wfile.write(b"event: message\ndata: " + json.dumps(m).encode() + b"\n\n")
                    self.wfile.flush()

                try:
                    event({"jsonrpc": "2.0", "method": "notifications/progress",
                           "params": {"progressToken": 1, "progress": 0.5}})
                    ping_answered.clear()
                    event({"jsonrpc": "2.0", "id": "srv-1", "method": "ping"})
                    answered = ping_answered.wait(5)
                    name, a = msg["params"]["name"], msg["params"].get("arguments", {})
                    content = call_content(name, a) if answered else [{"type": "text", "text": "ping not answered"}]
                    event({"jsonrpc": "2.0", "id": mid, "result": {"content": content, "isError": not answered}})
                    for _ in range(300):  # the stream stays open: the client must stop at its response
                        time.sleep(0.1)
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return
            body = {"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "method not found"}}
            return self.reply(200, json.dumps(body).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("PORT %d\n" % server.server_address[1])
    sys.stdout.flush()
    sys.stdin.read()  # until the test closes our stdin
    os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--log")
    ap.add_argument("--http", action="store_true")
    ap.add_argument("--token")
    args = ap.parse_args()
    if args.http:
        return serve_http(args)
    log = open(args.log, "a") if args.log else None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        if log:
            log.write(json.dumps(msg) + "\n")
            log.flush()
        method, mid = msg.get("method"), msg.get("id")
        if method is None:
            continue  # an answer to our ping
        if method == "initialize":
            if args.mode == "hang-start":
                time.sleep(3600)
            if args.mode == "junk":
                sys.stdout.write("this is not json {\n")
                sys.stdout.flush()
                continue
            send({"jsonrpc": "2.0", "id": mid, "result": {
                "protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                "serverInfo": {"name": "test-mcp", "version": "1.0"}}})
        elif method == "notifications/initialized":
            pass
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "hi"}})
            send({"jsonrpc": "2.0", "id": "srv-1", "method": "ping"})
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": TOOLS}})
        elif method == "tools/call":
            if args.mode == "crash-call":
                sys.exit(3)
            if args.mode == "hang-call":
                time.sleep(3600)
            name, a = msg["params"]["name"], msg["params"].get("arguments", {})
            content = call_content(name, a)
            if content is None:
                send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32602, "message": "unknown tool " + name}})
                continue
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": content, "isError": False}})
        elif mid is not None:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "method not found"}})


if __name__ == "__main__":
    main()

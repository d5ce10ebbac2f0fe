#!/usr/bin/env python3
"""mcp_server.py: a small MCP server over stdio for diffsmith's tests.

Usage: python3 mcp_server.py [--mode MODE] [--log FILE]

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
"""
import argparse
import json
import sys
import time

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--log")
    args = ap.parse_args()
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
            if name == "echo":
                content = [{"type": "text", "text": "echo: " + a.get("text", "")}]
            elif name == "add":
                content = [{"type": "text", "text": str(a["a"] + a["b"])}]
            elif name == "picture":
                content = [{"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
                           {"type": "text", "text": "a caption"}]
            else:
                send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32602, "message": "unknown tool " + name}})
                continue
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": content, "isError": False}})
        elif mid is not None:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": "method not found"}})


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""mock_openai.py: a scripted OpenAI-compatible HTTP server for diffsmith's tests.

It speaks the wire format of docs/openai-api.md (Chat Completions, Responses,
Azure OpenAI), python3 standard library only.

Usage:
    python3 mock_openai.py --script S.json --log DIR [--port 0] [--api-key K]
                           [--exit-on-stdin-eof]

The first line on stdout is "PORT <n>" (the port actually bound on 127.0.0.1).
The server exits on SIGTERM, and also when stdin reaches end-of-file if
--exit-on-stdin-eof is given (the C++ test helper passes it and holds a pipe, so
a crashed test cannot leave the server behind; shell scripts that background
the server with stdin on /dev/null must not pass it).

Endpoints (POST):
    /v1/chat/completions
    /v1/responses
    /openai/deployments/<deployment>/chat/completions?api-version=V   (Azure)
Any other path answers 404. An Azure request without api-version answers 400.

Authentication: with --api-key K, a request must carry "Authorization: Bearer K"
(or "api-key: K" on the Azure path); otherwise the server answers 401 with an
OpenAI-shaped error body whose message deliberately ECHOES the key it received,
so tests can prove the client redacts keys. A 401 for a bad key does not
consume a script entry. Without --api-key any request is accepted.

Every request is appended to DIR/requests.jsonl as one JSON line:
    {"n": 1, "path": "/v1/chat/completions", "query": {"api-version": "..."},
     "headers": {lowercased names, minus authorization / api-key / cookie},
     "auth": "bearer" | "api-key" | null, "auth_ok": true | false | null,
     "entry": <1-based script entry served, or null>, "body": <request JSON>}
The line is written before the reply is sent.

Script: a JSON list; each request consumes the next entry, in order. An entry is
one of the kinds below.

Routing by content (optional): an entry may carry "match": "some text". Then a
request is served by the FIRST UNUSED entry whose "match" occurs in the raw
request body (the JSON text as received; entries without "match" fit any
request). This lets concurrent clients (diffsmith batch --workers N) get their
own replies whatever order their requests arrive in: give each task's entries a
match string that only that task's prompts contain. A script with no "match"
field anywhere behaves exactly as before (strictly in order). When no unused
entry fits, the request gets the "exhausted" 500 reply described below.

  Shorthand turn (rendered for the path called: chat.completion.chunk events
  ending in "data: [DONE]", or Responses events ending in response.completed;
  a normal JSON body instead when the request has no "stream": true):
    {"text": "Hello",                      # assistant text (may be "")
     "tool_calls": [{"id": "call_1", "name": "read_file",
                     "arguments": {"path": "a.c"}}],  # object, or a raw string
     "finish_reason": "stop",              # default: tool_calls if any, else stop;
                                           # "length" -> response.incomplete (Responses)
     "usage": {"prompt_tokens": 10, "completion_tokens": 5, "cached_tokens": 0,
               "reasoning_tokens": 0},      # reported in *_tokens_details
     "reasoning": [{"id": "rs_1", "encrypted_content": "...",
                    "summary": []}],        # Responses only: reasoning output items
                                           # before the message; encrypted_content
                                           # only when the request's "include" asks
                                           # for reasoning.encrypted_content
     "model": "gpt-4.1-2025-04-14",        # default: the request's model
     "fragment": 3,                        # characters per text/argument fragment
     "interleave": false,                  # alternate fragments of parallel calls
     "headers": {"x-extra": "1"},          # extra response headers
     "delay": 0.0}                         # seconds to wait before answering
  A tool call may carry "name_fragments": ["read_", "file", "file"]: the Chat
  stream then sends the name in those deltas (the first with the call's id),
  as some compatible servers do, instead of whole in the first delta.
  Text and arguments are split into fragments of `fragment` characters, and
  each SSE event is written in two pieces, so clients see events straddle
  reads. The usage chunk (Chat) is sent only when the request asks for
  stream_options.include_usage.

  Raw reply:
    {"status": 429, "headers": {"retry-after": "1"},
     "body": {"error": {"message": "...", "type": "...", "code": "..."}}}
    "body" may be a string; it defaults to an OpenAI error body.
  Raw stream: {"raw_sse": "data: {...}\\n\\n..."} sends the text verbatim as a
    200 event stream.

  Fault (the turn fields above shape the partial output):
    {"fault": "reset_mid_stream"}   half the events, then a TCP reset
    {"fault": "malformed_event"}    two events, "data: {not json", then the rest
    {"fault": "stall", "seconds": N} half the events, N seconds of silence, the rest
    {"fault": "no_done"}            every event but the final [DONE] /
                                    response.completed, then a clean end
  For non-streaming requests the faults apply to the JSON body (half a body then
  a reset; an invalid body; a pause; a truncated body).

When the script is exhausted the server answers 500 with "x-should-retry: false"
and an error saying so.

Every reply carries x-request-id "req_mock_<n>" (n = request number) and, on
success, x-ratelimit-{limit,remaining,reset}-{requests,tokens} headers.
"""

import argparse
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SECRET_HEADERS = {"authorization", "api-key", "cookie", "proxy-authorization"}


class State:
    def __init__(self, script, log_dir, api_key):
        self.script = script
        self.log_path = os.path.join(log_dir, "requests.jsonl")
        self.api_key = api_key
        self.lock = threading.Lock()
        self.used = [False] * len(script)
        self.requests = 0

    def count_request(self):
        with self.lock:
            self.requests += 1
            return self.requests

    def take_entry(self, raw_text):
        """The first unused entry whose optional "match" occurs in the request."""
        with self.lock:
            for i, entry in enumerate(self.script):
                if self.used[i]:
                    continue
                match = entry.get("match") if isinstance(entry, dict) else None
                if match is not None and match not in raw_text:
                    continue
                self.used[i] = True
                return i + 1, entry
            return None, None

    def log(self, record):
        line = json.dumps(record) + "\n"
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line)


def split(text, size):
    size = max(1, int(size))
    return [text[i:i + size] for i in range(0, len(text), size)] or []


def arguments_text(tc):
    args = tc.get("arguments", {})
    return args if isinstance(args, str) else json.dumps(args)


def usage_numbers(entry, body, output_text):
    u = entry.get("usage", {})
    prompt_source = json.dumps(body.get("messages", body.get("input", "")))
    prompt = u.get("prompt_tokens", max(1, len(prompt_source) // 4))
    completion = u.get("completion_tokens", max(1, len(output_text) // 4))
    cached = u.get("cached_tokens", 0)
    return prompt, completion, cached


def error_body(message, etype, code=None, param=None):
    return {"error": {"message": message, "type": etype, "param": param, "code": code}}


class Turn:
    """A shorthand entry rendered for one wire API."""

    def __init__(self, entry, body, n):
        self.entry = entry
        self.body = body
        self.n = n
        self.text = entry.get("text", "")
        self.calls = entry.get("tool_calls", [])
        self.frag = entry.get("fragment", 3)
        self.model = entry.get("model", body.get("model", "gpt-4.1"))
        self.finish = entry.get("finish_reason") or ("tool_calls" if self.calls else "stop")
        out = self.text + "".join(arguments_text(c) for c in self.calls)
        self.prompt, self.completion, self.cached = usage_numbers(entry, body, out)
        self.reasoning_tokens = entry.get("usage", {}).get("reasoning_tokens", 0)
        self.reasoning = entry.get("reasoning", [])

    def call_id(self, i, tc):
        return tc.get("id", "call_mock_%d_%d" % (self.n, i))

    # ---- Chat Completions ----
    def chat_usage(self):
        return {"prompt_tokens": self.prompt, "completion_tokens": self.completion,
                "total_tokens": self.prompt + self.completion,
                "prompt_tokens_details": {"cached_tokens": self.cached},
                "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens}}

    def chat_events(self):
        cid = "chatcmpl-mock-%d" % self.n

        def chunk(delta, finish=None):
            return {"id": cid, "object": "chat.completion.chunk", "created": 1700000000,
                    "model": self.model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        events = [chunk({"role": "assistant", "content": ""})]
        for frag in split(self.text, self.frag):
            events.append(chunk({"content": frag}))
        pieces = []
        for i, tc in enumerate(self.calls):
            names = tc.get("name_fragments") or [tc["name"]]
            first = chunk({"tool_calls": [{"index": i, "id": self.call_id(i, tc), "type": "function",
                                           "function": {"name": names[0], "arguments": ""}}]})
            more_names = [chunk({"tool_calls": [{"index": i, "function": {"name": f}}]}) for f in names[1:]]
            rest = [chunk({"tool_calls": [{"index": i, "function": {"arguments": f}}]})
                    for f in split(arguments_text(tc), self.frag)]
            pieces.append([first] + more_names + rest)
        if self.entry.get("interleave"):
            while any(pieces):
                for p in pieces:
                    if p:
                        events.append(p.pop(0))
        else:
            for p in pieces:
                events.extend(p)
        events.append(chunk({}, self.finish))
        if (self.body.get("stream_options") or {}).get("include_usage"):
            events.append({"id": cid, "object": "chat.completion.chunk", "created": 1700000000,
                           "model": self.model, "choices": [], "usage": self.chat_usage()})
        return ["data: %s\n\n" % json.dumps(e) for e in events] + ["data: [DONE]\n\n"]

    def chat_body(self):
        message = {"role": "assistant", "content": self.text if (self.text or not self.calls) else None,
                   "refusal": None}
        if self.calls:
            message["tool_calls"] = [
                {"id": self.call_id(i, tc), "type": "function",
                 "function": {"name": tc["name"], "arguments": arguments_text(tc)}}
                for i, tc in enumerate(self.calls)]
        return {"id": "chatcmpl-mock-%d" % self.n, "object": "chat.completion", "created": 1700000000,
                "model": self.model,
                "choices": [{"index": 0, "message": message, "logprobs": None,
                             "finish_reason": self.finish}],
                "usage": self.chat_usage()}

    # ---- Responses ----
    def reasoning_items(self):
        wanted = "reasoning.encrypted_content" in (self.body.get("include") or [])
        items = []
        for i, r in enumerate(self.reasoning):
            item = {"id": r.get("id", "rs_mock_%d_%d" % (self.n, i)), "type": "reasoning",
                    "summary": r.get("summary", [])}
            if wanted:
                item["encrypted_content"] = r.get("encrypted_content", "enc_mock_%d_%d" % (self.n, i))
            items.append(item)
        return items

    def responses_final(self):
        output = self.reasoning_items()
        if self.text:
            output.append({"id": "msg_mock_%d" % self.n, "type": "message", "status": "completed",
                           "role": "assistant",
                           "content": [{"type": "output_text", "text": self.text, "annotations": []}]})
        for i, tc in enumerate(self.calls):
            output.append({"id": "fc_mock_%d_%d" % (self.n, i), "type": "function_call",
                           "status": "completed", "call_id": self.call_id(i, tc), "name": tc["name"],
                           "arguments": arguments_text(tc)})
        incomplete = self.finish == "length"
        return {"id": "resp_mock_%d" % self.n, "object": "response", "created_at": 1700000000,
                "model": self.model, "status": "incomplete" if incomplete else "completed",
                "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
                "error": None, "output": output,
                "usage": {"input_tokens": self.prompt,
                          "input_tokens_details": {"cached_tokens": self.cached},
                          "output_tokens": self.completion,
                          "output_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
                          "total_tokens": self.prompt + self.completion}}

    def responses_events(self):
        seq = [0]
        events = []

        def ev(etype, **fields):
            payload = {"type": etype, "sequence_number": seq[0]}
            payload.update(fields)
            seq[0] += 1
            events.append("event: %s\ndata: %s\n\n" % (etype, json.dumps(payload)))

        final = self.responses_final()
        start = dict(final, status="in_progress", output=[], usage=None, incomplete_details=None)
        ev("response.created", response=start)
        ev("response.in_progress", response=start)
        index = 0
        for item in final["output"][:len(self.reasoning)]:
            ev("response.output_item.added", output_index=index,
               item={"id": item["id"], "type": "reasoning", "summary": []})
            ev("response.output_item.done", output_index=index, item=item)
            index += 1
        if self.text:
            item = final["output"][index]
            mid = item["id"]
            ev("response.output_item.added", output_index=index,
               item=dict(item, status="in_progress", content=[]))
            ev("response.content_part.added", item_id=mid, output_index=index, content_index=0,
               part={"type": "output_text", "text": "", "annotations": []})
            for frag in split(self.text, self.frag):
                ev("response.output_text.delta", item_id=mid, output_index=index, content_index=0,
                   delta=frag)
            ev("response.output_text.done", item_id=mid, output_index=index, content_index=0,
               text=self.text)
            ev("response.content_part.done", item_id=mid, output_index=index, content_index=0,
               part=item["content"][0])
            ev("response.output_item.done", output_index=index, item=item)
            index += 1
        for item in final["output"][index:]:
            fid = item["id"]
            ev("response.output_item.added", output_index=index,
               item=dict(item, status="in_progress", arguments=""))
            for frag in split(item["arguments"], self.frag):
                ev("response.function_call_arguments.delta", item_id=fid, output_index=index, delta=frag)
            ev("response.function_call_arguments.done", item_id=fid, output_index=index,
               arguments=item["arguments"])
            ev("response.output_item.done", output_index=index, item=item)
            index += 1
        ev("response.incomplete" if final["status"] == "incomplete" else "response.completed",
           response=final)
        return events


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # small SSE writes go out at once (no 40 ms delayed-ACK stalls)
    protocol_version = "HTTP/1.1"
    server_version = "mock-openai/1"
    state = None  # set in main

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    # ---- plumbing ----
    def common_headers(self, n):
        self.send_header("x-request-id", "req_mock_%d" % n)
        self.send_header("openai-processing-ms", "7")

    def rate_headers(self, n):
        for name, value in (("x-ratelimit-limit-requests", "500"),
                            ("x-ratelimit-remaining-requests", str(max(0, 500 - n))),
                            ("x-ratelimit-reset-requests", "120ms"),
                            ("x-ratelimit-limit-tokens", "30000"),
                            ("x-ratelimit-remaining-tokens", "29000"),
                            ("x-ratelimit-reset-tokens", "2s")):
            self.send_header(name, value)

    def send_json(self, status, payload, n, extra_headers=None, rate=False):
        data = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        data = data.encode() if isinstance(data, str) else data
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.common_headers(n)
        if rate:
            self.rate_headers(n)
        for k, v in (extra_headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def start_stream(self, n, extra_headers=None):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.common_headers(n)
        self.rate_headers(n)
        for k, v in (extra_headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()

    def write_chunk(self, data):
        if isinstance(data, str):
            data = data.encode()
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def write_event(self, text):
        # Two writes per event, so that events straddle the client's reads.
        raw = text.encode()
        half = max(1, len(raw) // 2)
        self.write_chunk(raw[:half])
        self.write_chunk(raw[half:])

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def reset(self):
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            self.connection.close()
            self.close_connection = True

    # ---- request handling ----
    def do_POST(self):
        try:
            self.handle_post()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def do_GET(self):
        n = self.state.count_request()
        self.send_json(404, error_body("Unknown path %s" % self.path, "invalid_request_error",
                                       "unknown_url"), n)

    def handle_post(self):
        st = self.state
        n = st.count_request()
        url = urlsplit(self.path)
        path = url.path
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None

        parts = path.strip("/").split("/")
        if path == "/v1/chat/completions":
            api, azure = "chat", False
        elif path == "/v1/responses":
            api, azure = "responses", False
        elif len(parts) == 5 and parts[:2] == ["openai", "deployments"] and parts[3:] == ["chat", "completions"]:
            api, azure = "chat", True
        else:
            api, azure = None, False

        auth, key = None, None
        if self.headers.get("Authorization", "").startswith("Bearer "):
            auth, key = "bearer", self.headers["Authorization"][len("Bearer "):]
        elif self.headers.get("api-key") is not None:
            auth, key = "api-key", self.headers["api-key"]
        auth_ok = None
        if st.api_key is not None:
            wanted = "api-key" if azure else "bearer"
            auth_ok = auth == wanted and key == st.api_key

        entry_no, entry = None, None
        if api is not None and body is not None and auth_ok is not False and not (azure and "api-version" not in query):
            entry_no, entry = st.take_entry(raw.decode("utf-8", "replace"))
        st.log({"n": n, "path": path, "query": query,
                "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() not in SECRET_HEADERS},
                "auth": auth, "auth_ok": auth_ok, "entry": entry_no, "body": body})

        if api is None:
            return self.send_json(404, error_body("Unknown request URL: POST %s" % path,
                                                  "invalid_request_error", "unknown_url"), n)
        if body is None:
            return self.send_json(400, error_body("We could not parse the JSON body of your request.",
                                                  "invalid_request_error"), n)
        if azure and "api-version" not in query:
            return self.send_json(400, error_body("Missing required query parameter: api-version",
                                                  "invalid_request_error", "missing_api_version"), n)
        if auth_ok is False:
            shown = key if key is not None else "(none)"
            return self.send_json(401, error_body(
                "Incorrect API key provided: %s. You can find your API key at "
                "https://platform.openai.com/account/api-keys." % shown,
                "invalid_request_error", "invalid_api_key"), n)
        if entry is None:
            unused = sum(1 for u in st.used if not u)
            why = ("all %d entries were used" % len(st.script)) if unused == 0 else \
                ("none of the %d unused entries matches it" % unused)
            return self.send_json(500, error_body(
                "mock script exhausted: %s; request %d has no reply" % (why, n),
                "server_error", "mock_script_exhausted"), n,
                {"x-should-retry": "false"})
        if entry.get("delay"):
            time.sleep(float(entry["delay"]))
        self.serve(entry, body, api, n)

    def serve(self, entry, body, api, n):
        extra = entry.get("headers", {})
        if "status" in entry and "fault" not in entry:
            payload = entry.get("body", error_body("mock error", "server_error"))
            return self.send_json(int(entry["status"]), payload, n, extra)
        if "raw_sse" in entry:
            self.start_stream(n, extra)
            for piece in split(entry["raw_sse"], 7):
                self.write_chunk(piece)
            return self.end_chunks()
        turn = Turn(entry, body, n)
        fault = entry.get("fault")
        if body.get("stream"):
            events = turn.chat_events() if api == "chat" else turn.responses_events()
            return self.serve_stream(events, fault, entry, n, extra)
        payload = json.dumps(turn.chat_body() if api == "chat" else turn.responses_final()).encode()
        if fault == "reset_mid_stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.common_headers(n)
            self.end_headers()
            self.wfile.write(payload[:len(payload) // 2])
            return self.reset()
        if fault == "malformed_event":
            payload = b"{not json"
        elif fault == "stall":
            time.sleep(float(entry.get("seconds", 5)))
        elif fault == "no_done":
            payload = payload[:len(payload) // 2]
        self.send_json(200, payload, n, extra, rate=True)

    def serve_stream(self, events, fault, entry, n, extra):
        self.start_stream(n, extra)
        half = max(1, len(events) // 2)
        if fault == "reset_mid_stream":
            for e in events[:half]:
                self.write_event(e)
            return self.reset()
        if fault == "malformed_event":
            events = events[:2] + ["data: {not json\n\n"] + events[2:]
        elif fault == "no_done":
            events = events[:-1]
        for i, e in enumerate(events):
            if fault == "stall" and i == half:
                time.sleep(float(entry.get("seconds", 5)))
            self.write_event(e)
        self.end_chunks()


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a stalled reply must not keep the process alive
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that hang up (idle timeouts, cancellation) are expected here.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--script", required=True, help="JSON list of scripted replies")
    ap.add_argument("--log", required=True, help="directory for requests.jsonl")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    ap.add_argument("--api-key", default=None, help="require this key (Bearer, or api-key on Azure paths)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when stdin is closed")
    args = ap.parse_args()

    with open(args.script, encoding="utf-8") as f:
        script = json.load(f)
    if not isinstance(script, list):
        sys.exit("mock_openai: the script must be a JSON list of entries")
    os.makedirs(args.log, exist_ok=True)

    Handler.state = State(script, args.log, args.api_key)
    server = Server(("127.0.0.1", args.port), Handler)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    if args.exit_on_stdin_eof:
        def watch():
            # os.read, not sys.stdin: a buffered read still blocked at exit
            # makes the interpreter abort with _enter_buffered_busy.
            while os.read(0, 4096):
                pass
            stop()
        threading.Thread(target=watch, daemon=True).start()

    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make_seeds.py: (re)writes the seed corpora of tests/fuzz/corpus/<target>/.

Seeds come from the edit scenarios (tests/scenarios/*/edits.txt and their
input files), the SSE streams of docs/openai-api.md and the mock server's
shapes, and a few hand-written JSON documents and edge cases. Run it after
adding scenarios; files are named by content hash, so reruns are idempotent.
Crash inputs found by the fuzzers are added here by hand (see README.md)."""

import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SCEN = os.path.join(ROOT, "tests", "scenarios")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def scenarios():
    for name in sorted(os.listdir(SCEN)):
        edits = os.path.join(SCEN, name, "edits.txt")
        if not os.path.isfile(edits):
            continue
        with open(edits, "rb") as f:
            text = f.read()
        files = []
        inp = os.path.join(SCEN, name, "input")
        for dirpath, _, names in os.walk(inp):
            for n in sorted(names):
                p = os.path.join(dirpath, n)
                if os.path.getsize(p) <= 16384:
                    with open(p, "rb") as f:
                        files.append(f.read())
        yield name, text, files


def edit_seeds():
    for name, text, files in scenarios():
        put("fuzz_search_replace" if "_sr_" in name else "fuzz_v4a", text)
        mode = b"\x00" if "_sr_" in name else b"\x01"
        for content in files[:2] or [b""]:
            # mode byte (bit 2: the file gets a final newline), file, separator, edits
            body = content[:-1] if content.endswith(b"\n") else content
            flag = 4 if content.endswith(b"\n") else 0
            put("fuzz_locate", bytes([mode[0] | flag]) + body + b"\n~~~~\n" + text)
            put("fuzz_locate", bytes([2 | flag]) + body + b"\n~~~~\n" + text)
    # Direct locator seeds: SEARCH ======= REPLACE.
    put("fuzz_locate", b"\x07def f():\n    return 1\n\ndef g():\n    return 1\n~~~~\n    return 1\n=======\n    return 2\n")
    put("fuzz_locate", b"\x07a\n  b\n    c\n...\nz\n~~~~\nb\n  c\n=======\nb\n  C\n")
    put("fuzz_locate", b"\x03x = \xe2\x80\x9cq\xe2\x80\x9d\r\ny\r\n~~~~\nx = \"q\"\n...\n=======\nx = 'q'\n...\n")


SSE_CHAT = (
    'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n'
    'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Let me read it."},"finish_reason":null}]}\n\n'
    ': keep-alive\n\n'
    'data: {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"read_file","arguments":""}}]},"finish_reason":null}]}\n\n'
    'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n'
    'data: {"id":"c","choices":[],"usage":{"prompt_tokens":2048,"completion_tokens":21}}\n\n'
    'data: [DONE]\n\n')
SSE_RESP = (
    'event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\n'
    'event: response.output_text.delta\r\ndata: {"type":"response.output_text.delta","delta":"Hi"}\r\n\r\n'
    'event: response.completed\rdata: {"type":"response.completed","response":{"usage":{"input_tokens":3}}}\r\r')


def sse_seeds():
    for s in (SSE_CHAT, SSE_RESP, "\ufeffdata: a\ndata: b\n\n", "data:x\nid: 1\nretry: 5\nfield\n\ndata\n\n",
              "data: {not json\n\n", "data: tail without blank line", "event: e\n\n:\n\n\r\n"):
        put("fuzz_sse", b"\x12\x34" + s.encode("utf-8"))


def json_seeds():
    docs = ['{"a":1,"b":[true,false,null],"c":{"d":"e\\n\\u00e9\\ud83d\\ude00"}}', '[]', '{}', '"\\u0000"',
            '-0', '1e308', '18446744073709551615', '-9223372036854775808', '0.1', '[[[[[]]]]]',
            '{"a":1,"a":2}', '"\\ud800"', json.dumps({"messages": [{"role": "user", "content": "x" * 40}]})]
    for d in docs:
        put("fuzz_json", b"\x00" + d.encode())
    # Builder programs (odd mode byte): arrays/objects of raw strings and numbers.
    put("fuzz_json", b"\x01\x06\x03\x04\x05\xff\xfeab\x03\x00\x00\x00\x00\x00\x00\xf8\x7f\x00")
    put("fuzz_json", b"\x01\x07\x02\x03k\xc3\x28\x04\x02\x01\x02\x03\x04\x05\x06\x07\x08")


def main():
    edit_seeds()
    sse_seeds()
    json_seeds()
    for t in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        print(t, len(os.listdir(os.path.join(HERE, "corpus", t))), file=sys.stderr)


if __name__ == "__main__":
    main()

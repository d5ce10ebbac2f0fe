#!/usr/bin/env python3
"""Fails when a source file includes a header of a folder its own folder may
not include (scripts/layers.txt lists the allowed arrows). Usage:
scripts/check-layers.py [ROOT]; prints one line per wrong arrow, exit 1."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
allowed = {}
with open(os.path.join(root, "scripts", "layers.txt"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        folder, sep, deps = line.partition(":")
        if not sep:
            sys.exit(f"scripts/layers.txt:{n}: expected 'FOLDER: FOLDERS', got {line!r}")
        allowed[folder.strip()] = set(deps.split())

src_libs = {f[len("src/"):] for f in allowed if f.startswith("src/")}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of_header(path):
    """The folder an include names: "git/x.hpp" is src/git, "agent/cli/x.hpp" is agent/cli."""
    first = path.split("/", 1)[0]
    if first in src_libs:
        return "src/" + first
    return os.path.dirname(path) or None


wrong = []
for folder in sorted(allowed):
    directory = os.path.join(root, folder)
    if not os.path.isdir(directory):
        wrong.append(f"{folder}: listed in scripts/layers.txt but not in the tree")
        continue
    for name in sorted(os.listdir(directory)):
        if not name.endswith((".cpp", ".hpp")):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = include.match(line)
                if not m:
                    continue
                target = folder_of_header(m.group(1))
                if target is None or target == folder or target not in allowed:
                    continue
                if target not in allowed[folder]:
                    wrong.append(f"{folder}/{name}:{n}: includes {m.group(1)} ({folder} -> {target} is not an allowed arrow)")

for folder in sorted(os.listdir(os.path.join(root, "src"))):
    if os.path.isdir(os.path.join(root, "src", folder)) and "src/" + folder not in allowed:
        wrong.append(f"src/{folder}: a library folder missing from scripts/layers.txt")

for w in wrong:
    print(w)
if wrong:
    print(f"{len(wrong)} include(s) against the layers (scripts/layers.txt)", file=sys.stderr)
    sys.exit(1)

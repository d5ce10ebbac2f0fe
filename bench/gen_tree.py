#!/usr/bin/env python3
"""Generate a large synthetic source tree for the repo-map benchmark.

Writes N source files (default 70,000) in C, C++, Python, JavaScript,
TypeScript, Go, Rust and Java under OUT, each defining a class or struct with
methods, free functions and a constant, and calling definitions of other
files (popularity is skewed, so some files are used far more than others).
Then makes OUT a git repository with one commit, as the map reads the index.

    python3 bench/gen_tree.py /tmp/tree70k            # 70,000 files
    python3 bench/gen_tree.py /tmp/tree1k --files 1000 --no-git

Deterministic for a given --seed.
"""
import argparse
import os
import random
import subprocess
import sys

WORDS = ("config parser buffer stream token cache index query router handler session "
         "record schema widget layout render socket packet frame codec matrix vector "
         "graph node edge store batch queue worker task job event signal metric trace "
         "report policy filter table column cursor commit branch patch tree blob").split()

LANGS = [  # (extension, weight)
    ("cpp", 18), ("h", 7), ("c", 4), ("py", 20), ("js", 9), ("ts", 11),
    ("go", 12), ("rs", 10), ("java", 9),
]


def camel(*parts):
    return "".join(p.capitalize() for p in parts)


def snake(*parts):
    return "_".join(parts)


class Module:
    def __init__(self, idx, rng):
        self.idx = idx
        a, b = rng.sample(WORDS, 2)
        self.a, self.b = a, b
        self.cls = camel(a, b) + str(idx)
        self.methods = [snake(rng.choice(WORDS), "op", str(k)) for k in range(rng.randint(2, 5))]
        self.funcs = [snake(rng.choice(WORDS), rng.choice(WORDS), str(idx), str(k))
                      for k in range(rng.randint(2, 4))]
        self.const = "K_" + a.upper() + "_" + str(idx)
        ext = rng.choices([e for e, _ in LANGS], weights=[w for _, w in LANGS])[0]
        self.ext = ext
        # ~2,000 directories of ~35 files, like a large real tree.
        self.path = "%s/%s/%s_%s_%d.%s" % ("lib%02d" % (idx % 40), b, a, b, idx, ext)


def body_lines(rng, calls, indent, stmt):
    out = []
    for c in calls:
        out.append(indent + stmt(c, rng))
        if rng.random() < 0.5:
            out.append(indent + "// " + " ".join(rng.sample(WORDS, 6)) if stmt.__name__ != "py" else
                       indent + "# " + " ".join(rng.sample(WORDS, 6)))
    return out


def py(call, rng):
    return "value = %s(value, %d)  # %s" % (call, rng.randint(0, 99), rng.choice(WORDS))


def cstyle(call, rng):
    return "value = %s(value, %d); /* %s */" % (call, rng.randint(0, 99), rng.choice(WORDS))


def render(m, calls, rng):
    """Source text of module m calling `calls` (names defined elsewhere)."""
    per = max(1, len(calls) // (len(m.methods) + len(m.funcs)))
    chunks = [calls[i:i + per] for i in range(0, len(calls), per)] or [[]]
    pick = lambda i: chunks[i % len(chunks)]
    e = m.ext
    L = []
    if e == "py":
        L += ['"""%s %s module."""' % (m.a, m.b), "import os", "", "%s = %d" % (m.const, m.idx), "",
              "class %s:" % m.cls, '    """Handles %s for %s."""' % (m.a, m.b), ""]
        for i, meth in enumerate(m.methods):
            L += ["    def %s(self, value, limit=10):" % meth]
            L += body_lines(rng, pick(i), "        ", py) + ["        return value", ""]
        for i, f in enumerate(m.funcs):
            L += ["def %s(value, options=None):" % f]
            L += body_lines(rng, pick(i + 7), "    ", py) + ["    return value", ""]
    elif e in ("c", "h", "cpp"):
        guard = m.cls.upper()
        if e == "h":
            L += ["#ifndef %s_H" % guard, "#define %s_H" % guard, ""]
        L += ["#include <stdint.h>", "#define %s %d" % (m.const, m.idx), ""]
        if e == "c":
            L += ["struct %s {" % m.cls, "    int count;", "    const char *name;", "};", ""]
            for i, f in enumerate(m.methods + m.funcs):
                L += ["int %s(struct %s *self, int value)" % (f, m.cls), "{"]
                L += body_lines(rng, pick(i), "    ", cstyle) + ["    return value;", "}", ""]
        else:
            L += ["namespace %s {" % m.a, "", "class %s {" % m.cls, " public:",
                  "  explicit %s(int size);" % m.cls]
            for meth in m.methods:
                L += ["  int %s(int value) const;" % meth]
            L += [" private:", "  int size_ = 0;", "};", ""]
            for i, meth in enumerate(m.methods):
                L += ["int %s::%s(int value) const {" % (m.cls, meth)]
                L += body_lines(rng, pick(i), "  ", cstyle) + ["  return value;", "}", ""]
            for i, f in enumerate(m.funcs):
                L += ["int %s(int value, const char* label) {" % f]
                L += body_lines(rng, pick(i + 7), "  ", cstyle) + ["  return value;", "}", ""]
            L += ["}  // namespace %s" % m.a]
        if e == "h":
            L += ["", "#endif"]
    elif e in ("js", "ts"):
        t = e == "ts"
        L += ["import { helper } from './helper';", "",
              "export const %s = %d;" % (m.const, m.idx), ""]
        if t:
            L += ["export interface %sOptions {" % m.cls, "  limit: number;", "  name?: string;", "}", ""]
        L += ["export class %s {" % m.cls]
        for i, meth in enumerate(m.methods):
            L += ["  %s(value%s) {" % (meth, ": number" if t else "")]
            L += body_lines(rng, pick(i), "    ", cstyle) + ["    return value;", "  }", ""]
        L += ["}", ""]
        for i, f in enumerate(m.funcs):
            if i % 2:
                L += ["export const %s = (value%s) => {" % (f, ": number" if t else "")]
            else:
                L += ["export function %s(value%s) {" % (f, ": number" if t else "")]
            L += body_lines(rng, pick(i + 7), "  ", cstyle) + ["  return value;", "}" + (";" if i % 2 else ""), ""]
    elif e == "go":
        L += ["package %s" % m.b, "", "import \"fmt\"", "", "const %s = %d" % (camel(m.const.lower()), m.idx), "",
              "type %s struct {" % m.cls, "\tcount int", "\tname  string", "}", ""]
        for i, meth in enumerate(m.methods):
            L += ["func (s *%s) %s(value int) int {" % (m.cls, meth)]
            L += body_lines(rng, pick(i), "\t", cstyle) + ["\treturn value", "}", ""]
        for i, f in enumerate(m.funcs):
            L += ["func %s(value int) int {" % f, "\tfmt.Println(\"%s\")" % f]
            L += body_lines(rng, pick(i + 7), "\t", cstyle) + ["\treturn value", "}", ""]
    elif e == "rs":
        L += ["use std::fmt;", "", "pub const %s: i64 = %d;" % (m.const, m.idx), "",
              "#[derive(Debug, Clone)]", "pub struct %s {" % m.cls, "    count: usize,", "}", "",
              "impl %s {" % m.cls]
        for i, meth in enumerate(m.methods):
            L += ["    pub fn %s(&self, value: i64) -> i64 {" % meth]
            L += body_lines(rng, pick(i), "        ", cstyle) + ["        value", "    }", ""]
        L += ["}", ""]
        for i, f in enumerate(m.funcs):
            L += ["pub fn %s(value: i64) -> i64 {" % f]
            L += body_lines(rng, pick(i + 7), "    ", cstyle) + ["    value", "}", ""]
    else:  # java
        L += ["package %s.%s;" % (m.a, m.b), "", "import java.util.List;", "",
              "public class %s {" % m.cls, "    public static final int %s = %d;" % (m.const, m.idx), ""]
        for i, meth in enumerate(m.methods + m.funcs):
            L += ["    public int %s(int value) {" % meth]
            L += body_lines(rng, pick(i), "        ", cstyle) + ["        return value;", "    }", ""]
        L += ["}"]
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=70000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--calls", type=int, default=24, help="calls into other files per file")
    ap.add_argument("--no-git", action="store_true", help="do not create the git repository")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit("gen_tree: %s exists and is not empty" % args.out)
    mods = [Module(i, rng) for i in range(args.files)]
    total = 0
    for m in mods:
        calls = []
        for _ in range(args.calls):
            # Skewed popularity: low indices are used much more often.
            j = min(int(rng.paretovariate(1.1)) - 1, args.files - 1) if rng.random() < 0.5 \
                else rng.randrange(args.files)
            o = mods[j]
            calls.append(rng.choice(o.funcs + o.methods))
        text = render(m, calls, rng)
        path = os.path.join(args.out, m.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        total += len(text)
    print("gen_tree: %d files, %.1f MB in %s" % (args.files, total / 1e6, args.out))
    if not args.no_git:
        env = dict(os.environ, GIT_AUTHOR_NAME="gen", GIT_AUTHOR_EMAIL="gen@example.com",
                   GIT_COMMITTER_NAME="gen", GIT_COMMITTER_EMAIL="gen@example.com")
        subprocess.run(["git", "init", "-q", args.out], check=True)
        subprocess.run(["git", "-C", args.out, "add", "-A"], check=True)
        subprocess.run(["git", "-C", args.out, "commit", "-q", "-m", "generated tree"], check=True, env=env)
        # A refreshed index vouches for every file (no racily-clean entries).
        subprocess.run(["git", "-C", args.out, "update-index", "--really-refresh", "-q"], check=False)
        print("gen_tree: committed")


if __name__ == "__main__":
    main()

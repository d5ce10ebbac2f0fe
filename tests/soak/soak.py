#!/usr/bin/env python3
"""soak.py: runs `diffsmith run` many times against tests/mock/mock_openai.py
with faults chosen at random per request, kills some runs with SIGINT or
SIGTERM at a random moment, and checks after every run that nothing was lost.

Usage:
    python3 tests/soak/soak.py [--runs 200] [--seed N] [--jobs 2]
                               [--binary build/diffsmith] [--keep-failed DIR]
                               [--quiet]

Each run gets a fresh repository (a small Python project whose add() is
wrong), a user's uncommitted work seeded before the run (a modified tracked
file, a staged new file, an untracked file; the run passes --allow-dirty),
and its own mock server with a random script. Every request the client makes
consumes the next script entry, so retries meet new faults:
    429 / 500 / 502 / 503 (retry-after-ms: 20), reset mid-stream, a malformed
    event, a stall past the idle timeout (--idle-timeout 1),
and model turns: a malformed edit block, a block whose SEARCH misses, a
read_file call, harmless edits, edits in plain text, the fix, finish.
About a third of the test commands leave a background process behind.

After every run:
  - `git fsck --no-dangling` is clean;
  - no lock is left (.git/diffsmith/lock, .git/index.lock, any *.lock in .git);
  - every file in the work tree is one the run could produce whole: calc.py is
    the original with some subset of the scripted line edits, new files hold
    exactly their scripted content, nothing else exists (no temp files);
  - no process started by the run is still alive (matched by a per-run marker
    in the test command line);
  - the user's uncommitted work is intact, and after `diffsmith undo` the
    whole work tree and index are exactly as seeded;
  - the API key appears nowhere in stdout, stderr or the trajectory files.
Exit status 0 when every check of every run passed; 1 otherwise. The summary
(counts of outcomes, faults served, checks) is printed at the end.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MOCK = os.path.join(ROOT, "tests", "mock", "mock_openai.py")

CALC = '''"""A tiny calculator."""


def add(a, b):
    return a - b


def mul(a, b):
    return a * b
'''
TEST = '''import sys
import time

from calc import add, mul

time.sleep(0.15)  # a window for signals to land while the tests run
assert mul(2, 3) == 6, "mul(2, 3) should be 6"
assert add(2, 3) == 5, "add(2, 3) should be 5, got %r" % add(2, 3)
print("ok", sys.argv[1:])
'''
NOTES = "# Notes\n\nremember the milk\n"

# Line edits on distinct lines of calc.py: any subset may be applied.
EDITS = {
    "fix": ("    return a - b\n", "    return a + b\n"),
    "doc": ('"""A tiny calculator."""\n', '"""A tiny calculator, soaked."""\n'),
    "mul": ("    return a * b\n", "    return b * a\n"),
}
NEW_FILE = ("extra/new mod\u00e9.py", "X = 1\n")  # a path with a space and unicode


def calc_variants():
    out = set()
    names = list(EDITS)
    for mask in range(1 << len(names)):
        text = CALC
        for i, n in enumerate(names):
            if mask & (1 << i):
                text = text.replace(EDITS[n][0], EDITS[n][1])
        out.add(text)
    return out


CALC_VARIANTS = calc_variants()


def sr_block(path, search, replace, fence=True):
    body = "<<<<<<< SEARCH\n%s=======\n%s>>>>>>> REPLACE\n" % (search, replace)
    return "%s\n```python\n%s```\n" % (path, body) if fence else "%s\n%s" % (path, body)


# ---- the random script --------------------------------------------------

TRANSPORT_FAULTS = ["429", "500", "502", "503", "reset_mid_stream", "malformed_event", "stall"]


def fault_entry(kind, rng):
    shape = {"text": "Working on it. " * rng.randint(1, 20), "fragment": rng.randint(2, 9)}
    if kind == "429":
        return {"status": 429, "headers": {"retry-after-ms": "20"},
                "body": {"error": {"message": "Rate limit reached for requests", "type": "requests",
                                   "code": "rate_limit_exceeded"}}, "_kind": kind}
    if kind in ("500", "502", "503"):
        return {"status": int(kind), "headers": {"retry-after-ms": "20"}, "_kind": kind}
    e = dict(shape, fault=kind, _kind=kind)
    if kind == "stall":
        e["seconds"] = 2.5  # past --idle-timeout 1
    return e


def call(name, args):
    return {"name": name, "arguments": args}


def model_entry(kind, rng, state):
    """One scripted model turn; `state` tracks which edits were already sent."""
    if kind == "malformed":
        bad = rng.choice([
            "calc.py\n```python\n<<<<<<< SEARCH\n    return a - b\n    return a + b\n>>>>>>> REPLACE\n```\n",
            "calc.py\n```python\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n```\n",
            "```python\n<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE\n```\n",
            "calc.py\n\x00\xff<<<<<<< SEARCH\n\ufffd\n=======\n>>>>>>> REPLACE\n"])
        if rng.random() < 0.5:
            return {"tool_calls": [call("apply_edits", {"edits": bad})], "_kind": "malformed_block"}
        return {"text": "Here is the fix:\n" + bad, "_kind": "malformed_block"}
    if kind == "miss":
        block = sr_block("calc.py", "    return a ** b\n", "    return a + b\n")
        return {"tool_calls": [call("apply_edits", {"edits": block})], "_kind": "missing_block"}
    if kind == "read":
        return {"tool_calls": [call("read_file", {"path": rng.choice(["calc.py", "test_calc.py"])})],
                "_kind": "read"}
    if kind == "harmless":
        name = rng.choice(["doc", "mul"])
        search, replace = EDITS[name]
        if name in state:  # already applied: resend the reverse is not harmless; resend as is (it misses)
            pass
        state.add(name)
        blocks = sr_block("calc.py", search, replace)
        if rng.random() < 0.4 and "new" not in state:
            state.add("new")
            blocks += sr_block(NEW_FILE[0], "", NEW_FILE[1])
        if rng.random() < 0.5:
            return {"text": "A small cleanup first.\n\n" + blocks, "_kind": "harmless_edit_text"}
        return {"tool_calls": [call("apply_edits", {"edits": blocks})], "_kind": "harmless_edit"}
    if kind == "fix":
        state.add("fix")
        search, replace = EDITS["fix"]
        return {"tool_calls": [call("apply_edits", {"edits": sr_block("calc.py", search, replace)})],
                "_kind": "fix"}
    return {"tool_calls": [call("finish", {"summary": "Fixed add()."})], "_kind": "finish"}


def make_script(rng):
    entries = []
    state = set()
    fix_at = rng.randint(1, 9)  # the model turn that carries the fix (> 7: never)
    turns = 0
    while turns < 8:
        if rng.random() < 0.35:
            entries.append(fault_entry(rng.choice(TRANSPORT_FAULTS), rng))
            continue
        if turns == fix_at:
            kind = "fix"
        else:
            kind = rng.choice(["malformed", "miss", "read", "harmless", "harmless", "finish"])
        entries.append(model_entry(kind, rng, state))
        turns += 1
    return entries


# ---- one run ------------------------------------------------------------

def git(repo, *args, check=True, capture=True):
    r = subprocess.run(["git", "-C", repo] + list(args), capture_output=capture, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("git %s failed: %s" % (" ".join(args), r.stderr))
    return r


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def tree_files(repo):
    out = {}
    for dirpath, dirnames, names in os.walk(repo):
        if ".git" in dirnames and os.path.samefile(dirpath, repo):
            dirnames.remove(".git")
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.relpath(p, repo)] = read_bytes(p)
    return out


def snapshot(repo):
    """Work tree bytes + index + HEAD: equal snapshots mean the same state."""
    return (tree_files(repo), git(repo, "ls-files", "-s").stdout, git(repo, "rev-parse", "HEAD").stdout)


def marker_processes(marker):
    """Live (non-zombie) processes whose command line holds `marker`."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmd and state not in ("Z", "X"):
            found.append((int(pid), cmd.replace(b"\0", b" ").decode(errors="replace")))
    return found


class Mock:
    def __init__(self, script, workdir):
        self.dir = os.path.join(workdir, "mock")
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, "script.json"), "w") as f:
            json.dump([{k: v for k, v in e.items() if k != "_kind"} for e in script], f)
        self.proc = subprocess.Popen(
            [sys.executable, MOCK, "--script", os.path.join(self.dir, "script.json"), "--log", self.dir,
             "--port", "0", "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise RuntimeError("mock server did not start: %r" % line)
        self.port = int(line.split()[1])

    def served(self):
        try:
            with open(os.path.join(self.dir, "requests.jsonl")) as f:
                lines = [l for l in f if l.strip()]
        except OSError:
            return []
        # The mock may be writing its last line right now (a loaded machine):
        # a partial last line is not a request yet.
        out = []
        for i, l in enumerate(lines):
            try:
                out.append(json.loads(l))
            except ValueError:
                if i != len(lines) - 1:
                    raise
        return out

    def stop(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def one_run(i, seed, binary, keep_failed, kill_rate):
    rng = random.Random(seed)
    res = {"run": i, "seed": seed, "failures": [], "faults": collections.Counter(), "turn_kinds": collections.Counter()}
    work = tempfile.mkdtemp(prefix="ds-soak-")
    repo = os.path.join(work, "repo")
    home = os.path.join(work, "home")
    os.makedirs(home)
    mock = None
    try:
        # The repository and the user's uncommitted work.
        os.makedirs(repo)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "config", "user.name", "Soak")
        git(repo, "config", "user.email", "soak@example.com")
        write(os.path.join(repo, "calc.py"), CALC)
        write(os.path.join(repo, "test_calc.py"), TEST)
        write(os.path.join(repo, "notes.md"), NOTES)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "initial")
        write(os.path.join(repo, "notes.md"), NOTES + "user's uncommitted line %d\n" % rng.randint(0, 10**6))
        write(os.path.join(repo, "staged.txt"), "staged by the user %d\n" % rng.randint(0, 10**6))
        git(repo, "add", "staged.txt")
        write(os.path.join(repo, "scratch", "todo \u2713.txt"), "untracked %d\n" % rng.randint(0, 10**6))
        start = snapshot(repo)
        user_files = {p: b for p, b in start[0].items() if p in ("notes.md", "staged.txt", "scratch/todo \u2713.txt")}

        script = make_script(rng)
        mock = Mock(script, work)
        marker = "soakmark%d_%d" % (i, rng.randint(0, 10**9))
        test_cmd = "python3 test_calc.py %s" % marker
        if rng.random() < 0.33:  # a test command that leaves a daemon behind
            test_cmd += "; (python3 -c 'import time; time.sleep(60)' %s >/dev/null 2>&1 &)" % marker
        key = "sk-soak-%016x" % rng.getrandbits(64)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "AZURE_", "DIFFSMITH_")) and k not in ("HOME", "XDG_CONFIG_HOME")}
        env.update({"HOME": home, "NO_COLOR": "1", "OPENAI_API_KEY": key})
        argv = [binary, "run", "Fix add() in calc.py so that the tests pass.", "-t", test_cmd,
                "--base-url", "http://127.0.0.1:%d/v1" % mock.port, "--allow-dirty", "--json",
                "--idle-timeout", "1", "--max-retries", "3", "--max-retry-wait", "4", "--max-turns", "6",
                "--test-timeout", "20", "--map-tokens", rng.choice(["0", "1024"])]
        # The signal lands at a random moment of the run's life: after the
        # mock has seen 0-3 requests (so before the first request, while a
        # reply streams, while edits apply or tests run), plus 0-400 ms.
        kill = None
        if rng.random() < kill_rate:
            kill = (rng.choice([signal.SIGINT, signal.SIGTERM]), rng.randint(0, 3), rng.uniform(0, 0.4))
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, cwd=repo, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        killed_at = None
        if kill:
            while proc.poll() is None and len(mock.served()) < kill[1] and time.monotonic() - t0 < 60:
                time.sleep(0.01)
            time.sleep(kill[2])
            if proc.poll() is None:
                proc.send_signal(kill[0])
                killed_at = time.monotonic() - t0
        try:
            out, err = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            res["failures"].append("hang: diffsmith run did not exit within 90 s")
        res["seconds"] = time.monotonic() - t0
        res["exit"] = proc.returncode
        res["signal"] = signal.Signals(kill[0]).name if killed_at is not None else None
        out_s, err_s = out.decode(errors="replace"), err.decode(errors="replace")

        # What the mock served.
        for req in mock.served():
            n = req.get("entry")
            if n:
                res["turn_kinds" if script[n - 1]["_kind"] not in TRANSPORT_FAULTS else "faults"][script[n - 1]["_kind"]] += 1
        mock.stop()
        mock = None

        allowed_exit = {0, 1, 3} | ({130, -int(kill[0]), 128 + int(kill[0])} if killed_at is not None else set())
        if res["exit"] not in allowed_exit:
            res["failures"].append("unexpected exit code %s; stderr: %s" % (res["exit"], err_s[-600:]))
        if res["exit"] in (0, 1, 3, 130):
            events = [json.loads(l) for l in out_s.splitlines() if l.startswith("{")]
            if not events or events[-1].get("type") != "run_finished":
                res["failures"].append("the last event is not run_finished (exit %s)" % res["exit"])
            else:
                res["status"] = events[-1].get("status")

        # Orphans: give killed process groups a moment to be reaped.
        deadline = time.monotonic() + 2.0
        left = marker_processes(marker)
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = marker_processes(marker)
        if left:
            res["failures"].append("orphaned processes: %s" % left)
            for pid, _ in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

        check_repo(repo, res, user_files, phase="after the run")
        for name, text in (("stdout", out_s), ("stderr", err_s)):
            if key in text:
                res["failures"].append("the API key appears in %s" % name)
        runs_dir = os.path.join(repo, ".git", "diffsmith", "runs")
        if os.path.isdir(runs_dir):
            for n in os.listdir(runs_dir):
                if key.encode() in read_bytes(os.path.join(runs_dir, n)):
                    res["failures"].append("the API key appears in trajectory %s" % n)

        # Undo must bring back exactly the seeded state.
        log = subprocess.run([binary, "log", "--json"], cwd=repo, env=env, capture_output=True, text=True)
        recorded = bool(log.stdout.strip())
        if recorded:
            u = subprocess.run([binary, "undo"], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
            res["undo_exit"] = u.returncode
            if u.returncode != 0:
                res["failures"].append("diffsmith undo failed (%d): %s" % (u.returncode, u.stderr[-400:]))
        after = snapshot(repo)
        if after != start:
            diff = sorted(set(after[0].items()) ^ set(start[0].items()))
            res["failures"].append("after %s the repository differs from the seeded state: files %s index %s" % (
                "undo" if recorded else "a run that recorded nothing",
                sorted({p for p, _ in diff}), after[1] != start[1]))
        check_repo(repo, res, user_files, phase="after undo", files_too=False)
    except Exception as e:  # a soak harness error is a failure too, never a silent pass
        res["failures"].append("harness error: %r" % (e,))
    finally:
        if mock:
            mock.stop()
        if res["failures"] and keep_failed:
            dest = os.path.join(keep_failed, "run-%03d" % i)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(work, dest, symlinks=True)
        shutil.rmtree(work, ignore_errors=True)
    return res


def check_repo(repo, res, user_files, phase, files_too=True):
    fsck = git(repo, "fsck", "--no-dangling", "--no-progress", check=False)
    if fsck.returncode != 0 or "error" in fsck.stderr.lower() or "missing" in fsck.stdout.lower():
        res["failures"].append("git fsck %s: rc %d %s %s" % (phase, fsck.returncode, fsck.stdout[-300:], fsck.stderr[-300:]))
    gitdir = os.path.join(repo, ".git")
    for dirpath, _, names in os.walk(gitdir):
        for n in names:
            if n.endswith(".lock") or (n == "lock" and dirpath.endswith("diffsmith")):
                res["failures"].append("leftover lock %s: %s" % (phase, os.path.relpath(os.path.join(dirpath, n), repo)))
    if not files_too:
        return
    files = tree_files(repo)
    for p, b in files.items():
        if p == "calc.py":
            if b.decode("utf-8", "replace") not in CALC_VARIANTS:
                res["failures"].append("calc.py is not a whole scripted version %s: %r" % (phase, b[:200]))
        elif p == NEW_FILE[0]:
            if b != NEW_FILE[1].encode():
                res["failures"].append("%s is half-written %s: %r" % (p, phase, b))
        elif p == "test_calc.py":
            if b != TEST.encode():
                res["failures"].append("test_calc.py changed %s" % phase)
        elif p in user_files:
            if b != user_files[p]:
                res["failures"].append("the user's uncommitted %s changed %s" % (p, phase))
        else:
            res["failures"].append("unexpected file %s: %s" % (phase, p))
    for p in user_files:
        if p not in files:
            res["failures"].append("the user's uncommitted %s is gone %s" % (p, phase))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None, help="base seed (default: time)")
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "diffsmith"))
    ap.add_argument("--keep-failed", default=None, help="copy the work dirs of failed runs here")
    ap.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    ap.add_argument("--kill-rate", type=float, default=0.3, help="share of runs sent SIGINT/SIGTERM")
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)  # runs happen in other directories
    if not os.access(args.binary, os.X_OK):
        sys.exit("soak: no diffsmith binary at %s (build it, or pass --binary)" % args.binary)
    base = args.seed if args.seed is not None else int(time.time())
    print("soak: %d runs, base seed %d, %d in parallel, binary %s" % (args.runs, base, args.jobs, args.binary),
          flush=True)
    t0 = time.monotonic()
    results = []
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(one_run, i, base * 1000 + i, args.binary, args.keep_failed, args.kill_rate) for i in range(args.runs)]
        for f in concurrent.futures.as_completed(futures):
            r = f.result()
            with lock:
                results.append(r)
                if r["failures"] or not args.quiet:
                    print("run %3d seed %d: exit %s%s %.1fs %s" % (
                        r["run"], r["seed"], r.get("exit"), " after " + r["signal"] if r.get("signal") else "",
                        r.get("seconds", 0), "FAILED: " + " | ".join(r["failures"]) if r["failures"] else "ok"),
                        flush=True)
    elapsed = time.monotonic() - t0
    summarize(results, elapsed)
    return 1 if any(r["failures"] for r in results) else 0


def summarize(results, elapsed):
    exits = collections.Counter(r.get("exit") for r in results)
    status = collections.Counter(r.get("status", "-") for r in results)
    signals = collections.Counter(r["signal"] for r in results if r.get("signal"))
    faults, kinds = collections.Counter(), collections.Counter()
    for r in results:
        faults.update(r["faults"])
        kinds.update(r["turn_kinds"])
    failed = [r for r in results if r["failures"]]
    undone = sum(1 for r in results if r.get("undo_exit") == 0)
    print("\n== soak summary ==")
    print("runs: %d in %.0f s (%.1f s per run); failed checks: %d run(s)" % (
        len(results), elapsed, elapsed / max(1, len(results)), len(failed)))
    print("exit codes: %s" % dict(sorted(exits.items(), key=lambda kv: str(kv[0]))))
    print("final status: %s" % dict(status))
    print("signals sent mid-run: %s" % dict(signals))
    print("transport faults served: %s (total %d)" % (dict(sorted(faults.items())), sum(faults.values())))
    print("model turns served: %s (total %d)" % (dict(sorted(kinds.items())), sum(kinds.values())))
    print("runs restored with diffsmith undo: %d" % undone)
    checks = ["git fsck", "locks", "whole files", "orphans", "user's work", "undo restores", "key not leaked"]
    print("checks per run: %s" % ", ".join(checks))
    for r in failed:
        print("FAILED run %d (seed %d): %s" % (r["run"], r["seed"], " | ".join(r["failures"])))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Where diffsmith's own time goes on bench_codex.sh's fix: the time from its
exec to its first model request, and from its last request to its exit.

  python3 bench/startup_phases.py [--runs N] [--first-run] BINARY [BINARY ...]

Each run: the 3-file repository, the mock model with diffsmith's two
replies (read_file, apply_edits), `-t` with the grep test, under
`strace -f --seccomp-bpf -e trace=execve,sendto,exit_group` (only those
calls are stopped, so the figures are close to an untraced run's). The
binaries alternate; medians. --first-run deletes .git/diffsmith entirely
before each run (no remembered sandbox probe); otherwise everything but
.git/diffsmith/sandbox-probe goes, as in bench_codex.sh."""
import json, os, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
mock_py = os.path.join(here, "..", "tests", "mock", "mock_openai.py")
TEST_CMD = "grep -q 'status = fixed' bug.txt"
SCRIPT = [
    {"tool_calls": [{"name": "read_file", "arguments": {"path": "bug.txt"}}]},
    {"tool_calls": [{"name": "apply_edits", "arguments": {"edits":
        "bug.txt\n```\n<<<<<<< SEARCH\nstatus = broken\n=======\nstatus = fixed\n>>>>>>> REPLACE\n```\n"}}]},
]

args = sys.argv[1:]
runs, first_run = 7, False
if "--runs" in args:
    i = args.index("--runs"); runs = int(args[i + 1]); del args[i:i + 2]
if "--first-run" in args:
    args.remove("--first-run"); first_run = True
if not args:
    sys.exit(__doc__)
bins = [os.path.realpath(b) for b in args]

work = tempfile.mkdtemp(prefix="ds-phases-", dir="/var/tmp")
repo, home, log = (os.path.join(work, d) for d in ("repo", "home", "log"))
for d in (repo, home, log):
    os.makedirs(d)
sh = lambda cmd: subprocess.run(cmd, cwd=repo, shell=True, check=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
sh("git init -q -b main")
for name, text in {"README.md": "# tiny\n", "main.py": "def main():\n    return 0\n",
                   "bug.txt": "name = bench\nstatus = broken\n"}.items():
    open(os.path.join(repo, name), "w").write(text)
sh("git -c user.name=b -c user.email=b@e add -A && git -c user.name=b -c user.email=b@e commit -qm r")
script = os.path.join(work, "script.json")
json.dump(SCRIPT, open(script, "w"))


def one(binary):
    sh("git reset -q --hard && git clean -fdq")
    sh("git for-each-ref --format='%(refname)' refs/diffsmith | xargs -r -n1 git update-ref -d")
    if first_run:
        sh("rm -rf .git/diffsmith")
    else:
        sh("find .git/diffsmith -mindepth 1 -maxdepth 1 ! -name sandbox-probe -exec rm -rf {} + 2>/dev/null || true")
    mock = subprocess.Popen([sys.executable, mock_py, "--script", script, "--log", log], stdout=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)
    try:
        port = int(mock.stdout.readline().split()[1])
        trace = os.path.join(work, "trace")
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "OPENAI_API_KEY": "sk-bench"}
        p = subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-e", "trace=execve,sendto,exit_group", "-o",
                            trace, binary, "run", "Fix bug.txt", "-t", TEST_CMD, "--base-url",
                            "http://127.0.0.1:%d/v1" % port, "--wire-api", "responses", "--json"],
                           cwd=repo, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    finally:
        mock.terminate()
        mock.wait()
    if p.returncode != 0:
        sys.exit("startup_phases: %s failed (exit %d):\n%s" % (binary, p.returncode, p.stderr[-2000:]))
    lines = [l.split(None, 2) for l in open(trace).read().splitlines()]
    main, t0 = lines[0][0], float(lines[0][1])
    posts = [float(l[1]) for l in lines if l[0] == main and "POST /v1" in l[2]]
    end = [float(l[1]) for l in lines if l[0] == main and l[2].startswith("exit_group")][-1]
    return (posts[0] - t0) * 1000, (end - posts[-1]) * 1000, (end - t0) * 1000


res = {b: [] for b in bins}
for b in bins:
    one(b)  # warm-up (and, without --first-run, the probe remembered)
for _ in range(runs):
    for b in bins:
        res[b].append(one(b))
subprocess.run(["rm", "-rf", work])
print("median of %d runs each, alternating%s; load average %.1f" %
      (runs, ", .git/diffsmith deleted before each" if first_run else "", os.getloadavg()[0]))
print("| binary | exec → first request | last request → exit | exec → exit |")
print("|---|---|---|---|")
for b, v in res.items():
    m = [statistics.median(x[i] for x in v) for i in range(3)]
    print("| %s | %.0f ms | %.0f ms | %.0f ms |" % (b, *m))

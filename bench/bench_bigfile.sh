#!/bin/bash
# bench_bigfile.sh: peak memory of a `diffsmith run` whose model runs one
# command that writes a big sparse file (issue 21, item 2), against the
# scripted mock model (tests/mock/mock_openai.py). Turn 1: run_command
# `truncate -s SIZE big.bin`; turn 2: finish. The test command is `true`, so
# the run is in change mode and ends at the finish.
#
# For each SIZE it prints the peak RSS (/usr/bin/time -v), the wall time, the
# size of the run's trajectory and of stdout, whether stdout or the
# trajectory hold a NUL escape (\u0000), and whether `diffsmith undo` then
# removes big.bin.
#
#   bench/bench_bigfile.sh [DIFFSMITH_BINARY] [SIZE...]
#     DIFFSMITH_BINARY  default: build/diffsmith
#     SIZE              truncate sizes (default: 600M 1500M)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/diffsmith}")
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(600M 1500M)
[ -x "$bin" ] || { echo "bench_bigfile.sh: no diffsmith binary at $bin; build it first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_bigfile.sh: /usr/bin/time is needed for peak RSS (apt install time)" >&2; exit 2; }

work=$(mktemp -d /tmp/ds-bench-big-XXXXXX)
trap 'rm -rf "$work"' EXIT

exec python3 - "$bin" "$work" "$here" "${sizes[@]}" <<'PY'
import json, os, re, subprocess, sys, time

bin_, work, here, sizes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
mock_py = os.path.join(here, "..", "tests", "mock", "mock_openai.py")

def sh(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def one_run(size):
    repo = os.path.join(work, "repo-" + size)
    os.makedirs(repo)
    sh("git init -q -b main && git config user.name bench && git config user.email bench@example.com", repo)
    with open(os.path.join(repo, "a.txt"), "w") as f:
        f.write("hello\n")
    sh("git add -A && git commit -qm base", repo)
    script = os.path.join(work, "script-%s.json" % size)
    with open(script, "w") as f:
        json.dump([{"tool_calls": [{"name": "run_command", "arguments": {"command": "truncate -s %s big.bin" % size}}]},
                   {"tool_calls": [{"name": "finish", "arguments": {"summary": "made big.bin"}}]}], f)
    log = os.path.join(work, "log-" + size)
    os.makedirs(log)
    mock = subprocess.Popen([sys.executable, mock_py, "--script", script, "--log", log],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        port = int(mock.stdout.readline().split()[1])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DIFFSMITH_", "AZURE_"))}
        env["HOME"] = work
        tfile = os.path.join(work, "time-%s.txt" % size)
        out = os.path.join(work, "stdout-%s" % size)
        t0 = time.monotonic()
        with open(out, "wb") as o:
            p = subprocess.run(os.environ.get("BENCH_PREFIX", "").split() + ["/usr/bin/time", "-v", "-o", tfile, bin_, "run", "make a big file", "-t", "true",
                                "--base-url", "http://127.0.0.1:%d/v1" % port],
                               cwd=repo, env=env, stdout=o, stderr=subprocess.PIPE)
        wall = time.monotonic() - t0
    finally:
        mock.terminate()
        mock.wait()
    tv = open(tfile).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1))
    signal = re.search(r"Command terminated by signal (\d+)", tv)
    runs = os.path.join(repo, ".git", "diffsmith", "runs")
    traj = sum(os.path.getsize(os.path.join(runs, n)) for n in os.listdir(runs)) if os.path.isdir(runs) else 0
    nul = False
    for path in [out] + ([os.path.join(runs, n) for n in os.listdir(runs)] if os.path.isdir(runs) else []):
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                if b"\\u0000" in chunk or b"\0" in chunk:
                    nul = True
                    break
    undo = subprocess.run([bin_, "undo"], cwd=repo, env=env, capture_output=True)
    removed = undo.returncode == 0 and not os.path.exists(os.path.join(repo, "big.bin"))
    print("| %s | %s | %.1f MB | %.1f s | %.1f MB | %.1f MB | %s | %s |" % (
        size, ("exit %d" % p.returncode) if not signal else "killed by signal " + signal.group(1),
        rss / 1024, wall, traj / 1e6, os.path.getsize(out) / 1e6, "yes" if nul else "no",
        "yes" if removed else "no (exit %d)" % undo.returncode))
    sys.stdout.flush()
    sh("rm -rf " + repo, work)

print("| file | diffsmith run | peak RSS | wall | trajectory | stdout | NUL escapes | undo removes it |")
print("|---|---|---|---|---|---|---|---|")
for s in sizes:
    one_run(s)
PY

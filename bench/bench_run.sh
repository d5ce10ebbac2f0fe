#!/bin/bash
# bench_run.sh: whole-run overhead of `diffsmith run` against a zero-latency
# scripted mock model (tests/mock/mock_openai.py) on a 3-turn task: read a
# file, a wrong edit (the tests fail), the right edit (they pass).
#
# For each run it reports wall time, the time spent in the test command
# (from the --json `tests` events), the time spent waiting for the model
# (the `model_turn` latencies: HTTP to the local mock and its python), what
# is left (diffsmith's own work: config, repo overview + map, edits,
# checkpoints, diff), and from /usr/bin/time -v the CPU time (user + system,
# test commands included) and the peak RSS.
#
#   bench/bench_run.sh [DIFFSMITH_BINARY] [RUNS] [FILES]
#     DIFFSMITH_BINARY  default: build/diffsmith
#     RUNS              runs per repository size (default 10; the median is reported)
#     FILES             size of the larger generated repository (default 2000 files)
#
# Two repositories: a tiny one (3 files) and one of FILES generated source
# files (bench/gen_tree.py), since the repo overview, the map and the
# checkpoints scale with the tree. The larger one is timed with the repo-map
# cache (.git/diffsmith/repomap.*) kept from the previous run, as in repeated
# use, and with it removed before every run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/diffsmith}")
runs=${2:-10}
files=${3:-2000}
[ -x "$bin" ] || { echo "bench_run.sh: no diffsmith binary at $bin; build it first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_run.sh: /usr/bin/time is needed for peak RSS (apt install time)" >&2; exit 2; }

work=$(mktemp -d /tmp/ds-bench-run-XXXXXX)
trap 'rm -rf "$work"' EXIT

exec python3 - "$bin" "$runs" "$files" "$work" "$here" <<'PY'
import json, os, re, statistics, subprocess, sys, time

bin_, runs, nfiles, work, here = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
mock_py = os.path.join(here, "..", "tests", "mock", "mock_openai.py")

def sh(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def block(search, replace):
    return "bug.txt\n```\n<<<<<<< SEARCH\n%s=======\n%s>>>>>>> REPLACE\n```\n" % (search, replace)

SCRIPT = [
    {"tool_calls": [{"name": "read_file", "arguments": {"path": "bug.txt"}}]},
    {"tool_calls": [{"name": "apply_edits", "arguments": {"edits": block("status = broken\n", "status = almost\n")}}]},
    {"tool_calls": [{"name": "apply_edits", "arguments": {"edits": block("status = almost\n", "status = fixed\n")}}]},
]
TEST_CMD = "grep -q 'status = fixed' bug.txt"

def make_repo(path, generated):
    if generated:
        subprocess.run([sys.executable, os.path.join(here, "gen_tree.py"), path, "--files", str(generated)],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        os.makedirs(path)
        sh("git init -q -b main", path)
        with open(os.path.join(path, "README.md"), "w") as f:
            f.write("# tiny\n")
        with open(os.path.join(path, "main.py"), "w") as f:
            f.write("def main():\n    return 0\n")
    with open(os.path.join(path, "bug.txt"), "w") as f:
        f.write("name = bench\nstatus = broken\n")
    sh("git config user.name bench && git config user.email bench@example.com", path)
    sh("git add -A && git commit -qm 'bench repo'", path)

def reset(path, cold):
    """Back to the committed state; drop the run records, and the repo-map caches when cold."""
    sh("git reset -q --hard && git clean -fdq", path)
    sh("git for-each-ref --format='%(refname)' refs/diffsmith | xargs -r -n1 git update-ref -d", path)
    sh("rm -rf .git/diffsmith/runs" + (" .git/diffsmith/repomap.*" if cold else ""), path)

def one_run(repo):
    log = os.path.join(work, "mock-log")
    os.makedirs(log, exist_ok=True)
    script = os.path.join(work, "script.json")
    with open(script, "w") as f:
        json.dump(SCRIPT, f)
    mock = subprocess.Popen([sys.executable, mock_py, "--script", script, "--log", log],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        port = int(mock.stdout.readline().split()[1])
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "DIFFSMITH_", "AZURE_"))}
        env["HOME"] = work
        tfile = os.path.join(work, "time.txt")
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile, bin_, "run", "fix bug.txt", "-t", TEST_CMD,
                            "--base-url", "http://127.0.0.1:%d/v1" % port, "--json"],
                           cwd=repo, env=env, capture_output=True, text=True)
        wall = time.monotonic() - t0
    finally:
        mock.terminate()
        mock.wait()
    events = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    fin = events[-1] if events else {}
    if p.returncode != 0 or fin.get("status") != "solved" or fin.get("turns") != 3:
        sys.exit("bench_run: the run did not solve the task in 3 turns (exit %d):\n%s" % (p.returncode, p.stderr))
    tests = sum(e["duration_ms"] for e in events if e["type"] == "tests") / 1000
    model = sum(e["latency_ms"] for e in events if e["type"] == "model_turn") / 1000
    tv = open(tfile).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1))
    cpu = sum(float(re.search(r"%s time \(seconds\): ([\d.]+)" % k, tv).group(1)) for k in ("User", "System"))
    ntests = sum(1 for e in events if e["type"] == "tests")
    return {"wall": wall, "tests": tests, "model": model, "own": wall - tests - model, "rss_mb": rss / 1024, "cpu": cpu,
            "ntests": ntests}

def bench(label, repo, cold):
    rows = []
    one_run(repo); reset(repo, cold)  # warms the page cache (and the map cache unless cold)
    for _ in range(runs):
        rows.append(one_run(repo))
        reset(repo, cold)
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print("| %s | %.0f ms | %.0f ms (%d test runs) | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.1f MB |" % (
        label, med["wall"] * 1000, med["tests"] * 1000, med["ntests"], med["model"] * 1000,
        med["own"] * 1000, (med["wall"] - med["tests"]) * 1000, med["cpu"] * 1000, med["rss_mb"]))

tiny = os.path.join(work, "tiny")
big = os.path.join(work, "gen%d" % nfiles)
make_repo(tiny, 0)
make_repo(big, nfiles)
print("diffsmith run, 3 turns against a zero-latency mock; median of %d runs; load average %.1f" %
      (runs, os.getloadavg()[0]))
print()
print("| repository | wall | test command | model requests | diffsmith's own | wall minus tests | CPU | peak RSS |")
print("|---|---|---|---|---|---|---|---|")
bench("3 files", tiny, False)
bench("%d generated files, repo-map cache warm" % nfiles, big, False)
bench("%d generated files, repo-map cache cold" % nfiles, big, True)
PY

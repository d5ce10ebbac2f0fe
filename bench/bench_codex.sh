#!/bin/bash
# bench_codex.sh: diffsmith and Codex CLI side by side on the same scripted
# fix, against the same zero-latency mock model (tests/mock/mock_openai.py,
# Responses API for both).
#
# The repository: 3 files, one of them (bug.txt) says "status = broken"; the
# task: make it say "status = fixed"; the test: grep for it. Each tool gets
# the replies a model would give it for this fix:
#   Codex (4 requests): exec_command `cat bug.txt`; exec_command `apply_patch`
#     (a V4A patch); exec_command running the test; the final message.
#   diffsmith (2 requests): read_file bug.txt; apply_edits (a SEARCH/REPLACE
#     block). diffsmith runs the test itself after the edit and the passing
#     test ends the run, so no third or fourth request is needed.
#   diffsmith, first run in the repository: the same, without the sandbox
#     probe's success remembered in .git/diffsmith (the other diffsmith rows
#     keep it between runs, as a user's next run in the repository does).
#   diffsmith with Codex's 4 steps (--no-test): read_file; apply_edits;
#     run_command running the test; finish. The same requests as Codex's.
# Both run with HOME set to an empty folder (no shell start-up files), in
# their own sandboxes (Codex: workspace-write; diffsmith: bwrap, the default).
#
# Per tool: wall time, CPU (user + system of the whole process tree, from
# /usr/bin/time), peak RSS, requests sent and their bytes (the request JSON as
# logged by the mock). Median of RUNS runs, after one warm-up run each; the two
# tools alternate so that load changes hit both.
#
#   bench/bench_codex.sh CODEX_BINARY [DIFFSMITH_BINARY] [RUNS]
#     CODEX_BINARY      e.g. the `codex` of `npm install @openai/codex` (not
#                       vendored: install it outside the repository)
#     DIFFSMITH_BINARY  default: build/diffsmith
#     RUNS              default 10
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
codex=$(realpath "${1:?usage: bench_codex.sh CODEX_BINARY [DIFFSMITH_BINARY] [RUNS]}")
bin=$(realpath "${2:-build/diffsmith}")
runs=${3:-10}
[ -x "$codex" ] || { echo "bench_codex.sh: no codex binary at $codex" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench_codex.sh: no diffsmith binary at $bin; build it first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench_codex.sh: /usr/bin/time is needed (apt install time)" >&2; exit 2; }

work=$(mktemp -d /var/tmp/ds-bench-codex-XXXXXX)  # Codex refuses some set-up under /tmp
trap 'rm -rf "$work"' EXIT

exec python3 - "$codex" "$bin" "$runs" "$work" "$here" <<'PY'
import json, os, re, statistics, subprocess, sys, time

codex, bin_, runs, work, here = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
mock_py = os.path.join(here, "..", "tests", "mock", "mock_openai.py")
TASK = "Fix bug.txt: its status line must say fixed. Test: grep -q 'status = fixed' bug.txt"
TEST_CMD = "grep -q 'status = fixed' bug.txt"
PATCH = ("apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: bug.txt\n@@\n-status = broken\n"
         "+status = fixed\n*** End Patch\nEOF")
SCRIPTS = {
    "codex": [
        {"tool_calls": [{"name": "exec_command", "arguments": {"cmd": "cat bug.txt"}}]},
        {"tool_calls": [{"name": "exec_command", "arguments": {"cmd": PATCH}}]},
        {"tool_calls": [{"name": "exec_command", "arguments": {"cmd": TEST_CMD + " && echo tests pass"}}]},
        {"text": "Fixed: bug.txt now says status = fixed, and the test passes."},
    ],
    "diffsmith": [
        {"tool_calls": [{"name": "read_file", "arguments": {"path": "bug.txt"}}]},
        {"tool_calls": [{"name": "apply_edits", "arguments": {"edits":
            "bug.txt\n```\n<<<<<<< SEARCH\nstatus = broken\n=======\nstatus = fixed\n>>>>>>> REPLACE\n```\n"}}]},
    ],
    "diffsmith, first run in the repository": None,  # diffsmith's two replies, the probe not remembered
    "diffsmith, Codex's 4 steps": [
        {"tool_calls": [{"name": "read_file", "arguments": {"path": "bug.txt"}}]},
        {"tool_calls": [{"name": "apply_edits", "arguments": {"edits":
            "bug.txt\n```\n<<<<<<< SEARCH\nstatus = broken\n=======\nstatus = fixed\n>>>>>>> REPLACE\n```\n"}}]},
        {"tool_calls": [{"name": "run_command", "arguments": {"command": TEST_CMD + " && echo tests pass"}}]},
        {"tool_calls": [{"name": "finish", "arguments": {"summary": "bug.txt now says status = fixed."}}]},
    ],
}
SCRIPTS["diffsmith, first run in the repository"] = SCRIPTS["diffsmith"]

def sh(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

repo = os.path.join(work, "repo")
os.makedirs(repo)
sh("git init -q -b main", repo)
for name, text in {"README.md": "# tiny\n", "main.py": "def main():\n    return 0\n",
                   "bug.txt": "name = bench\nstatus = broken\n"}.items():
    with open(os.path.join(repo, name), "w") as f:
        f.write(text)
sh("git -c user.name=bench -c user.email=bench@example.com add -A && "
   "git -c user.name=bench -c user.email=bench@example.com commit -qm 'bench repo'", repo)

def reset():
    sh("git reset -q --hard && git clean -fdq", repo)
    sh("git for-each-ref --format='%(refname)' refs/diffsmith | xargs -r -n1 git update-ref -d", repo)
    # Runs, checkpoints, the repo map's caches go; the sandbox probe's
    # remembered success stays, as for a user's next run in the repository.
    sh("find .git/diffsmith -mindepth 1 -maxdepth 1 ! -name sandbox-probe -exec rm -rf {} + 2>/dev/null || true",
       repo)

def one_run(tool):
    home = os.path.join(work, "home-" + tool.split(",")[0])
    sh("rm -rf %s && mkdir -p %s" % (home, home), work)
    log = os.path.join(work, "log")
    sh("rm -rf %s && mkdir -p %s" % (log, log), work)
    if tool == "diffsmith, first run in the repository":
        sh("rm -f .git/diffsmith/sandbox-probe", repo)
    script = os.path.join(work, "script.json")
    with open(script, "w") as f:
        json.dump(SCRIPTS[tool], f)
    mock = subprocess.Popen([sys.executable, mock_py, "--script", script, "--log", log],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        port = int(mock.stdout.readline().split()[1])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DIFFSMITH_", "AZURE_", "CODEX_"))}
        env["HOME"] = home
        base = "http://127.0.0.1:%d/v1" % port
        if tool == "codex":
            env["CODEX_HOME"] = home
            env["OPENAI_API_KEY"] = "sk-bench"
            with open(os.path.join(home, "config.toml"), "w") as f:
                f.write('model = "gpt-4.1"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\n'
                        'base_url = "%s"\nwire_api = "responses"\nenv_key = "OPENAI_API_KEY"\n' % base)
            cmd = [codex, "exec", "--skip-git-repo-check", "-s", "workspace-write", TASK]
        else:
            env["OPENAI_API_KEY"] = "sk-bench"
            tests = ["--no-test"] if tool == "diffsmith, Codex's 4 steps" else ["-t", TEST_CMD]
            cmd = [bin_, "run", TASK] + tests + ["--base-url", base, "--wire-api", "responses", "--json"]
        tfile = os.path.join(work, "time.txt")
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, cwd=repo, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
        wall = time.monotonic() - t0
    finally:
        mock.terminate()
        mock.wait()
    with open(os.path.join(repo, "bug.txt")) as f:
        fixed = "status = fixed" in f.read()
    logged = os.path.join(log, "requests.jsonl")
    requests = [json.loads(l) for l in open(logged)] if os.path.exists(logged) else []
    if p.returncode != 0 or not fixed or len(requests) != len(SCRIPTS[tool]):
        sys.exit("bench_codex: %s did not make the fix with %d requests (exit %d, %d requests):\n%s\n%s" % (
            tool, len(SCRIPTS[tool]), p.returncode, len(requests), p.stdout[-2000:], p.stderr[-2000:]))
    tv = open(tfile).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1))
    cpu = sum(float(re.search(r"%s time \(seconds\): ([\d.]+)" % k, tv).group(1)) for k in ("User", "System"))
    sent = sum(len(json.dumps(r["body"], separators=(",", ":"))) for r in requests)
    return {"wall": wall, "cpu": cpu, "rss_mb": rss / 1024, "requests": len(requests), "bytes": sent}

rows = {t: [] for t in SCRIPTS}
for tool in rows:
    one_run(tool); reset()  # warm-up: page cache, the binaries' first start
for _ in range(runs):
    for tool in rows:
        rows[tool].append(one_run(tool))
        reset()
med = {t: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for t, rs in rows.items()}
print("the same fix, zero-latency mock (Responses API); median of %d runs each, alternating; load average %.1f" %
      (runs, os.getloadavg()[0]))
print()
print("| tool | wall | CPU | peak RSS | requests | request bytes |")
print("|---|---|---|---|---|---|")
c = med["codex"]
for t, m in med.items():
    ratio = "" if t == "codex" else " (%.2fx wall, %.2fx CPU, %.2fx RSS, %.2fx bytes of Codex's)" % (
        m["wall"] / c["wall"], m["cpu"] / c["cpu"], m["rss_mb"] / c["rss_mb"], m["bytes"] / c["bytes"])
    print("| %s%s | %.0f ms | %.0f ms | %.1f MB | %d | %d |" % (t, ratio, m["wall"] * 1000, m["cpu"] * 1000,
                                                            m["rss_mb"], m["requests"], m["bytes"]))
PY

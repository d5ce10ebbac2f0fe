#!/usr/bin/env bash
# docs/sharding/slurm-array.sh on a real one-node Slurm (Debian's slurm-wlm and
# munge), started here in a temporary folder and stopped on every exit:
#  1. ./slurm-array.sh from a fresh folder (no logs/ yet) runs every shard of a
#     small batch against the scripted mock model on 127.0.0.1; each shard's
#     files hold exactly the tasks that hash to it. One task in each of two
#     shards fails (the mock answers 400 once), so those shards end FAILED.
#  2. ./slurm-array.sh R retries one of them, `sbatch --array=R2 slurm-array.sh`
#     the other; each retry changes its own shard's files and no other.
#  3. merge-shards.sh OUT N: every task once.
# Usage: slurm_shard_test.sh DIFFSMITH_BINARY. Exit 0 pass, 1 fail, 77 skip
# (slurm or munge not installed, not root, or the daemons do not start).
set -euo pipefail
bin=$(readlink -f "${1:?usage: slurm_shard_test.sh DIFFSMITH_BINARY}")
src=$(cd "$(dirname "$0")/../.." && pwd)
script=$src/docs/sharding/slurm-array.sh
export PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH

skip() { echo "SKIP: slurm_shard_test: $*"; exit 77; }
for c in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel python3 git; do
  command -v "$c" >/dev/null || skip "$c is not installed (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" = 0 ] || skip "slurmd must run as root"
[ -x "$bin" ] || { echo "FAIL: slurm_shard_test: no binary $bin" >&2; exit 1; }

# A Slurm job or allocation around this test must not leak into the one below.
for v in $(env | sed -n 's/^\(SLURM_[A-Za-z0-9_]*\|SBATCH_[A-Za-z0-9_]*\|SALLOC_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset "$v"
done
unset ENVIRONMENT BATCH_DATA

T=$(mktemp -d /tmp/ds-slurm-XXXXXX)
started=()  # pids of the daemons and the mock, stopped in reverse order
slurm_up=

# Stops what this test started, whatever happened: jobs first (so no
# slurmstepd outlives slurmd), then the daemons, by pid.
cleanup() {
  local rc=$?
  set +e
  if [ -n "$slurm_up" ]; then
    scancel --full --quiet --user=root 2>/dev/null
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do  # mock, slurmd, slurmctld, munged
    p=${started[i]}
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    for f in "$T"/slurmctld.log "$T"/slurmd.log "$T"/munged.log "$T"/submit/logs/* "$T"/submit/slurm-*.out; do
      [ -f "$f" ] && { echo "---- ${f#"$T"/}"; tail -n 40 "$f"; }
    done
  fi
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: slurm_shard_test: $*" >&2; exit 1; }
wait_for() {  # SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.3
  done
}

# munge, with its own key and socket.
mkdir -p "$T"/munge "$T"/state "$T"/spool/dsnode "$T"/bin "$T"/home "$T"/xdg
chmod 0700 "$T"/munge
head -c 1024 /dev/urandom >"$T"/munge/munge.key
chmod 0400 "$T"/munge/munge.key
munged --foreground --force --socket="$T"/munge/socket --key-file="$T"/munge/munge.key \
  --pid-file="$T"/munge/munged.pid --seed-file="$T"/munge/seed --log-file="$T"/munged.log \
  </dev/null >"$T"/munged.out 2>&1 &
started+=($!)
munge_ok() { munge -n -S "$T"/munge/socket 2>/dev/null | unmunge -S "$T"/munge/socket >/dev/null 2>&1; }
wait_for 15 munge_ok || skip "munged does not start: $(tail -q -n 3 "$T"/munged.out "$T"/munged.log 2>/dev/null | tr '\n' ' ')"

# Slurm: one node on 127.0.0.1, free ports, no cgroups, all state in $T.
read -r ctld_port d_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
host=$(hostname -s)
cat >"$T"/slurm.conf <<EOF
ClusterName=dstest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool/%n
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
MinJobAge=600
# Start the next array task as soon as one ends (not every 3 s), and 4 CPUs
# (the script's PARALLEL) even on a 2-core machine: most shards here are idle.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
NodeName=dsnode NodeAddr=127.0.0.1 NodeHostname=$host CPUs=4 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=dsnode Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf
slurm_up=1
slurmctld -D -f "$SLURM_CONF" </dev/null >"$T"/slurmctld.out 2>&1 &
started+=($!)
slurmd -D -f "$SLURM_CONF" -N dsnode </dev/null >"$T"/slurmd.out 2>&1 &
started+=($!)
node_idle() { [ "$(sinfo -h -n dsnode -o %T 2>/dev/null)" = idle ]; }
wait_for 40 node_idle ||
  skip "slurmctld/slurmd do not start (node state: $(sinfo -h -o %T 2>&1 | head -n 1)): $(tail -q -n 2 "$T"/slurmctld.out "$T"/slurmd.out | tr '\n' ' ')"
echo "slurm: node dsnode idle, ports $ctld_port/$d_port"

# The batch: N (read from the script) shards, tasks that hash to several of
# them, a repository on disk, the mock model.
N=$(sed -n 's/^N=\([0-9][0-9]*\).*/\1/p' "$script")
[ -n "$N" ] || fail "no N=... line in $script"
data=$T/data
mkdir -p "$data"/mirrors
git init -q -b main "$T"/repo
python3 - "$T" "$N" "$data/swe-bench-verified.jsonl" <<'EOF'
import json, sys
root, n, tasks_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def shard(s):  # FNV-1a 64, modulo N: docs/batch.md, "Sharding over many machines"
    h = 14695981039346656037
    for c in s.encode():
        h = ((h ^ c) * 1099511628211) % 2**64
    return h % n
names = "alpha bravo charlie delta echo foxtrot golf hotel".split()
ids = ["slurm-" + x for x in names]
with open(root + "/repo/values.txt", "w") as f:
    f.write("".join("%s = 0\n" % x for x in names))
# The first tasks of two different shards fail once (a 400 from the mock).
failing = []
for i in ids:
    if shard(i) not in [shard(f) for f in failing]:
        failing.append(i)
    if len(failing) == 2:
        break
assert len(failing) == 2, "all tasks hash to one shard: pick other names"
tasks, script = [], []
for x, i in zip(names, ids):
    marker = "MARK-%s-%s" % (x, x)
    tasks.append({"id": i, "repo": root + "/repo", "task": "%s: set %s to 1." % (marker, x),
                  "test_cmd": "grep -qx '%s = 1' values.txt" % x})
    if i in failing:
        script.append({"match": marker, "status": 400,
                       "body": {"error": {"message": "scripted failure", "type": "invalid_request_error"}}})
    script.append({"match": marker, "usage": {"prompt_tokens": 100, "completion_tokens": 10},
                   "text": "values.txt\n```\n<<<<<<< SEARCH\n%s = 0\n=======\n%s = 1\n>>>>>>> REPLACE\n```\n" % (x, x)})
with open(tasks_path, "w") as f:
    f.writelines(json.dumps(t) + "\n" for t in tasks)
with open(root + "/mock-script.json", "w") as f:
    json.dump(script, f)
with open(root + "/expected.json", "w") as f:
    json.dump({"shard": {i: shard(i) for i in ids}, "failing": failing}, f)
print("tasks by shard:", {i: shard(i) for i in ids}, "failing once:", failing)
EOF
git -C "$T"/repo -c user.name=T -c user.email=t@e.x add -A
git -C "$T"/repo -c user.name=T -c user.email=t@e.x commit -q -m values
read -r R1 R2 < <(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(*[e["shard"][i] for i in e["failing"]])' "$T"/expected.json)

python3 "$src"/tests/mock/mock_openai.py --script "$T"/mock-script.json --log "$T" --port 0 \
  </dev/null >"$T"/mock.out 2>"$T"/mock.err &
started+=($!)
mock_port() { grep -qs '^PORT ' "$T"/mock.out; }
wait_for 15 mock_port || fail "the mock model did not start: $(cat "$T"/mock.err)"
port=$(sed -n 's/^PORT //p' "$T"/mock.out)

# What a user sets before submitting; sbatch passes the environment on.
ln -s "$bin" "$T"/bin/diffsmith
export PATH=$T/bin:$PATH HOME=$T/home XDG_CONFIG_HOME=$T/xdg TMPDIR=$T BATCH_DATA=$data
export OPENAI_API_KEY=sk-slurm-test OPENAI_BASE_URL=http://127.0.0.1:$port/v1
export DIFFSMITH_MAX_TURNS=2 DIFFSMITH_MAP_TOKENS=0 DIFFSMITH_MAX_RETRIES=0 NO_COLOR=1
# The script's resources (4 CPUs, 8G) are more than this node has: sbatch
# options after the shards override them.
small=(--cpus-per-task=1 --mem=100M --time=10)

job_of() { sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p' <<<"$1"; }
job_done() { [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && scontrol show job "$1" >/dev/null 2>&1; }
# "I STATE EXIT" per array task of job $1.
states() {
  scontrol show job "$1" | python3 -c '
import re, sys
for rec in sys.stdin.read().split("\n\n"):
    t = re.search(r"ArrayTaskId=(\d+)", rec)
    if t:
        print(t.group(1), re.search(r"JobState=(\S+)", rec).group(1), re.search(r"ExitCode=(\S+)", rec).group(1))' | sort -n
}
fingerprint() {  # name, sha256 and mtime (to the nanosecond) of every file in out/
  (cd "$data"/out && for f in *; do printf '%s %s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-64)" "$(stat -c %y "$f")"; done)
}
# Checks every preds-I.jsonl against the hash: exactly shard I's tasks, minus
# the ids given (not done yet).
check_shards() {
  python3 - "$data"/out "$T"/expected.json "$N" "$@" <<'EOF'
import json, os, sys
out, exp, n, not_done = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), set(sys.argv[4:])
bad = []
for i in range(n):
    path = os.path.join(out, "preds-%d.jsonl" % i)
    if not os.path.exists(path):
        bad.append("shard %d wrote no preds-%d.jsonl" % (i, i)); continue
    got = [json.loads(l)["instance_id"] for l in open(path) if l.strip()]
    want = sorted(t for t, s in exp["shard"].items() if s == i and t not in not_done)
    if sorted(got) != want:
        bad.append("preds-%d.jsonl has %s, want %s" % (i, sorted(got), want))
if bad:
    sys.exit("\n".join(bad))
EOF
}

# 1. Every shard, from a fresh folder with no logs/.
mkdir "$T"/submit
cd "$T"/submit
t0=$SECONDS
sub=$("$script" "${small[@]}" 2>&1) || fail "submitting: $sub"
job=$(job_of "$sub")
[ -n "$job" ] || fail "no job id in: $sub"
wait_for 180 job_done "$job" || fail "job $job still running after 180 s: $(squeue -h)"
echo "all $N shards: job $job, $((SECONDS - t0)) s"
st=$(states "$job")
[ "$(wc -l <<<"$st")" = "$N" ] || fail "job $job has not $N array tasks: $st"
while read -r i state code; do
  want="COMPLETED 0:0"
  [ "$i" = "$R1" ] || [ "$i" = "$R2" ] && want="FAILED 1:0"
  [ "$state $code" = "$want" ] || fail "shard $i ended $state $code, want $want"
  [ -s "logs/diffsmith-${job}_$i.log" ] || fail "no log logs/diffsmith-${job}_$i.log"
done <<<"$st"
grep -q "shard $R1/$N" "logs/diffsmith-${job}_$R1.log" || fail "shard $R1's log does not say shard $R1/$N"
mapfile -t failing < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["failing"]))' "$T"/expected.json)
check_shards "${failing[@]}" || fail "after the first submission"
merged=$("$src"/docs/sharding/merge-shards.sh "$data"/out "$N") || fail "merge-shards.sh: $merged"
echo "$merged"
[ "$(wc -l <"$data"/out/preds.jsonl)" = $((8 - 2)) ] || fail "merged $(wc -l <"$data"/out/preds.jsonl) predictions, want 6"

# 2. Retry shard R1 with the script, then R2 with plain sbatch --array.
retry() {  # SHARD HOW: the other shards' files must stay as they were
  local r=$1 before after sub job changed log
  before=$(fingerprint)
  if [ "$2" = script ]; then
    sub=$("$script" "$r" "${small[@]}" 2>&1) || fail "retrying shard $r: $sub"
  else
    sub=$(sbatch "${small[@]}" --array="$r" "$script" 2>&1) || fail "sbatch --array=$r: $sub"
  fi
  job=$(job_of "$sub")
  [ -n "$job" ] || fail "no job id in: $sub"
  wait_for 90 job_done "$job" || fail "retry job $job still running after 90 s"
  [ "$(states "$job")" = "$r COMPLETED 0:0" ] || fail "retry of shard $r ended $(states "$job")"
  if [ "$2" = script ]; then log=logs/diffsmith-${job}_$r.log; else log=slurm-${job}_$r.out; fi
  grep -q "shard $r/$N" "$log" || fail "$log does not say shard $r/$N"
  after=$(fingerprint)
  changed=$({ diff <(echo "$before") <(echo "$after") || true; } | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
  [ "$changed" = "preds-$r.jsonl preds-$r.meta.jsonl report-$r.html " ] ||
    fail "retrying shard $r changed: $changed (want only shard $r's files)"
  echo "retry of shard $r ($2): job $job changed $changed"
}
retry "$R1" script
check_shards "${failing[1]}" || fail "after retrying shard $R1"
retry "$R2" sbatch
check_shards || fail "after retrying shard $R2"

# 3. The merge: every task once, with its change.
merged=$("$src"/docs/sharding/merge-shards.sh "$data"/out "$N") || fail "merge-shards.sh: $merged"
echo "$merged"
python3 - "$data"/out/preds.jsonl "$T"/expected.json <<'EOF' || fail "the merged predictions"
import json, sys
preds = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ids = [p["instance_id"] for p in preds]
want = sorted(json.load(open(sys.argv[2]))["shard"])
if sorted(ids) != want:
    sys.exit("merged ids %s, want each of %s once" % (sorted(ids), want))
for p in preds:
    x = p["instance_id"].split("-", 1)[1]
    if "+%s = 1" % x not in p["model_patch"]:
        sys.exit("%s: the patch lacks its change: %r" % (p["instance_id"], p["model_patch"]))
EOF

# Submissions that could only go wrong: a shard >= N is refused before
# sbatch; sbatch without --array stops at once with a message.
out=$("$script" "$N" 2>&1) && fail "shard $N (of $N) was submitted: $out"
grep -q "does not exist" <<<"$out" || fail "a shard >= N: $out"
sub=$(sbatch "${small[@]}" "$script" 2>&1) || fail "sbatch without --array: $sub"
job=$(job_of "$sub")
wait_for 60 job_done "$job" || fail "the job without --array is still running"
grep -q "JobState=FAILED" <(scontrol show job "$job") || fail "sbatch without --array: $(scontrol show job "$job" | grep JobState)"
grep -q "not an array task" "slurm-$job.out" || fail "sbatch without --array: $(cat "slurm-$job.out")"
echo "slurm_shard_test: ok ($((SECONDS)) s)"

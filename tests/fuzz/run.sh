#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS [BUILD_DIR]
# Runs every libFuzzer target of tests/fuzz for SECONDS each, one after the
# other, starting from the seed corpus (tests/fuzz/corpus/<target>) plus what
# earlier runs in BUILD_DIR found (BUILD_DIR/fuzz-corpus/<target>; the
# checked-in seeds are never modified). Configures and builds BUILD_DIR
# (default: build-fuzz at the repository root, clang, -DDIFFSMITH_FUZZ=ON)
# when its targets are missing. Crash inputs land in BUILD_DIR/fuzz-artifacts/.
# Exits 1 if any target found a crash, leak or broken invariant.
# Extra libFuzzer flags can be passed in FUZZ_FLAGS (e.g. FUZZ_FLAGS=-jobs=1);
# FUZZ_TARGETS="fuzz_json fuzz_sse" runs only those targets.
set -u
secs=${1:?usage: tests/fuzz/run.sh SECONDS [BUILD_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${2:-$root/build-fuzz}
targets=${FUZZ_TARGETS:-"fuzz_search_replace fuzz_v4a fuzz_locate fuzz_sse fuzz_json fuzz_redact fuzz_path_check"}

missing=0
for t in $targets; do [ -x "$build/tests/fuzz/$t" ] || missing=1; done
mkdir -p "$build"
if [ $missing = 1 ]; then
  CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -G Ninja -DDIFFSMITH_FUZZ=ON >"$build/fuzz-configure.log" 2>&1 ||
    { cat "$build/fuzz-configure.log" >&2; exit 2; }
fi
cmake --build "$build" --target fuzz_all -j"${JOBS:-2}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -30 "$build/fuzz-build.log" >&2; echo "fuzz build failed" >&2; exit 2; }

dict_for() {
  case $1 in
    fuzz_sse) echo "$here/sse.dict" ;;
    fuzz_json) echo "$here/json.dict" ;;
    fuzz_path_check) echo "$here/path.dict" ;;
    *) echo "$here/edit.dict" ;;
  esac
}

status=0
mkdir -p "$build/fuzz-artifacts"
for t in $targets; do
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work"
  log="$build/fuzz-artifacts/$t.log"
  # -timeout: one input taking 10 s is a finding (the locator must stay
  # linear-ish); -rss_limit_mb bounds memory; leaks are findings too.
  "$build/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -dict="$(dict_for "$t")" -artifact_prefix="$build/fuzz-artifacts/$t-" \
    ${FUZZ_FLAGS:-} "$work" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  if [ $rc -ne 0 ]; then
    status=1
    echo "$t: FAILED (exit $rc) after ${runs:-?} executions; see $log" >&2
    grep -m1 -A3 -E 'ERROR: |fuzz invariant failed|runtime error' "$log" >&2
  else
    echo "$t: ok, ${runs:-?} executions, coverage ${cov:-?} edges, $(ls "$work" | wc -l) inputs in $work"
  fi
done
exit $status

#!/usr/bin/env bash
# The GitHub Action's run step: `diffsmith run --json` with the action's
# inputs, then the step outputs (status, exit-code, cost-usd, patch-file,
# events-file) and the step summary (verdict, cost, the diff), written by
# report.py. Plain shell, so it runs the same outside GitHub (the tests do).
#
# Inputs (environment): INPUT_TASK (required), INPUT_TEST_COMMAND, INPUT_MODEL,
# INPUT_MAX_COST, INPUT_MAX_TURNS, INPUT_EDIT_FORMAT, INPUT_ARGS (extra
# arguments, split like a shell does but never evaluated),
# INPUT_WORKING_DIRECTORY, INPUT_FAIL_ON_UNSOLVED (true|false);
# DIFFSMITH_ACTION_BIN (the binary; default: diffsmith on PATH).
# GitHub's files: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY; RUNNER_TEMP for scratch.
#
# Exit status: 0 when solved, and when not solved unless INPUT_FAIL_ON_UNSOLVED
# is true; diffsmith's own code for errors (2 usage, 3 model/API, 4 repository,
# 130 interrupted), so a broken setup fails the job.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "::error::$*" >&2; exit 2; }

bin=${DIFFSMITH_ACTION_BIN:-diffsmith}
[ -n "${INPUT_TASK:-}" ] || die "input 'task' is empty"
tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/diffsmith-run-XXXXXX") || die "cannot create a scratch directory"
events="$tmp/events.jsonl"
patch="$tmp/diffsmith.patch"
printf '%s\n' "$INPUT_TASK" >"$tmp/task.md"

args=(run --json --task-file "$tmp/task.md" --output-patch "$patch")
if [ -n "${INPUT_TEST_COMMAND:-}" ]; then args+=(--test "$INPUT_TEST_COMMAND"); fi
if [ -n "${INPUT_MODEL:-}" ]; then args+=(--model "$INPUT_MODEL"); fi
if [ -n "${INPUT_MAX_COST:-}" ]; then args+=(--max-cost "$INPUT_MAX_COST"); fi
if [ -n "${INPUT_MAX_TURNS:-}" ]; then args+=(--max-turns "$INPUT_MAX_TURNS"); fi
if [ -n "${INPUT_EDIT_FORMAT:-}" ]; then args+=(--edit-format "$INPUT_EDIT_FORMAT"); fi
extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
  # xargs splits on blanks and honours quotes and backslashes, without
  # running anything: no eval of the workflow's text.
  printf '%s\n' "$INPUT_ARGS" | xargs -r printf '%s\0' >"$tmp/args" || die "input 'args' could not be split: $INPUT_ARGS"
  mapfile -d '' -t extra <"$tmp/args"
fi

cd "${INPUT_WORKING_DIRECTORY:-.}" || die "working-directory ${INPUT_WORKING_DIRECTORY:-.} does not exist"
echo "diffsmith ${args[*]} ${extra[*]}" >&2
"$bin" "${args[@]}" "${extra[@]}" >"$events"
code=$?

python3 "$here/report.py" --events "$events" --exit-code "$code" --patch "$patch" \
  --output "${GITHUB_OUTPUT:-/dev/null}" --summary "${GITHUB_STEP_SUMMARY:-/dev/null}" || die "report.py failed"

case "$code" in
  0) exit 0 ;;
  1) if [ "${INPUT_FAIL_ON_UNSOLVED:-false}" = true ]; then exit 1; fi; exit 0 ;;
  *) exit "$code" ;;
esac

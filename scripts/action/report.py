#!/usr/bin/env python3
"""report.py: turns the events of `diffsmith run --json` into the GitHub
Action's step outputs and step summary (called by run.sh).

Outputs (name=value lines appended to --output, GitHub's GITHUB_OUTPUT file):
  status       solved | unsolved | interrupted | error (the run_finished event),
               or, when the run stopped before it started: usage-error (2),
               api-error (3), repository-error (4), interrupted (130), error
  exit-code    diffsmith's exit code
  cost-usd     the run's cost in USD ("" when unknown)
  patch-file   the final diff's file ("" when the run changed nothing)
  events-file  the JSONL events
The summary (Markdown appended to --summary) shows the verdict, turns, cost,
tokens, the reason, and the diff.
"""
import argparse
import json
import os
import sys

STATUS_BY_CODE = {0: "solved", 1: "unsolved", 2: "usage-error", 3: "api-error",
                  4: "repository-error", 130: "interrupted"}
MAX_DIFF_CHARS = 200_000  # GitHub caps a step summary at 1 MiB


def last_finished(path):
    """The last run_finished event, and whether a run_started came before it
    (a run that stopped before it started has only a run_finished, status
    error)."""
    finished, started = None, False
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict) and event.get("type") == "run_started":
                    started = True
                if isinstance(event, dict) and event.get("type") == "run_finished":
                    finished = event
    except FileNotFoundError:
        pass
    return finished, started


def fence_for(text):
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", required=True)
    ap.add_argument("--exit-code", type=int, required=True)
    ap.add_argument("--patch", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--summary", required=True)
    a = ap.parse_args()

    ev, started = last_finished(a.events)
    setup_reason = "" if started or ev is None else (ev.get("reason") or "")
    if not started:
        ev = None
    if ev is not None:
        status = ev.get("status") or "error"
    else:
        status = STATUS_BY_CODE.get(a.exit_code, "error")
    cost = ev.get("cost_usd") if ev else None
    cost_text = "" if cost is None else f"{cost:.4f}"
    diff = (ev.get("diff") or "") if ev else ""
    patch_file = a.patch if os.path.isfile(a.patch) and os.path.getsize(a.patch) > 0 else ""
    if not diff and patch_file:
        with open(patch_file, encoding="utf-8", errors="replace") as f:
            diff = f.read()

    with open(a.output, "a", encoding="utf-8") as out:
        out.write(f"status={status}\n")
        out.write(f"exit-code={a.exit_code}\n")
        out.write(f"cost-usd={cost_text}\n")
        out.write(f"patch-file={patch_file}\n")
        out.write(f"events-file={os.path.abspath(a.events)}\n")

    mark = {"solved": "✅", "unsolved": "❌"}.get(status, "⚠️")
    lines = [f"### diffsmith: {status} {mark}", "", "| | |", "|---|---|",
             f"| verdict | {status} (exit code {a.exit_code}) |"]
    if ev:
        lines.append(f"| turns | {ev.get('turns', 0)} |")
        lines.append(f"| cost | {'$' + cost_text if cost_text else 'unknown'} |")
        tokens = ev.get("tokens") or {}
        lines.append(f"| tokens | {tokens.get('prompt', 0)} in ({tokens.get('cached', 0)} cached), "
                     f"{tokens.get('completion', 0)} out |")
        reason = (ev.get("reason") or "").replace("|", "\\|").replace("\n", " ")
        if reason:
            lines.append(f"| reason | {reason} |")
    else:
        why = setup_reason.replace("|", "\\|").replace("\n", " ") or "see the step's log"
        lines.append(f"| | the run stopped before it started: {why} |")
    lines.append("")
    if ev and ev.get("summary"):
        lines += ["**The model's summary:** " + ev["summary"].strip(), ""]
    if diff:
        shown = diff if len(diff) <= MAX_DIFF_CHARS else diff[:MAX_DIFF_CHARS]
        fence = fence_for(shown)
        lines += [f"<details open><summary>diff ({diff.count(chr(10))} lines)</summary>", "",
                  fence + "diff", shown.rstrip("\n"), fence, ""]
        if shown is not diff:
            lines.append(f"(diff cut at {MAX_DIFF_CHARS} characters; the whole diff is in patch-file)")
        lines += ["</details>", ""]
    else:
        lines += ["No change.", ""]
    with open(a.summary, "a", encoding="utf-8") as s:
        s.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""validate_action.py: checks action.yml against GitHub's action metadata rules
for a composite action, and the example workflows of docs/ci/ against it.

Usage: validate_action.py REPO_ROOT   (exit 0 and "ok", or one line per problem)

Rules checked (docs.github.com, "Metadata syntax for GitHub Actions"):
- required keys name, description, runs; no unknown top-level keys;
- runs.using is "composite" and runs.steps a non-empty list;
- every step has `run` together with `shell`, or `uses`; only known step keys;
  step ids are unique and well formed;
- inputs have a description; `required` is a boolean, `default` a string;
- outputs of a composite action have a description and a value;
- expressions name only declared inputs (inputs.X) and earlier steps (steps.X);
- scripts called as "$GITHUB_ACTION_PATH/…" exist and are executable;
- branding uses a known colour;
- the inputs and outputs the docs promise exist;
- in docs/ci/*.yml, a step that uses this action passes only declared inputs and
  reads only declared outputs; every file there parses as YAML.
Needs python3-yaml (Debian's package).
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("python3-yaml is missing: apt-get install python3-yaml", file=sys.stderr)
    sys.exit(3)

TOP_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
STEP_KEYS = {"id", "name", "if", "run", "shell", "env", "working-directory", "uses", "with",
             "continue-on-error"}
COLORS = {"white", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
PROMISED_INPUTS = {"task", "test-command", "model", "max-cost", "max-turns", "edit-format", "args"}
PROMISED_OUTPUTS = {"status", "exit-code", "cost-usd", "patch-file"}


def strings_in(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from strings_in(k)
            yield from strings_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings_in(v)


def check_action(root, problems):
    path = os.path.join(root, "action.yml")
    with open(path, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    if not isinstance(action, dict):
        problems.append("action.yml: not a mapping")
        return {}, {}
    for key in ("name", "description", "runs"):
        if key not in action:
            problems.append(f"action.yml: missing required key '{key}'")
    for key in action:
        if key not in TOP_KEYS:
            problems.append(f"action.yml: unknown top-level key '{key}'")
    for key in ("name", "description"):
        if key in action and not isinstance(action[key], str):
            problems.append(f"action.yml: '{key}' must be a string")

    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        where = f"action.yml: inputs.{name}"
        if not ID_RE.match(str(name)):
            problems.append(f"{where}: bad input id")
        if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
            problems.append(f"{where}: needs a description")
            continue
        if "required" in spec and not isinstance(spec["required"], bool):
            problems.append(f"{where}: 'required' must be true or false")
        if "default" in spec and not isinstance(spec["default"], str):
            problems.append(f"{where}: 'default' must be a string (quote it)")
    outputs = action.get("outputs") or {}
    for name, spec in outputs.items():
        where = f"action.yml: outputs.{name}"
        if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
            problems.append(f"{where}: needs a description")
        if not isinstance(spec, dict) or not isinstance(spec.get("value"), str):
            problems.append(f"{where}: a composite action's output needs a value")
    for name in sorted(PROMISED_INPUTS - set(inputs)):
        problems.append(f"action.yml: input '{name}' is missing")
    for name in sorted(PROMISED_OUTPUTS - set(outputs)):
        problems.append(f"action.yml: output '{name}' is missing")

    branding = action.get("branding") or {}
    if branding and branding.get("color") not in COLORS:
        problems.append(f"action.yml: branding.color must be one of {sorted(COLORS)}")

    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        problems.append("action.yml: runs.using must be 'composite'")
    steps = runs.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append("action.yml: runs.steps must be a non-empty list")
        steps = []
    seen_ids = []
    for i, step in enumerate(steps):
        where = f"action.yml: runs.steps[{i}]"
        if not isinstance(step, dict):
            problems.append(f"{where}: not a mapping")
            continue
        for key in step:
            if key not in STEP_KEYS:
                problems.append(f"{where}: unknown key '{key}'")
        if "run" in step:
            if "shell" not in step:
                problems.append(f"{where}: a run step of a composite action needs 'shell'")
            if "uses" in step:
                problems.append(f"{where}: both 'run' and 'uses'")
            for script in re.findall(r"\$\{?GITHUB_ACTION_PATH\}?/([^\s\"']+)", step["run"]):
                full = os.path.join(root, script)
                if not os.path.isfile(full):
                    problems.append(f"{where}: {script} does not exist")
                elif not os.access(full, os.X_OK):
                    problems.append(f"{where}: {script} is not executable")
        elif "uses" not in step:
            problems.append(f"{where}: needs 'run' (with 'shell') or 'uses'")
        # Expressions may only name declared inputs and earlier steps.
        for text in strings_in({k: v for k, v in step.items() if k != "id"}):
            for ref in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text):
                if ref not in inputs:
                    problems.append(f"{where}: refers to undeclared input '{ref}'")
            for ref in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", text):
                if ref not in seen_ids:
                    problems.append(f"{where}: refers to step '{ref}' before it runs (or that does not exist)")
        if "id" in step:
            if not ID_RE.match(str(step["id"])):
                problems.append(f"{where}: bad step id '{step['id']}'")
            if step["id"] in seen_ids:
                problems.append(f"{where}: duplicate step id '{step['id']}'")
            seen_ids.append(step["id"])
    for name, spec in outputs.items():
        for ref in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.", str((spec or {}).get("value", ""))):
            if ref not in seen_ids:
                problems.append(f"action.yml: outputs.{name} refers to unknown step '{ref}'")
    return inputs, outputs


def check_examples(root, inputs, outputs, problems):
    files = sorted(glob.glob(os.path.join(root, "docs", "ci", "*.yml")))
    if not files:
        problems.append("docs/ci: no example workflows")
    for path in files:
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except yaml.YAMLError as e:
            problems.append(f"{rel}: not YAML: {e}")
            continue
        if not isinstance(doc, dict) or "jobs" not in doc:
            continue  # a GitLab CI file: parsing is the check
        for job_name, job in (doc.get("jobs") or {}).items():
            action_steps = set()
            for i, step in enumerate(job.get("steps") or []):
                uses = str(step.get("uses", ""))
                if re.search(r"(^|/)diffsmith@|^\./?$", uses):
                    for key in step.get("with") or {}:
                        if key not in inputs:
                            problems.append(f"{rel}: jobs.{job_name}.steps[{i}] passes unknown input '{key}'")
                    if "id" in step:
                        action_steps.add(step["id"])
                for text in strings_in(step):
                    for sid, out in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", text):
                        if sid in action_steps and out not in outputs:
                            problems.append(f"{rel}: jobs.{job_name} reads unknown output '{out}'")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    inputs, outputs = check_action(root, problems)
    check_examples(root, inputs, outputs, problems)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

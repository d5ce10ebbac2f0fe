#!/usr/bin/env python3
"""fake_engine.py: a stand-in for `docker`/`podman` for diffsmith's container tests.

No container daemon is reachable where the tests run, so this script implements
the part of the engine CLI that exec/container_runner.cpp uses, over a folder
(FAKE_ENGINE_DIR, required):

    run -d --name N [--label K=V]... [--network NET] [--workdir W] [--] IMAGE CMD...
        (options also as --name=N; `--` ends them, as Go's pflag does for docker
        and podman; any other option is refused, so an image name beginning
        with '-' fails here as "unknown option" where docker would obey it)
        creates DIR/containers/N/ with a copy of DIR/images/<IMAGE>/ as its
        file system ("rootfs"); prints a fake container id
    exec [-i] [-w WORKDIR] [-e K=V]... N CMD...
        runs CMD on the host in rootfs + WORKDIR, in a new session whose process
        group is recorded, so it outlives a killed `exec` client as a process in
        a real container would; stdin is passed through when -i is given
    restart [-t S] N   kills every process group `exec` started for N
    rm -f N...         kills them too and deletes the container's folder
    ps -a [--filter label=K=V]... --format '{{.Names}}'
                       names of the containers whose labels match

Every call is appended to DIR/calls.log as one line of JSON (argv), and the
env passed with -e to DIR/containers/N/env.log, so tests can check the protocol.
Images are folders, so IMAGE names are mapped to folder names by replacing
'/' and ':' with '_'. Unknown subcommands exit 125 like docker does.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid


def fail(msg, code=125):
    sys.stderr.write("fake_engine: " + msg + "\n")
    sys.exit(code)


ROOT = os.environ.get("FAKE_ENGINE_DIR")
if not ROOT:
    fail("FAKE_ENGINE_DIR is not set")


def cdir(name):
    return os.path.join(ROOT, "containers", name)


def log_call(argv):
    with open(os.path.join(ROOT, "calls.log"), "a") as f:
        f.write(json.dumps(argv) + "\n")


def kill_groups(name):
    pids = os.path.join(cdir(name), "pgids")
    if not os.path.exists(pids):
        return
    with open(pids) as f:
        for line in f:
            try:
                os.killpg(int(line), signal.SIGKILL)
            except (ValueError, ProcessLookupError, PermissionError):
                pass
    os.remove(pids)


def cmd_run(args):
    name, labels, image, i = None, {}, None, 0
    while i < len(args):
        a = args[i]
        joined = a.startswith("--") and "=" in a
        if joined:
            a, v = a.split("=", 1)
        if a == "-d":
            i += 1
        elif a == "--":
            if i + 1 < len(args):
                image = args[i + 1]
            break
        elif a in ("--name", "--label", "--network", "--workdir", "-w"):
            if not joined:
                if i + 1 >= len(args):
                    fail(a + " needs a value")
                v = args[i + 1]
                i += 1
            if a == "--name":
                name = v
            elif a == "--label":
                k, _, val = v.partition("=")
                labels[k] = val
            i += 1
        elif a.startswith("-"):
            fail("run: unknown option " + a)
        else:
            image = a
            break
    if not name or not image:
        fail("run: --name and IMAGE are required")
    src = os.path.join(ROOT, "images", image.replace("/", "_").replace(":", "_"))
    if not os.path.isdir(src):
        fail("Unable to find image '%s' locally" % image)
    if os.path.exists(cdir(name)):
        fail('Conflict. The container name "/%s" is already in use' % name)
    os.makedirs(cdir(name))
    shutil.copytree(src, os.path.join(cdir(name), "rootfs"), symlinks=True)
    with open(os.path.join(cdir(name), "labels.json"), "w") as f:
        json.dump(labels, f)
    print(uuid.uuid4().hex)


def cmd_exec(args):
    interactive, workdir, env, i = False, "/", {}, 0
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        if a == "-i":
            interactive, i = True, i + 1
        elif a in ("-w", "--workdir"):
            workdir, i = args[i + 1], i + 2
        elif a in ("-e", "--env"):
            k, _, v = args[i + 1].partition("=")
            env[k] = v
            i += 2
        else:
            fail("exec: unknown option " + a)
    if i >= len(args):
        fail("exec: no container")
    name, cmd = args[i], args[i + 1:]
    if not os.path.isdir(cdir(name)):
        fail("No such container: " + name, 1)
    cwd = os.path.join(cdir(name), "rootfs", workdir.lstrip("/"))
    if not os.path.isdir(cwd):
        fail("exec: workdir %s does not exist in %s" % (workdir, name), 126)
    with open(os.path.join(cdir(name), "env.log"), "a") as f:
        f.write(json.dumps(env) + "\n")
    child_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/root"}
    child_env.update(env)
    proc = subprocess.Popen(cmd, cwd=cwd, env=child_env, start_new_session=True,
                            stdin=sys.stdin if interactive else subprocess.DEVNULL)
    with open(os.path.join(cdir(name), "pgids"), "a") as f:
        f.write("%d\n" % proc.pid)
    rc = proc.wait()
    sys.exit(rc if rc >= 0 else 128 - rc)


def cmd_restart(args):
    names = [a for a in args if not a.startswith("-") and not a.isdigit()]
    for n in names:
        if not os.path.isdir(cdir(n)):
            fail("No such container: " + n, 1)
        kill_groups(n)
        print(n)


def cmd_rm(args):
    code = 0
    for n in [a for a in args if not a.startswith("-")]:
        if not os.path.isdir(cdir(n)):
            sys.stderr.write("Error: No such container: %s\n" % n)
            code = 1
            continue
        kill_groups(n)
        shutil.rmtree(cdir(n))
        print(n)
    sys.exit(code)


def cmd_ps(args):
    filters, i = {}, 0
    while i < len(args):
        if args[i] == "--filter":
            k, _, v = args[i + 1].partition("=")
            if k != "label":
                fail("ps: only label filters are faked")
            lk, eq, lv = v.partition("=")
            filters[lk] = lv if eq else None
            i += 2
        elif args[i] == "--format":
            if args[i + 1] != "{{.Names}}":
                fail("ps: only --format '{{.Names}}' is faked")
            i += 2
        else:
            i += 1
    base = os.path.join(ROOT, "containers")
    for n in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        with open(os.path.join(base, n, "labels.json")) as f:
            labels = json.load(f)
        if all(k in labels and (v is None or labels[k] == v) for k, v in filters.items()):
            print(n)


def main():
    argv = sys.argv[1:]
    log_call(argv)
    if not argv:
        fail("no subcommand")
    sub, rest = argv[0], argv[1:]
    handlers = {"run": cmd_run, "exec": cmd_exec, "restart": cmd_restart, "rm": cmd_rm, "ps": cmd_ps}
    if sub not in handlers:
        fail("unknown subcommand " + sub)
    handlers[sub](rest)


if __name__ == "__main__":
    main()

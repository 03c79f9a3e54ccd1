#!/usr/bin/env python3
"""
The local executor's posix_spawn spawner (started by posix-spawner.ts when python3 is present).
Node's child_process forks the whole Node process for every job (about 1.5 ms of CPU each on
the benchmark machine); glibc's posix_spawn starts a process without copying this one's memory
(about 0.15 ms). It speaks JSON lines: starts and signals in on stdin; spawned, failed, output
bytes (base64, cut into lines by the server) and exits out on stdout. Each job runs from its argv
(no shell) in its own session and process group and working directory, with only the job's
environment and /dev/null as stdin. When stdin closes (the server went away) it kills every
process group it started and exits.
"""
import base64
import errno
import json
import os
import selectors
import shutil
import signal
import sys

selector = selectors.DefaultSelector()
children = {}  # pid -> Child
pids_by_key = {}  # key -> pid
outbox = []


class Child:
    def __init__(self, key, pid, cwd):
        self.key = key
        self.pid = pid
        self.cwd = cwd
        self.open_pipes = 2
        self.status = None


def send(message):
    outbox.append(json.dumps(message, separators=(",", ":")))


def flush():
    if outbox:
        sys.stdout.buffer.write(("\n".join(outbox) + "\n").encode("utf-8"))
        sys.stdout.buffer.flush()
        outbox.clear()


def error_code(error):
    return errno.errorcode.get(error.errno, "EIO") if error.errno else "EIO"


def make_work_dir(path):
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def remove_work_dir(path):
    try:
        os.rmdir(path)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def start(message):
    key, program, cwd, env = message["key"], message["program"], message["cwd"], message["env"]
    try:
        make_work_dir(cwd)
    except OSError as error:
        send({"t": "failed", "key": key, "code": error_code(error), "message": str(error)})
        return
    # Looked up in the job's PATH, as execvp in the job would.
    path = program if "/" in program else shutil.which(program, path=env.get("PATH", os.defpath))
    if path is None:
        send({"t": "failed", "key": key, "code": "ENOENT", "message": "spawn %s ENOENT" % program})
        remove_work_dir(cwd)
        return
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out_write, 1),
        (os.POSIX_SPAWN_DUP2, err_write, 2),
    ]
    try:
        # posix_spawn has no working-directory action here: the child inherits ours at spawn time.
        os.chdir(cwd)
        pid = os.posix_spawn(path, [program] + message["args"], env, file_actions=actions, setsid=True)
    except OSError as error:
        for fd in (out_read, out_write, err_read, err_write):
            os.close(fd)
        send({"t": "failed", "key": key, "code": error_code(error), "message": "spawn %s %s" % (program, error_code(error))})
        remove_work_dir(cwd)
        return
    finally:
        os.chdir("/")
    os.close(out_write)
    os.close(err_write)
    child = Child(key, pid, cwd)
    children[pid] = child
    pids_by_key[key] = pid
    for fd, stream in ((out_read, 1), (err_read, 2)):
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ, ("pipe", child, stream))
    send({"t": "spawned", "key": key, "pid": pid})


def finish_if_done(child):
    if child.status is None or child.open_pipes > 0:
        return
    del children[child.pid]
    pids_by_key.pop(child.key, None)
    if os.WIFSIGNALED(child.status):
        code, name = None, signal.Signals(os.WTERMSIG(child.status)).name
    else:
        code, name = os.waitstatus_to_exitcode(child.status), None
    send({"t": "exit", "key": child.key, "code": code, "signal": name})
    remove_work_dir(child.cwd)


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        child = children.get(pid)
        if child is not None:
            child.status = status
            finish_if_done(child)


def read_pipe(fd, child, stream):
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        return
    if chunk:
        send({"t": "data", "key": child.key, "fd": stream, "b64": base64.b64encode(chunk).decode("ascii")})
        return
    selector.unregister(fd)
    os.close(fd)
    child.open_pipes -= 1
    finish_if_done(child)


def kill_all():
    for pid in list(children):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def handle(line):
    message = json.loads(line)
    if message["t"] == "start":
        start(message)
    elif message["t"] == "signal":
        pid = pids_by_key.get(message["key"])
        if pid is not None:
            try:
                os.killpg(pid, getattr(signal, message["signal"]))
            except OSError:
                pass


# Starts handled per loop turn: between groups, exits are reaped and all messages flushed, so the
# server frees capacity (and sends the next starts) while the rest of a large batch is started.
STARTS_PER_TURN = 16
queued = []


def main():
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when this process ends
    stdin = sys.stdin.fileno()
    selector.register(stdin, selectors.EVENT_READ, ("stdin",))
    selector.register(wake_read, selectors.EVENT_READ, ("child",))
    pending = b""
    while True:
        for key, _ in selector.select(0 if queued else None):
            kind = key.data[0]
            if kind == "stdin":
                chunk = os.read(stdin, 65536)
                if not chunk:
                    kill_all()
                    flush()
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                queued.extend(line for line in lines if line)
            elif kind == "child":
                try:
                    while os.read(wake_read, 4096):
                        pass
                except BlockingIOError:
                    pass
                reap()
            else:
                read_pipe(key.fd, key.data[1], key.data[2])
        for line in queued[:STARTS_PER_TURN]:
            handle(line)
        del queued[:STARTS_PER_TURN]
        flush()


if __name__ == "__main__":
    main()

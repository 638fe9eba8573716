"""Start each grading kernel from a pre-imported process: a fork server ("zygote").

Most of a submission's grading time used to go into starting Python, importing ipykernel and
then pandas, matplotlib, scikit-learn and sensorlab, again for every student. Here one process
per grading run (the zygote) imports all of that once, with a clean environment and without
ever running student code, and then only forks. Every kernel is a fresh fork, used for one
submission and never again, so nothing one student's code does can reach the next student.

For each kernel, ``python -m sensorlab.grading.zygote client SOCKET -- <kernel argv>`` is what
the kernel manager starts (a small standard-library process; it is the "kernel process" jupyter
signals and waits for). It sends the kernel's command line, working folder and sandbox limits
to the zygote, which forks a *supervisor*. The supervisor, still root and still holding the
imports, does what :mod:`~sensorlab.grading.sandbox` does before ``exec``:

1. joins the submission's cgroup and prepares the private copy (:func:`sandbox.plan_isolated`);
2. starts bubblewrap with the same view, running only a placeholder (``cat``), and enters its
   mount, network, IPC, UTS and PID namespaces (``setns``: bubblewrap builds the sandbox, the
   fork joins it);
3. forks a relay inside (the kernel's parent there, forwarding signals), which forks the kernel:
   it drops to the slot's uid, loses every capability, applies the limits, replaces its
   environment and runs ipykernel on the connection file.

The supervisor reports the kernel's pid to the client (which forwards signals) and its exit; if
the client is killed the supervisor kills the kernel; when the supervisor ends, the placeholder's
input closes, bubblewrap ends, and the kernel with every process it started goes with the PID
namespace (and the cgroup is emptied by the grader anyway).

Only used as root where bubblewrap works (:func:`sandbox.bwrap_works`): joining the sandbox's
namespaces needs root. Elsewhere kernels start through ``exec`` (:func:`sandbox.main`).
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

ENV_VAR = "SENSORLAB_ZYGOTE"
#: Imported once by the zygote: what the assignments' notebooks and their tests use.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython",
           "matplotlib_inline.backend_inline",
           "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "sklearn.linear_model",
           "sklearn.metrics", "sensorlab.datasets", "sensorlab.kit.protocol", "sensorlab.kit.readback",
           "sensorlab.cleaning", "sensorlab.stats", "sensorlab.calibration", "sensorlab.validation",
           "sensorlab.forecast", "sensorlab.live", "sensorlab.grading.variants",
           "sensorlab.grading.sandbox", "sensorlab.grading.treecap", "sensorlab.grading.plainfiles",
           # what every kernel imported on its own at start-up (IPython loads them lazily) and the
           # hidden tests' export line: a kernel runs as a user that cannot write ``__pycache__``,
           # so each one compiled these from source again (30 ms a kernel)
           "IPython.core.oinspect", "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.logger",
           "IPython.utils.wildcard", "IPython.extensions.storemagic", "tornado.platform.asyncio",
           "sensorlab.grading.verdict")
_NS = ("mnt", "net", "ipc", "uts", "pid")
_CLONE = {"mnt": 0x00020000, "net": 0x40000000, "ipc": 0x08000000,
          "uts": 0x04000000, "pid": 0x20000000}


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _recv(stream) -> dict | None:
    line = stream.readline()
    return json.loads(line) if line else None


# ---------------------------------------------------------------- the zygote

def zygote_env(home: str) -> dict:
    """The zygote's (and so every kernel's starting) environment: nothing of the grader's."""
    from sensorlab.grading.sandbox import THREAD_ENV

    return {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": os.environ.get("LANG") or "C.UTF-8",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline", "MPLCONFIGDIR": os.path.join(home, "mpl"),
            **THREAD_ENV}


def start(folder) -> tuple[subprocess.Popen, str]:
    """Start a zygote that will listen in ``folder`` (private to the grader); return it and its
    socket path. Call :func:`wait_ready` before the first kernel."""
    path = os.path.join(folder, "zygote.sock")
    home = os.path.join(folder, "zygote-home")
    os.makedirs(home, mode=0o700, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "sensorlab.grading.zygote", "serve", path],
                            env=zygote_env(home), cwd=home, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    return proc, path


def wait_ready(proc: subprocess.Popen) -> None:
    """Block until the zygote has imported everything and listens (it imports while the grader
    prepares the submissions, so the two overlap)."""
    line = proc.stdout.readline()
    if line.strip() != b"ready":
        proc.kill()
        proc.wait()
        raise RuntimeError(f"the kernel fork server did not start ({line[:200]!r})")


def serve(path: str) -> None:
    """Import everything once, then fork a supervisor per request, forever (single-threaded)."""
    import gc
    import importlib

    gc.disable()  # no half-freed pages among the imports (each fork would copy them)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the grader gone, the zygote goes too
    # No debugger in a graded kernel: ipykernel then skips debugpy (0.3 s of imports a kernel,
    # and one more door for student code); nobody attaches a debugger to a grading run.
    sys.modules["debugpy"] = None
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional library missing: the kernel imports it itself
            pass
    if os.getcwd() in sys.path:  # a kernel sees its own folder on the path, not the zygote's
        sys.path.remove(os.getcwd())
    # The garbage collector of a fork would touch every imported object and so copy the whole
    # parent's heap (0.1 s of CPU a submission): the imports are frozen out of its reach.
    gc.freeze()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o600)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the system
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = server.accept()
        if os.fork() == 0:
            gc.enable()
            server.close()
            code = 1
            try:
                code = _supervise(conn)
            except BaseException as err:  # noqa: BLE001 - tell the client, never return into the loop
                try:
                    _send(conn, {"error": f"{type(err).__name__}: {err}"})
                except OSError:
                    pass
            finally:
                os._exit(code)
        conn.close()


# ---------------------------------------------------------------- a supervisor (one submission)

def _setns(libc, pid: int, names) -> None:
    fds = {name: os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY) for name in names}
    try:
        for name in names:
            if libc.setns(fds[name], _CLONE[name]) != 0:
                raise OSError(ctypes.get_errno(), f"setns({name}) into the sandbox failed")
    finally:
        for fd in fds.values():
            os.close(fd)


def _drop_capabilities(libc) -> None:
    """No capability in any namespace, and none to regain (the kernel runs student code)."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = (ctypes.c_uint32 * 6)()
    if libc.syscall(126 if os.uname().machine in ("x86_64",) else 91, header, data) != 0:  # capset
        raise OSError(ctypes.get_errno(), "capset failed")
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS


def _supervise(conn: socket.socket) -> int:
    from sensorlab.grading import sandbox, treecap

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 2)
    request = json.loads(data)
    if "verdict" in request:
        return _verdict(conn, request)
    for target, fd in zip((1, 2), fds):  # the kernel writes where jupyter expects it to
        os.dup2(fd, target)
        os.close(fd)
    limits = sandbox.Limits.from_json(request["env"][sandbox.ENV_VAR])
    os.chdir(request["cwd"])
    if limits.cgroups:
        treecap.join(limits.cgroups)
    plan = sandbox.plan_isolated(list(request["cmd"]), limits)
    bwrap = [a for i, a in enumerate(plan.bwrap)  # the placeholder needs no capability at all
             if a != "--cap-add" and (i == 0 or plan.bwrap[i - 1] != "--cap-add")]
    holder = subprocess.Popen(bwrap + ["--", "/bin/sh", "-c", "echo ready; exec cat"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if holder.stdout.readline().strip() != b"ready":  # the sandbox's mounts are all in place
        raise RuntimeError("bubblewrap did not start")
    inner = _sandbox_init_pid(holder.pid)
    libc = ctypes.CDLL(None, use_errno=True)
    _setns(libc, inner, _NS)
    os.chdir(plan.workdir)
    kernel = os.fork()
    if kernel == 0:  # the relay, inside the sandbox's PID namespace
        conn.close()
        _relay(libc, plan, limits)
    _send(conn, {"pid": kernel})
    try:  # wakes the moment the kernel ends (no polling delay on every submission)
        ended = [os.pidfd_open(kernel)]
    except (AttributeError, OSError):  # before Linux 5.3: poll
        ended = []
    while True:
        done, status = os.waitpid(kernel, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            try:
                _send(conn, {"exit": code})
            except OSError:
                pass
            return 0
        ready, _, _ = select.select([conn] + ended, [], [], None if ended else 0.2)
        if conn in ready and not conn.recv(1):  # the client is gone: the kernel goes too
            os.kill(kernel, signal.SIGKILL)


def _verdict(conn: socket.socket, request: dict) -> int:
    """Decide hidden tests on exported values (:mod:`~sensorlab.grading.verdict`) in this fork.

    A fork of the pre-imported zygote (no student code ever ran in it) instead of a fresh
    ``python -I`` that imports pandas for every submission; capped in memory and CPU before the
    values are read, and ended by an alarm after ``timeout`` seconds.
    """
    from sensorlab.grading import verdict

    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # what set-up cells print goes nowhere (the zygote's output is a pipe)
        os.dup2(quiet, fd)
    os.chdir(request["cwd"])
    signal.alarm(max(1, int(request["timeout"])))
    verdict.limit_self(int(request["memory_mb"]), int(request["cpu_s"]))
    try:
        with open(request["verdict"], encoding="utf-8") as fh:
            result = verdict.answer(json.load(fh))
    except MemoryError:  # the request itself did not fit
        result = {"error": "memory"}
    conn.sendall(json.dumps(result).encode())
    return 0


def verdict(path: str, request_file: str, cwd: str, memory_mb: int, cpu_s: int, timeout: float) -> dict:
    """Ask the zygote at ``path`` to decide the hidden tests in ``request_file``; its answer
    (see :func:`sensorlab.grading.verdict.answer`), or ``{"error": "timeout"}``."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect(path)
        socket.send_fds(conn, [json.dumps({"verdict": request_file, "cwd": cwd, "memory_mb": memory_mb,
                                           "cpu_s": cpu_s, "timeout": timeout}).encode()], [])
        chunks = []
        while chunk := conn.recv(1 << 16):
            chunks.append(chunk)
    except socket.timeout:
        return {"error": "timeout"}
    finally:
        conn.close()
    try:
        return json.loads(b"".join(chunks))
    except ValueError:  # ended without an answer: killed by its CPU limit or alarm
        return {"error": "stopped"}


def _sandbox_init_pid(bwrap_pid: int) -> int:
    """bubblewrap's process that holds the new namespaces (its child, PID 1 inside)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            children = open(f"/proc/{bwrap_pid}/task/{bwrap_pid}/children").read().split()
        except OSError:
            children = []
        if children:
            return int(children[0])
        time.sleep(0.005)
    raise RuntimeError("bubblewrap's sandbox process did not appear")


def _forward_signals(pid: int) -> None:
    """Pass the signals jupyter sends (interrupt, terminate) on to ``pid``."""
    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(sig, forward)


def _relay(libc, plan, limits) -> None:
    """The kernel's parent inside the sandbox: forwards signals to it and exits with its code.

    It keeps the grader's uid, which the kernel's uid cannot signal: a student's
    ``os.kill(os.getppid(), SIGKILL)`` is refused instead of ending the kernel.
    """
    kernel = os.fork()
    if kernel == 0:
        _become_kernel(libc, plan, limits)
    _forward_signals(kernel)
    code = os.waitstatus_to_exitcode(os.waitpid(kernel, 0)[1])
    os._exit(code if code >= 0 else 128 - code)


def _become_kernel(libc, plan, limits) -> None:
    """Drop privileges, apply the limits and run ipykernel in this (forked) process; never returns."""
    import resource

    from sensorlab.grading import sandbox

    code = 1
    try:
        os.setsid()  # its own process group: an interrupt reaches the kernel and what it started
        os.setgroups([])  # the zygote runs as root only (see Grader.use_zygote)
        os.setgid(plan.uid)
        os.setuid(plan.uid)
        _drop_capabilities(libc)
        # The pre-imported libraries already occupy address space: the memory limit is on top.
        mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        sandbox._apply_limits(limits, 0, nproc=False, base_mb=mapped // 2**20)
        resource.setrlimit(resource.RLIMIT_NPROC, (plan.nproc, plan.nproc))
        os.environ.clear()
        os.environ.update(plan.env)
        # as in any fresh Python (SIGPIPE and SIGXFSZ stay ignored, as the zygote inherited them)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _launch_kernel(plan.cmd[plan.cmd.index("-f") + 1])
        code = 0
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _launch_kernel(connection_file: str) -> None:
    """Run ipykernel on ``connection_file``, configured directly rather than from a command line.

    Building traitlets' command-line parser for every class of IPython costs 0.1 s a kernel;
    the only setting a graded kernel gets is its connection file (and no IPython history
    database: nobody reads a graded kernel's history).
    """
    from ipykernel.kernelapp import IPKernelApp
    from traitlets.config import Config

    class ConfiguredKernelApp(IPKernelApp):
        def parse_command_line(self, argv=None):
            """Nothing to parse: the configuration was given to the constructor."""

    config = Config()
    config.IPKernelApp.connection_file = connection_file
    config.HistoryManager.enabled = False
    app = ConfiguredKernelApp.instance(config=config)
    app.initialize([])
    app.start()


# ---------------------------------------------------------------- the client (what jupyter starts)

def client(path: str, cmd: list[str]) -> int:
    """Ask the zygote for a kernel; forward signals to it; exit with its exit code."""
    pidfile = os.environ.get("SENSORLAB_SANDBOX_PIDFILE")
    if pidfile:
        with open(pidfile, "w") as fh:
            fh.write(str(os.getpid()))
    keep = ("SENSORLAB_SANDBOX",)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    request = {"cmd": cmd, "cwd": os.getcwd(), "env": {k: os.environ[k] for k in keep if k in os.environ}}
    socket.send_fds(conn, [json.dumps(request).encode()], [1, 2])
    stream = conn.makefile("rb")
    reply = _recv(stream)
    if not reply or "pid" not in reply:
        sys.stderr.write(f"sensorlab: the kernel could not start in the sandbox: {reply}\n")
        return 1
    kernel = reply["pid"]
    _forward_signals(kernel)
    reply = _recv(stream)  # PEP 475: a forwarded signal does not interrupt the read
    code = int(reply.get("exit", 1)) if reply else 1
    return code if code >= 0 else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[0] == "serve":
        serve(argv[1])
        return 0
    return client(argv[1], argv[argv.index("--") + 1:])


if __name__ == "__main__":
    sys.exit(main())

"""Run a student's kernel in a sandbox: bubblewrap, a cgroup, limits, a clean environment.

The grader starts every kernel through ``kernels.SandboxedKernelManager``. Where bubblewrap
works (:func:`bwrap_works`: Debian's ``bubblewrap``, installed by ``python -m tools.setup_env --test``), kernels
are, as root, forked from a pre-imported process (:mod:`~sensorlab.grading.zygote`) that
prepares the same sandbox as :func:`main` does here before an ``exec`` (not root, where user
namespaces are allowed: :func:`main` itself, bubblewrap with ``--unshare-user``):

1. the submission's cgroup (:mod:`~sensorlab.grading.treecap`): memory and process count of
   the whole process tree, not of each process;
2. resource limits per process: address space (memory), CPU seconds, processes, file size;
3. a private copy of the working folder (plain files only, :mod:`~sensorlab.grading.plainfiles`),
   shown by bubblewrap at the working folder's path in a fresh root that holds nothing else but
   ``/usr``, ``/etc``, the Python environment and the ``sensorlab`` package (read-only), the
   kernel's socket folder, and empty ``/tmp``, ``/dev``, ``/proc``; no network, new PID, IPC
   and UTS namespaces. The repository (``grader/source*``), the course, the grader's scratch
   folder and every other submission are simply not there;
4. as root, an unprivileged uid per worker slot (the grader can kill all it left behind), with
   no capability;
5. exactly ``HOME``, ``PATH``, ``LANG`` (plus thread caps and the student's id for the data
   variants): nothing of the grading command's environment.

Without bubblewrap (a teacher's macOS laptop, user namespaces forbidden), :func:`main` applies
what it can: the limits, the clean environment, and as root the old private mount namespace
with the course folder hidden and the unprivileged uid. :func:`protections` says in one
sentence which protections hold and which are missing; ``sensorlab grade autograde`` prints it.

Examples
--------
>>> limits = Limits(memory_mb=512, cpu_s=20)
>>> Limits.from_json(limits.to_json()) == limits
True
>>> "limits" in protections()
True
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache

ENV_VAR = "SENSORLAB_SANDBOX"
SANDBOX_USER = "nobody"


@dataclass(frozen=True)
class Limits:
    """Per-submission limits; the defaults suit a class notebook with pandas and scikit-learn."""

    timeout_s: float = 300.0      # wall clock for the whole submission
    cell_timeout_s: int = 60      # one cell, then the kernel is interrupted
    memory_mb: int = 2048         # address space of the kernel
    cpu_s: int = 240              # CPU seconds of the kernel
    nproc: int = 256              # processes and threads of the sandbox user (fork bombs)
    fsize_mb: int = 64            # largest file the kernel may write
    disk_mb: int = 512            # all the kernel may write into its working copy (root: a tmpfs)
    output_kb: int = 512          # output kept per cell; the rest is dropped and flagged
    export_mb: int = 32           # a test cell's results sent to the grader (a big DataFrame is honest)
    hide: tuple = field(default=())  # folders hidden from the kernel (root only)
    base: str = ""                # grading scratch folder: made traversable (not listable) down to the work folder
    uid: int = 0                  # as root: run the kernel as this uid (one per worker slot), 0 = nobody
    isolate: bool = False         # run the kernel in bubblewrap (see :func:`bwrap_works`)
    work: str = ""                # empty folder for the kernel's private working copy (bubblewrap)
    cgroups: tuple = field(default=())  # cgroup folders capping the whole tree (sensorlab.grading.treecap)
    student: str = ""             # the student id the per-student data variants derive from

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Limits":
        data = json.loads(text)
        data["hide"] = tuple(data.get("hide", ()))
        data["cgroups"] = tuple(data.get("cgroups", ()))
        return cls(**data)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def protections(lang: str | None = None) -> str:
    """Which protections apply to student code when grading from this process, and which are
    missing, in the teacher's language (``lang``: "en" or "ko", default the current one).

    Probed, not assumed: bubblewrap is tried once, a capped cgroup is made and removed once.
    The teacher reads this at the top of every ``sensorlab grade autograde`` summary.
    """
    from sensorlab.grading import treecap
    from sensorlab.messages import text

    def say(key: str) -> str:
        return text(f"grade.sandbox.{key}", lang=lang)

    have = [say("limits"), say("clean_env"), say("no_links")]
    missing = []
    if bwrap_works():
        have.append(say("bwrap"))
    else:
        missing.append(say("no_bwrap") + (say("course_hidden") if is_root() else ""))
    if treecap.available():
        have.append(say("cgroup"))
    else:
        missing.append(say("no_cgroup"))
    if is_root():
        have.append(say("own_uid"))
    else:
        missing.append(say("not_root"))
    said = text("grade.sandbox.summary", lang=lang, have="; ".join(have))
    return said + (text("grade.sandbox.missing", lang=lang, missing="; ".join(missing)) if missing else "")


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    if libc.mount(os.fsencode(source), os.fsencode(target), fstype and os.fsencode(fstype), flags,
                  data and os.fsencode(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source} on {target} failed")


def _private_view(hide, scratch: str = "") -> None:
    """In a mount namespace of our own: hide ``hide`` behind empty read-only tmpfs mounts, and
    make the Python installation reachable when it lies under a folder the sandbox user cannot
    enter (pyenv under ``/root``): that folder gets an empty tmpfs with only Python in it."""
    libc = ctypes.CDLL(None, use_errno=True)
    CLONE_NEWNS, MS_REC, MS_PRIVATE, MS_RDONLY, MS_BIND = 0x00020000, 0x4000, 0x40000, 0x1, 0x1000
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) failed")
    _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
    prefix = os.path.realpath(sys.base_prefix)
    parts = prefix.strip("/").split("/")
    for depth in range(1, len(parts)):
        blocked = "/" + "/".join(parts[:depth])
        if not os.stat(blocked).st_mode & 0o001:
            keep = "/" + "/".join(parts[:depth + 1])
            stash = tempfile.mkdtemp(prefix="python-", dir=scratch or None)
            _mount(libc, keep, stash, None, MS_BIND | MS_REC)
            _mount(libc, "tmpfs", blocked, "tmpfs", 0, "size=64k,mode=0755")
            os.makedirs(keep, exist_ok=True)
            _mount(libc, stash, keep, None, MS_BIND | MS_REC)
            break
    for folder in hide:
        if os.path.isdir(folder):
            _mount(libc, "tmpfs", folder, "tmpfs", MS_RDONLY, "size=4k,mode=0755")


def _capped_work(folder: str, disk_mb: int) -> None:
    """Show ``folder`` as a tmpfs of ``disk_mb`` in a mount namespace of this process (root only).

    Files a student writes in bulk (64 MB each, ``fsize_mb``) would otherwise fill the grader's
    disk and stop the whole class's grading. The tmpfs ends with the last process of this
    namespace (this submission's sandbox): nothing is left mounted on the machine, and its pages
    count against the submission's cgroup.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    CLONE_NEWNS, MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV = 0x00020000, 0x4000, 0x40000, 0x2, 0x4
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) failed")
    _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"size={int(disk_mb)}m,mode=0700")


def uid_can_write(folder: str, uid: int) -> bool:
    """Whether ``uid`` can create a file in a folder it owns under ``folder`` (root only).

    Some systems refuse ids without a passwd entry in some file systems (seen: ``/tmp`` on a
    CI machine); the grader then tries another scratch place, or falls back to ``nobody``.
    """
    probe = tempfile.mkdtemp(prefix="probe-", dir=folder)
    try:
        os.chown(probe, uid, uid)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgid(uid)
                os.setuid(uid)
                open(os.path.join(probe, "x"), "w").close()
                os._exit(0)
            except BaseException:
                os._exit(1)
        return os.waitpid(pid, 0)[1] == 0
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def kill_user_processes(uid: int) -> int:
    """Kill every process of ``uid`` (root only; the uid of a worker slot); return how many."""
    killed = 0
    for _ in range(3):  # a fork bomb may fork between the scan and the kill
        pids = [int(e) for e in os.listdir("/proc") if e.isdigit() and _owner(e) == uid]
        for pid in pids:
            try:
                os.kill(pid, 9)
                killed += 1
            except OSError:
                pass
        if not pids:
            break
    return killed


def _owner(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def _user_process_count(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return count


#: With a cgroup capping the tree's real memory, the address-space limit only stops absurd
#: single allocations (a clean MemoryError instead of the cgroup's kill): address space is not
#: memory (pyarrow and numpy reserve far more than they touch), and ``memory_mb`` of address space
#: ran assignment 03's 1.1 million-row dataset out of memory.
ADDRESS_SPACE_FACTOR = 4


def address_space_mb(limits: Limits, base_mb: int = 0) -> int:
    """RLIMIT_AS in MB: ``memory_mb`` alone, or a multiple of it under a cgroup (on top of ``base_mb``)."""
    return base_mb + limits.memory_mb * (ADDRESS_SPACE_FACTOR if limits.cgroups else 1)


def _apply_limits(limits: Limits, uid: int, nproc: bool = True, base_mb: int = 0) -> None:
    mb = 1024 * 1024
    space = address_space_mb(limits, base_mb) * mb
    resource.setrlimit(resource.RLIMIT_AS, (space, space))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.fsize_mb * mb, limits.fsize_mb * mb))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not nproc:
        return
    # RLIMIT_NPROC counts every process of the user: leave the user's existing ones room.
    nproc = limits.nproc + (_user_process_count(uid) if uid != 0 else 0)
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def _check_workdir(workdir: str, base: str) -> None:
    """Refuse to hand a folder outside the grading scratch folder to the sandbox user.

    As root the sandbox gives the kernel's working folder to the sandbox user (``chown``,
    mode 0700). Done to a shared folder such as ``/tmp`` that would lock every other user
    out of it, so only a folder strictly inside ``base`` is accepted.
    """
    real, root = os.path.realpath(workdir), os.path.realpath(base) if base else ""
    if not root or os.path.commonpath([real, root]) != root or real == root:
        sys.exit(f"sensorlab sandbox: refusing to run a kernel in {workdir!r}: as root the "
                 "working folder must be a grading scratch folder inside "
                 f"{base or '(no scratch folder given: set Limits.base)'}")


KEPT_ENV = ("HOME", "PATH", "LANG")
#: One thread per numeric library: threads count as processes under the process caps.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def clean_env(home: str, limits: Limits) -> dict:
    """The whole environment student code sees: ``HOME``, ``PATH``, ``LANG`` and what grading needs.

    Nothing of the grading command's own environment (tokens, passwords, course paths) passes;
    besides the three, only the thread caps and the student's id (its data variant) are set.
    """
    path = os.pathsep.join(dict.fromkeys([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]))
    env = {"HOME": home, "PATH": path, "LANG": os.environ.get("LANG") or "C.UTF-8", **THREAD_ENV}
    if limits.student:
        env["SENSORLAB_STUDENT_ID"] = limits.student  # sensorlab.grading.variants (no import: stdlib only here)
    return env


@lru_cache(maxsize=1)
def bwrap_works() -> bool:
    """Whether bubblewrap can make a sandbox here: installed, and namespaces allowed (as root, or
    for another account where the kernel allows unprivileged user namespaces).

    Probed with the namespaces a kernel's sandbox uses. Not root, each kernel then starts through
    ``exec`` of bubblewrap (a fresh interpreter); as root it is forked from the pre-imported
    :mod:`~sensorlab.grading.zygote`, which joins the sandbox's namespaces (only root may).
    """
    exe = shutil.which("bwrap")
    if not exe:
        return False
    args = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid",
            "--unshare-net", "--unshare-ipc", "--die-with-parent"] + ([] if is_root() else ["--unshare-user"])
    try:
        return subprocess.run(args + ["true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _python_dirs() -> list[str]:
    """Folders the kernel's Python needs: the interpreter, the environment, this package."""
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    dirs = [os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix,
            os.path.join(package, "sensorlab")]
    out: list[str] = []
    for d in dirs:
        if os.path.isdir(d) and not any(d == o or d.startswith(o + os.sep) for o in out):
            out.append(d)
    return out


def bwrap_args(workdir: str, private: str, writable: list[str], env: dict) -> list[str]:
    """bubblewrap's command line: a fresh root holding only what a kernel needs.

    Read-only: the system (``/usr``, ``/etc``, the ``/lib`` links), the Python environment and
    the ``sensorlab`` package (with the datasets it bundles; not the repository around it, so
    not ``grader/source*``). Writable: the submission's private copy (shown at the kernel's
    working folder) and the kernel's socket folder. A fresh ``/tmp``, ``/dev`` and ``/proc``;
    no network (a new network namespace with only loopback), new PID, IPC and UTS namespaces;
    the environment is exactly ``env``.
    """
    args = [shutil.which("bwrap") or "bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net",
            "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc"]
    if is_root():  # the wrapper inside drops to the slot's uid; bwrap drops every other capability
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    binds = [("--ro-bind", d, d) for d in ["/usr", "/etc", *_python_dirs()] if os.path.isdir(d)]
    binds += [("--bind", private, workdir)] + [("--bind", w, w) for w in writable]
    parents = sorted({p for _, _, target in binds for p in _ancestors(target)})
    for parent in parents:  # bwrap would make missing parents 0700: the sandbox user could not pass
        args += ["--perms", "0755", "--dir", parent]
    for kind, src, target in binds:
        args += [kind, src, target]
    args += ["--chdir", workdir, "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def _ancestors(path: str) -> list[str]:
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1)
            if "/" + "/".join(parts[:i]) not in ("/usr", "/etc", "/tmp", "/dev", "/proc")]


def _chown_tree(path: str, uid: int) -> None:
    os.chown(path, uid, uid)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def _connection_file(cmd: list[str], folder: str, uid: int | None) -> dict:
    """Copy the kernel's connection file into ``folder`` (seen by the kernel); return its content."""
    info = {}
    if "-f" in cmd:  # the connection file sits in the grader's private runtime folder
        i = cmd.index("-f") + 1
        with open(cmd[i], encoding="utf-8") as fh:
            info = json.load(fh)
        copy = os.path.join(folder, ".kernel-connection.json")
        shutil.copyfile(cmd[i], copy)
        if uid is not None:
            os.chown(copy, uid, uid)
        cmd[i] = copy
    return info


@dataclass
class IsolatedPlan:
    """What a kernel in bubblewrap needs, prepared as root before anything of the student's runs."""

    bwrap: list          # bubblewrap's options (without ``--`` and the command)
    cmd: list            # the kernel's command line, as seen inside the sandbox
    env: dict            # the kernel's whole environment
    workdir: str         # the kernel's working folder (the private copy is shown there)
    uid: int | None      # as root: the uid the kernel runs as
    nproc: int           # RLIMIT_NPROC for that uid


def plan_isolated(cmd: list[str], limits: Limits) -> IsolatedPlan:
    """Prepare the private working copy, the socket folder and bubblewrap's command line."""
    from sensorlab.grading.plainfiles import copy_plain_tree

    workdir = os.getcwd()
    _check_workdir(workdir, limits.base)
    _check_workdir(limits.work, limits.base)
    if is_root():
        _capped_work(limits.work, limits.disk_mb)
    # The kernel works on a copy: whatever it creates (links included) never lands where the
    # grader later writes the graded notebook.
    copy_plain_tree(workdir, limits.work, ignore=("*.ipynb", ".kernel-connection.json"))
    uid = (limits.uid or pwd_uid(SANDBOX_USER)) if is_root() else None
    info = _connection_file(cmd, limits.work, uid)
    inside = os.path.join(workdir, ".kernel-connection.json")
    cmd = [inside if c == os.path.join(limits.work, ".kernel-connection.json") else c for c in cmd]
    writable = [os.path.dirname(info["ip"])] if info.get("transport") == "ipc" else []
    os.makedirs(os.path.join(limits.work, ".home"), exist_ok=True)
    env = clean_env(os.path.join(workdir, ".home"), limits)
    nproc = limits.nproc
    if uid is not None:
        _chown_tree(limits.work, uid)
        for folder in writable:
            os.chown(folder, uid, uid)
            os.chmod(folder, 0o700)
        nproc += _user_process_count(uid)
    return IsolatedPlan(bwrap_args(workdir, limits.work, writable, env), cmd, env, workdir, uid, nproc)


def _run_isolated(cmd: list[str], limits: Limits) -> None:
    """Start the kernel in bubblewrap on a private copy of its working folder (never returns)."""
    plan = plan_isolated(cmd, limits)
    if plan.uid is not None:
        _apply_limits(limits, 0, nproc=False)
        inner = [sys.executable, "-m", "sensorlab.grading.sandbox", "--drop", str(plan.uid), str(plan.nproc), "--"]
    else:
        _apply_limits(limits, os.getuid())
        inner = []
    argv = plan.bwrap + ["--"] + inner + plan.cmd
    os.execv(argv[0], argv)


def pwd_uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid


def _drop(argv: list[str]) -> None:
    """Inside bubblewrap (root case): become the slot's uid, cap its processes, run the kernel."""
    uid, nproc, cmd = int(argv[1]), int(argv[2]), argv[argv.index("--") + 1:]
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # from uid 0 to another: every capability is gone
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    os.execv(cmd[0], cmd)


def main(argv: list[str] | None = None) -> None:
    """Apply the limits and the sandbox, then ``exec`` the kernel command after ``--``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--drop":
        return _drop(argv)
    cmd = argv[argv.index("--") + 1:] if "--" in argv else argv
    limits = Limits.from_json(os.environ.get(ENV_VAR) or Limits().to_json())
    pidfile = os.environ.get("SENSORLAB_SANDBOX_PIDFILE")
    if pidfile:  # the grader kills this process group when the submission is over
        try:
            with open(pidfile, "w") as fh:
                fh.write(str(os.getpid()))
        except OSError:
            pass
    if limits.cgroups:  # before anything else starts: every later process is counted
        from sensorlab.grading import treecap

        treecap.join(limits.cgroups)
    if limits.isolate:
        _run_isolated(cmd, limits)
    uid = os.getuid()
    if is_root():
        import pwd

        user = pwd.getpwnam(SANDBOX_USER)
        if limits.uid:  # a uid of its own per worker slot: process limits and clean-up never touch another student
            user = pwd.struct_passwd((SANDBOX_USER, "x", limits.uid, limits.uid, "", "/", "/bin/false"))
        workdir = os.getcwd()
        _check_workdir(workdir, limits.base)
        os.chown(workdir, user.pw_uid, user.pw_gid)
        os.chmod(workdir, 0o700)
        # Let the user reach its own folder through the scratch folders, without listing them.
        parent = os.path.dirname(workdir)
        while limits.base and parent.startswith(limits.base) and parent != os.path.dirname(limits.base):
            os.chmod(parent, os.stat(parent).st_mode | 0o001)
            parent = os.path.dirname(parent)
        info = _connection_file(cmd, workdir, user.pw_uid)
        if info.get("transport") == "ipc":
            os.chown(os.path.dirname(info["ip"]), user.pw_uid, user.pw_gid)
        for sub in (".home", ".home/.ipython", ".home/.config/matplotlib"):
            os.makedirs(os.path.join(workdir, sub), exist_ok=True)
            os.chown(os.path.join(workdir, sub), user.pw_uid, user.pw_gid)
        env = clean_env(os.path.join(workdir, ".home"), limits)
        _private_view(limits.hide, limits.base)
        uid = user.pw_uid
        _apply_limits(limits, uid)
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    else:
        env = clean_env(os.environ.get("HOME", os.getcwd()), limits)
        _apply_limits(limits, uid)
    os.execvpe(cmd[0], cmd, env)


if __name__ == "__main__":
    main()

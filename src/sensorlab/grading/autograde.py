"""Parallel, resilient autograding: every submission gets a grade or a flag, never a silent 0.

``sensorlab grade autograde ASSIGNMENT --jobs N`` runs real nbgrader (its ``Autograde``
converter, the same preprocessors, the same gradebook rules) once per submission, in worker
processes forked from this one (nbgrader is imported once, not once per student), each in a
private scratch course with its own copy of the gradebook. Only this process writes the
course's gradebook (SQLite dislikes concurrent writers): it merges each worker's grades the way
nbgrader's ``SaveAutoGrades`` would, keeping any manual grades already given. Grades are the
ones serial ``nbgrader autograde`` gives, except where we deliberately do better:

- :mod:`~sensorlab.grading.precheck` restores tampered metadata (nbgrader: whole submission 0),
  refuses corrupt or wrong-assignment files with a flag;
- a cell that kills the kernel (``os._exit``, memory, CPU limit) or hangs it past the
  submission timeout is replaced by an error and the submission graded again (nbgrader: 0);
- kernels run in :mod:`~sensorlab.grading.sandbox` (bubblewrap, a cgroup per submission, a
  clean environment), as root forked from a pre-imported :mod:`~sensorlab.grading.zygote`, and talk
  over Unix sockets (no TCP port to race for); cut output is flagged;
- a submission is read and copied as plain files only (:mod:`~sensorlab.grading.plainfiles`):
  a link or a fifo is flagged, never followed, and nothing is written through a student's path.

Flags are stored beside the gradebook in ``grading-flags.json`` and set nbgrader's own
``flagged`` mark, so the formgrader shows them too.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sqlite3
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from sensorlab.errors import SensorLabError
from sensorlab.grading import course, treecap, variants, zygote
from sensorlab.grading.outside import autograde_preprocessors
from sensorlab.grading.plainfiles import NotPlainFile, chmod_plain_tree, copy_plain_tree, read_plain
from sensorlab.grading.precheck import Flag, check_notebook
from sensorlab.grading.kernels import (PIDFILE_ENV, PROGRESS_ENV, SOCKETS_ENV, ResilientExecute,  # noqa: F401
                                       SandboxedKernelManager)

from sensorlab.messages import text
from sensorlab.grading.sandbox import (ENV_VAR, Limits, bwrap_works, is_root, kill_user_processes,
                                       uid_can_write)

#: First uid of the worker slots' sandbox users (as root): a run holding uid block b runs slot
#: n's student code as SLOT_UID + b * SLOT_BLOCK + n.
SLOT_UID = 61000
SLOT_BLOCK = 64
#: How many grading runs may hold a uid block at once on one machine.
SLOT_BLOCKS = 64


def claim_uid_block(lock_dir: str | os.PathLike | None = None):
    """Hold a block of sandbox uids for this grading run: return its first uid and the lock.

    The lock (an ``flock`` on a file in a root-only folder) lasts until the returned file is
    closed or the process ends, so a crashed run frees its block too.
    """
    import fcntl

    folder = Path(lock_dir or Path(tempfile.gettempdir()) / "sensorlab-grade-uids")
    folder.mkdir(mode=0o700, exist_ok=True)
    for block in range(SLOT_BLOCKS):
        handle = open(folder / f"{block}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return SLOT_UID + block * SLOT_BLOCK, handle
    raise SensorLabError(f"{SLOT_BLOCKS} grading runs are already going on this machine: wait for one to end")

FLAGS_FILE = "grading-flags.json"
#: Held (``flock``) by the one grading run of a course; it names that run's process id.
LOCK_FILE = ".sensorlab-grading.lock"


def claim_course(root: Path):
    """Hold the course for this grading run, or refuse with a sentence naming the run holding it.

    Two runs on one course would each replace ``autograded/<student>/`` while the other copies
    into it and each rewrite ``grading-flags.json`` (one run's flags lost). The ``flock`` ends with
    the returned file or the process, so a killed run never leaves the course locked.
    """
    import fcntl

    handle = open(root / LOCK_FILE, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise SensorLabError(text("grade.course_busy", pid=holder, path=root)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle

_STOPPED = "raise RuntimeError('The grader skipped this cell: {why}')"


@dataclass
class Outcome:
    """What happened to one submission."""

    student: str
    flags: list = field(default_factory=list)
    graded: bool = True
    #: False when its grades (or its 0 points) could not be written into the gradebook
    recorded: bool = True
    seconds: float = 0.0
    attempts: int = 1

    @property
    def kinds(self) -> list[str]:
        return [f.kind for f in self.flags]


# ---------------------------------------------------------------- worker (forked child)

def _grade_in_scratch(spec: dict) -> dict:
    """Run nbgrader's Autograde on one prepared submission in its scratch course."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    _scratch_gradebook_without_fsync()
    _one_engine_per_gradebook_file()
    _tables_made_once()
    _schema_checked_once()
    os.environ[ENV_VAR] = spec["limits"]
    os.environ[PROGRESS_ENV] = spec["progress"]
    os.environ[PIDFILE_ENV] = spec["pidfile"]
    os.environ[SOCKETS_ENV] = spec["sockets"]
    if spec.get("zygote"):
        os.environ[zygote.ENV_VAR] = spec["zygote"]
    os.environ[variants.ENV_VAR] = spec["student"]  # per-student data variants (sensorlab.grading.variants)
    scratch, assignment, student = Path(spec["scratch"]), spec["assignment"], spec["student"]
    config = course.load_config(spec["root"])
    config.CourseDirectory.root = str(scratch / "course")
    config.CourseDirectory.source_directory = spec["source_directory"]
    config.CourseDirectory.db_url = spec["db_url"]
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    config.Execute.timeout = spec["cell_timeout"]
    config.Autograde.autograde_preprocessors = autograde_preprocessors(ResilientExecute)
    app = _PlainAutograde(coursedir=CourseDirectory(config=config), config=config)
    app.force, app.create_student = True, True
    result = capture_log(app)
    out = {"success": bool(result.get("success")), "log": (result.get("log") or "")[-4000:],
           "error": (result.get("error") or "")[-4000:]}
    if not out["success"]:
        return out
    grades, comments, penalties = {}, {}, {}
    with Gradebook(spec["db_url"], course.COURSE_ID) as gb:
        sub = gb.find_submission(assignment, student)
        out["timestamp"] = sub.timestamp.isoformat() if sub.timestamp else None
        for nb in sub.notebooks:
            grades[nb.name] = {g.name: [g.auto_score, bool(g.needs_manual_grade)] for g in nb.grades}
            comments[nb.name] = {c.name: c.auto_comment for c in nb.comments}
            penalties[nb.name] = nb.late_submission_penalty
    out.update(grades=grades, comments=comments, penalties=penalties)
    return out


def _scratch_gradebook_without_fsync() -> None:
    """In this one-submission process, SQLite neither syncs nor journals to disk.

    Its only database is the scratch copy of the gradebook, thrown away after the grades are
    read back (the parent records them in the course's gradebook): nbgrader commits some 30
    times per submission, and each sync to disk cost 7 ms on a busy machine.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _no_sync(dbapi_connection, connection_record):
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute("PRAGMA journal_mode=MEMORY")


def _one_engine_per_gradebook_file() -> None:
    """nbgrader opens the gradebook ten times per submission, each with an engine of its own,
    so every query was compiled anew each time, and each close dropped the connection; in this
    one-submission process they share one engine, its compiled statements and its connections
    (the process and its scratch gradebook end together)."""
    from nbgrader import api

    engines: dict = {}
    make = api.create_engine

    def create_engine(url, *args, **kwargs):
        key = (str(url), repr(args), repr(sorted(kwargs.items())))
        if key not in engines:
            engine = engines[key] = make(url, *args, **kwargs)
            engine.dispose = lambda *args, **kwargs: None  # Gradebook.close: keep the connection
        return engines[key]

    api.create_engine = create_engine


def _tables_made_once() -> None:
    """Every gradebook nbgrader opens lists the database's tables and creates the missing ones
    (some 20 queries); in this one-submission process, where the engine is shared
    (:func:`_one_engine_per_gradebook_file`), only the first open of a file does."""
    from types import SimpleNamespace

    from nbgrader import api

    made: dict = {}
    create_all, inspect = api.Base.metadata.create_all, api.inspect

    def create_all_once(bind=None, **kwargs):
        if bind is None or id(bind) not in made:
            create_all(bind=bind, **kwargs)
            if bind is not None:
                made[id(bind)] = (bind, inspect(bind).get_table_names())  # the engine kept: its id stays its own

    def inspect_once(subject, *args, **kwargs):
        if id(subject) in made:
            return SimpleNamespace(get_table_names=lambda: list(made[id(subject)][1]))
        return inspect(subject, *args, **kwargs)

    api.Base.metadata.create_all = create_all_once
    api.inspect = inspect_once


def _schema_checked_once() -> None:
    """nbgrader validates every cell's metadata with ``jsonschema.validate``, which first checks
    the schema itself against its meta-schema: 40 times per notebook, a third of a worker's CPU.
    Here the schema is checked once; each cell is validated exactly as before."""
    from types import SimpleNamespace

    import jsonschema
    from nbgrader.nbgraderformat import common

    validators: dict = {}

    def validate(instance, schema):
        key = id(schema)
        if key not in validators:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validators[key] = (schema, cls(schema))  # the schema kept alive: its id stays its own
        error = jsonschema.exceptions.best_match(validators[key][1].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = SimpleNamespace(validate=validate)


#: Modules a worker would otherwise import for every submission (jupyter_client looks up
#: IPython's folder, nbgrader the late-penalty plugin): imported once, before the forks.
WORKER_PRELOAD = ("IPython.paths", "ipykernel.kernelspec", "sensorlab.grading.late")


def _plain_autograde_class():
    from nbgrader.converters import Autograde

    class PlainAutograde(Autograde):
        """nbgrader's Autograde, but its chmod of the output never follows a link."""

        def set_permissions(self, assignment_id: str, student_id: str) -> None:
            dest = os.path.normpath(self._format_dest(assignment_id, student_id))
            chmod_plain_tree(dest, int(str(self.permissions), 8))

    return PlainAutograde


def _PlainAutograde(**kwargs):
    return _plain_autograde_class()(**kwargs)


def _die_with_grader(parent: int) -> None:
    """End this worker when the grader ends (killed, the laptop lid closed): an orphan would go on
    grading for nobody and hold the course lock, so the teacher's re-run would be refused."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the grader was gone before the line above
        os._exit(1)


def _child(spec: dict) -> None:
    os.setpgid(0, 0)  # the parent can stop this worker and all it started in one go
    _die_with_grader(spec["parent"])
    for fd in spec["close_fds"]:  # the course lock is the grader's alone (see claim_course)
        os.close(fd)
    if is_root():
        os.umask(0o077)  # files nbgrader writes (hidden tests included) stay unreadable to nobody
    try:
        out = _grade_in_scratch(spec)
    except BaseException:  # noqa: BLE001 - anything goes wrong: report it, never hang
        out = {"success": False, "error": traceback.format_exc()[-4000:], "log": ""}
    Path(spec["result"]).write_text(json.dumps(out), encoding="utf-8")
    os._exit(0)


# ---------------------------------------------------------------- parent

def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _snapshot_gradebook(db_url: str, dest: Path) -> None:
    """A consistent copy of the SQLite gradebook (safe even while the formgrader reads it)."""
    src = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(dest)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


class Grader:
    """Grades the submissions of one assignment, ``jobs`` at a time.

    Parameters
    ----------
    root : course folder (with ``nbgrader_config.py``, ``source/``, ``submitted/``)
    assignment : assignment name
    lang : "en" or "ko": grade against that language's release (default: the course setting,
        ``$SENSORLAB_COURSE_LANG``)
    jobs : parallel workers (default: the number of CPU cores)
    limits : per-submission limits (:class:`~sensorlab.grading.sandbox.Limits`)
    """

    def __init__(self, root, assignment: str, jobs: int | None = None, limits: Limits | None = None,
                 progress: bool = True, lang: str | None = None):
        self.root = Path(root).resolve()
        self.assignment = assignment
        self.lang = lang
        self.jobs = min(max(1, jobs or os.cpu_count() or 1), SLOT_BLOCK)
        self.own_uids, self._uid_lock = False, None
        self.limits = limits or Limits()
        self.progress = progress
        self.config = course.load_config(self.root, lang)
        self.source = course.source_dir(self.root, lang)
        self.db_url = self.config.CourseDirectory.db_url
        self.outcomes: dict[str, Outcome] = {}
        self.isolate = bwrap_works()
        self.use_cgroups = treecap.available()
        # kernels forked pre-imported into the bubblewrap sandbox: joining its namespaces needs root
        self.use_zygote = self.isolate and is_root()
        self.zygote_socket = None
        self._open_gradebook, self._open_file = None, None

    # -- preparation
    def _release_notebooks(self) -> dict:
        release = self.root / "release" / self.assignment
        if not release.is_dir() or not (self.root / "gradebook.db").exists():
            course.check(course.api(self.root, self.lang).generate_assignment(self.assignment),
                         "generate_assignment")
        return {p.stem: nbformat.read(str(p), as_version=4) for p in sorted(release.glob("*.ipynb"))}

    def _other_releases(self) -> dict:
        out = {}
        for name in course.assignments(self.root, self.lang):
            if name != self.assignment:
                for p in (self.source / name).glob("*.ipynb"):
                    try:
                        out[name] = nbformat.read(str(p), as_version=4)
                    except Exception:  # noqa: BLE001 - a broken source must not stop grading
                        pass
        return out

    def students(self) -> list[str]:
        sub = self.root / "submitted"
        return sorted(p.parent.name for p in sub.glob(f"*/{self.assignment}") if p.is_dir())

    def _prepare(self, student: str, releases: dict, others: dict, dest: Path) -> tuple[list, bool]:
        """Copy one submission into ``dest`` after prechecks; return (flags, should_run)."""
        src = self.root / "submitted" / student / self.assignment
        for folder in (src.parent, src):
            if folder.is_symlink() or not folder.is_dir():
                raise NotPlainFile(0, text("grade.plainfile.not_folder", name=folder.relative_to(self.root)))
        # other files travel as nbgrader would take them (timestamp, submission secret, data
        # the student made), as plain copies: no link is followed, no fifo or device opened
        skipped = copy_plain_tree(src, dest, ignore=("*.ipynb", ".ipynb_checkpoints"),
                                  file_mode=0o600, dir_mode=0o700)
        flags, run = [], True
        if skipped:
            more = [text("grade.precheck.and_more", count=len(skipped) - 5)] if len(skipped) > 5 else []
            flags.append(Flag("tampered", text("grade.precheck.not_copied", files=" ".join(["; ".join(skipped[:5])]
                                                                                          + more))))
        found = {p.stem: p for p in src.glob("*.ipynb")}
        for name, release in releases.items():
            path = found.get(name)
            if path is None:
                spare = [p for stem, p in found.items() if stem not in releases]
                if len(spare) == 1:
                    path = spare[0]
                    flags.append(Flag("renamed", text("grade.precheck.renamed", found=path.name, name=name)))
                else:
                    flags.append(Flag("missing", text("grade.precheck.missing", name=name)))
                    continue
            try:
                data = read_plain(path)
            except OSError as err:  # NotPlainFile too: a link, a fifo, a huge file
                data = b""
                flags.append(Flag("corrupt", text("grade.precheck.unreadable", file=path.name, error=err.strerror)))
            nb, nb_flags = check_notebook(data, release, others)
            flags += nb_flags
            if nb is None:
                run = False
            else:
                nbformat.write(nb, str(dest / f"{name}.ipynb"))
        return flags, run and any(dest.glob("*.ipynb"))

    # -- running
    def _spec(self, student: str, scratch: Path, slot: int, cap) -> dict:
        hide = (str(self.root),) if is_root() else ()
        limits = Limits(**{**self.limits.__dict__, "hide": hide, "base": str(self.base),
                           "uid": self.slot_uid(slot), "isolate": self.isolate,
                           "work": str(scratch / "work"), "student": student,
                           "cgroups": cap.paths if cap else ()})
        return {"parent": os.getpid(), "close_fds": [self._course_lock.fileno()], "sockets": str(scratch / "k"), "zygote": self.zygote_socket,"root": str(self.root), "assignment": self.assignment, "student": student,
                "source_directory": self.source.name,
                "scratch": str(scratch), "db_url": f"sqlite:///{scratch / 'private' / 'gradebook.db'}",
                "limits": limits.to_json(), "cell_timeout": int(self.limits.cell_timeout_s),
                "progress": str(scratch / "private" / "progress.json"),
                "pidfile": str(scratch / "private" / "kernel.pid"),
                "result": str(scratch / "private" / "result.json")}

    def _scratch(self, student: str, attempt: int) -> Path:
        scratch = Path(tempfile.mkdtemp(prefix="s-", dir=self.base))
        (scratch / "private").mkdir(mode=0o700)
        (scratch / "k").mkdir(mode=0o700)  # the kernel's sockets
        (scratch / "work").mkdir(mode=0o700)  # the kernel's private working copy (bubblewrap)
        source = scratch / "course" / self.source.name
        source.mkdir(parents=True)
        shutil.copytree(self.source / self.assignment, source / self.assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        os.chmod(source, 0o700)
        shutil.copy2(self.base / "template.db", scratch / "private" / "gradebook.db")
        shutil.copytree(self.base / "in" / student, scratch / "course" / "submitted" / student)
        os.chmod(scratch / "course" / "submitted", 0o700)
        return scratch

    def _start(self, student: str, attempt: int, slot: int):
        scratch = self._scratch(student, attempt)
        cap = treecap.create(self.limits.memory_mb, self.limits.nproc) if self.use_cgroups else None
        spec = self._spec(student, scratch, slot, cap)
        gc.freeze()  # the worker's garbage collector leaves the grader's objects alone: no copying them
        proc = multiprocessing.get_context("fork").Process(target=_child, args=(spec,), daemon=True)
        proc.start()
        return {"student": student, "proc": proc, "spec": spec, "start": time.monotonic(),
                "attempt": attempt, "scratch": scratch, "slot": slot, "cap": cap}

    def _fill(self, queue: list, running: list) -> None:
        """Start queued submissions on the free worker slots."""
        while queue and len(running) < self.jobs:
            free = min(set(range(self.jobs)) - {r["slot"] for r in running})
            running.append(self._start(*queue.pop(0), slot=free))

    def _finish(self, run: dict, timed_out: bool) -> dict:
        proc, spec = run["proc"], run["spec"]
        if timed_out:
            _kill_group(proc.pid)
        proc.join(5)
        for path in (spec["pidfile"],):
            try:
                _kill_group(int(Path(path).read_text()))
            except (OSError, ValueError):
                pass
        if run["cap"] is not None:  # the whole tree, whatever uid or session it runs in
            run["cap"].close()
        if self.own_uids:  # whatever the student started (fork bombs, daemons) ends with the submission
            kill_user_processes(self.slot_uid(run["slot"]))
        try:
            out = json.loads(Path(spec["result"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out = {"success": False, "error": "the grading worker stopped without a result", "log": ""}
        if timed_out:
            out = {"success": False, "timed_out": True, "log": "", "error": ""}
        try:
            out["progress"] = json.loads(Path(spec["progress"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out["progress"] = None
        return out

    def _scratch_base(self):
        """A scratch folder, and the uid each worker slot's student code runs as.

        As root, each slot gets a uid of its own where the file system lets such a uid write
        (probed), from a block of uids this run holds alone (:func:`claim_uid_block`): two
        grading runs on one machine (two classes at once, or tests in parallel) never kill or
        limit each other's kernels. Otherwise every slot runs as ``nobody`` (limits are then
        shared, and no process is killed by uid).
        """
        if not is_root():
            return Path(tempfile.mkdtemp(prefix="sensorlab-grade-")), lambda slot: 0
        first, self._uid_lock = claim_uid_block()
        for folder in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
            if os.path.isdir(folder) and uid_can_write(folder, first):
                self.own_uids = True
                return Path(tempfile.mkdtemp(prefix="sensorlab-grade-", dir=folder)), lambda slot: first + slot
        import pwd
        nobody = pwd.getpwnam("nobody").pw_uid
        return Path(tempfile.mkdtemp(prefix="sensorlab-grade-")), lambda slot: nobody

    def run(self, students: list[str] | None = None) -> dict[str, Outcome]:
        """Grade ``students`` (default: every submission) and merge into the gradebook.

        Refuses (:class:`~sensorlab.errors.SensorLabError`) while another run grades this course.
        """
        self._course_lock = claim_course(self.root)
        try:
            return self._run(students)
        finally:
            self._course_lock.close()

    def _run(self, students: list[str] | None) -> dict[str, Outcome]:
        from tqdm.auto import tqdm

        import importlib

        course.ensure_tools_on_path()
        for name in WORKER_PRELOAD:
            importlib.import_module(name)
        releases = self._release_notebooks()
        others = self._other_releases()
        students = students or self.students()
        self.base, self.slot_uid = self._scratch_base()
        if self.own_uids:  # leftovers of an interrupted run must not count against the new limits
            for slot in range(self.jobs):
                kill_user_processes(self.slot_uid(slot))
        fork_server = None
        try:
            if self.use_zygote and self.isolate:  # imports while the submissions are prepared
                fork_server, self.zygote_socket = zygote.start(self.base)
            _snapshot_gradebook(self.db_url, self.base / "template.db")
            (self.base / "in").mkdir(mode=0o700)  # every submission of the batch: the grader's eyes only
            queue = []
            for student in students:
                try:
                    flags, should_run = self._prepare(student, releases, others,
                                                      self.base / "in" / student / self.assignment)
                except Exception as err:  # noqa: BLE001 - one unreadable submission never stops the class
                    flags, should_run = [Flag("corrupt", text("grade.precheck.submission_unreadable",
                                                                       error=err))], False
                self.outcomes[student] = Outcome(student, flags, graded=should_run)
                if should_run:
                    queue.append((student, 1))
                else:
                    self._merge_zero(student, releases)
            bar = tqdm(total=len(students), desc=f"autograde {self.assignment}", unit="sub",
                       disable=not self.progress, initial=len(students) - len(queue),
                       file=self.progress if hasattr(self.progress, "write") else None)
            if fork_server is not None and queue:
                zygote.wait_ready(fork_server)
            running: list[dict] = []
            while queue or running:
                self._fill(queue, running)
                # wakes the moment a worker ends (or at its submission's deadline)
                first_deadline = min(r["start"] for r in running) + self.limits.timeout_s
                multiprocessing.connection.wait([r["proc"].sentinel for r in running],
                                                timeout=max(0.0, first_deadline - time.monotonic()))
                finished = []
                for run in list(running):
                    elapsed = time.monotonic() - run["start"]
                    timed_out = run["proc"].is_alive() and elapsed > self.limits.timeout_s
                    if run["proc"].is_alive() and not timed_out:
                        continue
                    running.remove(run)
                    finished.append((run, self._finish(run, timed_out), elapsed))
                self._fill(queue, running)  # the next ones run while these are recorded
                for run, out, elapsed in finished:
                    if self._handle(run, out, releases):
                        queue.insert(0, (run["student"], run["attempt"] + 1))
                    else:
                        self.outcomes[run["student"]].seconds += elapsed
                        bar.update(1)
                    shutil.rmtree(run["scratch"], ignore_errors=True)
            bar.close()
        finally:
            self._close_gradebook()
            gc.unfreeze()
            if fork_server is not None:
                fork_server.kill()
                fork_server.wait()
            shutil.rmtree(self.base, ignore_errors=True)
            if self._uid_lock is not None:
                self._uid_lock.close()  # the uid block is free for the next run
        self._save_flags()
        return self.outcomes

    # -- results
    def _handle(self, run: dict, out: dict, releases: dict) -> bool:
        """Merge a finished run; return True when the submission should be graded again."""
        student, outcome = run["student"], self.outcomes[run["student"]]
        outcome.attempts = run["attempt"]
        if out.get("success"):
            try:
                self._flag_outputs(run, outcome)
                self._merge(student, out)
            except Exception as err:  # noqa: BLE001 - record the problem, grade the others
                outcome.flags.append(Flag("crashed", text("grade.reason.not_recorded", error=err)))
                outcome.graded = outcome.recorded = False
            return False
        log = (out.get("error") or "") + (out.get("log") or "")
        self.debug_log = getattr(self, "debug_log", []) + [(student, log[-3000:])]
        if out.get("timed_out"):
            kind, why = "timed_out", text("grade.reason.submission_timeout", seconds=self.limits.timeout_s)
        elif "Inconsistent checksums" in log:
            kind, why = "tampered", text("grade.reason.tampered")
        elif "DeadKernel" in log or "Kernel died" in log or "UnresponsiveKernel" in log:
            kind, why = "crashed", text("grade.reason.kernel_died")
        elif "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
            kind, why = "timed_out", text("grade.reason.cell_timeout", seconds=self.limits.cell_timeout_s)
        else:
            from sensorlab.grading.reasons import nbgrader_failure

            kind, why = "crashed", nbgrader_failure(log)
        culprit = self._neutralise(student, out.get("progress"), why)
        if culprit and run["attempt"] < 3:
            outcome.flags.append(Flag(kind, text("grade.reason.cell_skipped", why=why, cell=culprit)))
            return True
        outcome.flags.append(Flag(kind, text("grade.reason.nothing_graded", why=why)))
        outcome.graded = False
        self._merge_zero(student, releases)
        return False

    def _neutralise(self, student: str, progress: dict | None, why: str) -> str | None:
        """Replace the student cell that stopped the kernel with a raise; return its label."""
        if not progress:
            return None
        folder = self.base / "in" / student / self.assignment
        for path in folder.glob("*.ipynb"):
            nb = nbformat.read(str(path), as_version=4)
            code = [c for c in nb.cells if c.cell_type == "code"]
            hits = [i for i, c in enumerate(code) if c.source == progress["source"]]
            if not hits:
                continue
            i = hits[0]
            while i >= 0 and code[i].metadata.get("nbgrader", {}).get("locked"):
                i -= 1  # a locked (test) cell died: the student's code above it is to blame
            if i < 0 or code[i].source.startswith("raise RuntimeError('The grader skipped"):
                return None
            label = code[i].metadata.get("nbgrader", {}).get("grade_id") or f"#{nb.cells.index(code[i]) + 1}"
            code[i].source = _STOPPED.format(why=why.replace("'", ""))
            nbformat.write(nb, str(path))
            return label
        return None

    def _flag_outputs(self, run: dict, outcome: Outcome) -> None:
        folder = run["scratch"] / "course" / "autograded" / run["student"] / self.assignment
        seen = set(outcome.kinds)
        for path in folder.glob("*.ipynb"):
            nb = nbformat.read(str(path), as_version=4)
            for cell in nb.cells:
                label = cell.metadata.get("nbgrader", {}).get("grade_id") or text("grade.reason.a_cell")
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error" and out.get("ename") == "MemoryError" and "over_memory" not in seen:
                        outcome.flags.append(Flag("over_memory", text("grade.reason.cell_memory", cell=label,
                                                                      mb=self.limits.memory_mb)))
                        seen.add("over_memory")
                    if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError" and "timed_out" not in seen:
                        outcome.flags.append(Flag("timed_out", text("grade.reason.cell_interrupted", cell=label,
                                                                    seconds=self.limits.cell_timeout_s)))
                        seen.add("timed_out")
                    if out.get("output_type") == "stream" and "[output cut:" in out.get("text", "") and "huge_output" not in seen:
                        outcome.flags.append(Flag("huge_output", text("grade.reason.cell_output", cell=label,
                                                                      kb=self.limits.output_kb)))
                        seen.add("huge_output")
        dest = self.root / "autograded" / run["student"] / self.assignment
        if dest.exists():
            shutil.rmtree(dest)
        # plain copies only: a link left by student code copies no file it points at
        copy_plain_tree(folder, dest, ignore=(".home", ".kernel-connection.json"))

    @contextlib.contextmanager
    def _gradebook(self):
        """The course's gradebook, open for the whole run: a gradebook opened anew for every
        submission checked the schema and compiled every query again. After a failure it is
        closed and opened again for the next submission, and so it is when the file at the
        gradebook's path is no longer the one opened (a restored copy or a sync client renamed
        another file into place: SQLite refuses to write into the one it had open)."""
        from nbgrader.api import Gradebook

        if self._open_gradebook is not None and self._gradebook_file() != self._open_file:
            self._close_gradebook()
        if self._open_gradebook is None:
            self._open_file = self._gradebook_file()
            self._open_gradebook = Gradebook(self.db_url, course.COURSE_ID)
        try:
            yield self._open_gradebook
        except BaseException:
            self._close_gradebook()
            raise

    def _gradebook_file(self) -> tuple | None:
        """Which file the gradebook's path names now (device, inode), or None when there is none."""
        try:
            info = os.stat(self.db_url.removeprefix("sqlite:///"))
        except OSError:
            return None
        return info.st_dev, info.st_ino

    def _close_gradebook(self) -> None:
        gb, self._open_gradebook = self._open_gradebook, None
        if gb is not None:
            with contextlib.suppress(Exception):  # a broken database: letting go of it is all that is left
                gb.db.rollback()
                gb.close()

    def _merge(self, student: str, out: dict) -> None:
        """Write a worker's grades into the course gradebook as SaveAutoGrades would."""
        from datetime import datetime

        flagged = bool(self.outcomes[student].flags)
        with self._gradebook() as gb:
            gb.update_or_create_student(student)
            kwargs = {"timestamp": datetime.fromisoformat(out["timestamp"])} if out.get("timestamp") else {}
            gb.update_or_create_submission(self.assignment, student, **kwargs)
            for nb_name, grades in out["grades"].items():
                nb = gb.find_submission_notebook(nb_name, self.assignment, student)
                for grade_id, (auto, needs) in grades.items():
                    grade = gb.find_grade(grade_id, nb_name, self.assignment, student)
                    grade.auto_score = auto
                    grade.needs_manual_grade = needs or grade.manual_score is not None or auto is None
                for name, comment in out["comments"].get(nb_name, {}).items():
                    gb.find_comment(name, nb_name, self.assignment, student).auto_comment = comment
                nb.late_submission_penalty = out["penalties"].get(nb_name)
                nb.flagged = flagged
            gb.db.commit()

    def _merge_zero(self, student: str, releases: dict) -> None:
        try:
            self._record_zero(student, releases)
        except Exception as err:  # noqa: BLE001 - keep grading the class; the flag says what happened
            self.outcomes[student].flags.append(Flag("crashed", text("grade.reason.zero_not_recorded", error=err)))
            self.outcomes[student].recorded = False

    def _record_zero(self, student: str, releases: dict) -> None:
        """Record a submission that could not be graded: 0 points, flagged for the teacher.

        A placeholder notebook (the blank release under a note with the reasons) goes into
        ``autograded/``, because the formgrader lists only submissions it can open.
        """
        dest = self.root / "autograded" / student / self.assignment
        dest.mkdir(parents=True, exist_ok=True)
        reasons = "\n".join(f"- **{f.kind}**: {f.reason}" for f in self.outcomes[student].flags)
        for nb_name, release in releases.items():
            placeholder = nbformat.from_dict(release)
            placeholder.cells.insert(0, nbformat.v4.new_markdown_cell(
                f"**Not graded automatically; the student's file is in `submitted/`.**\n\n{reasons}"))
            nbformat.write(placeholder, str(dest / f"{nb_name}.ipynb"))
        with self._gradebook() as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(self.assignment, student)
            for nb_name in releases:
                nb = gb.find_submission_notebook(nb_name, self.assignment, student)
                for grade in nb.grades:
                    if grade.manual_score is None:
                        grade.auto_score, grade.needs_manual_grade = 0.0, False
                nb.flagged = True
            gb.db.commit()

    def _save_flags(self) -> None:
        path = self.root / FLAGS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        mine = data.setdefault(self.assignment, {})
        for student, outcome in self.outcomes.items():
            if outcome.flags:
                mine[student] = [f.as_dict() for f in outcome.flags]
            else:
                mine.pop(student, None)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


def load_flags(root) -> dict:
    """``{assignment: {student: [{"kind", "reason"}, ...]}}`` from the course's flags file."""
    try:
        return json.loads((Path(root) / FLAGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def autograde(root, assignment: str, jobs: int | None = None, limits: Limits | None = None,
              students: list[str] | None = None, progress: bool = True,
              lang: str | None = None) -> dict[str, Outcome]:
    """Grade every submission of ``assignment`` in parallel; see :class:`Grader`."""
    return Grader(root, assignment, jobs=jobs, limits=limits, progress=progress, lang=lang).run(students)

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

This module runs the batch (:class:`Grader`: scratch courses, worker slots, deadlines, retries).
Its parts each do one job: :mod:`~sensorlab.grading.run_locks` (one run per course, uid
blocks), :mod:`~sensorlab.grading.submission_copy` (the prechecked copy of a submission),
:mod:`~sensorlab.grading.grade_worker` (one submission through nbgrader, in the forked
worker), :mod:`~sensorlab.grading.gradebook_writer` (merging grades into the course's
gradebook) and :mod:`~sensorlab.grading.grade_flags` (outcomes and flags for the teacher).
"""

from __future__ import annotations

import gc
import importlib
import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import nbformat

from sensorlab.grading import course, treecap, zygote
from sensorlab.grading.grade_flags import Outcome, failure_reason, flag_outputs, load_flags, save_flags
from sensorlab.grading.grade_worker import WORKER_PRELOAD, worker_main
from sensorlab.grading.gradebook_writer import CourseGradebook, snapshot_gradebook
# kept importable from here: the kernel parts and locks tests and tools name by this module
from sensorlab.grading.kernels import SOCKETS_ENV, SandboxedKernelManager  # noqa: F401
from sensorlab.grading.plainfiles import copy_plain_tree
from sensorlab.grading.precheck import Flag
from sensorlab.grading.run_locks import SLOT_BLOCK, SLOT_UID, claim_course, claim_uid_block  # noqa: F401
from sensorlab.grading.sandbox import Limits, bwrap_works, is_root, kill_user_processes, uid_can_write
from sensorlab.grading.submission_copy import prepare_submission, skip_stopping_cell
from sensorlab.messages import text

__all__ = ["Grader", "Outcome", "autograde", "load_flags"]


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


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
        self.gradebook = CourseGradebook(self.db_url, self.root, assignment)

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
        proc = multiprocessing.get_context("fork").Process(target=worker_main, args=(spec,), daemon=True)
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
        # gc.unfreeze() has no partial form: a caller that froze its own objects (a test session
        # does at collection) keeps them frozen, and this run's objects stay frozen with them.
        caller_froze = gc.get_freeze_count() > 0
        try:
            if self.use_zygote and self.isolate:  # imports while the submissions are prepared
                fork_server, self.zygote_socket = zygote.start(self.base)
            snapshot_gradebook(self.db_url, self.base / "template.db")
            (self.base / "in").mkdir(mode=0o700)  # every submission of the batch: the grader's eyes only
            queue = []
            for student in students:
                try:
                    flags, should_run = prepare_submission(self.root, self.assignment, student, releases, others,
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
            self.gradebook.close()
            if not caller_froze:
                gc.unfreeze()
            if fork_server is not None:
                fork_server.kill()
                fork_server.wait()
            shutil.rmtree(self.base, ignore_errors=True)
            if self._uid_lock is not None:
                self._uid_lock.close()  # the uid block is free for the next run
        save_flags(self.root, self.assignment, self.outcomes)
        return self.outcomes

    # -- results
    def _handle(self, run: dict, out: dict, releases: dict) -> bool:
        """Merge a finished run; return True when the submission should be graded again."""
        student, outcome = run["student"], self.outcomes[run["student"]]
        outcome.attempts = run["attempt"]
        if out.get("success"):
            try:
                self._flag_outputs(run, outcome)
                self.gradebook.merge(student, out, flagged=bool(outcome.flags))
            except Exception as err:  # noqa: BLE001 - record the problem, grade the others
                outcome.flags.append(Flag("crashed", text("grade.reason.not_recorded", error=err)))
                outcome.graded = outcome.recorded = False
            return False
        log = (out.get("error") or "") + (out.get("log") or "")
        self.debug_log = getattr(self, "debug_log", []) + [(student, log[-3000:])]
        kind, why = failure_reason(out, self.limits)
        culprit = skip_stopping_cell(self.base / "in" / student / self.assignment, out.get("progress"), why)
        if culprit and run["attempt"] < 3:
            outcome.flags.append(Flag(kind, text("grade.reason.cell_skipped", why=why, cell=culprit)))
            return True
        outcome.flags.append(Flag(kind, text("grade.reason.nothing_graded", why=why)))
        outcome.graded = False
        self._merge_zero(student, releases)
        return False

    def _flag_outputs(self, run: dict, outcome: Outcome) -> None:
        folder = run["scratch"] / "course" / "autograded" / run["student"] / self.assignment
        flag_outputs(folder, outcome, self.limits)
        dest = self.root / "autograded" / run["student"] / self.assignment
        if dest.exists():
            shutil.rmtree(dest)
        # plain copies only: a link left by student code copies no file it points at
        copy_plain_tree(folder, dest, ignore=(".home", ".kernel-connection.json"))

    def _merge_zero(self, student: str, releases: dict) -> None:
        try:
            self.gradebook.record_zero(student, releases, self.outcomes[student].flags)
        except Exception as err:  # noqa: BLE001 - keep grading the class; the flag says what happened
            self.outcomes[student].flags.append(Flag("crashed", text("grade.reason.zero_not_recorded", error=err)))
            self.outcomes[student].recorded = False


def autograde(root, assignment: str, jobs: int | None = None, limits: Limits | None = None,
              students: list[str] | None = None, progress: bool = True,
              lang: str | None = None) -> dict[str, Outcome]:
    """Grade every submission of ``assignment`` in parallel; see :class:`Grader`."""
    return Grader(root, assignment, jobs=jobs, limits=limits, progress=progress, lang=lang).run(students)

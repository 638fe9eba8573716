"""One submission graded by real nbgrader, in a worker process forked from the grader.

The grader (:mod:`sensorlab.grading.autograde`) prepares a scratch course per submission and
forks :func:`worker_main`, which runs nbgrader's ``Autograde`` there with the sandboxed,
resilient kernel (:mod:`sensorlab.grading.kernels`), reads the grades back from the scratch
gradebook and writes them as JSON for the grader to merge.
"""

from __future__ import annotations

import json
import os
import signal
import traceback
from pathlib import Path

from sensorlab.grading import course, variants, zygote
from sensorlab.grading.kernels import PIDFILE_ENV, PROGRESS_ENV, SOCKETS_ENV, ResilientExecute
from sensorlab.grading.nbgrader_shortcuts import speed_up_nbgrader
from sensorlab.grading.outside import autograde_preprocessors
from sensorlab.grading.plainfiles import chmod_plain_tree
from sensorlab.grading.sandbox import ENV_VAR, is_root

__all__ = ["WORKER_PRELOAD", "worker_main"]


def _grade_in_scratch(spec: dict) -> dict:
    """Run nbgrader's Autograde on one prepared submission in its scratch course."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log

    speed_up_nbgrader()
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


def worker_main(spec: dict) -> None:
    """The forked worker: grade the submission ``spec`` names, write its result file, exit."""
    os.setpgid(0, 0)  # the parent can stop this worker and all it started in one go
    _die_with_grader(spec["parent"])
    for fd in spec["close_fds"]:  # the course lock is the grader's alone (run_locks.claim_course)
        os.close(fd)
    if is_root():
        os.umask(0o077)  # files nbgrader writes (hidden tests included) stay unreadable to nobody
    try:
        out = _grade_in_scratch(spec)
    except BaseException:  # noqa: BLE001 - anything goes wrong: report it, never hang
        out = {"success": False, "error": traceback.format_exc()[-4000:], "log": ""}
    Path(spec["result"]).write_text(json.dumps(out), encoding="utf-8")
    os._exit(0)

"""An in-process grading run leaves its caller's frozen objects frozen.

The grader freezes its own objects before forking each worker (so a worker's garbage collector
copies none of them) and used to end with ``gc.unfreeze()``, which thaws everything: also what
the caller froze. A test session freezes what collection built (conftest.py), so after the first
in-process ``autograde`` every later check walked ~230k library objects again.
"""

from __future__ import annotations

import gc

from sensorlab.grading import course
from sensorlab.grading.autograde import autograde

ASSIGNMENT = "01-sensor-box"


def _grade_nobody(tmp_path):
    root = course.copy_course(course.find_course(), tmp_path / "course")
    return autograde(root, ASSIGNMENT, jobs=1, progress=False)  # no submissions: the run's set-up and finish


def test_a_grading_run_keeps_what_its_caller_froze(tmp_path):
    gc.freeze()  # what the test session's collection did
    frozen = gc.get_freeze_count()
    assert frozen > 0
    assert _grade_nobody(tmp_path) == {}
    # frozen objects that the run released (refcounts) leave the count: a few hundred, not all of them
    assert gc.get_freeze_count() > frozen // 2, (gc.get_freeze_count(), frozen)


def test_a_grading_run_that_froze_alone_thaws_what_it_froze(tmp_path):
    kept = gc.get_freeze_count()
    gc.unfreeze()  # a teacher's kernel: nothing frozen before the run
    try:
        assert _grade_nobody(tmp_path) == {}
        assert gc.get_freeze_count() == 0
    finally:
        gc.freeze() if kept else None

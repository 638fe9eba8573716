"""An in-process grading run leaves its caller's frozen objects frozen.

The grader freezes its own objects before forking each worker (so a worker's garbage collector
copies none of them) and used to end with ``gc.unfreeze()``, which thaws everything: also what
the caller froze. A test session freezes what collection built (conftest.py), so after the first
in-process ``autograde`` every later check walked ~230k library objects again. Each case runs in
a process of its own: freezing or thawing this test process would change the tests after it.
"""

from __future__ import annotations

import json
import subprocess
import sys

RUN = """
import gc, json, sys
from pathlib import Path
from sensorlab.grading import course
from sensorlab.grading.autograde import autograde
if sys.argv[2] == "freeze":
    gc.freeze()  # what a test session's collection does
before = gc.get_freeze_count()
root = course.copy_course(course.find_course(), Path(sys.argv[1]) / "course")
outcomes = autograde(root, "01-sensor-box", jobs=1, progress=False)  # no submissions: set-up and finish
print(json.dumps({"before": before, "after": gc.get_freeze_count(), "outcomes": len(outcomes)}))
"""


def _grade_nobody(tmp_path, freeze: str) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(tmp_path), freeze], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_grading_run_keeps_what_its_caller_froze(tmp_path):
    counts = _grade_nobody(tmp_path, "freeze")
    assert counts["before"] > 10_000 and counts["outcomes"] == 0, counts
    # frozen objects that the run released (refcounts) leave the count: a few hundred, not all of them
    assert counts["after"] > counts["before"] // 2, counts


def test_a_grading_run_that_froze_alone_thaws_what_it_froze(tmp_path):
    counts = _grade_nobody(tmp_path, "none")  # a teacher's kernel: nothing frozen before the run
    assert counts == {"before": 0, "after": 0, "outcomes": 0}, counts

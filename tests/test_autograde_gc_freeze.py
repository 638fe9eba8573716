"""An in-process grading run leaves its caller's frozen objects frozen.

The grader freezes its own objects before forking each worker (so a worker's garbage collector
copies none of them) and used to end with ``gc.unfreeze()``, which thaws everything: also what
the caller froze. A test session freezes what collection built (conftest.py), so after the first
in-process ``autograde`` every later check walked ~230k library objects again. The runs happen in
a process of their own: freezing or thawing this test process would change the tests after it.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Two runs in one process (each grading nobody: set-up and finish only): first as a teacher's
# kernel, nothing frozen before; then as a test session, after freezing what is loaded.
RUN = """
import gc, json, sys
from pathlib import Path
from sensorlab.grading import course
from sensorlab.grading.autograde import autograde
root = course.copy_course(course.find_course(), Path(sys.argv[1]) / "course")
counts = {}
for case in ("nothing frozen", "caller froze"):
    if case == "caller froze":
        gc.freeze()
    before = gc.get_freeze_count()
    outcomes = autograde(root, "01-sensor-box", jobs=1, progress=False)
    counts[case] = {"before": before, "after": gc.get_freeze_count(), "outcomes": len(outcomes)}
print(json.dumps(counts))
"""


def test_a_grading_run_thaws_only_what_it_froze(tmp_path):
    done = subprocess.run([sys.executable, "-c", RUN, str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["nothing frozen"] == {"before": 0, "after": 0, "outcomes": 0}, counts
    froze = counts["caller froze"]
    assert froze["before"] > 10_000 and froze["outcomes"] == 0, counts
    # frozen objects that the run released (refcounts) leave the count: a few hundred, not all of them
    assert froze["after"] > froze["before"] // 2, counts

"""An honest answer of many megabytes is graded like a small one.

A test cell's values travel from the kernel to the grader as one export message, capped at
``Limits.export_mb`` (32 MB) and, below that, by the largest message the worker's sockets accept
(:func:`sensorlab.grading.kernels.largest_message`). An honest 2.5-million-value array (27 MB as
sent) must still earn its points.
"""

from __future__ import annotations

import json

import pytest

from sensorlab.grading import course, plain_data
from sensorlab.grading.autograde import autograde
from sensorlab.grading.kernels import largest_message
from sensorlab.grading.sandbox import Limits
from tools import grading_proof as proof
from tools.grading_authoring import answer, notebook, setup, write
from tools.grading_authoring import tests as _test_cell  # "test_*" would be collected

import _grading_proofs as proofs  # tests/ is on the path (conftest.py)

BIG = "99-big-answer"
N = 2_500_000


@pytest.mark.slow
def test_an_honest_answer_of_many_megabytes_earns_its_points(tmp_path):
    size = len(json.dumps(plain_data.encode(__import__("numpy").arange(N, dtype=float))))
    assert 20 * 2**20 < size < Limits().export_mb * 2**20 < largest_message(Limits())
    root = course.copy_course(course.find_course(), tmp_path / "course")
    (root / "source" / BIG).mkdir()
    test = ('"""big holds 0, 1, 2, ... as floats."""\nassert len(big) == %d\n'
            '### BEGIN HIDDEN TESTS\nassert big[-1] == %d.0 and float(big.sum()) == %r\n'
            '### END HIDDEN TESTS' % (N, N - 1, float(N * (N - 1) // 2)))
    write(notebook([setup("imports", "import numpy as np"),
                    answer("make_big", f"big = np.arange({N}, dtype=float)"),
                    _test_cell("test_big", test, 3)]), root / "source" / BIG / f"{BIG}.ipynb")
    model = proofs.generate(root, BIG).source
    model.cells[1].source = f"big = np.arange({N}, dtype=float)"
    proof.place_submission(root, BIG, "honest", model)
    outcomes = autograde(root, BIG, jobs=1, progress=False)
    assert outcomes["honest"].graded and not outcomes["honest"].flags, outcomes["honest"]
    assert proof.read_scores(root, BIG)["honest"] == {"test_big": 3.0}

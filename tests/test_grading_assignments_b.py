"""Every assignment grades correctly, part B: source full marks, release zero, wrong answers lose.

The proofs are shared out over tests/test_grading_assignments_{a,b,c}.py so that pytest-xdist
(``--dist loadfile``) runs them on different workers; this file proves the assignments at positions
1, 4, 7, ... (from 0) of the sorted list (see tests/_grading_proofs.py).
"""

from __future__ import annotations

import _grading_proofs as proofs
import pytest

PART = 1


@pytest.mark.slow
@pytest.mark.parametrize("assignment", proofs.share(PART))
def test_source_full_marks_release_zero_wrong_answers_lose(assignment, tmp_path):
    proofs.check_source_full_marks_release_zero_wrong_answers_lose(assignment, tmp_path / assignment)

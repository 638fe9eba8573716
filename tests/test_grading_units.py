"""Fast checks of the grading toolkit's pieces (the slow end-to-end ones are in test_grading_hostile/roundtrip)."""

from __future__ import annotations

import nbformat
import pytest
import pandas as pd

from sensorlab.grading import variants
from sensorlab.grading.feedback import HideHiddenTests
from sensorlab.grading.late import PercentPerDayLate
from sensorlab.grading.precheck import check_notebook
from sensorlab.grading.sandbox import Limits, protections
from tools.grading_authoring import answer, markdown, notebook
from tools.grading_authoring import tests as _test_cell  # not "tests": pytest would collect that name

RELEASE = notebook([markdown("intro", "# A"), answer("f", "def f(x):\n    return x"),
                    _test_cell("test_f", '"""f returns its argument."""\nassert f(1) == 1', 2)])


def _bytes(nb):
    return nbformat.writes(nb).encode("utf-8")


def test_precheck_passes_a_clean_submission_untouched():
    nb, flags = check_notebook(_bytes(RELEASE), RELEASE)
    assert flags == [] and nb.cells[2].source == RELEASE.cells[2].source


def test_precheck_flags_deleted_and_edited_test_cells():
    sub = nbformat.from_dict(RELEASE)
    sub.cells = sub.cells[:2]
    assert [f.kind for f in check_notebook(_bytes(sub), RELEASE)[1]] == ["tampered"]
    sub = nbformat.from_dict(RELEASE)
    sub.cells[2].source = '"""f returns its argument."""\npass'
    assert "test code edited" in check_notebook(_bytes(sub), RELEASE)[1][0].reason


def test_precheck_restores_a_changed_cell_type():
    sub = nbformat.from_dict(RELEASE)
    sub.cells[2] = nbformat.v4.new_markdown_cell(sub.cells[2].source, metadata=sub.cells[2].metadata)
    nb, flags = check_notebook(_bytes(sub), RELEASE)
    assert nb.cells[2].cell_type == "code" and "cell type markdown -> code" in flags[0].reason


def test_precheck_repairs_non_utf8_and_names_the_byte():
    data = _bytes(RELEASE).replace(b"# A", b"# A \xff")
    nb, flags = check_notebook(data, RELEASE)
    assert nb is not None and flags[0].kind == "non_utf8" and "byte" in flags[0].reason


def test_precheck_recognises_another_assignment():
    other = notebook([answer("g", "g = 1"), _test_cell("test_g", '"""g is one."""\nassert g == 1', 1)])
    nb, flags = check_notebook(_bytes(other), RELEASE, {"02-other": other})
    assert nb is None and flags[0].kind == "wrong_assignment" and "02-other" in flags[0].reason


def test_variants_spread_students_over_sensors_and_are_stable():
    sites = pd.DataFrame({"site_id": [f"sdot-{i:03d}" for i in range(100)], "kind": "street"})
    picks = {variants.pick_site(f"s{i:04d}", sites) for i in range(60)}
    assert len(picks) > 30  # 60 students rarely share
    assert variants.pick_site("s0001", sites) == variants.pick_site("s0001", sites.iloc[::-1])


def test_feedback_keeps_visible_checks_and_drops_hidden_ones():
    cell = _test_cell("test_h", '"""h works."""\nassert h(1) == 1\n### BEGIN HIDDEN TESTS\nassert h(2) == 2\n'
                 '### END HIDDEN TESTS', 1)
    nb, _ = HideHiddenTests().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    assert "assert h(1) == 1" in nb.cells[0].source and "h(2)" not in nb.cells[0].source
    nb.metadata["sensorlab"] = {"language": "ko"}
    cell.outputs = []
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert "통과" in nb.cells[0].outputs[0]["text"]


def test_late_penalty_per_started_day():
    plugin = PercentPerDayLate(percent_per_day=10)
    assert plugin.late_submission_penalty("a", 10.0, 86400 + 1) == 2.0


def test_limits_round_trip_and_protections_say_where_they_apply():
    assert Limits.from_json(Limits(uid=61001, hide=("/x",)).to_json()).hide == ("/x",)
    assert "limits" in protections()


def test_protections_are_said_in_korean_too_what_holds_and_what_is_missing(monkeypatch):
    from sensorlab.grading import sandbox, treecap

    monkeypatch.setattr(sandbox, "is_root", lambda: False)
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    monkeypatch.setattr(treecap, "available", lambda: False)
    english, korean = protections(lang="en"), protections(lang="ko")
    assert "MISSING" in english and "no bubblewrap sandbox" in english and "not root" in english
    assert korean.startswith("샌드박스:") and "빠진 보호:" in korean and "bubblewrap 샌드박스 없음" in korean
    assert "root가 아님" in korean and "쓸 수 있는 cgroup 없음" in korean
    assert not any(word in korean for word in ("MISSING", "limits per process", "clean environment", "not root"))


def test_sandbox_refuses_a_working_folder_outside_the_scratch_folder(tmp_path):
    # As root the sandbox chowns its working folder to the sandbox user; done to /tmp that
    # locked every other user out of /tmp on a shared machine.
    from sensorlab.grading.sandbox import _check_workdir

    scratch = tmp_path / "grade"
    (scratch / "s-1" / "course").mkdir(parents=True)
    _check_workdir(str(scratch / "s-1" / "course"), str(scratch))  # inside: accepted
    for workdir, base in [("/tmp", str(scratch)), (str(scratch), str(scratch)),
                          (str(tmp_path), str(scratch)), (str(scratch / "s-1"), "")]:
        with pytest.raises(SystemExit, match="refusing to run a kernel"):
            _check_workdir(workdir, base)


def test_two_grading_runs_hold_different_uid_blocks(tmp_path):
    # Two runs sharing slot uids killed each other's kernels ("leftovers" clean-up at start).
    from sensorlab.grading.autograde import SLOT_BLOCK, claim_uid_block

    first, lock_a = claim_uid_block(tmp_path)
    second, lock_b = claim_uid_block(tmp_path)
    assert abs(first - second) >= SLOT_BLOCK
    lock_a.close()
    third, lock_c = claim_uid_block(tmp_path)  # a finished run's block is free again
    assert third == first
    lock_b.close(), lock_c.close()

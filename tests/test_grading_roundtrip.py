"""A term in miniature, through nbgrader's real exchange, for three students, in-process.

generate -> release -> fetch -> submit -> collect -> autograde (ours, parallel) -> feedback
(hidden tests removed) -> release and fetch feedback -> report -> export (Excel-safe CSV,
late penalty). Each student has their own HOME, nbgrader cache and working folder, so
fetch_feedback cannot hand one student another's feedback.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course
from sensorlab.grading.autograde import autograde
from sensorlab.grading.export import export_csv
from sensorlab.grading.feedback import generate_feedback
from sensorlab.grading.report import build_report
from sensorlab.grading.sandbox import Limits
from tools import grading_proof as proof

_spec = importlib.util.spec_from_file_location("hostile_corpus_rt", Path(__file__).parent / "hostile" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["hostile_corpus_rt"] = corpus
_spec.loader.exec_module(corpus)
import _grading_proofs as proofs  # noqa: E402 - tests/ is on the path (conftest.py)

A = "01-sensor-box"
STUDENTS = {"alice": ("김", "민준"), "bora": ("이", "서연"), "chul": ("박", "철수")}


def _student_config(home: Path, exchange: Path, student: str):
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.course_id = course.COURSE_ID
    c.CourseDirectory.root = str(home / "work")
    c.CourseDirectory.assignment_id = A
    c.CourseDirectory.student_id = student
    c.Exchange.root = str(exchange)
    c.Exchange.cache = str(home / "cache")
    c.Exchange.assignment_dir = str(home / "work")
    return c


def _exchange(cls_name: str, config):
    import nbgrader.exchange.default as ex
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    app = getattr(ex, cls_name)(coursedir=CourseDirectory(config=config),
                                authenticator=Authenticator(config=config), config=config)
    app.start()


@pytest.mark.slow
def test_round_trip_three_students(tmp_path, monkeypatch):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    overrides = {"Exchange__root": str(exchange), "ExchangeCollect__check_owner": False}
    generated = proofs.generated_course(tmp_path / "course", A, **overrides)
    root, teacher, source = generated.root, generated.api, generated.source
    course.check(teacher.release_assignment(A), "release")
    answers = {"alice": lambda nb: corpus.good_notebook(source, nb),
               "bora": lambda nb: corpus._answer(corpus.good_notebook(source, nb), "sds011_ugm3",
                                                 "def sds011_ugm3(raw):\n    return raw // 10"),
               "chul": lambda nb: nb}
    homes = {}
    for student in STUDENTS:
        home = homes[student] = tmp_path / "home" / student
        (home / "work").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(home))
        config = _student_config(home, exchange, student)
        _exchange("ExchangeFetchAssignment", config)
        path = home / "work" / A / f"{A}.ipynb"
        nbformat.write(answers[student](nbformat.read(str(path), as_version=4)), str(path))
        _exchange("ExchangeSubmit", config)
    monkeypatch.delenv("HOME")
    course.check(teacher.collect(A), "collect")
    assert sorted(p.name for p in (root / "submitted").iterdir()) == sorted(STUDENTS)

    from nbgrader.api import Gradebook
    with Gradebook(course.load_config(root).CourseDirectory.db_url, course.COURSE_ID) as gb:
        # due an hour before now: every submission is late by less than a day -> 10 % off
        gb.update_or_create_assignment(A, duedate=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                                       - dt.timedelta(hours=1))
        for student, (last, first) in STUDENTS.items():
            gb.update_or_create_student(student, last_name=last, first_name=first)
    outcomes = autograde(root, A, jobs=2, limits=Limits(timeout_s=120, cell_timeout_s=10, memory_mb=1024),
                         progress=False)
    assert not any(o.flags for o in outcomes.values())
    scores = proof.read_scores(root, A)
    full = proof.autograded_tests(source)
    auto = {s: sum(scores[s][t] for t in full) for s in STUDENTS}
    assert auto["alice"] == sum(full.values()) and auto["chul"] == 0
    assert 0 < auto["bora"] < auto["alice"]

    generate_feedback(root, A)
    course.check(teacher.release_feedback(A), "release_feedback")
    for student, home in homes.items():
        monkeypatch.setenv("HOME", str(home))
        _exchange("ExchangeFetchFeedback", _student_config(home, exchange, student))
        pages = list((home / "work" / A / "feedback").rglob("*.html"))
        assert len(pages) == 1, f"{student} should get exactly their own feedback"
        page = pages[0].read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in page and "_rng" not in page and "random line" not in page
        assert student in page or STUDENTS[student][1] in page or "Score" in page

    report = build_report(root, A)
    assert (report.parent / "score-distribution.png").stat().st_size > 1000
    assert "chul" in report.read_text(encoding="utf-8")  # blank: needs help

    out = export_csv(root, tmp_path / "grades.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    rows = {r["student_id"]: r for r in csv.DictReader(raw.decode("utf-8-sig").splitlines())}
    assert rows["alice"]["last_name"] == "김" and rows["bora"]["first_name"] == "서연"
    for student in STUDENTS:
        r = rows[student]
        assert float(r["late_penalty"]) == pytest.approx(0.1 * float(r["raw_score"]))
        assert float(r["score"]) == pytest.approx(0.9 * float(r["raw_score"]))

"""The teacher's path through grading, as grader/README.md tells it, with real processes.

The README's commands are extracted from its fenced ``sh`` blocks and run as written, from the
root of a temporary copy of the repository's course, by three students on one machine sharing
one account (the README's student commands are run for each student, the test typing their
answers before they submit). Then: due dates in Seoul time, late penalties in the report and
export, students on the roster who handed nothing in, a gradebook that cannot be read, and
``--course`` over ``$SENSORLAB_COURSE``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib.util
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading import course

_spec = importlib.util.spec_from_file_location("hostile_corpus_teacher", Path(__file__).parent / "hostile" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["hostile_corpus_teacher"] = corpus
_spec.loader.exec_module(corpus)
import _grading_proofs as proofs  # noqa: E402 - tests/ is on the path (conftest.py)

A = "01-sensor-box"
GRADER = course.find_course()
VENV = Path(sys.executable).parent.parent
NOISE = ("Traceback", "Warning", "WARNING", "cheating", "Please see the")


def _section(readme: Path, title: str) -> str:
    text = readme.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _blocks(section: str, lang: str) -> list[str]:
    return [textwrap.dedent(b) for b in re.findall(rf"^ *```{lang}\n(.*?)^ *```", section, re.S | re.M)]


def _commands(section: str) -> list[str]:
    return [line.strip() for block in _blocks(section, "sh") for line in block.splitlines() if line.strip()]


def _repo(tmp_path: Path) -> Path:
    """A repository root holding a copy of the course in grader/ and the project's venv."""
    root = tmp_path / "repo"
    course.copy_course(GRADER, root / "grader")
    shutil.copytree(GRADER / "wrong-answers", root / "grader" / "wrong-answers")  # for the proof
    # the proof is repository tooling (python -m tools.grading_proof): a teacher runs it from the clone
    shutil.copytree(GRADER.parent / "tools", root / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".venv").symlink_to(VENV)
    return root


#: How the README's term starts each command: the grade CLI, or the clone's tooling (the proof).
COMMAND_STARTS = (".venv/bin/sensorlab grade ", ".venv/bin/python -m tools.grading_proof ")


def _env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENSORLAB_")}
    env.update(HOME=str(home), SENSORLAB_LANG="en", **extra)
    home.mkdir(parents=True, exist_ok=True)
    return env


def _run(command: str | list, cwd: Path, env: dict, ok: bool = True) -> subprocess.CompletedProcess:
    argv = shlex.split(command) if isinstance(command, str) else command
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if ok:
        assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        noise = [w for w in NOISE if w in done.stderr]
        assert not noise, f"{command} showed the teacher {noise}:\n{done.stderr}"
    return done


def _answer(home: Path, student: str) -> None:
    """Play the student between fetch and submit: alice right, bora one slip, chul nothing."""
    path = home / "sensorlab-work" / student / A / f"{A}.ipynb"
    release = nbformat.read(str(path), as_version=4)
    source = nbformat.read(str(GRADER / "source" / A / f"{A}.ipynb"), as_version=4)
    if student == "alice":
        nbformat.write(corpus.good_notebook(source, release), str(path))
    elif student == "bora":
        nbformat.write(corpus._answer(corpus.good_notebook(source, release), "sds011_ugm3",
                                      "def sds011_ugm3(raw):\n    return raw // 10"), str(path))


def _penalty(raw: float, seconds_late: float) -> float:
    days = math.ceil(seconds_late / 86400) if seconds_late > 0 else 0
    return min(raw, raw * 0.10 * days)


def test_readme_english_and_korean_give_the_same_commands():
    en = _section(GRADER / "README.md", "A term on one machine")
    ko = _section(GRADER / "README.ko.md", "컴퓨터 한 대로 한 학기")
    assert _commands(en) == _commands(ko) and len(_commands(en)) >= 10
    assert _blocks(en, "csv") == _blocks(ko, "csv")
    for section in (en, ko):
        assert "cd grader" not in section
        assert all(c.startswith(COMMAND_STARTS) for c in _commands(section))


@pytest.mark.slow
def test_readme_path_runs_as_written_for_a_class_on_one_machine(tmp_path):
    section = _section(GRADER / "README.md", "A term on one machine")
    root, home = _repo(tmp_path), tmp_path / "shared-account"
    env = _env(home)
    (root / "roster.csv").write_text(_blocks(section, "csv")[0], encoding="utf-8")
    outputs = {}
    for command in _commands(section):
        assert command.startswith(COMMAND_STARTS), f"not a command the README's term may use: {command}"
        if "--student alice" in command:  # the README shows one student; the class is three
            for student in ("alice", "bora", "chul"):
                if " submit " in command:
                    _answer(home, student)
                outputs[command.replace("alice", student)] = _run(command.replace("alice", student), root, env)
        else:
            outputs[command] = _run(command, root, env)

    assert not (root / "gradebook.db").exists(), "a command left a gradebook in the repository root"
    due = [c for c in outputs if " due " in c][0]
    typed = re.search(r'"(.+)"', due).group(1)
    assert f"due {typed} KST" in outputs[due].stdout
    # each student of the shared account got their own feedback, and only it
    for student in ("alice", "bora", "chul"):
        pages = list((home / "sensorlab-work" / student / A / "feedback").rglob("*.html"))
        assert len(pages) == 1, f"{student} fetched {len(pages)} feedback pages"
        mine = (root / "grader" / "feedback" / student / A / f"{A}.html").read_text(encoding="utf-8")
        assert pages[0].read_text(encoding="utf-8") == mine
    # the progress bar and the log: nbgrader's noise went to the file
    grading = outputs[[c for c in outputs if " autograde " in c][0]]
    assert "autograde 01-sensor-box" in grading.stderr and "graded 3 submissions" in grading.stdout
    assert (root / "grader" / "logs" / "sensorlab-grade.log").stat().st_size > 0
    # the export: the roster, with late penalties applied as the due date says
    rows = {r["student_id"]: r for r in csv.DictReader(
        (root / "grader" / "exports" / "grades.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert sorted(rows) == ["alice", "bora", "chul", "dan"]
    assert rows["dan"]["flags"] == "no submission" and float(rows["dan"]["score"]) == 0
    assert rows["alice"]["last_name"] == "김"
    from sensorlab.grading.deadline import parse_due
    seconds_late = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - parse_due(typed)).total_seconds()
    raw = float(rows["alice"]["raw_score"])
    assert raw == float(rows["alice"]["max_score"]) - 3  # 3 points are the written answer
    assert float(rows["alice"]["score"]) == pytest.approx(raw - _penalty(raw, seconds_late))
    export = outputs[".venv/bin/sensorlab grade export"]
    if all(float(r["score"]) == 0 for r in rows.values()):
        assert "every score of 01-sensor-box is 0 after the late penalty" in export.stderr


def test_due_dates_in_seoul_time_are_stored_as_the_right_instant(tmp_path, capfd):
    from nbgrader.api import Gradebook

    from sensorlab.cli import main

    root = course.copy_course(GRADER, tmp_path / "course")
    db = course.load_config(root).CourseDirectory.db_url
    for typed in ["2026-03-20 17:00:00 KST", "2026-03-20 17:00 +0900", "2026-03-20T17:00+09:00",
                  "2026-03-20 17:00 Asia/Seoul", "2026-03-20 17:00", "2026-03-20 08:00 UTC",
                  "2026/03/20 17:00 KST", "2026.03.20 17:00", "2026. 3. 20. 17:00"]:
        assert main(["grade", "due", A, typed, "--course", str(root)]) == 0
        out, err = capfd.readouterr()
        assert "due 2026-03-20 17:00 KST" in out and "2026-03-20 08:00 UTC" in out, (typed, out)
        assert "already past" in err  # 2026-03-20 is before this machine's clock
        with Gradebook(db, course.COURSE_ID) as gb:
            assert gb.find_assignment(A).duedate == dt.datetime(2026, 3, 20, 8, 0), typed
    assert main(["grade", "due", A, "--course", str(root)]) == 0  # shown back, unchanged
    assert "due 2026-03-20 17:00 KST" in capfd.readouterr().out
    for typed in ["20 March 17:00", "3월 20일", "2026-02-30 17:00", "2026-03-20 5:00 PM"]:
        assert main(["grade", "due", A, typed, "--course", str(root)]) == 1
        err = capfd.readouterr().err
        assert f"cannot read the due date '{typed}'" in err and "Traceback" not in err
    with Gradebook(db, course.COURSE_ID) as gb:  # a refused date changed nothing
        assert gb.find_assignment(A).duedate == dt.datetime(2026, 3, 20, 8, 0)
        gb.add_student("alice")
        gb.add_submission(A, "alice")
    # a new due date after grading: the late penalties were computed with the old one
    assert main(["grade", "due", A, "2026-03-27 17:00", "--course", str(root)]) == 0
    assert f"run sensorlab grade autograde {A} again" in capfd.readouterr().err
    assert not list(Path.cwd().glob("gradebook.db"))


def test_course_option_wins_over_the_environment(tmp_path, monkeypatch, capfd):
    from sensorlab.cli import main

    chosen = course.copy_course(GRADER, tmp_path / "chosen")
    other = course.copy_course(GRADER, tmp_path / "other")
    monkeypatch.setenv(course.ENV_VAR, str(other))
    assert course.find_course(tmp_path / "chosen") == chosen.resolve()
    assert main(["grade", "due", A, "2027-03-19 17:00", "--course", str(chosen)]) == 0
    capfd.readouterr()
    assert (chosen / "gradebook.db").exists() and not (other / "gradebook.db").exists()
    # a folder that is not there: the message names the option typed, not the variable
    assert main(["grade", "due", A, "--course", str(tmp_path / "missing")]) == 1
    err = capfd.readouterr().err
    assert f"--course {tmp_path / 'missing'}: no course there" in err and "Traceback" not in err
    monkeypatch.setenv(course.ENV_VAR, str(tmp_path / "gone"))
    assert main(["grade", "due", A]) == 1
    assert f"{course.ENV_VAR}={tmp_path / 'gone'}: no course there" in capfd.readouterr().err


def test_every_flag_kind_has_an_action_in_english_and_korean():
    from sensorlab.grading import reasons

    paragraph = (GRADER / "README.md").read_text(encoding="utf-8").split("**Flags**")[1].split("A flag means")[0]
    kinds = re.findall(r"`([a-z_]+)`", paragraph)
    assert {"corrupt", "crashed", "timed_out", "tampered", "missing"} <= set(kinds)
    other = reasons.action("no-such-kind", lang="en")
    for kind in kinds + ["wrong_assignment", "empty", "renamed"]:
        en, ko = reasons.action(kind, lang="en"), reasons.action(kind, lang="ko")
        assert en != other and ko != en and re.search("[가-힣]", ko), kind


def _graded_class(tmp_path: Path, due: dt.datetime, endless: bool = False):
    """A course with a roster of three, alice and bora submitted (with ``endless``: bora's
    answer loops forever and chul, not on the roster, duplicated a cell), not yet graded, with
    the due date ``due`` (naive UTC)."""
    from nbgrader.api import Gradebook

    root = _repo(tmp_path)
    grader, env = root / "grader", _env(tmp_path / "home")
    generated = proofs.generate(grader, A)
    with Gradebook(course.load_config(grader).CourseDirectory.db_url, course.COURSE_ID) as gb:
        gb.update_or_create_assignment(A, duedate=due)
        for sid, last, first in [("alice", "김", "민준"), ("bora", "이", "서연"), ("dan", "최", "다은")]:
            gb.update_or_create_student(sid, last_name=last, first_name=first)
    source, release = generated.source, generated.release
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for student in ("alice", "bora", "chul") if endless else ("alice", "bora"):
        folder = grader / "submitted" / student / A
        folder.mkdir(parents=True)
        nb = corpus.good_notebook(source, release)
        if student == "bora" and endless:
            nb = corpus._answer(nb, "sds011_ugm3", "def sds011_ugm3(raw):\n    while True:\n        pass")
        if student == "chul":  # a copy-paste in Jupyter: the same answer cell twice
            at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
            nb.cells.insert(at + 1, nbformat.from_dict(nb.cells[at]))
        nbformat.write(nb, str(folder / f"{A}.ipynb"))
        (folder / "timestamp.txt").write_text(f"{now:%Y-%m-%d %H:%M:%S.%f} UTC")
    return root, env


@pytest.mark.slow
def test_report_and_export_apply_late_penalties_and_list_who_handed_nothing_in(tmp_path):
    hours_late = 5
    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(hours=hours_late)
    root, env = _graded_class(tmp_path, due, endless=True)
    sensorlab = ".venv/bin/sensorlab grade"
    graded = _run(f"{sensorlab} autograde {A} --jobs 2 --cell-timeout 5", root, env)
    assert "bora [timed_out]" in graded.stdout and "Probably an endless loop" in graded.stdout
    flag_lines = [line for line in graded.stdout.splitlines() if line.startswith("  ")]
    assert flag_lines and "Please see the" not in graded.stdout and "[ERROR]" not in graded.stdout
    from sensorlab.messages import catalogue
    actions = [v["en"] for k, v in catalogue().items() if k.startswith("grade.flag.")]
    assert all(any(line.endswith(a) for a in actions) for line in flag_lines), flag_lines
    report = _run(f"{sensorlab} report {A}", root, env)
    export = _run(f"{sensorlab} export", root, env)
    assert "after the late penalty" not in report.stderr + export.stderr  # not every score is 0
    rows = {r["student_id"]: r for r in csv.DictReader(
        (root / "grader" / "exports" / "grades.csv").read_text(encoding="utf-8-sig").splitlines())}
    alice = rows["alice"]
    assert float(alice["late_penalty"]) == pytest.approx(0.1 * float(alice["raw_score"]))
    assert float(alice["score"]) == pytest.approx(0.9 * float(alice["raw_score"])) and float(alice["score"]) > 0
    assert rows["dan"]["flags"] == "no submission" and rows["dan"]["score"] == "0.0"
    page = (root / "grader" / "reports" / A / "index.html").read_text(encoding="utf-8")
    scores = re.search(r"<td>alice</td><td>([\d.]+)</td><td>([\d.]+)</td><td>([\d.]+)</td>", page)
    assert scores, "the report lists alice's score and penalty"
    assert float(scores.group(2)) == pytest.approx(float(alice["late_penalty"]))
    assert float(scores.group(3)) == pytest.approx(float(alice["score"]))
    assert "dan" in page and "no submission" in page


@pytest.mark.slow
def test_flag_reasons_are_in_the_teachers_language(tmp_path):
    """A Korean teacher's flags are Korean sentences from the catalogue, in the file and on screen."""
    from sensorlab.messages import catalogue

    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=1)
    root, env = _graded_class(tmp_path, due, endless=True)
    env["SENSORLAB_LANG"] = "ko"
    graded = _run(f".venv/bin/sensorlab grade autograde {A} --jobs 2 --cell-timeout 5", root, env)
    flags = json.loads((root / "grader" / "grading-flags.json").read_text(encoding="utf-8"))[A]
    reasons = [f["reason"] for f in flags["bora"]]
    assert [f["kind"] for f in flags["bora"]] == ["timed_out"], flags
    assert all(re.search("[가-힣]", r) for r in reasons), reasons
    english = [v["en"].split("{")[0] for k, v in catalogue().items() if k.startswith("grade.reason.")]
    assert not any(e and e in r for e in english for r in reasons), reasons
    assert "5초보다 오래 돌아서" in reasons[0] and reasons[0] in graded.stdout


@pytest.mark.slow
def test_a_due_date_that_makes_every_score_zero_is_said(tmp_path):
    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=40)
    root, env = _graded_class(tmp_path, due)
    sensorlab = ".venv/bin/sensorlab grade"
    _run(f"{sensorlab} autograde {A} --jobs 2", root, env)
    for command in (f"{sensorlab} report {A}", f"{sensorlab} export"):
        said = _run(command, root, env).stderr
        assert "every score of 01-sensor-box is 0 after the late penalty" in said
        assert "40 days before the submissions" in said and f"sensorlab grade due {A}" in said
    page = (root / "grader" / "reports" / A / "index.html").read_text(encoding="utf-8")
    assert "every score of 01-sensor-box is 0 after the late penalty" in page


@pytest.mark.slow
def test_a_student_id_that_is_a_spreadsheet_formula_is_exported_as_text(tmp_path):
    """A student hands in under an id Excel would run as a formula: the export keeps it text."""
    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=1)
    root, env = _graded_class(tmp_path, due)
    evil = '=HYPERLINK("evil.example","grades")'
    shutil.copytree(root / "grader" / "submitted" / "alice", root / "grader" / "submitted" / evil)
    sensorlab = ".venv/bin/sensorlab grade"
    _run(f"{sensorlab} autograde {A} --jobs 2", root, env)
    _run(f"{sensorlab} export", root, env)
    text = (root / "grader" / "exports" / "grades.csv").read_text(encoding="utf-8-sig")
    fields = [f for row in csv.reader(text.splitlines()) for f in row]
    assert f"'{evil}" in fields, fields
    assert not [f for f in fields if f[:1] in ("=", "+", "@", "\t", "\r")], fields


@pytest.mark.slow
def test_a_gradebook_that_cannot_be_read_stops_with_one_message(tmp_path):
    root, env = _graded_class(tmp_path, dt.datetime(2030, 1, 1))
    db = root / "grader" / "gradebook.db"
    db.write_bytes(b"this is not a database" * 100)
    done = _run(f".venv/bin/sensorlab grade autograde {A} --jobs 2", root, env, ok=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "graded" not in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("sensorlab: error:")]
    assert len(errors) == 1 and "gradebook.db cannot be read" in errors[0] and "backup" in errors[0]
    assert sorted(p.name for p in (root / "grader" / "submitted").iterdir()) == ["alice", "bora"]


def _grade_four_while(tmp_path: Path, ready, act) -> tuple[Path, subprocess.CompletedProcess]:
    """Grade four submissions one at a time; ``act(grader)`` once ``ready(grader)`` is true."""
    root, env = _graded_class(tmp_path, dt.datetime(2030, 1, 1))
    grader = root / "grader"
    source = nbformat.read(str(grader / "source" / A / f"{A}.ipynb"), as_version=4)
    release = nbformat.read(str(grader / "release" / A / f"{A}.ipynb"), as_version=4)
    for student in ("chul", "dan"):
        folder = grader / "submitted" / student / A
        folder.mkdir(parents=True)
        nbformat.write(corpus.good_notebook(source, release), str(folder / f"{A}.ipynb"))
    done_event, acted = threading.Event(), []

    def watch():
        deadline = time.monotonic() + 600
        while not done_event.is_set() and time.monotonic() < deadline:
            if ready(grader):
                act(grader)
                acted.append(True)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        done = _run(f".venv/bin/sensorlab grade autograde {A} --jobs 1", root, env, ok=False)
    finally:
        done_event.set()
        watcher.join()
    assert acted, "the batch ended before the gradebook could be touched"
    return grader, done


@pytest.mark.slow
def test_a_gradebook_broken_during_the_batch_gives_a_non_zero_exit(tmp_path):
    # as soon as the first submission is graded, the gradebook becomes unreadable
    _, done = _grade_four_while(tmp_path, lambda grader: any((grader / "autograded").glob(f"*/{A}/*.ipynb")),
                                lambda grader: (grader / "gradebook.db").write_bytes(b"this is not a database" * 100))
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("sensorlab: error:")]
    assert len(errors) == 1 and "could not be recorded" in errors[0] and "autograde 01-sensor-box again" in errors[0]
    assert "graded 4 submissions" not in done.stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to own files as two accounts")
def test_collect_warns_about_owners_only_when_submissions_come_from_several_accounts(tmp_path):
    import pwd

    from sensorlab.grading import classroom

    root = course.copy_course(GRADER, tmp_path / "course")
    inbound = Path(course.load_config(root).Exchange.root) / course.COURSE_ID / "inbound"
    for student in ("alice", "bora"):
        (inbound / f"{student}+{A}+2026-12-01 01:00:00.000000 UTC+abc").mkdir(parents=True)
    assert classroom.owner_warnings(root, A) == []  # one shared account: nothing to say
    nobody = pwd.getpwnam("nobody")
    os.chown(inbound / f"bora+{A}+2026-12-01 01:00:00.000000 UTC+abc", nobody.pw_uid, nobody.pw_gid)
    said = classroom.owner_warnings(root, A)
    assert len(said) == 2 and "account 'nobody'" in said[1] and "ask bora" in said[1]


def _gradebook_students(grader: Path) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(course.load_config(grader).CourseDirectory.db_url, course.COURSE_ID) as gb:
        return {s.id: (s.last_name, s.first_name) for s in gb.students}


def test_a_roster_as_excel_saves_it_is_read_and_a_duplicated_id_changes_nothing(tmp_path):
    root, env = _repo(tmp_path), _env(tmp_path / "home")
    roster = ".venv/bin/sensorlab grade roster"
    # Korean Windows Excel, "CSV (쉼표로 분리)": CP949, CRLF, a blank line, headers as typed
    (root / "cp949.csv").write_bytes("ID,Last Name,First Name\r\nalice,김,민준\r\n\r\nbora,이,서연\r\n".encode("cp949"))
    (root / "semicolons.csv").write_text("\ufeffid;last_name;first_name\nchul;박;철수\n", encoding="utf-8")
    _run(f"{roster} cp949.csv", root, env)
    _run(f"{roster} semicolons.csv", root, env)
    assert _gradebook_students(root / "grader") == {"alice": ("김", "민준"), "bora": ("이", "서연"), "chul": ("박", "철수")}
    (root / "twice.csv").write_text("id,last_name,first_name\ndan,최,다은\nalice,박,하늘\n\nalice,정,하늘\n", encoding="utf-8")
    (root / "hangul-header.csv").write_text("학번,성,이름\n20301,김,민준\n", encoding="utf-8")
    (root / "spaces.csv").write_text("id,last_name,first_name\nkim min,김,민준\n", encoding="utf-8")
    for name, said in [("twice.csv", "twice.csv, line 5: the id 'alice' is already on line 3"),
                       ("hangul-header.csv", "no id column in the first line (found: 학번, 성, 이름)"),
                       ("spaces.csv", "spaces.csv, line 2: student id 'kim min' cannot be used")]:
        done = _run(f"{roster} {name}", root, env, ok=False)
        assert done.returncode == 1 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
    # nothing of a refused file reached the gradebook: alice keeps her name, dan was not added
    assert _gradebook_students(root / "grader")["alice"] == ("김", "민준")
    assert "dan" not in _gradebook_students(root / "grader")


def test_commands_run_out_of_order_say_what_to_do_first_and_export_keeps_collected_work(tmp_path):
    root, env = _repo(tmp_path), _env(tmp_path / "home")
    sensorlab = ".venv/bin/sensorlab grade"
    (root / "roster.csv").write_text("id,last_name,first_name\nalice,김,민준\nbora,이,서연\n", encoding="utf-8")
    _run(f"{sensorlab} roster roster.csv", root, env)
    _run(f"{sensorlab} release {A}", root, env)
    _run(f"{sensorlab} fetch {A} --student alice", root, env)
    _run(f"{sensorlab} submit {A} --student alice", root, env)
    _run(f"{sensorlab} collect {A}", root, env)
    again = _run(f"{sensorlab} release {A}", root, env)  # a typo fixed: release again
    assert "students who already fetched keep their copy" in again.stdout
    for command, said in [
        (f"{sensorlab} release 99-no-such", "No notebooks were matched"),
        (f"{sensorlab} fetch 02-logging-data --student bora", "02-logging-data has not been released to this class"),
        (f"{sensorlab} fetch {A} --student alice", f"alice: you already have {A} in"),
        (f"{sensorlab} report 02-logging-data", "the gradebook has no assignment '02-logging-data' (it has: 01-sensor-box)"),
        (f"{sensorlab} export 01-sensor-bx", "the gradebook has no assignment '01-sensor-bx'"),
        (f"{sensorlab} feedback {A}", f"run sensorlab grade autograde {A} first"),
        (f"{sensorlab} fetch-feedback {A} --student alice", f"alice: no feedback for {A} yet"),
    ]:
        done = _run(command, root, env, ok=False)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert said in done.stderr and "Traceback" not in done.stderr and "File \"" not in done.stderr, (command, done.stderr)
    assert not (root / "grader" / "exports" / "grades.csv").exists(), "a mistyped name wrote an export"
    # collected, not yet autograded: the export does not pass alice off as someone who handed nothing in
    done = _run(f"{sensorlab} export", root, env)
    rows = {r["student_id"]: r["flags"] for r in csv.DictReader(
        (root / "grader" / "exports" / "grades.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert rows == {"alice": "not autograded yet", "bora": "no submission"}
    assert f"run sensorlab grade autograde {A}, then export again" in done.stderr
    assert (root / "grader" / "submitted" / "alice" / A / f"{A}.ipynb").is_file()


#: What the grader's prechecks said in English only (every one of them is a catalogue message now).
_ENGLISH_PRECHECK = ("the file is empty", "not valid notebook JSON", "not a Jupyter notebook", "graded as",
                     "in the submission", "cannot be read", "restored before grading", "put back before grading",
                     "used twice", "appears", "carried nbgrader metadata", "not copied", "a link",
                     "bytes that are not UTF-8", "has no cells", "none of this assignment", "the notebook of")


@pytest.mark.slow
def test_precheck_flags_are_in_the_teachers_language(tmp_path):
    """A Korean teacher's class with every precheck slip: each flag is a Korean sentence."""
    due = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(days=1)
    root, env = _graded_class(tmp_path, due)
    env["SENSORLAB_LANG"] = "ko"
    grader = root / "grader"
    good = (grader / "submitted" / "alice" / A / f"{A}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(good, as_version=4)
    tests = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    tampered = nbformat.from_dict(nb)
    tampered.cells[tests[0]].metadata["nbgrader"]["points"] = 99
    deleted = nbformat.from_dict(nb)
    del deleted.cells[tests[-1]]
    deleted.cells.append(nbformat.v4.new_markdown_cell("mine", metadata={"nbgrader": {"grade": True, "points": 5}}))
    twins = json.loads(good)
    twins["cells"][1]["id"] = twins["cells"][0]["id"]
    copied = nbformat.from_dict(nb)
    at = next(i for i, c in enumerate(copied.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    copied.cells.insert(at + 1, nbformat.from_dict(copied.cells[at]))
    files = {"empty": {f"{A}.ipynb": b""}, "junk": {f"{A}.ipynb": b"{not json"},
             "nocells": {f"{A}.ipynb": nbformat.writes(nbformat.v4.new_notebook()).encode()},
             "latin": {f"{A}.ipynb": good.replace("sds011", "sds\u00e9011", 1).encode("utf-8").replace(
                 "\u00e9".encode("utf-8"), b"\xe9")},
             "renamed": {"mine.ipynb": good.encode()}, "nothing": {"notes.txt": b"hi"},
             "tamper": {f"{A}.ipynb": nbformat.writes(tampered).encode()},
             "deleted": {f"{A}.ipynb": nbformat.writes(deleted).encode()},
             "twins": {f"{A}.ipynb": json.dumps(twins).encode()},
             "copied": {f"{A}.ipynb": nbformat.writes(copied).encode()}}
    for student, content in files.items():
        folder = grader / "submitted" / student / A
        folder.mkdir(parents=True)
        for name, data in content.items():
            (folder / name).write_bytes(data)
    (grader / "submitted" / "tamper" / A / "link.txt").symlink_to("/etc/hostname")
    graded = _run(f".venv/bin/sensorlab grade autograde {A} --jobs 2", root, env)
    flags = json.loads((grader / "grading-flags.json").read_text(encoding="utf-8"))[A]
    kinds = {s: sorted({f["kind"] for f in fs}) for s, fs in flags.items()}
    assert kinds == {"empty": ["corrupt"], "junk": ["corrupt"], "nocells": ["empty"], "latin": ["non_utf8"],
                     "renamed": ["renamed"], "nothing": ["missing"], "tamper": ["tampered"],
                     "deleted": ["tampered"], "twins": ["duplicated"], "copied": ["duplicated"]}, kinds
    reasons = [f["reason"] for fs in flags.values() for f in fs]
    assert len(reasons) >= 12, reasons
    english = [r for r in reasons if not re.search("[가-힣]", r) or any(e in r for e in _ENGLISH_PRECHECK)]
    assert not english, english
    assert all(r in graded.stdout for r in reasons), graded.stdout


def _submissions_recorded(db: Path) -> int:
    """Grades the grader has committed into ``db`` so far."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as con:
            return con.execute("select count(*) from grade where auto_score is not null").fetchone()[0]
    except sqlite3.Error:  # being written: ask again
        return 0


@pytest.mark.slow
def test_a_gradebook_file_replaced_during_the_batch_gets_every_later_grade(tmp_path):
    """A sync tool or a restored copy puts a new gradebook.db in place mid-batch (a rename, as
    editors and sync clients do): the grades of later submissions go into that file, not into
    the one that was replaced, and nothing of the batch is lost."""
    from nbgrader.api import Gradebook

    def swap(grader):
        copy = grader / "gradebook.db.synced"
        shutil.copyfile(grader / "gradebook.db", copy)
        copy.replace(grader / "gradebook.db")

    # once one submission's grades are committed
    grader, done = _grade_four_while(tmp_path, lambda grader: _submissions_recorded(grader / "gradebook.db") >= 1, swap)
    assert done.returncode == 0, done.stdout + done.stderr
    with Gradebook(course.load_config(grader).CourseDirectory.db_url, course.COURSE_ID) as gb:
        scores = {s: gb.find_submission(A, s).score for s in ("alice", "bora", "chul", "dan")}
    assert all(score > 0 for score in scores.values()), scores

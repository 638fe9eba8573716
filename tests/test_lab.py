"""`make lab` as a student hides nbgrader's instructor tools; as a teacher it shows them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from _jupyter_server import JupyterLab
from sensorlab.lab import lab_command

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.fixture
def running_lab(tmp_path):
    labs = []

    def start(role: str) -> int:
        labs.append(JupyterLab(REPO, role, tmp_path / f"{role}.log", "test-token", timeout=90))
        return labs[-1].port

    yield start
    for lab in labs:
        lab.stop()


def page_config(port: int) -> dict:
    status, html = fetch(f"http://127.0.0.1:{port}/lab?token=test-token")
    assert status == 200
    match = re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_student_lab_hides_instructor_tools(running_lab):
    port = running_lab("student")
    disabled = page_config(port)["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:create-assignment" in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled  # students still fetch and submit
    assert fetch(f"http://127.0.0.1:{port}/formgrader?token=test-token")[0] == 404


def test_teacher_lab_has_formgrader_and_no_news_popup(running_lab):
    port = running_lab("teacher")
    disabled = page_config(port)["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" not in disabled
    assert "@jupyterlab/apputils-extension:announcements" in disabled
    assert fetch(f"http://127.0.0.1:{port}/formgrader?token=test-token")[0] == 200


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_nbgrader_finds_the_course_from_wherever_the_lab_starts(role, tmp_path):
    """make lab's nbgrader (formgrader, assignment list) uses grader/; a hub's site config wins there."""
    from sensorlab.grading.course import find_course

    probe = ("from nbgrader.apps import NbGrader; app = NbGrader(); app.load_config_file(); "
             "cd = app.config.CourseDirectory; print(*(cd[k] if k in cd else '-' for k in ('root', 'course_id')))")
    _, env = lab_command(str(tmp_path), role=role, open_browser=False)
    env.pop("SENSORLAB_COURSE", None)
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    assert out == [str(find_course()), "seoul-sensor-lab"]
    env["JUPYTERHUB_SERVICE_PREFIX"] = "/user/s2401/"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    assert out == ["-", "-"]

"""`make lab` as a student hides nbgrader's instructor tools; as a teacher it shows them."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sensorlab.lab import lab_command

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.fixture
def running_lab(tmp_path):
    procs = []

    def start(role: str) -> int:
        port = free_port()
        cmd, env = lab_command(REPO, port, role, open_browser=False, token="test-token")
        env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / f"runtime-{role}")
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=open(tmp_path / f"{role}.log", "w"), start_new_session=True)
        procs.append(proc)
        deadline = time.time() + 90
        while time.time() < deadline:
            assert proc.poll() is None, (tmp_path / f"{role}.log").read_text()[-2000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=test-token", timeout=1)
                return port
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        pytest.fail(f"JupyterLab ({role}) did not start: {(tmp_path / f'{role}.log').read_text()[-2000:]}")

    yield start
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


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

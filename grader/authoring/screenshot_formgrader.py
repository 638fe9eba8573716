"""Take grader/docs/formgrader.png: the formgrader on a small demo class graded by `sensorlab grade`.

    .venv/bin/python grader/authoring/screenshot_formgrader.py

Builds a demo course in a temporary folder (five ordinary and three hostile submissions of
01-sensor-box), grades it with sensorlab.grading.autograde, starts a Jupyter server there and
photographs the submissions page with Debian's chromium through Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "tests" / "hostile"), str(REPO)]  # the hostile corpus; tools/
import corpus  # noqa: E402

from sensorlab.grading import course  # noqa: E402
from tools import grading_proof as proof  # noqa: E402
from sensorlab.grading.autograde import autograde  # noqa: E402
from sensorlab.grading.sandbox import Limits  # noqa: E402

A = corpus.ASSIGNMENT
OUT = REPO / "grader" / "docs" / "formgrader.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = course.copy_course(course.find_course(), Path(tmp) / "course")
        course.check(course.api(root).generate_assignment(A), "generate")
        source = nbformat.read(str(root / "source" / A / f"{A}.ipynb"), as_version=4)
        release = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
        good = corpus.good_notebook(source, release)
        subs = {"s2401": good, "s2402": corpus._answer(good, "sds011_ugm3", "def sds011_ugm3(raw):\n    return raw // 10"),
                "s2403": release, "s2404": good, "s2405": corpus._answer(good, "is_good_line", "def is_good_line(line):\n    return True")}
        kinds = {k.name: k for k in corpus.KINDS}
        for sid, name in (("s2406", "os_exit"), ("s2407", "edited_points"), ("s2408", "corrupt_json")):
            subs[sid] = kinds[name].build(good, {})
        for sid, nb in subs.items():
            proof.place_submission(root, A, sid, nb)
        autograde(root, A, jobs=2, limits=Limits(cell_timeout_s=10, timeout_s=120), progress=False)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyter"), "server", "--no-browser", f"--port={port}",
             "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
             f"--ServerApp.root_dir={root}"] + (["--allow-root"] if os.geteuid() == 0 else []),
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/formgrader/gradebook/{A}/{A}"
            for _ in range(60):
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except Exception:  # noqa: BLE001 - server still starting
                    time.sleep(1)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 1100, "height": 720})
                page.goto(url)
                page.wait_for_timeout(3000)
                OUT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT))
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

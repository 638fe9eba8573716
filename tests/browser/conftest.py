"""A real JupyterLab, started the way `make lab` starts it, driven by Debian's chromium.

Screenshots land in ``test-artifacts/browser/`` (git-ignored) so a person can look at what a
student or teacher saw. Everything skips with a reason where chromium or Playwright is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from pathlib import Path

import pytest

from _jupyter_server import JupyterLab

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
# What a headless chromium needs on a closed network: no background traffic, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent (make test installs Debian's chromium where it runs as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Lab(JupyterLab):
    """A running JupyterLab server over a throw-away copy of the curriculum."""

    def __init__(self, root: Path, role: str, log: Path, env: dict[str, str] | None = None):
        self.root, self.role = root, role
        # Fresh settings and workspaces: a language chosen, or notebooks left open (each with a
        # running kernel), in one test or an earlier run must not leak into another.
        env = {**(env or {}), "JUPYTERLAB_SETTINGS_DIR": str(root / ".lab-settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(root / ".lab-workspaces")}
        super().__init__(root, role, log, TOKEN, env=env, default_url="/lab")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={TOKEN}"

    def shutdown_kernels(self):
        """Stop every kernel, as a student closing a lesson would, so the next one starts alone."""
        with urllib.request.urlopen(self.url("api/sessions"), timeout=10) as r:
            sessions = json.load(r)
        for session in sessions:
            req = urllib.request.Request(self.url(f"api/sessions/{session['id']}"), method="DELETE")
            urllib.request.urlopen(req, timeout=30)


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """Student JupyterLab over a copy of lessons/ (running cells saves notebooks; the repo stays clean)."""
    root = tmp_path_factory.mktemp("student")
    shutil.copytree(REPO / "lessons", root / "lessons")
    lab = Lab(root, "student", root / "lab.log")
    yield lab
    lab.stop()


@pytest.fixture
def page(browser):
    """A fresh browser tab of a laptop's size, closed after the test."""
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    yield tab
    tab.close()


def menu_items(page, lab: Lab, menu: str) -> list[str]:
    """Open JupyterLab at ``lab`` and click the menubar's ``menu``: the texts of its items."""
    page.goto(lab.url("lab"))
    page.wait_for_selector(f"li.lm-MenuBar-item:has-text('{menu}')", timeout=90_000)
    page.click(f"li.lm-MenuBar-item:has-text('{menu}')")
    return page.eval_on_selector_all("li.lm-Menu-item", "els => els.map(e => e.textContent)")


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take

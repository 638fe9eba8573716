"""As a student: open lessons 00 and 03 in JupyterLab, run every cell, use the widgets."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.relative_to(REPO / "lessons").as_posix()
                   for module in ("00-*", "03-*")
                   for p in (REPO / "lessons").glob(f"{module}/*.ipynb") if not p.name.endswith(".ko.ipynb"))

# Every code cell shows [n] once it ran; the kernel shows Idle when nothing is queued.
ALL_CELLS_RAN = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
ERRORS = """() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.textContent).filter(t => /Traceback|\\w+Error\\b/.test(t))"""
FIGURES = "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src)"


def open_and_run_all(page, lab, notebook: str):
    page.goto(lab.url(f"lab/tree/lessons/{notebook}") + "&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=90_000)
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    page.wait_for_function(ALL_CELLS_RAN, timeout=180_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=180_000)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_lesson_runs_in_jupyterlab_without_errors(browser, student_lab, screenshot, notebook):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        open_and_run_all(page, student_lab, notebook)
        screenshot(page, "student-" + notebook.replace("/", "-").removesuffix(".ipynb"))
        assert page.evaluate(ERRORS) == []
    finally:
        page.close()
        student_lab.shutdown_kernels()


def test_modules_00_and_03_are_present():
    assert any(n.startswith("00-") for n in NOTEBOOKS) and any(n.startswith("03-") for n in NOTEBOOKS)


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if "first-look" in n or "explorer" in n])
def test_moving_a_widget_redraws_the_figure(browser, student_lab, screenshot, notebook):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        open_and_run_all(page, student_lab, notebook)
        # One element, held: JupyterLab renders outputs as they scroll into view, so ".first" can
        # name another cell's dropdown between reading its options and choosing one.
        dropdown = page.locator(".widget-dropdown select").first.element_handle()
        dropdown.scroll_into_view_if_needed()
        before = page.evaluate(FIGURES)
        assert before, "the explorer shows no figure"
        count, current = dropdown.evaluate("s => [s.options.length, s.selectedIndex]")
        assert count > 1, "the explorer's dropdown offers no other choice"
        dropdown.select_option(index=(current + 1) % count)
        page.wait_for_function(f"(before) => ({FIGURES})().join() !== before.join()", arg=before,
                               timeout=60_000)
        screenshot(page, "widget-" + notebook.replace("/", "-").removesuffix(".ipynb"))
        assert page.evaluate(ERRORS) == []
    finally:
        page.close()
        student_lab.shutdown_kernels()

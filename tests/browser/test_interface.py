"""What the interface offers each role, and the Korean language pack as a person sees it."""

from __future__ import annotations

import pytest

from .conftest import menu_items

pytestmark = pytest.mark.browser

# Draw text with the menubar's own font into a canvas and compare with a character no font has:
# if the two images are the same, the browser is drawing missing-glyph boxes, not Hangul.
HANGUL_RENDERS = """(text) => {
  const font = getComputedStyle(document.querySelector('.lm-MenuBar-itemLabel')).font;
  const draw = (s) => { const c = document.createElement('canvas'); c.width = 200; c.height = 40;
    const g = c.getContext('2d'); g.font = font; g.fillText(s, 5, 28); return c.toDataURL(); };
  return draw(text) !== draw('\\u0378'.repeat(text.length));
}"""


def test_student_sees_assignments_but_no_instructor_tools(page, student_lab, screenshot):
    items = menu_items(page, student_lab, "Nbgrader")
    screenshot(page, "student-nbgrader-menu")
    assert any("Assignment List" in i for i in items)
    assert not any("Formgrader" in i for i in items)
    assert page.locator("text=Create Assignment").count() == 0


def test_korean_language_pack_renders_korean_menus(page, student_lab, screenshot):
    menu_items(page, student_lab, "Settings")
    page.hover("li.lm-Menu-item:has-text('Language')")
    page.click("li.lm-Menu-item:has-text('Korean')")
    page.click(".jp-Dialog button.jp-mod-accept")  # "Change and reload"
    page.wait_for_selector("li.lm-MenuBar-item:has-text('파일')", timeout=90_000)
    menus = page.eval_on_selector_all("li.lm-MenuBar-item", "els => els.map(e => e.textContent)")
    screenshot(page, "student-korean-interface")
    assert {"파일", "편집", "보기", "실행", "커널"} <= set(menus)
    assert page.evaluate(HANGUL_RENDERS, "파일 편집")

"""The right/wrong/hint marks of check feedback draw a real glyph in Debian's chromium with only
the fonts the set-up installs (no emoji font, as on a Linux school PC)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sensorlab import check

pytestmark = pytest.mark.browser

# JupyterLab's own font stacks: rendered HTML output (the check's coloured box) and plain text.
CONTENT_FONT = ('system-ui, -apple-system, blinkmacsystemfont, "Segoe UI", helvetica, arial, sans-serif, '
                '"Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol"')
CODE_FONT = 'menlo, consolas, "DejaVu Sans Mono", monospace'

# Draw a character into a canvas and compare it with U+0378, which no font has: the same pixels
# mean the browser drew its missing-glyph box; no ink at all means an empty glyph.
DRAWS_A_GLYPH = """([text, font]) => {
  const draw = (s) => { const c = document.createElement('canvas'); c.width = 60; c.height = 40;
    const g = c.getContext('2d'); g.font = '24px ' + font; g.fillText(s, 10, 30); return c; };
  const ink = (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0);
  const drawn = draw(text);
  return ink(drawn) && drawn.toDataURL() !== draw('\\u0378').toDataURL();
}"""


def _has_emoji_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":charset=2705"], capture_output=True, text=True, check=True)
    return bool(found.stdout.strip())


@pytest.mark.parametrize("font", [CONTENT_FONT, CODE_FONT], ids=["html-output", "text-output"])
def test_feedback_marks_draw_a_glyph(page, font):
    page.set_content(check.evaluate("03.9-nothing", 1)._repr_html_())
    for mark in (check.MARK_RIGHT, check.MARK_WRONG, check.MARK_HINT):
        assert page.evaluate(DRAWS_A_GLYPH, [mark, font]), f"{mark!r} draws no glyph in {font}"


def test_the_glyph_test_catches_an_emoji_mark_without_an_emoji_font(page):
    """The old marks fail the same test on a machine like a school PC (no emoji font)."""
    if _has_emoji_font():
        pytest.skip("this machine has an emoji font, so the old marks render here")
    assert not page.evaluate(DRAWS_A_GLYPH, ["\u2705", CONTENT_FONT])

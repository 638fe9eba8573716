"""Hangul renders in every figure: no missing-glyph warning on a machine with no system fonts."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sensorlab import plotting  # noqa: E402


def test_korean_title_labels_and_ticks_render_without_missing_glyphs(tmp_path):
    plotting.use_korean_font()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [-3.5, 12.0, 30.0])
        ax.set_title("서울 초미세먼지(PM2.5) 일평균")
        ax.set_xlabel("자치구")
        ax.set_ylabel("농도 (µg/m³)")
        ax.set_xticks([0, 1, 2], ["종로구", "강남구", "노원구"])
        ax.legend(["좋음·보통·나쁨·매우나쁨"])
        fig.savefig(tmp_path / "hangul.png")
        plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)
               or "Glyph" in str(w.message)]
    assert missing == []
    assert (tmp_path / "hangul.png").stat().st_size > 5000


def test_missing_glyph_detection_is_live(tmp_path):
    """The check above would catch a font without Hangul (DejaVu Sans has none)."""
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("초미세먼지")
        fig.savefig(tmp_path / "tofu.png")
        plt.close(fig)
    assert any("missing from font" in str(w.message) or "Glyph" in str(w.message) for w in caught)


# --- every lesson that draws asks for the font itself -----------------------------------------

import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
#: Code that draws a figure: pyplot, pandas' plotting, the package's draw_*/…_map/explorers.
DRAWS = re.compile(r"\bplt\.|\.plot\(|\.hist\(|\.scatter\(|\bplotting\.(?!OKABE|PM25|pm25_grade|axis_label)"
                   r"|explorer\(|\bdraw_\w*\(|live_plot\(|_map\(|time_series\(|\.boxplot\(|\.bar\(")


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", sorted(LESSONS.glob("*/*.ipynb")), ids=lambda p: p.name)
def test_a_lesson_that_draws_sets_the_korean_font_in_its_set_up_cell(notebook):
    """Importing the package sets no font (tests/test_no_import_side_effects.py): a lesson that
    draws calls ``use_korean_font()`` first, or its Korean labels draw as empty boxes."""
    code = _code_cells(notebook)
    if not DRAWS.search("\n".join(code)):
        pytest.skip(f"{notebook.name} draws no figure")
    assert re.search(r"^use_korean_font\(\)", code[0], re.M), f"{notebook.name}: set-up cell does not call it"

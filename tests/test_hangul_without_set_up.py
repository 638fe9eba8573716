"""A student's own notebook that never calls ``use_korean_font()`` still draws Hangul.

Importing the package sets no font (tests/test_no_import_side_effects.py), so a capstone or
blank notebook that skips the lessons' set-up cell used to get empty boxes for every Korean
label the package's helpers wrote. The helpers now apply the font the first time they draw.
Each case runs in a fresh interpreter (nothing earlier in this test run has set the font), saves
a PNG with the missing-glyph warning raised as an error, and asks matplotlib which font file
each Hangul label resolves to.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_PRELUDE = """
import re, warnings
import matplotlib
matplotlib.use("Agg")
warnings.filterwarnings("error", message=r".*missing from font")
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.text import Text
TZ = "Asia/Seoul"
"""

_CHECK = """
fig = getattr(drawn, "figure", drawn)
fig.savefig(OUT)
hangul = [t for t in fig.findobj(Text) if re.search("[\\uac00-\\ud7a3]", t.get_text())]
assert hangul, "the helper wrote no Korean text"
for t in hangul:
    path = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
    assert "Nanum" in path, (t.get_text(), path)
print("HANGUL", len(hangul))
"""

#: A student's drawing with one of the package's helpers, Korean labels, no set-up cell.
CASES = {
    "plotting.time_series": """
        from sensorlab import plotting
        s = pd.Series([10.0, 20.0, 30.0], index=pd.date_range("2024-01-01", periods=3, freq="h", tz=TZ))
        drawn = plotting.time_series(s, "pm25", lang="ko")
    """,
    "plotting.site_map": """
        from sensorlab import plotting
        from sensorlab.datasets import stations
        drawn = plotting.site_map(stations(), lang="ko", highlight="마포구")
    """,
    "plotting.pm25_bands on the student's own axes": """
        import matplotlib.pyplot as plt
        from sensorlab import plotting
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [10, 40, 90])
        ax.set_title("우리 학교 초미세먼지")
        plotting.pm25_bands(ax, lang="ko")
        drawn = fig
    """,
    "plotting.time_series on axes made before": """
        import matplotlib.pyplot as plt
        from sensorlab import plotting
        fig, ax = plt.subplots()
        s = pd.Series([10.0, 20.0, 30.0], index=pd.date_range("2024-01-01", periods=3, freq="h", tz=TZ))
        drawn = plotting.time_series(s, "pm25", ax=ax, lang="ko")
    """,
    "humidity_figure.draw_growth": """
        from sensorlab import humidity_figure
        drawn = humidity_figure.draw_growth(lang="ko")
    """,
    "live_figure.draw_live": """
        from sensorlab import live_figure
        t = pd.DataFrame({"timestamp": pd.date_range("2025-01-06", periods=3, freq="s", tz="UTC"),
                          "site_id": "b", "boot_id": 1, "seq": [1, 2, 3], "status": "ok",
                          "pm25": [10.0, 12.0, 11.0], "temperature": [1.0, 1.1, 1.2],
                          "uptime_ms": [1000, 2000, 3000]})
        drawn = live_figure.draw_live(t, lang="ko")
    """,
    "calibration_figure.draw_calibration": """
        from sensorlab import calibration_figure
        from sensorlab.calibration import holdout_predictions
        step = np.arange(150)
        ref = 8.0 + step % 37  # a saw-tooth reference; the box reads high when it is humid
        pairs = pd.DataFrame({"timestamp": pd.date_range("2024-07-01", periods=150, freq="D", tz=TZ),
                              "site_id": "sdot-101-01", "district": "Jongno-gu", "temperature": 22.0,
                              "humidity": 40.0 + step % 55, "pm25_ref": ref})
        pairs["pm25_raw"] = ref * (1.2 + pairs["humidity"] / 200)
        drawn = calibration_figure.draw_calibration(
            holdout_predictions(pairs, ["pm25_raw", "humidity"], cutoff="2024-10-15"), lang="ko")
    """,
    "widgets_patterns.draw_cycle": """
        from sensorlab import widgets_patterns
        from sensorlab.datasets import SensorData, stations
        sites = stations()
        ref = sites[sites["kind"] == "reference"].head(2)
        stamps = pd.date_range("2024-03-04", periods=24 * 14, freq="h", tz=TZ)
        frames = [pd.DataFrame({"timestamp": stamps, "site_id": sid, "no2": np.arange(len(stamps)) % 24 + 10.0})
                  for sid in ref["site_id"]]
        data = SensorData(pd.concat(frames, ignore_index=True), ref, name="tiny")
        drawn = widgets_patterns.draw_cycle(data, "no2", "hour", "is_weekend", lang="ko")
    """,
}


def _run(code: str, out) -> subprocess.CompletedProcess:
    script = _PRELUDE + f"OUT = {str(out)!r}\n" + textwrap.dedent(code) + _CHECK
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_helper_draws_hangul_without_the_set_up_cell(case, tmp_path):
    done = _run(CASES[case], tmp_path / "figure.png")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "HANGUL" in done.stdout
    assert (tmp_path / "figure.png").stat().st_size > 5000


def test_the_check_sees_tofu(tmp_path):
    """Plain matplotlib with Korean text and no helper: the same check fails (it is live)."""
    done = _run("""
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.set_title("초미세먼지")
        drawn = fig
    """, tmp_path / "tofu.png")
    assert done.returncode != 0
    assert "missing from font" in done.stderr


@pytest.mark.parametrize("module", ["plotting", "live", "live_figure", "widgets", "widgets_patterns",
                                    "calibration_figure", "humidity_figure"])
def test_the_drawing_modules_still_import_without_matplotlib(module):
    """The font is applied when a helper draws, so importing a module of helpers (the logger's
    ``live``, an exercise's ``widgets.week_of``) still loads no matplotlib."""
    done = subprocess.run([sys.executable, "-c", f"import sys, sensorlab.{module}\n"
                           "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

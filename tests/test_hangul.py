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

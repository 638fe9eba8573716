"""Plot styling shared by every lesson: Hangul that renders, colour-blind-safe colours.

Importing this module registers the NanumGothic font shipped by ``koreanize-matplotlib``
(so Korean titles, labels and tick labels render on a fresh school PC with no system
fonts), with DejaVu Sans behind it for the symbols it lacks (µ, ³) and keeps the minus sign as ASCII, which NanumGothic lacks as U+2212.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from sensorlab import plotting
>>> plotting.use_korean_font()
'NanumGothic'
>>> plotting.pm25_grade(12), plotting.pm25_grade(40, lang="ko")
('good', '나쁨')
>>> len(plotting.OKABE_ITO)
8
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import font_manager

#: Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]

#: Korean PM2.5 grades (µg/m³, inclusive upper bounds) as the city and AirKorea publish them.
PM25_GRADES = [(15, "good", "좋음", "#0072B2"), (35, "moderate", "보통", "#009E73"),
               (75, "bad", "나쁨", "#E69F00"), (float("inf"), "very bad", "매우나쁨", "#D55E00")]

_FONT = "NanumGothic"


def use_korean_font() -> str:
    """Make matplotlib draw Hangul with the bundled NanumGothic font; return its family name."""
    import koreanize_matplotlib  # noqa: F401  (registers the font and sets rcParams)

    names = {f.name for f in font_manager.fontManager.ttflist}
    if _FONT not in names:  # pragma: no cover - koreanize always ships it
        raise RuntimeError("NanumGothic was not registered; reinstall koreanize-matplotlib")
    # NanumGothic has no µ or ³ (every PM unit label); matplotlib falls back glyph by glyph.
    mpl.rcParams["font.family"] = [_FONT, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=OKABE_ITO)
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["axes.grid"] = True
    mpl.rcParams["grid.alpha"] = 0.3
    return _FONT


def pm25_grade(value: float, lang: str = "en") -> str:
    """Return the Korean-scale PM2.5 grade of a concentration in µg/m³.

    Parameters
    ----------
    value : float
        PM2.5 concentration in µg/m³ (daily mean for the official grade).
    lang : {"en", "ko"}
        Language of the label.

    Examples
    --------
    >>> [pm25_grade(v) for v in (15, 16, 35, 36, 76)]
    ['good', 'moderate', 'moderate', 'bad', 'very bad']
    """
    for upper, en, ko, _ in PM25_GRADES:
        if value <= upper:
            return ko if lang == "ko" else en
    raise ValueError(f"not a concentration: {value!r}")


use_korean_font()

"""Lesson figures in one house style: Hangul that renders, colour-blind-safe colours, labelled units.

Importing this module changes no matplotlib setting. A notebook calls :func:`use_korean_font`
once, in its set-up cell; the package's drawing helpers (decorated :func:`draws_hangul`) call it
themselves the first time they draw, so a student's own notebook that skips the set-up cell
still gets Hangul, not empty boxes. It registers the NanumGothic font shipped by ``koreanize-matplotlib``
(so Korean titles, labels and tick labels render on a fresh school PC with no system fonts),
with DejaVu Sans behind it for the symbols it lacks (µ, ³), keeps the minus sign as ASCII
(NanumGothic lacks U+2212) and sets the colours and grid. The PM2.5 grade table is
:mod:`sensorlab.pm25_grades` (re-exported here for the lessons).

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

import functools

# the grade table is its own module; figures shade its bands and lessons still find it here
from sensorlab.pm25_grades import PM25_GRADES, pm25_grade  # noqa: F401 - re-exported

#: Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]

_FONT = "NanumGothic"
#: Whether :func:`use_korean_font` ran in this process (the drawing helpers apply it once).
_APPLIED = False


def use_korean_font() -> str:
    """Make matplotlib draw Hangul with the bundled NanumGothic font; return its family name."""
    global _APPLIED
    import koreanize_matplotlib  # noqa: F401  (registers the font and sets rcParams)
    import matplotlib as mpl
    from matplotlib import font_manager

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
    _APPLIED = True
    return _FONT


def draws_hangul(draw):
    """Decorate a drawing helper so it applies :func:`use_korean_font` before its first figure.

    Import stays free of side effects; the font is set when the package first draws, as the
    lesson's set-up cell would have. Text made before that (an ``ax`` the caller created
    first) still names the old default family, so it is moved to the Hangul font too.
    """

    @functools.wraps(draw)
    def drawing(*args, **kwargs):
        if _APPLIED:
            return draw(*args, **kwargs)
        # matplotlib is imported here, not with the module: the modules whose helpers this
        # decorates (live, widgets, ...) are imported by code that never draws
        import matplotlib as mpl

        before = list(mpl.rcParams["font.family"])
        use_korean_font()
        drawn = draw(*args, **kwargs)
        from matplotlib.figure import Figure
        from matplotlib.text import Text

        # the figure drawn on: the one returned, or the caller's (pm25_bands returns nothing)
        figures = {id(f): f for f in (getattr(x, "figure", x) for x in (drawn, *args, *kwargs.values()))
                   if isinstance(f, Figure)}
        for figure in figures.values():
            for label in figure.findobj(Text):
                if list(label.get_fontfamily()) == before:
                    label.set_fontfamily(mpl.rcParams["font.family"])
        return drawn

    return drawing


#: English display names of the quantities lessons plot most (Korean: ``datasets.NAMES_KO``).
NAMES_EN = {"pm25": "PM2.5", "pm10": "PM10", "temperature": "Temperature", "humidity": "Relative humidity",
            "noise": "Noise", "illuminance": "Illuminance", "uv": "UV", "wind_speed": "Wind speed",
            "no2": "NO₂", "o3": "O₃"}

#: Colour and marker of each kind of site (colour and shape both differ, so greyscale works too).
SITE_STYLE = {"reference": {"color": "#0072B2", "marker": "s"}, "street": {"color": "#E69F00", "marker": "o"}}


def _lang(lang):
    from sensorlab.messages import get_language

    return lang or get_language()


def axis_label(quantity: str, lang: str | None = None) -> str:
    """An axis label with the quantity's name and unit.

    Examples
    --------
    >>> axis_label("pm25", "en"), axis_label("temperature", "ko")
    ('PM2.5 (µg/m³)', '기온 (°C)')
    """
    from sensorlab.datasets.base import NAMES_KO, UNITS

    names = NAMES_KO if _lang(lang) == "ko" else NAMES_EN
    name = names.get(quantity, quantity.replace("_", " ").capitalize())
    unit = UNITS.get(quantity)
    return f"{name} ({unit})" if unit else name


@draws_hangul
def site_map(sites, ax=None, lang: str | None = None, highlight: str | None = None, label_districts: bool = True):
    """Draw sites as points on longitude/latitude axes, coloured and shaped by kind.

    No map tiles (lessons run offline), so no coastline or river is faked: the axes use an
    equal-distance aspect (one km looks as long north-south as east-west at Seoul's latitude)
    and each district is labelled at the middle of its sites.

    Parameters
    ----------
    sites : pandas.DataFrame
        The sites table (``site_id, kind, district, district_ko, lat, lon``).
    highlight : str, optional
        A district to ring in black, by its English or Korean name ("Mapo-gu" or "마포구").

    Examples
    --------
    >>> from sensorlab.datasets import stations
    >>> ax = site_map(stations(), lang="en")
    >>> ax.get_xlabel(), len(ax.collections)
    ('Longitude (°E)', 1)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from sensorlab.messages import text

    lang = _lang(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5.5))
    for kind, group in sites.groupby("kind", sort=True):
        style = SITE_STYLE.get(kind, {"color": "#000000", "marker": "^"})
        ax.scatter(group["lon"], group["lat"], s=36 if kind == "reference" else 14, alpha=0.9,
                   label=text(f"plot.site_kind.{kind}", lang=lang) if kind in SITE_STYLE else kind,
                   edgecolor="white", linewidth=0.5, zorder=3, **style)
    if highlight is not None:
        if "district_ko" in sites.columns and (sites["district_ko"] == highlight).any():
            # a Korean lesson names its district 마포구
            highlight = sites.loc[sites["district_ko"] == highlight, "district"].iloc[0]
        chosen = sites[sites["district"] == highlight]
        ax.scatter(chosen["lon"], chosen["lat"], s=90, facecolor="none", edgecolor="black", linewidth=1.2,
                   zorder=4, label=text("plot.highlighted", lang=lang, district=_district_name(sites, highlight, lang)))
    if label_districts:
        name_col = "district_ko" if lang == "ko" else "district"
        for name, group in sites.groupby(name_col):
            ax.annotate(str(name).removesuffix("-gu") if lang != "ko" else name,
                        (group["lon"].mean(), group["lat"].mean()), xytext=(0, 7), textcoords="offset points",
                        ha="center", fontsize=7, color="#333333", zorder=5)
    ax.set_aspect(1 / np.cos(np.deg2rad(sites["lat"].mean())))
    ax.set_xlabel(text("plot.longitude", lang=lang))
    ax.set_ylabel(text("plot.latitude", lang=lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax


def _district_name(sites, district, lang):
    if lang != "ko":
        return district
    match = sites.loc[sites["district"] == district, "district_ko"]
    return match.iloc[0] if len(match) else district


@draws_hangul
def pm25_bands(ax, lang: str | None = None) -> None:
    """Shade the Korean PM2.5 grades (좋음/보통/나쁨/매우나쁨) behind a PM2.5 plot, with labels."""
    lang = _lang(lang)
    top = ax.get_ylim()[1]
    lower = 0.0
    for upper, en, ko, colour in PM25_GRADES:
        if lower >= top:
            break
        ax.axhspan(lower, min(upper, top), color=colour, alpha=0.08, zorder=0, linewidth=0)
        ax.text(1.005, (lower + min(upper, top)) / 2, ko if lang == "ko" else en, transform=ax.get_yaxis_transform(),
                va="center", ha="left", fontsize=7, color=colour)
        lower = upper
    ax.set_ylim(0, top)


@draws_hangul
def time_series(series, quantity: str, ax=None, lang: str | None = None, label: str | None = None, **style):
    """Plot one time series with a labelled, unit-bearing y axis and readable dates.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([10.0, 20.0, 30.0], index=pd.date_range("2024-01-01", periods=3, freq="h", tz="Asia/Seoul"))
    >>> time_series(s, "pm25", lang="en").get_ylabel()
    'PM2.5 (µg/m³)'
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from sensorlab.messages import text

    lang = _lang(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(series.index, series.to_numpy(), label=label, **style)
    ax.set_ylabel(axis_label(quantity, lang))
    ax.set_xlabel(text("plot.time_kst", lang=lang))
    locator = mdates.AutoDateLocator(tz=getattr(series.index, "tz", None))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(date_formatter(locator, getattr(series.index, "tz", None), lang))
    return ax


def date_formatter(locator, tz=None, lang: str | None = None):
    """Matplotlib's concise date labels, with month names in the message language.

    ``%b`` gives English month names whatever the computer's locale, so the formats that
    name a month come from the catalogue (``plot.dates.*``): "Jan" in English, "01월" in Korean.

    Examples
    --------
    >>> import matplotlib.dates as mdates
    >>> date_formatter(mdates.AutoDateLocator(), lang="ko").offset_formats[2]
    '%Y년 %m월'
    """
    import matplotlib.dates as mdates

    from sensorlab.messages import text

    lang = _lang(lang)
    month, day_month, year_month, ymd, ymd_time = (
        text(f"plot.dates.{key}", lang=lang) for key in ("month", "day_month", "year_month", "ymd", "ymd_time"))
    return mdates.ConciseDateFormatter(
        locator, tz=tz, formats=["%Y", month, "%d", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", month, day_month, "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", year_month, ymd, ymd, ymd_time])


@draws_hangul
def value_map(table, quantity: str, ax=None, lang: str | None = None, cmap: str = "viridis"):
    """Draw sites coloured by a value (e.g. each site's mean PM2.5), with a labelled colour bar.

    ``table`` needs ``lat``, ``lon`` and the ``quantity`` column. ``viridis`` is the default
    colour map: it reads in order for every common colour-vision deficiency and in greyscale.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"lat": [37.5, 37.6], "lon": [127.0, 126.9], "pm25": [20.0, 30.0]})
    >>> value_map(t, "pm25", lang="en").figure.axes[1].get_ylabel()
    'PM2.5 (µg/m³)'
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from sensorlab.messages import text

    lang = _lang(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5.5))
    points = ax.scatter(table["lon"], table["lat"], c=table[quantity], cmap=cmap, s=40,
                        edgecolor="#333333", linewidth=0.4, zorder=3)
    ax.figure.colorbar(points, ax=ax, label=axis_label(quantity, lang), shrink=0.8)
    ax.set_aspect(1 / np.cos(np.deg2rad(table["lat"].mean())))
    ax.set_xlabel(text("plot.longitude", lang=lang))
    ax.set_ylabel(text("plot.latitude", lang=lang))
    return ax

"""The city's explorers: a district, a quantity and dates chosen with dropdowns, and the figure.

The logic (which readings a choice selects, what the figure shows) is plain functions that the
tests call directly; the widgets only wire controls to them, through
:class:`~sensorlab.explorer.Explorer` (live widget with a static figure behind it). Module 06's
calibration explorer is :mod:`sensorlab.calibration_figure`.

Examples
--------
>>> import pandas as pd
>>> from sensorlab.datasets import SensorData, stations
>>> sites = stations()
>>> ts = pd.date_range("2024-01-01", periods=48, freq="h", tz="Asia/Seoul")
>>> readings = pd.DataFrame({"timestamp": ts.repeat(2), "site_id": ["ref-101", "ref-102"] * 48,
...                          "pm25": [10.0, 30.0] * 48})
>>> city = SensorData(readings, sites, name="tiny")
>>> districts(city)[:2]
['Dobong-gu', 'Dongdaemun-gu']
>>> select(city, "Jongno-gu", "pm25").shape
(48, 1)
>>> float(district_mean(city, "Jung-gu", "pm25").mean())
30.0
"""

from __future__ import annotations

import pandas as pd

# the explorer machinery is its own module; this one builds the city's explorers on it
from sensorlab.explorer import Explorer
from sensorlab.explorer import Fixed as _Fixed
from sensorlab.explorer import dropdown as _dropdown
from sensorlab.explorer import use_static as _static
from sensorlab.messages import get_language, text
from sensorlab.plotting import draws_hangul

__all__ = ["districts", "english_district", "view_limit", "select", "district_mean", "week_of", "draw_selection", "Explorer",
           "week_explorer", "city_explorer"]


def districts(data) -> list[str]:
    """The districts (English names) that have at least one site, sorted."""
    return sorted(data.sites["district"].dropna().unique())


def english_district(data, district: str) -> str:
    """The English district name for an English or Korean one ("종로구" -> "Jongno-gu").

    Korean lessons name districts in Korean (their legends then read 종로구); the data keys
    districts by their English name. A name that is neither is returned unchanged.

    >>> from sensorlab.datasets import SensorData, stations
    >>> english_district(SensorData(None, stations()), "종로구")
    'Jongno-gu'
    """
    sites = data.sites
    if "district_ko" in sites.columns and not (sites["district"] == district).any():
        match = sites.loc[sites["district_ko"] == district, "district"]
        if len(match):
            return match.iloc[0]
    return district


def view_limit(table: pd.DataFrame, mean: pd.Series | None = None) -> float | None:
    """A y-axis top that one spike cannot squash the rest under, or None when nothing is cut.

    The top is the 99th percentile of all sites' values plus a fifth of their spread (and at
    least a little above the district mean's peak); it is returned only when the highest value
    would squash the view, reaching half as high again as that top.

    >>> import numpy as np
    >>> t = pd.DataFrame({"a": np.r_[np.full(99, 10.0), 700.0], "b": np.full(100, 12.0)})
    >>> round(view_limit(t), 1)
    14.4
    >>> view_limit(t.clip(upper=12)) is None
    True
    """
    import numpy as np

    values = table.to_numpy(dtype=float).ravel()
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None
    high, low = np.percentile(values, [99, 1])
    top = high + 0.2 * (high - min(low, 0.0))
    if mean is not None and mean.notna().any():
        top = max(top, float(mean.max()) * 1.05)
    return float(top) if values.max() > 1.5 * top else None


def _bounds(start, end, tz):
    start = None if start is None else pd.Timestamp(start)
    end = None if end is None else pd.Timestamp(end)
    if start is not None and start.tzinfo is None:
        start = start.tz_localize(tz)
    if end is not None and end.tzinfo is None:
        end = end.tz_localize(tz)
    return start, end


def select(data, district: str, quantity: str = "pm25", start=None, end=None, kind: str | None = None,
           hide_impossible: bool = True) -> pd.DataFrame:
    """The readings of one quantity in one district as a table: time down, one column per site.

    ``start`` is inclusive and ``end`` exclusive (dates without a time mean midnight in Seoul).
    ``kind`` keeps only ``"street"`` or ``"reference"`` sites. Impossible values (error codes
    such as -999, exact zeros, out-of-range values) are hidden as gaps unless
    ``hide_impossible=False`` (see :func:`sensorlab.explore.plausible`).
    """
    if quantity not in data.readings.columns:
        raise KeyError(text("widgets.no_quantity", quantity=quantity))
    district = english_district(data, district)
    sites = data.sites[data.sites["district"] == district]
    if kind is not None:
        sites = sites[sites["kind"] == kind]
    if sites.empty:
        raise KeyError(text("widgets.no_district", district=district))
    rows = data.readings[data.readings["site_id"].isin(sites["site_id"])]
    start, end = _bounds(start, end, rows["timestamp"].dt.tz)
    if start is not None:
        rows = rows[rows["timestamp"] >= start]
    if end is not None:
        rows = rows[rows["timestamp"] < end]
    if hide_impossible:
        from sensorlab.explore import plausible

        rows = plausible(rows[["timestamp", "site_id", quantity]], [quantity])
    table = rows.pivot_table(index="timestamp", columns="site_id", values=quantity, aggfunc="mean", dropna=False)
    table.columns.name = "site_id"
    return table


def district_mean(data, district: str, quantity: str = "pm25", start=None, end=None, freq: str | None = None,
                  kind: str | None = None) -> pd.Series:
    """The mean over a district's sites (of one ``kind``, if given) at each time, optionally resampled to ``freq``."""
    series = select(data, district, quantity, start, end, kind=kind).mean(axis=1)
    if freq:
        series = series.resample(freq).mean()
    series.name = quantity
    return series


def week_of(data, district: str, quantity: str = "pm25", start=None) -> pd.Series:
    """Seven days of a district's hourly mean, from ``start`` (default: the first Monday in the data)."""
    times = data.readings["timestamp"]
    if start is None:
        first = times.min().normalize()
        start = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    start, _ = _bounds(start, None, times.dt.tz)
    return district_mean(data, district, quantity, start, start + pd.Timedelta(days=7), freq="1h")


@draws_hangul
def draw_selection(data, district: str, quantity: str = "pm25", start=None, end=None, ax=None, lang=None):
    """Draw one district's sites (thin lines) and their mean (thick line) for a time window."""
    import matplotlib.pyplot as plt

    from sensorlab import plotting

    lang = lang or get_language()
    district = english_district(data, district)
    table = select(data, district, quantity, start, end)
    step = "1h" if len(table) > 24 * 3 else None
    if step:
        table = table.resample(step).mean()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8))
    mean = table.mean(axis=1)
    # One street sensor's spike (hundreds of µg/m³) would squash every other line and the grade
    # bands flat: cut the view at a robust top, mark the cut readings there and say so.
    limit = view_limit(table, mean)
    if limit is not None:
        above = table.where(table > limit).stack().dropna()
        times = above.index.get_level_values(0)
        ax.plot(times, [limit] * len(times), linestyle="none", marker="^", markersize=5,
                color="#666666", clip_on=False, zorder=3)
    for site in table.columns:
        ax.plot(table.index, table[site], color="#999999", linewidth=0.6, alpha=0.6)
    name = plotting._district_name(data.sites, district, lang)
    plotting.time_series(mean, quantity, ax=ax, lang=lang, color=plotting.OKABE_ITO[4], linewidth=2,
                         label=text("widgets.district_mean", lang=lang, district=name))
    ax.plot([], [], color="#999999", linewidth=0.6, label=text("widgets.each_site", lang=lang, n=table.shape[1]))
    if limit is not None:
        ax.set_ylim(top=limit)
        unit = plotting.axis_label(quantity, lang).rsplit(" (", 1)[-1][:-1]
        # below the time axis, where it hides neither the lines nor the legend
        ax.annotate(text("widgets.clipped", lang=lang, limit=f"{limit:.3g}", n=len(above),
                         highest=f"{above.max():.3g}", unit=unit, site=above.idxmax()[1]),
                    xy=(0, 0), xycoords="axes fraction", xytext=(0, -36), textcoords="offset points",
                    ha="left", va="top", fontsize=8, color="#444444")
    if quantity == "pm25":
        plotting.pm25_bands(ax, lang)
    # the y axis carries the unit; the title names the quantity only
    title_quantity = plotting.axis_label(quantity, lang).rsplit(" (", 1)[0]
    ax.set_title(text("widgets.title", lang=lang, district=name, quantity=title_quantity))
    ax.legend(loc="upper left", fontsize=8)
    return ax.figure


def _district_options(data, lang):
    names = data.sites.drop_duplicates("district").set_index("district")["district_ko"]
    return [((names[d] if lang == "ko" else d), d) for d in districts(data)]


def week_explorer(data, district: str = "Jongno-gu", static: bool | None = None) -> Explorer:
    """A district dropdown (English or Korean name) and a week of hourly PM2.5 there (lesson 00.4)."""
    lang = get_language()
    district = english_district(data, district)  # the dropdown's values are the English names
    controls = {}
    if not _static(static):
        controls["district"] = _dropdown(_district_options(data, lang), district, text("widgets.district", lang=lang))
    else:
        controls["district"] = _Fixed(district)

    def draw(district):
        series = week_of(data, district)
        return draw_selection(data, district, "pm25", series.index.min(), series.index.max() + pd.Timedelta(hours=1))

    return Explorer(controls, draw, static=_static(static))


def city_explorer(data, district: str = "Jongno-gu", quantity: str = "pm25", static: bool | None = None) -> Explorer:
    """District (English or Korean name), quantity and date-range controls over the whole city (lesson 03.5)."""
    lang = get_language()
    district = english_district(data, district)  # the dropdown's values are the English names
    # Every day with data; the chosen range includes its last day (01/01-01/07 is one week).
    days = pd.date_range(data.readings["timestamp"].min().normalize(),
                         data.readings["timestamp"].max().normalize(), freq="D")
    first_week = (days[0], days[min(6, len(days) - 1)])
    quantities = [q for q in data.quantities if data.readings[q].notna().any()]
    if _static(static):
        controls = {"district": _Fixed(district), "quantity": _Fixed(quantity), "dates": _Fixed(first_week)}
    else:
        import ipywidgets as w

        names = {q: __import__("sensorlab.plotting", fromlist=["axis_label"]).axis_label(q, lang) for q in quantities}
        # The slider's readout shows "first-last" in a narrow box: short labels fit ("01/01-01/07"),
        # with the year in the description when the data lies in one year.
        one_year = days[0].year == days[-1].year
        label, dates_text = (("%m/%d", text("widgets.dates_year", lang=lang, year=days[0].year)) if one_year
                             else ("%y/%m/%d", text("widgets.dates", lang=lang)))
        controls = {
            "district": _dropdown(_district_options(data, lang), district, text("widgets.district", lang=lang)),
            "quantity": _dropdown([(names[q], q) for q in quantities], quantity, text("widgets.quantity", lang=lang)),
            "dates": w.SelectionRangeSlider(options=[(d.strftime(label), d) for d in days], index=(0, min(6, len(days) - 1)),
                                            description=dates_text, continuous_update=False,
                                            layout=w.Layout(width="480px"), style={"description_width": "initial"}),
        }

    def draw(district, quantity, dates):
        return draw_selection(data, district, quantity, dates[0], dates[1] + pd.Timedelta(days=1))

    return Explorer(controls, draw, static=_static(static))

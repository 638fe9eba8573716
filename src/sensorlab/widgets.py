"""Explorers: dropdowns and sliders that redraw a figure, with a static figure behind them.

The logic (which readings a choice selects, what the figure shows) is plain functions that the
tests call directly; the widgets only wire controls to them. An :class:`Explorer` displays as a
live widget in JupyterLab, and carries a PNG of its first figure in the same output, so a
frontend without widgets (an exported notebook, GitHub, a headless run) still shows a figure.
Set ``SENSORLAB_STATIC=1`` (or pass ``static=True``) to draw only the static figure.

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

import base64
import io
import os
from collections.abc import Callable

import pandas as pd

from sensorlab.messages import get_language, text

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


class Explorer:
    """Controls wired to a drawing function, displayed live, with a static figure as fallback.

    Parameters
    ----------
    controls : dict
        Name -> ipywidgets control; the name is the drawing function's keyword.
    draw : callable
        ``draw(**values)`` returns a matplotlib Figure.
    static : bool, optional
        Draw only the static figure (default: ``SENSORLAB_STATIC`` set, or no ipywidgets).
    """

    def __init__(self, controls: dict, draw: Callable, static: bool | None = None):
        self.controls, self._draw = controls, draw
        self.static = bool(os.environ.get("SENSORLAB_STATIC")) if static is None else static
        self.redraws = 0
        self._box = None
        self._last_png = b""
        if not self.static:
            import ipywidgets as w

            # An Image widget, not an Output widget: setting its bytes needs no output capture,
            # which made headless runs (nbclient, nbval) wait for a reply now and then.
            self._image = w.Image(format="png", layout=w.Layout(max_width="100%"))
            for control in controls.values():
                control.observe(lambda _change: self.redraw(), names="value")
            self._box = w.VBox([w.HBox(list(controls.values())), self._image])

    def values(self) -> dict:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def figure(self):
        """Draw the current selection as a plain matplotlib figure."""
        return self._draw(**self.values())

    def redraw(self) -> None:
        """Redraw the live figure (called whenever a control changes)."""
        self.redraws += 1
        self._image.value = self._png()  # drawn once: shown live and kept as the static fallback

    def _png(self) -> bytes:
        import matplotlib.pyplot as plt

        fig = self.figure()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        self._last_png = buf.getvalue()
        return self._last_png

    def _repr_mimebundle_(self, include=None, exclude=None):
        # A control's label, not its value: a value can be a code or a message key (m06.features.raw).
        summary = ", ".join(f"{k}={_shown(c)}" for k, c in self.controls.items())
        if self._box is None:
            png = self._png()
        else:
            if self.redraws == 0:
                self.redraw()
            png = self._last_png
        bundle = {"text/plain": f"Explorer({summary})", "image/png": base64.b64encode(png).decode("ascii")}
        if self._box is not None:
            # JupyterLab prefers the widget view; frontends without widgets fall back to the PNG.
            bundle.update(self._box._repr_mimebundle_(include=include, exclude=exclude) or {})
            bundle["text/plain"] = f"Explorer({summary})"
        return bundle


def _dropdown(options, value, description):
    import ipywidgets as w

    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"})


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


class _Fixed:
    """Stands in for a control when drawing statically: a value that never changes."""

    def __init__(self, value, label: str | None = None):
        self.value = value
        self.label = label


def _shown(control):
    """What a summary shows for a control: its text label when it has one, else its value."""
    label = getattr(control, "label", None)
    return label if isinstance(label, str) and label else control.value


def _static(static):
    if static is not None:
        return static
    if os.environ.get("SENSORLAB_STATIC"):
        return True
    try:
        import ipywidgets  # noqa: F401
    except ImportError:  # pragma: no cover - ipywidgets is a pinned dependency
        return True
    return False


# --- Module 06: the calibration explorer (owned by the ML lessons' author) -------------------

#: Feature sets the calibration explorer offers, by message key of their label.
CALIBRATION_FEATURES = {"m06.features.raw": ("pm25_raw",),
                        "m06.features.raw_rh": ("pm25_raw", "humidity"),
                        "m06.features.raw_rh_t": ("pm25_raw", "humidity", "temperature")}


def draw_calibration(test: pd.DataFrame, ax=None, lang=None, title: str | None = None):
    """Two panels for held-out days: calibrated vs reference PM2.5, and residual vs humidity.

    ``test`` is :func:`sensorlab.calibration.holdout_predictions` output (``pm25_ref``,
    ``pm25_raw``, ``predicted``, ``residual``, ``humidity``). Raw readings are drawn faintly
    behind the calibrated ones so the improvement shows.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from sensorlab import plotting
    from sensorlab.calibration import metrics

    lang = lang or get_language()
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    else:
        axes, fig = ax, ax[0].figure
    left, right = axes
    m, raw = metrics(test["pm25_ref"], test["predicted"]), metrics(test["pm25_ref"], test["pm25_raw"])
    top = float(np.nanmax(test[["pm25_ref", "pm25_raw", "predicted"]].to_numpy())) * 1.05
    left.scatter(test["pm25_ref"], test["pm25_raw"], s=10, alpha=0.35, color=plotting.OKABE_ITO[0], marker="^",
                 label=text("m06.widget.raw", lang=lang, rmse=f"{raw['rmse']:.1f}"))
    left.scatter(test["pm25_ref"], test["predicted"], s=12, alpha=0.7, color=plotting.OKABE_ITO[4],
                 label=text("m06.widget.calibrated", lang=lang, rmse=f"{m['rmse']:.1f}"))
    left.plot([0, top], [0, top], color="black", linewidth=1, label=text("m06.widget.one_to_one", lang=lang))
    left.set(xlim=(0, top), ylim=(0, top), xlabel=text("m06.widget.ref_axis", lang=lang),
             ylabel=text("m06.widget.sensor_axis", lang=lang))
    left.legend(fontsize=8, loc="upper left")
    right.axhline(0, color="black", linewidth=1)
    right.scatter(test["humidity"], test["residual"], s=10, alpha=0.6, color=plotting.OKABE_ITO[5])
    right.set(xlabel=plotting.axis_label("humidity", lang), ylabel=text("m06.widget.residual_axis", lang=lang))
    fig.suptitle(title or text("m06.widget.title", lang=lang, r2=f"{m['r2']:.2f}", bias=f"{m['bias']:+.1f}"))
    fig.tight_layout()
    return fig


def calibration_explorer(pairs: pd.DataFrame, site_id: str = "sdot-101-01", model: str = "linear",
                         features: str = "m06.features.raw", cutoff="2024-09-01",
                         static: bool | None = None) -> Explorer:
    """Choose a co-located sensor, a model and a feature set; see the held-out fit (lesson 06.4).

    Every choice refits on the days before ``cutoff`` and draws the days after it with
    :func:`draw_calibration`. ``features`` is a key of :data:`CALIBRATION_FEATURES`.
    """
    from sensorlab.calibration import MODELS, holdout_predictions

    lang = get_language()
    if _static(static):
        controls = {"site_id": _Fixed(site_id), "model": _Fixed(model, text(f"m06.model.{model}", lang=lang)),
                    "features": _Fixed(features, text(features, lang=lang))}
    else:
        from sensorlab.datasets.base import stations

        sites = pairs.drop_duplicates("site_id").sort_values("site_id")
        # pairs carry only the English district; Korean students read 종로구, not Jongno-gu.
        names = stations().drop_duplicates("district").set_index("district")["district_ko"] if lang == "ko" else {}
        controls = {
            "site_id": _dropdown([(f"{r.site_id} ({names.get(r.district, r.district)})", r.site_id)
                                  for r in sites.itertuples()],
                                 site_id, text("m06.widget.sensor", lang=lang)),
            "model": _dropdown([(text(f"m06.model.{m}", lang=lang), m) for m in MODELS], model,
                               text("m06.widget.model", lang=lang)),
            "features": _dropdown([(text(k, lang=lang), k) for k in CALIBRATION_FEATURES], features,
                                  text("m06.widget.features", lang=lang)),
        }

    def draw(site_id, model, features):
        test = holdout_predictions(pairs, CALIBRATION_FEATURES[features], model, cutoff, site_id=site_id)
        return draw_calibration(test, lang=lang)

    return Explorer(controls, draw, static=_static(static))


__all__ += ["CALIBRATION_FEATURES", "draw_calibration", "calibration_explorer"]

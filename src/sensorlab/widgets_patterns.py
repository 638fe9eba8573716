"""The cycle explorer of module 05: pick a quantity, a cycle and a split, see the pattern.

Built like the explorers in :mod:`sensorlab.widgets`: :func:`cycle_table` (which numbers) and
:func:`draw_cycle` (the figure) are plain, tested functions; :func:`cycle_explorer` only wires
dropdowns to them and carries a static figure for frontends without widgets.

Examples
--------
>>> import pandas as pd
>>> from sensorlab.datasets import SensorData, stations
>>> ts = pd.date_range("2024-01-01", periods=14 * 24, freq="h", tz="Asia/Seoul")
>>> r = pd.DataFrame({"timestamp": ts, "site_id": "ref-101", "no2": 0.02 + 0.01 * (ts.day_of_week < 5)})
>>> city = SensorData(r, stations(), name="tiny")
>>> cycle_table(city, "no2", "weekday").round(3).tolist()
[0.03, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02]
>>> cycle_table(city, "no2", "hour", split="is_weekend").shape
(24, 2)
"""

from __future__ import annotations

import pandas as pd

from sensorlab.messages import get_language, text
from sensorlab.stats import add_time_features, cycle
from sensorlab.plotting import draws_hangul

__all__ = ["PERIODS", "SPLITS", "cycle_table", "draw_cycle", "cycle_explorer"]

#: Cycles the explorer offers, and the splits it can draw as separate lines.
PERIODS = ("hour", "weekday", "month")
SPLITS = ("none", "is_weekend", "season")


_PREPARED: dict = {}


def _frame(data, kind):
    """The readings of one kind with calendar columns, prepared once per dataset (redraws only group)."""
    key = (id(data), kind)
    cached = _PREPARED.get(key)
    if cached is None or cached[0] is not data:
        frame = data.readings
        if kind is not None:
            frame = frame[frame["site_id"].isin(data.sites.loc[data.sites["kind"] == kind, "site_id"])]
        if len(_PREPARED) >= 4:
            _PREPARED.clear()
        cached = _PREPARED[key] = (data, add_time_features(frame))
    return cached[1]


def cycle_table(data, quantity: str = "no2", period: str = "hour", split: str = "none",
                kind: str | None = None) -> pd.Series | pd.DataFrame:
    """The numbers behind the explorer: ``quantity`` averaged over ``period``, per group of ``split``.

    ``kind`` keeps only ``"reference"`` or ``"street"`` sites (``None``: all).
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    frame = _frame(data, kind)
    return cycle(frame, quantity, period, by=None if split == "none" else split)


def _group_label(split: str, value, lang: str) -> str:
    if split == "is_weekend":
        return text("patterns.weekend" if value else "patterns.weekdays", lang=lang)
    if split == "season":
        return text(f"patterns.season.{value}", lang=lang)
    return str(value)


def _tick_labels(period: str, index, lang: str) -> list[str]:
    if period == "weekday":
        return [text(f"patterns.day.{int(i)}", lang=lang) for i in index]
    return [str(int(i)) for i in index]


@draws_hangul
def draw_cycle(data, quantity: str = "no2", period: str = "hour", split: str = "none",
               kind: str | None = "reference", ax=None, lang: str | None = None):
    """Draw one cycle as lines (one per group of ``split``) with labelled axes; return the Figure."""
    import matplotlib.pyplot as plt

    from sensorlab import plotting

    lang = lang or get_language()
    table = cycle_table(data, quantity, period, split, kind)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    columns = [(None, table)] if split == "none" else list(table.items())
    markers = ["o", "s", "^", "D"]
    order = [c for c in ("winter", "spring", "summer", "autumn") if split == "season" and c in dict(columns)]
    if order:
        columns = [(c, table[c]) for c in order]
    for i, (group, series) in enumerate(columns):
        label = None if group is None else _group_label(split, group, lang)
        ax.plot(series.index, series.to_numpy(), marker=markers[i % 4], markersize=4, linewidth=1.8,
                color=plotting.OKABE_ITO[[4, 5, 2, 0][i % 4]], label=label)
    ax.set_xticks(list(table.index))
    ax.set_xticklabels(_tick_labels(period, table.index, lang), fontsize=8)
    ax.set_xlabel(text(f"patterns.axis.{period}", lang=lang))
    ax.set_ylabel(plotting.axis_label(quantity, lang))
    ax.set_title(text(f"patterns.title.{period}", lang=lang, quantity=plotting.axis_label(quantity, lang)))
    if split != "none":
        ax.legend(fontsize=8)
    return ax.figure


def cycle_explorer(data, quantity: str = "no2", period: str = "hour", split: str = "none",
                   kind: str = "reference", static: bool | None = None):
    """Dropdowns for the quantity, the cycle and the split over ``draw_cycle`` (lesson 05.1)."""
    from sensorlab import plotting
    from sensorlab.explorer import Explorer
    from sensorlab.explorer import Fixed as _Fixed
    from sensorlab.explorer import dropdown as _dropdown
    from sensorlab.explorer import use_static as _static

    lang = get_language()
    values = {"quantity": quantity, "period": period, "split": split}
    if _static(static):
        controls = {name: _Fixed(value) for name, value in values.items()}
    else:
        keep = data.sites.loc[data.sites["kind"] == kind, "site_id"] if kind else data.sites["site_id"]
        rows = data.readings[data.readings["site_id"].isin(keep)]
        quantities = [q for q in data.quantities if rows[q].notna().any()]
        controls = {
            "quantity": _dropdown([(plotting.axis_label(q, lang), q) for q in quantities], quantity,
                                  text("widgets.quantity", lang=lang)),
            "period": _dropdown([(text(f"patterns.axis.{p}", lang=lang), p) for p in PERIODS], period,
                                text("patterns.cycle", lang=lang)),
            "split": _dropdown([(text(f"patterns.split.{s}", lang=lang), s) for s in SPLITS], split,
                               text("patterns.split", lang=lang)),
        }

    def draw(quantity, period, split):
        return draw_cycle(data, quantity, period, split, kind)

    return Explorer(controls, draw, static=_static(static))

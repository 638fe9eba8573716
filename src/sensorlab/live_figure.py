"""The live plot: the readings logged so far, redrawn from the log directory while lines arrive.

Examples
--------
Before the logger writes its first line, the plot has an empty table to draw:

>>> import tempfile
>>> read_latest(tempfile.mkdtemp()).empty
True
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from sensorlab.background_logger import BackgroundLogger
from sensorlab.plotting import draws_hangul

__all__ = ["read_latest", "draw_live", "live_plot"]


def read_latest(out, resample: str | None = None) -> pd.DataFrame:
    """The readings logged so far (``load_log(out).readings``, with ``uptime_ms`` and
    ``status``), or an empty table while the logger has not written its first line yet."""
    from sensorlab.errors import DataFormatError
    from sensorlab.kit.readback import LINE_COLUMNS, load_log

    try:
        return load_log(out, resample=resample).readings
    except (DataFormatError, FileNotFoundError, KeyError, pd.errors.EmptyDataError):
        return pd.DataFrame(columns=LINE_COLUMNS)


@draws_hangul
def draw_live(table: pd.DataFrame, quantities=("pm25", "temperature"), ax=None, lang: str | None = None):
    """Draw the readings so far against the box's own clock (minutes since boot).

    One panel per quantity; ``warmup``/``err`` readings are drawn as hollow markers, so a
    student sees which readings the box itself does not trust.

    Examples
    --------
    >>> t = pd.DataFrame({"timestamp": pd.date_range("2025-01-06", periods=3, freq="s", tz="UTC"),
    ...                   "site_id": "b", "boot_id": 1, "seq": [1, 2, 3], "status": "ok",
    ...                   "pm25": [10.0, 12.0, 11.0], "temperature": [1.0, 1.1, 1.2],
    ...                   "uptime_ms": [1000, 2000, 3000]})
    >>> fig = draw_live(t, lang="en")
    >>> [a.get_ylabel() for a in fig.axes]
    ['PM2.5 (µg/m³)', 'Temperature (°C)']
    """
    import matplotlib.pyplot as plt

    from sensorlab import plotting
    from sensorlab.messages import get_language, text

    lang = lang or get_language()
    quantities = list(quantities)
    if ax is None:
        fig, axes = plt.subplots(len(quantities), 1, figsize=(8, 2.4 * len(quantities)), sharex=True, squeeze=False)
        axes = list(axes[:, 0])
    else:
        axes, fig = [ax], ax.figure
    x = table["uptime_ms"] / 60000 if "uptime_ms" in table else table["seq"]
    for a, quantity in zip(axes, quantities):
        if quantity in table and len(table):
            rows = table[table[quantity].notna()]
            xs = x.loc[rows.index]
            ok = rows["status"] == "ok"
            a.plot(xs[ok], rows.loc[ok, quantity], marker=".", linestyle="-", linewidth=0.8,
                   color=plotting.OKABE_ITO[4], label=text("live.ok", lang=lang))
            if (~ok).any():
                a.plot(xs[~ok], rows.loc[~ok, quantity], marker="o", linestyle="none", markerfacecolor="none",
                       color=plotting.OKABE_ITO[5], label=text("live.not_ok", lang=lang))
            a.legend(loc="upper right", fontsize=8)
        a.set_ylabel(plotting.axis_label(quantity, lang))
    axes[-1].set_xlabel(text("live.minutes_since_boot", lang=lang))
    axes[0].set_title(text("live.title", lang=lang, n=len(table)))
    fig.tight_layout()
    return fig


def live_plot(logger: BackgroundLogger | str | Path, seconds: float = 5.0, every: float = 1.0,
              quantities=("pm25", "temperature"), static: bool | None = None):
    """Redraw the log as it grows, every ``every`` seconds, for up to ``seconds`` seconds.

    Stops early when the logger stops. In JupyterLab the figure updates in place; with
    ``SENSORLAB_STATIC=1`` (or ``static=True``) it waits, then draws once. Returns the
    readings it drew last (:func:`read_latest`, with ``uptime_ms`` and ``status``).
    """
    import os

    import matplotlib.pyplot as plt

    out = logger.out if isinstance(logger, BackgroundLogger) else Path(logger)
    running = (lambda: logger.running) if isinstance(logger, BackgroundLogger) else (lambda: True)
    static = bool(os.environ.get("SENSORLAB_STATIC")) if static is None else static
    handle = None
    deadline = time.monotonic() + seconds
    while True:
        finished = time.monotonic() >= deadline or not running()
        if static and not finished:
            time.sleep(min(every, max(0.0, deadline - time.monotonic())))
            continue
        table = read_latest(out)
        fig = draw_live(table, quantities)
        try:
            from IPython.display import display

            if handle is None:
                handle = display(fig, display_id=True)
            else:
                handle.update(fig)
        except ImportError:  # pragma: no cover - IPython ships with every lesson environment
            pass
        plt.close(fig)
        if finished:
            return table
        time.sleep(every)

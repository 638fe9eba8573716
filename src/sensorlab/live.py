"""Logging from a notebook: the logger in the background, a live plot, and a log's provenance.

Module 02 runs the real logger (:func:`sensorlab.kit.logger.run_logger`) against the
simulator, or a real box, from inside a notebook. :class:`BackgroundLogger` runs it in a
thread that the notebook can always stop (it is also stopped when the kernel exits);
:func:`live_plot` redraws a figure from the log directory while lines arrive;
:func:`simulated_log` produces hours of a box's readings in seconds, stamped with the
simulated time of arrival, for lessons that need a long log; :func:`provenance` says where a
log came from, what is in it and how to check that nobody changed it.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> with BackgroundLogger("sim://?seed=2&speed=0&duration=120&engine=diurnal", out) as logger:
...     stopped = logger.wait(timeout=60)
>>> logger.running, logger.stats["lines"] > 10
(False, True)
>>> table = read_latest(out)
>>> table["site_id"].unique().tolist(), "uptime_ms" in table
(['sim-01'], True)
>>> prov = provenance(out)
>>> prov["port"], prov["nodes"], prov["boots"]
('sim://?seed=2&speed=0&duration=120&engine=diurnal', ['sim-01'], [1])
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SEOUL_TZ

__all__ = ["BackgroundLogger", "read_latest", "draw_live", "live_plot", "record_simulation", "simulated_log", "provenance",
           "StationBox"]


class BackgroundLogger:
    """The logger running in a background thread, with a stop button in code.

    Parameters
    ----------
    port : str
        A device path (``/dev/ttyUSB0``, ``COM3``) or pyserial URL (``sim://?seed=1&speed=60``).
    out : str or Path
        The log directory.
    idle_exit : float, optional
        Stop by itself after this many seconds without data (a finished simulation).

    Use it as a context manager, or call :meth:`start` and then always :meth:`stop`.
    """

    def __init__(self, port: str, out, idle_exit: float | None = 2.0, **options):
        self.port, self.out, self.idle_exit, self.options = port, Path(out), idle_exit, options
        self.stats: dict = {}
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        from sensorlab.kit.logger import run_logger

        try:
            self.stats = run_logger(self.port, self.out, quiet=True, idle_exit=self.idle_exit,
                                    stop=self._stop, **self.options)
        except BaseException as err:  # noqa: BLE001 - reported by stop(), never lost in a thread
            self.error = err

    def start(self) -> BackgroundLogger:
        """Start logging in the background (returns at once)."""
        if self.running:
            from sensorlab.messages import text

            raise RuntimeError(text("live.already_running", port=self.port))
        self._stop.clear()
        # a daemon thread never keeps a finished kernel alive
        self._thread = threading.Thread(target=self._run, name=f"logger {self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        """Whether the logger thread is still running."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the logger stops by itself (``idle_exit``); True if it has stopped."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def stop(self, timeout: float = 10.0) -> dict:
        """Stop the logger (it flushes and closes its files) and return its counts."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                from sensorlab.messages import text

                raise RuntimeError(text("live.did_not_stop", port=self.port, timeout=timeout))
        if self.error is not None:
            raise self.error
        return self.stats

    def __enter__(self) -> BackgroundLogger:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def read_latest(out, resample: str | None = None) -> pd.DataFrame:
    """The readings logged so far (``load_log(out).readings``, with ``uptime_ms`` and
    ``status``), or an empty table while the logger has not written its first line yet."""
    from sensorlab.errors import DataFormatError
    from sensorlab.kit.readback import LINE_COLUMNS, load_log

    try:
        return load_log(out, resample=resample).readings
    except (DataFormatError, FileNotFoundError, KeyError, pd.errors.EmptyDataError):
        return pd.DataFrame(columns=LINE_COLUMNS)


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


class StationBox:
    """A simulated box that breathes the same air as a station of the synthetic city.

    Its truth is the city's clean hourly truth at ``site_id`` (interpolated to the second),
    so the box can be compared with that station: the capstone's "does our box agree?"
    """

    def __new__(cls, city, site_id: str, start, seed: int = 0, faults="none", period_s: float = 120.0,
                node_id: str = "school-01"):
        from sensorlab.kit.simulator import BoxSimulator

        truth = city.truth[city.truth["site_id"] == site_id].set_index("timestamp").sort_index()
        if truth.empty:
            raise KeyError(f"no site {site_id!r} in this city's truth")
        start = pd.Timestamp(start)
        start = start.tz_localize(SEOUL_TZ) if start.tzinfo is None else start
        seconds = (truth.index - start).total_seconds().to_numpy()
        arrays = {q: truth[q].to_numpy(dtype=float) for q in ("pm25", "pm10", "temperature", "humidity")}

        class _Box(BoxSimulator):
            def truth_at(self, t: float) -> dict[str, float]:
                return {q: float(np.interp(t, seconds, a)) for q, a in arrays.items()}

        return _Box(seed=seed, faults=faults, node_id=node_id, start=start.tz_convert("UTC"), period_s=period_s)


def record_simulation(out, seed: int = 0, hours: float = 1.0, faults="none", start="2025-01-06T00:00:00Z",
                      period_s: float | None = None, box=None) -> dict:
    """Log a simulated box into ``out`` as if in real time, but in seconds: a real log directory.

    The box's bytes go through the logger's own framing, checks and storage
    (:class:`~sensorlab.kit.logstore.LogStore`), stamped with the *simulated* arrival time,
    so ``load_log(out)``, ``read_long(out)``, ``rejects.csv`` and ``events.csv`` look exactly
    like a real session of ``hours`` hours. ``period_s`` is the box's report period (default:
    the class firmware's); use 60 s or more for a day or longer. ``box`` is a ready simulator (e.g. a :class:`StationBox`). Returns the logger's counts.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> counts = record_simulation(out, seed=1, hours=0.25, faults="bad_checksum:0.1")
    >>> counts["lines"] > 100, counts["rejects"] > 0
    (True, True)
    """
    from sensorlab.kit.ingest import Ingest
    from sensorlab.kit.logstore import LogStore
    from sensorlab.kit.simulator import BoxSimulator

    if box is None:
        pacing = {} if period_s is None else {"period_s": period_s}
        box = BoxSimulator(seed=seed, faults=faults, start=start, engine="diurnal", **pacing)
    store = LogStore(out)
    ingest = Ingest(store)  # the logger's own: bytes and their arrival time in, the log out

    def stamp(t):
        return (box.start + pd.Timedelta(seconds=round(t, 3))).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    store.start(f"simulation seed={box.seed} faults={faults}", stamp=stamp(0))
    store.event("connect", detail="simulation", stamp=stamp(0))
    t = 0.0
    for e in box.emissions(hours * 3600):
        t = e.t
        if e.event == "unplug":
            ingest.end(stamp(t))
            store.event("disconnect", detail="cable unplugged", stamp=stamp(t))
        elif e.event == "replug":
            ingest.reopen()
            store.event("reconnect", detail="cable back", stamp=stamp(t))
        elif e.sent and e.data:
            ingest.feed(e.data, stamp(t))
    ingest.end(stamp(t))
    store.event("stop", detail=f"{store.counts['lines']} lines, {store.counts['rejects']} rejects", stamp=stamp(t))
    store.close()
    return dict(store.counts)


def simulated_log(seed: int = 0, hours: float = 1.0, faults="none", start="2025-01-06T00:00:00Z",
                  period_s: float | None = None, box=None, out=None):
    """A simulated box's log, read back: :func:`record_simulation`, then ``load_log``.

    Returns the :class:`~sensorlab.datasets.base.SensorData` of
    :func:`sensorlab.kit.readback.load_log`: ``readings`` with ``timestamp`` (Asia/Seoul),
    ``site_id``, ``boot_id``, ``seq``, ``uptime_ms``, ``status``, ``pm25``, ``pm10``,
    ``temperature``, ``humidity``; ``sites``; ``events``. ``out`` keeps the log directory
    (default: a temporary one, gone once the log is read).

    Examples
    --------
    >>> log = simulated_log(seed=1, hours=0.05)
    >>> log.readings.columns.tolist()[:6], str(log.readings["timestamp"].dt.tz)
    (['timestamp', 'site_id', 'boot_id', 'seq', 'uptime_ms', 'status'], 'Asia/Seoul')
    >>> log.readings["timestamp"].iloc[0].strftime("%Y-%m-%d %H:%M")   # 00:00 UTC is 09:00 in Seoul
    '2025-01-06 09:00'
    """
    import tempfile

    from sensorlab.kit.readback import load_log

    if out is None:
        with tempfile.TemporaryDirectory() as tmp:
            return simulated_log(seed, hours, faults, start, period_s, box, out=tmp)
    record_simulation(out, seed, hours, faults, start, period_s, box)
    return load_log(out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance(out) -> dict:
    """Where a log came from and what it holds, for a ``provenance`` record next to the data.

    Returns the port the logger read (from ``events.csv``), the nodes and boots seen, the first
    and last arrival time (UTC), the counts of rows, rejects and events, the package version
    and the sha256 of every file, so anyone can check the files were not changed since.
    """
    from sensorlab import __version__
    from sensorlab.kit.readback import read_events, read_long, source_of

    out = Path(out)
    long = read_long(out)
    events = read_events(out)
    rejects = pd.read_csv(out / "rejects.csv", dtype=str) if (out / "rejects.csv").exists() else []
    files = sorted(p for p in out.iterdir() if p.suffix == ".csv")
    return {
        "port": source_of(events),
        "nodes": sorted(long["node_id"].unique().tolist()),
        "boots": sorted(int(b) for b in long["boot_id"].unique()),
        "first_utc": long["timestamp"].min().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "last_utc": long["timestamp"].max().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rows": int(len(long)),
        "rejects": int(len(rejects)),
        "events": int(len(events)),
        "software": f"sensorlab {__version__}",
        "sha256": {p.name: _sha256(p) for p in files},
    }

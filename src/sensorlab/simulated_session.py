"""A simulated box's session logged in seconds instead of hours, through the logger's own parts.

:func:`record_simulation` produces hours of a box's readings in seconds, stamped with the
simulated time of arrival, for lessons that need a long log; :func:`simulated_log` reads it
back; :class:`StationBox` is a box that breathes the air of a station of the synthetic city.
The bytes go through the real logger's framing, checks and storage
(:class:`~sensorlab.kit.ingest.Ingest`, :class:`~sensorlab.kit.logstore.LogStore`), so the
log directory is exactly a real session's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sensorlab.datasets.base import SEOUL_TZ

__all__ = ["StationBox", "record_simulation", "simulated_log"]


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

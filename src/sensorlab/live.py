"""Logging from a notebook: the names module 02's notebooks import, gathered in one place.

Each job has its own module: :class:`BackgroundLogger` (the logger in a thread a notebook can
always stop) is :mod:`sensorlab.background_logger`; :func:`live_plot`, :func:`draw_live` and
:func:`read_latest` (a figure redrawn from the log directory while lines arrive) are
:mod:`sensorlab.live_figure`; :func:`record_simulation`, :func:`simulated_log` and
:class:`StationBox` (hours of a simulated box logged in seconds) are
:mod:`sensorlab.simulated_session`; :func:`provenance` (where a log came from and the sha256
that shows it unchanged) is :mod:`sensorlab.log_provenance`.

Examples
--------
>>> log = simulated_log(seed=2, hours=0.05)
>>> log.readings["site_id"].unique().tolist(), "uptime_ms" in log.readings
(['sim-01'], True)
"""

from __future__ import annotations

# What a notebook imports to log from a notebook; each part lives in the module named for its job.
from sensorlab.background_logger import BackgroundLogger
from sensorlab.live_figure import draw_live, live_plot, read_latest
from sensorlab.log_provenance import provenance
from sensorlab.simulated_session import StationBox, record_simulation, simulated_log

__all__ = ["BackgroundLogger", "read_latest", "draw_live", "live_plot", "record_simulation", "simulated_log", "provenance",
           "StationBox"]

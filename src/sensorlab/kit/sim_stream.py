"""Pacing and the truth file, shared by the ``sim://`` port and the pseudo-terminal box.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> writer = TruthWriter(out)
>>> from sensorlab.kit.simulator import simulate
>>> for e in simulate(seed=1, duration_s=3):
...     writer.write(e, delivered=True)
>>> out.getvalue().splitlines()[0].split(",")[:4]
['t_s', 'node_id', 'boot_id', 'seq']
"""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path

from sensorlab.kit.simulator import TRUTH_COLUMNS, Emission

#: Columns of the truth file: the simulator's truth row, then when (host UTC) it was
#: written to the wire and whether it got there (False while unplugged or no reader).
TRUTH_FILE_COLUMNS = TRUTH_COLUMNS + ["sent_utc", "delivered"]


def utc_now() -> str:
    """Host time now, UTC ISO-8601 with microseconds and ``Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TruthWriter:
    """Append one CSV row per simulated line; flushes at most every half second."""

    def __init__(self, target: str | Path | io.TextIOBase | None):
        self._own = isinstance(target, (str, Path))
        self._file = open(target, "w", newline="", encoding="utf-8") if self._own else target
        self._csv = csv.writer(self._file) if self._file is not None else None
        if self._csv is not None:
            self._csv.writerow(TRUTH_FILE_COLUMNS)
        self._flushed = time.monotonic()
        self.rows = 0

    def write(self, emission: Emission, delivered: bool, sent_utc: str = "") -> None:
        """Record one emission if it is a line (events and NULs have no truth row)."""
        if self._csv is None or emission.truth is None:
            return
        row = emission.truth
        self._csv.writerow([row[c] for c in TRUTH_COLUMNS] + [sent_utc, delivered])
        self.rows += 1
        if time.monotonic() - self._flushed > 0.5:
            self._file.flush()
            self._flushed = time.monotonic()

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            if self._own:
                self._file.close()
            self._file = self._csv = None


class Pacer:
    """Maps simulated seconds to host time: ``speed`` simulated seconds per real second.

    ``speed <= 0`` means as fast as possible (no waiting at all).
    """

    def __init__(self, speed: float = 1.0):
        self.speed = float(speed)
        self.t0 = time.monotonic()

    def due(self, t_sim: float) -> float:
        """Host monotonic time at which simulated second ``t_sim`` happens."""
        return self.t0 if self.speed <= 0 else self.t0 + t_sim / self.speed

    def wait(self, t_sim: float) -> None:
        """Sleep until simulated second ``t_sim``."""
        delay = self.due(t_sim) - time.monotonic()
        if delay > 0:
            time.sleep(delay)

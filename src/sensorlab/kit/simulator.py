"""A seeded virtual sensor box: the firmware's own code, with simulated sensors and faults.

The box runs ``kits/firmware/main.py`` (:mod:`sensorlab.kit.sim_firmware`): its pacing, its
boot and heartbeat lines, its warm-up, stale and range rules, its conversions and its KIT1
line writer are the firmware's, not copies. Behind its UART and I2C sit a simulated PMS5003
and SHT40 (:mod:`sensorlab.kit.sim_sensors`) that measure a physical truth
(:mod:`sensorlab.kit.truth`) through a sensor error model (PMS5003 unit gain ±10 %, count
noise, ATM below CF=1 above 30 µg/m³; SHT40 ±0.2 °C, ±1.8 %RH). The faults of kits.md §6.4
are injected by name (:mod:`sensorlab.kit.sim_faults`) where they happen: in a sensor
(stuck, sentinel, spike, read failures, warm-up, humidity, drift, warm bias), on the USB
wire (checksum, dropped byte, truncated number, late, duplicate, NULs, unplug) or in the
power (a brownout cuts a line and reboots the firmware, whose boot counter counts it).
It is deterministic under a seed; the clock skips the loop passes in which nothing is due.

Three ways in: :func:`simulate` (a plain generator of :class:`Emission` for notebooks),
the ``sim://`` pyserial URL (:mod:`sensorlab.kit.protocol_sim`) and a pseudo-terminal
(:mod:`sensorlab.kit.pty`). Each line carries a truth row (:data:`TRUTH_COLUMNS`): the
clean values, the fault labels, whether the line is valid as sent and, if not, the reason
the logger should give.

Examples
--------
>>> lines = [e.data for e in simulate(seed=3, duration_s=30) if e.data and e.sent]
>>> lines[0][:28]
b'$KIT1,sim-01,1,0,0,sys,boot,'
>>> from sensorlab.kit import parse_line
>>> parse_line(lines[1]).sensor, parse_line(lines[1]).status
('pms5003', 'warmup')
"""

from __future__ import annotations

import heapq
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sensorlab.kit.protocol import checksum
from sensorlab.kit.sim_faults import parse_faults
from sensorlab.kit.sim_firmware import SimClock, load_firmware
from sensorlab.kit.sim_sensors import (SimPMS5003, SimSHT40, pms_truth_words,
                                       sht_truth_values)
from sensorlab.kit.truth import TruthModel

DEFAULT_START = "2025-01-06T00:00:00Z"
_FIRMWARE = load_firmware().main
#: The firmware's own settings (kits/firmware/main.py), read from it, never restated.
WARMUP_S = _FIRMWARE.WARMUP_MS / 1000
HEARTBEAT_S = _FIRMWARE.HEARTBEAT_MS / 1000
FIRMWARE = _FIRMWARE.FW_VERSION
STALE_REPORTS = _FIRMWARE.STALE_REPORTS
PM_MAX = _FIRMWARE.PM_MAX
#: Seconds from power-on until MicroPython starts main.py (uptime counts from there).
BOOT_S = 0.15
_TRUTH_CHUNK_H = 24 * 7
_NUMBER = re.compile(r"\d+(\.\d+)?")  # a value a cut can turn into '77.' (not fw=0.1.0)

#: Columns of the truth file, one row per line the box produced (sent or not).
TRUTH_COLUMNS = ["t_s", "node_id", "boot_id", "seq", "uptime_ms", "sensor", "status", "sent",
                 "valid", "reason", "faults", "pm25", "pm10", "temperature", "humidity", "line"]


@dataclass
class Emission:
    """One thing the box does at simulated time ``t`` (seconds since the start).

    ``data`` are the bytes it puts on the wire (a line, NULs, or empty for an event);
    ``event`` is ``""``, ``"unplug"`` or ``"replug"``; ``sent`` is False while the
    cable is out (the bytes never reach the host); ``truth`` is the line's truth row.
    """

    t: float
    data: bytes = b""
    event: str = ""
    sent: bool = True
    truth: dict | None = None
    duration: float = 0.0

    def __lt__(self, other: Emission) -> bool:  # for merging boxes by time
        return self.t < other.t


class _PowerCut(BaseException):
    """Raised from the firmware's print when the power fails mid-line (not an Exception,
    so nothing in the firmware catches it: the board just stops)."""


class BoxSimulator:
    """One simulated box. Iterate :meth:`emissions` to run it.

    Parameters
    ----------
    seed : int
        Everything (truth, noise, faults) follows from it.
    faults : str or dict
        A fault spec for :func:`~sensorlab.kit.sim_faults.parse_faults` (``"all"``, ...).
    node_id : str
        The box's name in its lines.
    start : str or Timestamp
        UTC time of simulated second 0 (chooses season and hour of the truth model).
    period_s : float, optional
        Seconds between two reports: sets the firmware's ``REPORT_MS`` (a setting a class
        may change); default the firmware's own (10 s).
    engine : {"auto", "city", "diurnal"}
        Truth engine, see :func:`~sensorlab.kit.truth.hourly_truth`.
    firmware : path, optional
        Folder of the firmware to run (default ``kits/firmware``).
    gain : float, optional
        The PMS5003 unit's gain (default: drawn within its ±10 % consistency spec).
    kappa : float, optional
        The unit's effective hygroscopic κ: its PM grows in humid air at every reading
        (:func:`sensorlab.units.humidity_growth`); default: only with the ``humidity`` fault.
    outages : list of (start_s, end_s), optional
        Spans of simulated seconds without power: the box falls silent and boots again after.
    truth : TruthModel, optional
        The air the box breathes (default: its own, from ``seed``, ``start`` and ``engine``).
    """

    def __init__(self, seed: int = 0, faults="none", node_id: str = "sim-01",
                 start=DEFAULT_START, period_s: float | None = None, boot_id: int = 1,
                 engine: str = "auto", firmware=None, gain: float | None = None,
                 kappa: float | None = None, outages=(), truth: TruthModel | None = None):
        self.seed, self.node_id = int(seed), node_id
        self.rates = parse_faults(faults)
        self.start = pd.Timestamp(start)
        if self.start.tzinfo is None:
            self.start = self.start.tz_localize("UTC")
        self.engine = engine
        self.rng = np.random.default_rng([self.seed, 4242])
        self.boot_id = int(boot_id)
        drawn = float(self.rng.uniform(0.9, 1.1))  # PMS unit-to-unit consistency ±10 %
        self.gain = drawn if gain is None else float(gain)
        self.kappa = None if kappa is None else float(kappa)
        self.outages = sorted((float(a), float(b)) for a, b in outages)
        self._air = truth
        settings = {} if period_s is None else {"REPORT_MS": int(round(float(period_s) * 1000))}
        self.firmware = load_firmware(firmware, **settings)
        self.period_s = self.firmware.main.REPORT_MS / 1000
        self._models: dict[int, TruthModel] = {}
        self._t0 = 0.0  # simulated second at which the firmware's clock read 0
        self._clock = SimClock()

    # -- truth --------------------------------------------------------------------------
    def truth_at(self, t: float) -> dict[str, float]:
        """Clean values at simulated second ``t``."""
        if self._air is not None:
            return self._air.at(t)
        chunk = int(t // (_TRUTH_CHUNK_H * 3600))
        if chunk not in self._models:
            self._models = {chunk: TruthModel.build(
                self.seed, self.start + pd.Timedelta(hours=chunk * _TRUTH_CHUNK_H),
                _TRUTH_CHUNK_H, self.engine)}
        return self._models[chunk].at(t - chunk * _TRUTH_CHUNK_H * 3600)

    @property
    def truth_source(self) -> str:
        """``"city"`` or ``"diurnal"``: which engine the truth comes from."""
        if self._air is not None:
            return self._air.source
        self.truth_at(0.0)
        return next(iter(self._models.values())).source

    # -- what the simulated sensors ask of the box ----------------------------------------
    def now(self) -> float:
        """Simulated second the firmware's clock shows now."""
        return self._t0 + self._clock.elapsed / 1000

    def hour_utc(self, t: float) -> int:
        return (self.start + pd.Timedelta(seconds=t)).hour

    def chance(self, name: str) -> bool:
        """True with the fault's rate (per line), False when the fault is off."""
        rate = self.rates.get(name, 0.0)
        return rate > 0 and self.rng.random() < rate

    _p = chance  # the name older code used

    def _size(self, name: str) -> float:
        return self.rates.get(name, 0.0)

    def pms_model(self, t: float, truth: dict, labels: list[str]) -> dict:
        return pms_truth_words(self, t, truth, labels)

    def sht_model(self, t: float, truth: dict, labels: list[str]) -> dict:
        return sht_truth_values(self, t, truth, labels)

    # -- faults on the USB wire -----------------------------------------------------------
    def _wire_faults(self, line: str, labels: list[str]) -> tuple[bytes, str]:
        """Return the bytes as sent and the reason the host should reject them ('' if none)."""
        rng = self.rng
        if self._p("truncated_number"):
            body = line[1:line.rindex("*")]
            parts = body.split(",")
            numeric = [i for i, p in enumerate(parts[7:], 7)
                       if "=" in p and _NUMBER.fullmatch(p.split("=", 1)[1])]
            if numeric:
                i = numeric[int(rng.integers(len(numeric)))]
                key, value = parts[i].split("=", 1)
                value = value.split(".")[0] + "."  # '21.57' -> '21.', '77' -> '77.'
                parts[i] = f"{key}={value}"
                body = ",".join(parts)
                labels.append("truncated_number")
                return f"${body}*{checksum(body)}\n".encode(), "bad_value"
        if self._p("bad_checksum"):
            good = line[-3:-1]
            wrong = f"{(int(good, 16) + int(rng.integers(1, 256))) % 256:02X}"
            labels.append("bad_checksum")
            return (line[:-3] + wrong + "\n").encode(), "bad_checksum"
        if self._p("dropped_byte"):
            i = int(rng.integers(1, line.rindex("*")))  # a byte between '$' and '*'
            labels.append("dropped_byte")
            return (line[:i] + line[i + 1:]).encode(), "bad_checksum"
        return line.encode(), ""

    # -- the firmware -------------------------------------------------------------------
    def _boot(self, t: float, reset: str, counter: str, printed: list,
              pms: SimPMS5003, sht: SimSHT40):
        """Power on at simulated second ``t``: the firmware boots and prints its hello."""
        fw = self.firmware
        self._t0, self._clock = t + BOOT_S, SimClock()
        fw.machine.cause = (fw.machine.BROWNOUT_RESET if reset == "brownout"
                            else fw.machine.PWRON_RESET)
        pms.restart(t)
        sht.restart(t)

        def emit(text: str) -> None:
            printed.append((self.now(), text))

        firmware = fw.main.Firmware(self._clock, pms, sht, emit, node_id=self.node_id,
                                    counter_path=counter, mem_free=self._mem_free)
        self.boot_id = firmware.box.boot_id
        return firmware

    def _mem_free(self) -> int:
        return int(self.rng.integers(90_000, 110_000))

    def _printed_lines(self, firmware, printed: list) -> Iterator[tuple[float, str]]:
        """What the firmware prints, pass by pass, skipping passes in which nothing is due."""
        clock, loop_ms = self._clock, self.firmware.main.LOOP_MS
        yield from printed
        printed.clear()
        while True:
            now = clock.elapsed
            due = min(firmware.next_report, firmware.next_heartbeat)
            if now < due:  # the loop's idle passes: the next one at or after `due`
                clock.elapsed = now + -(-(due - now) // loop_ms) * loop_ms
            firmware.step()
            yield from printed
            printed.clear()

    # -- the run ------------------------------------------------------------------------
    def emissions(self, duration_s: float | None = None) -> Iterator[Emission]:
        """Run the box for ``duration_s`` simulated seconds (forever if None)."""
        folder = tempfile.mkdtemp(prefix="sensorlab-box-")
        try:
            yield from self._emissions(duration_s, str(Path(folder) / "boot_id.txt"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _emissions(self, duration_s, counter: str) -> Iterator[Emission]:
        rng = self.rng
        end = math.inf if duration_s is None else float(duration_s)
        # the box's flash: its boot counter says the boot before the first one we play
        Path(counter).write_text(f"{self.boot_id - 1}\n")
        pms, sht = SimPMS5003(self), SimSHT40(self)
        sensors_of = {"pms5003": pms, "sht40": sht}

        def next_episode(name, now):
            rate = self.rates.get(name, 0.0)
            return now + rng.exponential(3600.0 / rate) if rate > 0 else math.inf

        boot_t = 0.0
        next_unplug = next_episode("unplug", 0.0)
        next_power = next_episode("power_loss", 0.0)
        unplugged_until = -1.0
        pending: list[list] = []  # [lines_to_wait, bytes, truth, original] late and duplicates
        reset = "power_on"
        outages = list(self.outages)

        def emit(t, data, truth):
            sent = not (t < unplugged_until)
            if truth is not None:
                truth["sent"] = sent
            return Emission(t=t, data=data, sent=sent, truth=truth)

        def release_pending(t, force=False):
            out = []
            for item in list(pending):
                item[0] -= 1
                if item[0] < 0 or force:
                    pending.remove(item)
                    data, truth, original = item[1], item[2], item[3]
                    if original is not None:  # a duplicate copy: a duplicate only if it arrived
                        if original.get("sent"):
                            truth.update(valid=False, reason="duplicate")
                    out.append(emit(t, data, truth))
            return out

        while True:
            while outages and outages[0][0] <= boot_t:  # powered on inside an outage: wait
                boot_t = max(boot_t, outages.pop(0)[1])
            if boot_t >= end:
                return
            cut_at = min(next_power, outages[0][0] if outages else math.inf)
            if "nul_at_open" in self.rates:
                yield emit(boot_t, b"\x00" * int(rng.integers(1, 8)), None)
            printed: list = []
            firmware = self._boot(boot_t, reset, counter, printed, pms, sht)
            for t, text in self._printed_lines(firmware, printed):
                if t >= end:
                    for e in release_pending(t, force=True):
                        yield e
                    return
                if t >= next_unplug:
                    dur = float(rng.uniform(3, 20))
                    yield Emission(t=next_unplug, event="unplug", sent=False, duration=dur)
                    unplugged_until = next_unplug + dur
                    yield Emission(t=unplugged_until, event="replug", sent=False)
                    if "nul_at_open" in self.rates:
                        yield Emission(t=unplugged_until, data=b"\x00" * int(rng.integers(1, 8)))
                    next_unplug = next_episode("unplug", unplugged_until + 1)
                parts = text.split(",", 7)
                sensor = parts[5]
                part = sensors_of.get(sensor)
                labels = part.take_labels() if part is not None else []
                truth = self._truth(t, parts, labels, text)
                if t >= cut_at:
                    # the power fails while this line is printed (or just before it)
                    for e in release_pending(t, force=True):
                        yield e
                    if rng.random() < 0.7:
                        cut = int(rng.integers(1, text.rindex("*")))
                        labels.append("power_loss")
                        data = text[:cut].encode()
                        yield emit(t, data, self._finish(truth, data, "truncated"))
                    break
                for e in release_pending(t):
                    yield e
                data, reason = self._wire_faults(text + "\n", labels)
                truth = self._finish(truth, data, reason)
                if reason == "" and self._p("late"):
                    truth["faults"] = _join(truth["faults"], "late")
                    pending.append([int(rng.integers(1, 5)), data, truth, None])
                    continue
                yield emit(t, data, truth)
                if reason == "" and self._p("duplicate"):
                    copy = dict(truth, faults=_join(truth["faults"], "duplicate"))
                    pending.append([int(rng.integers(0, 4)), data, copy, truth])
            # ---- after a power cut: silence, then the firmware boots again
            if outages and outages[0][0] <= t:  # an outage: off until it ends
                boot_t, reset = outages.pop(0)[1], "power_on"
                next_power = next_episode("power_loss", boot_t + WARMUP_S)
                continue
            boot_t = t + float(rng.uniform(3, 20))
            reset = "brownout" if rng.random() < 0.5 else "power_on"
            next_power = next_episode("power_loss", boot_t + WARMUP_S)

    def _truth(self, t, parts, labels, line) -> dict:
        clean = self.truth_at(t)
        return {"t_s": round(t, 3), "node_id": parts[1], "boot_id": int(parts[2]),
                "seq": int(parts[3]), "uptime_ms": int(parts[4]), "sensor": parts[5],
                "status": parts[6].split("*")[0], "sent": True, "valid": True, "reason": "",
                "faults": "", **{q: round(v, 3) for q, v in clean.items()}, "line": line,
                "_labels": labels}

    @staticmethod
    def _finish(row: dict, data: bytes, reason: str) -> dict:
        labels = row.pop("_labels", [])
        row.update(valid=reason == "", reason=reason,
                   faults=";".join(dict.fromkeys(labels)),
                   line=data.decode("ascii", "backslashreplace").rstrip("\n"))
        return row


def _join(a: str, b: str) -> str:
    return f"{a};{b}" if a else b


def simulate(seed: int = 0, faults="none", duration_s: float | None = 600.0, nodes: int = 1,
             **box) -> Iterator[Emission]:
    """Run one box (or ``nodes`` boxes on one stream, merged by time) and yield emissions.

    With ``nodes > 1`` the boxes are ``sim-01 .. sim-NN`` with seeds ``seed*1000 + i``; the
    ``unplug`` fault is a property of a cable, so it is only simulated for a single box.

    Examples
    --------
    >>> rows = [e.truth for e in simulate(seed=1, faults="all", duration_s=3000) if e.truth]
    >>> len(rows) > 500, any(not r["valid"] for r in rows)
    (True, True)
    """
    if nodes <= 1:
        yield from BoxSimulator(seed=seed, faults=faults, **box).emissions(duration_s)
        return
    rates = parse_faults(faults)
    rates.pop("unplug", None)
    box.pop("node_id", None)
    streams = [BoxSimulator(seed=seed * 1000 + i, faults=rates, node_id=f"sim-{i:02d}",
                            **box).emissions(duration_s) for i in range(1, nodes + 1)]
    yield from heapq.merge(*streams)


def lines(seed: int = 0, faults="none", duration_s: float | None = 600.0, **box) -> Iterator[str]:
    """Just the text the host would receive, line by line (for notebooks).

    Examples
    --------
    >>> next(lines(seed=2, duration_s=5))[:18]
    '$KIT1,sim-01,1,0,0'
    """
    for e in simulate(seed=seed, faults=faults, duration_s=duration_s, **box):
        if e.sent and e.data.strip(b"\x00"):
            yield e.data.decode("ascii", "backslashreplace")


def truth_frame(seed: int = 0, faults="none", duration_s: float = 600.0, **box) -> pd.DataFrame:
    """The truth file of a run as a DataFrame (columns :data:`TRUTH_COLUMNS`).

    Examples
    --------
    >>> truth_frame(seed=1, duration_s=20)[["sensor", "status", "valid"]].head(3)
        sensor  status  valid
    0      sys    boot   True
    1  pms5003  warmup   True
    2    sht40      ok   True
    """
    rows = [e.truth for e in simulate(seed=seed, faults=faults, duration_s=duration_s, **box)
            if e.truth is not None]
    return pd.DataFrame(rows, columns=TRUTH_COLUMNS)

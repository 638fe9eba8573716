"""A seeded virtual sensor box: the same KIT1 lines and pacing as the firmware, with faults.

The box measures a physical truth (:mod:`sensorlab.kit.truth`) through a sensor error
model (PMS5003 unit gain ±10 %, count noise, ATM below CF=1 above 30 µg/m³; SHT40
±0.2 °C, ±1.8 %RH) and injects the faults of kits.md §6.4 by name
(:mod:`sensorlab.kit.sim_faults`). It is deterministic under a seed.

Pacing and content follow ``kits/firmware/main.py``: a ``sys,boot`` line at power-on
(``fw``, ``reset``, ``sensors``); every ``period_s`` (``REPORT_MS``, 10 s) a ``pms5003``
line then an ``sht40`` line (``t``, ``rh`` in hundredths plus ``t_raw``, ``rh_raw``); a
``sys,hb`` heartbeat with ``free_mem`` every 60 s; PM status ``warmup`` for the first
30 s, ``stale`` after 30 identical reports, ``err,code=range`` above 1000 µg/m³; SHT40
``err`` lines with ``code=i2c_nack|checksum|range``.

Three ways in: :func:`simulate` (a plain generator of :class:`Emission` for notebooks),
the ``sim://`` pyserial URL (:mod:`sensorlab.kit.protocol_sim`) and a pseudo-terminal
(:mod:`sensorlab.kit.pty`). Each line carries a truth row (:data:`TRUTH_COLUMNS`): the
clean values, the fault labels, whether the line is valid as sent and, if not, the reason
the logger should give.

Examples
--------
>>> lines = [e.data for e in simulate(seed=3, duration_s=30) if e.data and e.sent]
>>> lines[0][:30]
b'$KIT1,sim-01,1,0,150,sys,boot,'
>>> from sensorlab.kit import parse_line
>>> parse_line(lines[1]).sensor, parse_line(lines[1]).status
('pms5003', 'warmup')
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sensorlab.kit.protocol import checksum, encode_line
from sensorlab.kit.sim_faults import parse_faults
from sensorlab.kit.truth import TruthModel
from sensorlab.units import PARTICLE_KAPPA, humidity_growth

DEFAULT_START = "2025-01-06T00:00:00Z"
WARMUP_S = 30.0
HEARTBEAT_S = 60.0
FIRMWARE = "0.1.0"  # FW_VERSION of kits/firmware/main.py
STALE_REPORTS = 30
PM_MAX = 1000
_TRUTH_CHUNK_H = 24 * 7

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


@dataclass
class _Stuck:
    left: int = 0
    fields: dict = field(default_factory=dict)


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
    period_s : float
        Seconds between two reports (PMS5003 line, then SHT40 line): the firmware's
        ``REPORT_MS``.
    engine : {"auto", "city", "diurnal"}
        Truth engine, see :func:`~sensorlab.kit.truth.hourly_truth`.
    """

    def __init__(self, seed: int = 0, faults="none", node_id: str = "sim-01",
                 start=DEFAULT_START, period_s: float = 10.0, boot_id: int = 1,
                 engine: str = "auto"):
        self.seed, self.node_id, self.period_s = int(seed), node_id, float(period_s)
        self.rates = parse_faults(faults)
        self.start = pd.Timestamp(start)
        if self.start.tzinfo is None:
            self.start = self.start.tz_localize("UTC")
        self.engine = engine
        self.rng = np.random.default_rng([self.seed, 4242])
        self.boot_id = int(boot_id)
        self.gain = float(self.rng.uniform(0.9, 1.1))  # PMS unit-to-unit consistency ±10 %
        self._models: dict[int, TruthModel] = {}

    # -- truth --------------------------------------------------------------------------
    def truth_at(self, t: float) -> dict[str, float]:
        """Clean values at simulated second ``t``."""
        chunk = int(t // (_TRUTH_CHUNK_H * 3600))
        if chunk not in self._models:
            self._models = {chunk: TruthModel.build(
                self.seed, self.start + pd.Timedelta(hours=chunk * _TRUTH_CHUNK_H),
                _TRUTH_CHUNK_H, self.engine)}
        return self._models[chunk].at(t - chunk * _TRUTH_CHUNK_H * 3600)

    @property
    def truth_source(self) -> str:
        """``"city"`` or ``"diurnal"``: which engine the truth comes from."""
        self.truth_at(0.0)
        return next(iter(self._models.values())).source

    def _p(self, name: str) -> bool:
        rate = self.rates.get(name, 0.0)
        return rate > 0 and self.rng.random() < rate

    def _size(self, name: str) -> float:
        return self.rates.get(name, 0.0)

    # -- sensor models ------------------------------------------------------------------
    def _pms_fields(self, t: float, truth: dict, labels: list[str]) -> dict:
        rng, rh = self.rng, truth["humidity"]
        growth = 1.0
        if "humidity" in self.rates:
            # the one growth model of the curriculum (units.humidity_growth); the fault is a box whose
            # inlet does not dry the air, so its particles show their own κ, not the S-DoT units' 0.02
            growth = humidity_growth(rh, kappa=PARTICLE_KAPPA * self._size("humidity"))
            if growth > 1.3:
                labels.append("humidity")
        gain = self.gain
        if "drift" in self.rates:
            drift = 0.02 * self._size("drift") * t / 86400.0
            gain *= 1.0 + drift
            if drift > 0.05:
                labels.append("drift")
        pm25 = truth["pm25"] * gain * growth
        pm10 = truth["pm10"] * gain * (1.0 + 0.5 * (growth - 1.0))
        if "humidity" in self.rates and rh > 90 and rng.random() < 0.2:
            pm10 *= rng.uniform(1.5, 3.0)  # fog droplets counted as coarse particles
            labels.append("humidity")
        cf25 = max(0.0, pm25 + rng.normal(0, 0.5 + 0.05 * pm25))
        cf10 = max(cf25, pm10 + rng.normal(0, 1.0 + 0.08 * pm10))
        cf1 = max(0.0, 0.7 * cf25 + rng.normal(0, 0.3))

        def atm(x):  # ATM equals CF=1 in clean air and reads lower above ~30 µg/m³
            return x if x < 30 else 30 + (x - 30) * 0.67

        n03 = cf1 * 65 + 80 + rng.normal(0, 20)
        n05 = n03 * 0.3 + rng.normal(0, 5)
        n10_ = n05 * 0.25 + rng.normal(0, 2)
        n25 = max(0.0, (cf25 - cf1) * 2.0 + rng.normal(0, 1))
        n50 = max(0.0, (cf10 - cf25) * 0.25 + rng.normal(0, 0.5))
        n100 = n50 * 0.3
        vals = [cf1, cf25, cf10, atm(cf1), atm(cf25), atm(cf10), n03, n05, n10_, n25, n50, n100]
        keys = ("pm1_cf1", "pm25_cf1", "pm10_cf1", "pm1_atm", "pm25_atm", "pm10_atm",
                "n0_3", "n0_5", "n1_0", "n2_5", "n5_0", "n10")
        return {k: int(min(65535, max(0, round(v)))) for k, v in zip(keys, vals)}

    def _sht_fields(self, t: float, truth: dict, labels: list[str]) -> dict:
        rng = self.rng
        temp, rh = truth["temperature"], truth["humidity"]
        if "warm_bias" in self.rates:
            hour = ((self.start + pd.Timedelta(seconds=t)).hour + 9) % 24  # KST
            sun = max(0.0, math.sin(math.pi * (hour - 6) / 12)) if 6 <= hour <= 18 else 0.0
            bias = self._size("warm_bias") * (1.0 + 6.0 * sun)
            # the same air read warmer has a lower relative humidity (Magnus formula)
            es = lambda x: math.exp(17.62 * x / (243.12 + x))  # noqa: E731
            rh = rh * es(temp) / es(temp + bias)
            temp += bias
            if bias > 1.0:
                labels.append("warm_bias")
        temp += rng.normal(0, 0.1)
        rh = min(100.0, max(0.0, rh + rng.normal(0, 0.6)))
        return {"t": round(temp, 2), "rh": round(rh, 2)}

    # -- faults that touch values -------------------------------------------------------
    def _value_faults(self, sensor: str, fields: dict, stuck: _Stuck, labels: list[str]) -> dict:
        rng = self.rng
        if stuck.left > 0:
            stuck.left -= 1
            labels.append("stuck")
            return dict(stuck.fields)
        if self._p("stuck"):
            stuck.left = int(rng.integers(5, 60))
            stuck.fields = ({k: 0 for k in fields} if sensor == "pms5003" and rng.random() < 0.3
                            else dict(fields))
            labels.append("stuck")
            return dict(stuck.fields)
        fields = dict(fields)
        if self._p("sentinel"):
            key = list(fields)[int(rng.integers(len(fields)))]
            if sensor == "pms5003":
                fields[key] = 65535
            elif key == "t":
                fields["t"] = -45.0  # raw word 0x0000: all-zero bytes from the bus
            else:
                fields["rh"] = 100.0  # saturated, clipped at 100 %RH
            labels.append("sentinel")
        if self._p("spike"):
            if sensor == "pms5003":
                factor = rng.uniform(3, 10)
                for k in ("pm25_cf1", "pm25_atm"):
                    fields[k] = int(min(65535, fields[k] * factor + 5))
            else:
                fields["t"] = round(fields["t"] + rng.uniform(8, 25), 2)
            labels.append("spike")
        return fields

    # -- faults that touch the bytes ----------------------------------------------------
    def _wire_faults(self, line: str, labels: list[str]) -> tuple[bytes, str]:
        """Return the bytes as sent and the reason the host should reject them ('' if none)."""
        rng = self.rng
        if self._p("truncated_number"):
            body = line[1:line.rindex("*")]
            parts = body.split(",")
            numeric = [i for i, p in enumerate(parts[7:], 7)
                       if "=" in p and p.split("=", 1)[1][:1].isdigit()]
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

    # -- the run ------------------------------------------------------------------------
    def emissions(self, duration_s: float | None = None) -> Iterator[Emission]:
        """Run the box for ``duration_s`` simulated seconds (forever if None)."""
        rng, period = self.rng, self.period_s
        end = math.inf if duration_s is None else float(duration_s)

        def next_episode(name, now):
            rate = self.rates.get(name, 0.0)
            return now + rng.exponential(3600.0 / rate) if rate > 0 else math.inf

        boot_t, seq = 0.0, 0
        next_unplug = next_episode("unplug", 0.0)
        next_power = next_episode("power_loss", 0.0)
        unplugged_until = -1.0
        nack = False
        fail_left = 0
        stuck = {"pms5003": _Stuck(), "sht40": _Stuck()}
        pending: list[list] = []  # [lines_to_wait, bytes, truth] for late and duplicate lines
        reset = "power_on"

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
            # ---- boot: NULs on the wire, then the hello line
            t = boot_t
            if t >= end:
                return
            if "nul_at_open" in self.rates:
                yield emit(t, b"\x00" * int(rng.integers(1, 8)), None)
            seq = 0
            next_report = boot_t + period
            next_hb = boot_t + HEARTBEAT_S
            slots: list[tuple[float, str]] = []
            self._pm_prev, self._pm_repeats = None, 0
            fields = {"fw": FIRMWARE, "reset": reset, "sensors": "pms5003;sht40"}
            t = boot_t + 0.15
            line = encode_line(self.node_id, self.boot_id, seq, int((t - boot_t) * 1000), "sys",
                               "boot", fields)
            yield emit(t, line.encode(),
                       self._finish(self._truth(t, seq, "sys", "boot", [], line, boot_t),
                                    line.encode(), ""))
            seq += 1
            while True:
                if not slots:
                    # the firmware's loop wakes every 100 ms; a report is PM then T/RH
                    # (10 ms measuring wait), a heartbeat due in the same pass comes last
                    tick = min(next_report, next_hb)
                    at = tick + float(rng.uniform(0.0, 0.1))
                    if next_report <= tick:
                        slots += [(at, "pms5003"), (at + 0.012, "sht40")]
                        next_report += period
                    if next_hb <= tick:
                        slots.append((at + 0.014, "sys"))
                        next_hb += HEARTBEAT_S
                t, sensor = slots.pop(0)
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
                if t >= next_power:
                    break
                line, truth = self._make_line(sensor, t, seq, boot_t, stuck, nack, fail_left)
                nack, fail_left = truth.pop("_nack"), truth.pop("_fail_left")
                seq += 1
                for e in release_pending(t):
                    yield e
                data, reason = self._wire_faults(line, truth["_labels"])
                truth = self._finish(truth, data, reason)
                if reason == "" and self._p("late"):
                    truth["faults"] = _join(truth["faults"], "late")
                    pending.append([int(rng.integers(1, 5)), data, truth, None])
                    continue
                e = emit(t, data, truth)
                yield e
                if reason == "" and self._p("duplicate"):
                    copy = dict(truth, faults=_join(truth["faults"], "duplicate"))
                    pending.append([int(rng.integers(0, 4)), data, copy, truth])
            # ---- power loss: flush held lines, maybe cut a line mid-way, silence, reboot
            t = next_power
            for e in release_pending(t, force=True):
                yield e
            if rng.random() < 0.7:
                sensor = "pms5003" if rng.random() < 0.5 else "sht40"
                line, truth = self._make_line(sensor, t, seq, boot_t, stuck, nack, fail_left)
                truth.pop("_nack"), truth.pop("_fail_left")
                cut = int(rng.integers(1, line.rindex("*")))
                truth["_labels"].append("power_loss")
                data = line[:cut].encode()
                yield emit(t, data, self._finish(truth, data, "truncated"))
            off = float(rng.uniform(3, 20))
            boot_t = t + off
            self.boot_id += 1
            reset = "brownout" if rng.random() < 0.5 else "power_on"
            nack, fail_left = False, 0
            for s in stuck.values():
                s.left = 0
            next_power = next_episode("power_loss", boot_t + WARMUP_S)

    def _make_line(self, sensor, t, seq, boot_t, stuck, nack, fail_left):
        labels: list[str] = []
        truth = self.truth_at(t)
        status = "ok"
        up = int((t - boot_t) * 1000)
        rng = self.rng
        if sensor == "pms5003":
            fields = self._pms_fields(t, truth, labels)
            if "read_failure" in self.rates and self._p("read_failure"):
                status, fields = "err", {"code": "timeout"}  # no frame in the whole period
                labels.append("read_failure")
            elif t - boot_t < WARMUP_S:
                # the firmware always marks the fan's first 30 s; the fault makes them wrong
                status = "warmup"
                if "warmup" in self.rates:
                    frac = 0.0 if rng.random() < 0.5 else rng.uniform(0.1, 0.6)
                    fields = {k: int(v * frac) for k, v in fields.items()}
                    labels.append("warmup")
            else:
                fields = self._value_faults(sensor, fields, stuck[sensor], labels)
            if status != "err":
                # the firmware's own checks: the same 12 numbers for 30 reports, or off scale
                self._pm_repeats = self._pm_repeats + 1 if fields == self._pm_prev else 0
                self._pm_prev = fields
                if max(list(fields.values())[:6]) > PM_MAX:
                    status, fields = "err", {"code": "range", **fields}
                elif status == "ok" and self._pm_repeats >= STALE_REPORTS:
                    status = "stale"
        elif sensor == "sht40":
            fields = self._sht_fields(t, truth, labels)
            if not nack and fail_left == 0 and self._p("read_failure"):
                fail_left = int(rng.integers(1, 20))
                nack = rng.random() < 0.05
            if nack or fail_left > 0:
                fail_left = max(0, fail_left - 1)
                code = "i2c_nack" if nack or rng.random() < 0.7 else "checksum"
                status, fields = "err", {"code": code}
                labels.append("read_failure")
            else:
                status, fields = _sht_wire(self._value_faults(sensor, fields, stuck[sensor],
                                                              labels))
        else:
            status, fields = "hb", {"free_mem": int(rng.integers(90_000, 110_000))}
        line = encode_line(self.node_id, self.boot_id, seq, up, sensor, status, fields)
        row = self._truth(t, seq, sensor, status, labels, line, boot_t)
        row.update(_nack=nack, _fail_left=fail_left)
        return line, row

    def _truth(self, t, seq, sensor, status, labels, line, boot_t) -> dict:
        clean = self.truth_at(t)
        row = {"t_s": round(t, 3), "node_id": self.node_id, "boot_id": self.boot_id, "seq": seq,
               "uptime_ms": int((t - boot_t) * 1000), "sensor": sensor, "status": status,
               "sent": True, "valid": True, "reason": "", "faults": "",
               **{q: round(v, 3) for q, v in clean.items()}, "line": line.rstrip("\n"),
               "_labels": labels}
        return row

    @staticmethod
    def _finish(row: dict, data: bytes, reason: str) -> dict:
        labels = row.pop("_labels", [])
        row.update(valid=reason == "", reason=reason,
                   faults=";".join(dict.fromkeys(labels)),
                   line=data.decode("ascii", "backslashreplace").rstrip("\n"))
        return row


def _centi(value: int) -> str:
    """Hundredths as the firmware prints them (kit1.centi): 2345 -> '23.45'."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "%s%d.%02d" % (sign, value // 100, value % 100)


def _sht_wire(values: dict) -> tuple[str, dict]:
    """Status and fields of the firmware's SHT40 line for a measured ``t``, ``rh``."""
    t_raw = min(65535, max(0, round((values["t"] + 45) * 65535 / 175)))
    rh_raw = min(65535, max(0, round((values["rh"] + 6) * 65535 / 125)))
    t_c = -4500 + (175 * 100 * t_raw * 2 + 65535) // (2 * 65535)
    rh_c = min(10000, max(0, -600 + (125 * 100 * rh_raw * 2 + 65535) // (2 * 65535)))
    raw = {"t_raw": t_raw, "rh_raw": rh_raw}
    if not -4000 <= t_c <= 12500:
        return "err", {"code": "range", **raw}
    return "ok", {"t": _centi(t_c), "rh": _centi(rh_c), **raw}


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
    >>> next(lines(seed=2, duration_s=5))[:20]
    '$KIT1,sim-01,1,0,150'
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

"""The ``sim://`` pyserial URL: a simulated box that opens like any serial port.

``serial.serial_for_url("sim://?seed=1&faults=all&speed=0")`` returns a port that reads
the box's bytes (``import sensorlab.kit`` registers the scheme). Query parameters:

``seed`` (int, 0), ``faults`` (fault spec, ``none``), ``speed`` (simulated seconds per
real second, 1; ``0`` = as fast as the reader reads), ``duration`` (simulated seconds,
unlimited), ``node`` (node id, ``sim-01``), ``boot`` (boot id of the first boot, 1),
``nodes`` (boxes on one stream, 1),
``period`` (s, 10), ``start`` (UTC, 2025-01-06T00:00:00Z), ``engine`` (truth engine:
``auto``, ``city`` or ``diurnal``), ``truth`` (path of a truth CSV).

The box is a device, not a file: it lives on while the port is closed (what it sends
then is lost), and the same URL reopens the same box. During an ``unplug`` fault reads
raise :class:`serial.SerialException` and opening fails until the cable is back.

Examples
--------
>>> import serial, sensorlab.kit
>>> port = serial.serial_for_url("sim://?seed=5&speed=0&duration=30", timeout=1)
>>> port.readline()[:26]
b'$KIT1,sim-01,1,0,0,sys,boo'
>>> port.close()
"""

from __future__ import annotations

import threading
import time
import urllib.parse

from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from sensorlab.kit.sim_stream import Pacer, TruthWriter, utc_now
from sensorlab.kit.simulator import simulate

_BOXES: dict[str, _Box] = {}
_LOCK = threading.Lock()
_CHUNK = 65536  # at speed 0, generate at most this much ahead of the reader


class _Box:
    """One simulated device behind a URL: its emissions, clock, wire buffer and state."""

    def __init__(self, query: dict[str, str]):
        get = query.get
        duration = get("duration")
        self.emissions = simulate(
            seed=int(get("seed", 0)), faults=get("faults", "none"),
            duration_s=None if duration is None else float(duration),
            nodes=int(get("nodes", 1)), node_id=get("node", "sim-01"),
            boot_id=int(get("boot", 1)),
            period_s=float(get("period", 10.0)),
            start=get("start", "2025-01-06T00:00:00Z"), engine=get("engine", "auto"))
        self.pending = next(self.emissions, None)  # builds the truth model before the clock
        self.pacer = Pacer(float(get("speed", 1.0)))
        self.truth = TruthWriter(get("truth"))
        self.buffer = bytearray()
        self.unplugged = False
        self.finished = False
        self.is_open = False

    def pump(self, want: int = _CHUNK, replug: bool = False) -> None:
        """Move every emission that is due into the wire buffer (or lose it).

        At speed 0 "due" means: until ``want`` bytes wait in the buffer (and always up
        to the replug, since no time passes while the cable is out). While the cable is out
        nothing moves, except when ``replug`` (an attempt to open the port) is given.
        """
        now = time.monotonic()
        while not self.finished:
            if self.unplugged and not replug:
                return
            if self.pending is None:
                self.pending = next(self.emissions, None)
                if self.pending is None:
                    self.finished = True
                    self.truth.close()
                    return
            e = self.pending
            if self.pacer.speed > 0 and self.pacer.due(e.t) > now:
                return
            if self.pacer.speed <= 0 and len(self.buffer) >= want and not self.unplugged:
                return
            self.pending = None
            if e.event == "unplug":
                # bytes already in the buffer were delivered; the reader gets them, then the error
                self.unplugged = True
                return
            if e.event == "replug":
                self.unplugged = False
                continue
            delivered = bool(e.data) and e.sent and self.is_open and not self.unplugged
            if delivered:
                self.buffer += e.data
            self.truth.write(e, delivered=delivered, sent_utc=utc_now() if delivered else "")

    def next_due(self) -> float | None:
        if self.pending is None or self.pacer.speed <= 0:
            return None
        return self.pacer.due(self.pending.t)


class Serial(SerialBase):
    """pyserial port class for ``sim://`` URLs (found through ``protocol_handler_packages``)."""

    def open(self):
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        if self.is_open:
            raise SerialException("Port is already open.")
        parts = urllib.parse.urlsplit(self._port)
        if parts.scheme != "sim":
            raise SerialException(f"expected a URL like sim://?seed=1, not {self._port!r}")
        query = dict(urllib.parse.parse_qsl(parts.query))
        key = urllib.parse.urlencode(sorted(query.items()))
        with _LOCK:
            box = _BOXES.get(key)
            if box is None:
                try:
                    box = _BOXES[key] = _Box(query)
                except ValueError as err:
                    raise SerialException(f"bad sim:// URL {self._port!r}: {err}") from err
            box.is_open = True
            if box.unplugged:
                box.buffer.clear()
            box.pump(want=0, replug=True)
            if box.unplugged:
                box.is_open = False
                raise SerialException(f"could not open port {self._port}: device unplugged")
        self._box = box
        self.is_open = True

    def close(self):
        if self.is_open:
            self._box.is_open = False
            self.is_open = False

    def _reconfigure_port(self, force_update=True):
        """Baud rate and framing mean nothing to a simulated wire."""

    def _check(self) -> _Box:
        if not self.is_open:
            raise PortNotOpenError()
        return self._box

    @property
    def in_waiting(self) -> int:
        box = self._check()
        with _LOCK:
            box.pump(want=4096)
            if box.unplugged and not box.buffer:
                raise SerialException("device reports readiness to read but returned no data "
                                      "(device disconnected?)")
            return len(box.buffer)

    def read(self, size: int = 1) -> bytes:
        box = self._check()
        deadline = None if self._timeout is None else time.monotonic() + self._timeout
        out = bytearray()
        while len(out) < size:
            with _LOCK:
                box.pump(want=size - len(out))
                if box.unplugged and not box.buffer:
                    if out:
                        break
                    raise SerialException("device reports readiness to read but returned no "
                                          "data (device disconnected?)")
                take = min(size - len(out), len(box.buffer))
                out += box.buffer[:take]
                del box.buffer[:take]
                due = box.next_due()
                done = box.finished and not box.buffer
            if len(out) >= size or (out and self._timeout == 0):
                break
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if done:
                if deadline is None:
                    raise SerialException("simulation finished: no more data will come")
                time.sleep(max(0.0, deadline - now))
                break
            wake = min(x for x in (due, deadline, now + 0.05) if x is not None)
            time.sleep(max(0.0, wake - now))
        return bytes(out)

    def write(self, data) -> int:
        self._check()
        return len(data)  # the box ignores what the host sends

    def reset_input_buffer(self):
        box = self._check()
        with _LOCK:
            box.buffer.clear()

    def reset_output_buffer(self):
        self._check()

    @property
    def out_waiting(self) -> int:
        return 0

    def cancel_read(self):
        pass

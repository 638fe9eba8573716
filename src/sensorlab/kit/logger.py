"""The logger: read a box's serial port, check every line, and write the long-format log.

``sensorlab log PORT --out DIR`` runs :func:`run_logger`. ``PORT`` is any pyserial URL or
device path (``/dev/ttyUSB0``, ``/dev/pts/7``, ``sim://?seed=1``, ``loop://``); with
``--vid-pid 10C4:EA60`` (CP210x) or ``1A86:7523`` (CH340) the port is found by its USB
ids instead, again at each reconnect, because Linux may renumber the device after a replug.

What it does (kits.md §6.3): it resynchronises on garbage (:mod:`sensorlab.kit.framing`),
verifies each line (:func:`sensorlab.kit.protocol.parse_line`), writes every rejected piece
with its reason to ``rejects.csv``, appends good lines to one CSV per UTC day
(:mod:`sensorlab.kit.logstore`), fsyncs at least every ``fsync_interval`` (1 s; ≤ 2 s
required), reconnects after an unplug with back-off (0.5 s doubling to 10 s) and records
the gap, notes reboots from ``boot_id`` and lost lines from ``seq``, and on a restart after
a crash cuts a half-written last row into the rejects file. On a terminal it shows a
status line; SIGINT (Ctrl-C) or SIGTERM stop it cleanly (flush, fsync, close, exit 0).

Examples
--------
>>> import tempfile, sensorlab.kit
>>> out = tempfile.mkdtemp()
>>> stats = run_logger("sim://?seed=2&speed=0&duration=600", out, quiet=True, idle_exit=0.3)
>>> stats["lines"] > 50, stats["rejects"]
(True, 0)
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

import serial
import serial.tools.list_ports

from sensorlab.kit.framing import LineFramer, classify
from sensorlab.kit.logstore import LogStore, utc_stamp
from sensorlab.kit.protocol import Kit1Error
from sensorlab.messages import text

#: USB ids of the serial chips on common ESP32 boards.
KNOWN_CHIPS = {"10C4:EA60": "Silicon Labs CP210x", "1A86:7523": "WCH CH340",
               "0403:6001": "FTDI FT232R", "303A:1001": "Espressif USB-JTAG/serial"}


def parse_vid_pid(text: str) -> tuple[int, int]:
    """``"10C4:EA60"`` -> ``(0x10C4, 0xEA60)``.

    Examples
    --------
    >>> parse_vid_pid("1a86:7523")
    (6790, 29987)
    """
    try:
        vid, pid = text.split(":")
        return int(vid, 16), int(pid, 16)
    except ValueError:
        raise ValueError(f"--vid-pid wants two hex numbers like 10C4:EA60, not {text!r}") from None


def find_port(vid_pid: str, serial_number: str | None = None, ports=None) -> str | None:
    """Device path of the first port with these USB ids (and serial number), or None.

    ``ports`` defaults to :func:`serial.tools.list_ports.comports`; any objects with
    ``device``, ``vid``, ``pid`` and ``serial_number`` attributes will do.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> ports = [P(device="/dev/ttyS0", vid=None, pid=None, serial_number=None),
    ...          P(device="/dev/ttyUSB3", vid=0x1A86, pid=0x7523, serial_number="A1")]
    >>> find_port("1A86:7523", ports=ports), find_port("10C4:EA60", ports=ports)
    ('/dev/ttyUSB3', None)
    """
    vid, pid = parse_vid_pid(vid_pid)
    if ports is None:
        ports = serial.tools.list_ports.comports()
    for p in sorted(ports, key=lambda p: p.device):
        if p.vid == vid and p.pid == pid and (serial_number is None
                                              or p.serial_number == serial_number):
            return p.device
    return None


def open_port(target: str, baudrate: int = 115200, timeout: float = 0.2):
    """Open a device path or pyserial URL (``sim://`` is registered by ``sensorlab.kit``)."""
    import sensorlab.kit  # noqa: F401 - registers sim://

    return serial.serial_for_url(target, baudrate=baudrate, timeout=timeout)


class Status:
    """The live status line on stderr (only when stderr is a terminal, and not quiet)."""

    def __init__(self, store: LogStore, quiet: bool):
        self.store = store
        self.show = not quiet and sys.stderr.isatty()
        self._t = time.monotonic()
        self._lines = 0

    def update(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.show or (not force and now - self._t < 0.5):
            return
        c = self.store.counts
        rate = (c["lines"] - self._lines) / max(now - self._t, 1e-6)
        self._t, self._lines = now, c["lines"]
        line = text("live.status_line", rate=f"{rate:7.1f}", lines=c["lines"], rejects=c["rejects"],
                    last=f"{self.store.last_value[:32]:32s}", file=self.store.current_file)
        sys.stderr.write(f"\r{line}\x1b[K")
        sys.stderr.flush()

    def end(self) -> None:
        if self.show:
            sys.stderr.write("\n")


def run_logger(port: str | None, out: str | Path, *, vid_pid: str | None = None,
               serial_number: str | None = None, baudrate: int = 115200, quiet: bool = False,
               fsync_interval: float = 1.0, max_backoff: float = 10.0,
               idle_exit: float | None = None, stop: threading.Event | None = None) -> dict:
    """Log until stopped (SIGINT/SIGTERM, ``stop`` set, or ``idle_exit`` s without data).

    Returns the counts (``lines``, ``rows``, ``rejects``, ``duplicates``, ``reconnects``).
    """
    if port is None and vid_pid is None:
        raise ValueError("give a PORT (device path or URL) or --vid-pid")
    stop = stop or threading.Event()
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, lambda *_: stop.set())
    store = LogStore(out, fsync_interval=fsync_interval)
    status = Status(store, quiet)
    framer = LineFramer()
    reconnects, backoff = 0, 0.5
    down_since: float | None = None
    connected_once = False
    started = time.monotonic()
    last_data = time.monotonic()
    store.event("start", detail=f"port={port or ''} vid_pid={vid_pid or ''}")
    try:
        while not stop.is_set():
            target = port
            if vid_pid:
                target = find_port(vid_pid, serial_number) or None
            try:
                if target is None:
                    raise serial.SerialException(f"no port with USB ids {vid_pid}")
                ser = open_port(target, baudrate)
            except (serial.SerialException, OSError, ValueError) as err:
                if down_since is None:
                    down_since = time.monotonic()
                    store.event("disconnect" if connected_once else "waiting",
                                detail=f"cannot open {target}: {err}")
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                if idle_exit is not None and time.monotonic() - last_data > idle_exit + 10:
                    break
                continue
            backoff = 0.5
            framer.reset()
            if not connected_once:
                connected_once, down_since = True, None
                store.event("connect", detail=f"{target}; after {time.monotonic() - started:.3f} s")
            else:
                reconnects += 1
                store.event("reconnect", detail=f"{target}; gap {time.monotonic() - down_since:.3f} s")
                down_since = None
            store.sync(force=True)
            try:
                while not stop.is_set():
                    data = ser.read(max(1, min(ser.in_waiting, 1 << 16)))
                    now = time.monotonic()
                    if data:
                        last_data = now
                        _handle(store, framer.feed(data), utc_stamp())
                    elif idle_exit is not None and now - last_data > idle_exit:
                        stop.set()
                    store.sync()
                    status.update()
            except (serial.SerialException, OSError) as err:
                _handle(store, framer.flush(), utc_stamp())
                down_since = time.monotonic()
                store.event("disconnect", detail=f"{target}: {err}")
                store.sync(force=True)
            finally:
                try:
                    ser.close()
                except (serial.SerialException, OSError):
                    pass
        _handle(store, framer.flush(), utc_stamp())
    finally:
        store.event("stop", detail=f"{store.counts['lines']} lines, "
                    f"{store.counts['rejects']} rejects")
        store.close()
        status.update(force=True)
        status.end()
        for sig, old in handlers.items():
            signal.signal(sig, old)
    return dict(store.counts, reconnects=reconnects)


def _handle(store: LogStore, fragments, stamp: str) -> None:
    good = []
    for frag in fragments:
        try:
            good.append((classify(frag), frag.data))
        except Kit1Error as err:
            store.reject_error(err, frag.data, stamp)
    if good:
        store.add_lines(good, stamp)

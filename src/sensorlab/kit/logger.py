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

It takes its port alone (``flock``): a second logger on the same device stops at once and
names the first (two readers would tear the lines between them), and the folder's writer
lock does the same for a second logger of the same node. What a student must act on is
said once on stderr, on a terminal or not: a port that cannot be opened (and what to try),
a full disk (where; the lines wait in memory and are written when space returns).

Examples
--------
>>> import tempfile, sensorlab.kit
>>> out = tempfile.mkdtemp()
>>> stats = run_logger("sim://?seed=2&speed=0&duration=600", out, quiet=True, idle_exit=0.3)
>>> stats["lines"] > 50, stats["rejects"]
(True, 0)
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import sys
import threading
import time
from pathlib import Path

import serial
import serial.tools.list_ports

from sensorlab.errors import SensorLabError
from sensorlab.kit.ingest import Ingest
from sensorlab.kit.logstore import LogStore, utc_stamp
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
    """Open a device path or pyserial URL (``sim://`` is registered by ``sensorlab.kit``).

    pyserial empties the port's input buffer when it opens a port; that buffer holds what
    the box sent while no logger read it (a logger killed and restarted), so it is kept:
    the framer resynchronises on a line cut at the front.
    """
    import sensorlab.kit  # noqa: F401 - registers sim://

    ser = serial.serial_for_url(target, baudrate=baudrate, timeout=timeout, do_not_open=True)
    ser._reset_input_buffer = lambda: None  # what open() calls (pyserial's posix port)
    try:
        ser.open()
    finally:
        del ser._reset_input_buffer  # reset_input_buffer() empties the buffer again
    return ser


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


class LoggerStopped(SensorLabError):
    """The logger had to stop: its port is another logger's, or the disk stayed full."""


def lock_holder(path: str) -> str:
    """Who holds a ``flock`` on device ``path``: ``"pid 123: sensorlab log ..."`` (Linux).

    Examples
    --------
    >>> lock_holder("/nonexistent")
    'another program'
    """
    try:
        st = os.stat(path)
        locks = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return "another program"
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for entry in locks:
        parts = entry.split()
        if "FLOCK" in parts and inode in parts:
            pid = parts[parts.index(inode) - 1]
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                cmd = ""
            return f"pid {pid}: {cmd.strip()}" if cmd.strip() else f"pid {pid}"
    return "another program"


def _lock_port(target: str) -> int | None:
    """Take device ``target`` for this logger alone, before opening it; return the lock's fd.

    The lock is taken on a plain descriptor of its own, before pyserial opens the port,
    because opening a serial port flushes its input: a second logger that opened first
    and refused afterwards would already have thrown away lines the first had not read.
    """
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return None  # a URL (sim://, loop://) or a port that is not there: open_port says why
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LoggerStopped(text("kit_cli.port_busy", port=target,
                                 holder=lock_holder(target))) from None
    except OSError:
        pass  # a device that cannot be locked is still read
    return fd


def _unlock_port(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _open_problem(target: str | None, vid_pid: str | None, err: Exception) -> str:
    """What to tell a student whose port cannot be opened (catalogue, en/ko)."""
    if target is None:
        return text("kit_cli.port_missing_usb", vid_pid=vid_pid)
    code = getattr(err, "errno", None)
    if code == errno.ENOENT or "No such file" in str(err):
        return text("kit_cli.port_missing", port=target)
    if code == errno.EACCES or "Permission denied" in str(err):
        return text("kit_cli.port_denied", port=target)
    return text("kit_cli.port_cannot_open", port=target, reason=err)


def _say(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


class _DiskWatch:
    """Tell the student once that the disk is full, and when logging has caught up."""

    def __init__(self, store: LogStore, hold_bytes: float, say):
        self.store, self.hold_bytes, self.say = store, hold_bytes, say
        self.since: float | None = None

    def check(self) -> None:
        store = self.store
        err = store.disk_error
        if err is not None and store.files.waiting:
            store.retry()
            err = store.disk_error
        if err is not None and self.since is None:
            self.since = time.monotonic()
            full = err.errno in (errno.ENOSPC, errno.EDQUOT)
            self.say(text("kit_cli.disk_full" if full else "kit_cli.write_failed",
                          path=store.files.error_path or store.dir,
                          reason=err.strerror or err, out=store.dir))
            store.event("disk_full", detail=f"{store.files.error_path}: {err}")
        elif err is None and self.since is not None:
            gap = time.monotonic() - self.since
            self.since = None
            self.say(text("kit_cli.disk_resumed", seconds=f"{gap:.0f}", out=store.dir))
            store.event("disk_resumed", detail=f"after {gap:.1f} s; nothing lost")
        if err is not None and store.files.held_bytes > self.hold_bytes:
            raise LoggerStopped(text("kit_cli.disk_gave_up", out=store.dir,
                                     held=f"{store.files.held_bytes / 1e6:.1f}"))


def run_logger(port: str | None, out: str | Path, *, vid_pid: str | None = None,
               serial_number: str | None = None, baudrate: int = 115200, quiet: bool = False,
               fsync_interval: float = 1.0, max_backoff: float = 10.0,
               idle_exit: float | None = None, stop: threading.Event | None = None,
               hold_mb: float = 64.0, say=_say) -> dict:
    """Log until stopped (SIGINT/SIGTERM, ``stop`` set, or ``idle_exit`` s without data).

    Problems a student must act on (a port that cannot be opened, a full disk) are said
    once through ``say`` (default: a line on stderr), whether or not on a terminal. While
    the disk is full, lines are held in memory (up to ``hold_mb``) and written when space
    returns.

    Returns the counts (``lines``, ``rows``, ``rejects``, ``duplicates``, ``reused``,
    ``reconnects``): ``lines`` and ``rows`` are what is really in the files.

    Raises
    ------
    LoggerStopped
        The port is another logger's, or the disk stayed full past ``hold_mb``.
    sensorlab.kit.logfiles.NodeBusy
        Another logger already writes this box's node id into ``out``.
    """
    if port is None and vid_pid is None:
        raise ValueError("give a PORT (device path or URL) or --vid-pid")
    try:
        store = LogStore(out, fsync_interval=fsync_interval, owner=f"port {port or vid_pid}")
    except OSError as err:  # --out names a file, a folder on a full or read-only disk ...
        raise LoggerStopped(text("kit_cli.out_unusable", out=out,
                                 reason=err.strerror or err)) from None
    stop = stop or threading.Event()
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            handlers[sig] = signal.signal(sig, lambda *_: stop.set())
    status = Status(store, quiet)
    disk = _DiskWatch(store, hold_mb * 1e6, say)
    ingest = Ingest(store)
    reconnects, backoff = 0, 0.5
    down_since: float | None = None
    connected_once = told = False
    started = time.monotonic()
    last_data = time.monotonic()
    store.start(port or f"usb:{vid_pid}")
    try:
        while not stop.is_set():
            target = port
            if vid_pid:
                target = find_port(vid_pid, serial_number) or None
            lock = None
            try:
                if target is None:
                    raise serial.SerialException(f"no port with USB ids {vid_pid}")
                lock = _lock_port(target)
                ser = open_port(target, baudrate)
            except (serial.SerialException, OSError, ValueError) as err:
                _unlock_port(lock)
                if down_since is None:
                    down_since = time.monotonic()
                    store.event("disconnect" if connected_once else "waiting",
                                detail=f"cannot open {target}: {err}")
                    if not connected_once and not told:
                        told = True  # once: the logger keeps trying quietly after that
                        say(_open_problem(target, vid_pid, err))
                disk.check()
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                if idle_exit is not None and time.monotonic() - last_data > idle_exit + 10:
                    break
                continue
            backoff = 0.5
            ingest.reopen()
            if not connected_once:
                connected_once, down_since = True, None
                store.event("connect", detail=f"{target}; after {time.monotonic() - started:.3f} s")
                if told:
                    say(text("kit_cli.port_found", port=target))
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
                        ingest.feed(data, utc_stamp())
                    elif idle_exit is not None and now - last_data > idle_exit:
                        stop.set()
                    disk.check()
                    store.sync()
                    status.update()
            except (serial.SerialException, OSError) as err:
                ingest.end(utc_stamp())
                down_since = time.monotonic()
                store.event("disconnect", detail=f"{target}: {err}")
                store.sync(force=True)
            finally:
                try:
                    ser.close()
                except (serial.SerialException, OSError):
                    pass
                _unlock_port(lock)
        ingest.end(utc_stamp())
    except SensorLabError as err:
        err.stats = dict(store.counts, reconnects=reconnects)  # for the summary
        raise
    finally:
        store.event("stop", detail=f"{store.counts['lines']} lines, "
                    f"{store.counts['rejects']} rejects")
        store.close()
        status.update(force=True)
        status.end()
        for sig, old in handlers.items():
            signal.signal(sig, old)
    stats = dict(store.counts, reconnects=reconnects)
    if store.files.waiting:
        err = LoggerStopped(text("kit_cli.disk_unwritten", out=store.dir))
        err.stats = stats
        raise err
    return stats


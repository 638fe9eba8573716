"""Serve a simulated box on a pseudo-terminal, like a USB serial adapter would appear.

``sensorlab simulate --pty`` calls :func:`serve_pty`: it opens a pty pair, prints the
device path (the pty's slave side) on its own line of stdout, then streams the box's
bytes into it at the simulated pace. Any program that opens a serial port can read it:
``sensorlab log /dev/pts/7 --out logs/``, ``screen``, ``minicom`` or ``pyserial``.

An ``unplug`` fault closes the pty (the reader gets the same exception as when a USB
cable is pulled) and, when the simulated cable goes back in, opens a new pty and prints
its path, which may differ, just as Linux may renumber ``ttyUSB*``. Give ``link=`` (CLI
``--link``) to keep a stable symlink pointing at the current pty, like udev's
``/dev/serial/by-id/...`` names; the logger can then reconnect by that name.

With ``wait_reader`` the box holds its first byte until a program opens the device (so a
test or a demo loses nothing at the start). Bytes are written without blocking: when nobody reads and the pty's buffer (about 16 kB)
is full, lines are dropped and recorded as not delivered in the truth file.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import select
import struct
import termios
import time
import tty
from collections.abc import Callable, Iterable
from pathlib import Path

from sensorlab.kit.sim_stream import Pacer, TruthWriter, utc_now
from sensorlab.kit.simulator import Emission


class PtyPort:
    """The host end of a pty pair whose device path a reader can open."""

    def __init__(self, link: str | Path | None = None):
        self.link = None if link is None else Path(link)
        self.master, slave = os.openpty()
        # raw mode at once: a cooked pty would echo our lines back and fill its own buffer
        tty.setraw(slave)
        os.set_blocking(self.master, False)
        self.path = os.ttyname(slave)
        # we keep no slave end open ourselves, so the master can tell when a reader is there
        os.close(slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".tmp")
            tmp.unlink(missing_ok=True)
            os.symlink(self.path, tmp)
            os.replace(tmp, self.link)

    def has_reader(self) -> bool:
        """True when some process has the device open (reading the master then says EAGAIN,
        not EIO; any bytes the reader sent are discarded: the box ignores the host)."""
        try:
            os.read(self.master, 4096)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return True

    def wait_for_reader(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for a reader, then let it settle (pyserial flushes on open)."""
        deadline = time.monotonic() + timeout
        while not self.has_reader():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        time.sleep(0.2)
        return True

    def unread(self) -> int:
        """Bytes written to the device that no reader has taken yet (0 if it cannot tell)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            return 0
        try:
            return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, struct.pack("i", 0)))[0]
        except OSError:
            return 0
        finally:
            os.close(fd)

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for a running reader to take everything written."""
        deadline = time.monotonic() + timeout
        quiet = 0
        # the kernel moves bytes into the reader's queue in steps, so the count can read 0
        # for a moment while more is on its way: wait for several zero readings in a row
        while quiet < 5:
            if not self.has_reader():
                return True
            quiet = quiet + 1 if self.unread() == 0 else 0
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def write(self, data: bytes, timeout: float = 0.05) -> bool:
        """Write ``data``; False if the buffer stayed full for ``timeout`` seconds.

        Once the first byte is out the rest follows (up to 10 s more), so a line is never
        left half-sent just because the reader is slow.
        """
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.master, view)
                if n and len(view) == len(data):
                    deadline = time.monotonic() + 10.0
                view = view[n:]
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([], [self.master], [], left)[1]:
                    return False
        return True

    def close(self) -> None:
        """Close the pty, like pulling the cable (udev drops the by-id link too)."""
        if self.link is not None and os.path.realpath(self.link) == self.path:
            self.link.unlink(missing_ok=True)
        try:
            os.close(self.master)
        except OSError:
            pass


def serve_pty(emissions: Iterable[Emission], speed: float = 1.0, link=None,
              truth: str | Path | None = None,
              announce: Callable[[str], None] | None = None,
              write_timeout: float = 0.05, wait_reader: float = 0.0) -> dict:
    """Stream ``emissions`` into a pty; return counts of what was delivered.

    ``announce(path)`` is called with each new device path (default: print and flush).
    With ``wait_reader`` > 0, each new pty (at start and after a replug) waits up to that
    many seconds for a program to open it before streaming on, like a USB device that
    waits for the host (the simulated clock does not wait: late lines then come in a burst).
    """
    if announce is None:
        def announce(path):
            print(path, flush=True)
    emissions = iter(emissions)
    first = next(emissions, None)  # builds the truth model before the clock starts
    emissions = itertools.chain([first] if first is not None else [], emissions)
    pacer, writer = Pacer(speed), TruthWriter(truth)
    port = PtyPort(link)
    announce(port.path)
    if wait_reader > 0:
        port.wait_for_reader(wait_reader)
    stats = {"lines": 0, "delivered": 0, "dropped": 0, "unplugs": 0}
    try:
        for e in emissions:
            pacer.wait(e.t)
            if e.event == "unplug":
                # what is already on the wire reaches a running reader before the yank
                port.drain(5.0)
                port.close()
                port = None
                stats["unplugs"] += 1
                continue
            if e.event == "replug":
                port = PtyPort(link)
                announce(port.path)
                if wait_reader > 0:
                    port.wait_for_reader(wait_reader)
                continue
            ok = False
            if e.data and e.sent and port is not None:
                ok = port.write(e.data, write_timeout)
            if e.truth is not None:
                stats["lines"] += 1
                stats["delivered" if ok else "dropped"] += 1
                writer.write(e, delivered=ok, sent_utc=utc_now() if ok else "")
        # let a running reader take the last bytes before the port vanishes
        if port is not None:
            port.drain(5.0)
    finally:
        writer.close()
        if port is not None:
            port.close()
    return stats

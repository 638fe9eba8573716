"""Cut a serial byte stream into KIT1 lines, resynchronising on garbage.

Rules (kits.md §6.3): NUL bytes are dropped (adapters emit them when a port opens); a line
ends at ``\\n`` (a ``\\r`` before it is dropped); a ``$`` always starts a new line, so a line
whose newline was lost, or a line cut short by a reboot, is handed on by itself instead of
spoiling the next one; more than :data:`~sensorlab.kit.protocol.MAX_LINE` bytes without
an end are handed on as too long. The first piece after the port opens that does not
begin with ``$`` is the tail of a line already under way: it is marked so the logger can
give it its own reason (``partial_at_open``).

Examples
--------
>>> f = LineFramer()
>>> f.feed(b"ms=1*00\\n\\x00$KIT1,a,1,")
[Fragment(data=b'ms=1*00', at_open=True, too_long=False)]
>>> f.feed(b"2,3,sys,hb*45\\r\\n$KIT1")
[Fragment(data=b'$KIT1,a,1,2,3,sys,hb*45', at_open=False, too_long=False)]
>>> f.flush()
[Fragment(data=b'$KIT1', at_open=False, too_long=False)]
"""

from __future__ import annotations

from typing import NamedTuple

from sensorlab.kit.protocol import (
    MAX_LINE, Kit1Line, PartialAtOpen, TooLong, parse_line,
)


class Fragment(NamedTuple):
    """One piece of the stream the framer has cut: a candidate line."""

    data: bytes
    at_open: bool
    too_long: bool


class LineFramer:
    """Incremental line splitter: :meth:`feed` bytes in any pieces, get whole fragments out."""

    def __init__(self, max_line: int = MAX_LINE):
        self.max_line = max_line
        self._buf = bytearray()
        self._at_open = True

    def reset(self) -> None:
        """Forget the unfinished line: call after (re)opening the port."""
        self._buf.clear()
        self._at_open = True

    def _cut(self, data: bytes, out: list[Fragment], too_long: bool = False) -> None:
        if data.endswith(b"\r"):
            data = data[:-1]
        if data:
            out.append(Fragment(bytes(data), self._at_open, too_long))
            self._at_open = False

    def feed(self, chunk: bytes) -> list[Fragment]:
        """Add bytes; return the fragments they complete, in order."""
        out: list[Fragment] = []
        if b"\x00" in chunk:
            chunk = chunk.replace(b"\x00", b"")
        buf = self._buf
        start, n = 0, len(chunk)
        while start < n:
            ends = [x for x in (chunk.find(b"\n", start), chunk.find(b"$", start)) if x >= 0]
            stop = min(ends) if ends else n
            buf += chunk[start:stop]
            if len(buf) > self.max_line:
                self._cut(bytes(buf), out, too_long=True)
                buf.clear()
            if stop == n:
                break
            if buf:  # a newline ends the line; a '$' starts a new one, ending this piece too
                self._cut(bytes(buf), out)
                buf.clear()
            if chunk[stop] == 0x24:  # '$'
                buf += b"$"
            start = stop + 1
        return out

    def flush(self) -> list[Fragment]:
        """Hand on the unfinished line (at a disconnect or a stop)."""
        out: list[Fragment] = []
        self._cut(bytes(self._buf), out, too_long=len(self._buf) > self.max_line)
        self._buf.clear()
        return out


def classify(fragment: Fragment) -> Kit1Line:
    """Parse one fragment, raising the :class:`~sensorlab.kit.protocol.Kit1Error` it earns.

    Examples
    --------
    >>> classify(Fragment(b"pm25=3*1A", True, False))
    Traceback (most recent call last):
    ...
    sensorlab.kit.protocol.PartialAtOpen: the tail of a line already under way when the port opened
    """
    if fragment.too_long:
        raise TooLong(f"more than {MAX_LINE} bytes without a line end", fragment.data[:MAX_LINE])
    if fragment.at_open and not fragment.data.startswith(b"$"):
        raise PartialAtOpen("the tail of a line already under way when the port opened",
                            fragment.data)
    return parse_line(fragment.data)

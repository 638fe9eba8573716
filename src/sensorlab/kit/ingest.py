"""The one way bytes from a box become logged lines: frame, check, store.

:class:`Ingest` is used by the logger (:func:`sensorlab.kit.logger.run_logger`, bytes from a
serial port stamped with the host's clock) and by every notebook helper that records a
simulation (:func:`sensorlab.simulated_session.record_simulation`, bytes from the simulator stamped with
the simulated arrival time). Both hand it bytes and the time they arrived; it cuts them into
lines (:class:`~sensorlab.kit.framing.LineFramer`), checks each
(:func:`~sensorlab.kit.framing.classify`) and gives the good ones to the
:class:`~sensorlab.kit.logstore.LogStore`, the rest with their reason to its rejects file.

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.logstore import LogStore
>>> from sensorlab.kit.protocol import encode_line
>>> store = LogStore(tempfile.mkdtemp())
>>> ingest = Ingest(store)
>>> line = encode_line("box1", 1, 5, 5000, "sht40", "ok", {"t": 21.5}).encode()
>>> ingest.feed(line[:20], "2025-01-06T00:00:05.000Z")   # half a line: nothing yet
0
>>> ingest.feed(line[20:] + b"noise\\n", "2025-01-06T00:00:05.010Z")
1
>>> store.close()
>>> store.counts["lines"], store.counts["rejects"]
(1, 1)
"""

from __future__ import annotations

from sensorlab.kit.framing import Fragment, LineFramer, classify
from sensorlab.kit.logstore import LogStore
from sensorlab.kit.protocol import Kit1Error


class Ingest:
    """Bytes and their arrival time in, lines in the log out (see the module docstring).

    Parameters
    ----------
    store : LogStore
        Where lines, rejects and events go.
    """

    def __init__(self, store: LogStore):
        self.store = store
        self.framer = LineFramer()

    def feed(self, data: bytes, stamp: str) -> int:
        """Take bytes that arrived at ``stamp`` (UTC ISO text); return the lines accepted."""
        return self._store(self.framer.feed(data), stamp)

    def end(self, stamp: str) -> int:
        """The stream stopped (cable unplugged, logger stopping): log the unfinished line."""
        return self._store(self.framer.flush(), stamp)

    def reopen(self) -> None:
        """The port was opened again: what comes first may be the tail of a line under way."""
        self.framer.reset()

    def _store(self, fragments: list[Fragment], stamp: str) -> int:
        good = []
        for fragment in fragments:
            try:
                good.append((classify(fragment), fragment.data))
            except Kit1Error as err:
                self.store.reject_error(err, fragment.data, stamp)
        return self.store.add_lines(good, stamp) if good else 0

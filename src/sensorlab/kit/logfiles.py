"""Whole-row appends to a log folder that many loggers share, even when the disk fills up.

:class:`RowWriter` is how :class:`~sensorlab.kit.logstore.LogStore` touches its files:

- Every append takes an exclusive ``flock`` on the file, so any number of loggers (one per
  box, the classroom set-up) can create the same day file at the same instant (00:00 UTC is
  09:00 in Seoul) and append to it: the header is written once, by whoever finds the file
  empty, and rows never interleave.
- A batch is written whole or not at all: when a write fails part-way (``ENOSPC``, a full
  disk; ``EDQUOT``; ``EIO``) the file is cut back at once to where the batch began, so no
  torn row is left behind. The batch stays queued, in order, and is written when space
  returns (:meth:`RowWriter.flush`, retried at most once a second).
- A file whose end another writer left half-written (a logger killed mid-row) is cut back
  to its last whole row before anything is appended; the piece is handed back so it can be
  kept in ``rejects.csv``.
- A file deleted, moved away or replaced while it is open (or its whole folder) is made
  again at its path before the next append: rows written to a deleted file's descriptor
  would be lost without a word.

:class:`WriterLocks` makes sure only one logger writes a given box's rows into a folder: a
second one would interleave the same box's lines twice (two loggers on one box) or mix two
boxes that share a node id.

Examples
--------
>>> import tempfile
>>> out = tempfile.mkdtemp()
>>> w = RowWriter(out)
>>> w.append("a.csv", ["x", "y"], "1,2\\n")
>>> w.append("a.csv", ["x", "y"], "3,4\\n")
>>> w.close()
>>> open(f"{out}/a.csv").read()
'x,y\\n1,2\\n3,4\\n'
"""

from __future__ import annotations

import fcntl
import os
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from sensorlab.errors import SensorLabError
from sensorlab.messages import text

#: Seconds between two tries to write what a full disk refused.
RETRY_S = 1.0


class NodeBusy(SensorLabError):
    """Another logger already writes this node's rows into this folder."""

    def __init__(self, node_id: str, folder: Path, holder: str):
        super().__init__(text("kit_cli.node_busy", node=node_id, out=folder, holder=holder))
        self.node_id, self.holder = node_id, holder


class RowWriter:
    """Append text to the files of one folder: locked, whole, queued while the disk is full.

    Attributes
    ----------
    error : OSError or None
        Why the last write failed (None when everything queued has been written).
    error_path : Path or None
        The file that write was for.
    held_bytes, held : int, list
        What is waiting to be written.
    """

    def __init__(self, directory: str | Path, fsync_interval: float = 1.0):
        self.dir = Path(directory)
        self.fsync_interval = fsync_interval
        self._fds: dict[str, int] = {}
        self._dirty: set[int] = set()
        self._last_sync = time.monotonic()
        self._queue: deque = deque()  # (name, header, data, on_written)
        self._last_try = 0.0
        self.held_bytes = 0
        self.error: OSError | None = None
        self.error_path: Path | None = None
        self.cut: list[tuple[str, bytes]] = []  # torn tails found in other writers' files
        self.recreated: list[str] = []  # files that vanished while open and were made again

    def append(self, name: str, header: list[str], text: str, on_written=None) -> None:
        """Queue ``text`` (whole rows) for file ``name`` and write what the disk takes.

        ``on_written()`` is called once the text is really in the file.
        """
        if not text:
            return
        data = text.encode("utf-8")
        self._queue.append((name, header, data, on_written))
        self.held_bytes += len(data)
        self.flush()

    def flush(self, force: bool = False) -> bool:
        """Write what is queued, in order; True when nothing is left waiting."""
        if self.error is not None and not force and time.monotonic() - self._last_try < RETRY_S:
            return False
        self._last_try = time.monotonic()
        while self._queue:
            name, header, data, on_written = self._queue[0]
            try:
                self._write(name, header, data)
            except OSError as err:
                self.error, self.error_path = err, self.dir / name
                return False
            self._queue.popleft()
            self.held_bytes -= len(data)
            if on_written is not None:
                on_written()
        self.error = self.error_path = None
        return True

    @property
    def waiting(self) -> int:
        """Number of appends still waiting to be written."""
        return len(self._queue)

    def _fd(self, name: str) -> int:
        path = self.dir / name
        fd = self._fds.get(name)
        if fd is not None and not _same_file(fd, path):
            # deleted, moved away or replaced while we logged (a student tidying the folder):
            # rows written to the old descriptor would vanish with it, so start the file again
            self._dirty.discard(fd)
            os.close(fd)
            del self._fds[name]
            self.recreated.append(name)
            fd = None
        if fd is None:
            self.dir.mkdir(parents=True, exist_ok=True)  # the whole folder may have gone
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            self._fds[name] = fd
        return fd

    def _write(self, name: str, header: list[str], data: bytes) -> None:
        fd = self._fd(name)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            start = os.fstat(fd).st_size
            if start and os.pread(fd, 1, start - 1) != b"\n":
                start = self._cut_torn_tail(fd, name, start)
            payload = data if start else (",".join(header) + "\n").encode("utf-8") + data
            view = memoryview(payload)
            try:
                while view:  # one call normally; a short write means the disk just filled
                    view = view[os.write(fd, view):]
            except OSError:
                os.ftruncate(fd, start)  # we hold the lock: nobody appended after us
                raise
            self._dirty.add(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _cut_torn_tail(self, fd: int, name: str, size: int) -> int:
        back = min(size, 1 << 16)
        tail = os.pread(fd, back, size - back)
        nl = tail.rfind(b"\n")
        keep = size - back + nl + 1 if nl >= 0 else 0
        os.ftruncate(fd, keep)
        self.cut.append((name, tail[nl + 1:]))
        return keep

    def sync(self, force: bool = False) -> None:
        """fsync every file written since the last sync (at most every ``fsync_interval``)."""
        now = time.monotonic()
        if not force and now - self._last_sync < self.fsync_interval:
            return
        for fd in list(self._dirty):
            try:
                os.fsync(fd)
            except OSError as err:  # kept dirty: tried again at the next sync
                self.error, self.error_path = err, self.dir
                continue
            self._dirty.discard(fd)
        self._last_sync = now

    def close(self) -> None:
        """Write what the disk takes, fsync and close (what is still held stays unwritten)."""
        self.flush(force=True)
        self.sync(force=True)
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open on ``fd``."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)


class WriterLocks:
    """One lock file per node in ``<folder>/.writers/``: one logger writes each node's rows."""

    def __init__(self, directory: str | Path, owner: str = ""):
        self.dir = Path(directory) / ".writers"
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.owner = f"pid {os.getpid()}" + (f", {owner}" if owner else "") + f", since {started}"
        self._held: dict[str, int | None] = {}

    def claim(self, node_id: str) -> None:
        """Take node ``node_id`` for this logger; raise :class:`NodeBusy` if another has it."""
        if node_id in self._held:
            return
        try:
            self.dir.mkdir(exist_ok=True)
            fd = os.open(self.dir / f"{node_id}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a folder we cannot lock in (read-only, full): log rather than lose
            self._held[node_id] = None
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip() or "?"
            os.close(fd)
            raise NodeBusy(node_id, self.dir.parent, holder) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, (self.owner + "\n").encode("utf-8"), 0)
        except OSError:
            pass  # the lock holds without the note
        self._held[node_id] = fd

    def release(self) -> None:
        """Let other loggers take these nodes (closing the files drops the locks)."""
        for fd in self._held.values():
            if fd is not None:
                os.close(fd)
        self._held.clear()

"""Where the logger writes: one long-format CSV per UTC day, a rejects file, an events file.

Files in the output directory (all UTF-8, append-only, one header row each):

``YYYY-MM-DD.csv``
    The readings, one row per parameter, columns :data:`LONG_COLUMNS` (DESIGN.md: the first
    seven are the Array of Things digest's own). ``timestamp`` is the host's UTC time when
    the line arrived (``2025-01-06T09:00:01.250Z``); the file is chosen by that date.
    ``value_raw`` is the value as the box wrote it, ``status`` the line's status word
    (``ok``, ``warmup``, ``err`` ...), ``flag`` is ``range`` for a value outside the
    datasheet's range (kept) and empty otherwise.
``rejects.csv``
    ``timestamp,reason,message,raw``: every piece of the stream that was not a new valid
    line, with its reason code (:data:`sensorlab.kit.protocol.REASONS`) and the raw bytes
    (non-ASCII escaped as ``\\xNN``).
``sensors.csv``
    What each ``sensor``/``parameter`` is, as in the AoT digest: ``ontology, subsystem,
    sensor, parameter, hrf_unit, hrf_minval, hrf_maxval, datasheet`` (written once).
``events.csv``
    ``timestamp,event,node_id,boot_id,seq,detail``: ``start`` (its detail is the source: the
    port or URL read, or the simulation), ``waiting`` (port not there
    yet), ``connect``, ``disconnect``,
    ``reconnect`` (with the gap in seconds), ``reboot``, ``seq_gap``, ``key_reused``,
    ``boot_counter_restarted``, ``disk_full``, ``disk_resumed``, ``file_recreated`` (a file
    deleted or moved away while logging, made again), ``recover``, ``stop``.

Nothing already written is rewritten. Rows of a batch go out in one locked ``write`` per
file (:mod:`sensorlab.kit.logfiles`): many loggers may share one folder, a day file gets one
header, and a write that a full disk cuts short is cut back at once, so no torn row is left;
the batch waits in memory until there is space. After a crash (a kill mid-write),
:class:`LogStore` cuts a half-written last row into ``rejects.csv`` (reason ``partial_row``)
and rebuilds, from the last two day files, which ``(node_id, boot_id, seq)`` are already in
the log and what each held, so a line is never written twice, across restarts too.

A line is a ``duplicate`` only when the log already holds the same key with the same
values (a box or a cable repeating itself). The same key with other values is a new line:
a box that restarted without counting its boot (a reflash erases the counter; the box then
says ``msg=counter_new``), a simulator started again with the same ``--boot``, or two boxes
with one node id. It is logged, with a ``key_reused`` event (once per boot), never dropped.

Limits: the state after a restart comes from the last :data:`RECOVER_BYTES` of the two
newest day files; a duplicate of a line older than that is logged again (``load_log``
drops it on reading, since its key and values match).

Examples
--------
>>> import tempfile
>>> from sensorlab.kit.protocol import parse_line
>>> out = tempfile.mkdtemp()
>>> store = LogStore(out)
>>> raw = b"$KIT1,box1,1,5,5000,sht40,ok,t=21.50,rh=40.00*21"
>>> line = parse_line(raw)
>>> store.add_lines([(line, raw)], "2025-01-06T00:00:05.000Z")
1
>>> store.add_lines([(line, raw)], "2025-01-06T00:00:06.000Z")  # the same line again
0
>>> store.close()
>>> print(open(f"{out}/2025-01-06.csv").read().splitlines()[1])
2025-01-06T00:00:05.000Z,box1,metsense,sht40,t,21.50,21.5,°C,1,5,5000,ok,
"""

from __future__ import annotations

import bisect
import csv
import fcntl
import hashlib
import io
import os
import re
import time
from array import array
from datetime import UTC, datetime
from pathlib import Path

from sensorlab.kit.logfiles import RowWriter, WriterLocks
from sensorlab.kit.protocol import SENSOR_KEYS, Kit1Error, Kit1Line, format_value

LONG_COLUMNS = ["timestamp", "node_id", "subsystem", "sensor", "parameter", "value_raw",
                "value_hrf", "unit", "boot_id", "seq", "uptime_ms", "status", "flag"]
#: The columns of day files written before the line's status had its own column (it was
#: packed into ``flag`` as ``warmup;range``); :func:`sensorlab.kit.readback.read_long` reads both.
LEGACY_COLUMNS = [c for c in LONG_COLUMNS if c != "status"]
REJECT_COLUMNS = ["timestamp", "reason", "message", "raw"]
EVENT_COLUMNS = ["timestamp", "event", "node_id", "boot_id", "seq", "detail"]

#: AoT-style subsystem of each sensor (air, meteorology, light, sound, board housekeeping).
SUBSYSTEMS = {"pms5003": "airsense", "sds011": "airsense", "sht40": "metsense",
              "bh1750": "lightsense", "mic": "audio", "sys": "system"}
#: Datasheet ranges; a value outside gets ``range`` in ``flag`` (the value is kept).
RANGES = {"t": (-40.0, 125.0), "rh": (0.0, 100.0), "pm1_cf1": (0, 1000), "pm25_cf1": (0, 1000),
          "pm10_cf1": (0, 1000), "pm1_atm": (0, 1000), "pm25_atm": (0, 1000),
          "pm10_atm": (0, 1000), "pm25": (0, 999.9), "pm10": (0, 999.9), "lux": (0, 65535)}
SENSOR_COLUMNS = ["ontology", "subsystem", "sensor", "parameter", "hrf_unit", "hrf_minval",
                  "hrf_maxval", "datasheet"]
_DATASHEETS = {"pms5003": "Plantower PMS5003 manual v2.3", "sds011": "Nova SDS011 datasheet v1.3",
               "sht40": "Sensirion SHT4x datasheet", "bh1750": "ROHM BH1750FVI datasheet",
               "mic": "INMP441 datasheet", "sys": "kits/firmware/main.py"}
#: The logger's files besides the day files.
OWN_FILES = ("rejects.csv", "events.csv", "sensors.csv")
_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.csv\Z")
#: How much of the newest day files a restart reads back to rebuild the dedupe state:
#: 64 MB is about half an hour of 30 boxes; boxes re-send lines seconds later, not hours.
RECOVER_BYTES = 64 * 1024 * 1024


def utc_stamp(now: float | None = None) -> str:
    """UTC ISO-8601 with milliseconds and ``Z``, the logger's timestamp format."""
    dt = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def escape_raw(data: bytes | str) -> str:
    """Raw bytes as printable text for the rejects file (``\\xNN`` for the rest)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    text = data.decode("ascii", "backslashreplace")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class SeqSet:
    """The set of ``seq`` numbers seen for one boot, stored as sorted intervals (tiny memory).

    Examples
    --------
    >>> s = SeqSet()
    >>> [s.add(x) for x in (1, 2, 3, 7, 2)]
    [True, True, True, True, False]
    >>> s.intervals
    [[1, 3], [7, 7]]
    >>> s.add(5), s.add(6), s.intervals, 6 in s, 4 in s
    (True, True, [[1, 3], [5, 7]], True, False)
    """

    __slots__ = ("intervals", "_starts")

    def __init__(self):
        self.intervals: list[list[int]] = []
        self._starts: list[int] = []

    def __contains__(self, x: int) -> bool:
        i = bisect.bisect_right(self._starts, x) - 1
        return i >= 0 and self.intervals[i][1] >= x

    def add(self, x: int) -> bool:
        """Add ``x``; False if it was already there."""
        iv, starts = self.intervals, self._starts
        i = bisect.bisect_right(starts, x) - 1
        if i >= 0 and iv[i][1] >= x:
            return False
        join_left = i >= 0 and iv[i][1] == x - 1
        join_right = i + 1 < len(iv) and iv[i + 1][0] == x + 1
        if join_left and join_right:
            iv[i][1] = iv[i + 1][1]
            del iv[i + 1], starts[i + 1]
        elif join_left:
            iv[i][1] = x
        elif join_right:
            iv[i + 1][0] = x
            starts[i + 1] = x
        else:
            iv.insert(i + 1, [x, x])
            starts.insert(i + 1, x)
        return True

    @property
    def max(self) -> int:
        return self.intervals[-1][1] if self.intervals else -1


class Digests:
    """What each ``seq`` of one boot held: an 8-byte digest of its rows (0 = not known).

    Kept in an array indexed by ``seq`` (boxes count from 0), so a day of a box costs
    8 bytes a line; a ``seq`` far beyond the others goes to a small dict instead.

    Examples
    --------
    >>> d = Digests()
    >>> d.put(3, 77), d.get(3), d.get(4), d.get(10**9)
    (None, 77, 0, 0)
    """

    __slots__ = ("dense", "sparse")

    def __init__(self):
        self.dense = array("Q")
        self.sparse: dict[int, int] = {}

    def get(self, seq: int) -> int:
        if seq < len(self.dense):
            return self.dense[seq]
        return self.sparse.get(seq, 0)

    def put(self, seq: int, digest: int) -> None:
        if seq < len(self.dense) + 4096:
            if seq >= len(self.dense):
                self.dense.extend([0] * (seq + 1 - len(self.dense)))
            self.dense[seq] = digest
        else:
            self.sparse[seq] = digest


def rows_digest(rows: str | bytes) -> int:
    """Digest of a line's rows without their timestamps (what the box sent, as logged)."""
    if isinstance(rows, str):
        rows = rows.encode("utf-8")
    return int.from_bytes(hashlib.blake2b(rows, digest_size=8).digest(), "little") | 1


class LogStore:
    """Append-only writer of one log directory, with dedupe and crash recovery.

    ``owner`` (the port, say) is written into the folder's writer lock for this logger's
    nodes, so a second logger of the same node can say who holds it.
    """

    def __init__(self, out_dir: str | Path, fsync_interval: float = 1.0, owner: str = ""):
        self.dir = Path(out_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.files = RowWriter(self.dir, fsync_interval)
        self.locks = WriterLocks(self.dir, owner)
        self.seen: dict[tuple[str, int], SeqSet] = {}
        self.digests: dict[tuple[str, int], Digests] = {}
        self.boots: dict[str, int] = {}
        self._reused: set[tuple[str, int]] = set()
        self.counts = {"lines": 0, "rows": 0, "rejects": 0, "duplicates": 0, "reused": 0}
        self.current_file = ""
        self.last_value = ""
        self._recover()
        if not (self.dir / "sensors.csv").exists():
            self._append("sensors.csv", SENSOR_COLUMNS, sensors_table())
            self.sync(force=True)

    # -- files ---------------------------------------------------------------------------
    def _append(self, name: str, header: list[str], text: str, on_written=None) -> None:
        self.files.append(name, header, text, on_written)
        while self.files.cut:  # another writer's torn row, cut back under the file's lock
            cut_name, piece = self.files.cut.pop(0)
            self.reject("partial_row", f"half-written row cut from the end of {cut_name} "
                        "(a logger stopped mid-row)", piece)
        while self.files.recreated:
            gone = self.files.recreated.pop(0)
            self.event("file_recreated", detail=f"{gone} was deleted or moved away while "
                       "logging; made again, and the rows from then on are in it")

    @property
    def disk_error(self) -> OSError | None:
        """Why the last write failed, while lines wait in memory for the disk (else None)."""
        return self.files.error

    def retry(self) -> bool:
        """Try again to write what a full disk refused; True when nothing is waiting."""
        return self.files.flush()

    def sync(self, force: bool = False) -> None:
        """fsync every file written since the last sync (at most every ``fsync_interval``)."""
        self.files.sync(force)

    def close(self) -> None:
        self.files.close()
        self.locks.release()

    # -- recovery ------------------------------------------------------------------------
    def _cut_partial_tail(self, path: Path) -> str | None:
        """If ``path`` ends inside a row, cut that row off and return its text."""
        size = path.stat().st_size
        if size == 0:
            return None
        with open(path, "rb+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # another logger of the folder may be appending
            size = os.fstat(f.fileno()).st_size
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return None
            back = min(size, 1 << 16)
            f.seek(size - back)
            tail = f.read(back)
            nl = tail.rfind(b"\n")
            keep = size - back + nl + 1 if nl >= 0 else 0
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
            return tail[nl + 1:].decode("utf-8", "replace")

    def _recover(self) -> None:
        stamp = utc_stamp()
        cut = []
        # only the logger's own files: a student's or teacher's CSV in the folder is not ours
        # to cut (a hand-typed file often has no newline after its last row)
        own = day_files(self.dir) + [self.dir / n for n in OWN_FILES if (self.dir / n).is_file()]
        for path in own:
            try:
                piece = self._cut_partial_tail(path)
            except OSError:  # read-only: the writer cuts it, under its lock, when it appends
                continue
            if piece is not None:
                cut.append((path.name, piece))
        for name, piece in cut:
            self.reject("partial_row", f"half-written row cut from the end of {name} after an "
                        "unclean stop", piece, stamp)
        days = day_files(self.dir)
        rows = 0
        for path in days[-2:]:  # today's and yesterday's: where a duplicate can still come from
            rows += self._read_back(path)
        if cut or rows:
            self.event("recover", detail=f"{rows} rows in {len(days[-2:])} day files; "
                       f"{len(cut)} partial rows cut", stamp=stamp)
        self.sync(force=True)

    def _read_back(self, path: Path) -> int:
        """Learn which keys ``path`` holds, and what each held; return the rows read."""
        with open(path, "rb") as f:
            size = path.stat().st_size
            if size > RECOVER_BYTES:
                f.seek(size - RECOVER_BYTES)
            f.readline()  # the header, or the row the seek landed in
            rows, group, body = 0, None, []
            for raw in f:
                if raw.endswith(b"\r\n"):  # saved again by a spreadsheet: same rows
                    raw = raw[:-2] + b"\n"
                # rows are plain text (no field of a KIT1 line holds a comma or a quote)
                stamp, _, rest = raw.partition(b",")
                parts = rest.split(b",")
                # a day file begun by an older logger has rows without the status column
                if len(parts) not in (len(LONG_COLUMNS) - 1, len(LEGACY_COLUMNS) - 1) \
                        or not raw.endswith(b"\n"):
                    continue  # a second header or a torn row: not a logged line
                try:
                    key = (stamp, parts[0].decode("ascii"), int(parts[7]), int(parts[8]))
                except (UnicodeDecodeError, ValueError):
                    continue
                if key != group:
                    self._remember(group, body)
                    group, body = key, []
                body.append(rest)
                rows += 1
            self._remember(group, body)
        return rows

    def _remember(self, group, body: list[bytes]) -> None:
        if group is None:
            return
        _, node, boot, seq = group
        self.seen.setdefault((node, boot), SeqSet()).add(seq)
        self.digests.setdefault((node, boot), Digests()).put(seq, rows_digest(b"".join(body)))
        if boot > self.boots.get(node, -1):
            self.boots[node] = boot

    # -- writing ---------------------------------------------------------------------------
    def start(self, source: str, stamp: str | None = None) -> None:
        """Record where the lines come from: a ``start`` event whose detail is ``source``
        (the port or URL the logger reads, or the simulation), whole, to be read back whole."""
        self.event("start", detail=source, stamp=stamp)

    def event(self, event: str, node_id: str = "", boot_id="", seq="", detail: str = "",
              stamp: str | None = None) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(
            [stamp or utc_stamp(), event, node_id, boot_id, seq, detail])
        self._append("events.csv", EVENT_COLUMNS, buf.getvalue())

    def reject(self, reason: str, message: str, raw: bytes | str, stamp: str | None = None):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(
            [stamp or utc_stamp(), reason, message, escape_raw(raw)])
        self._append("rejects.csv", REJECT_COLUMNS, buf.getvalue(), self._count_reject)

    def _count_reject(self) -> None:
        self.counts["rejects"] += 1

    def reject_error(self, err: Kit1Error, raw: bytes, stamp: str) -> None:
        self.reject(err.reason, err.message, raw, stamp)

    def add_lines(self, lines: list[tuple[Kit1Line, bytes]], stamp: str) -> int:
        """Log parsed lines that arrived at ``stamp``; byte-identical repeats are rejected.

        A line whose key ``(node_id, boot_id, seq)`` is already logged with other values is
        logged too, with a ``key_reused`` event: a box that restarted without counting its
        boot (a reflash), a simulator started again with the same ``--boot``, or two boxes
        with one node id. Raises :class:`~sensorlab.kit.logfiles.NodeBusy` when another
        logger writes this node into the same folder.

        Returns the number of lines accepted (written, or held while the disk is full).
        """
        out: list[str] = []
        events: list[tuple] = []
        accepted = rows = 0
        for line, raw in lines:
            self.locks.claim(line.node_id)
            boot_key = (line.node_id, line.boot_id)
            seqs = self.seen.get(boot_key)
            if seqs is None:
                seqs = self.seen[boot_key] = SeqSet()
                self.digests[boot_key] = Digests()
            body = self._rows(line)
            digest = rows_digest(body)
            before = seqs.max
            if not seqs.add(line.seq):
                if self.digests[boot_key].get(line.seq) == digest:
                    self.counts["duplicates"] += 1
                    self.reject("duplicate", f"{line.node_id} boot {line.boot_id} seq {line.seq} "
                                "is already in the log", raw or line.to_line().strip(), stamp)
                    continue
                self.counts["reused"] += 1
                if boot_key not in self._reused:  # once per boot: a restarted box repeats many
                    self._reused.add(boot_key)
                    events.append(("key_reused", line.node_id, line.boot_id, line.seq,
                                   f"seq {line.seq} of boot {line.boot_id} is already logged "
                                   "with other values; both are kept: a box restarted without "
                                   "counting its boot (reflash, or a simulator started with the "
                                   "same --boot) or two boxes share this node id"))
            self.digests[boot_key].put(line.seq, digest)
            events += self._boot_events(line, before)
            out.append("".join(f"{stamp},{row}" for row in body.splitlines(keepends=True)))
            rows += body.count("\n")
            accepted += 1
        if out:
            name = stamp[:10] + ".csv"
            self._append(name, LONG_COLUMNS, "".join(out),
                         lambda: self._count_written(accepted, rows))
            self.current_file = str(self.dir / name)
        for ev in events:
            self.event(*ev, stamp=stamp)
        return accepted

    def _count_written(self, lines: int, rows: int) -> None:
        self.counts["lines"] += lines
        self.counts["rows"] += rows

    def _boot_events(self, line: Kit1Line, before: int) -> list[tuple]:
        events = []
        last_boot = self.boots.get(line.node_id)
        if last_boot is None or line.boot_id > last_boot:
            if last_boot is not None:
                prev = self.seen.get((line.node_id, last_boot))
                events.append(("reboot", line.node_id, line.boot_id, line.seq,
                               f"boot {last_boot} -> {line.boot_id}; last seq of boot "
                               f"{last_boot} was {prev.max if prev else ''}"))
            self.boots[line.node_id] = line.boot_id
        elif line.seq > before + 1 and before >= 0:
            events.append(("seq_gap", line.node_id, line.boot_id, line.seq,
                           f"seq jumped from {before} to {line.seq}: "
                           f"{line.seq - before - 1} lines missing so far"))
        note = line.fields.get("msg", "")
        if line.status == "boot" and note in ("counter_new", "counter_reset"):
            # the firmware found no boot counter (just flashed) or a broken one: its boot
            # ids start again at 1, so old keys will come back with new values
            events.append(("boot_counter_restarted", line.node_id, line.boot_id, line.seq,
                           f"the box says {note}: its boot ids start again"))
        return events

    def _rows(self, line: Kit1Line) -> str:
        """The line's rows without their timestamps (each row ends with a newline)."""
        keys = SENSOR_KEYS.get(line.sensor, {})
        sub = SUBSYSTEMS.get(line.sensor, "sensing")
        head = f"{line.node_id},{sub},{line.sensor},"
        tail = f",{line.boot_id},{line.seq},{line.uptime_ms},{line.status},"
        rows = []
        items = list(line.fields.items()) or [("status", line.status)]
        for key, value in items:
            # the value as the box wrote it, kept by parse_line (a hand-made line: as encoded)
            raw = line.texts.get(key) or format_value(value)
            flag = ""
            if isinstance(value, float):
                hrf = _hrf(raw)
                lo_hi = RANGES.get(key)
                if lo_hi and not lo_hi[0] <= value <= lo_hi[1] and value == value:
                    flag = "range"
            else:
                hrf = "NA"
            rows.append(f"{head}{key},{raw},{hrf},{keys.get(key, '')}{tail}{flag}\n")
            self.last_value = f"{line.node_id} {key}={raw}"
        return "".join(rows)


def sensors_table() -> str:
    """The ``sensors.csv`` rows (no header), one per known sensor parameter."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    for sensor, keys in SENSOR_KEYS.items():
        sub = SUBSYSTEMS.get(sensor, "sensing")
        branch = {"airsense": "/sensing/air_quality/", "metsense": "/sensing/meteorology/",
                  "lightsense": "/sensing/light/", "audio": "/sensing/sound/"}.get(sub, "/system/")
        for key, unit in keys.items():
            lo, hi = RANGES.get(key, ("", ""))
            out.writerow([branch + key, sub, sensor, key, unit, lo, hi, _DATASHEETS.get(sensor, "")])
    return buf.getvalue()


def _hrf(raw: str) -> str:
    """A number as sent, in its shortest form: ``21.50`` -> ``21.5``, ``nan`` -> ``NA``.

    Examples
    --------
    >>> [_hrf(x) for x in ("21.50", "100.00", "-0.00", "77", "nan", "0.05")]
    ['21.5', '100', '0', '77', 'NA', '0.05']
    """
    if raw == "nan":
        return "NA"
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
        if raw in ("-0", "-"):
            return "0"
    return raw


def day_files(out_dir: str | Path) -> list[Path]:
    """The log's per-day CSV files, oldest first."""
    return sorted(p for p in Path(out_dir).glob("*.csv")
                  if _DAY_FILE.match(p.name) and p.is_file())

"""A pytest plugin: hand the test files out longest first, so no worker finishes a run alone.

`make test` gives each of its workers whole files (``--dist loadfile``), the next file going to
whichever worker is free. pytest-xdist's own order is by number of tests, which put the files of a
few slow tests each (grading a whole class, building the site) last: one worker then ran them
alone for minutes while the other sat idle. Handing out the longest files first is the classic
remedy (longest-processing-time scheduling): what is left for the end is short.

The seconds per file are in ``tests/file_durations.json``, measured by a whole run::

    python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --record-file-durations

which rewrites the figures of the files it ran. A file not listed yet counts as a median file.
Stale figures cost time, never a test: every file still runs, each in its own order.

Under xdist the controller reads the figures once and hands them to every worker: workers that
read the file themselves, one before and one after another run rewrote it, would sort their tests
differently, and xdist aborts a run whose workers collected differently.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest

DURATIONS = Path(__file__).resolve().parent.parent / "tests" / "file_durations.json"


def pytest_addoption(parser):
    group = parser.getgroup("heaviest-first", "test files handed out longest first")
    group.addoption("--record-file-durations", action="store_true",
                    help="after the run, write each test file's seconds to the durations file")
    group.addoption("--file-durations", default=str(DURATIONS), metavar="PATH",
                    help=f"seconds per test file, read to order the run (default: tests/{DURATIONS.name})")


def file_of(nodeid: str) -> str:
    """The file a test belongs to, as pytest names it (``tests/test_x.py::test_y`` -> ``tests/test_x.py``).

    Examples
    --------
    >>> file_of("lessons/01-x/02-y.ipynb::Cell 3")
    'lessons/01-x/02-y.ipynb'
    """
    return nodeid.split("::", 1)[0]


def longest_first(files: list[str], seconds: dict[str, float]) -> list[str]:
    """``files`` ordered by their ``seconds``, longest first; unknown files count as the median one.

    Equal files keep the order they came in, so every worker computes the same order.

    Examples
    --------
    >>> longest_first(["a.py", "b.py", "new.py", "c.py"], {"a.py": 1.0, "b.py": 30.0, "c.py": 5.0})
    ['b.py', 'new.py', 'c.py', 'a.py']
    """
    typical = statistics.median(seconds.values()) if seconds else 0.0
    position = {f: i for i, f in enumerate(files)}
    return sorted(files, key=lambda f: (-seconds.get(f, typical), position[f]))


def read_durations(path: Path = DURATIONS) -> dict[str, float]:
    """The recorded seconds per file; nothing when the file is missing or unreadable (order is only speed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(f): seconds for f, s in data.items() if (seconds := _seconds(s)) is not None}


def _seconds(value) -> float | None:
    """``value`` as seconds if it is a finite number of them, else None (``true``, ``NaN``, ``-3``,
    a whole number too large for a float: a hand edit gone wrong, left out rather than trusted)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        seconds = float(value)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


#: the key of the figures the controller hands to each xdist worker
_WORKER_KEY = "heaviest_first_seconds"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist, in the controller: every worker sorts by the same figures, read once here."""
    node.workerinput[_WORKER_KEY] = read_durations(Path(node.config.getoption("file_durations")))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(file_of(item.nodeid), []).append(item)
    if len(files) < 2:
        return
    handed = getattr(config, "workerinput", {}).get(_WORKER_KEY)
    seconds = handed if handed is not None else read_durations(Path(config.getoption("file_durations")))
    items[:] = [item for f in longest_first(list(files), seconds) for item in files[f]]


class _Recorder:
    """Adds up setup, call and teardown seconds per file; writes them when the run ends."""

    def __init__(self, path: Path):
        self.path = path
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        self.seconds[file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session):
        try:
            with _folder_locked(self.path.parent):  # two runs recording at once: neither loses the other's files
                recorded = read_durations(self.path)
                recorded.update({f: round(s, 1) for f, s in self.seconds.items()})
                ordered = dict(sorted(recorded.items(), key=lambda kv: (-kv[1], kv[0])))
                # a name of its own: another run's half-written figures are never the ones moved in place
                fd, partial = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
                try:
                    os.fchmod(fd, 0o644)  # readable as the committed file is, not mkstemp's owner-only
                    with os.fdopen(fd, "w", encoding="utf-8") as out:
                        out.write(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n")
                    os.replace(partial, self.path)
                except BaseException:
                    Path(partial).unlink(missing_ok=True)
                    raise
        except OSError as err:  # a read-only checkout: the run's results stand, only the figures are not kept
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            message = f"heaviest-first: the test files' seconds were not written to {self.path}: {err}"
            if reporter is not None:
                reporter.write_line(message, yellow=True)


@contextmanager
def _folder_locked(folder: Path):
    """An exclusive lock on ``folder`` while the ``with`` lasts (none where there is no flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, the write is still atomic
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def pytest_configure(config):
    # only the process that sees every report records: the controller, or a run without workers
    if config.getoption("record_file_durations") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Recorder(Path(config.getoption("file_durations"))), "file-durations-recorder")

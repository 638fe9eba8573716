"""What a grading command shows the teacher: our sentences and a progress bar, nothing else.

nbgrader, traitlets, SQLAlchemy, the kernels and their debugger print warnings nobody in a
class can act on (about twenty lines around one progress bar). :func:`teacher_view` sends all of
it, from this process and every process it starts (grading workers, kernels), to a log file in
the course (``logs/sensorlab-grade.log``), and hands back the real terminal for what the teacher
should read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import sys
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "sensorlab-grade.log"


@contextlib.contextmanager
def teacher_view(root, command: str):
    """Redirect every other output of this process and its children to the course's log.

    Yields ``(out, err)``: text streams on the terminal's original standard output and error,
    for the command's own sentences and its progress bar. Standard output and error at the file
    descriptor level (what child processes inherit) and ``sys.stdout``/``sys.stderr`` point at
    the log meanwhile; Python warnings and every logger go there too.
    """
    path = Path(root) / LOG_DIR / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    log = open(path, "a", encoding="utf-8", buffering=1)
    log.write(f"\n==== {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC sensorlab grade {command}\n")
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    out = io.TextIOWrapper(os.fdopen(os.dup(saved[1]), "wb"), encoding="utf-8", line_buffering=True)
    err = io.TextIOWrapper(os.fdopen(os.dup(saved[2]), "wb"), encoding="utf-8", line_buffering=True)
    old_streams, old_warnings = (sys.stdout, sys.stderr), logging.captureWarnings
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root_logger = logging.getLogger()
    old_level = root_logger.level
    try:
        for fd in (1, 2):
            os.dup2(log.fileno(), fd)
        sys.stdout = sys.stderr = log
        logging.captureWarnings(True)
        root_logger.addHandler(handler)
        root_logger.setLevel(logging.INFO)
        yield out, err
    finally:
        for stream in (sys.stdout, sys.stderr, out, err):
            with contextlib.suppress(Exception):
                stream.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        sys.stdout, sys.stderr = old_streams
        old_warnings(False)
        root_logger.removeHandler(handler)
        root_logger.setLevel(old_level)
        for stream in (out, err):
            with contextlib.suppress(Exception):
                stream.close()
        log.close()


def log_path(root) -> Path:
    """Where :func:`teacher_view` writes, for the sentence that points the teacher at it."""
    return Path(root) / LOG_DIR / LOG_FILE

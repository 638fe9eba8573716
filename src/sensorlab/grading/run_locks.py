"""Who may grade now: a block of sandbox uids per grading run, and one run per course.

Both are ``flock`` locks held by an open file, so a run that crashes or is killed frees them
with its process: no stale lock ever blocks a teacher's re-run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sensorlab.errors import SensorLabError
from sensorlab.messages import text

__all__ = ["SLOT_UID", "SLOT_BLOCK", "SLOT_BLOCKS", "LOCK_FILE", "claim_uid_block", "claim_course"]

#: First uid of the worker slots' sandbox users (as root): a run holding uid block b runs slot
#: n's student code as SLOT_UID + b * SLOT_BLOCK + n.
SLOT_UID = 61000
SLOT_BLOCK = 64
#: How many grading runs may hold a uid block at once on one machine.
SLOT_BLOCKS = 64


def claim_uid_block(lock_dir: str | os.PathLike | None = None):
    """Hold a block of sandbox uids for this grading run: return its first uid and the lock.

    The lock (an ``flock`` on a file in a root-only folder) lasts until the returned file is
    closed or the process ends, so a crashed run frees its block too.
    """
    import fcntl

    folder = Path(lock_dir or Path(tempfile.gettempdir()) / "sensorlab-grade-uids")
    folder.mkdir(mode=0o700, exist_ok=True)
    for block in range(SLOT_BLOCKS):
        handle = open(folder / f"{block}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return SLOT_UID + block * SLOT_BLOCK, handle
    raise SensorLabError(f"{SLOT_BLOCKS} grading runs are already going on this machine: wait for one to end")


#: Held (``flock``) by the one grading run of a course; it names that run's process id.
LOCK_FILE = ".sensorlab-grading.lock"


def claim_course(root: Path):
    """Hold the course for this grading run, or refuse with a sentence naming the run holding it.

    Two runs on one course would each replace ``autograded/<student>/`` while the other copies
    into it and each rewrite ``grading-flags.json`` (one run's flags lost). The ``flock`` ends with
    the returned file or the process, so a killed run never leaves the course locked.
    """
    import fcntl

    handle = open(root / LOCK_FILE, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise SensorLabError(text("grade.course_busy", pid=holder, path=root)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle

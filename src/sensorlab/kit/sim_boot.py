"""The simulator's boot counter: each start of ``sensorlab simulate`` is a new boot.

A real box keeps a boot counter in flash (``kits/firmware/boot_counter.py``), so a box that
is switched off and on again sends a new ``boot_id`` and the logger can tell its lines from
the ones it sent before. The simulator does the same with a small file per node id in the
user's state folder (``$XDG_STATE_HOME/sensorlab``, else ``~/.local/state/sensorlab``).
Where that folder cannot be written, the boot id is the number of seconds since 2025-01-01,
which still grows from one start to the next.

Examples
--------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> next_boot_id("box-1", folder), next_boot_id("box-1", folder), next_boot_id("box-2", folder)
(1, 2, 1)
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

_EPOCH_2025 = 1735689600


def state_dir() -> Path:
    """Where the simulator keeps its boot counters."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "sensorlab"


def next_boot_id(node_id: str, directory: str | Path | None = None) -> int:
    """Count one more boot of simulated box ``node_id`` and return its number."""
    folder = Path(directory) if directory is not None else state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f"sim-boot-{node_id}.txt", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return int(time.time()) - _EPOCH_2025
    try:
        # two simulators started at once must not get the same number
        fcntl.flock(fd, fcntl.LOCK_EX)
        text = os.read(fd, 64).decode("ascii", "replace").strip()
        boot_id = (int(text) if text.isdigit() else 0) + 1
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{boot_id}\n".encode())
        return boot_id
    except OSError:
        return int(time.time()) - _EPOCH_2025
    finally:
        os.close(fd)

"""Cap memory and process count of a submission's whole process tree with a cgroup.

A resource limit (``setrlimit``) applies to each process on its own: six children of one
kernel could each hold the full memory limit. A cgroup counts them together. The grader makes
one child cgroup per submission below the cgroup it runs in (never elsewhere: a container or
a CI runner delegates only its own subtree), with:

- cgroup v2 (one unified hierarchy with the ``memory`` and ``pids`` controllers):
  ``memory.max``, ``memory.swap.max = 0``, ``pids.max``;
- cgroup v1 (separate ``memory`` and ``pids`` hierarchies): ``memory.limit_in_bytes``
  (and ``memory.memsw.limit_in_bytes`` where swap accounting exists), ``pids.max``.

Where neither can be written (not root, a read-only ``/sys/fs/cgroup``, macOS),
:func:`create` returns ``None`` and only the per-process limits apply;
:func:`available` says which, for the protections line.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from functools import lru_cache
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _own_paths() -> dict:
    """``{controller: path of this process's cgroup}``; ``""`` is the unified (v2) hierarchy."""
    out = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            out[name] = path
    return out


def _targets() -> list[tuple[Path, dict]]:
    """Where a child cgroup would go and what to write into it: ``[(parent folder, files)]``."""
    own = _own_paths()
    unified = CGROUP_ROOT / "cgroup.controllers"
    if unified.exists():  # pure v2
        parent = CGROUP_ROOT / own.get("", "/").lstrip("/")
        return [(parent, {"v2": True})]
    found = []
    for controller in ("memory", "pids"):
        if controller in own and (CGROUP_ROOT / controller).is_dir():
            found.append((CGROUP_ROOT / controller / own[controller].lstrip("/"), {"controller": controller}))
    return found


class TreeCap:
    """One submission's cgroup(s): :meth:`join` from the kernel's wrapper, :meth:`close` after."""

    def __init__(self, folders: list[Path]):
        self.folders = [Path(f) for f in folders]

    @property
    def paths(self) -> tuple:
        return tuple(str(f) for f in self.folders)

    def pids(self) -> list[int]:
        out = set()
        for folder in self.folders:
            try:
                out.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(out)

    def kill(self) -> None:
        """Kill every process of the tree (it may fork between a read and the kills: repeat)."""
        for folder in self.folders:
            if (folder / "cgroup.kill").exists():
                try:
                    (folder / "cgroup.kill").write_text("1")
                except OSError:
                    pass
        deadline = time.monotonic() + 10
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)

    def close(self) -> None:
        """Kill what is left and remove the cgroup folders."""
        self.kill()
        for folder in self.folders:
            deadline = time.monotonic() + 5
            while folder.exists():
                try:
                    folder.rmdir()
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.02)  # the kernel frees a cgroup a moment after its last process


def join(paths) -> None:
    """Move this process into the cgroups ``paths`` (its children follow)."""
    for path in paths:
        Path(path, "cgroup.procs").write_text(str(os.getpid()))


def create(memory_mb: int, nproc: int, prefix: str = "sensorlab-") -> TreeCap | None:
    """A new cgroup capping memory and processes of a tree, or ``None`` where none can be made."""
    made = []
    try:
        for parent, kind in _targets():
            folder = parent / f"{prefix}{uuid.uuid4().hex[:12]}"
            if kind.get("v2"):
                (parent / "cgroup.subtree_control").write_text("+memory +pids")
                folder.mkdir()
                made.append(folder)
                (folder / "memory.max").write_text(str(memory_mb * 2**20))
                if (folder / "memory.swap.max").exists():  # no escape into swap
                    (folder / "memory.swap.max").write_text("0")
                (folder / "pids.max").write_text(str(nproc))
            elif kind["controller"] == "memory":
                folder.mkdir()
                made.append(folder)
                (folder / "memory.limit_in_bytes").write_text(str(memory_mb * 2**20))
                if (folder / "memory.memsw.limit_in_bytes").exists():  # no escape into swap
                    (folder / "memory.memsw.limit_in_bytes").write_text(str(memory_mb * 2**20))
            else:
                folder.mkdir()
                made.append(folder)
                (folder / "pids.max").write_text(str(nproc))
    except OSError:
        TreeCap(made).close()
        return None
    if not _covers_both(made):
        TreeCap(made).close()
        return None
    return TreeCap(made)


def _covers_both(made: list[Path]) -> bool:
    if len(made) == 1:  # v2: one folder with both controllers
        return (made[0] / "memory.max").exists() and (made[0] / "pids.max").exists()
    return any((f / "memory.limit_in_bytes").exists() for f in made) and any((f / "pids.max").exists() for f in made)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether this process can make a capped cgroup (probed once by making and removing one)."""
    cap = create(64, 16, prefix="sensorlab-probe-")
    if cap is None:
        return False
    cap.close()
    return True

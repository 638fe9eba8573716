"""Copy and read files a student controls without following links or opening special files.

Everything under ``submitted/`` (and whatever student code leaves in its working folder) is
untrusted: a notebook may be a symlink to the course's ``gradebook.db`` or to a root-only file,
a folder may hold a fifo that blocks a reader, a device, or a file of many gigabytes. The
grader reads such places only through these functions, which open every file with
``O_NOFOLLOW | O_NONBLOCK``, accept regular files only (checked on the open descriptor, so a
link swapped in between a check and the open changes nothing), bound sizes and counts, and
refuse names a shell or a file browser would show misleadingly.

Examples
--------
>>> import os, tempfile
>>> src, dest = tempfile.mkdtemp(), tempfile.mkdtemp()
>>> _ = open(os.path.join(src, "data.csv"), "w").write("x\\n1\\n")
>>> os.symlink("/etc/passwd", os.path.join(src, "secret"))
>>> copy_plain_tree(src, os.path.join(dest, "copy"))
['secret: a link, not copied']
>>> sorted(os.listdir(os.path.join(dest, "copy")))
['data.csv']
"""

from __future__ import annotations

import fnmatch
import os
import stat

from sensorlab.messages import text

MAX_FILE_MB = 32      # one file of a submission (notebooks with plots are a few MB)
MAX_TOTAL_MB = 128    # a whole submission folder
MAX_ENTRIES = 2000    # files and folders in one submission
MAX_DEPTH = 8


class NotPlainFile(OSError):
    """The path is a link, a special file, too large, or cannot be opened safely."""

    def __str__(self) -> str:
        return self.strerror or "not a plain file"


def safe_name(name: str) -> bool:
    """Whether ``name`` is a file name the grader may recreate (printable, no path tricks)."""
    return (bool(name) and name not in (".", "..") and "/" not in name and not name.startswith("-")
            and len(name.encode("utf-8", "surrogateescape")) <= 200
            and all(ch.isprintable() for ch in name))


def _open_plain(path, max_bytes: int) -> tuple[int, int]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if os.path.islink(path):
            raise NotPlainFile(err.errno, text("grade.plainfile.is_link")) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotPlainFile(0, text("grade.plainfile.special"))
    if info.st_size > max_bytes:
        os.close(fd)
        raise NotPlainFile(0, text("grade.plainfile.too_large", mb=max_bytes // 2**20))
    return fd, info.st_size


def read_plain(path, max_bytes: int = MAX_FILE_MB * 2**20) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link) of at most ``max_bytes``."""
    fd, _ = _open_plain(path, max_bytes)
    try:
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > max_bytes:  # the file grew after the check
                raise NotPlainFile(0, text("grade.plainfile.too_large", mb=max_bytes // 2**20))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_new(path: str, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def copy_plain_tree(src, dest, ignore: tuple = (), file_mode: int = 0o644, dir_mode: int = 0o755,
                    max_file_mb: int = MAX_FILE_MB, max_total_mb: int = MAX_TOTAL_MB) -> list[str]:
    """Copy the regular files and folders under ``src`` into ``dest`` (created; may exist).

    Links, special files, oversized files, unsafe names and anything past the size, count or
    depth bounds are left out; the returned list says what was left out and why (``name:
    reason``), for a flag. ``ignore`` holds glob patterns of names not to copy (silently).
    Copies are new files with ``file_mode``: nothing is written through an existing path.
    """
    skipped: list[str] = []
    budget = {"bytes": max_total_mb * 2**20, "entries": MAX_ENTRIES}
    os.makedirs(dest, mode=dir_mode, exist_ok=True)
    _copy_level(os.fspath(src), os.fspath(dest), "", ignore, file_mode, dir_mode,
                max_file_mb * 2**20, budget, skipped, 0)
    return skipped


def _copy_level(src, dest, rel, ignore, file_mode, dir_mode, max_bytes, budget, skipped, depth):
    with os.scandir(src) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name, shown = entry.name, os.path.join(rel, entry.name)
            if any(fnmatch.fnmatch(name, pattern) for pattern in ignore):
                continue
            if not safe_name(name):
                skipped.append(text("grade.plainfile.bad_name", name=repr(shown)))
                continue
            budget["entries"] -= 1
            if budget["entries"] < 0:
                skipped.append(text("grade.plainfile.too_many", name=shown, count=MAX_ENTRIES))
                return
            if entry.is_symlink():
                skipped.append(text("grade.plainfile.link", name=shown))
            elif entry.is_dir(follow_symlinks=False):
                if depth >= MAX_DEPTH:
                    skipped.append(text("grade.plainfile.too_deep", name=shown, depth=MAX_DEPTH))
                    continue
                os.mkdir(os.path.join(dest, name), dir_mode)
                _copy_level(entry.path, os.path.join(dest, name), shown, ignore, file_mode, dir_mode,
                            max_bytes, budget, skipped, depth + 1)
            else:
                try:
                    data = read_plain(entry.path, min(max_bytes, max(budget["bytes"], 0)))
                except NotPlainFile as err:
                    skipped.append(text("grade.plainfile.refused", name=shown, why=err.strerror))
                    continue
                except OSError as err:
                    skipped.append(text("grade.plainfile.unreadable", name=shown, error=err.strerror))
                    continue
                budget["bytes"] -= len(data)
                _write_new(os.path.join(dest, name), data, file_mode)


def chmod_plain_tree(root, file_mode: int, dir_mode: int | None = None) -> None:
    """``chmod`` the regular files (and folders) under ``root`` without following any link.

    nbgrader's own ``set_permissions`` calls ``os.chmod`` on every name in the output folder,
    which follows a link a student's code left there to its target (a root-only file became
    world-readable). Here each file is opened with ``O_NOFOLLOW`` and changed through its
    descriptor; links and special files are left as they are.
    """
    for folder, dirs, files in os.walk(root):
        for name in files + (dirs if dir_mode is not None else []):
            path = os.path.join(folder, name)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue  # a link (ELOOP) or gone: leave it
            try:
                mode = os.fstat(fd).st_mode
                if stat.S_ISREG(mode):
                    os.fchmod(fd, file_mode)
                elif stat.S_ISDIR(mode) and dir_mode is not None:
                    os.fchmod(fd, dir_mode)
            finally:
                os.close(fd)

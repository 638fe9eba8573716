"""The package's one file checksum: the hex sha256 that registries and provenance records hold.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
>>> _ = path.write_bytes(b"")
>>> sha256(path)
'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["sha256"]


def sha256(path: str | Path) -> str:
    """Hex sha256 of a file, read in blocks (the standard library's ``hashlib.file_digest``)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()

"""Where the bundled synthetic year lives and whether its files are intact.

The bundle lives in ``sensorlab/data/city/`` so an editable install (and the notebooks) finds
it through the package, wherever the repository is. The sha256 of every file is in
``datasets/registry.txt`` (written by ``datasets/rebuild.py``), and a copy of it travels with
the files as ``registry.txt``; :func:`verify_bundle` checks every file against that copy.
Writing the bundle is :mod:`sensorlab.datasets.city_bundle_write`, reading it
:mod:`sensorlab.datasets.city_bundle_read`.

Examples
--------
>>> sorted(BUNDLE_FILES)[:2]
['meta.json', 'readings.parquet']
>>> verify_bundle()   # silent when every file matches
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sensorlab.digest import sha256
from sensorlab.errors import DataFormatError

__all__ = ["BUNDLE_FILES", "bundle_dir", "read_registry", "verify_bundle", "sha256"]

BUNDLE_FILES = ["readings.parquet", "truth.parquet", "sensors.csv", "sites.csv", "meta.json", "sample.csv"]


def bundle_dir() -> Path:
    """Folder of the bundled year inside the installed package."""
    return Path(str(resources.files("sensorlab.data").joinpath("city")))


def read_registry(path: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from a registry file (``<sha256>  <path>`` per line)."""
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataFormatError("expected '<sha256>  <path>'", path=str(path), row=number)
        entries[parts[1]] = parts[0]
    return entries


def verify_bundle(folder: Path | None = None) -> None:
    """Check every bundled file against the registry copy that travels with it."""
    folder = bundle_dir() if folder is None else folder
    registry = folder / "registry.txt"
    if not registry.exists():
        raise DataFormatError("the bundled city has no registry.txt; run datasets/rebuild.py", path=str(folder))
    by_name = {Path(k).name: v for k, v in read_registry(registry).items()}
    for name in BUNDLE_FILES:
        path = folder / name
        if name not in by_name:
            raise DataFormatError(f"{name} is not in the registry", path=str(registry))
        if not path.exists():
            raise DataFormatError("bundled file is missing; reinstall or run datasets/rebuild.py", path=str(path))
        if sha256(path) != by_name[name]:
            raise DataFormatError("sha256 does not match registry.txt (file changed or damaged); "
                                  "run datasets/rebuild.py", path=str(path))

"""Rebuild the bundled synthetic city and the registry of sha256 hashes.

Run from the repository root::

    .venv/bin/python datasets/rebuild.py           # regenerate, write, hash
    .venv/bin/python datasets/rebuild.py --check   # only verify the hashes

Every regeneration adds the files' full size to the repository history for good: rebuild
only when the generator changes (bump ``GENERATOR_VERSION`` in ``sensorlab/datasets/city.py``).
The bundle is written to ``src/sensorlab/data/city/`` (inside the package, so ``load_city``
finds it in any install); the registry to ``datasets/registry.txt`` and, as a copy that
travels with the files, ``src/sensorlab/data/city/registry.txt``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "datasets" / "registry.txt"


def write_registry(files: list[Path]) -> None:
    from sensorlab.digest import sha256

    lines = ["# sha256 of every bundled dataset file, written by datasets/rebuild.py; do not edit.",
             "# <sha256>  <path from the repository root>"]
    lines += [f"{sha256(f)}  {f.relative_to(REPO).as_posix()}" for f in sorted(files)]
    REGISTRY.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the bundled files' hashes")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from sensorlab.datasets.city import BUNDLED_PARAMS, BUNDLED_SEED, make_city
    from sensorlab.datasets.city_bundle_files import verify_bundle
    from sensorlab.datasets.city_bundle_write import write_bundle

    folder = REPO / "src" / "sensorlab" / "data" / "city"
    if args.check:
        verify_bundle(folder)
        print(f"ok: {folder} matches its registry")
        return 0
    started = time.perf_counter()
    city = make_city(BUNDLED_SEED, **BUNDLED_PARAMS)
    files = write_bundle(city, folder)
    write_registry(files)
    shutil.copyfile(REGISTRY, folder / "registry.txt")
    total = sum(f.stat().st_size for f in files)
    for f in files:
        print(f"{f.stat().st_size / 1e6:8.2f} MB  {f.relative_to(REPO)}")
    print(f"{total / 1e6:8.2f} MB in all, {time.perf_counter() - started:.1f} s; registry {REGISTRY.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

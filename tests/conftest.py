"""Shared fixtures: where the real Seoul files are, and isolation for tests that write files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# tests/ is not a package and pytest imports with --import-mode=importlib: shared helper modules
# here (named with a leading underscore, e.g. _grading_proofs) are imported by plain name.
sys.path.insert(0, str(Path(__file__).resolve().parent))
# Repository tooling (lesson checks, authoring, set-up) lives in tools/ at the top of the checkout,
# outside the installed package: tests import it as ``tools.*`` however pytest is started.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "real-data"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real Seoul files in ``../shared/real-data``, as a local mirror for ``fetch_*``.

    Skips with a reason where the folder is absent (a teacher's clone has no ``../shared``).
    Sets ``SENSORLAB_DATA_MIRROR`` so every fetch reads from it instead of the network.
    """
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data not available: {REAL_DATA} is absent (it exists in CI beside the repo)")
    os.environ["SENSORLAB_DATA_MIRROR"] = str(REAL_DATA)
    return REAL_DATA

"""Every committed assignment is what its builder writes: nobody edits grader/source*/ by hand.

The builders in grader/authoring/ are the assignments' one source (English and Korean from one
``build(lang)``). A notebook edited in place, or a builder edited without a rebuild, would let the
course a teacher grades drift from the code reviewers read; this rebuilds every assignment into a
scratch course and compares it byte for byte with the committed files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sensorlab.grading.course import SOURCE_DIRS

COURSE = Path(__file__).resolve().parents[1] / "grader"
BUILDERS = sorted((COURSE / "authoring").glob("build_0*.py"))


def test_there_is_a_builder_per_committed_assignment():
    built = set()
    for builder in BUILDERS:
        built.add(_module(builder).NAME)
    for folder in SOURCE_DIRS.values():
        committed = {p.name for p in (COURSE / folder).iterdir() if p.is_dir()}
        assert committed == built, f"{folder}: assignments without a builder or builders without one"


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda p: p.stem)
def test_rebuilding_reproduces_the_committed_sources(builder, tmp_path):
    module = _module(builder)
    written = module.write_editions(module.build, module.NAME, tmp_path)
    assert len(written) == len(SOURCE_DIRS)
    for path in written:
        committed = COURSE / path.relative_to(tmp_path)
        assert committed.is_file(), f"{committed} is not committed"
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed.relative_to(COURSE.parent)} differs from what {builder.name} writes: "
            f"run `.venv/bin/python grader/authoring/{builder.name}` and commit the result")


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(f"_builder_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

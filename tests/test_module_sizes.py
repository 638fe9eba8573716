"""Modules of ``src/sensorlab`` and of ``tools/`` over about 400 lines each do one job, named here (issue 16).

A long module is allowed only by an entry below that says its one job in a sentence. A new
module over the limit, or one that grows past it, fails until it is split or its one job is
written here (and a reviewer agrees it is one); an entry whose module has shrunk under the
limit or gone fails too, so the list stays a true picture of the long modules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sensorlab

SRC = Path(sensorlab.__file__).parent
#: The repository's tooling (lesson checks, set-up, stated numbers): kept to the same rule.
TOOLS = Path(__file__).resolve().parents[1] / "tools"
#: Lines above which a module must say its one job here.
LIMIT = 400

#: Module (relative to src/sensorlab) -> its one job. Keep the sentence true when you edit it.
ONE_JOB = {
    "calibration.py": "fit and judge a cheap sensor's calibration against its co-located station "
                      "(pairs, EPA correction, models, metrics, hold-out, bootstrap lines): module 06's method",
    "cleaning.py": "flag faulty readings, never delete them: one flag_* check per fault, flag_all combining "
                   "them, and the two uses of flags a cleaned series needs (mask them, resample keeping gaps); "
                   "scoring flags against the truth is flag_scores.py",
    "stats.py": "patterns in time and space (cycles, weekend effect, episodes, heat island) with the "
                "bootstrap intervals that say how sure each pattern is",
    "kit/simulator.py": "the seeded virtual sensor box: the firmware's own code over simulated sensors and faults, "
                        "and the line/truth streams drawn from it",
    "kit/logstore.py": "the logger's output directory: day files, rejects and events written append-only, with "
                       "the duplicate detection that writing exactly once needs",
    "grading/sandbox.py": "run one student kernel in a sandbox (bubblewrap, limits, private mounts, a clean "
                          "environment) and say which protections are in force",
    "datasets/compare.py": "the target statistics of `sensorlab data compare`: each computed by one function from "
                           "the real files and from a synthetic city, and judged against its stated tolerance",
    # owned by other engineers, under way (issue 16): their one job as it stands
    "datasets/readers.py": "read real S-DoT and station files in their publishers' formats into the tidy schema",
}


#: Module (relative to tools/) -> its one job, as ONE_JOB.
TOOLS_ONE_JOB = {
    "stated_numbers.py": "every number a lesson states is one the code computes: the claims lesson authors "
                         "register, the drift and coverage checks over the documents, and the fix that "
                         "rewrites drifted numbers",
}

#: Each folder held to the rule, with its list of long modules.
FOLDERS = {"src/sensorlab": (SRC, ONE_JOB), "tools": (TOOLS, TOOLS_ONE_JOB)}


def _long_modules(src: Path = SRC) -> dict[str, int]:
    out = {}
    for path in src.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            out[path.relative_to(src).as_posix()] = lines
    return out


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_long_module_says_its_one_job(folder):
    root, one_job = FOLDERS[folder]
    unexplained = {name: lines for name, lines in _long_modules(root).items() if name not in one_job}
    assert unexplained == {}, (f"modules of {folder} over {LIMIT} lines with no one-job entry: split them, or "
                               f"write their one job here: {unexplained}")


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_entry_is_still_a_long_module(folder):
    root, one_job = FOLDERS[folder]
    stale = sorted(set(one_job) - set(_long_modules(root)))
    assert stale == [], f"no longer over {LIMIT} lines (or gone) in {folder}: remove the entry: {stale}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_job_is_a_sentence_of_its_own(folder):
    root, one_job = FOLDERS[folder]
    for name, job in one_job.items():
        assert len(job.split()) >= 8, name
        assert (root / name).exists(), name


def test_the_tools_folder_is_counted():
    """The tools' count reaches real files (a wrong path would find no long module and pass)."""
    assert (TOOLS / "lessons.py").exists() and (TOOLS / "__init__.py").exists()
    assert set(_long_modules(TOOLS)) == set(TOOLS_ONE_JOB)


def test_the_count_sees_a_new_long_module(tmp_path):
    """The check itself: a long module nobody listed is found, a short one is not."""
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "two_jobs.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * LIMIT, encoding="utf-8")
    assert _long_modules(tmp_path) == {"kit/two_jobs.py": LIMIT + 1}

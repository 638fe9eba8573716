"""The classroom wheel (``pip install .``) holds the runtime package and none of the repository's tooling.

Lesson linting, the Korean-mirror checks, assignment authoring and proofs and the apt-get set-up
need a checkout of the repository; they live in ``tools/``. The wheel is built for real, from a
copy of the checkout (so the build's ``build/`` and ``*.egg-info`` never land in the working tree
another test is reading), and its file list is checked both ways: nothing of the tooling is in
it, and every file of ``src/sensorlab`` (messages, bundled data, Jupyter settings) is. Then the
unpacked wheel runs on its own, as a hub's ``pip install .`` does (deploy/README.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "sensorlab"
#: The box's firmware: students flash these files; the wheel carries a copy made at build time (setup.py).
FIRMWARE = REPO / "kits" / "firmware"
#: Repository tooling that must never reach a classroom, by file name anywhere in the wheel.
TOOLING_FILES = {"lessons.py", "korean_text.py", "setup_env.py", "stated_numbers.py", "lesson_plans.py",
                 "lesson_manifest.py", "lesson_checks.py", "korean_mirror.py", "notebook_cleaning.py", "prose_lint.py",
                 "readme_table.py"}
#: Moving to tools/ on the builders branch (issue 16, "The house").
AUTHORING_FILES = {"authoring.py", "proof.py"}

pytestmark = pytest.mark.slow


def build_wheel(source: Path, out: Path) -> Path:
    """Build ``source``'s wheel into ``out`` with this environment's setuptools; return its path.

    ``--no-build-isolation`` keeps the build offline: the pinned setuptools in the venv builds it
    instead of a fresh one downloaded into an isolated environment.
    """
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"pip wheel failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    wheels = list(out.glob("sensorlab-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {out}, found {wheels}\n{result.stderr}"
    return wheels[0]


def checkout_copy(dest: Path) -> Path:
    """Copy what the build reads (metadata, readme, ``setup.py``'s firmware hook, ``src/``, the kit's
    firmware) and ``tools/`` beside it, as in a checkout."""
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc", "node_modules")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "src", dest / "src", ignore=junk)
    shutil.copytree(REPO / "tools", dest / "tools", ignore=junk)
    shutil.copytree(FIRMWARE, dest / "kits" / "firmware", ignore=junk)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = checkout_copy(tmp_path_factory.mktemp("checkout"))
    return build_wheel(source, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def wheel_names(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _package_files() -> set[str]:
    return {f"sensorlab/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def test_wheel_holds_no_repository_tooling(wheel_names):
    top_level = {name.split("/", 1)[0] for name in wheel_names}
    assert top_level == {"sensorlab", "sensorlab-0.1.0.dist-info"}, f"unexpected top-level entries: {top_level}"
    shipped_tooling = [name for name in wheel_names if name.rsplit("/", 1)[-1] in TOOLING_FILES]
    assert shipped_tooling == [], f"repository tooling in the wheel: {shipped_tooling}"


def test_wheel_holds_no_assignment_authoring(wheel_names):
    shipped = [name for name in wheel_names if name.rsplit("/", 1)[-1] in AUTHORING_FILES]
    assert shipped == [], f"assignment authoring in the wheel: {shipped}"


def test_wheel_holds_everything_the_runtime_reads(wheel_names):
    """Every file of the package ships: modules, message catalogues, bundled data, Jupyter settings."""
    missing = sorted(_package_files() - set(wheel_names))
    assert missing == [], f"files of src/sensorlab missing from the wheel: {missing}"
    names = set(wheel_names)
    assert "sensorlab/jupyter/common/nbgrader_config.py" in names  # a config file, not a module, read by lab.py
    catalogues = [n for n in names if n.startswith("sensorlab/messages/") and n.endswith(".json")]
    assert len(catalogues) >= 20, f"message catalogues missing: {sorted(catalogues)}"
    assert any(n.startswith("sensorlab/data/city/") and n.endswith(".parquet") for n in names)


def _run_from_wheel(wheel_dir: Path, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` with the unpacked wheel's sensorlab first on the path, away from the checkout."""
    env = {k: v for k, v in os.environ.items() if k != "SENSORLAB_DATA_MIRROR"}
    env["PYTHONPATH"] = str(wheel_dir)
    prelude = (f"import sensorlab, pathlib; assert pathlib.Path(sensorlab.__file__).is_relative_to({str(wheel_dir)!r}), "
               "sensorlab.__file__\n")
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=wheel_dir, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def unpacked_wheel(wheel, tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(where)
    return where


def test_the_wheel_alone_loads_the_city_and_speaks_korean(unpacked_wheel):
    """A hub installs with ``pip install .`` (deploy/README.md): bundled data and messages come from the wheel."""
    result = _run_from_wheel(unpacked_wheel, (
        "from sensorlab import messages\n"
        "from sensorlab.datasets import load_city\n"
        "city = load_city(['pm25'], districts=['Jongno-gu'])\n"
        "assert len(city.readings) > 1000, len(city.readings)\n"
        "print(messages.text('check.wrong_value', lang='ko', what='평균', expected=3, got=4))\n"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip() == "평균: 3이어야 하는데, 지금은 4예요.", result.stdout


def test_the_wheel_carries_the_firmware_students_flash(wheel):
    """The simulator's copy is byte for byte kits/firmware's top-level modules; the Pi port and test bench stay out."""
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name.rsplit("/", 1)[-1]: archive.read(name) for name in archive.namelist()
                   if name.startswith("sensorlab/kit/firmware/")}
    flashed = {p.name: p.read_bytes() for p in FIRMWARE.glob("*.py")}
    assert "main.py" in flashed
    assert sorted(shipped) == sorted(flashed), f"wheel firmware {sorted(shipped)} != kits/firmware {sorted(flashed)}"
    changed = [name for name in flashed if shipped[name] != flashed[name]]
    assert changed == [], f"the wheel's firmware differs from kits/firmware in {changed}"


def test_the_wheel_alone_runs_the_simulated_box(unpacked_wheel):
    result = _run_from_wheel(unpacked_wheel, (
        "from sensorlab.kit import sim_firmware\n"
        "assert sim_firmware.FIRMWARE_DIR.is_relative_to(pathlib.Path(sensorlab.__file__).parent), "
        "sim_firmware.FIRMWARE_DIR\n"
        "from sensorlab.kit.simulator import lines\n"
        "print(next(iter(lines(seed=1, duration_s=30))))\n"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("$KIT1,"), result.stdout


def test_the_wheels_sensorlab_simulate_command_runs(unpacked_wheel):
    """``sensorlab simulate`` (what the kit guide and the notebooks' simulated boxes run), from the wheel alone."""
    result = _run_from_wheel(unpacked_wheel, (
        "import sys\n"
        "from sensorlab.cli import main\n"
        "sys.exit(main(['simulate', '--seed', '3', '--speed', '0', '--duration', '60']))\n"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    kit_lines = [line for line in result.stdout.splitlines() if line.startswith("$KIT1,")]
    assert len(kit_lines) >= 6, result.stdout


def test_the_wheels_commands_say_what_a_hub_lacks(unpacked_wheel, tmp_path):
    """From a wheel in an empty folder: ``--help`` works; the grader without a course and ``data compare``
    with a missing ``--real`` folder answer with the catalogue's sentence (no traceback), naming the way out."""
    empty = tmp_path / "home"
    empty.mkdir()
    script = ("import sys\nfrom sensorlab.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("SENSORLAB_DATA_MIRROR", "SENSORLAB_COURSE")}
    env["PYTHONPATH"] = str(unpacked_wheel)

    def sensorlab(*args, lang="en"):
        return subprocess.run([sys.executable, "-c", script, *args], cwd=empty, env=dict(env, SENSORLAB_LANG=lang),
                              capture_output=True, text=True, timeout=300)

    helped = sensorlab("--help")
    assert helped.returncode == 0, helped.stderr
    assert "simulate" in helped.stdout and "grade" in helped.stdout, helped.stdout
    for lang, needle in (("en", "set SENSORLAB_COURSE=DIR"), ("ko", "SENSORLAB_COURSE=폴더로 정하세요")):
        graded = sensorlab("grade", "autograde", "01-sensor-box", lang=lang)
        assert graded.returncode == 1, (graded.returncode, graded.stderr)
        assert "Traceback" not in graded.stderr and needle in graded.stderr, graded.stderr
    compared = sensorlab("data", "compare", "--real", str(empty / "missing"), "--no-discriminator")
    assert compared.returncode == 1, (compared.returncode, compared.stderr)
    assert "Traceback" not in compared.stderr, compared.stderr
    assert "no such folder" in compared.stderr and "sensorlab data fetch" in compared.stderr, compared.stderr

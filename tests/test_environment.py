"""environment.yml (conda classrooms) and pyproject.toml (pip, `make lab`) must not drift apart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def conda_to_pip(entry: str) -> Requirement:
    """Translate a conda match spec (``name >=1,<2`` / ``name ==1``) into a pip requirement."""
    name, _, spec = entry.partition(" ")
    return Requirement(name + spec.replace(" ", ""))


def environment_requirements() -> dict[str, Requirement]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    reqs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if not line.startswith("-e"):
                    r = Requirement(line)
                    reqs[canonicalize_name(r.name)] = r
        elif dep.split()[0] not in ("python", "pip"):
            r = conda_to_pip(dep)
            reqs[canonicalize_name(r.name)] = r
    return reqs


def pyproject_requirements(extra: str | None = None) -> dict[str, Requirement]:
    """The classroom's requirements (``dependencies``), or one extra's (``test``)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {canonicalize_name(Requirement(x).name): Requirement(x) for x in lines}


def lock_pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements" / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#", "-")):
            package, _, version = line.partition("==")
            pins[canonicalize_name(package)] = version.strip()
    return pins


def test_a_classroom_installs_no_test_stack():
    """environment.yml and the classroom lock (`make lab`) hold none of the test or site extras' packages."""
    test_only = set(pyproject_requirements("test")) | set(pyproject_requirements("site"))
    assert pyproject_requirements("test") and pyproject_requirements("site"), "pyproject.toml lacks an extra"
    assert not test_only & set(environment_requirements()), "environment.yml carries the test stack"
    assert not test_only & set(lock_pins("lock.txt")), "requirements/lock.txt carries the test stack"
    assert test_only <= set(lock_pins("lock-test.txt")), "requirements/lock-test.txt lacks the test stack"


def test_the_test_lock_pins_the_classroom_packages_alike():
    """`make test` tests the versions a classroom gets: every classroom pin is the same in both locks."""
    classroom, test = lock_pins("lock.txt"), lock_pins("lock-test.txt")
    assert set(pyproject_requirements()) <= set(classroom)
    differ = {name: (version, test.get(name)) for name, version in classroom.items() if test.get(name) != version}
    assert not differ, f"pinned differently in lock.txt and lock-test.txt: {differ}"


def test_same_packages_and_bounds():
    env, pip = environment_requirements(), pyproject_requirements()
    assert sorted(env) == sorted(pip), "a package is in one install path but not the other"
    for name in pip:
        assert env[name].specifier == pip[name].specifier, (
            f"{name}: environment.yml says {env[name].specifier}, pyproject.toml says {pip[name].specifier}")


def test_every_upper_bound_has_its_reason():
    for line in (REPO / "environment.yml").read_text(encoding="utf-8").splitlines():
        body, _, comment = line.partition("#")
        if re.search(r"(<|==)\s*\d", body):
            assert comment.strip(), f"upper bound without a reason: {line.strip()!r}"


def test_python_bound_matches_requires_python():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python "))
    assert project["requires-python"] in python.replace(" ", "")


@pytest.mark.slow
def test_every_environment_entry_resolves(tmp_path):
    """Conda cannot be reached here; pip's resolver proves the translated entries install together."""
    reqs = tmp_path / "env-requirements.txt"
    reqs.write_text("\n".join(str(r) for r in environment_requirements().values()) + "\n")
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
           "--disable-pip-version-check", "--report", str(tmp_path / "report.json"), "-r", str(reqs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PIP_NO_INPUT="1"))
    if proc.returncode != 0 and re.search(r"(Could not connect|Network is unreachable|"
                                          r"Temporary failure in name resolution|failed to fetch)",
                                          proc.stderr, re.I):
        pytest.skip(f"package registry unreachable: {proc.stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 0, proc.stderr[-3000:]

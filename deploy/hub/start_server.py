"""Start a Seoul Sensor Lab Jupyter server for JupyterHub, after pulling the curriculum in.

JupyterHub runs this, as the user, instead of ``jupyterhub-singleuser`` (``Spawner.cmd`` and
the course service in ``jupyterhub_config.py``). Running as the user means no file changes
owner and it works the same under LocalProcessSpawner, TLJH's systemd spawner (which creates
the ``jupyter-<name>`` account only just before the start) and Kubernetes (the curriculum
baked into the image).

- ``start_server.py [singleuser args]``: copy the files of ``$SENSORLAB_CURRICULUM/lessons``
  that ``~/sensor-lab/lessons`` lacks (never overwriting: a student's edits stay, new lessons
  appear after a ``git pull`` of the curriculum — nbgitpuller's rule), then become
  ``jupyterhub-singleuser``.
- ``start_server.py --course``: the course service. Copy the hand-written course
  (``grader/nbgrader_config.py`` and any ``source/<assignment>`` the course lacks) into
  ``$SENSORLAB_COURSE``, never touching the gradebook or the teacher's edits, then become
  ``jupyterhub-singleuser`` with the course folder as root, under ``/services/<course>/``.
"""

import os
import shutil
import sys
from pathlib import Path

SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")


def copy_missing(src: Path, dest: Path) -> int:
    """Copy the files of ``src`` that ``dest`` lacks; never overwrite. Returns how many."""
    copied = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        target = dest / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied += 1
    return copied


def pull_course(curriculum: Path, course: Path) -> list[str]:
    """Copy the course's config and any missing ``source/<assignment>`` folders; return them."""
    grader = curriculum / "grader"
    course.mkdir(parents=True, exist_ok=True)
    added = []
    if not (course / "nbgrader_config.py").exists():
        shutil.copy2(grader / "nbgrader_config.py", course / "nbgrader_config.py")
        added.append("nbgrader_config.py")
    for folder in sorted((grader / "source").iterdir()):
        target = course / "source" / folder.name
        if folder.is_dir() and not target.exists():
            shutil.copytree(folder, target, ignore=SKIP)
            added.append(f"source/{folder.name}")
    return added


def with_role_config(role: str | None) -> None:
    """Put the curriculum's config folder for ``role`` first on ``JUPYTER_CONFIG_PATH`` when
    the hub could not (Kubernetes: the hub pod has no sensorlab); the same folders
    ``python -m sensorlab.lab`` uses."""
    if not role:
        return
    from sensorlab.lab import config_dir

    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if config_dir(role) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([config_dir(role), *paths])


def main(argv: list[str]) -> None:
    with_role_config(os.environ.get("SENSORLAB_ROLE"))
    curriculum = Path(os.environ.get("SENSORLAB_CURRICULUM", Path(__file__).resolve().parents[2]))
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    args = [a for a in argv if a != "--course"]
    if "--course" in argv:
        course = Path(os.environ["SENSORLAB_COURSE"])
        added = pull_course(curriculum, course)
        print(f"sensorlab course service: {course} (added: {', '.join(added) or 'nothing'})",
              file=sys.stderr, flush=True)
        os.chdir(course)
        args = [f"--ServerApp.root_dir={course}", *args]
    elif (curriculum / "lessons").is_dir():
        n = copy_missing(curriculum / "lessons", Path.home() / "sensor-lab" / "lessons")
        print(f"sensorlab: {n} new lesson file(s) in ~/sensor-lab/lessons", file=sys.stderr, flush=True)
    os.execv(singleuser, [singleuser, "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                          *args])


if __name__ == "__main__":
    main(sys.argv[1:])

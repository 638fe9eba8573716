"""Start the course service: a Jupyter server on the nbgrader course, as the grader account.

JupyterHub runs this (``c.JupyterHub.services`` in ``jupyterhub_config.py``) as the grader
user, with ``SENSORLAB_COURSE`` (the course folder) and ``SENSORLAB_CURRICULUM`` (a clone of
the repository) set. On the first start the hand-written part of the course (``grader/``'s
``nbgrader_config.py`` and ``source/``) is copied in; later starts add only assignments the
course lacks, so the teacher's edits and the gradebook are never touched. Then it becomes
``jupyterhub-singleuser`` with the teacher role (formgrader on), served under
``/services/seoul-sensor-lab/``.
"""

import os
import shutil
import sys
from pathlib import Path


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
            shutil.copytree(folder, target,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            added.append(f"source/{folder.name}")
    return added


def main() -> None:
    course = Path(os.environ["SENSORLAB_COURSE"])
    added = pull_course(Path(os.environ["SENSORLAB_CURRICULUM"]), course)
    print(f"sensorlab course service: {course} (added: {', '.join(added) or 'nothing'})",
          file=sys.stderr, flush=True)
    os.chdir(course)
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    os.execv(singleuser, [singleuser, f"--ServerApp.root_dir={course}",
                          "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"])


if __name__ == "__main__":
    main()

"""Find the nbgrader course, load its configuration and drive nbgrader in-process.

Every nbgrader CLI call pays about 3 s of start-up; the toolkit and the tests call nbgrader's
Python API (:class:`nbgrader.apps.NbGraderAPI`) instead, on the course folder or on a
temporary copy of it (tests never write into the repository's ``grader/``).

Examples
--------
>>> root = find_course()
>>> "01-sensor-box" in assignments(root)
True
>>> load_config(root).CourseDirectory.course_id
'seoul-sensor-lab'
>>> source_dir(root, "ko").name, assignments(root, "ko") == assignments(root, "en")
('source-ko', True)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from sensorlab.checkout import checkout_root
from sensorlab.errors import SensorLabError

COURSE_ID = "seoul-sensor-lab"
CONFIG_FILE = "nbgrader_config.py"
#: Environment variable naming the course folder when it is not the repository's ``grader/``.
ENV_VAR = "SENSORLAB_COURSE"
#: Environment variable choosing the language of the release (read by ``nbgrader_config.py``).
LANG_ENV_VAR = "SENSORLAB_COURSE_LANG"
#: Where each language's source notebooks live; the assignment and notebook names are the same.
SOURCE_DIRS = {"en": "source", "ko": "source-ko"}


def find_course(start: str | os.PathLike | None = None) -> Path:
    """The course folder: ``start`` when given (``--course DIR``: a course folder or a
    repository holding ``grader/``), else ``$SENSORLAB_COURSE``, else the working directory
    or a parent of it holding ``nbgrader_config.py`` or ``grader/nbgrader_config.py``, else
    the repository's ``grader/`` beside this package (an editable install; a wheel has none).

    What the teacher typed wins over what the environment says: a ``--course`` given on the
    command line is never overridden by ``$SENSORLAB_COURSE``.
    """
    if start is not None:
        here = Path(start).resolve()
        candidates = [here, here / "grader"]
    elif os.environ.get(ENV_VAR):
        candidates = [Path(os.environ[ENV_VAR])]
    else:
        here = Path(start or Path.cwd()).resolve()
        candidates = [p / sub for p in (here, *here.parents) for sub in (".", "grader")]
        if checkout_root() is not None:  # a pip-installed package has no grader/ beside it
            candidates.append(checkout_root() / "grader")
    for path in candidates:
        if (path / CONFIG_FILE).is_file() and (path / "source").is_dir():
            return path.resolve()
    from sensorlab.messages import text

    # say which setting pointed at the wrong folder: the option typed, or the variable
    key = "grade.course_option" if start is not None else "grade.course_env" if os.environ.get(ENV_VAR) else "grade.course_none"
    raise SensorLabError(text(key, path=candidates[0], config=CONFIG_FILE, env=ENV_VAR))


def source_dir(root: str | os.PathLike, lang: str | None = None) -> Path:
    """The folder of source notebooks: ``source-ko/`` for ``lang="ko"``, ``source/`` for
    ``"en"``, else whichever the course's configuration chose (``$SENSORLAB_COURSE_LANG``)."""
    if lang is not None:
        if lang not in SOURCE_DIRS:
            raise SensorLabError(f"language must be one of {sorted(SOURCE_DIRS)}, not {lang!r}")
        return Path(root) / SOURCE_DIRS[lang]
    return Path(root) / load_config(root).CourseDirectory.get("source_directory", SOURCE_DIRS["en"])


def assignments(root: str | os.PathLike, lang: str | None = None) -> list[str]:
    """Assignment names: the folders of the source directory holding a notebook, sorted."""
    src = source_dir(root, lang)
    if not src.is_dir():
        return []
    return sorted(p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def load_config(root: str | os.PathLike, lang: str | None = None, **overrides):
    """The course's traitlets ``Config`` from its ``nbgrader_config.py``, plus overrides.

    ``lang`` ("en" or "ko") picks that language's source directory whatever the environment
    says. ``overrides`` are ``"Class.trait": value`` pairs passed as keyword arguments with the
    dot replaced by a double underscore, e.g. ``Execute__timeout=5``.
    """
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root)
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    if lang is not None:
        config.CourseDirectory.source_directory = source_dir(root, lang).name
    for key, value in overrides.items():
        section, trait = key.split("__", 1)
        setattr(getattr(config, section), trait, value)
    return config


def ensure_tools_on_path() -> None:
    """Put this Python's ``bin/`` first on ``PATH``: nbgrader runs the ``alembic`` command
    when it creates a gradebook, and a venv used without activation is not on ``PATH``."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def api(root: str | os.PathLike, lang: str | None = None, **overrides):
    """An :class:`nbgrader.apps.NbGraderAPI` for the course at ``root`` (``lang``: as in
    :func:`load_config`)."""
    ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root, lang, **overrides)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def copy_course(root: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Copy the hand-written part of a course (config, ``source/`` and ``source-ko/``) to ``dest``."""
    root, dest = Path(root), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / CONFIG_FILE, dest / CONFIG_FILE)
    for name in SOURCE_DIRS.values():
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def gradebook(root: str | os.PathLike):
    """The course's :class:`nbgrader.api.Gradebook` (a context manager), created on first use.

    Raises
    ------
    SensorLabError
        If the gradebook exists but cannot be read (damaged, not a database), with a sentence
        telling the teacher what to do; nothing is written to it.
    """
    ensure_tools_on_path()  # a new gradebook is stamped by nbgrader with the ``alembic`` command
    from nbgrader.api import Gradebook

    url = load_config(root).CourseDirectory.db_url
    try:
        book = Gradebook(url, COURSE_ID)
        book.students  # noqa: B018 - a query: a damaged file fails here, not half-way through a batch
    except Exception as err:  # noqa: BLE001 - SQLAlchemy, sqlite3 and alembic errors alike
        raise GradebookUnreadable(url, err) from None
    return book


class GradebookUnreadable(SensorLabError):
    """The gradebook exists but cannot be read; says what to do, keeps the cause in ``detail``."""

    def __init__(self, db_url: str, err: BaseException):
        from sensorlab.messages import text

        lines = str(getattr(err, "orig", None) or err).strip().splitlines()
        self.detail = (lines or [type(err).__name__])[0][:200]
        super().__init__(text("grade.gradebook_unreadable", db=db_url.removeprefix("sqlite:///"), error=self.detail))


def find_assignment(gb, name: str):
    """The gradebook's assignment ``name``; a name it does not know is said with the ones it does."""
    from nbgrader.api import MissingEntry

    from sensorlab.messages import text

    try:
        return gb.find_assignment(name)
    except MissingEntry:
        known = ", ".join(sorted(a.name for a in gb.assignments)) or "-"
        raise SensorLabError(text("grade.unknown_assignment", assignment=name, known=known)) from None


def check(result: dict, what: str) -> dict:
    """Raise a readable error when an NbGraderAPI call failed; return the result otherwise.

    The teacher gets nbgrader's own last error line, not its traceback (which goes to the log
    with the rest of nbgrader's output)."""
    import logging

    if not result.get("success"):
        details = f"{result.get('error') or ''}\n{result.get('log') or ''}"
        logging.getLogger("sensorlab.grade").error("nbgrader %s failed:\n%s", what, details)
        lines = [line.strip() for line in details.splitlines() if line.strip()]
        said = [line.removeprefix("[ERROR]").strip() for line in lines if line.startswith("[ERROR]")]
        raise SensorLabError(f"nbgrader {what} failed: {'; '.join(dict.fromkeys(said)) or (lines or ['?'])[-1]}")
    return result

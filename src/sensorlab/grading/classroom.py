"""A class on one machine: students fetch, submit and fetch feedback through the local exchange.

nbgrader's student commands assume one Linux account per student. On a shared school PC (one
account, a class taking turns) its default cache is shared, and ``nbgrader fetch_feedback``
fetched the feedback of every student who had submitted from that account into one folder.
Here every student works in a folder of their own (default ``~/sensorlab-work/<student id>``)
with an nbgrader cache of their own inside it, and every command names the student
explicitly, so feedback can only reach the student whose submission it answers.

The teacher's side, :func:`collect`, takes nbgrader's collect without its owner check (on one
account every submission is "owned by" that account, and nbgrader warned "cheating attempt?"
about each) and checks owners itself only where the check means something: when submissions
come from more than one account.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from sensorlab.errors import SensorLabError
from sensorlab.grading import course
from sensorlab.messages import text

_STUDENT_ID = re.compile(r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣._-]*$")
CACHE = ".nbgrader-cache"


def student_id(value: str | None) -> str:
    """The student id to act as: ``value``, else ``$SENSORLAB_STUDENT_ID``, else the login name."""
    import getpass

    from sensorlab.grading import variants

    sid = value or os.environ.get(variants.ENV_VAR) or getpass.getuser()
    if not _STUDENT_ID.match(sid):
        raise SensorLabError(text("grade.bad_student_id", student=sid))
    return sid


#: How Excel saves a CSV: "CSV UTF-8" (with BOM), or on Korean Windows "CSV (쉼표로 분리)" in CP949.
ROSTER_ENCODINGS = ("utf-8-sig", "cp949")
ROSTER_COLUMNS = ("id", "last_name", "first_name", "email")


def read_roster(path: Path) -> list[dict]:
    """The rows of a class list CSV as ``{"id", "last_name", "first_name", "email"}`` dicts.

    Reads what spreadsheets write: UTF-8 with or without BOM or Korean Windows' CP949, commas,
    semicolons or tabs, headers in any case (``ID``, ``Last Name``), blank lines, spaces around
    values. Refuses, naming the file and line, a row without an id, an id that ``fetch`` and
    ``submit`` would refuse, and an id given twice (the second row would silently replace the
    first student's name).
    """
    import csv

    def bad(line, problem):
        return SensorLabError(text("grade.roster_bad", path=path, line=line, problem=problem))

    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise bad(1, error.strerror or error) from None
    for encoding in ROSTER_ENCODINGS:
        try:
            lines = raw.decode(encoding).splitlines()
            break
        except UnicodeDecodeError:
            continue
    else:
        raise bad(1, text("grade.roster_encoding"))
    header = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(lines, delimiter=delimiter)
    names = [c.strip().lower().replace(" ", "_") for c in next(reader, [])]
    if "id" not in names:
        raise bad(1, text("grade.roster_no_id_column", found=", ".join(names) or "-"))
    table, seen = [], {}
    for values in reader:
        number = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = {k: v.strip() for k, v in zip(names, values) if k in ROSTER_COLUMNS}
        if not row.get("id"):
            raise bad(number, text("grade.roster_no_id"))
        try:
            student_id(row["id"])  # the same rule as fetch and submit
        except SensorLabError as error:
            raise bad(number, error) from None
        if row["id"] in seen:
            raise bad(number, text("grade.roster_duplicate", student=row["id"], first=seen[row["id"]]))
        seen[row["id"]] = number
        table.append(row)
    return table


def work_dir(student: str, folder: str | os.PathLike | None = None) -> Path:
    """The student's own working folder (created): ``folder``, else ``~/sensorlab-work/<student>``."""
    path = Path(folder).expanduser() if folder else Path.home() / "sensorlab-work" / student
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _student_config(root, student: str, assignment: str, folder: Path):
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.course_id = course.COURSE_ID
    c.CourseDirectory.root = str(folder)
    c.CourseDirectory.assignment_id = assignment
    c.CourseDirectory.student_id = student
    c.Exchange.root = course.load_config(root).Exchange.root
    c.Exchange.cache = str(folder / CACHE)  # per student: fetch_feedback looks at every cached submission
    c.Exchange.assignment_dir = str(folder)
    return c


def _run(name: str, config) -> None:
    """Start one of nbgrader's default exchange apps; its failure becomes a readable error."""
    import nbgrader.exchange.default as exchange
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError

    app = getattr(exchange, name)(coursedir=CourseDirectory(config=config),
                                  authenticator=Authenticator(config=config), config=config)
    try:
        app.start()
    except ExchangeError as err:
        raise SensorLabError(f"nbgrader {name.removeprefix('Exchange')}: {err}".strip()) from None


def fetch(root, assignment: str, student: str, folder: Path) -> Path:
    """Copy the released ``assignment`` into the student's folder; return its path."""
    if not (Path(course.load_config(root).Exchange.root) / course.COURSE_ID / "outbound" / assignment).is_dir():
        raise SensorLabError(text("grade.not_released", assignment=assignment))
    if (folder / assignment).exists():  # fetching again must never overwrite the student's answers
        raise SensorLabError(text("grade.already_fetched", student=student, assignment=assignment,
                                  path=folder / assignment))
    _run("ExchangeFetchAssignment", _student_config(root, student, assignment, folder))
    return folder / assignment


def submit(root, assignment: str, student: str, folder: Path) -> str:
    """Hand in the student's copy of ``assignment``; return the submission time (Seoul)."""
    _run("ExchangeSubmit", _student_config(root, student, assignment, folder))
    stamps = sorted((folder / CACHE / course.COURSE_ID).glob(f"{student}+{assignment}+*/timestamp.txt"))
    return _seoul(stamps[-1].read_text().strip()) if stamps else "?"


def fetch_feedback(root, assignment: str, student: str, folder: Path) -> list[Path]:
    """Fetch the released feedback of this student's own submissions; return the pages."""
    released = Path(course.load_config(root).Exchange.root) / course.COURSE_ID / "feedback"
    if not released.is_dir():  # nbgrader would say "Assignment not found at: .../feedback"
        return []
    _run("ExchangeFetchFeedback", _student_config(root, student, assignment, folder))
    return sorted((folder / assignment / "feedback").rglob("*.html"))


def _seoul(stamp: str) -> str:
    from nbgrader.utils import parse_utc

    from sensorlab.grading.deadline import seoul_text

    try:
        return seoul_text(parse_utc(stamp).replace(microsecond=0))
    except (ValueError, TypeError, OverflowError):
        return stamp


def _inbound(root, assignment: str) -> dict[str, tuple[int, str]]:
    """Latest inbound submission per student: ``{student: (owner uid, timestamp text)}``."""
    inbound = Path(course.load_config(root).Exchange.root) / course.COURSE_ID / "inbound"
    latest: dict[str, tuple[str, int]] = {}
    for path in inbound.glob(f"*+{assignment}+*"):
        parts = path.name.rsplit("+", 3)
        if len(parts) >= 3 and (parts[0] not in latest or parts[2] > latest[parts[0]][0]):
            latest[parts[0]] = (parts[2], path.stat().st_uid)
    return {s: (uid, stamp) for s, (stamp, uid) in latest.items()}


def owner_warnings(root, assignment: str) -> list[str]:
    """One sentence per submission made from another account than its student's.

    Only where submissions come from more than one account: on a shared PC (one account for
    the class) the owner says nothing about who handed the work in.
    """
    import pwd

    seen = _inbound(root, assignment)
    if len({uid for uid, _ in seen.values()}) < 2:
        return []
    out = []
    for student, (uid, _) in sorted(seen.items()):
        try:
            owner = pwd.getpwuid(uid).pw_name
        except KeyError:
            owner = str(uid)
        if owner != student:
            out.append(text("grade.owner_mismatch", student=student, owner=owner))
    return out


def collect(root, assignment: str) -> list[str]:
    """Collect the latest submission of every student into ``submitted/``; return the lines
    that tell the teacher who handed in when (Seoul time, hours late), then owner warnings."""
    api = course.api(root, CollectApp__check_owner=False, ExchangeCollect__check_owner=False)
    course.check(api.collect(assignment), f"collect {assignment}")
    with course.gradebook(root) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except Exception:  # noqa: BLE001 - MissingEntry: no due date yet
            due = None
    lines = []
    for student, (_, stamp) in sorted(_inbound(root, assignment).items()):
        late = ""
        if due is not None:
            from nbgrader.utils import parse_utc

            hours = (parse_utc(stamp).replace(tzinfo=None) - due) / dt.timedelta(hours=1)
            late = text("grade.late_by", hours=hours) if hours > 0 else ""
        lines.append(text("grade.collected_one", student=student, when=_seoul(stamp), late=late))
    return lines + owner_warnings(root, assignment)

"""``sensorlab grade ...``: the teacher's grading commands (nbgrader underneath).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sensorlab")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["grade", "autograde", "01-sensor-box", "--jobs", "2"])
>>> args.assignment, args.jobs, args.func.__name__, args.lang
('01-sensor-box', 2, '_autograde', None)
>>> parser.parse_args(["grade", "due", "01-sensor-box", "2027-03-19 17:00"]).date
'2027-03-19 17:00'
>>> parser.parse_args(["grade", "release", "01-sensor-box", "--lang", "ko"]).lang
'ko'
"""

from __future__ import annotations

from pathlib import Path


def _root(args) -> Path:
    import os

    from sensorlab.grading import course

    if getattr(args, "lang", None):
        # the same setting nbgrader_config.py reads, so every nbgrader call in this process
        # (generate, autograde, feedback) uses that language's source directory
        os.environ[course.LANG_ENV_VAR] = args.lang
    # --course is what the teacher typed: it wins over $SENSORLAB_COURSE
    return course.find_course(args.course) if args.course else course.find_course()


def _teacher(func):
    """Run a teacher's command with nbgrader's noise in the course log, not on the screen."""
    def run(args) -> int:
        from sensorlab.grading.console import teacher_view

        root = _root(args)
        with teacher_view(root, args.grade_command) as (out, err):
            return func(args, root, out, err)
    run.__name__ = func.__name__
    return run


def _student(func):
    """Run a student's command in their own folder, with nbgrader's messages in its log."""
    def run(args) -> int:
        from sensorlab.grading import classroom
        from sensorlab.grading.console import teacher_view

        root = _root(args)
        student = classroom.student_id(args.student)
        folder = classroom.work_dir(student, args.dir)
        with teacher_view(folder, args.grade_command) as (out, err):
            return func(args, root, student, folder, out)
    run.__name__ = func.__name__
    return run


@_teacher
def _release(args, root, out, err) -> int:
    from sensorlab.grading import course
    from sensorlab.messages import text

    api = course.api(root)
    course.check(api.generate_assignment(args.assignment), f"generate_assignment {args.assignment}")
    print(text("grade.generated", path=root / "release" / args.assignment, source=course.source_dir(root).name),
          file=out)
    if not args.no_exchange:
        exchange = course.load_config(root).Exchange.root
        again = (Path(exchange) / course.COURSE_ID / "outbound" / args.assignment).is_dir()
        # releasing again (a typo fixed) replaces the released copy: nbgrader's advice,
        # "add --force", names an option sensorlab has not got; submissions are not touched
        forced = course.api(root, ExchangeReleaseAssignment__force=True)
        course.check(forced.release_assignment(args.assignment), f"release_assignment {args.assignment}")
        print(text("grade.released", assignment=args.assignment, exchange=exchange), file=out)
        if again:
            print(text("grade.released_again", assignment=args.assignment), file=out)
    return 0


@_teacher
def _due(args, root, out, err) -> int:
    import datetime as dt

    from sensorlab.grading import course, deadline
    from sensorlab.messages import text

    stored = deadline.set_due(root, args.assignment, args.date)
    print(deadline.describe(args.assignment, stored), file=out)
    if args.date is not None and stored < dt.datetime.now(dt.timezone.utc).replace(tzinfo=None):
        percent = course.load_config(root).PercentPerDayLate.get("percent_per_day", 10.0)
        print(text("grade.due_past", percent=percent), file=err)
    if args.date is not None:
        with course.gradebook(root) as gb:
            graded = len(course.find_assignment(gb, args.assignment).submissions)
        if graded:  # nbgrader computed their late penalties with the old date
            print(text("grade.due_regrade", count=graded, assignment=args.assignment), file=err)
    return 0


@_teacher
def _roster(args, root, out, err) -> int:
    from sensorlab.grading import classroom, course
    from sensorlab.messages import text

    path = Path(args.csv)
    table = classroom.read_roster(path)
    with course.gradebook(root) as gb:
        for row in table:
            gb.update_or_create_student(row["id"], last_name=row.get("last_name") or None,
                                        first_name=row.get("first_name") or None, email=row.get("email") or None)
        count = len(gb.students)
    print(text("grade.roster_imported", count=count, path=path), file=out)
    return 0


@_student
def _fetch(args, root, student, folder, out) -> int:
    from sensorlab.grading import classroom
    from sensorlab.messages import text

    path = classroom.fetch(root, args.assignment, student, folder)
    print(text("grade.fetched", student=student, assignment=args.assignment, path=path), file=out)
    return 0


@_student
def _submit(args, root, student, folder, out) -> int:
    from sensorlab.grading import classroom
    from sensorlab.messages import text

    when = classroom.submit(root, args.assignment, student, folder)
    print(text("grade.submitted", student=student, assignment=args.assignment, when=when), file=out)
    return 0


@_student
def _fetch_feedback(args, root, student, folder, out) -> int:
    from sensorlab.errors import SensorLabError
    from sensorlab.grading import classroom
    from sensorlab.messages import text

    pages = classroom.fetch_feedback(root, args.assignment, student, folder)
    if not pages:
        raise SensorLabError(text("grade.no_feedback", student=student, assignment=args.assignment))
    for page in pages:
        print(text("grade.feedback_fetched", student=student, assignment=args.assignment, path=page), file=out)
    return 0


@_teacher
def _collect(args, root, out, err) -> int:
    from sensorlab.grading import classroom
    from sensorlab.messages import text

    lines = classroom.collect(root, args.assignment)
    count = len(list((root / "submitted").glob(f"*/{args.assignment}")))
    print(text("grade.collected", count=count, assignment=args.assignment, path=root / "submitted"), file=out)
    for line in lines:
        print(line, file=out)
    return 0


@_teacher
def _autograde(args, root, out, err) -> int:
    from sensorlab.errors import SensorLabError
    from sensorlab.grading import course, reasons
    from sensorlab.grading.autograde import autograde
    from sensorlab.grading.console import log_path
    from sensorlab.grading.sandbox import Limits, protections
    from sensorlab.messages import text

    if not args.student and not list((root / "submitted").glob(f"*/{args.assignment}")):
        raise SensorLabError(text("grade.no_submissions", assignment=args.assignment, path=root / "submitted"))
    with course.gradebook(root):
        pass  # a gradebook that cannot be read stops here, before any work is done
    limits = Limits(timeout_s=args.timeout, cell_timeout_s=args.cell_timeout, memory_mb=args.memory)
    print(protections(), file=err)
    outcomes = autograde(root, args.assignment, jobs=args.jobs, limits=limits,
                         students=args.student or None, progress=err)
    who, error = _unrecorded(root, args.assignment, outcomes)
    flagged = {s: o for s, o in outcomes.items() if o.flags}
    print(text("grade.summary", count=len(outcomes) - len(who), assignment=args.assignment,
               flagged=len(flagged)), file=out)
    for student, outcome in sorted(flagged.items()):
        for flag in outcome.flags:
            print(text("grade.flag_line", student=student, kind=flag.kind, reason=flag.reason.rstrip("."),
                       action=reasons.action(flag.kind)), file=out)
    print(text("grade.log_at", path=log_path(root)), file=err)
    if who:
        db = course.load_config(root).CourseDirectory.db_url.removeprefix("sqlite:///")
        raise SensorLabError(text("grade.not_recorded", count=len(who), total=len(outcomes),
                                  assignment=args.assignment, db=db, error=error,
                                  who=", ".join(who[:5]) + (", ..." if len(who) > 5 else "")))
    return 0


def _unrecorded(root, assignment: str, outcomes: dict):
    """``(students, reason)``: who of ``outcomes`` has no grades in the gradebook after a run."""
    from nbgrader.api import MissingEntry

    from sensorlab.messages import text

    from sensorlab.grading import course

    try:
        with course.gradebook(root) as gb:
            who = []
            for student, outcome in sorted(outcomes.items()):
                try:
                    gb.find_submission(assignment, student)
                except MissingEntry:
                    who.append(student)
                    continue
                if not outcome.recorded:
                    who.append(student)
    except course.GradebookUnreadable as err:
        return sorted(outcomes), err.detail
    return who, text("grade.missing_from_gradebook")


@_teacher
def _feedback(args, root, out, err) -> int:
    from sensorlab.grading import course
    from sensorlab.grading.feedback import generate_feedback
    from sensorlab.messages import text

    from sensorlab.errors import SensorLabError

    if not list((root / "autograded").glob(f"{args.student or '*'}/{args.assignment}")):
        raise SensorLabError(text("grade.not_autograded", assignment=args.assignment))
    generate_feedback(root, args.assignment, args.student)
    pages = list((root / "feedback").glob(f"*/{args.assignment}/*.html"))
    print(text("grade.feedback_written", count=len(pages), assignment=args.assignment, path=root / "feedback"),
          file=out)
    if not args.no_exchange:
        course.check(course.api(root).release_feedback(args.assignment, args.student),
                     f"release_feedback {args.assignment}")
        print(text("grade.feedback_released", assignment=args.assignment), file=out)
    return 0


@_teacher
def _report(args, root, out, err) -> int:
    from sensorlab.grading.report import report
    from sensorlab.messages import text

    path, warnings = report(root, args.assignment, args.out)
    print(text("grade.report_written", path=path), file=out)
    for warning in warnings:
        print(f"warning: {warning}", file=err)
    return 0


@_teacher
def _export(args, root, out, err) -> int:
    from sensorlab.grading.export import NO_SUBMISSION, export, late_warnings, ungraded_warnings
    from sensorlab.messages import text

    path, table = export(root, args.out or root / "exports" / "grades.csv", args.assignment or None)
    print(text("grade.exported", path=path, rows=len(table),
               missing=sum(r["flags"] == NO_SUBMISSION for r in table)), file=out)
    for warning in ungraded_warnings(table) + late_warnings(root, table):
        print(f"warning: {warning}", file=err)
    return 0


def register(subparsers) -> None:
    """Add ``sensorlab grade`` and its subcommands."""
    grade = subparsers.add_parser("grade", help="release, autograde, report and export (nbgrader)")
    sub = grade.add_subparsers(dest="grade_command", metavar="ACTION", required=True)

    def add(name, func, help_):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--course", help="course folder (default: grader/ of this repository)")
        p.add_argument("--lang", choices=["en", "ko"], default=None,
                       help="release language: ko uses the Korean sources in source-ko/ "
                            "(default: $SENSORLAB_COURSE_LANG, else en)")
        p.set_defaults(func=func)
        return p

    p = add("release", _release, "generate the student version and release it (--lang ko: Korean)")
    p.add_argument("assignment")
    p.add_argument("--no-exchange", action="store_true",
                   help="only generate release/ (hand it out by USB stick or the school LMS)")
    p = add("due", _due, "set (or show) an assignment's due date, in Seoul time")
    p.add_argument("assignment")
    p.add_argument("date", nargs="?", default=None,
                   help='e.g. "2027-03-19 17:00" (Seoul time; KST, +09:00, +0900, Asia/Seoul or UTC may follow)')
    p = add("roster", _roster, "add the class list to the gradebook (CSV: id,last_name,first_name[,email])")
    p.add_argument("csv")
    for name, func, help_ in [("fetch", _fetch, "student: fetch a released assignment into your own folder"),
                              ("submit", _submit, "student: hand in your copy of an assignment"),
                              ("fetch-feedback", _fetch_feedback, "student: fetch the feedback on your own submission")]:
        p = add(name, func, help_)
        p.add_argument("assignment")
        p.add_argument("--student", default=None,
                       help="your student id (default: $SENSORLAB_STUDENT_ID, else your login name)")
        p.add_argument("--dir", default=None, help="your working folder (default: ~/sensorlab-work/<student id>)")
    p = add("collect", _collect, "collect the latest submission of every student from the exchange")
    p.add_argument("assignment")
    p = add("autograde", _autograde, "grade all submissions in parallel, with limits and flags")
    p.add_argument("assignment")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel workers (default: CPU cores)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--timeout", type=float, default=300, help="seconds per submission (default 300)")
    p.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    p.add_argument("--memory", type=int, default=2048, help="MB per submission (default 2048)")
    p = add("feedback", _feedback, "feedback HTML without hidden tests, released to the students")
    p.add_argument("assignment")
    p.add_argument("--student", default=None)
    p.add_argument("--no-exchange", action="store_true",
                   help="only write feedback/ (hand the pages out yourself)")
    p = add("report", _report, "class report (HTML + PNG)")
    p.add_argument("assignment")
    p.add_argument("--out", default=None)
    p = add("export", _export, "grades of the whole roster as an Excel-safe CSV (UTF-8 with BOM)")
    p.add_argument("assignment", nargs="*")
    p.add_argument("--out", default=None)

"""``sensorlab grade ...``: the teacher's grading commands (nbgrader underneath).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="sensorlab")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["grade", "autograde", "01-sensor-box", "--jobs", "2"])
>>> args.assignment, args.jobs, args.func.__name__, args.lang
('01-sensor-box', 2, '_autograde', None)
>>> parser.parse_args(["grade", "release", "01-sensor-box", "--lang", "ko"]).lang
'ko'
"""

from __future__ import annotations

import sys
from pathlib import Path


def _root(args) -> Path:
    import os

    from sensorlab.grading import course

    if getattr(args, "lang", None):
        # the same setting nbgrader_config.py reads, so every nbgrader call in this process
        # (generate, autograde, feedback) uses that language's source directory
        os.environ[course.LANG_ENV_VAR] = args.lang
    return course.find_course(args.course) if args.course else course.find_course()


def _release(args) -> int:
    from sensorlab.grading import course

    root = _root(args)
    api = course.api(root)
    course.check(api.generate_assignment(args.assignment), f"generate_assignment {args.assignment}")
    print(f"generated {root / 'release' / args.assignment} from {course.source_dir(root).name}/")
    if not args.no_exchange:
        course.check(api.release_assignment(args.assignment), f"release_assignment {args.assignment}")
        print(f"released {args.assignment} to the exchange")
    return 0


def _autograde(args) -> int:
    from sensorlab.grading.autograde import autograde
    from sensorlab.grading.sandbox import Limits, protections

    limits = Limits(timeout_s=args.timeout, cell_timeout_s=args.cell_timeout, memory_mb=args.memory)
    print(protections(), file=sys.stderr)
    outcomes = autograde(_root(args), args.assignment, jobs=args.jobs, limits=limits,
                         students=args.student or None)
    flagged = {s: o for s, o in outcomes.items() if o.flags}
    print(f"graded {len(outcomes)} submissions of {args.assignment}; {len(flagged)} flagged")
    for student, outcome in sorted(flagged.items()):
        for flag in outcome.flags:
            print(f"  {student}: {flag.kind}: {flag.reason}")
    return 0


def _feedback(args) -> int:
    from sensorlab.grading.feedback import generate_feedback

    generate_feedback(_root(args), args.assignment, args.student)
    print(f"feedback written to {_root(args) / 'feedback'} (hidden tests removed)")
    return 0


def _report(args) -> int:
    from sensorlab.grading.report import build_report

    print(build_report(_root(args), args.assignment, args.out))
    return 0


def _export(args) -> int:
    from sensorlab.grading.export import export_csv

    root = _root(args)
    print(export_csv(root, args.out or root / "exports" / "grades.csv", args.assignment or None))
    return 0


def _selfcheck(args) -> int:
    import tempfile

    from sensorlab.grading import course, proof

    root = _root(args)
    failed = 0
    for name in args.assignment or course.assignments(root):
        with tempfile.TemporaryDirectory() as tmp:
            result = proof.prove(root, name, tmp)
        key = result.auto_total(proof.SOLUTION_STUDENT)
        blank = result.auto_total(proof.BLANK_STUDENT)
        weak = [w["name"] for w in result.wrong if result.auto_total(w["student"]) >= result.full]
        ok = key == result.full and blank == 0 and not weak and len(result.wrong) >= 3
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: source {key:g}/{result.full:g}, release {blank:g}, "
              f"{len(result.wrong)} wrong answers" + (f"; full marks for: {', '.join(weak)}" if weak else ""))
    return 1 if failed else 0


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
    p = add("autograde", _autograde, "grade all submissions in parallel, with limits and flags")
    p.add_argument("assignment")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel workers (default: CPU cores)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--timeout", type=float, default=300, help="seconds per submission (default 300)")
    p.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    p.add_argument("--memory", type=int, default=2048, help="MB per submission (default 2048)")
    p = add("feedback", _feedback, "generate feedback HTML without hidden tests")
    p.add_argument("assignment")
    p.add_argument("--student", default=None)
    p = add("report", _report, "class report (HTML + PNG)")
    p.add_argument("assignment")
    p.add_argument("--out", default=None)
    p = add("export", _export, "grades as an Excel-safe CSV (UTF-8 with BOM)")
    p.add_argument("assignment", nargs="*")
    p.add_argument("--out", default=None)
    p = add("selfcheck", _selfcheck, "prove assignments grade correctly (source full, blank zero)")
    p.add_argument("assignment", nargs="*")

"""The lesson tools' command line: the README's lesson table, lesson checks, notebook cleaning, prose lint.

Command line::

    python -m tools.lessons            # regenerate the table in lessons/README.md
    python -m tools.lessons --check    # exit 1 and say why if any lesson or the table is off
    python -m tools.lessons clean NB…  # strip outputs, execution counts and stray metadata
    python -m tools.lessons clean --check NB…  # exit 1 naming each notebook that is not clean
    python -m tools.lessons refresh NB…  # run, then keep only NBVAL_CHECK_OUTPUT outputs
    python -m tools.lessons lint [--report FILE]  # speech level, doubled brackets, titles

The work is done by :mod:`tools.readme_table`, :mod:`tools.lesson_checks` (with
:mod:`tools.korean_mirror`), :mod:`tools.notebook_cleaning` and :mod:`tools.prose_lint`, over the
lessons of :mod:`tools.lesson_manifest`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.lesson_checks import notebook_problems
from tools.lesson_manifest import LESSONS, load_manifest
from tools.readme_table import READMES, lesson_table, render_readme
from tools.notebook_cleaning import clean_file, refresh_notebook
from tools.prose_lint import prose_report, render_prose_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lessons", description=__doc__.split("\n")[0])
    parser.add_argument("action", nargs="?", default="table", choices=["table", "clean", "refresh", "lint"])
    parser.add_argument("--report", type=Path, help="lint: also write the problems, per file, to this file")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--root", type=Path, default=LESSONS, help="the lessons folder")
    parser.add_argument("--check", action="store_true", help="report problems, a stale table or (clean) a dirty notebook; change nothing")
    args = parser.parse_intermixed_args(argv)  # `clean --check NB…` as well as `clean NB… --check`
    if args.action == "refresh":
        for path in args.notebooks:
            refresh_notebook(path)
            print(f"refresh: {path}")
        return 0
    if args.action == "clean":
        dirty = [path for path in args.notebooks if clean_file(path, write=not args.check)]
        for path in dirty:
            print(f"{path}: {'not clean (outputs, execution counts or metadata)' if args.check else 'cleaned'}")
        # --check (make test, CI) fails on a dirty notebook; cleaning succeeds, and the pre-commit
        # hook still stops the commit because the file changed under it
        return 1 if args.check and dirty else 0
    modules = load_manifest(args.root)
    if args.action == "lint":
        report = prose_report(modules, args.root)
        text = render_prose_report(report)
        if args.report:
            args.report.write_text(text, encoding="utf-8")
        print(text if report else "lessons: prose fine")
        return 1 if report else 0
    stale = []
    for lang, name in READMES.items():
        readme_path = args.root / name
        readme = readme_path.read_text(encoding="utf-8")
        wanted = render_readme(readme, lesson_table(modules, lang))
        if wanted == readme:
            continue
        if args.check:
            stale.append(f"{readme_path}: lesson table is stale; run python -m tools.lessons")
        else:
            readme_path.write_text(wanted, encoding="utf-8")
            print(f"updated the lesson table in {readme_path}")
    if args.check:
        problems = [p for m in modules for lesson in m.lessons for p in notebook_problems(lesson)] + stale
        print("\n".join(problems) or "lessons: all fine")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

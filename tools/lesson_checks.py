"""Everything a lesson notebook gets wrong: its header and footer, the exercise → check → solution
pattern, alt text for every figure, code that reaches outside the package, dirt, and its Korean mirror.

:func:`notebook_problems` lists the problems of one lesson of the manifest;
``python -m tools.lessons --check`` and ``tests/test_lessons_structure.py`` run it over them all.
"""

from __future__ import annotations

import re

import nbformat

from tools.korean_mirror import mirror_problems
from tools.lesson_manifest import Lesson, LessonFormatError, cell_tags, parse_footer, parse_header
from tools.notebook_cleaning import cleanliness_problems

#: A markdown line giving a figure's alt text (in the markdown cell just before or after it).
ALT_TEXT = re.compile(r"^\s*(?:>\s*)?\*\*(?:Alt text|대체 텍스트):\*\*\s*(?P<text>.+)$", re.M)
#: Code that draws a figure or an explorer (which shows one), so it needs alt text.
FIGURE_CODE = re.compile(r"\bplt\.|\.plot\(|\.hist\(|\.scatter\(|\bplotting\.(?!OKABE|PM25|pm25_grade|axis_label)"
                         r"|\b\w*explorer\(|\bdraw_\w+\(")  # any explorer widget or draw_* figure helper, whichever module holds it


def figure_problems(nb) -> list[str]:
    """Figure-drawing code cells without alt text in the markdown cell just before or after."""
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "solution" in cell_tags(cell) or not FIGURE_CODE.search(cell.source):
            continue
        neighbours = [cells[j] for j in (i - 1, i + 1) if 0 <= j < len(cells) and cells[j].cell_type == "markdown"]
        alts = [m["text"] for c in neighbours for m in ALT_TEXT.finditer(c.source)]
        if not alts:
            problems.append(f"cell {i + 1}: draws a figure but neither neighbouring markdown cell has an "
                            "'**Alt text:** …' line")
        elif max(len(a.split()) for a in alts) < 8:
            problems.append(f"cell {i + 1}: alt text is too short to describe the figure (8 words at least)")
    return problems


EXERCISE_CALL = re.compile(r"check\.exercise\(\s*[\"'](?P<id>[^\"']+)[\"']")
SOLUTION_CALL = re.compile(r"check\.solution\(\s*[\"'](?P<id>[^\"']+)[\"']")


def exercise_problems(nb, number: str) -> tuple[list[str], list[str]]:
    """Check the exercise → check → solution pattern; return (problems, exercise ids)."""
    problems, ids = [], []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if "exercise" not in cell_tags(cell):
            continue
        here = f"cell {i + 1}"
        prose = next((c for c in reversed(cells[:i]) if c.cell_type == "markdown"), None)
        heading = re.search(r"^###\s+(?:Exercise|연습).*\((core|university|기본|대학)\)", prose.source if prose else "", re.M)
        if not heading:
            problems.append(f"{here}: the markdown before an exercise needs a '### Exercise … (core)' or "
                            "'(university)' heading")
        if "..." not in cell.source:
            problems.append(f"{here}: an exercise cell leaves '...' where the student's code goes")
        follow = cells[i + 1:i + 3]
        if len(follow) < 2 or "check" not in cell_tags(follow[0]) or "solution" not in cell_tags(follow[1]):
            problems.append(f"{here}: an exercise cell must be followed by a 'check' cell, then a 'solution' cell")
            continue
        check_id, solution_id = EXERCISE_CALL.search(follow[0].source), SOLUTION_CALL.search(follow[1].source)
        if not check_id or not solution_id or check_id["id"] != solution_id["id"]:
            problems.append(f"{here}: the check cell calls check.exercise(ID, …) and the solution cell "
                            "check.solution(ID, …) with the same ID")
            continue
        if not check_id["id"].startswith(number + "-"):
            problems.append(f"{here}: exercise id {check_id['id']!r} must start with the lesson number {number}-")
        if not follow[1].get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            problems.append(f"cell {i + 3}: a solution cell is collapsed for students (metadata jupyter.source_hidden)")
        ids.append(check_id["id"])
    return problems, ids


def code_problems(nb) -> list[str]:
    """Code that reaches outside the package: relative paths up the tree, sys.path edits."""
    problems = []
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code" and re.search(r"\.\./|sys\.path|os\.chdir", cell.source):
            problems.append(f"cell {i}: uses ../ paths, sys.path or os.chdir; import from sensorlab instead")
    return problems


def notebook_problems(lesson: Lesson) -> list[str]:
    """Everything wrong with one lesson notebook (empty when it is fine)."""
    if not lesson.path.exists():
        return [f"{lesson.path}: listed in manifest.yml but missing"]
    nb = nbformat.read(lesson.path, as_version=4)
    problems = []
    try:
        header = parse_header(nb)
        if header.number != lesson.number:
            problems.append(f"header number {header.number} but the manifest makes it {lesson.number}")
    except LessonFormatError as err:
        problems.append(str(err))
    try:
        parse_footer(nb)
    except LessonFormatError as err:
        problems.append(str(err))
    problems += cleanliness_problems(nb) + figure_problems(nb) + exercise_problems(nb, lesson.number)[0]
    problems += code_problems(nb)
    if lesson.korean_path.exists():
        ko = nbformat.read(lesson.korean_path, as_version=4)
        mirror = mirror_problems(nb, ko)
        own = cleanliness_problems(ko) + figure_problems(ko) + exercise_problems(ko, lesson.number)[0]
        problems += [f"Korean edition: {p}" for p in mirror + own + code_problems(ko)]
    return [f"{lesson.path.relative_to(lesson.root.parent)}: {p}" for p in problems]


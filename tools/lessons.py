"""The lesson manifest, the lesson header and footer, and the README's lesson table.

``lessons/manifest.yml`` is the one ordered list of modules and notebooks. Every notebook opens
with a header cell and closes with a footer cell in a fixed, machine-checkable shape (see
``lessons/CONTRIBUTING.md``); :func:`notebook_problems` lists everything a lesson gets wrong, and
``tests/test_lessons_structure.py`` runs it over the manifest.

Command line::

    python -m tools.lessons            # regenerate the table in lessons/README.md
    python -m tools.lessons --check    # exit 1 and say why if any lesson or the table is off
    python -m tools.lessons clean NB…  # strip outputs, execution counts and stray metadata
    python -m tools.lessons clean --check NB…  # exit 1 naming each notebook that is not clean
    python -m tools.lessons refresh NB…  # run, then keep only NBVAL_CHECK_OUTPUT outputs
    python -m tools.lessons lint [--report FILE]  # speech level, doubled brackets, titles

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook()
>>> nb.cells = [nbformat.v4.new_markdown_cell(EXAMPLE_HEADER), nbformat.v4.new_markdown_cell(EXAMPLE_FOOTER)]
>>> h = parse_header(nb)
>>> h.number, h.title, h.teaching, h.exercises, len(h.objectives)
('03.2', 'Groupby and resampling', 15, 20, 2)
>>> parse_footer(nb).key_points
['`groupby` splits, applies, combines.']
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from tools import korean_text

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "lessons"
#: The Korean release of the nbgrader assignments (written by grader/authoring/build_*.py).
ASSIGNMENTS_KO = REPO / "grader" / "source-ko"
TABLE_START, TABLE_END = "<!-- lesson-table:start -->", "<!-- lesson-table:end -->"

#: Header and footer section headings, English and Korean (the Korean edition mirrors them).
HEADER_SECTIONS = {"overview": ("Overview", "개요"), "objectives": ("Learning objectives", "학습 목표"),
                   "prerequisites": ("Prerequisites", "선수 학습"), "time": ("Time", "시간"),
                   "data": ("Data used", "사용 데이터")}
FOOTER_SECTIONS = {"key_points": ("Key points", "핵심 정리"), "next": ("What's next", "다음 단계"),
                   "credits": ("Data credits", "데이터 출처")}
TIME_PATTERNS = {"teaching": r"(?:Teaching|수업)\s*:\s*(\S+)\s*(?:min|분)",
                 "exercises": r"(?:Exercises|실습)\s*:\s*(\S+)\s*(?:min|분)"}
#: A markdown line giving a figure's alt text (in the markdown cell just before or after it).
ALT_TEXT = re.compile(r"^\s*(?:>\s*)?\*\*(?:Alt text|대체 텍스트):\*\*\s*(?P<text>.+)$", re.M)
#: Code that draws a figure or an explorer (which shows one), so it needs alt text.
FIGURE_CODE = re.compile(r"\bplt\.|\.plot\(|\.hist\(|\.scatter\(|\bplotting\.(?!OKABE|PM25|pm25_grade|axis_label)"
                         r"|\b\w*explorer\(|\bdraw_\w+\(")  # any explorer widget or draw_* figure helper, whichever module holds it
ALLOWED_NB_METADATA = {"kernelspec", "language_info"}
ALLOWED_CELL_METADATA = {"tags", "jupyter", "editable", "deletable"}
CHECK_OUTPUT_MARK = "NBVAL_CHECK_OUTPUT"
#: nbval honours the marker only as a comment line of its own.
_CHECK_OUTPUT_LINE = re.compile(r"^\s*#\s*NBVAL_CHECK_OUTPUT\s*$", re.M)


def checks_output(cell) -> bool:
    """Whether nbval compares this code cell's output (a ``# NBVAL_CHECK_OUTPUT`` line)."""
    return bool(_CHECK_OUTPUT_LINE.search(cell.source))

EXAMPLE_HEADER = """# 03.2 Groupby and resampling

## Overview
Average many readings into one per district or per day.

## Learning objectives
- Group readings by district with `groupby`.
- Resample a time series to daily means.

## Prerequisites
| Concept | Importance | Notes |
|---|---|---|
| [03.1 Selecting rows and columns](01-selecting-rows-and-columns.ipynb) | Necessary | |

## Time
- Teaching: 15 min
- Exercises: 20 min

## Data used
The bundled synthetic city (`load_city()`).
"""
EXAMPLE_FOOTER = """## Key points
- `groupby` splits, applies, combines.

## What's next
[03.3 Time-series plots](03-time-series-plots.ipynb).

## Data credits
Synthetic data made by Seoul Sensor Lab.
"""


@dataclass
class Lesson:
    """One notebook of the manifest."""

    module: str          # "03"
    module_slug: str     # "exploring-the-city"
    stem: str            # "02-groupby-and-resampling"
    root: Path = LESSONS

    @property
    def number(self) -> str:
        """``"03.2"``: module number, then the notebook's own number."""
        return f"{self.module}.{int(self.stem[:2])}"

    @property
    def folder(self) -> Path:
        return self.root / f"{self.module}-{self.module_slug}"

    @property
    def path(self) -> Path:
        return self.folder / f"{self.stem}.ipynb"

    @property
    def korean_path(self) -> Path:
        return self.folder / f"{self.stem}.ko.ipynb"


@dataclass
class Module:
    number: str
    slug: str
    title: str
    title_ko: str = ""
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def folder_name(self) -> str:
        return f"{self.number}-{self.slug}"


@dataclass
class Header:
    number: str
    title: str
    overview: str
    objectives: list[str]
    prerequisites: str
    teaching: int
    exercises: int
    data: str


@dataclass
class Footer:
    key_points: list[str]
    next: str
    credits: str


class LessonFormatError(ValueError):
    """A lesson header, footer or manifest entry is not in the agreed shape."""


def load_manifest(root: Path = LESSONS) -> list[Module]:
    """The modules and lessons of ``root/manifest.yml``, in teaching order."""
    path = Path(root) / "manifest.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    modules = []
    for i, entry in enumerate(raw.get("modules") or []):
        try:
            number, slug, title = str(entry["number"]), entry["slug"], entry["title"]
        except (KeyError, TypeError) as err:
            raise LessonFormatError(f"{path}: module entry {i + 1} lacks {err}") from err
        module = Module(number, slug, title, entry.get("title_ko", ""))
        module.lessons = [Lesson(number, slug, str(stem), Path(root)) for stem in entry.get("notebooks") or []]
        modules.append(module)
    return modules


def _sections(markdown: str) -> dict[str, str]:
    """Map each ``## Heading`` of a markdown cell to the text under it."""
    parts = re.split(r"^##\s+(.+?)\s*$", markdown, flags=re.M)
    return {parts[i].strip().rstrip("?"): parts[i + 1].strip() for i in range(1, len(parts), 2)}


def _find(sections: dict[str, str], names: tuple[str, ...], where: str) -> str:
    for name in names:
        if name in sections:
            return sections[name]
    raise LessonFormatError(f"{where}: no '## {names[0]}' section (Korean: '## {names[1]}')")


def _bullets(text: str) -> list[str]:
    return [m.strip() for m in re.findall(r"^\s*[-*]\s+(.+)$", text, flags=re.M)]


def _cells(nb, kind="markdown"):
    return [c for c in nb.cells if c.cell_type == kind]


def parse_header(nb) -> Header:
    """Parse the first markdown cell of a lesson; raise :class:`LessonFormatError` if incomplete."""
    cells = _cells(nb)
    if not cells or nb.cells[0].cell_type != "markdown":
        raise LessonFormatError("the first cell must be the markdown header")
    source = cells[0].source
    title = re.match(r"#\s+(\d\d\.\d+)\s+(.+)", source.strip())
    if not title:
        raise LessonFormatError("header: the first line must be '# NN.M Title', e.g. '# 03.2 Groupby and resampling'")
    sections = _sections(source)
    where = f"header of {title[1]}"
    times = _find(sections, HEADER_SECTIONS["time"], where)
    minutes = {}
    for name, pattern in TIME_PATTERNS.items():
        found = re.search(pattern, times)
        if not found or not found[1].isdigit():
            raise LessonFormatError(f"{where}: '## Time' needs '{name.capitalize()}: N min' with a whole number N")
        minutes[name] = int(found[1])
    objectives = _bullets(_find(sections, HEADER_SECTIONS["objectives"], where))
    if not objectives:
        raise LessonFormatError(f"{where}: learning objectives must be a bullet list")
    return Header(title[1], title[2].strip(), _find(sections, HEADER_SECTIONS["overview"], where), objectives,
                  _find(sections, HEADER_SECTIONS["prerequisites"], where), minutes["teaching"],
                  minutes["exercises"], _find(sections, HEADER_SECTIONS["data"], where))


def parse_footer(nb) -> Footer:
    """Parse the last cell of a lesson (markdown); raise :class:`LessonFormatError` if incomplete."""
    if not nb.cells or nb.cells[-1].cell_type != "markdown":
        raise LessonFormatError("the last cell must be the markdown footer")
    sections = _sections(nb.cells[-1].source)
    points = _bullets(_find(sections, FOOTER_SECTIONS["key_points"], "footer"))
    if not points:
        raise LessonFormatError("footer: key points must be a bullet list")
    return Footer(points, _find(sections, FOOTER_SECTIONS["next"], "footer"),
                  _find(sections, FOOTER_SECTIONS["credits"], "footer"))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def cleanliness_problems(nb) -> list[str]:
    """Outputs, execution counts and metadata that must not be committed."""
    problems = [f"notebook metadata {key!r} (only {sorted(ALLOWED_NB_METADATA)} allowed)"
                for key in nb.metadata if key not in ALLOWED_NB_METADATA]
    for i, cell in enumerate(nb.cells, 1):
        extra = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if extra:
            problems.append(f"cell {i}: stray metadata {sorted(extra)}")
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None and not checks_output(cell):
                problems.append(f"cell {i}: execution count {cell.execution_count} (commit notebooks clean)")
            if checks_output(cell) and cell.get("outputs") and cell.get("execution_count") != 1:
                problems.append(f"cell {i}: a checked cell keeps execution count 1 (nbval skips unrun cells); "
                                "run python -m tools.lessons refresh")
            if cell.get("outputs") and not checks_output(cell):
                problems.append(f"cell {i}: has outputs but no '# {CHECK_OUTPUT_MARK}' marker")
    return problems


def figure_problems(nb) -> list[str]:
    """Figure-drawing code cells without alt text in the markdown cell just before or after."""
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "solution" in _tags(cell) or not FIGURE_CODE.search(cell.source):
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
        if "exercise" not in _tags(cell):
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
        if len(follow) < 2 or "check" not in _tags(follow[0]) or "solution" not in _tags(follow[1]):
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


#: Lines a Korean notebook adds to its imports cell (and nothing else may differ in code).
KOREAN_SETUP = re.compile(r'^\s*(from sensorlab import messages\s*;?\s*)?(messages\.set_language\(\s*["\']ko["\']\s*\)\s*)?$')
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_PROSE = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){3,}")  # four English words in a row


def code_skeleton(source: str, korean: bool = False) -> list[tuple[int, str]]:
    """The code with comments dropped and every string literal blanked: what both editions share.

    A Korean edition may translate comments and strings (messages, labels, titles) and add
    ``from sensorlab import messages; messages.set_language("ko")``; anything else differs in
    behaviour and must not.

    >>> code_skeleton('ax.set_title("PM2.5 by hour")  # why') == code_skeleton('ax.set_title("시간별 PM2.5")')
    True
    >>> code_skeleton("x = 1") == code_skeleton("x = 2")
    False
    """
    import io
    import tokenize

    from IPython.core.inputtransformer2 import TransformerManager

    lines = source.splitlines()
    if korean:
        lines = [line for line in lines if not (line.strip() and KOREAN_SETUP.match(line))]
    python = TransformerManager().transform_cell("\n".join(lines))  # magics become calls
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
    try:
        return [(t.type, "'…'" if t.type == tokenize.STRING else t.string)
                for t in tokenize.generate_tokens(io.StringIO(python).readline) if t.type not in skip]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(0, line.split("#")[0].strip()) for line in python.splitlines() if line.split("#")[0].strip()]


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^(#{1,6})\s", markdown, flags=re.M)


def _section_keys(markdown: str, table: dict[str, tuple[str, str]]) -> tuple[set, set]:
    """Which canonical sections a header/footer has, and which of them use the Korean heading."""
    found = _sections(markdown)
    keys = {key for key, names in table.items() if any(n in found for n in names)}
    korean = {key for key, names in table.items() if names[1] in found}
    return keys, korean


def mirror_problems(english, korean) -> list[str]:
    """Everything that makes a Korean notebook not mirror its English one (empty when it does).

    Cell for cell: the same types, tags, nbgrader metadata and cell flags; code identical except
    comments and strings (see :func:`code_skeleton`); markdown with the same heading levels and
    written in Korean; the header and footer with the same sections under their Korean names.
    """
    if len(english.cells) != len(korean.cells):
        return [f"Korean edition has {len(korean.cells)} cells, English {len(english.cells)}"]
    problems = []
    for i, (en, ko) in enumerate(zip(english.cells, korean.cells), 1):
        if en.cell_type != ko.cell_type or _tags(en) != _tags(ko):
            problems.append(f"cell {i}: type/tags differ ({en.cell_type} {_tags(en)} vs {ko.cell_type} {_tags(ko)})")
            continue
        en_meta, ko_meta = en.get("metadata", {}), ko.get("metadata", {})
        for key in ("nbgrader", "jupyter", "editable", "deletable"):
            if en_meta.get(key) != ko_meta.get(key):
                problems.append(f"cell {i}: metadata {key!r} differs ({en_meta.get(key)} vs {ko_meta.get(key)})")
        if en.cell_type == "code":
            if code_skeleton(en.source) != code_skeleton(ko.source, korean=True):
                problems.append(f"cell {i}: code differs beyond comments and strings; change both editions")
        elif en.cell_type == "markdown":
            if _headings(en.source) != _headings(ko.source):
                problems.append(f"cell {i}: headings differ ({_headings(en.source)} vs {_headings(ko.source)})")
            if _PROSE.search(en.source) and not _HANGUL.search(ko.source):
                problems.append(f"cell {i}: markdown not translated (no Hangul)")
    if not problems and english.cells:
        for where, cell, table in (("header", 0, HEADER_SECTIONS), ("footer", -1, FOOTER_SECTIONS)):
            en_keys, _ = _section_keys(english.cells[cell].source, table)
            ko_keys, ko_named = _section_keys(korean.cells[cell].source, table)
            if en_keys != ko_keys:
                problems.append(f"{where}: sections differ ({sorted(en_keys)} vs {sorted(ko_keys)})")
            elif ko_named != ko_keys:
                problems.append(f"{where}: use the Korean headings for {sorted(ko_keys - ko_named)} "
                                f"({', '.join(table[k][1] for k in sorted(ko_keys - ko_named))})")
    return problems


def document_mirror_problems(english: str, korean: str) -> list[str]:
    """What makes a Korean markdown document (teacher guide, README) not mirror its English one.

    The same headings at the same levels in the same order, the same number of code blocks and
    table rows, and prose in Korean.

    >>> document_mirror_problems("# Guide\\n## Plan\\nTeach it.", "# 안내서\\n## 계획\\n가르칩니다.")
    []
    >>> document_mirror_problems("# Guide\\n## Plan\\nTeach it.", "# 안내서\\n가르칩니다.")
    ["headings differ: English has ['#', '##'], Korean ['#']"]
    """
    def outline(text):
        body = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)  # a '# comment' in code is no heading
        return (_headings(body), len(re.findall(r"^```", text, flags=re.M)),
                len(re.findall(r"^\s*\|", body, flags=re.M)))

    (en_h, en_code, en_rows), (ko_h, ko_code, ko_rows) = outline(english), outline(korean)
    problems = []
    if en_h != ko_h:
        problems.append(f"headings differ: English has {en_h}, Korean {ko_h}")
    if en_code != ko_code:
        problems.append(f"code fences differ: English {en_code}, Korean {ko_code}")
    if en_rows != ko_rows:
        problems.append(f"table rows differ: English {en_rows}, Korean {ko_rows}")
    if len(_HANGUL.findall(korean)) < len(re.findall(r"[A-Za-z]{3,}", english)) // 10:
        problems.append("mostly untranslated (too little Hangul for the English text)")
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


# --- prose lints: one speech level, one bracket per word, one title per lesson ----------------

#: Speech levels a document may use (see :mod:`tools.korean_text`): a student notebook speaks
#: 해요체; a teacher guide 합니다체 or 해요체, one of them throughout.
STUDENT_REGISTERS, GUIDE_REGISTERS = ("해요",), ("해요", "합니다")


def _where(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def notebook_prose_problems(path: Path) -> list[str]:
    """Sentences of a lesson notebook's markdown cells out of 해요체 (Korean edition) and
    doubled brackets (both editions), each as ``file: cell N: what: the sentence``."""
    nb = nbformat.read(path, as_version=4)
    korean = str(path).endswith(".ko.ipynb")
    problems = []
    for n, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "markdown":
            continue
        found = korean_text.register_problems(cell.source, STUDENT_REGISTERS) if korean else []
        found += [f"doubled brackets: {b}" for b in korean_text.doubled_brackets(cell.source)]
        problems += [f"{_where(path)}: cell {n}: {p}" for p in found]
    return problems


def _visible_strings(source: str) -> list[str]:
    """The string literals of a code cell a student sees: not comments, not the solution (replaced
    for students), not the hidden tests (stripped from the release)."""
    import io
    import tokenize

    source = source.split("### BEGIN HIDDEN TESTS")[0]
    source = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", source, flags=re.S)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return re.findall(r"\"[^\"\n]*\"|'[^'\n]*'", source)
    return [t.string for t in tokens if t.type == tokenize.STRING]


def _string_text(literal: str) -> str:
    """A literal's words: prefix and quotes dropped, ``{...}`` fields blanked ("{name}이에요")."""
    text = re.sub(r"^[rRbBuUfF]*(\"\"\"|'\'\'|\"|')|(\"\"\"|'\'\'|\"|')$", "", literal)
    return re.sub(r"\{[^{}\n]*\}", " 값 ", text) if re.match(r"[rRbBuU]*[fF]", literal) else text


def assignment_prose_problems(path: Path) -> list[str]:
    """Korean student text of an assignment notebook out of 해요체, and doubled brackets: its
    markdown (not the model answers of written questions, which students never see) and the
    strings of its visible code (set-up messages, test docstrings and assertion messages), not
    its hidden tests or comments. Each problem as ``file: cell N: what: the sentence``."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    for n, cell in enumerate(nb.cells, 1):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and not meta.get("solution"):
            texts = [cell.source]
        elif cell.cell_type == "code":
            texts = [_string_text(s) for s in _visible_strings(cell.source)]
        else:
            continue
        for text in texts:
            found = korean_text.register_problems(text, STUDENT_REGISTERS)
            found += [f"doubled brackets: {b}" for b in korean_text.doubled_brackets(text)]
            problems += [f"{_where(path)}: cell {n}: {p}" for p in found]
    return problems


def document_prose_problems(path: Path, registers: tuple[str, ...] = GUIDE_REGISTERS) -> list[str]:
    """The same for a markdown document (teacher guide, README): one of ``registers`` throughout,
    each problem as ``file: line N: what: the sentence``."""
    text = Path(path).read_text(encoding="utf-8")
    if TABLE_START in text and TABLE_END in text:  # the generated table quotes the notebooks' headers
        head, rest = text.split(TABLE_START, 1)
        text = head + "\n" * rest.split(TABLE_END, 1)[0].count("\n") + rest.split(TABLE_END, 1)[1]
    korean = str(path).endswith(".ko.md")
    found = korean_text.register_problems(text, registers, one_register=True) if korean else []
    found += [f"doubled brackets: {b}" for b in korean_text.doubled_brackets(text)]
    return [f"{_where(path)}: line {_line_of(text, p)}: {p}" for p in found]


def _line_of(text: str, problem: str) -> int:
    sentence = problem.split(": ", 1)[-1]
    probe = next((w for w in sorted(sentence.split(), key=len, reverse=True) if w in text), sentence)
    index = text.find(sentence) if sentence in text else text.find(probe)
    return text.count("\n", 0, max(index, 0)) + 1


#: A lesson named by number and title: in a link, a heading, bold text or a table cell.
_LESSON_MENTION = re.compile(r"\[(\d\d\.\d+)\s+([^\]]+)\]\(|^#+[^\n]*?(?<![\d.])(\d\d\.\d+)\s+([^\n]+)$"
                             r"|\*\*(\d\d\.\d+)\s+([^*\n]+)\*\*|^\|\s*(\d\d\.\d+)\s+([^|\n]+?)\s*\|", re.M)
_NOT_A_TITLE = re.compile(r"^(?:[a-h]\b|exercise|연습|문제|\(|\d|·|—|-|:)", re.I)


def _normal(title: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", title).split()).casefold().rstrip(" .:")


def lesson_titles(modules: list[Module]) -> dict[str, dict[str, str]]:
    """Each lesson's title by language, from its notebook headers: ``{"03.2": {"en": ..., "ko": ...}}``."""
    titles = {}
    for module in modules:
        for lesson in module.lessons:
            for lang, path in (("en", lesson.path), ("ko", lesson.korean_path)):
                if path.exists():
                    try:
                        titles.setdefault(lesson.number, {})[lang] = parse_header(nbformat.read(path, as_version=4)).title
                    except LessonFormatError:
                        pass
    return titles


def title_mentions(text: str) -> list[tuple[str, str]]:
    """``(number, what follows it)`` for each lesson named by number in ``text``'s links,
    headings, bold text and table cells (not its exercises: "03.2 exercise a", "03.2.b")."""
    text = re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.M | re.S)
    out = []
    for m in _LESSON_MENTION.finditer(text):
        number, said = next((m[i], m[i + 1]) for i in (1, 3, 5, 7) if m[i])
        if not _NOT_A_TITLE.match(said.strip()):
            out.append((number, said.strip()))
    return out


def title_problems_in(text: str, where: str, titles: dict[str, dict[str, str]], lang: str) -> list[str]:
    """Mentions in ``text`` of a lesson by a title other than its header's (``lang`` edition)."""
    problems = []
    for number, said in title_mentions(text):
        title = titles.get(number, {}).get(lang)
        if title and not _normal(said).startswith(_normal(title)):
            problems.append(f"{where}: {number} is called \"{said}\", its header says \"{title}\"")
    return problems


def title_problems(modules: list[Module], root: Path = LESSONS) -> list[str]:
    """Every place a lesson or module is named by another title than its header's or the manifest's:
    notebooks (links in prerequisites and what's next), teacher guides, the lesson READMEs."""
    titles = lesson_titles(modules)
    problems = []
    for module in modules:
        guides = {"en": root / module.folder_name / "teacher-guide.md", "ko": root / module.folder_name / "teacher-guide.ko.md"}
        for lang, guide in guides.items():
            if not guide.exists():
                continue
            text = guide.read_text(encoding="utf-8")
            problems += title_problems_in(text, _where(guide), titles, lang)
            first = text.strip().splitlines()[0] if text.strip() else ""
            name = module.title_ko if lang == "ko" and module.title_ko else module.title
            if _normal(name) not in _normal(first):
                problems.append(f"{_where(guide)}: line 1: the title \"{first.lstrip('# ')}\" does not name the module "
                                f"as manifest.yml does (\"{module.number} {name}\")")
        for lesson in module.lessons:
            for lang, path in (("en", lesson.path), ("ko", lesson.korean_path)):
                if not path.exists():
                    continue
                nb = nbformat.read(path, as_version=4)
                for n, cell in enumerate(nb.cells, 1):
                    if cell.cell_type == "markdown" and n > 1:  # the header is the title itself
                        problems += title_problems_in(cell.source, f"{_where(path)}: cell {n}", titles, lang)
    for lang, name in READMES.items():
        readme = root / name
        if readme.exists():
            problems += title_problems_in(readme.read_text(encoding="utf-8"), _where(readme), titles, lang)
    return problems


def prose_report(modules: list[Module], root: Path = LESSONS) -> dict[str, list[str]]:
    """Every prose problem of the lessons, grouped by file (for handing out to their authors)."""
    found: list[str] = []
    for module in modules:
        for lesson in module.lessons:
            found += [p for path in (lesson.path, lesson.korean_path) if path.exists()
                      for p in notebook_prose_problems(path)]
        for guide in ("teacher-guide.md", "teacher-guide.ko.md"):
            if (root / module.folder_name / guide).exists():
                found += document_prose_problems(root / module.folder_name / guide)
    for name in READMES.values():
        found += document_prose_problems(root / name)
    if root == LESSONS:  # the course's own lessons: their Korean assignments too
        found += [p for path in sorted(ASSIGNMENTS_KO.glob("*/*.ipynb")) for p in assignment_prose_problems(path)]
    found += title_problems(modules, root)
    report: dict[str, list[str]] = {}
    for problem in found:
        report.setdefault(problem.split(": ", 1)[0], []).append(problem.split(": ", 1)[1])
    return report


def render_prose_report(report: dict[str, list[str]]) -> str:
    """The report as text: counts per module and kind of problem, then each file's problems."""
    from collections import Counter

    def kind(problem: str) -> str:
        if "doubled brackets" in problem:
            return "doubled brackets"
        if " is called " in problem or "does not name the module" in problem:
            return "title"
        return problem.split(": ", 2)[1].split(" (")[0]

    per_module: dict[str, Counter] = {}
    for path, found in report.items():
        module = re.match(r"(?:lessons|grader/source-ko)/(\d\d)-", path)
        per_module.setdefault(module[1] if module else "other", Counter()).update(kind(p) for p in found)
    lines = ["Prose lint (python -m tools.lessons lint --report FILE): student text (lessons, Korean assignments)",
             "in 해요체; a teacher guide or README in one speech level; no stacked brackets; a lesson goes by its",
             "header's title everywhere, a module by manifest.yml's. Tests: tests/test_lessons_structure.py::test_notebook_",
             "prose_speaks_to_students_in_one_register[file], ::test_korean_assignment_speaks_to_students_in_haeyo[file],",
             "::test_teacher_guide_keeps_one_register[file], ::test_every_lesson_and_module_goes_by_one_title_everywhere.",
             "", "Counts per module:"]
    lines += [f"  {m}: {sum(c.values()):4d}  " + ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
              for m, c in sorted(per_module.items())]
    lines += [f"  total: {sum(len(found) for found in report.values())}", ""]
    for path, found in report.items():
        lines += [f"{path} ({len(found)})", *(f"    {p}" for p in found)]
    return "\n".join(lines) + "\n"


#: What the lesson table says, per language.
TABLE_WORDS = {
    "en": {"head": "| Lesson | Title | Teaching (min) | Exercises (min) | Data used |", "missing": "not written yet"},
    "ko": {"head": "| 차시 | 제목 | 수업 (분) | 실습 (분) | 사용 데이터 |", "missing": "아직 없음"},
}


def lesson_table(modules: list[Module], lang: str = "en") -> str:
    """The markdown table of every lesson, built from the notebook headers (of ``lang``'s edition)."""
    words = TABLE_WORDS[lang]
    rows = [words["head"], "|---|---|---:|---:|---|"]
    for module in modules:
        rows.append(f"| **{module.number}** | **{module.title_ko if lang == 'ko' and module.title_ko else module.title}** | | | |")
        for lesson in module.lessons:
            path = lesson.korean_path if lang == "ko" else lesson.path
            if not path.exists():  # listed by an author (or translator) who has not committed it yet
                rows.append(f"| {lesson.number} | {lesson.stem} ({words['missing']}) | | | |")
                continue
            header = parse_header(nbformat.read(path, as_version=4))
            # the first clause of "Data used" ("The bundled synthetic city, `load_city()`: ...")
            data = _relink(re.split(r":\s|\.\s|\.$", " ".join(header.data.split()), maxsplit=1)[0], module.folder_name)
            link = f"[{header.title}]({module.folder_name}/{path.name})"
            rows.append(f"| {header.number} | {link} | {header.teaching} | {header.exercises} | {data} |")
    return "\n".join(rows) + "\n"


#: The lesson table's README for each language.
READMES = {"en": "README.md", "ko": "README.ko.md"}


def _relink(markdown: str, folder: str) -> str:
    """Rewrite a notebook's relative links so they work from ``lessons/README.md``.

    >>> _relink("[card](../../datasets/cards/city.md) and [web](https://x.org)", "00-welcome")
    '[card](../datasets/cards/city.md) and [web](https://x.org)'
    """
    def fix(match):
        target = match[2]
        if re.match(r"[a-z]+:|#|/", target):
            return match[0]
        return f"[{match[1]}]({posixpath.normpath(posixpath.join(folder, target))})"

    return re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", fix, markdown)


def render_readme(readme: str, table: str) -> str:
    """``readme`` with the text between the lesson-table markers replaced by ``table``."""
    if TABLE_START not in readme or TABLE_END not in readme:
        raise LessonFormatError(f"lessons/README.md needs the markers {TABLE_START} and {TABLE_END}")
    head, rest = readme.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    return f"{head}{TABLE_START}\n{table}{TABLE_END}{tail}"


def clean_notebook(nb):
    """Strip what must not be committed; keep outputs only of ``NBVAL_CHECK_OUTPUT`` cells."""
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ALLOWED_NB_METADATA}
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA}
        if cell.cell_type == "code":
            # nbval only compares cells that look run; a fixed count keeps diffs quiet.
            cell.execution_count = 1 if checks_output(cell) and cell.outputs else None
            if checks_output(cell):
                for out in cell.outputs:  # keep what nbval compares, drop what changes per run
                    if out.get("output_type") == "execute_result":
                        out["execution_count"] = 1
                    if out.get("output_type") in ("execute_result", "display_data"):
                        out["metadata"] = {}
            else:
                cell.outputs = []
    return nb


def clean_file(path: Path, write: bool = True) -> bool:
    """Whether the notebook at ``path`` was committed dirty; with ``write``, save it clean.

    The one check behind the pre-commit hook (``python -m tools.lessons clean``) and the test that
    every committed lesson is clean. A clean file is compared as JSON and never rewritten, so key
    order or indentation another editor chose does not count as dirt.
    """
    text = Path(path).read_text(encoding="utf-8")
    cleaned = clean_notebook(nbformat.reads(text, as_version=4))
    if json.loads(text) == json.loads(nbformat.writes(cleaned)):
        return False
    if write:
        nbformat.write(cleaned, path)
    return True


def refresh_notebook(path: Path, timeout: int = 180) -> None:
    """Run a notebook from top to bottom, then save it clean with its checked outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(clean_notebook(nb), path)


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

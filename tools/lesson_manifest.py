"""The lesson manifest, and the header and footer every lesson notebook opens and closes with.

``lessons/manifest.yml`` is the one ordered list of modules and notebooks. Every notebook opens
with a header cell and closes with a footer cell in a fixed, machine-checkable shape (see
``lessons/CONTRIBUTING.md``); :func:`parse_header` and :func:`parse_footer` read them or say
what is missing.

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

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "lessons"

#: Header and footer section headings, English and Korean (the Korean edition mirrors them).
HEADER_SECTIONS = {"overview": ("Overview", "개요"), "objectives": ("Learning objectives", "학습 목표"),
                   "prerequisites": ("Prerequisites", "선수 학습"), "time": ("Time", "시간"),
                   "data": ("Data used", "사용 데이터")}
FOOTER_SECTIONS = {"key_points": ("Key points", "핵심 정리"), "next": ("What's next", "다음 단계"),
                   "credits": ("Data credits", "데이터 출처")}
TIME_PATTERNS = {"teaching": r"(?:Teaching|수업)\s*:\s*(\S+)\s*(?:min|분)",
                 "exercises": r"(?:Exercises|실습)\s*:\s*(\S+)\s*(?:min|분)"}

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


def markdown_sections(markdown: str) -> dict[str, str]:
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
    sections = markdown_sections(source)
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
    sections = markdown_sections(nb.cells[-1].source)
    points = _bullets(_find(sections, FOOTER_SECTIONS["key_points"], "footer"))
    if not points:
        raise LessonFormatError("footer: key points must be a bullet list")
    return Footer(points, _find(sections, FOOTER_SECTIONS["next"], "footer"),
                  _find(sections, FOOTER_SECTIONS["credits"], "footer"))



def cell_tags(cell) -> list[str]:
    """A notebook cell's tags (``exercise``, ``check``, ``solution``)."""
    return list(cell.get("metadata", {}).get("tags", []))


def shown_path(path: Path) -> str:
    """``path`` as a problem names it: relative to the checkout when it is inside it."""
    path = Path(path)
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)

"""The lesson table of ``lessons/README.md`` and ``README.ko.md``, built from the notebooks' headers."""

from __future__ import annotations

import posixpath
import re

import nbformat

from tools.lesson_manifest import LessonFormatError, Module, parse_header

TABLE_START, TABLE_END = "<!-- lesson-table:start -->", "<!-- lesson-table:end -->"

#: The lesson table's README for each language.
READMES = {"en": "README.md", "ko": "README.ko.md"}


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


"""Prose lints of lessons, Korean assignments and guides: one speech level, one bracket per word,
one title per lesson everywhere (``python -m tools.lessons lint``)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from tools import korean_text
from tools.lesson_manifest import LESSONS, REPO, LessonFormatError, Module, parse_header, shown_path
from tools.readme_table import READMES, TABLE_END, TABLE_START

#: The Korean release of the nbgrader assignments (written by grader/authoring/build_*.py).
ASSIGNMENTS_KO = REPO / "grader" / "source-ko"

#: Speech levels a document may use (see :mod:`tools.korean_text`): a student notebook speaks
#: 해요체; a teacher guide 합니다체 or 해요체, one of them throughout.
STUDENT_REGISTERS, GUIDE_REGISTERS = ("해요",), ("해요", "합니다")


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
        problems += [f"{shown_path(path)}: cell {n}: {p}" for p in found]
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
            problems += [f"{shown_path(path)}: cell {n}: {p}" for p in found]
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
    return [f"{shown_path(path)}: line {_line_of(text, p)}: {p}" for p in found]


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
            problems += title_problems_in(text, shown_path(guide), titles, lang)
            first = text.strip().splitlines()[0] if text.strip() else ""
            name = module.title_ko if lang == "ko" and module.title_ko else module.title
            if _normal(name) not in _normal(first):
                problems.append(f"{shown_path(guide)}: line 1: the title \"{first.lstrip('# ')}\" does not name the module "
                                f"as manifest.yml does (\"{module.number} {name}\")")
        for lesson in module.lessons:
            for lang, path in (("en", lesson.path), ("ko", lesson.korean_path)):
                if not path.exists():
                    continue
                nb = nbformat.read(path, as_version=4)
                for n, cell in enumerate(nb.cells, 1):
                    if cell.cell_type == "markdown" and n > 1:  # the header is the title itself
                        problems += title_problems_in(cell.source, f"{shown_path(path)}: cell {n}", titles, lang)
    for lang, name in READMES.items():
        readme = root / name
        if readme.exists():
            problems += title_problems_in(readme.read_text(encoding="utf-8"), shown_path(readme), titles, lang)
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



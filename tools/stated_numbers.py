"""Every number a lesson states is a number the code computes.

A lesson's prose, alt texts, its teacher guide and the README state numbers ("the cleanest
station averages 17.2 µg/m³", "r = 0.65"). Each of them is *claimed* in the module's
``numbers.py`` by a function that computes it from the package, and two checks keep prose and
code together:

- **drift**: every claim is computed, formatted and looked for in the documents it names (the
  English text with its context, and the same numbers in the Korean edition);
- **coverage**: every number in a document's prose is either claimed, or listed as
  :func:`plain` (a definition that is not computed: "a 50-minute class", "step 2"), or one of the
  things that are never measurements (lesson numbers such as 03.2, years, sensor names such as
  PM2.5 or PMS5003, numbered list markers, code).

A module's ``lessons/<NN-slug>/numbers.py``::

    from tools.stated_numbers import plain, states

    @states("02-groupby-and-resampling", "averages {:.1f} µg/m³")
    def cleanest_station_mean():
        return load_city("pm25", kind="station").readings.groupby("site_id").value.mean().min()

    plain("02-groupby-and-resampling", "step 2")

Document names are relative to the folder of ``numbers.py``, without the language suffix and
extension: ``"02-groupby-and-resampling"`` means ``02-groupby-and-resampling.ipynb`` and
``02-groupby-and-resampling.ko.ipynb``; ``"teacher-guide"`` means ``teacher-guide.md`` and
``teacher-guide.ko.md``; ``"../README"`` (from ``lessons/numbers.py``) the repository's README in
both languages. Claims that load data should share one cached loader (``functools.cache``).

Command line (what a lesson author runs)::

    python -m tools.stated_numbers                 # every module: drifted claims, unclaimed numbers
    python -m tools.stated_numbers 03-exploring-the-city

Examples
--------
>>> numbers_in("The box read 4.9 µg/m³ where its station read 19.8 (see 03.2, step 2 of PM2.5).")
['4.9', '19.8', '2']
>>> formatted_numbers("r = {:.2f}, n = {:,}", (0.6543, 1200))
['0.65', '1,200']
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
LESSONS = REPO / "lessons"

#: A number as prose writes it: 1,200 · 0.65 · 17 · −0.04 (the sign is not part of the token).
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: What may follow a number: a space, punctuation, Hangul (a particle or unit: 19.8을, 25개) or a unit.
_AFTER = r"(?=(?:h|min|s|ms|km|m|mm|kB|MB|GB|x|th|st|nd|rd)\b|[^A-Za-z_\d/]|$)(?!\.\d)"
NUMBER = re.compile(rf"(?:(?<![\w.,/\-])|(?<=[−\-–(]))(?<![A-Za-z_\d][\-–]){_DIGITS}{_AFTER}")
#: Things with digits that are never measurements, removed before numbers are looked for.
NOT_MEASUREMENTS = [
    re.compile(r"```.*?```", re.S),                      # fenced code
    re.compile(r"`[^`\n]*`"),                            # inline code
    re.compile(r"<[^>\n]+>"),                            # HTML tags and their attributes
    re.compile(r"\]\([^)\n]*\)"),                        # link and image targets
    re.compile(r"https?://\S+"),                         # bare addresses
    re.compile(r"(?m)^\s*(?:\d+[.)]|[-*])\s"),           # list markers
    re.compile(r"(?m)^#{1,6}\s*(?:\d+[.)]\s)?"),         # heading marks and step numbers
    re.compile(r"(?<![\w.,])0\d(?:\.\d{1,2}(?:\.[a-z]\b)?)?(?![\d,])"),  # lessons and modules: 03, 03.2, 06.3.c
    re.compile(r"\b(?:19|20)\d\d\b"),                    # years
    re.compile(r"\b[A-Z]{1,4}-\d+\b"),                     # dataset and standard codes: OA-2218, ISO-8601
    re.compile(r"(?<![\w.,])[01](?![\w.,]|\s?(?:µg|%|°|ppm|hPa|s\b|ms\b|분|초|시|일|개|곳|대))"),  # 0 and 1 as words
    re.compile(r"\b(?:PM\s?(?:2\.5|10|1(?:\.0)?)|PMS\s?5003|SHT\s?3[01]|S-DoT|CO2|NO2|O3|SO2|UTF-8|"
               r"KST|UTC[+\-]\d+|ESP32|RP2040|Pico\s?W?|I2C|UART\d?|Python\s?3(?:\.\d+)?|"
               r"kit\s?\d|module\s?\d+|모듈\s?\d+|[Ff]ig(?:ure)?\.?\s?\d+)\b"),
]


def prose_of(text: str) -> str:
    """The text with every never-a-measurement part blanked out (same length, so offsets hold)."""
    for pattern in NOT_MEASUREMENTS:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def numbers_in(text: str) -> list[str]:
    """The number tokens of ``text``'s prose, in order."""
    return NUMBER.findall(prose_of(text))


def formatted_numbers(template: str, values) -> list[str]:
    """Each value of ``values`` formatted by its own field of ``template``."""
    fields = re.findall(r"\{[^{}]*\}", template)
    values = values if isinstance(values, tuple) else (values,)
    if len(fields) != len(values):
        raise ValueError(f"{template!r} has {len(fields)} fields but the claim returned {len(values)} values")
    return [f.format(v) for f, v in zip(fields, values)]


@dataclass
class Claim:
    """One stated number (or several in one sentence) and the function that computes it."""

    docs: tuple[str, ...]
    template: str
    compute: object
    home: Path

    @property
    def name(self) -> str:
        return f"{self.home.name}/numbers.py::{self.compute.__name__}"

    def text(self) -> tuple[str, list[str]]:
        """The English text as it must appear, and the numbers the Korean edition must contain."""
        values = self.compute()
        shown = formatted_numbers(self.template, values)
        values = values if isinstance(values, tuple) else (values,)
        return self.template.format(*values), shown


@dataclass
class Registry:
    """The claims and plain numbers of one ``numbers.py``."""

    home: Path
    claims: list[Claim] = field(default_factory=list)
    plain: dict[str, list[str]] = field(default_factory=dict)


_current: list[Registry] = []


def states(*docs: str, text: str | None = None, **kw):
    """Decorator: the function computes the number(s) that ``text``'s fields show in ``docs``.

    The last positional argument is the text when ``text`` is not given by name.
    """
    if text is None:
        *docs, text = docs
    if not docs:
        raise ValueError("states(...) needs at least one document and the text it states")

    def register(fn):
        _current[-1].claims.append(Claim(tuple(docs), text, fn, _current[-1].home))
        return fn
    return register


def plain(doc: str, *phrases: str) -> None:
    """Phrases of ``doc`` whose numbers are definitions, not results ("a 50-minute class")."""
    _current[-1].plain.setdefault(doc, []).extend(phrases)


@functools.cache
def load_registry(path: Path) -> Registry:
    """Run one ``numbers.py`` and return what it claims."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    _current.append(Registry(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"_stated_numbers_{path.parent.name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return _current[-1]
    finally:
        _current.pop()


def registries(root: Path = LESSONS) -> list[Registry]:
    homes = sorted(Path(root).glob("numbers.py")) + sorted(Path(root).glob("*/numbers.py"))
    return [load_registry(p.resolve()) for p in homes]


def document_paths(home: Path, doc: str) -> dict[str, Path]:
    """The English and Korean files a document name means (those that exist)."""
    found = {}
    for lang, suffix in (("en", ""), ("ko", ".ko")):
        for ext in (".ipynb", ".md"):
            path = (home / f"{doc}{suffix}{ext}").resolve()
            if path.exists():
                found[lang] = path
                break
    return found


def document_text(path: Path) -> str:
    """What a reader reads: a notebook's markdown cells after its header, or a markdown file."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
        return "\n\n".join(cells[1:])  # the header's times and structure are tested elsewhere
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def drift(claim: Claim) -> list[str]:
    """Where ``claim``'s computed text is not what its documents state (empty when all agree)."""
    english, shown = claim.text()
    problems = []
    for doc in claim.docs:
        paths = document_paths(claim.home, doc)
        if not paths:
            problems.append(f"{claim.name}: no document {doc!r} beside it")
            continue
        for lang, path in paths.items():
            text = _flat(document_text(path))
            if lang == "en" and _flat(english) not in text:
                problems.append(f"{_shown(path)}: should state {english!r} (computed by {claim.name})")
            elif lang == "ko":
                missing = [n for n in shown if n not in numbers_in(text)]
                if missing:
                    problems.append(f"{_shown(path)}: should state {', '.join(missing)} "
                                    f"(computed by {claim.name})")
    return problems


def allowances(path: Path, root: Path = LESSONS) -> tuple[list[str], list[str]]:
    """The numbers claims compute for ``path`` and the plain phrases it may contain, from every registry."""
    numbers, phrases = [], []
    path = path.resolve()
    for registry in registries(root):
        for claim in registry.claims:
            if any(path in document_paths(registry.home, d).values() for d in claim.docs):
                numbers += claim.text()[1]
        for doc, listed in registry.plain.items():
            if path in document_paths(registry.home, doc).values():
                phrases += listed
    return numbers, phrases


def unclaimed(path: Path, root: Path = LESSONS) -> list[str]:
    """Numbers in a document's prose that no claim computes and no plain phrase defines."""
    allowed, phrases = allowances(path, root)
    masked = document_text(path)
    for phrase in sorted(phrases, key=len, reverse=True):
        masked = masked.replace(phrase, " " * len(phrase))
    problems = []
    for line in masked.splitlines():
        for number in numbers_in(line):
            if number not in allowed:
                problems.append(f"{_shown(path)}: {number} in “{line.strip()[:120]}” is not computed "
                                "by any claim in numbers.py")
    return problems


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def documents(root: Path = LESSONS) -> list[Path]:
    """Every document whose numbers must be computed: lessons, teacher guides, both READMEs."""
    from sensorlab.lessons import load_manifest

    paths = []
    for module in load_manifest(root):
        folder = Path(root) / f"{module.number}-{module.slug}"
        for lesson in module.lessons:
            paths += [folder / f"{lesson.stem}.ipynb", folder / f"{lesson.stem}.ko.ipynb"]
        paths += [folder / "teacher-guide.md", folder / "teacher-guide.ko.md"]
    if Path(root).resolve() == LESSONS.resolve():
        paths += [REPO / "README.md", REPO / "README.ko.md"]
    return [p for p in paths if p.exists()]


def report(root: Path = LESSONS, only: str | None = None) -> list[str]:
    """Every drifted claim and every unclaimed number under ``root`` (or one module folder)."""
    problems = []
    for registry in registries(root):
        if only and registry.home.name != only:
            continue
        for claim in registry.claims:
            try:
                problems += drift(claim)
            except Exception as err:  # an author's claim that fails is reported, not fatal to the others
                problems.append(f"{claim.name}: could not compute: {type(err).__name__}: {err}")
    for path in documents(root):
        if only and path.parent.name != only:
            continue
        problems += unclaimed(path, root)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stated_numbers", description=__doc__.split("\n")[0])
    parser.add_argument("module", nargs="?", help="one module folder, e.g. 03-exploring-the-city")
    args = parser.parse_args(argv)
    problems = report(only=args.module)
    print("\n".join(problems) if problems else "every stated number is computed")
    return 1 if problems else 0


if __name__ == "__main__":
    # Run as ``python -m tools.stated_numbers``, this file is ``__main__``; a numbers.py that imports
    # ``tools.stated_numbers`` must register its claims here, not in a second copy of the module.
    sys.modules.setdefault("tools.stated_numbers", sys.modules[__name__])
    sys.exit(main())

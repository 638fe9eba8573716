"""Every number a lesson states is a number the code computes.

A lesson's prose, alt texts, its teacher guide and the README state numbers ("the cleanest
station averages 17.2 µg/m³", "r = 0.65"). Each of them is *claimed* in the module's
``claims.py`` by a function that computes it from the package, and two checks keep prose and
code together:

- **drift**: every claim is computed, formatted and looked for in the documents it names (the
  English text with its context, and the same numbers in the Korean edition);
- **coverage**: every number in a document's prose is either claimed, or listed as
  :func:`plain` (a definition that is not computed: "a 50-minute class", "step 2"), or one of the
  things that are never measurements (lesson numbers such as 03.2, years, sensor names such as
  PM2.5 or PMS5003, numbered list markers, code).

A module's ``lessons/<NN-slug>/claims.py``::

    from tools.stated_numbers import plain, states

    @states("02-groupby-and-resampling", "averages {:.1f} µg/m³")
    def cleanest_station_mean():
        return load_city("pm25", kind="station").readings.groupby("site_id").value.mean().min()

    plain("02-groupby-and-resampling", "step 2")

Document names are relative to the folder of ``claims.py``, without the language suffix and
extension: ``"02-groupby-and-resampling"`` means ``02-groupby-and-resampling.ipynb`` and
``02-groupby-and-resampling.ko.ipynb``; ``"teacher-guide"`` means ``teacher-guide.md`` and
``teacher-guide.ko.md``; ``"../README"`` (from ``lessons/claims.py``) the repository's README in
both languages. Claims that load data should share one cached loader (``functools.cache``).

Command line (what a lesson author runs)::

    python -m tools.stated_numbers                 # every module: drifted claims, unclaimed numbers
    python -m tools.stated_numbers 03-exploring-the-city
    python -m tools.stated_numbers --fix           # after the city changes: rewrite drifted numbers

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
    re.compile(r"(?<![\w.,])(?:19|20)\d\d(?![\d.,]?\d)(?=년|[^\w]|$|[A-Za-z])"),  # years, also Korean 2024년
    re.compile(r"\b[A-Z]{1,4}-\d+\b"),                     # dataset and standard codes: OA-2218, ISO-8601
    # 0 and 1 as words ("from 0 to 1", Korean "0이면", "1월"), but not "1 µg", "1일" or "0.5"
    re.compile(r"(?<![\w.,])[01](?![A-Za-z_\d]|[.,]\d|\s?(?:µg|%|°|ppm|hPa|s\b|ms\b|분|초|시|일|개|곳|대))"),
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


def _unsigned(number: str) -> str:
    """A formatted value as a prose token: the sign is not part of a :data:`NUMBER` token (-0.05 is 0.05)."""
    return number.lstrip("-−")


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
        return f"{self.home.name}/claims.py::{self.compute.__name__}"

    def text(self) -> tuple[str, list[str]]:
        """The English text as it must appear, and the numbers the Korean edition must contain."""
        values = self.compute()
        shown = formatted_numbers(self.template, values)
        values = values if isinstance(values, tuple) else (values,)
        return self.template.format(*values), shown


@dataclass
class Registry:
    """The claims and plain numbers of one ``claims.py``."""

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
    """Run one ``claims.py`` and return what it claims."""
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
    homes = sorted(Path(root).glob("claims.py")) + sorted(Path(root).glob("*/claims.py"))
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
    """Where ``claim``'s computed text is not what its documents state (empty when all agree).

    The Korean edition must show the same numbers in the cell that mirrors the English one
    (a notebook's editions mirror cell by cell), or anywhere in a Korean markdown document.
    """
    english, shown = claim.text()
    problems = []
    for doc in claim.docs:
        paths = document_paths(claim.home, doc)
        if not paths:
            problems.append(f"{claim.name}: no document {doc!r} beside it")
            continue
        where = None
        if "en" in paths:
            texts, _ = _editable(paths["en"])
            where = next((key for key, t in texts.items() if _flat(english) in _flat(t)), None)
            if where is None:
                problems.append(f"{_shown(paths['en'])}: should state {english!r} (computed by {claim.name})")
        if "ko" in paths:
            texts, _ = _editable(paths["ko"])
            text = texts.get(where, "") if paths["ko"].suffix == ".ipynb" and where is not None \
                else "\n".join(texts.values())
            found = NUMBER.findall(text)   # code counts: the English may show it there
            missing = [n for n in shown if _unsigned(n) not in found]
            if missing:
                cell = f" (cell {where + 1}, beside the English)" if paths["ko"].suffix == ".ipynb" and where is not None else ""
                problems.append(f"{_shown(paths['ko'])}: should state {', '.join(missing)}{cell} "
                                f"(computed by {claim.name})")
    return problems


_VALUE = r"[−\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _template_pattern(template: str) -> re.Pattern:
    """A regex matching ``template``'s text with any number in each field and any line wrapping."""
    regex = ""
    for part in re.split(r"(\{[^{}]*\})", template):
        if part.startswith("{") and part.endswith("}"):
            regex += f"({_VALUE})"
        else:
            regex += r"\s+".join(re.escape(chunk) for chunk in re.split(r"\s+", part))
    return re.compile(regex)


def _editable(path: Path):
    """The document's editable texts as (key, text) and a function that writes changed texts back."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
        texts = {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and i != first}

        def save(changed):
            for i, text in changed.items():
                nb.cells[i].source = text
            nbformat.write(nb, path)
        return texts, save
    texts = {0: path.read_text(encoding="utf-8")}
    return texts, lambda changed: path.write_text(changed[0], encoding="utf-8")


def _replace_tokens(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace the number token ``old`` by ``new`` in ``text`` when it occurs exactly once."""
    hits = [m for m in NUMBER.finditer(prose_of(text)) if m.group() == old]
    if len(hits) != 1:
        return text, len(hits)
    return text[:hits[0].start()] + new + text[hits[0].end():], 1


def fix(claim: Claim) -> list[str]:
    """Rewrite a drifted claim's numbers in its documents; say what changed and what needs a person."""
    english, shown = claim.text()
    pattern, notes = _template_pattern(claim.template), []
    for doc in claim.docs:
        paths = document_paths(claim.home, doc)
        if "en" not in paths:
            continue
        texts, save = _editable(paths["en"])
        if any(_flat(english) in _flat(t) for t in texts.values()):
            continue
        found = [(key, m) for key, t in texts.items() for m in pattern.finditer(t)]
        if len(found) != 1:
            notes.append(f"{_shown(paths['en'])}: {len(found)} places look like {claim.template!r}; "
                         f"write {english!r} by hand")
            continue
        key, match = found[0]
        old = list(match.groups())
        text = texts[key]
        for i in reversed(range(len(old))):
            text = text[:match.start(i + 1)] + shown[i] + text[match.end(i + 1):]
        save({key: text})
        notes.append(f"{_shown(paths['en'])}: {', '.join(old)} -> {', '.join(shown)}")
        if "ko" in paths:
            ko_texts, ko_save = _editable(paths["ko"])
            ko_key = key if key in ko_texts else 0
            ko_text = ko_texts.get(ko_key, "")
            for before, after in zip(old, shown):
                if before == after:
                    continue
                ko_text, hits = _replace_tokens(ko_text, before, after)
                if hits != 1:
                    notes.append(f"{_shown(paths['ko'])}: {before} occurs {hits} times where the English "
                                 f"changed; write {after} by hand")
            ko_save({ko_key: ko_text})
    return notes


def allowances(path: Path, root: Path = LESSONS) -> tuple[list[str], list[str]]:
    """The numbers claims compute for ``path`` and the plain phrases it may contain, from every registry."""
    numbers, phrases = [], []
    path = path.resolve()
    for registry in registries(root):
        for claim in registry.claims:
            if any(path in document_paths(registry.home, d).values() for d in claim.docs):
                try:
                    numbers += [_unsigned(n) for n in claim.text()[1]]
                except Exception:  # reported by drift() as "could not compute"; its numbers stay unclaimed
                    continue
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
                                "by any claim in claims.py")
    return problems


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def documents(root: Path = LESSONS) -> list[Path]:
    """Every document whose numbers must be computed: lessons, teacher guides, both READMEs."""
    from tools.lesson_manifest import load_manifest

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
    parser.add_argument("--fix", action="store_true",
                        help="rewrite drifted numbers in place (English and Korean) where the text is unambiguous")
    args = parser.parse_args(argv)
    if args.fix:
        for registry in registries():
            if args.module and registry.home.name != args.module:
                continue
            for claim in registry.claims:
                try:
                    notes = fix(claim)
                except Exception as err:
                    notes = [f"{claim.name}: could not compute: {type(err).__name__}: {err}"]
                if notes:
                    print("\n".join(notes))
    problems = report(only=args.module)
    print("\n".join(problems) if problems else "every stated number is computed")
    return 1 if problems else 0


if __name__ == "__main__":
    # claims.py files import tools.stated_numbers: run that module, not a second copy as __main__,
    # or their claims register in a registry this copy never sees.
    sys.path.insert(0, str(REPO))
    from tools.stated_numbers import main as _main

    sys.exit(_main())

"""Which repository files make up each language's site, and how a page maps to its other edition."""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("en", "ko")
KO_SUFFIX = ".ko"
DOC_SUFFIXES = (".md", ".ipynb")


# pages written in both languages at once: no edition notice on either site
BILINGUAL = {"lessons/GLOSSARY"}


def edition_language(docname: str) -> str | None:
    """The language a page is written in (``None`` for a bilingual page)."""
    if docname in BILINGUAL:
        return None
    return "ko" if docname.endswith(KO_SUFFIX) else "en"


def counterpart(docname: str, language: str, exists) -> str:
    """The page in the other language's site that shows ``docname`` of the ``language`` site.

    Parameters
    ----------
    docname : str
        Sphinx document name, e.g. ``lessons/00-welcome/01-jupyter-basics`` or its ``.ko`` edition.
    language : str
        The language of the site ``docname`` belongs to (``"en"`` or ``"ko"``).
    exists : callable
        ``exists(docname) -> bool``: whether a source file with that document name exists.

    Returns
    -------
    str
        The other edition's document name where it exists, else ``docname`` itself (the other
        site shows the only edition there is).

    Examples
    --------
    >>> have = {"a", "a.ko", "b"}.__contains__
    >>> counterpart("a", "en", have), counterpart("a.ko", "ko", have), counterpart("b", "en", have)
    ('a.ko', 'a', 'b')
    """
    if language == "en":
        other = docname + KO_SUFFIX
    else:
        other = docname.removesuffix(KO_SUFFIX)
    return other if exists(other) else docname


def source_docnames(root: Path) -> set[str]:
    """Every document name under ``root`` (``.md`` and ``.ipynb`` files, suffix removed)."""
    names = set()
    for suffix in DOC_SUFFIXES:
        for path in root.rglob(f"*{suffix}"):
            names.add(path.relative_to(root).as_posix().removesuffix(suffix))
    return names


def excluded_sources(root: Path, language: str) -> list[str]:
    """Glob patterns of the other language's editions (kept only where this language has none)."""
    patterns = ["build", ".venv", ".git", "**/.ipynb_checkpoints"]
    docs = source_docnames(root) if root.exists() else set()
    for name in sorted(docs):
        is_ko = name.endswith(KO_SUFFIX)
        if language == "en" and is_ko:
            patterns.extend(name + s for s in DOC_SUFFIXES)
        elif language == "ko" and not is_ko and name + KO_SUFFIX in docs:
            patterns.extend(name + s for s in DOC_SUFFIXES)
    return patterns

"""Sphinx extension: every page links to the same page in the other language's site.

The two sites sit side by side (``build/site/en``, ``build/site/ko``), so the link is relative and
works from any folder or local server the site is copied to.
"""

from __future__ import annotations

from pathlib import Path

from site_pages import DOC_SUFFIXES, LANGUAGES, counterpart

LABELS = {"en": "English", "ko": "한국어"}


def _add_switch(app, pagename, templatename, context, doctree):
    language = app.config.language
    other = next(lang for lang in LANGUAGES if lang != language)
    repo = Path(app.confdir).parent

    def exists(docname: str) -> bool:
        return any((repo / f"{docname}{suffix}").is_file() for suffix in DOC_SUFFIXES) or docname in (
            "index", "search", "genindex")

    target = counterpart(pagename, language, exists)
    up = "../" * (pagename.count("/") + 1)
    context["other_language"] = {"code": other, "label": LABELS[other],
                                 "url": f"{up}{other}/{target}.html"}


def setup(app):
    app.connect("html-page-context", _add_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

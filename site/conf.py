"""Sphinx configuration of the rendered curriculum site (`make site`, built by tools/site.py).

One configuration serves both languages: tools/site.py stages a source folder per language
(``build/site-src/<lang>``, links to the repository's files plus a generated home page) and names
the language in ``SENSORLAB_SITE_LANG``. A Korean edition is the sibling ``<stem>.ko.md`` /
``<stem>.ko.ipynb``; each build keeps its own language's edition of a page and, where a page has
no edition in that language, the other one, so no link between pages breaks.

Nothing is fetched while building or reading the site: no intersphinx, no CDN (MathJax is served
from the site by sphinx-mathjax-offline; no widget JavaScript; fonts shipped); tools/site.py fails the build if a page would load anything from the internet.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from site_pages import LANGUAGES, excluded_sources  # noqa: E402

language = os.environ.get("SENSORLAB_SITE_LANG", "en")
if language not in LANGUAGES:
    raise ValueError(f"SENSORLAB_SITE_LANG={language!r}: the site is built in {sorted(LANGUAGES)}")
other_language = next(lang for lang in LANGUAGES if lang != language)

project = "Seoul Sensor Lab" if language == "en" else "서울 센서 랩"
author = "Seoul Sensor Lab"
root_doc = "index"
# sphinx-mathjax-offline serves MathJax 3 from the site's _static (Sphinx's default is a CDN)
extensions = ["myst_nb", "site_language_switch", "sphinx-mathjax-offline"]
templates_path = [str(HERE / "_templates")]
html_static_path = [str(HERE / "_static")]
html_css_files = ["site.css"]

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
include_patterns = ["index.md", "README*.md", "lessons/**.md", "lessons/**.ipynb", "kits/*.md",
                    "datasets/cards/*.md", "grader/README*.md"]
exclude_patterns = excluded_sources(HERE.parent, language)
# the lesson folders' own CONTRIBUTING.md is for authors, not in the curriculum's navigation
suppress_warnings = ["toc.not_included", "myst.header", "misc.highlighting_failure"]

# Notebooks: executed once into a jupyter-cache; `make test`'s lesson run (nbval) fills it, so the
# site re-executes only what changed since then (see tools/site.py).
nb_execution_mode = os.environ.get("SENSORLAB_SITE_EXECUTION", "cache")  # "off": a quick look without outputs
nb_execution_cache_path = os.environ.get("SENSORLAB_SITE_CACHE", str(HERE.parent / "build" / "jupyter-cache"))
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
# Widgets render as their static fallback (the image or text a lesson shows without a frontend);
# the live-widget JavaScript would come from a CDN.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None),
                              ("html", "application/vnd.jupyter.widget-state+json", None)]
myst_heading_anchors = 3
# the lessons write formulas as $…$ / $$…$$ (as Jupyter renders them)
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "amsmath"]

html_theme = "sphinx_book_theme"
# pydata-sphinx-theme (sphinx-book-theme's base) has no Korean catalogue: its labels ("Skip to main
# content", "Back to top", "On this page"…) come from site/locale, which Sphinx compiles when it builds
locale_dirs = [str(HERE / "locale")]
html_title = project
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "use_download_button": False,
    "use_fullscreen_button": False,
    "search_bar_text": "Search..." if language == "en" else "검색...",
}
html_context = {"default_mode": "light"}
# Sphinx has no Korean stemmer: Korean pages are indexed word by word (the English splitter keeps
# Hangul words whole), which finds a lesson by any word it contains.
html_search_language = "en"

# Hangul in every browser: NanumGothic, the font the lessons' figures use (shipped in the
# koreanize-matplotlib wheel, SIL Open Font Licence), is served with the site.
HANGUL_FONTS = ("NanumGothic.ttf", "NanumGothicBold.ttf")


def _copy_hangul_fonts(app, exception):
    import koreanize_matplotlib
    from fontTools.ttLib import TTFont  # matplotlib's own dependency

    if exception is None and app.builder.format == "html":
        fonts = Path(koreanize_matplotlib.__file__).parent / "fonts"
        target = Path(app.outdir) / "_static" / "fonts"
        target.mkdir(parents=True, exist_ok=True)
        for name in HANGUL_FONTS:
            font = TTFont(fonts / name)
            # browsers' font sanitiser (OTS) refuses the file for its empty VTT source tables
            # (TSI0-TSI5), which only a font editor reads
            for tag in [tag for tag in font.keys() if tag.startswith("TSI")]:
                del font[tag]
            font.save(target / name)


def setup(app):
    app.connect("build-finished", _copy_hangul_fonts)

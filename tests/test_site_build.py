"""The site builder's parts that need no browser: pages per language, the home page, the cache feed.

The browser test of the built site is tests/browser/test_site.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "site"))
import build_site  # noqa: E402
from site_pages import counterpart, excluded_sources  # noqa: E402

MANIFEST = yaml.safe_load((REPO / "lessons" / "manifest.yml").read_text(encoding="utf-8"))["modules"]
LESSON = "lessons/00-welcome/01-jupyter-basics"


def test_each_page_switches_to_its_other_edition_or_itself():
    have = {"README", "README.ko", "lessons/CONTRIBUTING"}.__contains__
    assert counterpart("README", "en", have) == "README.ko"
    assert counterpart("README.ko", "ko", have) == "README"
    assert counterpart("lessons/CONTRIBUTING", "en", have) == "lessons/CONTRIBUTING"
    assert counterpart("lessons/CONTRIBUTING", "ko", have) == "lessons/CONTRIBUTING"


def test_each_site_keeps_its_language_and_pages_only_the_other_language_has():
    en, ko = excluded_sources(REPO, "en"), excluded_sources(REPO, "ko")
    assert f"{LESSON}.ko.ipynb" in en and f"{LESSON}.ipynb" not in en
    assert f"{LESSON}.ipynb" in ko and f"{LESSON}.ko.ipynb" not in ko
    only_english = [p.relative_to(REPO).as_posix() for p in (REPO / "lessons").glob("*.md")
                    if not p.name.endswith(".ko.md") and not p.with_name(p.stem + ".ko.md").exists()]
    assert only_english, "every lessons/*.md has a Korean edition: this check needs another example"
    assert not set(only_english) & set(ko), "a page with no Korean edition is missing from the Korean site"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_home_page_lists_every_lesson_in_manifest_order(language):
    home = build_site.home_page(language)
    suffix = ".ko" if language == "ko" else ""
    positions = []
    for module in MANIFEST:
        title = module["title"] if language == "en" else module["title_ko"]
        assert f":caption: {module['number']} {title}" in home
        for stem in module["notebooks"]:
            entry = f"\nlessons/{module['number']}-{module['slug']}/{stem}{suffix}\n"
            assert entry in home, entry
            positions.append(home.index(entry))
    assert positions == sorted(positions)
    assert ("teacher-guide.ko>" if language == "ko" else "teacher-guide>") in home


def _executed_copy(tmp_path: Path, change_code: bool = False) -> Path:
    nb = nbformat.read(REPO / f"{LESSON}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
            if change_code:
                cell.source += "\n# edited after the run"
                change_code = False
    saved = tmp_path / "executed" / f"{LESSON}.ipynb"
    saved.parent.mkdir(parents=True)
    nbformat.write(nb, saved)
    return saved


def test_a_lesson_run_feeds_the_cache_the_site_renders_from(tmp_path):
    from jupyter_cache import get_cache

    _executed_copy(tmp_path)
    assert build_site.feed_cache(tmp_path / "executed", tmp_path / "cache") == (1, 0)
    lesson = nbformat.read(REPO / f"{LESSON}.ipynb", as_version=4)
    _, merged = get_cache(str(tmp_path / "cache")).merge_match_into_notebook(lesson)
    outputs = [o for c in merged.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and all(o.get("text") == "ran\n" for o in outputs)
    assert build_site.feed_cache(tmp_path / "executed", tmp_path / "cache") == (0, 0), "fed twice"


def test_a_lesson_failing_now_is_dropped_from_the_cache(tmp_path):
    """Fed by an earlier run, then failing with the same code: the site must run it again, not show it."""
    from jupyter_cache import get_cache

    saved = _executed_copy(tmp_path)
    assert build_site.feed_cache(tmp_path / "executed", tmp_path / "cache") == (1, 0)
    saved.unlink()
    saved.with_name(saved.name + ".failed").touch()  # what the lesson run leaves (conftest.py)
    assert build_site.drop_failed(tmp_path / "executed", tmp_path / "cache") == 1
    with pytest.raises(KeyError):
        get_cache(str(tmp_path / "cache")).match_cache_notebook(
            nbformat.read(REPO / f"{LESSON}.ipynb", as_version=4))
    assert build_site.drop_failed(tmp_path / "executed", tmp_path / "cache") == 0


def test_a_run_of_code_since_edited_is_not_shown(tmp_path):
    _executed_copy(tmp_path, change_code=True)
    assert build_site.feed_cache(tmp_path / "executed", tmp_path / "cache") == (0, 1)


@pytest.mark.slow
def test_the_lesson_run_saves_what_it_executed(tmp_path):
    """nbval (pytest on a lesson) leaves the executed notebook, every code cell's outputs, for the site."""
    env = {**os.environ, "SENSORLAB_EXECUTED_LESSONS": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "pytest", f"{LESSON}.ipynb", "-q", "-n", "0",
                          "-p", "no:cacheprovider"], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    saved = nbformat.read(tmp_path / f"{LESSON}.ipynb", as_version=4)
    source = nbformat.read(REPO / f"{LESSON}.ipynb", as_version=4)
    assert [c.source for c in saved.cells] == [c.source for c in source.cells]
    assert any(c.outputs for c in saved.cells if c.cell_type == "code")


# The theme's labels a teacher reads on every Korean page (pydata-sphinx-theme has no Korean catalogue)
THEME_LABELS_EN = ("Skip to main content", "Back to top", "Search...", "previous page", "next page",
                   "Color mode", "Site navigation", "Toggle primary sidebar", "Toggle secondary sidebar")


def _quick_build(tmp_path: Path, language: str, pages: dict[str, str] | None = None) -> str:
    """Build a small site with the site's configuration, no notebook run; the home page's HTML.

    ``pages`` maps a document name to its Markdown (default: one page, ``README``).
    """
    pages = pages or {"README": "# 안내\n\n## 첫 절\n\n본문\n"}
    src = tmp_path / "src"
    for name, text in pages.items():
        (src / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    toc = "\n".join(pages)
    (src / "index.md").write_text(f"# 홈\n\n```{{toctree}}\n{toc}\n```\n", encoding="utf-8")
    env = {**os.environ, "SENSORLAB_SITE_LANG": language, "SENSORLAB_SITE_EXECUTION": "off",
           "SENSORLAB_SITE_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-c", str(REPO / "site"), "-q",
                          str(src), str(tmp_path / "out")], cwd=src, env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def korean_quick_site(tmp_path_factory) -> Path:
    """One quick Korean build for the Korean-site tests: a Korean page, an English-only page, a bilingual one."""
    folder = tmp_path_factory.mktemp("korean-site")
    _quick_build(folder, "ko", {"README.ko": "# 안내\n\n## 첫 절\n\n본문\n\n## 둘째 절\n",
                                "lessons/CONTRIBUTING": "# How to write a lesson\n\nText\n",
                                "lessons/GLOSSARY": "# 용어집 · Glossary\n\n보정 calibration\n"})
    return folder / "out"


def test_the_korean_site_labels_its_theme_in_korean(korean_quick_site):
    out = korean_quick_site
    page = (out / "index.html").read_text(encoding="utf-8") + (out / "README.ko.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in page
    english = [label for label in THEME_LABELS_EN if label in page]
    assert not english, f"theme labels left in English on the Korean site: {english}"
    assert "본문으로 건너뛰기" in page and "맨 위로" in page and 'placeholder="검색...' in page


def _lesson_run(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """nbval on ``folder/lessons`` with the repository's conftest.py (what saves runs for the site)."""
    run = subprocess.run([sys.executable, "-m", "pytest", "lessons", "--nbval-lax", "--nbval-current-env",
                          "-q", "-n", "0", "-p", "no:cacheprovider", *args], cwd=folder,
                         env={**os.environ, **env, "SENSORLAB_EXECUTED_LESSONS": str(folder / "executed")},
                         capture_output=True, text=True, timeout=600)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return run


@pytest.fixture
def tiny_course(tmp_path):
    """A checkout with the repository's conftest.py and one two-cell lesson that fails on demand."""
    (tmp_path / "conftest.py").write_bytes((REPO / "conftest.py").read_bytes())
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('import os\nassert "LESSON_BREAKS" not in os.environ\nprint("one")'),
                nbformat.v4.new_code_cell('print("two")')]
    (tmp_path / "lessons" / "m").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "lessons" / "m" / "a.ipynb")
    return tmp_path


def test_a_lesson_that_fails_now_leaves_no_earlier_run_for_the_site(tiny_course):
    saved = tiny_course / "executed" / "lessons" / "m" / "a.ipynb"
    first = _lesson_run(tiny_course)
    assert first.returncode == 0 and saved.is_file(), first.stdout[-3000:]
    # same code, failing now (a package change): the earlier outputs must not reach the site
    second = _lesson_run(tiny_course, LESSON_BREAKS="1")
    assert second.returncode == 1 and "1 failed" in second.stdout, second.stdout[-3000:]
    assert not saved.exists(), "the site would show outputs of a lesson that no longer runs"
    assert saved.with_name("a.ipynb.failed").is_file(), "make site is not told the lesson fails now"
    third = _lesson_run(tiny_course)
    assert third.returncode == 0 and saved.is_file() and not saved.with_name("a.ipynb.failed").exists()


@pytest.mark.parametrize("selection", [["-k", "not 1"], ["--deselect", "lessons/m/a.ipynb::Cell 1"]])
def test_a_partial_lesson_run_passes_and_saves_nothing(tiny_course, selection):
    run = _lesson_run(tiny_course, *selection)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-3000:]
    assert not (tiny_course / "executed").exists()


def test_a_page_shown_in_the_other_language_says_so(korean_quick_site):
    """The Korean site shows a page with no Korean edition in English: the teacher is told, in Korean."""
    out = korean_quick_site
    english_only = (out / "lessons" / "CONTRIBUTING.html").read_text(encoding="utf-8")
    assert 'class="admonition site-edition-notice"' in english_only
    assert "한국어판이 아직 없어 영어판을 보여 드립니다" in english_only
    for page in ("README.ko.html", "lessons/GLOSSARY.html"):  # Korean; bilingual
        assert "site-edition-notice" not in (out / page).read_text(encoding="utf-8"), page


def test_a_lessons_formula_is_typeset_offline(tmp_path):
    """Lessons write display math as ``$$…$$`` (01/01, 01/04): typeset by a MathJax served with the site."""
    _quick_build(tmp_path, "en", {"README": "# Units\n\nInline $a$ and\n\n"
                                            "$$\\mu g/m^3 = \\text{ppm} \\times 1000\\,\\frac{M}{24.465}$$\n"})
    out = tmp_path / "out"
    page = (out / "README.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert "$$" not in article and "$a$" not in article, "the formula is shown as raw LaTeX"
    assert 'class="math' in article
    assert build_site.remote_loads(out) == []
    script = re.search(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page)
    assert script and (out / script.group(1).split("?")[0]).is_file(), "MathJax is not served with the site"


@pytest.mark.slow
def test_a_quick_site_build_says_where_the_site_is_and_what_it_lacks(tmp_path):
    """README: `SENSORLAB_SITE_EXECUTION=off make site` builds without running lessons, and says so."""
    env = {**os.environ, "SENSORLAB_SITE_EXECUTION": "off"}
    run = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py"), "--language", "ko",
                          "--out", str(tmp_path / "site")], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=1800)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-3000:] + run.stderr[-3000:]
    home = tmp_path / "site" / "index.html"
    assert home.is_file() and f"open {home}" in run.stdout, run.stdout
    assert "without their outputs" in run.stdout, run.stdout
    assert (tmp_path / "site" / "ko" / "lessons" / "CONTRIBUTING.html").is_file()

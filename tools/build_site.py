"""`make site`: the rendered bilingual curriculum, built offline into ``build/site/{en,ko}``.

Steps, each needing no network:

1. Stage one Sphinx source folder per language (``build/site-src/<lang>``): the repository's
   files hard-linked (MyST resolves a symbolic link to its target, outside the source folder,
   and drops the links between pages) plus a home page generated from ``site/home*.md`` and
   the lesson order in ``lessons/manifest.yml``.
2. Feed the notebook cache: every lesson notebook that `make test`'s lesson run (nbval) executed
   and saved in ``build/executed/`` goes into the jupyter-cache that MyST-NB reads, so the site
   executes only the notebooks nothing has executed since they last changed.
3. Build both languages with Sphinx (site/conf.py), failing on a notebook cell that raises.
4. Refuse a page that would load a script, style sheet, font or image from the internet.

Run ``python tools/build_site.py`` (what `make site` does); ``--help`` lists the options.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
SITE_CONF = REPO / "site"
sys.path.insert(0, str(SITE_CONF))

from site_pages import DOC_SUFFIXES, KO_SUFFIX, LANGUAGES  # noqa: E402

BUILD = REPO / "build"
EXECUTED = BUILD / "executed"
CACHE = BUILD / "jupyter-cache"
# never linked into a staged source folder: not pages, and big
NOT_STAGED = {".git", ".venv", "build", "site", "test-artifacts", "node_modules", "logs", "dist",
              "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis", "*.egg-info"}
# a tag attribute loading something from another host (links to other sites, <a href>, are fine)
REMOTE_LOAD = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//"
    r"|<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|icon|modulepreload|prefetch))"
    r"[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|@import\s+(?:url\()?[\"']?(?:https?:)?//|url\(\s*[\"']?(?:https?:)?//",
    re.IGNORECASE)


def edition(docname: str, language: str) -> str:
    """The document name of ``docname``'s edition in ``language`` (the English one if no other)."""
    if language == "ko" and any((REPO / f"{docname}{KO_SUFFIX}{s}").is_file() for s in DOC_SUFFIXES):
        return docname + KO_SUFFIX
    return docname


def home_page(language: str) -> str:
    """The home page's MyST text: the hand-written introduction, then the navigation from the manifest."""
    intro = (SITE_CONF / ("home.md" if language == "en" else "home.ko.md")).read_text(encoding="utf-8")
    manifest = yaml.safe_load((REPO / "lessons" / "manifest.yml").read_text(encoding="utf-8"))
    guide = "Teacher guide" if language == "en" else "교사용 안내서"
    parts = [intro]
    for module in manifest["modules"]:
        folder = f"lessons/{module['number']}-{module['slug']}"
        title = module["title"] if language == "en" else module.get("title_ko") or module["title"]
        entries = [edition(f"{folder}/{stem}", language) for stem in module["notebooks"]]
        if (REPO / folder / "teacher-guide.md").is_file():
            entries.append(f"{guide} <{edition(folder + '/teacher-guide', language)}>")
        parts.append(toctree(f"{module['number']} {title}", entries))
    guides = ["README", "lessons/README", "lessons/GLOSSARY", "kits/README", "grader/README",
              "lessons/CONTRIBUTING"]
    parts.append(toctree("Guides" if language == "en" else "안내서",
                         [edition(g, language) for g in guides if (REPO / f"{g}.md").is_file()]))
    cards = sorted(p.name.removesuffix(".md") for p in (REPO / "datasets" / "cards").glob("*.md")
                   if not p.name.endswith(f"{KO_SUFFIX}.md"))
    parts.append(toctree("Data cards" if language == "en" else "자료 카드",
                         [edition(f"datasets/cards/{c}", language) for c in cards]))
    return "\n\n".join(parts) + "\n"


def toctree(caption: str, entries: list[str]) -> str:
    lines = "\n".join(entries)
    return f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{lines}\n```"


def stage(language: str) -> Path:
    """Create ``build/site-src/<language>``: the repository's folders linked, the home page written."""
    src = BUILD / "site-src" / language
    home = home_page(language)
    shutil.rmtree(src, ignore_errors=True)
    # hard links keep each file's modification time, so Sphinx re-reads only what changed
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(*NOT_STAGED), copy_function=_link_or_copy)
    (src / "index.md").write_text(home, encoding="utf-8")
    return src


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def feed_cache(executed: Path = EXECUTED, cache_path: Path = CACHE) -> tuple[int, int]:
    """Put every executed notebook saved by the lesson run into the site's jupyter-cache.

    A saved notebook is used only while its code is still the lesson's code (jupyter-cache
    matches on the code cells and kernel, so a lesson edited since its run is executed again).

    Returns
    -------
    tuple of int
        (notebooks added, notebooks skipped because their lesson changed or is gone)
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_path))
    added = stale = 0
    for saved in sorted(executed.rglob("*.ipynb")):
        source = REPO / saved.relative_to(executed)
        run = nbformat.read(saved, as_version=4)
        if not source.is_file() or _code(nbformat.read(source, as_version=4)) != _code(run):
            stale += 1
            continue
        try:
            cache.match_cache_notebook(run)
            continue  # already there
        except KeyError:
            pass
        cache.cache_notebook_bundle(CacheBundleIn(run, str(source), data={"from": "lesson run"}),
                                    check_validity=False, overwrite=True)
        added += 1
    return added, stale


def drop_failed(executed: Path = EXECUTED, cache_path: Path = CACHE) -> int:
    """Remove from the cache every lesson the lesson run saw fail (``<lesson>.ipynb.failed``).

    An earlier run of the same code may still be cached; the site then runs the lesson itself,
    and fails on the cell that raises, rather than showing outputs the lesson no longer gives.

    Returns
    -------
    int
        How many cached runs were removed.
    """
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    dropped = 0
    for marker in sorted(executed.rglob("*.ipynb.failed")):
        source = REPO / marker.relative_to(executed).with_suffix("")
        if not source.is_file():
            continue
        try:
            record = cache.match_cache_notebook(nbformat.read(source, as_version=4))
        except KeyError:
            continue
        cache.remove_cache(record.pk)
        dropped += 1
    return dropped


def _code(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def sphinx_build(language: str, src: Path, out: Path, jobs: str) -> None:
    env = {**os.environ, "SENSORLAB_SITE_LANG": language, "SENSORLAB_SITE_CACHE": str(CACHE)}
    # a kernel told to use a non-interactive backend draws no inline figures
    env.pop("MPLBACKEND", None)
    real_data = REPO.parent / "shared" / "real-data"
    if real_data.is_dir():  # the same mirror the lesson run uses (conftest.py), for the same outputs
        env.setdefault("SENSORLAB_DATA_MIRROR", str(real_data))
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(SITE_CONF), "-j", jobs,
               "--keep-going", "-q", "-w", str(out.parent / f"warnings-{language}.txt"),
               str(src), str(out)]
    result = subprocess.run(command, env=env, cwd=src)
    if result.returncode != 0:
        raise SystemExit(f"make site: the {language} site did not build (sphinx exit {result.returncode}); "
                         f"see {out.parent / f'warnings-{language}.txt'}")


def remote_loads(site: Path) -> list[str]:
    """Every built page or style sheet that would load something from the internet, with what."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in REMOTE_LOAD.finditer(text):
            found.append(f"{path.relative_to(site)}: {text[match.start():match.end() + 60]!r}")
    return found


def write_language_chooser(site: Path) -> None:
    (site / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta http-equiv="refresh" content="0; url=en/index.html">\n'
        "<title>Seoul Sensor Lab · 서울 센서 랩</title></head>\n<body>\n"
        '<p><a href="en/index.html" hreflang="en">English</a> · '
        '<a href="ko/index.html" hreflang="ko" lang="ko">한국어</a></p>\n</body></html>\n',
        encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "site", help="where the site is written")
    parser.add_argument("--jobs", default="1", help="Sphinx worker processes (default 1)")
    parser.add_argument("--language", choices=LANGUAGES, action="append",
                        help="build only this language (repeatable; default both)")
    args = parser.parse_args(argv)
    started = time.process_time(), time.perf_counter()
    added, stale = feed_cache()
    print(f"make site: {added} notebooks from the lesson run added to the cache ({stale} stale)")
    dropped = drop_failed()
    if dropped:
        print(f"make site: {dropped} lessons that failed in the last lesson run removed from the cache")
    for language in args.language or LANGUAGES:
        sphinx_build(language, stage(language), args.out / language, args.jobs)
    write_language_chooser(args.out)
    remote = remote_loads(args.out)
    if remote:
        print("make site: these pages would load from the internet (the site must work offline):",
              *remote, sep="\n  ", file=sys.stderr)
        return 1
    children = os.times()
    print(f"make site: built {args.out} in {time.perf_counter() - started[1]:.0f} s wall, "
          f"{time.process_time() - started[0] + children.children_user + children.children_system:.0f} s CPU")
    if os.environ.get("SENSORLAB_SITE_EXECUTION") == "off":
        print("make site: SENSORLAB_SITE_EXECUTION=off: lessons not executed, shown without their outputs "
              "(figures, tables)")
    print(f"make site: open {(args.out / 'index.html').resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

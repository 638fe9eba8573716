"""`make site`: the rendered bilingual curriculum, read in Debian's chromium from a local server.

The module builds the site the way `make site` does (``tools/build_site.py``; in `make test` the
lesson run has already filled its notebook cache), serves ``build/site`` on a port the system
chooses, and reads it as a teacher would: both home pages, a lesson of every module in both
languages with its figures loaded and its Hangul drawn in a Korean font, the language switch,
offline search in English and Korean, and every internal link.
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "build" / "site"
MANIFEST = yaml.safe_load((REPO / "lessons" / "manifest.yml").read_text(encoding="utf-8"))["modules"]
MODULES = [m["number"] for m in MANIFEST]
HANGUL = re.compile(r"[\uac00-\ud7a3]")

sys.path.insert(0, str(REPO / "tools"))
from build_site import REMOTE_LOAD, remote_loads  # noqa: E402


@pytest.fixture(scope="module")
def site():
    """Build the site (`make site`), then serve it on 127.0.0.1 at a port the system picks."""
    result = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py")], cwd=REPO,
                            capture_output=True, text=True, timeout=3 * 3600)
    assert result.returncode == 0, f"make site failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-6000:]
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # one line per file would drown the test report
        pass


@pytest.fixture
def tab(browser):
    """A browser tab that records every request leaving 127.0.0.1 (the site must work offline)."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.outside = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else page.outside.append(r.url))
    yield page
    page.close()


def lesson_docname(module: dict, stem: str, language: str) -> str:
    name = f"lessons/{module['number']}-{module['slug']}/{stem}"
    return name + ".ko" if language == "ko" else name


def first_lesson_with_figures(module: dict, language: str) -> str:
    """The module's first lesson (manifest order) whose built page shows an output figure."""
    for stem in module["notebooks"]:
        docname = lesson_docname(module, stem, language)
        page = SITE / language / f"{docname}.html"
        if page.is_file() and re.search(r'class="cell_output[^"]*".*?<img', page.read_text(encoding="utf-8"), re.S):
            return docname
    raise AssertionError(f"module {module['number']} ({language}) has no lesson page with a figure")


FIGURES_LOADED = """() => [...document.querySelectorAll('img')].map(i => ({
  src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
  output: !!i.closest('.cell_output')}))"""


@pytest.mark.parametrize("language", ["en", "ko"])
def test_home_page_introduces_the_curriculum(site, tab, language):
    tab.goto(site + f"{language}/index.html")
    assert tab.get_attribute("html", "lang") == language
    heading = tab.inner_text(".bd-article h1")
    assert ("Seoul Sensor Lab" if language == "en" else "서울 센서 랩") in heading
    navigation = tab.inner_text("nav.bd-links")
    for module in MANIFEST:
        title = module["title"] if language == "en" else module["title_ko"]
        assert f"{module['number']} {title}" in navigation, f"home page lacks module {module['number']}"
    assert tab.outside == []


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("number", MODULES)
def test_a_lesson_of_every_module_shows_its_figures(site, tab, language, number):
    module = next(m for m in MANIFEST if m["number"] == number)
    docname = first_lesson_with_figures(module, language)
    tab.goto(site + f"{language}/{docname}.html", wait_until="load")
    images = tab.evaluate(FIGURES_LOADED)
    assert any(i["output"] for i in images), f"{docname}: no figure in the cell outputs"
    assert [i["src"] for i in images if not i["loaded"]] == [], f"{docname}: figures that did not load"
    assert tab.outside == [], f"{docname} loads from the internet: {tab.outside}"
    if language == "ko":
        assert_hangul_drawn_with_a_korean_font(tab, docname)


def assert_hangul_drawn_with_a_korean_font(tab, docname: str):
    """The fonts chromium actually used for the page's title have Hangul glyphs (no tofu boxes)."""
    heading = tab.inner_text(".bd-article h1")
    assert HANGUL.search(heading), f"{docname}: the Korean page's title has no Hangul: {heading!r}"
    tab.evaluate("document.fonts.ready.then(() => true)")
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".bd-article h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    hangul_glyphs = len(HANGUL.findall(heading))
    korean = [f for f in fonts if re.search(r"nanum|cjk|gothic|malgun", f["familyName"], re.I)]
    assert korean, f"{docname}: the title is drawn with {fonts}, none of them a Korean font"
    assert sum(f["glyphCount"] for f in korean) >= hangul_glyphs, (
        f"{docname}: {hangul_glyphs} Hangul letters but Korean fonts drew only {korean}")


@pytest.mark.parametrize("start", ["en", "ko"])
def test_the_language_switch_opens_the_same_page(site, tab, start):
    module = MANIFEST[3]
    stem = module["notebooks"][1]
    other = "ko" if start == "en" else "en"
    tab.goto(site + f"{start}/{lesson_docname(module, stem, start)}.html")
    tab.click("#language-switch")
    tab.wait_for_load_state("load")
    assert tab.url == site + f"{other}/{lesson_docname(module, stem, other)}.html"
    assert tab.get_attribute("html", "lang") == other
    tab.click("#language-switch")
    tab.wait_for_load_state("load")
    assert tab.url == site + f"{start}/{lesson_docname(module, stem, start)}.html"


def test_every_page_has_the_language_switch(site):
    for language in ("en", "ko"):
        pages = [p for p in (SITE / language).rglob("*.html") if "_static" not in p.parts]
        missing = [str(p) for p in pages if 'id="language-switch"' not in p.read_text(encoding="utf-8")]
        assert pages and missing == []


@pytest.mark.parametrize(("language", "word", "page"), [
    ("en", "checksum", "lessons/01-the-sensor-box/03-checksums-by-hand.html"),
    ("ko", "체크섬", "lessons/01-the-sensor-box/03-checksums-by-hand.ko.html"),
])
def test_search_finds_a_lesson_offline(site, tab, language, word, page):
    tab.goto(site + f"{language}/search.html?q={urllib.parse.quote(word)}")
    tab.wait_for_selector("#search-results ul.search li a", timeout=60_000)
    found = tab.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    assert any(url.split("#")[0].split("?")[0] == site + f"{language}/{page}" for url in found), found
    assert tab.outside == []


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "a" and name == "src"):
                self.links.append(attrs[name])


def test_no_internal_link_is_broken(site):
    """Crawl both sites from their home pages: every same-site href and src resolves, anchors too."""
    start = [site + "index.html", site + "en/index.html", site + "ko/index.html"]
    seen, queue, broken, anchors = set(start), list(start), [], []
    pages: dict[str, set[str]] = {}
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            broken.append(f"{url} ({error.code})")
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        pages[url] = parser.ids
        for link in parser.links:
            target = urllib.parse.urljoin(url, link)
            if not target.startswith(site):
                continue
            page, _, fragment = target.partition("#")
            if fragment:
                anchors.append((url, page, urllib.parse.unquote(fragment)))
            if page not in seen:
                seen.add(page)
                queue.append(page)
    built = {site + p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html") if "_static" not in p.parts}
    assert sorted(built - set(pages)) == [], "pages no link reaches"
    missing_anchor = [f"{src} -> {page}#{frag}" for src, page, frag in anchors
                      if page in pages and frag not in pages[page]]
    assert broken == [], "broken links:\n" + "\n".join(sorted(broken)[:50])
    assert missing_anchor == [], "links to anchors that do not exist:\n" + "\n".join(sorted(missing_anchor)[:50])


def test_the_build_refuses_a_page_that_loads_from_the_internet(tmp_path):
    (tmp_path / "ok.html").write_text('<a href="https://data.seoul.go.kr/">the publisher</a>'
                                      '<script src="_static/local.js"></script>')
    assert remote_loads(tmp_path) == []
    for remote in ('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
                   '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Lato">',
                   '<img src="//example.org/x.png">', "@import url(https://fonts.googleapis.com/x);"):
        assert REMOTE_LOAD.search(remote), remote
        (tmp_path / "bad.html").write_text(remote)
        assert remote_loads(tmp_path), remote


def test_the_built_site_loads_nothing_from_the_internet(site):
    assert remote_loads(SITE) == []

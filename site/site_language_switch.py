"""Sphinx extension: the two language sites link to each other.

- Every page has a switch to the same page in the other language's site.
- A page shown in the other language (it has no edition in this one) says so at its top, in
  this site's language, so a teacher does not take a missing translation for a broken site.
- A link to a page that only the other site has (``README.md`` -> ``README.ko.md``) goes there,
  instead of MyST dropping it as an unknown document.

The two sites sit side by side (``build/site/en``, ``build/site/ko``), so links are relative and
work from any folder or local server the site is copied to.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from site_pages import DOC_SUFFIXES, LANGUAGES, counterpart, edition_language

LABELS = {"en": "English", "ko": "한국어"}
# keyed by the site's language: what a page of the other language tells its reader
EDITION_NOTICES = {
    "ko": "이 페이지는 한국어판이 아직 없어 영어판을 보여 드립니다.",
    "en": "This page has no English edition yet: it is shown in Korean.",
}


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
    if doctree is not None and pagename != app.config.root_doc and edition_language(pagename) == other:
        notice = (f'<div class="admonition site-edition-notice" lang="{language}" role="note">'
                  f'<p>{EDITION_NOTICES[language]}</p></div>\n')
        context["body"] = notice + context.get("body", "")


class OtherLanguageLinks(SphinxPostTransform):
    """Point a Markdown link to a document of the other site at that site's page."""

    default_priority = 8  # before MyST's resolver (9), which drops links to unknown documents
    formats = ("html",)

    def run(self, **kwargs):
        repo = Path(self.app.confdir).parent
        other = next(lang for lang in LANGUAGES if lang != self.config.language)
        for node in list(self.document.findall(addnodes.pending_xref)):
            target = node.get("reftarget", "")
            if (node.get("reftype") != "myst" or node.get("refdomain") != "doc"
                    or target in self.env.all_docs
                    or not any((repo / f"{target}{s}").is_file() for s in DOC_SUFFIXES)):
                continue
            up = "../" * (node.get("refdoc", self.env.docname).count("/") + 1)
            anchor = f"#{node['reftargetid']}" if node.get("reftargetid") else ""
            link = nodes.reference("", "", internal=False, refuri=f"{up}{other}/{target}.html{anchor}")
            link += node[0].deepcopy() if node.children else nodes.Text(target)
            node.replace_self(link)


def setup(app):
    app.connect("html-page-context", _add_switch)
    app.add_post_transform(OtherLanguageLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

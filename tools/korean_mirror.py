"""A Korean edition mirrors its English one: notebooks cell for cell, documents heading for heading.

The Korean notebook may translate prose, comments and strings, and add the line that sets the
message language; anything else that differs changes what the lesson does. Used for the lessons
(``tools.lesson_checks``), the Korean assignments (``tools.grading_authoring``) and the guides.
"""

from __future__ import annotations

import re

from tools.lesson_manifest import FOOTER_SECTIONS, HEADER_SECTIONS, cell_tags, markdown_sections

#: Lines a Korean notebook adds to its imports cell (and nothing else may differ in code).
KOREAN_SETUP = re.compile(r'^\s*(from sensorlab import messages\s*;?\s*)?(messages\.set_language\(\s*["\']ko["\']\s*\)\s*)?$')
HANGUL = re.compile(r"[\uac00-\ud7a3]")
_PROSE = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){3,}")  # four English words in a row


def code_skeleton(source: str, korean: bool = False) -> list[tuple[int, str]]:
    """The code with comments dropped and every string literal blanked: what both editions share.

    A Korean edition may translate comments and strings (messages, labels, titles) and add
    ``from sensorlab import messages; messages.set_language("ko")``; anything else differs in
    behaviour and must not.

    >>> code_skeleton('ax.set_title("PM2.5 by hour")  # why') == code_skeleton('ax.set_title("시간별 PM2.5")')
    True
    >>> code_skeleton("x = 1") == code_skeleton("x = 2")
    False
    """
    import io
    import tokenize

    from IPython.core.inputtransformer2 import TransformerManager

    lines = source.splitlines()
    if korean:
        lines = [line for line in lines if not (line.strip() and KOREAN_SETUP.match(line))]
    python = TransformerManager().transform_cell("\n".join(lines))  # magics become calls
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
    try:
        return [(t.type, "'…'" if t.type == tokenize.STRING else t.string)
                for t in tokenize.generate_tokens(io.StringIO(python).readline) if t.type not in skip]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(0, line.split("#")[0].strip()) for line in python.splitlines() if line.split("#")[0].strip()]


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^(#{1,6})\s", markdown, flags=re.M)


def _section_keys(markdown: str, table: dict[str, tuple[str, str]]) -> tuple[set, set]:
    """Which canonical sections a header/footer has, and which of them use the Korean heading."""
    found = markdown_sections(markdown)
    keys = {key for key, names in table.items() if any(n in found for n in names)}
    korean = {key for key, names in table.items() if names[1] in found}
    return keys, korean


def mirror_problems(english, korean) -> list[str]:
    """Everything that makes a Korean notebook not mirror its English one (empty when it does).

    Cell for cell: the same types, tags, nbgrader metadata and cell flags; code identical except
    comments and strings (see :func:`code_skeleton`); markdown with the same heading levels and
    written in Korean; the header and footer with the same sections under their Korean names.
    """
    if len(english.cells) != len(korean.cells):
        return [f"Korean edition has {len(korean.cells)} cells, English {len(english.cells)}"]
    problems = []
    for i, (en, ko) in enumerate(zip(english.cells, korean.cells), 1):
        if en.cell_type != ko.cell_type or cell_tags(en) != cell_tags(ko):
            problems.append(f"cell {i}: type/tags differ ({en.cell_type} {cell_tags(en)} vs {ko.cell_type} {cell_tags(ko)})")
            continue
        en_meta, ko_meta = en.get("metadata", {}), ko.get("metadata", {})
        for key in ("nbgrader", "jupyter", "editable", "deletable"):
            if en_meta.get(key) != ko_meta.get(key):
                problems.append(f"cell {i}: metadata {key!r} differs ({en_meta.get(key)} vs {ko_meta.get(key)})")
        if en.cell_type == "code":
            if code_skeleton(en.source) != code_skeleton(ko.source, korean=True):
                problems.append(f"cell {i}: code differs beyond comments and strings; change both editions")
        elif en.cell_type == "markdown":
            if _headings(en.source) != _headings(ko.source):
                problems.append(f"cell {i}: headings differ ({_headings(en.source)} vs {_headings(ko.source)})")
            if _PROSE.search(en.source) and not HANGUL.search(ko.source):
                problems.append(f"cell {i}: markdown not translated (no Hangul)")
    if not problems and english.cells:
        for where, cell, table in (("header", 0, HEADER_SECTIONS), ("footer", -1, FOOTER_SECTIONS)):
            en_keys, _ = _section_keys(english.cells[cell].source, table)
            ko_keys, ko_named = _section_keys(korean.cells[cell].source, table)
            if en_keys != ko_keys:
                problems.append(f"{where}: sections differ ({sorted(en_keys)} vs {sorted(ko_keys)})")
            elif ko_named != ko_keys:
                problems.append(f"{where}: use the Korean headings for {sorted(ko_keys - ko_named)} "
                                f"({', '.join(table[k][1] for k in sorted(ko_keys - ko_named))})")
    return problems


def document_mirror_problems(english: str, korean: str) -> list[str]:
    """What makes a Korean markdown document (teacher guide, README) not mirror its English one.

    The same headings at the same levels in the same order, the same number of code blocks and
    table rows, and prose in Korean.

    >>> document_mirror_problems("# Guide\\n## Plan\\nTeach it.", "# 안내서\\n## 계획\\n가르칩니다.")
    []
    >>> document_mirror_problems("# Guide\\n## Plan\\nTeach it.", "# 안내서\\n가르칩니다.")
    ["headings differ: English has ['#', '##'], Korean ['#']"]
    """
    def outline(text):
        body = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)  # a '# comment' in code is no heading
        return (_headings(body), len(re.findall(r"^```", text, flags=re.M)),
                len(re.findall(r"^\s*\|", body, flags=re.M)))

    (en_h, en_code, en_rows), (ko_h, ko_code, ko_rows) = outline(english), outline(korean)
    problems = []
    if en_h != ko_h:
        problems.append(f"headings differ: English has {en_h}, Korean {ko_h}")
    if en_code != ko_code:
        problems.append(f"code fences differ: English {en_code}, Korean {ko_code}")
    if en_rows != ko_rows:
        problems.append(f"table rows differ: English {en_rows}, Korean {ko_rows}")
    if len(HANGUL.findall(korean)) < len(re.findall(r"[A-Za-z]{3,}", english)) // 10:
        problems.append("mostly untranslated (too little Hangul for the English text)")
    return problems


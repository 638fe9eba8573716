"""Sentence-level lints of Korean (and bilingual) prose: speech level and doubled brackets.

Student text (lesson notebooks, student messages) speaks to the student in 해요체 ("평균을
내요."); a teacher guide may use 합니다체 ("평균을 냅니다.") but keeps one level throughout; no
text ends a sentence in 한다체 ("평균을 낸다."), the register of textbooks and reports. Quotes,
code, headings, links' addresses and maths are not prose and are left alone.

Examples
--------
>>> [s.register for s in sentences("평균을 내요. 평균을 냅니다. 평균을 낸다. `x = 1이다.` 평균? 보세요.")]
['해요', '합니다', '한다', None, None]
>>> doubled_brackets("시뮬레이터(simulator)(또는 가상 상자)를 써요. f(x)와 (a)–(b).")
['시뮬레이터(simulator)(또는 가상 상자)']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: What is not prose: fenced and inline code, maths, HTML comments and tags, link addresses,
#: quoted words (a quote keeps its own speech level), headings and table separator lines.
_NOT_PROSE = [
    (re.compile(r"^\s*```.*?^\s*```", re.M | re.S), "\n"),
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"`[^`\n]*`"), " 코드 "),
    (re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S), " 수식 "),
    (re.compile(r"\[\d\d\.\d+[^\]\n]*\]"), " 제목 "),  # a lesson named by its title: a title, not a sentence
    (re.compile(r"\]\([^)\s]*\)"), "]"),
    (re.compile(r"<[^>\n]+>"), " "),
    # a quote may wrap onto the next line of its paragraph (not across a blank line)
    (re.compile(r"\"(?:[^\"\n]|\n(?![ \t]*\n))*\"|“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|『[^』\n]*』|'[^'\n]{2,}'"), " 인용 "),
    (re.compile(r"^\s*#.*$", re.M), ""),
    (re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M), ""),
]
#: A sentence ends at . ? ! (or …) before a space or the end, at the end of a line or table cell, and
#: a clause at a colon ("따옴표 안에 씁니다: ..." speaks 합니다체 before its example).
_SPLIT = re.compile(r"(?<=[.?!…:])\s+|\n+|\s*\|\s*")
#: Endings by speech level, matched on the last word with its final punctuation.
REGISTERS = {
    "합니다": re.compile(r"(?:니다|니까|십시오|시다)[.?!…]*$"),
    "한다": re.compile(r"(?:[가-힣]다|(?:하|보|가|들|읽|찾|세|재|쓰|넣|내|두|풀|알)자|(?:하|보|쓰|가|들|말|알)라"
                     r"|[는인은운한큰된]가|느냐|[가-힣]냐)[.?!…]+$"),  # -ㄴ가? as in 큰가?, 좋은가?, 중요한가? (not 전문가)
    "해요": re.compile(r"[가-힣]요[.?!…]*$|[가-힣]죠[.?!…]*$"),
}
#: Polite requests and questions both 해요체 and 합니다체 documents use ("실행하세요.", "왜 그럴까요?",
#: "어떤 대가를 치르나요?").
_POLITE = re.compile(r"(?:세요[.!…]*|[까나가]요\?+)$")
#: A 합니다체 verb ending inside a sentence, not only at its end: before a gloss ("곱합니다(음수면 …"),
#: a closing bracket or bold ("있습니다)?", "**표시합니다**."), a dash or an arrow, in a list item
#: with no full stop. No Korean word ends in 니다 but a 합니다체 verb (the connective -니까 does, so it is left out).
_HAMNIDA_INSIDE = re.compile(r"[가-힣]니다(?![가-힣])")
#: Words in 다 that end a noun phrase, not a 한다체 verb ("서울보다.", "한 시간마다.", "바다.").
_NOT_HANDA = re.compile(r"(?:보다|마다|바다)[.?!…]*$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose and its speech level (``None`` for none: a noun phrase, a label)."""

    text: str
    register: str | None


def prose(markdown: str) -> str:
    """``markdown`` with code, maths, quotes, headings and link addresses blanked out."""
    for pattern, replacement in _NOT_PROSE:
        markdown = pattern.sub(replacement, markdown)
    return markdown


#: A gloss in brackets after the last word ("평균을 낸다(24시간).", "낸다 (mean).") is not what is read as the ending.
_TRAILING_GLOSS = re.compile(r"(?<=\S)\s*\([^()\n]*\)(?=[.?!…:]*$)")


def _register(sentence: str) -> str | None:
    sentence = _TRAILING_GLOSS.sub("", sentence.rstrip())
    sentence = re.sub(r"(?<=[가-힣]):$", ".", sentence)  # "다음과 같다:" ends its clause as "같다." would
    last = sentence.split()[-1] if sentence.split() else ""
    if _HAMNIDA_INSIDE.search(sentence):
        return "합니다"
    if not re.search(r"[가-힣]", last):
        return None
    last = re.sub(r"[)\]*_~»”’:]+$", "", last)  # "...한다.)" and **굵게 한다.** end like "...한다."
    last = re.sub(r"[)\]*_~»”’]+(?=[.?!…]+$)", "", last)  # and so do "...한다)?" and "**굵게 한다**."
    if REGISTERS["합니다"].search(last):
        return "합니다"
    if _POLITE.search(last):
        return None  # -세요 and -까요? are at home in 해요체 and 합니다체 prose alike
    if REGISTERS["해요"].search(last):
        return "해요"
    if REGISTERS["한다"].search(last) and not _NOT_HANDA.search(last):
        return "한다"
    return None


def sentences(markdown: str) -> list[Sentence]:
    """The sentences of ``markdown``'s prose, each with its speech level."""
    out = []
    for line in _SPLIT.split(prose(markdown)):
        text = re.sub(r"^\s*(?:[-*+]|\d+\.|>)\s+", "", line).strip(" *_>")
        if text:
            out.append(Sentence(text, _register(text)))
    return out


def register_problems(markdown: str, allowed: tuple[str, ...] = ("해요",), one_register: bool = False
                      ) -> list[str]:
    """The sentences of ``markdown`` not in an ``allowed`` speech level, quoted.

    With ``one_register`` the document's most common allowed level is the only one allowed (a
    teacher guide may speak 합니다체 or 해요체, not both).
    """
    found = [s for s in sentences(markdown) if s.register]
    if one_register:
        counts = Counter(s.register for s in found if s.register in allowed)
        if counts:
            allowed = (counts.most_common(1)[0][0],)
    return [f"{s.register}체 (use {'/'.join(a + '체' for a in allowed)}): {s.text}"
            for s in found if s.register not in allowed]


_DOUBLED = re.compile(r"[^\s()]*\([^()\n]*\)\s?\([^()\n]*\)|\(\([^()\n]*\)\)")


def doubled_brackets(markdown: str) -> list[str]:
    """Bracketed glosses stacked on one word, "시뮬레이터(simulator)(또는 …)": say it in one bracket."""
    text = re.sub(r"^\s*```.*?^\s*```", "\n", markdown, flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`|\$[^$\n]+\$|\]\([^)\s]*\)", " ", text)
    return [m.group(0) for m in _DOUBLED.finditer(text)]

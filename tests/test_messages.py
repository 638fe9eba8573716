"""The message catalogue: every entry in both languages, with the same fields, that formats."""

from __future__ import annotations

import re
import string

from sensorlab import messages

FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def test_every_message_has_english_and_korean_with_the_same_fields():
    problems = []
    for key, entry in messages.catalogue().items():
        if not entry.get("en") or not entry.get("ko"):
            problems.append(f"{key}: needs both 'en' and 'ko'")
            continue
        for lang in messages.LANGUAGES:
            try:
                names = _fields(entry[lang])
            except ValueError as err:  # a lone { or } (code in a hint needs {{ and }})
                problems.append(f"{key} ({lang}): {err}")
                continue
            bad = [n for n in names if not FIELD.fullmatch(n)]
            if bad:
                problems.append(f"{key} ({lang}): {bad} are not fields; write code braces as {{{{ and }}}}")
        if not problems or not problems[-1].startswith(key):
            if set(_fields(entry["en"])) != set(_fields(entry["ko"])):
                problems.append(f"{key}: English fields {sorted(set(_fields(entry['en'])))} "
                                f"but Korean {sorted(set(_fields(entry['ko'])))}")
    assert problems == []


def test_every_message_formats_in_both_languages():
    for key, entry in messages.catalogue().items():
        values = {name: 1 for name in _fields(entry["en"])}  # a number suits :d, :.1f and plain fields
        for lang in messages.LANGUAGES:
            assert messages.text(key, lang=lang, **values)

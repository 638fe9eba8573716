"""The message catalogue: every entry in both languages, with the same fields, that formats."""

from __future__ import annotations

import re
import string

import pytest

from sensorlab import messages
from sensorlab.messages import particles

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


# --- Korean particles follow the word they are attached to ----------------------------------

#: A particle after a placeholder written for both readings (은(는), 이(가)) or for one reading
#: only (22이어야, 마포구을): the catalogue writes it in the spec, {value:은}, and it is chosen.
FIXED_PARTICLE = re.compile(r"(?<!\})\}(?!\})(?:\\?[\"')`\]」』])*(?:[가-힣]?\([가-힣]{1,2}\)|\([가-힣]\)[가-힣]"
                            r"|이어야|여야|이에요|예요|(?:은|는|을|를|이|가|과|와|으로|로|이고|라는|이라는)(?![가-힣]))")


def test_no_message_writes_a_particle_after_a_placeholder_for_one_reading_only():
    offending = [f"{key}: {m.group(0)!r} in {entry['ko']!r}" for key, entry in messages.catalogue().items()
                 for m in FIXED_PARTICLE.finditer(entry.get("ko", ""))]
    assert offending == []


def test_the_pattern_above_catches_what_the_catalogue_used_to_write():
    for old in ("{label}이(가) 없습니다.", "{expected}이어야 하는데", "\"{got}\"은(는) 자료에", "{name}을(를)",
                "{x}를 실행", "{x})를", "{x!r}을(를)"):
        assert FIXED_PARTICLE.search(old), old
    for fine in ("{label:이} 없습니다.", "{n}개여야", "{id}에 대한", "{what}의", "{x:\"을}", "f\"{{x:02X}}\"로"):
        assert not FIXED_PARTICLE.search(fine), fine


@pytest.mark.parametrize("word, particle, expected", [
    ("마포구", "은", "마포구는"), ("은평구", "은", "은평구는"), ("강남구", "이", "강남구가"), ("서울", "을", "서울을"),
    ("22", "이어야", "22여야"), ("3", "이어야", "3이어야"), ("10", "이어야", "10이어야"), ("100", "은", "100은"),
    ("1,000", "과", "1,000과"), ("12.5", "이어야", "12.5여야"), ("12.0", "이어야", "12.0이어야"), ("0", "은", "0은"),
    ("PM2.5", "은", "PM2.5는"), ("PM10", "이", "PM10이"), ("PM", "이", "PM이"), ("KST", "으로", "KST로"),
    ("47.2 µg/m³", "이어야", "47.2 µg/m³여야"), ("65 dB(A)", "은", "65 dB(A)은"), ("30 %", "을", "30 %를"),
    ("서울", "으로", "서울로"), ("측정소", "으로", "측정소로"), ("역", "으로", "역으로"),
    ("시뮬레이터(simulator)", "을", "시뮬레이터(simulator)를"), ("\"pm25\"", "은", "\"pm25\"는"),
    ("station", "은", "station은"), ("sensor", "은", "sensor는"), ("model", "으로", "model로"),
    ("09:00", "이", "09:00가"), ("09:30", "이", "09:30이"), ("숫자", "은(는)", "숫자는"), ("🙂", "은", "🙂은(는)"),
])
def test_particle_follows_the_reading_of_the_word(word, particle, expected):
    assert particles.attach(word, particle) == expected


def test_a_particle_spec_in_a_message_picks_the_form_from_the_value():
    assert messages.text("check.wrong_value", lang="ko", what="평균", expected="22", got="3") == \
        "평균: 22여야 하는데, 지금은 3이에요."
    assert messages.text("check.wrong_index", lang="ko", label="은평구") == \
        "행 이름(인덱스)이 맞지 않아요. 은평구가 없어요."
    with pytest.raises(KeyError, match="particle"):
        particles.attach("마포구", "에게서")


def test_every_korean_message_speaks_haeyo_and_stacks_no_brackets():
    """Students and teachers hear one speech level from the package (해요체: "정답이에요!", not
    "정답입니다!" or "정답이다."), and one bracket per word."""
    from tools import korean_text

    problems = [f"{key}: {p}" for key, entry in messages.catalogue().items()
                for p in korean_text.register_problems(entry["ko"])
                + [f"doubled brackets: {b}" for lang in ("en", "ko") for b in korean_text.doubled_brackets(entry[lang])]]
    assert problems == []


# --- what a student's own typing puts before a particle (attack on issue 14) -----------------

@pytest.mark.parametrize("word, particle, expected", [
    ("１２", "이어야", "１２여야"), ("１０", "은", "１０은"), ("٣", "은", "٣은(는)"),  # full-width and other digits
    (__import__("unicodedata").normalize("NFD", "마포구"), "은", __import__("unicodedata").normalize("NFD", "마포구") + "는"),
    (__import__("unicodedata").normalize("NFD", "서울"), "으로", __import__("unicodedata").normalize("NFD", "서울") + "로"),
    ("마포구.", "은", "마포구.는"), ("마포구!", "이", "마포구!가"), ("값…", "이", "값…이"), ("종로구?", "을", "종로구?를"),
    ("NO₂", "은", "NO₂는"), ("㎍/㎥", "이어야", "㎍/㎥여야"), ("12℃", "이", "12℃가"), ("km²", "은", "km²는"),
])
def test_particle_follows_what_a_student_typed(word, particle, expected):
    """Full-width digits (a Korean IME types １２) once raised KeyError inside the message, a
    traceback in place of feedback; NFD Hangul (macOS file names, pasted text) and a trailing full
    stop fell back to 은(는)."""
    assert particles.attach(word, particle) == expected


def test_no_korean_message_writes_both_forms_of_a_particle_by_hand():
    pairs = {f"{a}({b})" for a, b in particles.PAIRS} | {f"({a[0]}){b}" for a, b in particles.PAIRS}
    offending = [f"{key}: {entry['ko']!r}" for key, entry in messages.catalogue().items()
                 if any(p in entry.get("ko", "") for p in pairs)]
    assert offending == []

"""Korean particles chosen from the word they follow: 22여야, 3이어야, 마포구는, 종로구를, PM2.5는.

A Korean particle has two forms, one after a final consonant (은, 이, 을, 과, 으로, 이어야) and one
after a vowel (는, 가, 를, 와, 로, 여야). A message that substitutes a value cannot know its form in
advance, so the catalogue names the particle in the placeholder's format spec (``{district:은}``,
``{expected:.1f:이어야}``, ``\\"{column:\\"을}`` for a particle after a closing quote) and
:func:`attach` picks the form from how the value is *read aloud*: the last Hangul syllable, the
Sino-Korean reading of a number (10 is 십, 100 is 백), a Latin letter's name (M is 엠) or a unit's
name (°C is 도, dB is 데시벨).

Examples
--------
>>> attach("마포구", "은"), attach("종로구", "을"), attach("은평구", "이")
('마포구는', '종로구를', '은평구가')
>>> attach("22", "이어야"), attach("3", "이어야"), attach("10", "이어야")
('22여야', '3이어야', '10이어야')
>>> attach("PM2.5", "은"), attach("PM", "은"), attach("47.2 µg/m³", "이어야")
('PM2.5는', 'PM은', '47.2 µg/m³여야')
>>> attach("서울", "으로"), attach("측정소", "으로"), attach("1,000", "와")
('서울로', '측정소로', '1,000과')
"""

from __future__ import annotations

import re

#: Each particle as (after a final consonant, after a vowel); any spelling of a pair names it.
PAIRS = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이어야", "여야"),
         ("이에요", "예요"), ("이라는", "라는"), ("이라고", "라고"), ("이나", "나"), ("이고", "고"),
         ("이면", "면"), ("이었어요", "였어요"), ("이지만", "지만"))
_BY_SPELLING = {form: pair for pair in PAIRS for form in (*pair, f"{pair[0]}({pair[1]})", f"({pair[0][0]}){pair[1]}")}
#: Characters a particle may follow without being read (a closing quote or bracket, a backtick).
CLOSERS = "\"'`)]」』>”’"

# Final sound of a reading: "" a vowel, "ㄹ" the liquid (으로 becomes 로 after it), else a consonant.
_DIGIT = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
# 십, 백, 천, 만 (also 십만, 백만, 천만), 억 ... 조: the reading of a round number's last unit.
_ZEROS = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ", 4: "ㄴ", 5: "ㄴ", 6: "ㄴ", 7: "ㄴ", 8: "ㄱ", 9: "ㄱ", 10: "ㄱ", 11: "ㄱ"}
_LETTER = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}  # 엘, 엠, 엔, 알; every other letter's name ends in a vowel
# Units read by their Korean names; longest first so "µg/m³" wins over "m³".
_UNITS = {"µg/m³": "", "ug/m3": "", "mg/m³": "", "m³": "", "m/s": "", "%rh": "", "%": "", "°c": "", "℃": "",
          "db(a)": "ㄹ", "dba": "ㄹ", "db": "ㄹ", "hpa": "ㄹ", "lux": "", "ppm": "ㅁ", "ppb": "", "µm": "",
          "km": "", "cm": "", "mm": "", "ms": "", "hz": "", "kb": "", "mb": "", "gb": "", "min": "ㄴ", "°": ""}
_CLOCK = re.compile(r"\d{1,2}:(\d\d)(?::(\d\d))?$")  # 09:00 is 아홉 시, 09:30 삼십 분, 09:30:15 십오 초
_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")


def _trim(word: str) -> str:
    """The part of ``word`` that is read last: no closing quotes, no trailing (gloss) in brackets."""
    word = word.rstrip()
    while word and word[-1] in CLOSERS:
        if word[-1] == ")" and "(" in word[:-1] and not word.startswith("("):
            word = word[:word.rindex("(")].rstrip()  # 시뮬레이터(simulator): read 시뮬레이터
        else:
            word = word[:-1].rstrip()
    return word


def _number_sound(integer: str, decimals: str | None) -> str:
    if decimals:
        return _DIGIT[decimals[-1]]  # 2.5 is read 이 점 오: digit by digit after the point
    digits = integer.replace(",", "").lstrip("0")
    if not digits:
        return _DIGIT["0"]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return _DIGIT[digits[-1]]
    return _ZEROS.get(zeros, "")  # 조 and beyond end in a vowel


def _latin_sound(word: str) -> str:
    letters = re.search(r"[A-Za-z]+$", word).group()
    if len(letters) == 1 or letters.isupper():
        return _LETTER.get(letters[-1].lower(), "")  # an abbreviation is read letter by letter: KST 케이에스티
    low = letters.lower()
    if low.endswith(("ng", "m", "n", "me", "ne")):
        return "ㅇ" if low.endswith("ng") else "ㄴ"  # station 스테이션, time 타임, line 라인
    if low.endswith(("l", "le")):
        return "ㄹ"  # model 모델, file 파일
    if re.search(r"[aeiou][kpb]$", low):
        return "ㄱ"  # book 북, map 맵, web 웹
    return ""  # sensor 센서, data 데이터, site 사이트, check 체크


def final_sound(word: str) -> str | None:
    """How ``word`` ends when read aloud: ``""`` (a vowel), ``"ㄹ"``, another final consonant,
    or ``None`` when it cannot be told (the caller then writes both forms, 은(는)).

    Examples
    --------
    >>> final_sound("정수"), final_sound("열"), final_sound("숫자 3"), final_sound("dB(A)")
    ('', 'ㄹ', 'ㅁ', 'ㄹ')
    """
    word = _trim(str(word))
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "" if final == 0 else ("ㄹ" if final == 8 else "ㄱ")
    for unit, sound in sorted(_UNITS.items(), key=lambda item: -len(item[0])):
        if word.lower().endswith(unit) and not (unit.isalpha() and word[-len(unit) - 1:-len(unit)].isalpha()):
            return sound
    clock = _CLOCK.search(word)
    if clock:
        return "" if (clock.group(2) or "00") != "00" or clock.group(1) == "00" else "ㄴ"
    number = _NUMBER.search(word)
    if number:
        return _number_sound(number.group(1), number.group(2))
    if last.isascii() and last.isalpha():
        return _latin_sound(word)
    return None


def attach(word, particle: str) -> str:
    """``word`` followed by the form of ``particle`` its reading asks for (any spelling of it).

    Raises
    ------
    KeyError
        If ``particle`` is not one of :data:`PAIRS` (a typo in the catalogue, named plainly).
    """
    if particle not in _BY_SPELLING:
        raise KeyError(f"{particle!r} is not a Korean particle sensorlab knows: use one of "
                       f"{', '.join(p[0] for p in PAIRS)}")
    after_consonant, after_vowel = _BY_SPELLING[particle]
    word = str(word)
    sound = final_sound(word)
    if sound is None:
        return f"{word}{after_consonant}({after_vowel})"
    if sound == "" or (sound == "ㄹ" and after_consonant == "으로"):
        return word + after_vowel
    return word + after_consonant


def is_particle(spec: str) -> bool:
    """Whether a format spec's last part names a particle (``"은"``, ``"\\"을"``, ``".1f:이어야"``)."""
    return spec.split(":")[-1].lstrip(CLOSERS) in _BY_SPELLING

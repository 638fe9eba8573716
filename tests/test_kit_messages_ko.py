"""A KIT1 line the host refuses explains itself in the reader's language.

The rejects file keeps ``Kit1Error.message`` in English (the same file in every class), but
what a Korean student sees (``str(err)``, e.g. ``print(err)`` in lesson 01.2) comes from the
message catalogue in Korean.
"""

from __future__ import annotations

import re

import pytest

from sensorlab import messages
from sensorlab.kit import Kit1Error, checksum, parse_line

HANGUL = re.compile(r"[\uac00-\ud7a3]")
GOOD = "$KIT1,seoul-01,3,17,52000,sht40,ok,t=21.5,rh=48.25*15"
BAD = {  # one line per way parse_line can refuse a line
    "truncated": GOOD[:-9],
    "bad_checksum": GOOD[:-2] + "16",
    "bad_framing": GOOD[1:],
    "too_long": "$" + "x" * 600,
}


@pytest.fixture(autouse=True)
def own_language(monkeypatch):
    """Each test chooses its language; the environment and other tests' choice stay out."""
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    monkeypatch.setattr(messages, "_chosen", None)


@pytest.fixture
def korean():
    messages.set_language("ko")


@pytest.mark.parametrize("reason", sorted(BAD))
def test_a_refused_line_is_explained_in_korean_and_logged_in_english(korean, reason):
    with pytest.raises(Kit1Error) as caught:
        parse_line(BAD[reason])
    err = caught.value
    assert err.reason == reason
    assert HANGUL.search(str(err)), str(err)
    assert not HANGUL.search(err.message) and err.message == messages.text(err.key, lang="en", **err.values)


def test_english_readers_see_the_english_message():
    messages.set_language("en")
    with pytest.raises(Kit1Error, match=r"checksum says 16 but the line's bytes give 15"):
        parse_line(BAD["bad_checksum"])


def test_a_bad_value_names_its_field_in_korean(korean):
    # the field name reaches the Korean message too
    body = "KIT1,b,2,5,900,sht40,ok,t=20.1,rh=5."
    with pytest.raises(Kit1Error) as caught:
        parse_line(f"${body}*{checksum(body)}")
    err = caught.value
    assert err.reason == "bad_value" and "'rh'" in str(err) and "'5.'" in str(err)
    assert HANGUL.search(str(err))

"""Every hint of module 01's exercises shows, in English and in Korean.

A hint is a ``str.format`` template like every other message, so code in a hint (a dict,
an f-string) must double its braces; a single brace made ``check.hint("01.1-match-sensors")``
raise a KeyError in class instead of showing the hint.
"""

from __future__ import annotations

import re

import pytest

from sensorlab import check, messages
from sensorlab.check import get_exercise

HANGUL = re.compile(r"[\uac00-\ud7a3]")
IDS = ["01.1-match-sensors", "01.1-humid-reading", "01.1-pms-tolerance", "01.2-seq-by-hand",
       "01.2-temperatures", "01.2-line-table", "01.3-xor-k-i", "01.3-my-checksum",
       "01.3-bad-lines", "01.3-same-checksum", "01.4-f-to-c", "01.4-no2-ugm3", "01.4-noise-leq"]


@pytest.fixture(autouse=True)
def own_language(monkeypatch):
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    monkeypatch.setattr(messages, "_chosen", None)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("exercise_id", IDS)
def test_every_hint_shows(exercise_id, lang, capsys):
    import sensorlab.exercises.m01  # noqa: F401  (registers the exercises)

    messages.set_language(lang)
    hints = get_exercise(exercise_id).hints
    assert hints, f"{exercise_id} has no hints"
    for number in range(1, len(hints) + 1):
        check.hint(exercise_id, number)
        shown = capsys.readouterr().out
        assert "※" in shown
        if lang == "ko":
            assert HANGUL.search(shown), shown


def test_code_in_a_hint_keeps_its_braces():
    import sensorlab.exercises.m01  # noqa: F401

    assert '{"pm25": "?"' in messages.text("m01.match_sensors.hint1", lang="ko")
    assert 'f"{x:02X}"' in messages.text("m01.my_checksum.hint3", lang="en")

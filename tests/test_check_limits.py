"""Answers a checker must survive: a function that never returns, numbers too large for a float,
text and None where numbers belong. Each gets a sentence saying what is wrong (EN and KO), never
a hang and never "I could not check this answer"."""

from __future__ import annotations

import importlib
import signal

import numpy as np
import pandas as pd
import pytest

from sensorlab import check, check_time_limit


@pytest.fixture
def short_limit(monkeypatch):
    """One second per call: the loops below never end, so any limit is reached (no timing asserted)."""
    monkeypatch.setenv("SENSORLAB_CHECK_TIME_LIMIT", "1")


# --- a student's function that never returns ---------------------------------------------------

def forever_checksum(body):
    """A checksum loop whose index is never moved on: `while i < len(body)` without `i += 1`."""
    total, i = 0, 0
    while i < len(body):
        total ^= ord(body[i])
    return f"{total:02X}"


def forever_swallowing(body):
    """`while True:` with a bare-ish `except Exception: pass` inside, as students write to "fix" errors."""
    while True:
        try:
            int(body)
        except Exception:  # noqa: BLE001 - what the student wrote
            pass


def slow_daily_cycle(frame, quantity):
    """A very slow method: a Python loop far longer than any check allows."""
    total = 0
    for i in range(10**12):
        total += i
    return frame.groupby(frame["timestamp"].dt.hour)[quantity].mean()


def endless_flags(series, **kw):
    """A generator that never stops yielding quick steps: the limit covers all its steps together."""
    while True:
        yield False


@pytest.mark.parametrize("exercise_id, function", [
    ("01.3-my-checksum", forever_checksum),
    ("01.3-my-checksum", forever_swallowing),
    ("05.1-my-daily-cycle", slow_daily_cycle),
])
def test_a_function_that_never_returns_is_stopped_with_a_sentence(short_limit, exercise_id, function):
    before = signal.getsignal(signal.SIGALRM)
    result = check.evaluate(exercise_id, function)
    assert result.status == "wrong" and result.key == "check.too_slow", result.text()
    assert "did not finish within 1 seconds" in result.text(lang="en")
    assert "1초 안에 끝나지 않아서" in result.text(lang="ko")
    assert "while True:" in result.text(lang="ko")
    # the timer is gone and the notebook's own SIGALRM handler is back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_a_generator_that_never_stops_is_stopped_too(short_limit):
    limited = check_time_limit.time_limited(endless_flags)
    steps = limited(pd.Series([1.0, 2.0]))
    with pytest.raises(check_time_limit.TookTooLong):
        list(steps)


def test_a_right_function_passes_under_the_limit_and_a_test_runners_timer_is_put_back(short_limit):
    from sensorlab.kit import checksum

    signal.setitimer(signal.ITIMER_REAL, 600)  # as pytest-timeout's signal method would
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        assert check.evaluate("01.3-my-checksum", lambda body: checksum(body)).status == "correct"
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 600
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("SENSORLAB_CHECK_TIME_LIMIT", "2.5")
    assert check_time_limit.time_limit() == 2.5
    monkeypatch.setenv("SENSORLAB_CHECK_TIME_LIMIT", "0")
    assert check_time_limit.time_limit() == 0
    monkeypatch.setenv("SENSORLAB_CHECK_TIME_LIMIT", "ten")
    assert check_time_limit.time_limit() == check_time_limit.TIME_LIMIT_S == 10.0
    monkeypatch.delenv("SENSORLAB_CHECK_TIME_LIMIT")
    assert check_time_limit.time_limit() == 10.0


# --- numbers a student really types ---------------------------------------------------------------

@pytest.mark.parametrize("exercise_id, answer, key, en, ko", [
    # 2**400 typed for 2*400, 10**400 for 10*400: too large for a float
    ("01.3-xor-k-i", 10**400, "check.too_large_answer", "a whole number with 401 digits", "401자리 정수"),
    ("00.1-hours-in-week", 24**7 * 10**300, "check.too_large_answer", "digits", "자리 정수"),
    ("01.4-no2-ugm3", 46**300, "check.too_large_answer", "** (power)", "거듭제곱(**)"),
    ("05.5-ci-mean", (10**400, 25.0), "check.item_too_large", "Item 1", "1번째 항목"),
    ("06.5-bad-day-interval", [1.0, 10**400], "check.item_too_large", "Item 2", "2번째 항목"),
    # numbers as text: copied from a printout, or with the unit written in
    ("01.3-bad-lines", ["3", "7"], "check.item_wrong_type", 'the text "3"', '문자열 "3"'),
    ("01.3-bad-lines", [3, "7번"], "check.item_wrong_type", "Item 2", "2번째 항목"),
    ("01.3-bad-lines", [3, None], "check.item_wrong_type", "None", "None"),
    ("01.3-bad-lines", [3.5, 7], "check.item_wrong_type", "decimal point", "소수점"),
    ("05.5-ci-mean", ("19.8", "23.1"), "check.item_wrong_type", "Write the number without quotes",
     "따옴표 없이"),
    ("05.5-ci-mean", ["19.8 µg/m³", "23.1 µg/m³"], "check.item_wrong_type", '"19.8 µg/m³"', '"19.8 µg/m³"'),
    ("05.5-ci-mean", [19.8, None], "check.item_wrong_type", "Item 2", "2번째 항목"),
    ("05.5-weekend-diff", np.array(["1.2", "3.4"]), "check.item_wrong_type", 'the text "1.2"', '"1.2"'),
    ("05.5-ci-mean", [19.8, float("nan")], "check.item_not_finite", "NaN", "NaN"),
    ("06.5-bad-day-interval", ("12", "30"), "check.item_wrong_type", 'the text "12"', '"12"'),
    # column names mixed with numbers or lists (sorting them failed)
    ("07.4-leaky-features", [3, "x"], "m07.leaky.unknown", '"3"', '"3"'),
    ("07.4-leaky-features", [["pm25_lag1"]], "m07.leaky.unknown", "['pm25_lag1']", "['pm25_lag1']"),
    # a table with a huge number in it
    ("03.2-daily-mean", pd.Series([10**400] * 3, dtype=object), "check.too_large_inside", "308 digits", "308자리"),
])
def test_numbers_a_student_types_get_told_what_is_wrong(exercise_id, answer, key, en, ko):
    result = check.evaluate(exercise_id, answer)
    assert (result.status, result.key) == ("wrong", key), result.text()
    assert en in result.text(lang="en"), result.text(lang="en")
    assert ko in result.text(lang="ko"), result.text(lang="ko")


def test_right_positions_pass_in_every_form_a_student_writes():
    from sensorlab.exercises import m01

    right = [i for i, x in enumerate(m01.noisy_lines()) if m01.verify_line(x) == "bad_checksum"]
    for form in (right, tuple(right), np.array(right), [np.int64(i) for i in right], [float(i) for i in right]):
        assert check.evaluate("01.3-bad-lines", form), form


def test_right_intervals_pass_in_every_form_a_student_writes():
    from sensorlab import stats
    from sensorlab.exercises import m05

    ci = stats.bootstrap_ci(m05._city_daily(), seed=0)
    for form in (ci, (ci.low, ci.high), [ci.low, ci.high], np.array([ci.low, ci.high]), pd.Series([ci.low, ci.high]),
                 (np.float64(ci.low), np.float32(ci.high))):
        assert check.evaluate("05.5-ci-mean", form), form


MODULES = [f"m0{m}" for m in range(9)]


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_no_checker_says_could_not_check_to_a_too_large_number_or_text_numbers(module):
    """The pattern across every checker: 10**400, a list of texts, a list with None, each alone
    and inside a list, gets a verdict (right or wrong with a reason), never check.could_not_check."""
    importlib.import_module(f"sensorlab.exercises.{module}")
    odd = [10**400, -(10**400), [10**400, 1], ["1", "2"], ("12.5", "x"), [1, None], [[1, 2], [3, 4]],
           pd.Series([10**400, 1], dtype=object), np.array(["1", "2"])]
    failures = []
    for exercise_id in sorted(k for k in check._REGISTRY if k.startswith(module[1:] + ".")):
        for answer in odd:
            result = check.evaluate(exercise_id, answer)
            if result.status == "error":
                failures.append(f"{exercise_id} {answer!r:.40}: {result.text(lang='en')}")
    assert failures == []

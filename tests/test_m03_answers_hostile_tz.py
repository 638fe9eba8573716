"""Module 03's series answers with the time zone taken off: the same Seoul hours without a zone are
right; UTC clock times without a zone are told what happened, not that a label "is missing"."""

from __future__ import annotations

import pytest

from sensorlab import check
from sensorlab.exercises import m03

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _hourly():
    return m03._station().set_index("timestamp")["pm25"]


def test_a_rolling_mean_on_seoul_hours_without_a_time_zone_passes():
    result = check.evaluate("03.3-rolling-24h", _hourly().tz_localize(None).rolling(24).mean())
    assert result, result.text(lang="en")


def test_a_daily_mean_on_seoul_days_without_a_time_zone_passes():
    result = check.evaluate("03.2-daily-mean", _hourly().tz_localize(None).resample("D").mean())
    assert result, result.text(lang="en")


@pytest.mark.parametrize("exercise_id, answer", [
    ("03.3-rolling-24h", lambda h: h.tz_convert(None).rolling(24).mean()),
    ("03.2-daily-mean", lambda h: h.tz_convert(None).resample("D").mean()),
])
def test_utc_clock_times_without_a_time_zone_are_told_they_lost_seoul_time(exercise_id, answer):
    result = check.evaluate(exercise_id, answer(_hourly()))
    assert result.status == "wrong" and result.key == "check.time_zone_dropped", result.text(lang="en")
    assert "Asia/Seoul" in result.text(lang="en") and "Asia/Seoul" in result.text(lang="ko")

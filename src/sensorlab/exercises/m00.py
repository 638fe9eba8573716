"""Checkers for module 00, Welcome."""

from __future__ import annotations

import math

from sensorlab.check import register
from sensorlab.check_expect import expect_close, expect_type
from sensorlab.check_wording import Wrong
from sensorlab.datasets.base import stations
from sensorlab.exercises._data import district_answer

#: The week of daily PM2.5 means printed in lesson 00.2 (µg/m³); the lesson types the same list.
WEEK_PM25 = [12, 18, 25, 31, 9, 40, 19]


@register("00.1-my-district", kind=str, hints=("m00.my_district.hint1", "m00.my_district.hint2"))
def my_district(answer):
    """A Seoul district name, in English (``"Mapo-gu"``) or Korean (``"마포구"``)."""
    district_answer(answer)


@register("00.1-hours-in-week", kind=float, hints=("m00.hours_in_week.hint1",))
def hours_in_week(answer):
    """How many hourly readings one sensor makes in a week."""
    if answer == 7:
        raise Wrong("m00.hours_in_week.days")
    expect_close(answer, 7 * 24, "m00.what.hours")


@register("00.2-mean-of-list", kind=float, hints=("m00.mean_of_list.hint1", "m00.mean_of_list.hint2"))
def mean_of_list(answer):
    """The mean of :data:`WEEK_PM25`."""
    if math.isclose(answer, sum(WEEK_PM25)):
        raise Wrong("m00.mean_of_list.sum")
    expect_close(answer, sum(WEEK_PM25) / len(WEEK_PM25), "m00.what.mean")


@register("00.2-west-stations", hints=("m00.west_stations.hint1", "m00.west_stations.hint2"))
def west_stations(answer):
    """How many reference stations lie west of longitude 126.95 °E."""
    if hasattr(answer, "__len__"):
        raise Wrong("m00.west_stations.count")
    expect_type(answer, int)
    table = stations()
    expect_close(answer, int((table["lon"] < 126.95).sum()), "m00.what.stations", rtol=0)


@register("00.2-grade-function", level="university",
          hints=("m00.grade_function.hint1", "m00.grade_function.hint2"))
def grade_function(answer):
    """A function ``grade(pm25)`` giving the Korean PM2.5 grade, in English words or in Korean.

    The Korean edition of lesson 00.2 writes the grades as 좋음/보통/나쁨/매우나쁨; the answer's
    first word decides which language all its grades must be in.
    """
    from sensorlab.messages import get_language
    from sensorlab.plotting import pm25_grade

    if not callable(answer):
        raise Wrong("m00.grade_function.not_function")
    values = (0, 10, 15, 15.5, 20, 35, 35.5, 50, 75, 75.5, 120)
    first = answer(values[0])
    lang = next((la for la in ("en", "ko") if first == pm25_grade(values[0], lang=la)), get_language())
    for value in values:
        want, got = pm25_grade(value, lang=lang), answer(value)
        if got != want:
            raise Wrong("m00.grade_function.wrong", value=value, expected=want, got=repr(got))


@register("00.3-street-share", kind=float, hints=("m00.street_share.hint1", "m00.street_share.hint2"))
def street_share(answer):
    """The fraction of the city's sites that are street sensors."""
    from sensorlab.exercises._data import part

    sites = part("pm25").sites
    expected = float((sites["kind"] == "street").mean())
    if math.isclose(answer, 100 * expected, rel_tol=1e-3):
        raise Wrong("m00.street_share.percent")
    expect_close(answer, expected, "m00.what.share")


@register("00.4-mapo-peak", kind=float, hints=("m00.mapo_peak.hint1", "m00.mapo_peak.hint2"))
def mapo_peak(answer):
    """The highest hourly district-mean PM2.5 in Mapo-gu in the first full week."""
    from sensorlab.exercises._data import part
    from sensorlab.widgets import week_of

    week = week_of(part("pm25"), "Mapo-gu")
    if math.isclose(answer, week.mean(), rel_tol=1e-3):
        raise Wrong("m00.mapo_peak.mean")
    expect_close(answer, float(week.max()), "m00.what.peak")

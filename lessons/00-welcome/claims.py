"""The numbers module 00 states, computed from the package (see tools/stated_numbers.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sensorlab.datasets import load_city, stations
from sensorlab.datasets.real import SDOT_SENSORS_2020
from sensorlab.exercises.m00 import WEEK_PM25
from sensorlab.plotting import PM25_GRADES
from sensorlab.widgets import week_of
from tools.lesson_plans import PERIOD_MIN, check_periods, header_minutes, plan_slots
from tools.stated_numbers import plain, states

HERE = Path(__file__).parent
#: The guide's two periods, the notebooks each covers, and the minutes each spends logging in.
PERIODS = {1: (("01-jupyter-basics", 1), ("02-python-for-data", 1)),
           2: (("03-why-sensors-on-street-lights", 1), ("04-first-look", 1))}
OVERHEAD = {1: 5, 2: 5}


@cache
def city():
    return load_city("pm25", truth=False)


def minutes(stem: str) -> tuple[int, int]:
    return header_minutes(HERE, stem)


def grade_limits():
    """The upper limits of 좋음, 보통 and 나쁨 (µg/m³)."""
    return tuple(upper for upper, *_ in PM25_GRADES[:-1])


@states("teacher-guide", "## {}-minute period plan")
def period_minutes():
    """The class period, after checking that each period's notebooks and set-up fit in it."""
    check_periods(HERE, PERIODS, OVERHEAD)
    return PERIOD_MIN


@states("teacher-guide", "plus {} minutes to log in")
def set_up_minutes():
    return OVERHEAD[1]


def _table_row(stem: str, title: str):
    states("teacher-guide", f"| {title} | {{}} | {{}} |")(lambda: minutes(stem))


for _stem, _title in [("01-jupyter-basics", "00.1 Jupyter basics"), ("02-python-for-data", "00.2 Python for data"),
                      ("03-why-sensors-on-street-lights", "00.3 Why sensors on street lights?"),
                      ("04-first-look", "00.4 A first look at the city")]:
    _table_row(_stem, _title)


@states("01-jupyter-basics", "Which of Seoul's {} districts")
@states("02-python-for-data", "Seoul's {} district reference stations")
@states("03-why-sensors-on-street-lights", "in each of its {} districts")
@states("04-first-look", "Seoul's {} district air-quality stations")
@states("teacher-guide", "local patterns the {} stations cannot")
def districts():
    return len(stations())


@states("02-python-for-data", "좋음 *good* (up to {} µg/m³), 보통 *moderate* (above {}, up to {}), 나쁨 *bad* "
        "(above {}, up to {}) and 매우나쁨 *very bad* (above {}).")
def grade_bands():
    good, moderate, bad = grade_limits()
    return good, good, moderate, moderate, bad, bad


@states("02-python-for-data", "with the limits {}, {} and {} belonging to the lower grade")
def grade_limits_claim():
    return grade_limits()


@states("02-python-for-data", "hide the day with {} µg/m³")
@states("teacher-guide", "report the maximum ({}, \"bad\")")
def week_max():
    return max(WEEK_PM25)


@states("teacher-guide", "The mean ({:.0f} µg/m³)")
@states("teacher-guide", "`mean_pm25 = sum(week_pm25) / len(week_pm25)`, which is {:.1f} µg/m³")
def week_mean():
    return sum(WEEK_PM25) / len(WEEK_PM25)


@states("teacher-guide", "`readings_per_week = 7 * 24` ({})")
def hours_in_week():
    return 7 * 24


@states("teacher-guide", "which is {} stations")
def west_stations():
    return int((stations()["lon"] < 126.95).sum())


@states("teacher-guide", "which is {:.1f}; {:.0f} (a percentage)")
def street_share():
    share = float((city().sites["kind"] == "street").mean())
    return share, 100 * share


@states("teacher-guide", "`mapo_peak = widgets.week_of(city, \"Mapo-gu\").max()`, which is {:.1f} µg/m³")
def mapo_peak():
    return float(week_of(city(), "Mapo-gu").max())


@states("03-why-sensors-on-street-lights", "the city's 2020 daily data holds {} of them")
def sdot_sensors():
    return SDOT_SENSORS_2020


#: The week 00.3 plots (its code cell's `week`): Jongno-gu's pair reads clean all week, in February like the text says.
COLOCATED_WEEK = slice("2024-02-19", "2024-02-25")


@cache
def colocated_week():
    r = city().readings
    pair = r[r["site_id"].isin(["ref-101", "sdot-101-01"])].pivot_table(
        index="timestamp", columns="site_id", values="pm25", observed=True).loc[COLOCATED_WEEK]
    if pair.isna().any().any() or (pair <= 0).any().any():
        raise AssertionError("00.3 plots a week of a co-located pair as two clean lines; "
                             f"{COLOCATED_WEEK} now has gaps or sentinels: choose another week")
    return pair


@states("03-why-sensors-on-street-lights", "reads lower than the station in {} of the week's {} hours")
def street_lower_hours():
    pair = colocated_week()
    lower = int((pair["sdot-101-01"] < pair["ref-101"]).sum())
    if lower <= len(pair) / 2:
        raise AssertionError("00.3 says the street sensor reads lower than its station on most hours of the week; "
                             f"it now does so in {lower} of {len(pair)}: rewrite the alt text and the paragraph")
    corr = pair.corr().iloc[0, 1]
    if corr < 0.7:
        raise AssertionError(f"00.3 says the two lines rise and fall together; their correlation is {corr:.2f}")
    return lower, len(pair)


@states("04-first-look", "Map of {} sensor sites on longitude and latitude axes: {} blue squares")
def site_counts():
    sites = city().sites
    return len(sites), int((sites["kind"] == "reference").sum())


@states("04-first-look", "and {} orange circles (street sensors)")
def street_sites():
    return int((city().sites["kind"] == "street").sum())


plain("teacher-guide", *plan_slots(HERE / "teacher-guide.md", 2), *plan_slots(HERE / "teacher-guide.ko.md", 2), "Period 1", "Period 2", "period 1", "1차시", "2차시",
      "126.95", "8 a.m.", "아침 8시", "Giving 7", "7을 주면", "(0)부터", "(10분)", "500곳", "1세제곱미터", "1시간", "question 2", "질문 2", "question 1", "질문 1", "7 * 24")
plain("02-python-for-data", "126.95", "counts as 1", "1로 세어져요", "15.5", "starting at position 0", "0부터")
plain("03-why-sensors-on-street-lights", "500 more", "500곳", "0과 1", "CC BY 4.0", "2019–2020년", "2016년", "2020년", "2월",
      "1시간")
plain("04-first-look", "CC BY 4.0", "1시간", "1년")

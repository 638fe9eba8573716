"""The numbers module 00 states, computed from the package (see tools/stated_numbers.py)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat

from sensorlab.datasets import load_city, stations
from sensorlab.datasets.real import SDOT_SENSORS_2020
from sensorlab.exercises.m00 import WEEK_PM25
from sensorlab.widgets import week_of
from sensorlab.lessons import parse_header
from sensorlab.plotting import PM25_GRADES
from tools.stated_numbers import plain, states

HERE = Path(__file__).parent
#: Minutes of a class period, and what the plan spends outside the notebooks (logging in, saving).
PERIOD_MIN, PERIOD_OVERHEAD_MIN = 50, 5
#: The guide's two periods and the notebooks each covers.
PERIODS = {1: ("01-jupyter-basics", "02-python-for-data"),
           2: ("03-why-sensors-on-street-lights", "04-first-look")}


@cache
def city():
    return load_city("pm25", truth=False)


@cache
def minutes(stem: str) -> tuple[int, int]:
    """A notebook's header times (teaching, exercises) in minutes."""
    header = parse_header(nbformat.read(HERE / f"{stem}.ipynb", as_version=4))
    return header.teaching, header.exercises


def plan_slots(lang: str = "") -> list[str]:
    """The "| 0–5 |" minute ranges of the guide's period plans, after checking that each plan runs
    without gaps from 0 to the end of the period (so they are a schedule, not measurements)."""
    text = (HERE / f"teacher-guide{lang}.md").read_text(encoding="utf-8")
    slots = re.findall(r"^\| (\d+)–(\d+) \|", text, flags=re.M)
    ends, at = [], 0
    for start, end in ((int(a), int(b)) for a, b in slots):
        if start != at:
            raise AssertionError(f"00 teacher guide{lang}: the plan jumps from minute {at} to {start}")
        at = 0 if end == PERIOD_MIN else end
        ends.append(end)
    if ends.count(PERIOD_MIN) != len(PERIODS) or at != 0:
        raise AssertionError(f"00 teacher guide{lang}: each of the {len(PERIODS)} plans must end at minute {PERIOD_MIN}")
    return [f"| {a}–{b} |" for a, b in slots]


def grade_limits():
    """The upper limits of 좋음, 보통 and 나쁨 (µg/m³)."""
    return tuple(upper for upper, *_ in PM25_GRADES[:-1])


@states("teacher-guide", "## {}-minute period plan")
def period_minutes():
    """The class period, after checking that each period's notebooks and set-up fit in it."""
    for period, stems in PERIODS.items():
        used = sum(sum(minutes(s)) for s in stems) + PERIOD_OVERHEAD_MIN
        if used > PERIOD_MIN:
            raise AssertionError(f"00 teacher guide: period {period} ({', '.join(stems)}) holds {used} minutes of "
                                 f"notebook time and set-up in a {PERIOD_MIN}-minute class; shorten the notebooks' "
                                 "header times or split the period")
    return PERIOD_MIN


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


@cache
def colocated_week():
    r = city().readings
    pair = r[r["site_id"].isin(["ref-101", "sdot-101-01"])].pivot_table(
        index="timestamp", columns="site_id", values="pm25", observed=True).loc["2024-01-08":"2024-01-14"]
    return pair.dropna()


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


plain("teacher-guide", *plan_slots(), *plan_slots(".ko"), "Period 1", "Period 2", "period 1", "1차시", "2차시",
      "126.95", "8 a.m.", "아침 8시", "Giving 7", "7을 주면", "(0)부터", "(10분)", "5분을", "500곳", "1세제곱미터", "1시간", "question 2", "질문 2", "question 1", "질문 1", "7 * 24")
plain("02-python-for-data", "126.95", "counts as 1", "1로 세어져요", "15.5", "starting at position 0", "0부터")
plain("03-why-sensors-on-street-lights", "500 more", "500곳", "0과 1", "CC BY 4.0", "2019–2020년", "2016년", "2020년", "1월",
      "1시간")
plain("04-first-look", "CC BY 4.0", "1시간", "1년")

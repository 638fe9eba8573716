"""Every number module 03 states, computed from the package (lessons/CONTRIBUTING.md section 12).

The bundled city is regenerated from time to time, so the prose states numbers only through these
claims; where a lesson's point depends on a value (the street sensors rank the districts
differently from the stations; districts differ less than months), an assertion below says so in
a sentence and fails when a new city breaks the story.
"""

import functools
from functools import cache

import numpy as np

from sensorlab import cleaning
from sensorlab.datasets import load_city
from sensorlab.datasets.base import stations
from sensorlab.explore import colocated_pairs, district_ranking, plausible
from sensorlab.plotting import PM25_GRADES
from pathlib import Path

from tools.lesson_plans import checked_plan, guide_slots, state_period_rows
from tools.stated_numbers import plain, states

LESSONS = ("01-selecting-rows-and-columns", "02-groupby-and-resampling", "03-time-series-plots",
           "04-maps-by-district", "05-city-explorer")
GUIDE = "teacher-guide"
HERE = Path(__file__).parent


@cache
def city():
    """PM2.5 of the bundled city (what 03.1-03.4 load), impossible values hidden as the lessons do."""
    data = load_city("pm25", truth=False)
    return data, plausible(data.readings)


def _with_sites():
    data, readings = city()
    return readings.merge(data.sites[["site_id", "kind", "district"]], on="site_id")


@cache
def ranking():
    data, readings = city()
    return district_ranking(readings, data.sites)


def _grade_limit(name):
    return next(upper for upper, en, _ko, _colour in PM25_GRADES if en == name)


# --- every notebook's data credits ---------------------------------------------------------------

@states(*LESSONS, "Station positions: Seoul's {} district air-quality stations")
def district_stations():
    return len(stations())


for _doc in LESSONS:
    plain(_doc, "CC BY 4.0", "2024년", "1년", "1시간")


# --- 03.1 ---------------------------------------------------------------------------------------

@states(LESSONS[0], "Korea calls PM2.5 above {} µg/m³ *very bad*")
def very_bad_limit():
    return _grade_limit("bad")


@states(LESSONS[0], "had PM2.5 above {} µg/m³ (bad or very bad)")
def bad_limit():
    return _grade_limit("moderate")


@states(LESSONS[0], "values outside what the sensor can report (0 to {:,.0f} µg/m³ for PM2.5)")
def pm25_sensor_range():
    return cleaning.SENSOR_RANGES["pm25"][1]


@states(LESSONS[0], "the highest street-sensor hour reads {:,.0f} µg/m³, while no reference station reads "
                    "above {:.0f} all year")
def highest_hours():
    r = _with_sites()
    street, station = r.loc[r["kind"] == "street", "pm25"].max(), r.loc[r["kind"] == "reference", "pm25"].max()
    if not street > 2 * station:
        raise AssertionError("03.1 says the highest street readings are far above anything a station reads, "
                             f"but the street maximum {street} is not twice the stations' {station}")
    return street, station


plain(LESSONS[0], "0을", "0인", "0부터", "2020년")


@states(GUIDE, "a year of {:,} hours × {} sites = {:,} rows")
def rows_in_a_year():
    data, readings = city()
    hours = readings["timestamp"].nunique()
    return hours, len(data.sites), len(readings)


@states(GUIDE, "only the rows where it is True ({:,} in the bundled city)")
def very_bad_rows():
    return int((city()[1]["pm25"] > _grade_limit("bad")).sum())


# --- 03.2 ---------------------------------------------------------------------------------------

@states(LESSONS[1], GUIDE, "One street sensor averages {:.1f} µg/m³ over the year where the station beside it "
                           "averages {:.1f}; another averages {:.1f} beside a station at {:.1f}")
def colocated_extremes():
    data, readings = city()
    pairs = colocated_pairs(readings, data.sites)
    low, high = pairs.iloc[0], pairs.iloc[-1]
    return low["sensor_mean"], low["station_mean"], high["sensor_mean"], high["station_mean"]


@states(LESSONS[1], LESSONS[4], GUIDE, "{} of the {} districts change place")
def districts_that_move():
    table = ranking()
    moved = int(table["moved"].sum())
    if moved < len(table) // 3:
        raise AssertionError(f"03.2 shows ranking by raw street sensors as a trap, but only {moved} of "
                             f"{len(table)} districts change place: the story needs rewriting")
    return moved, len(table)


@states(LESSONS[1], "The stations' district means lie between {:.1f} and {:.1f} µg/m³; "
                    "the street sensors' between {:.1f} and {:.1f}")
def district_spreads():
    t = ranking()
    if not (t["street"].max() - t["street"].min()) > 2 * (t["station"].max() - t["station"].min()):
        raise AssertionError("03.2 says the street sensors spread the districts far wider than the stations do, "
                             "but their spread is not twice the stations'")
    return t["station"].min(), t["station"].max(), t["street"].min(), t["street"].max()


def _monthly_station(site="ref-101"):
    readings = city()[1]
    hourly = readings[readings["site_id"] == site].set_index("timestamp")["pm25"]
    return hourly.resample("MS").mean()


def _seasons_hold():
    """02's discussion and 03's alt text: ref-101 is highest in winter and spring and lowest in summer."""
    monthly = _monthly_station()
    by_month = dict(zip(monthly.index.month, monthly.to_numpy()))
    winter_spring = np.mean([by_month[m] for m in (12, 1, 2, 3, 4)])
    summer = np.mean([by_month[m] for m in (7, 8, 9)])
    if not (winter_spring > 1.3 * summer and min(by_month, key=by_month.get) in (6, 7, 8, 9)):
        raise AssertionError("03.2 and 03.3 say ref-101 is high in winter and spring and lowest in summer; "
                             f"the monthly means are now {monthly.round(1).tolist()}")


_seasons_hold()


@states(GUIDE, "on average the street sensors read highest at {}:00 and lowest at {}:00")
def street_hours():
    r = _with_sites()
    street = r[r["kind"] == "street"]
    by_hour = street.groupby(street["timestamp"].dt.hour)["pm25"].mean()
    return int(by_hour.idxmax()), int(by_hour.idxmin())


plain(LESSONS[1], "all the 8 o'clocks", "all the 9 o'clocks", "모든 8시끼리, 모든 9시끼리", "(0–23)",
      "5 or 6", "5 또는")


# --- 03.3 ---------------------------------------------------------------------------------------

plain(LESSONS[2], "24-hour", "the 23 before it", "24시간", "23시간", "2024년 1월", "rolling(24)")


@states(LESSONS[2], GUIDE, "in any month the three stations differ by at most {:.0f} µg/m³, while their monthly means "
                    "range over {:.0f} µg/m³ through the year")
def districts_versus_months():
    monthly = np.array([_monthly_station(s).to_numpy() for s in ("ref-101", "ref-123", "ref-116")])
    # ref-101 Jongno-gu, ref-123 Gangnam-gu, ref-116 Gangseo-gu: the three the lesson plots
    sites = city()[0].sites.set_index("site_id")["district"]
    assert [sites[s] for s in ("ref-101", "ref-123", "ref-116")] == ["Jongno-gu", "Gangnam-gu", "Gangseo-gu"]
    between = (monthly.max(axis=0) - monthly.min(axis=0)).max()
    through = (monthly.max(axis=1) - monthly.min(axis=1)).min()
    if not between < through:
        raise AssertionError("03.3 says the districts differ less than the months do; "
                             f"the largest gap between districts ({between:.1f}) is not below the seasonal range ({through:.1f})")
    return between, through


# --- 03.4 ---------------------------------------------------------------------------------------

@states(LESSONS[3], "(about {:.0f} km against {:.0f} km)")
def degree_lengths():
    lat = city()[0].sites["lat"].mean()
    km_per_degree = 2 * np.pi * 6371.0 / 360  # a great circle of the mean Earth radius
    return km_per_degree * np.cos(np.radians(lat)), km_per_degree


@states(LESSONS[3], "Map of the city's {} sites on longitude and latitude axes: blue squares for the {} "
                    "reference stations and orange circles for the {} street sensors")
def site_counts():
    sites = city()[0].sites
    return len(sites), int((sites["kind"] == "reference").sum()), int((sites["kind"] == "street").sum())


@states(LESSONS[3], GUIDE, "the street sensors' means range from {:.0f} to {:.0f} µg/m³, the stations' only from "
                    "{:.0f} to {:.0f}")
def site_mean_ranges():
    data, readings = city()
    means = readings.groupby(readings["site_id"].astype(str))["pm25"].mean()
    kind = data.sites.assign(site_id=data.sites["site_id"].astype(str)).set_index("site_id")["kind"]
    street, station = means[kind[means.index] == "street"], means[kind[means.index] == "reference"]
    return street.min(), street.max(), station.min(), station.max()


@states(LESSONS[3], "the bars run from about {:.0f} µg/m³ at the cleanest station to about {:.0f} at the dirtiest; "
                    "the dots of the raw street sensors run from about {:.0f} to about {:.0f}")
def ranking_chart():
    t = ranking()
    return t["station"].min(), t["station"].max(), t["street"].min(), t["street"].max()


plain(LESSONS[3], "경도 1도가 위도 1도보다")


# --- 03.5 ---------------------------------------------------------------------------------------

plain(LESSONS[4], "(22:00 to 05:59)", "22:00부터 05:59까지", "5 or 6", "5 또는", "6이에요", "7월", "3월과 8월", "2020년")


# --- teacher guide ------------------------------------------------------------------------------

@states(GUIDE, "`bad_hours` is {:,}")
def bad_hours():
    r = _with_sites()
    return int(((r["kind"] == "reference") & (r["pm25"] > _grade_limit("moderate"))).sum())


@cache
def assignment_points():
    """Points of assignment 03's graded cells, by grade id, from the committed source notebook."""
    import nbformat

    from tools.stated_numbers import REPO

    nb = nbformat.read(REPO / "grader/source/03-exploring-the-city/03-exploring-the-city.ipynb", as_version=4)
    cells = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return {c["grade_id"]: c["points"] for c in cells if c.get("grade") and c.get("points")}


@states(GUIDE, "Q2 a 24-hour rolling mean ({} points) and Q3 the noisiest "
               "hour ({} points)")
def assignment_auto_points():
    p = assignment_points()
    return p["test_rolling_24h"], p["test_noisiest_hour"]


@states(GUIDE, "Q4 a short written advice to the district office ({} points, graded by you")
def assignment_written_points():
    return assignment_points()["q4_district_office"]


@states(GUIDE, "January ({} points)")
def assignment_q1_points():
    p = assignment_points()
    return p["test_january_daily_shape"] + p["test_january_daily_values"]


def _header_minutes(stem):
    """The teaching and exercise minutes a notebook's header states (the guide's table repeats them)."""
    import re

    import nbformat

    from tools.stated_numbers import LESSONS as ROOT

    header = nbformat.read(ROOT / "03-exploring-the-city" / f"{stem}.ipynb", as_version=4).cells[0].source
    return tuple(int(re.search(rf"- {part}: (\d+) min", header).group(1)) for part in ("Teaching", "Exercises"))


for _stem, _title in zip(LESSONS, ("03.1 Selecting rows and columns", "03.2 Groupby and resampling",
                                   "03.3 Time-series plots", "03.4 Maps by district", "03.5 The city explorer")):
    _minutes = functools.partial(_header_minutes, _stem)
    _minutes.__name__ = f"header_minutes_{_stem[:2]}"  # a claim is named by its function
    states(GUIDE, f"| {_title} | {{}} | {{}} |")(_minutes)


# The time students need for the assignment is a teacher's estimate, not a computed number.
plain(GUIDE, "about 40 minutes", "약 40분")
plain(GUIDE, "Period 1", "Period 2", "Period 3", "Period 4", "Period 5", "1차시", "2차시", "3차시", "4차시", "5차시",
      "10–30", "1년", "1시간", "질문 1", "1월", "1분쯤", "6차시", "a sixth period", "after period 5", "5차시 뒤에",
      "| Period |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |")
plain(GUIDE, "50-minute", "50분", "(minutes)", "(분)", "−999", "2020년")

# ---- the guide's period plan: checked to fit, every notebook placed ---------------------------------------
#: The periods, the notebooks (and the share of each, 03.5 split at "Your own question") each covers, and
#: the minutes each spends logging in (as module 00's plan) plus class work outside the notebooks.
PERIODS = {1: ((LESSONS[0], 1),), 2: ((LESSONS[1], 1),), 3: ((LESSONS[2], 1),),
           4: ((LESSONS[3], 1), (LESSONS[4], 15 / 30)),
           5: ((LESSONS[4], 15 / 30), ("06-your-data", 1))}
LOG_IN, ACTIVITY = 5, {3: 10, 5: 10}
OVERHEAD = {p: LOG_IN + ACTIVITY.get(p, 0) for p in PERIODS}
plain(GUIDE, *guide_slots(HERE, PERIODS))


@states(GUIDE, "The module takes {} periods. Each period opens with {} minutes to log in")
def period_count():
    return checked_plan(HERE, PERIODS, OVERHEAD), LOG_IN


@states(GUIDE, "Students need about 40 minutes, after period {}: as homework")
def assignment_after_period():
    return len(PERIODS)


@states(GUIDE, "in periods {} and {}, {} minutes of class\nactivity outside the notebooks")
def activity_minutes():
    if len(set(ACTIVITY.values())) != 1:
        raise AssertionError("03 guide gives one length for the class activities of two periods; ACTIVITY differs")
    return (*ACTIVITY, ACTIVITY[3])


state_period_rows(GUIDE, HERE, PERIODS, {
    1: "| 1 | 03.1 Selecting rows and columns ({:g}) |",
    2: "| 2 | 03.2 Groupby and resampling ({:g}) |",
    3: "| 3 | 03.3 Time-series plots ({:g}) |",
    4: "| 4 | 03.4 Maps by district ({:g}) and 03.5 up to \"Your own question\" ({:g} of {:g}) |",
    5: "| 5 | 03.5 from \"Your own question\" ({:g} of {:g}) and 03.6 Your data ({:g}) |",
})


# --- 03.6 Your data ------------------------------------------------------------------------------
# The notebook states no number of its own data (the student's boxes differ): its cells print them.

YOUR_DATA = "06-your-data"


@states(YOUR_DATA, "Station positions: Seoul's {} district air-quality stations")
def your_data_district_stations():
    return len(stations())


plain(YOUR_DATA, "CC BY 4.0", "(0 to 23, Korea time)", "0시부터 23시", "1시간", "from 2020", "2020년")


@states(GUIDE, "| 03.6 Your data | {} | {} |")
def header_minutes_06():
    """03.6's header times, once the guide's answer to its prompt is checked on the class network."""
    _your_data_story_holds()
    return _header_minutes(YOUR_DATA)


@cache
def _your_data_story_holds():
    """The guide says the class boxes' PM2.5 means spread wider than all the city's stations' over the same
    calendar days, while their temperatures agree closely: the boxes rank their gains, not the air."""
    from sensorlab.your_data import class_network_folder, my_data

    boxes = plausible(my_data(class_network_folder()).readings)
    first, last = boxes["timestamp"].min(), boxes["timestamp"].max()
    ref = load_city("pm25", kind="reference", truth=False, start=f"2024-{first:%m-%d}", end=f"2024-{last:%m-%d}")
    pm = boxes.groupby("site_id")["pm25"].mean()
    stations_pm = plausible(ref.readings).groupby("site_id", observed=True)["pm25"].mean()
    warm = boxes.groupby("site_id")["temperature"].mean()
    if pm.max() / pm.min() <= stations_pm.max() / stations_pm.min() or warm.max() / warm.min() >= pm.max() / pm.min():
        raise AssertionError("03.6's answer says the class boxes' PM2.5 spreads wider than the city's stations and "
                             "wider than their temperature; it no longer holds: rewrite the answer")


# the fifth period's plan, shared by 03.5 and 03.6 (a schedule, not a measurement)
plain(GUIDE, "10–25", "25–35", "35–50", "2025년 3월", "March 2025", "1도보다", "질문 1", "question 1")

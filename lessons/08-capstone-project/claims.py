"""Every number module 08 states, computed from the package (tools/stated_numbers.py).

The firmware's pacing and the box's settings come from ``sensorlab.exercises.m08`` (the same
constants the checks use); the worked examples' results are recomputed from the bundled city.
Where an example's answer depends on a value ("not clearly higher": the interval holds zero),
an assertion says so.
"""

from functools import cache
from pathlib import Path

import numpy as np

from sensorlab.exercises import m08
from tools import lesson_plans
from tools.lesson_plans import checked_plan, guide_slots, period_parts
from tools.stated_numbers import plain, states

L1, L2, L3, L4, L5, GUIDE = ("01-choosing-a-question", "02-planning-data-collection", "03-example-school-run-air",
                             "04-example-box-vs-station", "05-your-data", "teacher-guide")
DAY = 24 * 3600


@states(L1, "a year, {} sites")
def n_sites():
    from sensorlab.datasets import load_city

    return len(load_city("pm25").sites)


# --- 08.2 ----------------------------------------------------------------------------------------

@states(L2, "**report every {} s**")
def report_every():
    return m08.REPORT_S


@states(L2, "a PM line ({} values)")
def pm_values():
    return m08.PM_VALUES


@states(L2, "({} values: `t`")
def sht_values():
    return m08.SHT_VALUES


@states(L2, "every {} s.")
def heartbeat():
    return m08.HEARTBEAT_S


@states(L2, "A box makes about {:,} lines and {:,} long rows a day")
def lines_and_rows():
    lines = DAY // m08.REPORT_S * 2 + DAY // m08.HEARTBEAT_S
    rows = DAY // m08.REPORT_S * (m08.PM_VALUES + m08.SHT_VALUES) + DAY // m08.HEARTBEAT_S * m08.HB_VALUES
    return lines, rows


@states(L2, "n = (({:.2f} + {:.2f}) × sd / δ)² days")
def z_values():
    from scipy.stats import norm

    return float(norm.ppf(0.975)), float(norm.ppf(0.80))


@states(GUIDE, "the 'bad' grade starts above {:.0f} µg/m³")
def bad_grade():
    from sensorlab.plotting import PM25_GRADES

    return PM25_GRADES[1][0]


# --- 08.3 ----------------------------------------------------------------------------------------

@cache
def school_run_result():
    from sensorlab.stats import bootstrap_ci

    diffs = m08.daily_difference_school_run()
    ci = bootstrap_ci(diffs.to_numpy(), seed=0)
    morning = float(m08._window(m08.SCHOOL_RUN_HOURS)["pm25"].mean())
    noon = float(m08._window(m08.MIDDAY_HOURS)["pm25"].mean())
    if not (0 < ci.low and ci.high < 2):
        raise AssertionError("08.3's answer says the school run is measurably but only slightly worse (interval above "
                             f"zero, below 2 µg/m³); the interval is now {ci.low:.2f} to {ci.high:.2f}")
    if not float(diffs.std()) > 5 * ci.estimate:
        raise AssertionError("08.3's answer says the day-to-day weather matters far more than the hour")
    return ci.estimate, 100 * (morning - noon) / noon, ci.low, ci.high


@states(L3, "only about {:.1f} µg/m³ higher\n> than at midday (about {:.0f} %; 95 % interval from about {:.2f} to {:.2f} µg/m³)")
def school_run_answer():
    return school_run_result()


# --- 08.4 ----------------------------------------------------------------------------------------

@cache
def box_agreement():
    both = m08.paired()
    r = float(both["box"].corr(both["station"]))
    bias = float((both["box"] - both["station"]).mean())
    classical = np.polyfit(both["station"], both["box"], 1)
    inverse = np.polyfit(both["box"], both["station"], 1)
    if not (-3 < bias < 0 and abs(inverse[0] - 1) < 0.1):
        raise AssertionError("08.4 says the box reads a little low, its calibration line close to the station's (slope "
                             f"near 1); its bias is {bias:.2f}, the slope of station from box {inverse[0]:.2f}")
    return r, bias, float(classical[0]), float(1 / classical[0]), float(inverse[0]), float(inverse[1])


@states(L4, "(r ≈ {:.2f}) and reads about {:.1f} µg/m³ low on average")
def box_answer():
    r, bias = box_agreement()[:2]
    return r, -bias


@cache
def _error_and_humidity():
    """The box's hourly error (box - station) and the humidity the box measured in those hours."""
    both = m08.paired()
    ok = m08.box_log().readings
    ok = ok[ok["status"] == "ok"]
    humidity = ok.set_index("timestamp")["humidity"].resample("1h").mean().reindex(both.index)
    return both["box"] - both["station"], humidity


@states(L4, "In the most humid quarter of the hours the box reads about {:.1f} µg/m³ below the station, in the driest quarter about {:.1f} µg/m³ below")
def box_error_by_humidity():
    """How far below the station the box reads in the most humid and in the driest quarter of its hours."""
    error, humidity = _error_and_humidity()
    dry, humid = humidity.quantile([0.25, 0.75])
    wet_error, dry_error = float(error[humidity >= humid].mean()), float(error[humidity <= dry].mean())
    if not (dry_error < wet_error < 0 and wet_error - dry_error < float(error.std()) / 4):
        raise AssertionError("08.4 says the box reads below the station in humid and dry hours alike, a little less low "
                             "in humid ones, the two differing little beside the hourly scatter (humidity explains little); "
                             f"humid quarter {wet_error:.2f}, "
                             f"driest {dry_error:.2f}, scatter {error.std():.2f} µg/m³")
    return -wet_error, -dry_error


@states(L4, "the hour-to-hour scatter of the error (a standard deviation of about {:.1f} µg/m³)")
def error_scatter():
    return float(_error_and_humidity()[0].std())


@states(L4, "in the most polluted quarter of the hours the box reads about {:.1f} µg/m³ below the station, in the other hours within about {:.1f} µg/m³ of it")
def box_error_by_level():
    """The box's mean error in the most polluted quarter of the hours and in the rest.

    The hours are sorted by the mean of the two readings: sorting by either one alone would make the
    other look too low at the top (regression to the mean), as 08.4's cell does too.
    """
    both = m08.paired()
    error = both["box"] - both["station"]
    level = (both["box"] + both["station"]) / 2
    top = level >= level.quantile(0.75)
    polluted, rest = float(error[top].mean()), float(error[~top].mean())
    if not (polluted < -3 and abs(rest) < 1 and polluted < 2 * box_agreement()[1]):
        raise AssertionError("08.4 says the box's low bias comes from the most polluted hours (a gain, not an offset): "
                             f"most polluted quarter {polluted:.2f}, other hours {rest:.2f} µg/m³")
    wet, dry = box_error_by_humidity()
    if not abs(wet - dry) < rest - polluted:
        raise AssertionError("08.4 says the level of the air explains more of the error than humidity does; humid minus "
                             f"dry quarter {dry - wet:.2f}, other hours minus polluted quarter {rest - polluted:.2f} µg/m³")
    return -polluted, abs(rest)


@states(L4, "1. A correlation of {:.2f} sounds excellent.")
@states(GUIDE, "Correlation {:.2f} means the box is accurate.")
def box_r():
    return box_agreement()[0]


@states(GUIDE, "`fit` is about ({:.2f}, {:.2f})")
def guide_fit():
    return box_agreement()[4:6]


@states(GUIDE, "box = {:.2f} × station + a; inverted, a slope of {:.2f}; fitted directly, {:.2f}")
def guide_directions():
    return box_agreement()[2], box_agreement()[3], box_agreement()[4]


@states(GUIDE, "the bias is about {:.1f} µg/m³ (the box reads low) and r about {:.2f}")
def guide_bias_r():
    return box_agreement()[1], box_agreement()[0]


@cache
def every_box():
    """Each box of the class network against its nearest station, as 08.4's table computes it.

    Returns a DataFrame indexed by box: hourly ``bias`` (box - station), ``r`` and the ``slope`` of the
    station fitted from the box (08.4.d's direction), sorted by bias.
    """
    import pandas as pd

    from sensorlab.your_data import my_data, nearest_station

    network = my_data(resample=None)
    station = nearest_station(network).readings.set_index("timestamp")["pm25"]
    rows = {}
    for box, lines in network.readings[network.readings["status"] == "ok"].groupby("site_id", observed=True):
        hourly = lines.set_index("timestamp")["pm25"].resample("1h").mean()
        both = pd.DataFrame({"box": hourly, "station": station}).dropna()
        rows[box] = {"bias": float((both["box"] - both["station"]).mean()), "r": float(both["box"].corr(both["station"])),
                     "slope": float(np.polyfit(both["box"], both["station"], 1)[0])}
    table = pd.DataFrame.from_dict(rows, orient="index").sort_values("bias")
    ours = m08.box_log().name
    if not (table["bias"] < 0).all():
        raise AssertionError(f"08.4 says every box of the class reads low; biases are {table['bias'].round(1).to_dict()}")
    if not (table["bias"].abs().idxmin() == ours and (table["slope"] - 1).abs().idxmin() == ours):
        raise AssertionError(f"08.4 says our box {ours} is the lucky one (smallest bias, slope nearest 1); "
                             f"{table.round(2).to_dict()}")
    return table


@states(L4, "Our box is the lucky one: all {} of the class's boxes read low")
def boxes_reading_low():
    return len(every_box())  # every_box asserts that all of them read low


@states(L4, "from about {:.1f} µg/m³ low to {:.1f} µg/m³ low (ours)")
def bias_range():
    bias = every_box()["bias"]
    return -bias.min(), -bias.max()


@states(L4, "every box follows the station (r from {:.2f} to {:.2f})")
def r_range():
    r = every_box()["r"]
    return r.min(), r.max()


# --- definitions, not results ---------------------------------------------------------------------

MONTHS = [f"{m}월" for m in range(12, 0, -1)] + ["2024년"]
for doc in (L1, L2, L3, L4, GUIDE):
    plain(doc, *MONTHS)
plain(L1, "07–09", "07-09")
plain(L2, "1.8 m up", "1.8 m", "4 school weeks", "4 weeks", "4주", "At about 80\nbytes", "80 bytes", "80바이트",
      "from 5 to 120", "5일에서 120일", "at 2 µg/m³", "δ = 2 µg/m³", "95 % confidence and 80 % power", "2 µg/m³",
      "95 %", "80 %")
plain(L3, "07:00–08:59", "11:00–12:59", "hours 7 and 8", "hours 11 and 12", "11–13", "7시와 8시", "11시와 12시",
      "## 2 ·", "## 3 ·", "## 4 ·", "## 5 ·", "## 6 ·", "95 % interval", "95 % 구간")
plain(L4, "## 1 ·", "## 2 ·", "## 3 ·", "## 4 ·", "1:1", "2주", "4분의 1", "March 2025", "2025년 3월")
# Korean "1시간" (hourly), "1년" (a year) and the like are units of time in words, not results.
plain(L1, "2050년", "1년")
plain(L2, "(값 1개)", "5일에서", "120일까지", "약 3주")
plain(L3, "1시간", "1년", "구간에 0이", "95 % 신뢰구간")
plain(L4, "1시간", "(1이면 완벽)", "(section 2)", "(2절)")


# --- the guide's timetable and answers ----------------------------------------------------------------

def header_minutes():
    """(teaching, exercises) minutes of each lesson, from the notebooks' headers (tools.lesson_plans)."""
    return {stem[:2]: lesson_plans.header_minutes(Path(__file__).parent, stem) for stem in (L1, L2, L3, L4, L5)}


TITLES = {"01": "Choosing a question", "02": "Planning data collection", "03": "Worked example: the air on the school run",
          "04": "Worked example: does our box agree with the station?", "05": "Your data"}


def _row(lesson):
    @states(GUIDE, f"| 08.{int(lesson)} {TITLES[lesson]} | " + "{} | {} |")
    def minutes():
        done = header_minutes()[lesson]
        if sum(done) > 50:
            raise AssertionError(f"the guide fits 08.{int(lesson)} in one 50-minute period; its header says {sum(done)}")
        return done
    minutes.__name__ = f"minutes_08_{lesson}"
    return minutes


for _lesson in TITLES:
    _row(_lesson)

# ---- the guide's period plan: checked to fit, every notebook placed ---------------------------------------
HERE = Path(__file__).parent
#: The periods, the notebook each covers (the last two none), the minutes each spends logging in (as module
#: 00's plan) and the group work outside the notebooks each holds.
PERIODS = {1: ((L1, 1),), 2: ((L2, 1),), 3: ((L3, 1),), 4: ((L4, 1),), 5: ((L5, 1),), 6: (), 7: ()}
LOG_IN, GROUP_WORK = 5, {1: 15, 2: 10, 3: 10, 4: 10, 5: 15, 6: 45, 7: 45}
OVERHEAD = {p: LOG_IN + GROUP_WORK[p] for p in PERIODS}


@states(GUIDE, "The project takes {} periods plus the logging time. Each period opens with {} minutes to log in")
def period_count():
    return checked_plan(HERE, PERIODS, OVERHEAD), LOG_IN


@states(GUIDE, "A high-school cycle takes {} periods plus logging time")
@states(GUIDE, "the project itself takes the {} periods below")
@states(GUIDE, "(period {} is the presentations)")
def periods_in_prose():
    return period_count()[0]


def _period_row(period: int, text: str):
    def row():
        return (*period_parts(HERE, PERIODS, period), GROUP_WORK[period])
    row.__name__ = f"period_{period}_row"
    states(GUIDE, f"| {period} | {text} | {{}} |")(row)


for _period, _text in [(1, "08.1 Choosing a question ({:g})"), (2, "08.2 Planning data collection ({:g})"),
                       (3, "08.3 Worked example: the air on the school run ({:g})"),
                       (4, "08.4 Worked example: does our box agree with the station? ({:g})"),
                       (5, "08.5 Your data ({:g})"), (6, "none: own analysis (after the logging period)"),
                       (7, "none: presentations")]:
    _period_row(_period, _text)

plain(GUIDE, "50-minute", "50분", "levels 1–4", "1–4 수준", "about 10–15 minutes", "약 10–15분",
      "periods 3 and 4", "3–4차시", "Period 1", "Period 2", "Period 3", "Period 4", "Period 6", "Period 7",
      "2차시", "1차시", "3차시", "4차시", "6차시", "7차시", "period 7", "| Period |", "| 1 |", "| 2 |", "| 3 |", "| 4 |",
      "| 5 |", "| 6 |", "| 7 |",
      "3-minute", "3분", "r = 1", "level 4", "level 3", "4 수준", "3 수준", "hours=72", "4–8주", "for 3 minutes",
      "hours 7–8 and 11–12", "7–8시와 11–12시", "1.96 + 0.84", "1시간", "1년", "level 3 expects", "3 수준은",
      "level 4 an interval", "4 수준은")
plain(GUIDE, *guide_slots(HERE, PERIODS))
plain(GUIDE, "reports × 2", "sd / 2)²", "보고 수 × 2")
plain(GUIDE, "대학 연습 1개", "(3–4차시)", "보고 수 × 2", "1–4 수준", "(3–4차시).", "3분 동안")

#: 08.5 Your data: section numbers, the date of the real hourly sample, "two weeks" and the period it opens.
plain(L5, "## 1 ·", "## 2 ·", "## 3 ·", "## 4 ·", "## 5 ·", "2020년 5월 1일", "1 May 2020", "2025년 3월에 2주", "1 / hidden gain")
plain(GUIDE, "Period 5", "5차시", "2주뿐", "2주치", "1 / its hidden gain", "1 / 숨은 이득")

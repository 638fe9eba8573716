"""The numbers module 02 states, computed from the package (see tools/stated_numbers.py).

The simulator settings a notebook's code passes (``duration=120``, ``period=10``, ``speed=100``,
``every=1.5``) are the lesson's own inputs, shown in its code: they are ``plain`` below.
"""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import pandas as pd

from sensorlab.exercises import m02
from sensorlab.kit.simulator import WARMUP_S
from sensorlab.live import BackgroundLogger
from tools.lesson_plans import assignment_points as plan_assignment_points
from tools.lesson_plans import PERIOD_MIN, check_periods, plan_slots
from tools.stated_numbers import plain, states

HERE = Path(__file__).parent
PERIODS = {1: (("01-running-the-logger", 1), ("02-live-plot", 1)), 2: (("03-utc-and-kst", 1),),
           3: (("04-reboots-and-gaps", 1),), 4: (("05-long-and-wide-format", 1),)}
#: Period 1 opens with a five-minute question before the notebooks.
OVERHEAD = {1: 5}
#: Seoul's morning rush hour on its own clock (lesson 02.3's plot).
RUSH_HOUR_KST = 8


def kst_offset_h() -> int:
    return int(pd.Timestamp(m02.ARRIVAL_UTC).tz_convert("Asia/Seoul").utcoffset().total_seconds() // 3600)


@states("01-running-the-logger", "itself {:g} seconds after the box goes quiet")
def idle_exit():
    return inspect.signature(BackgroundLogger.__init__).parameters["idle_exit"].default


@states("02-live-plot", "The first ~{:g} s of PM readings")
@states("teacher-guide", "need ~{:g} s to reach a steady air flow")
def warmup():
    return WARMUP_S


@states("03-utc-and-kst", "KST is always UTC + {} hours")
def kst_offset():
    return kst_offset_h()


@states("03-utc-and-kst", "Adding {} to the hour by hand goes wrong\nafter {}:00 UTC")
def date_rolls_over():
    return kst_offset_h(), 24 - kst_offset_h()


@states("03-utc-and-kst", "appears at {}:00 on the UTC clock")
def rush_hour_on_utc():
    return (RUSH_HOUR_KST - kst_offset_h()) % 24


@states("teacher-guide", "grades this module, {} points")
def assignment_points():
    return plan_assignment_points("02-logging-data")


@states("teacher-guide", "{} lines, the same as\n  `stats[\"lines\"]`")
def lines_logged():
    truth = m02._sim_truth(1, 120)
    return int((truth["sent"] & truth["valid"]).sum())


@states("teacher-guide", "with a reading every\n  {:g} seconds that is at most {} of them")
def warmup_readings():
    return m02.PERIOD_S, math.ceil(WARMUP_S / m02.PERIOD_S)


@states("teacher-guide", "is {:%-H}:{:%M} on {:%-d} January in Seoul")
def arrival_in_seoul():
    kst = pd.Timestamp(m02.ARRIVAL_UTC).tz_convert("Asia/Seoul")
    return kst, kst, kst


@states("teacher-guide", "{} boots, so {} reboots")
def boots():
    n = int(m02.gaps_long()["boot_id"].nunique())
    return n, n - 1


@states("teacher-guide", "`(per_boot[\"max\"] - per_boot[\"min\"] + 1 - per_boot[\"count\"]).sum()`: {} lines")
def missing_lines():
    missing, _ = m02._missing_per_boot(m02.gaps_long())
    return int(missing.sum())


@states("teacher-guide", "about {:.0f} seconds")
def longest_gap():
    times = pd.Series(m02.gaps_long()["timestamp"].unique()).sort_values()
    return times.diff().dt.total_seconds().max()


@states("teacher-guide", "## {}-minute period plan")
def period_minutes():
    check_periods(HERE, PERIODS, OVERHEAD)
    return PERIOD_MIN


plain("01-running-the-logger", "120 simulated seconds", "`period=10`: a report\nevery 10 s", "모의 시간 120초",
      "10초마다", "2초가")
plain("02-live-plot", "300 seconds", "300초", "1.5 seconds", "1.5초마다", "every 10 seconds", "10초마다", "5분이",
      "처음 30초", "약 30초")
plain("03-utc-and-kst", "(0–23)", "0–23", "9시간", "UTC+9", "KST 08:00")
plain("04-reboots-and-gaps", "max - min + 1", "1씩", "(0 to 1)", "(0부터 1)", "0부터")
plain("05-long-and-wide-format", "3rd floor window", "3층 창가", "Module 03", "모듈 03")
plain("teacher-guide", *plan_slots(HERE / "teacher-guide.md", 4), *plan_slots(HERE / "teacher-guide.ko.md", 4),
      "Period 1", "Period 2", "Period 3", "Period 4", "1차시", "2차시", "3차시", "4차시", "UTC+9", "the same 3 readings",
      "측정값 3개", "08:00", "add 9 hours", "9시간 더하", "15:00 UTC", "UTC 15:00", "boots − 1", "부팅 − 1",
      "restarts at 0", "0부터", "add 9 again", "9를 더할", "by one", "1씩", "about a second", "1초 정도", "30초",
      "23:30 KST", "KST 23:30", "adding 9 by hand", "9를 더하면", "past 23", "23을 넘는", "between 0 and 1", "0과 1 사이",
      "02.1–02.2", "after period 4", "4차시 뒤", "1월 7일")

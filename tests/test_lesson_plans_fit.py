"""Every module's teacher guide plans 50-minute periods that hold no more notebook time (by the notebooks'
own header times) and set-up than a period has, and places every notebook of the module, each once.

Each module's ``claims.py`` declares its plan (``PERIODS``: the notebooks and the share of each a period
covers; ``OVERHEAD``: minutes spent logging in or on work outside the notebooks) and checks it with
tools.lesson_plans.check_periods, so a plan that stops fitting also fails tests/test_stated_numbers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.lesson_plans import PERIOD_MIN, check_periods, check_placed, guide_slots, module_plan, period_use, plan_slots

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
MODULES = sorted(p for p in LESSONS.iterdir() if p.is_dir() and (p / "teacher-guide.md").exists())

M04 = LESSONS / "04-cleaning-sensor-data"
M07 = LESSONS / "07-forecasting-air-quality"


def test_every_module_is_covered():
    assert [m.name[:2] for m in MODULES] == [f"{n:02d}" for n in range(9)]


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_each_period_fits_fifty_minutes_and_every_notebook_is_placed(module):
    plan = module_plan(module)
    check_periods(module, plan.periods, plan.overhead)
    check_placed(module, plan.periods)
    assert max(period_use(module, plan.periods, plan.overhead, p) for p in plan.periods) <= PERIOD_MIN
    for track in plan.tracks.values():   # e.g. a high-school class that skips a university notebook
        check_periods(module, track, plan.overhead)


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_the_guide_shows_one_plan_per_declared_period_in_both_languages(module):
    plans = module_plan(module).plans
    for guide in ("teacher-guide.md", "teacher-guide.ko.md"):
        plan_slots(module / guide, plans)  # raises when a guide has more or fewer 0-to-50 plans


def test_module_04_period_1_fits_fifty_minutes():
    """Period 1 used to hold 04.1 (30) and 04.2 (35) whole: it now holds 04.1 and 04.2's first section."""
    plan = module_plan(M04)
    periods, overhead = plan.periods, plan.overhead
    assert "**Period 1 — 04.1, and 04.2 up to \"Zeros\"**" in (M04 / "teacher-guide.md").read_text(encoding="utf-8")
    assert [stem for stem, _ in periods[1]] == ["01-sensor-dictionary-and-ranges", "02-sentinels-and-zeros"]
    assert period_use(M04, periods, overhead, 1) <= PERIOD_MIN
    assert dict(periods[1])["02-sentinels-and-zeros"] < 1, "period 1 holds 04.2's first section, not all of it"


def test_module_07_period_2_fits_fifty_minutes():
    """Period 2 used to hold what period 1 left of 07.2 and the whole of 07.3 (60): 07.3 is now split."""
    plan = module_plan(M07)
    periods, overhead = plan.periods, plan.overhead
    assert "**Period 2 — rest of 07.2, 07.3 up to the confusion matrix**" in (
        M07 / "teacher-guide.md").read_text(encoding="utf-8")
    assert period_use(M07, periods, overhead, 2) <= PERIOD_MIN


def test_a_plan_that_stops_fitting_fails():
    """04's plan with 04.6 moved from period 5 into the full period 4 no longer fits; the message names it."""
    plan = module_plan(M04)
    periods, overhead = plan.periods, plan.overhead
    broken = dict(periods)
    broken[4] = periods[4] + (("06-your-data", 1),)
    broken[5] = tuple(part for part in periods[5] if part[0] != "06-your-data")
    with pytest.raises(AssertionError, match=r"period 4 \(.*06-your-data\) holds \d+ minutes"):
        check_periods(M04, broken, overhead)


def test_a_plan_that_leaves_out_or_repeats_a_notebook_fails():
    periods = module_plan(M04).periods
    dropped = {p: tuple(part for part in parts if part[0] != "06-your-data") for p, parts in periods.items()}
    with pytest.raises(AssertionError, match="no period holds 06-your-data"):
        check_placed(M04, dropped)
    twice = dict(periods)
    twice[6] = (("03-spikes-and-stuck-values", 0.5),)
    with pytest.raises(AssertionError, match="1.50 of 03-spikes-and-stuck-values"):
        check_placed(M04, twice)


def test_a_guide_with_a_plan_too_many_or_too_few_fails():
    periods = module_plan(M04).periods
    with pytest.raises(AssertionError, match="expected 4 plans"):
        plan_slots(M04 / "teacher-guide.md", len(periods) - 1)


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_korean_plans_keep_the_english_minutes(module, tmp_path):
    plan = module_plan(module)
    assert guide_slots(module, plan.periods, plan.tracks)  # as the guides stand, both editions agree
    english = (module / "teacher-guide.md").read_text(encoding="utf-8")
    korean = (module / "teacher-guide.ko.md").read_text(encoding="utf-8")
    first, second = plan_slots(module / "teacher-guide.ko.md", plan.plans)[:2]
    start, middle = (int(x) for x in first.strip("| ").split("–"))
    end = int(second.strip("| ").split("–")[1])
    if end - middle < 2:
        pytest.skip(f"{module.name}: the second row is too short to move its start")
    shifted = korean.replace(first, f"| {start}–{middle + 1} |", 1).replace(second, f"| {middle + 1}–{end} |", 1)
    (tmp_path / "teacher-guide.md").write_text(english, encoding="utf-8")
    (tmp_path / "teacher-guide.ko.md").write_text(shifted, encoding="utf-8")
    with pytest.raises(AssertionError, match="in English"):
        guide_slots(tmp_path, plan.periods, plan.tracks)

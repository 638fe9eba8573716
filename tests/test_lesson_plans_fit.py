"""The teacher guides' 50-minute periods, read as the guides' period headings say, hold no more
notebook time (by the notebooks' own header times) than a period has.

Modules 00-02 check this in their claims (tools.lesson_plans.check_periods); 04 and 07 did not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.lesson_plans import check_periods, header_minutes

LESSONS = Path(__file__).resolve().parents[1] / "lessons"

M04 = LESSONS / "04-cleaning-sensor-data"
M07 = LESSONS / "07-forecasting-air-quality"


def _share_of_07_2_in_period_1() -> float:
    """Period 1 of 07 spends its minutes 40-50 on 07.2's opening: 10 of 07.2's header minutes."""
    return 10 / sum(header_minutes(M07, "02-features-from-lags-weather-calendar"))


@pytest.mark.xfail(strict=True, reason="07 guide period 2 holds the rest of 07.2 (25 of its 35 header minutes) "
                   "and all of 07.3 (35): 60 minutes; for the module 07 owner to re-plan")
def test_module_07_period_2_fits_fifty_minutes():
    """**Period 2 — 07.2 and 07.3**: what period 1 left of 07.2 and the whole of 07.3."""
    assert "**Period 2 — 07.2 and 07.3**" in (M07 / "teacher-guide.md").read_text(encoding="utf-8")
    rest = 1 - _share_of_07_2_in_period_1()
    check_periods(M07, {2: (("02-features-from-lags-weather-calendar", rest),
                            ("03-classification-metrics-and-confusion", 1))}, {})


@pytest.mark.xfail(strict=True, reason="04 guide period 1 holds 04.1 (30) and 04.2 (35) header minutes: 65; the "
                   "guide sends 04.1.b and 04.2.c home but no header says how long they take; for the module 04 owner")
def test_module_04_period_1_fits_fifty_minutes():
    """**Period 1 — 04.1 and 04.2**: both notebooks whole (their headers include the university exercises)."""
    assert "**Period 1 — 04.1 and 04.2" in (M04 / "teacher-guide.md").read_text(encoding="utf-8")
    check_periods(M04, {1: (("01-sensor-dictionary-and-ranges", 1), ("02-sentinels-and-zeros", 1))}, {})

"""Write assignment 04 (cleaning sensor data) in English and Korean (commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_04_cleaning_sensor_data.py

writes grader/source/04-cleaning-sensor-data/04-cleaning-sensor-data.ipynb and the Korean release
grader/source-ko/04-cleaning-sensor-data/04-cleaning-sensor-data.ipynb from ``CELLS`` below, where
the code is written once and every student-facing text is a ``{t:key}`` whose English and Korean
wording sit beside this file in ``build_04_cleaning_sensor_data.en.toml`` and
``build_04_cleaning_sensor_data.ko.toml``; nothing is written unless the two editions mirror each
other. Every student cleans a street sensor of their own (sensorlab.grading.variants.pick_site of
their student id, salted for this assignment); the hidden tests recompute that student's answers
from the bundled city and its truth labels.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "04-cleaning-sensor-data"
COURSE = REPO / "grader"

# Hidden tests recompute the student's sensor from the id, never from variables in the notebook.
# The city is loaded once per grading kernel (kept under a name students are never shown).
EXPECTED = f'''import numpy as _np
import sensorlab.datasets.city as _city_module
from sensorlab.grading.variants import pick_site as _pick_site, student_id as _student_id
_city = _city_module.__dict__.get("_a04_grader_city") or _city_module.load_city()
_city_module._a04_grader_city = _city
_site = _pick_site(_student_id(), _city.sites, salt="{NAME}")
_mine = _city.readings[_city.readings["site_id"] == _site].sort_values("timestamp")
_pm = _mine["pm25"].to_numpy(float)
_bad = _np.isin(_pm, [-999.0, -9999.0]) | (_pm == 0.0)'''


def model_sensor() -> dict:
    """Q6's model answer, computed from the bundled city when the assignment is built.

    Student s0001's sensor run through the model solution above (``sensorlab.cleaning`` as the
    lessons of module 04 do, scored against ``city.truth``), so the answer states only numbers the
    city gives. The asserts guard the verdicts the answer states: when a new city breaks one, the
    build stops and the answer (both languages) must be rewritten to what the data shows.
    """
    from sensorlab.cleaning import flag_all, flag_sentinels, flag_zeros
    from sensorlab.datasets import load_city
    from sensorlab.grading.variants import pick_site

    city = load_city()
    site = pick_site("s0001", city.sites, salt=NAME)
    mine = city.readings[city.readings["site_id"] == site].sort_values("timestamp")
    pm = mine.set_index("timestamp")["pm25"]
    bad = flag_sentinels(pm) | flag_zeros(pm)
    flagged = flag_all(mine, ["pm25"], sites=city.sites)["fault_pm25"] != "none"
    truth = city.truth.loc[mine.index, "fault_pm25"]
    missed = truth[(truth != "none") & ~flagged].value_counts()
    found = {"site": site, "district": city.sites.set_index("site_id").loc[site, "district"],
             "district_ko": city.sites.set_index("site_id").loc[site, "district_ko"],
             "raw": float(pm.mean()), "clean": float(pm.where(~bad).mean()),
             "zeros": int(flag_zeros(pm).sum()), "hours": len(pm),
             "recall": float((flagged & (truth != "none")).sum() / (truth != "none").sum()),
             "missed": int(missed.sum()), "humid": int(missed.get("humidity_artifact", 0))}
    # the verdicts the answer states
    assert found["raw"] < found["clean"], "the raw mean is no longer pulled down"
    assert found["zeros"] > found["hours"] / 4, "zeros no longer fill a large part of the year"
    assert 0.95 < found["recall"] < 1, "the checks no longer catch nearly, but not quite, every fault"
    assert found["humid"] > found["missed"] / 2, "the missed hours are no longer mostly humidity effects"
    return found


CELLS = [
    markdown("intro", "{t:intro}"),
    setup("load_data", '''import pandas as pd

from sensorlab.cleaning import (SEOUL_RANGES, flag_all, flag_network_fault, flag_sentinels, flag_spikes,
                                flag_stuck, flag_zeros, sensor_dictionary)
from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick_site, student_id

city = load_city()
SITE = pick_site(student_id(), city.sites, salt="04-cleaning-sensor-data")
street_ids = city.sites.loc[city.sites["kind"] == "street", "site_id"]
street = city.readings[city.readings["site_id"].isin(street_ids)]
mine = street[street["site_id"] == SITE].sort_values("timestamp")
pm = mine.set_index("timestamp")["pm25"]
print("{t:your_sensor}", SITE, "{t:in_district}", city.sites.set_index("site_id").loc[SITE, "{t:district_column}"])'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("n_implausible_temp", '''### BEGIN SOLUTION
low, high = SEOUL_RANGES["temperature"]
t = mine["temperature"]
n_implausible_temp = int(((t < low) | (t > high)).sum())
### END SOLUTION'''),
    tests("test_n_implausible_temp", '''"""{t:test_n_implausible_temp}"""
assert int(n_implausible_temp) == n_implausible_temp and 0 <= n_implausible_temp <= len(mine), "{t:a_count_of_readings_is}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import SEOUL_RANGES as _RANGES
_lo, _hi = _RANGES["temperature"]
_t = _mine["temperature"].to_numpy(float)
assert n_implausible_temp == int(((_t < _lo) | (_t > _hi)).sum()), "{t:not_the_number_of_your}"
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("pm_bad", """### BEGIN SOLUTION
pm_bad = flag_sentinels(pm) | flag_zeros(pm)
### END SOLUTION"""),
    tests("test_pm_bad", '''"""{t:test_pm_bad}"""
assert len(pm_bad) == len(pm) and (pm_bad.index == pm.index).all(), "{t:flag_every_reading_of_pm}"
assert pm_bad.dtype == bool
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert (_np.asarray(pm_bad, bool) == _bad).all(), "{t:some_sentinels_or_zeros_are}"
### END HIDDEN TESTS''', 2),
    answer("clean_mean", """### BEGIN SOLUTION
clean_mean = pm.where(~pm_bad).mean()
### END SOLUTION"""),
    tests("test_clean_mean", '''"""{t:test_clean_mean}"""
assert 0 < float(clean_mean) < 200, "{t:a_pm2_5_mean_in}"
assert len(pm) == len(mine), "{t:set_readings_aside_do_not}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert abs(float(clean_mean) - _np.nanmean(_pm[~_bad])) < 1e-6, "{t:not_the_mean_of_your}"
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("n_stuck", """### BEGIN SOLUTION
usable = pm.where(~pm_bad)
n_stuck = int(flag_stuck(usable, min_run=6, include_first=True).sum())
### END SOLUTION"""),
    tests("test_n_stuck", '''"""{t:test_n_stuck}"""
assert int(n_stuck) == n_stuck and n_stuck >= 0
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_u = _np.where(_bad, _np.nan, _pm)
_same = _np.r_[False, _np.abs(_np.diff(_u)) == 0]
_run = _np.cumsum(~_same)
_length = _np.bincount(_run)[_run]
assert n_stuck == int(((_length >= 6) & ~_np.isnan(_u)).sum()), "{t:not_your_sensor_s_number}"
### END HIDDEN TESTS''', 1),
    answer("n_spikes", """### BEGIN SOLUTION
n_spikes = int(flag_spikes(pm.where(~pm_bad)).sum())
### END SOLUTION"""),
    tests("test_n_spikes", '''"""{t:test_n_spikes}"""
assert int(n_spikes) == n_spikes and 0 <= n_spikes < len(pm)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import pandas as _pd
from sensorlab.cleaning import flag_spikes as _flag_spikes
assert n_spikes == int(_flag_spikes(_pd.Series(_np.where(_bad, _np.nan, _pm))).sum()), "{t:not_your_sensor_s_number_2}"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("n_network", '''### BEGIN SOLUTION
network = flag_network_fault(street, "humidity")
n_network = int(network[street["site_id"] == SITE].sum())
### END SOLUTION'''),
    tests("test_n_network", '''"""{t:test_n_network}"""
assert int(n_network) == n_network and 0 <= n_network <= len(mine)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_network_fault as _flag_network_fault
_street = _city.readings[_city.readings["site_id"].isin(_city.sites.loc[_city.sites["kind"] == "street", "site_id"])]
_want = int(_flag_network_fault(_street, "humidity")[_street["site_id"] == _site].sum())
assert n_network == _want, "{t:not_your_sensor_s_count}"
### END HIDDEN TESTS''', 2),
    markdown("q5_prompt", "{t:q5_prompt}"),
    answer("recall", '''### BEGIN SOLUTION
labels = flag_all(mine, ["pm25"], sites=city.sites)["fault_pm25"]
truth = city.truth.loc[mine.index, "fault_pm25"]
flagged, truly_bad = labels != "none", truth != "none"
recall = (flagged & truly_bad).sum() / truly_bad.sum()
### END SOLUTION'''),
    tests("test_recall", '''"""{t:test_recall}"""
assert 0 <= float(recall) <= 1, "{t:a_share_lies_between_0}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_all as _flag_all
_flag = (_flag_all(_mine, ["pm25"], sites=_city.sites)["fault_pm25"] != "none").to_numpy()
_true = (_city.truth.loc[_mine.index, "fault_pm25"] != "none").to_numpy()
assert abs(float(recall) - (_flag & _true).sum() / _true.sum()) < 1e-9, "{t:not_the_recall_of_your}"
### END HIDDEN TESTS''', 2),
    answer("precision", """### BEGIN SOLUTION
precision = (flagged & truly_bad).sum() / flagged.sum()
### END SOLUTION"""),
    tests("test_precision", '''"""{t:test_precision}"""
assert 0 <= float(precision) <= 1, "{t:a_share_lies_between_0}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_all as _flag_all
_flag = (_flag_all(_mine, ["pm25"], sites=_city.sites)["fault_pm25"] != "none").to_numpy()
_true = (_city.truth.loc[_mine.index, "fault_pm25"] != "none").to_numpy()
assert abs(float(precision) - (_flag & _true).sum() / _flag.sum()) < 1e-9, "{t:not_the_precision_of_your}"
### END HIDDEN TESTS''', 1),
    markdown("q6_prompt", "{t:q6_prompt}"),
    written("q6_district_office", "{t:q6_district_office}", 3),
]
# Q6's model answer states only numbers the bundled city gives, computed at build time
build = bilingual(NAME, CELLS, __file__, computed={"q6_district_office": model_sensor})


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

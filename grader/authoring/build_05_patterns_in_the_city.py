"""Write assignment 05 in English and Korean (run after editing; commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_05_patterns_in_the_city.py

writes grader/source/05-patterns-in-the-city/05-patterns-in-the-city.ipynb and its Korean release
grader/source-ko/05-patterns-in-the-city/05-patterns-in-the-city.ipynb from ``CELLS`` below, where
the code is written once and every student-facing text is a ``{t:key}`` whose English and Korean
wording sit beside this file in ``build_05_patterns_in_the_city.en.toml`` and
``build_05_patterns_in_the_city.ko.toml``; nothing is written unless the two editions mirror each
other.

Every student gets a district of their own (``sensorlab.grading.variants.pick`` of their student
id, salted for this assignment): its reference station for the cycles, seasons, episodes and the
bootstrap, and the street sensor that stands beside it for the humidity question. The hidden tests
recompute that student's answers from the bundled city with plain pandas/numpy (never from
variables in the notebook, never with package functions a student could redefine).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "05-patterns-in-the-city"
COURSE = REPO / "grader"

# Hidden tests recompute the student's district from the id, never from notebook variables.
# The city is loaded once per notebook (about 2 s) and kept under a name only hidden tests know.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick as _pick, student_id as _student_id
try:
    _city = _hidden_city_05
except NameError:
    _city = _hidden_city_05 = _load_city()
_stations = _city.sites[_city.sites["kind"] == "reference"]
_station = _stations.loc[_stations["district"] == _pick(_student_id(), _stations["district"], salt="05-patterns-in-the-city"), "site_id"].item()
_r = _city.readings[_city.readings["site_id"] == _station].set_index("timestamp").sort_index()'''

EXPECTED_PAIRS = EXPECTED + '''
import pandas as _pd
_street = _city.sites.loc[_city.sites["colocated_with"] == _station, "site_id"].item()
_s = _city.readings[_city.readings["site_id"] == _street].set_index("timestamp")["pm25"]
_s = _s.where((_s > 0) & (_s <= 500))
_p = _pd.DataFrame({"s": _s, "ref": _r["pm25"], "h": _r["humidity"]}).dropna()
_ratio = _p["s"] / _p["ref"]'''


def model_district() -> dict:
    """Q6's model answer, computed from the bundled city when the assignment is built.

    Student s0001's district run through the model solution above (``sensorlab.stats`` as the
    lessons of module 05 do), so the answer states only numbers the city gives. The asserts guard
    the verdicts the answer states: when a new city breaks one, the build stops and the answer
    (both languages) must be rewritten to what the data shows.
    """
    import pandas as pd

    from sensorlab.datasets import load_city
    from sensorlab.grading.variants import pick
    from sensorlab.stats import bootstrap_ci, daily_means, episodes

    city = load_city()
    stations = city.sites[city.sites["kind"] == "reference"]
    district = pick("s0001", stations["district"], salt=NAME)
    station = stations.loc[stations["district"] == district, "site_id"].item()
    street = city.sites.loc[city.sites["colocated_with"] == station, "site_id"].item()
    ref = city.readings[city.readings["site_id"] == station]
    r = ref.set_index("timestamp").sort_index()
    street_pm25 = city.readings[city.readings["site_id"] == street].set_index("timestamp")["pm25"]
    street_pm25 = street_pm25.where((street_pm25 > 0) & (street_pm25 <= 500))
    pairs = pd.DataFrame({"pm25_street": street_pm25, "pm25_reference": r["pm25"],
                          "humidity_reference": r["humidity"]}).dropna()
    ratio = pairs["pm25_street"] / pairs["pm25_reference"]
    humid = float(ratio[pairs["humidity_reference"] > 80].median())
    dry = float(ratio[pairs["humidity_reference"] <= 80].median())
    ci = bootstrap_ci(daily_means(ref, "pm25"), n=2000, seed=0)
    found = {"district": district, "district_ko": stations.set_index("site_id").loc[station, "district_ko"],
             "r": float(r["o3"].corr(r["temperature"])), "dry": dry, "humid": humid,
             "more": round(100 * (humid / dry - 1)),
             "winter": float(r.loc[r.index.month.isin([12, 1, 2]), "pm25"].mean()),
             "summer": float(r.loc[r.index.month.isin([6, 7, 8]), "pm25"].mean()),
             "mean": ci.estimate, "low": ci.low, "high": ci.high,
             "episodes": len(episodes(daily_means(ref, "pm25"), 35, min_length=2))}
    # the verdicts the answer states
    assert found["r"] > 0.5, "ozone and temperature are no longer strongly correlated"
    assert found["more"] >= 10, "the street sensor no longer reads clearly more in humid air"
    assert found["winter"] > found["summer"], "winter PM2.5 is no longer above summer's"
    assert found["episodes"] >= 2, "too few episodes to speak of them as episodes"
    return found


CELLS = [
    markdown("intro", "{t:intro}"),
    setup("load_data", '''import numpy as np
import pandas as pd

from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id
from sensorlab.stats import bootstrap_ci, daily_means, diurnal_cycle, episodes, weekend_effect

city = load_city()
stations = city.sites[city.sites["kind"] == "reference"]
DISTRICT = pick(student_id(), stations["district"], salt="05-patterns-in-the-city")
STATION = stations.loc[stations["district"] == DISTRICT, "site_id"].item()
STREET = city.sites.loc[city.sites["colocated_with"] == STATION, "site_id"].item()

# {t:two_views_of_the_same}
ref = city.readings[city.readings["site_id"] == STATION]
r = ref.set_index("timestamp").sort_index()

# {t:the_street_sensor_beside_the}
street_pm25 = city.readings[city.readings["site_id"] == STREET].set_index("timestamp")["pm25"]
street_pm25 = street_pm25.where((street_pm25 > 0) & (street_pm25 <= 500))
pairs = pd.DataFrame({"pm25_street": street_pm25, "pm25_reference": r["pm25"],
                      "humidity_reference": r["humidity"]}).dropna()
print(f"{t:your_district_district_reference_station}")'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("no2_cycle", '''### BEGIN SOLUTION
no2_cycle = diurnal_cycle(ref, "no2")
### END SOLUTION'''),
    tests("test_no2_cycle_shape", '''"""{t:test_no2_cycle_shape}"""
assert len(no2_cycle) == 24, "{t:one_value_per_hour_of}"
assert list(no2_cycle.index) == list(range(24)), "{t:index_the_cycle_by_hour}"''', 1),
    tests("test_no2_cycle_values", '''"""{t:test_no2_cycle_values}"""
assert 0 < float(no2_cycle.mean()) < 0.2, "{t:no2_is_in_ppm_e}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r["no2"].groupby(_r.index.hour).mean().reindex(range(24))
assert _np.allclose(_np.asarray(no2_cycle, float), _want.to_numpy(float), rtol=1e-6), \\
    "{t:the_hourly_means_differ_from}"
### END HIDDEN TESTS''', 2),
    answer("no2_peak_hour", """### BEGIN SOLUTION
no2_peak_hour = int(no2_cycle.idxmax())
### END SOLUTION"""),
    tests("test_no2_peak_hour", '''"""{t:test_no2_peak_hour}"""
assert isinstance(no2_peak_hour, (int, np.integer)) and 0 <= no2_peak_hour <= 23, "{t:an_hour_0_23}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(no2_peak_hour) == int(_r["no2"].groupby(_r.index.hour).mean().idxmax()), \\
    "{t:not_the_seoul_hour_with}"
### END HIDDEN TESTS''', 1),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("weekend_change", '''### BEGIN SOLUTION
weekend_change = float(weekend_effect(ref, "no2")["change_percent"])
### END SOLUTION'''),
    tests("test_weekend_change", '''"""{t:test_weekend_change}"""
assert isinstance(weekend_change, float), "{t:a_float_a_percentage_such}"
assert -100 < weekend_change < 100, "{t:a_percentage_not_a_fraction}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_d = _r["no2"].resample("D").mean().dropna()
_weekend = _d.index.day_of_week >= 5
_want = 100 * (_d[_weekend].mean() - _d[~_weekend].mean()) / _d[~_weekend].mean()
assert abs(weekend_change - _want) < 1e-6 * max(1.0, abs(_want)), \\
    "{t:not_your_station_s_weekend}"
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("season_means", '''### BEGIN SOLUTION
winter_pm25 = float(r.loc[r.index.month.isin([12, 1, 2]), "pm25"].mean())
summer_pm25 = float(r.loc[r.index.month.isin([6, 7, 8]), "pm25"].mean())
### END SOLUTION'''),
    tests("test_winter_pm25", '''"""{t:test_winter_pm25}"""
assert 1 < winter_pm25 < 200, "{t:a_pm2_5_concentration_in}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([12, 1, 2]), "pm25"].mean()
assert abs(winter_pm25 - _want) < 1e-6 * _want, "{t:not_your_station_s_winter}"
### END HIDDEN TESTS''', 1),
    tests("test_summer_pm25", '''"""{t:test_summer_pm25}"""
assert 1 < summer_pm25 < 200, "{t:a_pm2_5_concentration_in}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([6, 7, 8]), "pm25"].mean()
assert abs(summer_pm25 - _want) < 1e-6 * _want, "{t:not_your_station_s_summer}"
### END HIDDEN TESTS''', 1),
    answer("n_episodes", '''### BEGIN SOLUTION
n_episodes = len(episodes(daily_means(ref, "pm25"), 35, min_length=2))
### END SOLUTION'''),
    tests("test_n_episodes", '''"""{t:test_n_episodes}"""
assert isinstance(n_episodes, (int, np.integer)) and n_episodes >= 0, "{t:a_count_an_int}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_above = (_r["pm25"].resample("D").mean() > 35).astype(int).to_numpy()
_runs, _length = 0, 0
for _a in list(_above) + [0]:
    if _a:
        _length += 1
    else:
        _runs += _length >= 2
        _length = 0
assert int(n_episodes) == _runs, "{t:not_your_station_s_number}"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("r_ozone_heat", '''### BEGIN SOLUTION
r_ozone_heat = float(r["o3"].corr(r["temperature"]))
### END SOLUTION'''),
    tests("test_r_ozone_heat", '''"""{t:test_r_ozone_heat}"""
assert -1 <= r_ozone_heat <= 1, "{t:a_correlation_coefficient_lies_between}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_both = _r[["o3", "temperature"]].dropna().to_numpy(float)
_want = _np.corrcoef(_both[:, 0], _both[:, 1])[0, 1]
assert abs(r_ozone_heat - _want) < 1e-6, "{t:not_pearson_s_r_of}"
### END HIDDEN TESTS''', 1),
    answer("humidity_ratios", '''### BEGIN SOLUTION
ratio = pairs["pm25_street"] / pairs["pm25_reference"]
humid_ratio = float(ratio[pairs["humidity_reference"] > 80].median())
dry_ratio = float(ratio[pairs["humidity_reference"] <= 80].median())
### END SOLUTION'''),
    tests("test_humid_ratio", '''"""{t:test_humid_ratio}"""
assert 0 < humid_ratio < 10, "{t:a_ratio_of_two_concentrations}"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(humid_ratio - _ratio[_p["h"] > 80].median()) < 1e-6, \\
    "{t:not_the_median_ratio_of}"
### END HIDDEN TESTS''', 1),
    tests("test_dry_ratio", '''"""{t:test_dry_ratio}"""
assert 0 < dry_ratio < 10, "{t:a_ratio_of_two_concentrations}"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(dry_ratio - _ratio[_p["h"] <= 80].median()) < 1e-6, \\
    "{t:not_the_median_ratio_of_2}"
### END HIDDEN TESTS''', 1),
    markdown("q5_prompt", "{t:q5_prompt}"),
    answer("pm25_ci", '''### BEGIN SOLUTION
pm25_ci = bootstrap_ci(daily_means(ref, "pm25"), n=2000, seed=0)
### END SOLUTION'''),
    tests("test_pm25_ci_shape", '''"""{t:test_pm25_ci_shape}"""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
_mean = r["pm25"].resample("D").mean().mean()
assert _low < _mean < _high, "{t:the_interval_should_contain_the}"
### BEGIN HIDDEN TESTS
assert _high - _low < 0.5 * _mean, "{t:a_95_interval_of_a}"
### END HIDDEN TESTS''', 1),
    tests("test_pm25_ci_values", '''"""{t:test_pm25_ci_values}"""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
assert _low < _high
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_days = _r["pm25"].resample("D").mean().dropna().to_numpy(float)
_rng = _np.random.default_rng(0)
_means = [_days[_rng.integers(0, len(_days), len(_days))].mean() for _ in range(2000)]
_want = _np.percentile(_means, [2.5, 97.5])
assert _np.allclose([_low, _high], _want, rtol=1e-6), \\
    "{t:not_the_95_interval_of}"
### END HIDDEN TESTS''', 2),
    markdown("q6_prompt", "{t:q6_prompt}"),
    written("q6_district_office", "{t:q6_district_office}", 4),
]
# Q6's model answer states only numbers the bundled city gives, computed at build time
build = bilingual(NAME, CELLS, __file__, computed={"q6_district_office": model_district})


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

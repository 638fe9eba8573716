"""Write assignment 03 in English and Korean (commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_03_exploring_the_city.py

writes grader/source/03-exploring-the-city/03-exploring-the-city.ipynb and the Korean release
grader/source-ko/03-exploring-the-city/03-exploring-the-city.ipynb from ``CELLS`` below, where the
code is written once and every student-facing text is a ``{t:key}`` whose English and Korean wording
sit beside this file in ``build_03_exploring_the_city.en.toml`` and
``build_03_exploring_the_city.ko.toml``; nothing is written unless the two editions mirror each
other. Every student gets a street sensor of their own (sensorlab.grading.variants.pick_site of
their student id); the hidden tests recompute that student's answers from the bundled city.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "03-exploring-the-city"
COURSE = REPO / "grader"

# Hidden tests recompute the student's sensor from the id, never from variables in the notebook.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick_site as _pick_site, student_id as _student_id
_city = _load_city()
_site = _pick_site(_student_id(), _city.sites)
_r = _city.readings[_city.readings["site_id"] == _site].set_index("timestamp").sort_index()'''

CELLS = [
    markdown("intro", "{t:intro}"),
    setup("load_data", '''from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick_site, student_id

city = load_city()
SITE = pick_site(student_id(), city.sites)
r = city.readings[city.readings["site_id"] == SITE].set_index("timestamp").sort_index()
print("{t:your_sensor}", SITE, "{t:in_district}", city.sites.set_index("site_id").loc[SITE, "{t:district_column}"])'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("january_daily", '''### BEGIN SOLUTION
january_daily = r.loc["2024-01", "pm25"].resample("D").mean()
### END SOLUTION'''),
    tests("test_january_daily_shape", '''"""{t:test_january_daily_shape}"""
assert len(january_daily) == 31, "{t:january_has_31_days}"
assert str(january_daily.index.tz) == "Asia/Seoul", "{t:keep_seoul_time_do_not}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert (january_daily.index == _want.index).all(), "{t:the_days_are_not_january}"
### END HIDDEN TESTS''', 1),
    tests("test_january_daily_values", '''"""{t:test_january_daily_values}"""
assert january_daily.notna().sum() > 20
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert _np.allclose(_np.asarray(january_daily, float), _want.to_numpy(float), equal_nan=True), \\
    "{t:the_daily_means_differ_from}"
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("rolling_24h", '''### BEGIN SOLUTION
rolling_24h = r.loc["2024-01", "pm25"].rolling(24).mean()
### END SOLUTION'''),
    tests("test_rolling_24h", '''"""{t:test_rolling_24h}"""
assert len(rolling_24h) == 31 * 24
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].rolling(24).mean()
assert rolling_24h.isna().sum() == _want.isna().sum(), "{t:the_window_is_not_24}"
assert _np.allclose(_np.asarray(rolling_24h, float), _want.to_numpy(float), equal_nan=True)
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("noisiest_hour", '''### BEGIN SOLUTION
noisiest_hour = int(r["noise"].groupby(r.index.hour).mean().idxmax())
### END SOLUTION'''),
    tests("test_noisiest_hour", '''"""{t:test_noisiest_hour}"""
assert 0 <= noisiest_hour <= 23
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(noisiest_hour) == int(_r["noise"].groupby(_r.index.hour).mean().idxmax()), \\
    "{t:not_the_noisiest_seoul_hour}"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", "{t:q4_prompt}"),
    written("q4_district_office", "{t:q4_district_office}", 3),
]
build = bilingual(NAME, CELLS, __file__)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

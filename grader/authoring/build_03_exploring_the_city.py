"""Write grader/source/03-exploring-the-city/03-exploring-the-city.ipynb (commit both).

    .venv/bin/python grader/authoring/build_03_exploring_the_city.py

Every student gets a street sensor of their own (sensorlab.grading.variants.pick_site of their
student id); the hidden tests recompute that student's answers from the bundled city.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write, written

NAME = "03-exploring-the-city"
OUT = Path(__file__).resolve().parents[1] / "source" / NAME / f"{NAME}.ipynb"

# Hidden tests recompute the student's sensor from the id, never from variables in the notebook.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick_site as _pick_site, student_id as _student_id
_city = _load_city()
_site = _pick_site(_student_id(), _city.sites)
_r = _city.readings[_city.readings["site_id"] == _site].set_index("timestamp").sort_index()'''

cells = [
    markdown("intro", """# Assignment 03 — Exploring your street sensor

Each of you has **your own S-DoT street sensor** from the bundled synthetic year of Seoul
(2024, hourly). The cell below tells you which one; your answers are checked against *your*
sensor's data, so a neighbour's numbers will not pass.

Timestamps are in Seoul time (`Asia/Seoul`, UTC+9): a "day" is a Seoul day. Run the test cell
under each answer to check it; more checks run when your teacher grades it."""),
    setup("load_data", """from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick_site, student_id

city = load_city()
SITE = pick_site(student_id(), city.sites)
r = city.readings[city.readings["site_id"] == SITE].set_index("timestamp").sort_index()
print("Your sensor:", SITE, "in", city.sites.set_index("site_id").loc[SITE, "district"])"""),
    markdown("q1_prompt", """## Q1. Daily means (3 points)

Make `january_daily`: the mean PM2.5 of **each Seoul day of January 2024** at your sensor
(a Series with one value per day). Hint: `r.loc["2024-01", "pm25"]` and `.resample("D")`."""),
    answer("january_daily", """### BEGIN SOLUTION
january_daily = r.loc["2024-01", "pm25"].resample("D").mean()
### END SOLUTION"""),
    tests("test_january_daily_shape", '''"""january_daily has one value per January day, in Seoul time."""
assert len(january_daily) == 31, "January has 31 days"
assert str(january_daily.index.tz) == "Asia/Seoul", "keep Seoul time: do not convert to UTC"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert (january_daily.index == _want.index).all(), "the days are not January's Seoul days"
### END HIDDEN TESTS''', 1),
    tests("test_january_daily_values", '''"""january_daily holds your sensor's daily mean PM2.5 for Seoul days."""
assert january_daily.notna().sum() > 20
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert _np.allclose(_np.asarray(january_daily, float), _want.to_numpy(float), equal_nan=True), \\
    "the daily means differ from your sensor's (wrong sensor, time zone or function?)"
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", """## Q2. A day-long average (2 points)

Make `rolling_24h`: the mean PM2.5 over the **last 24 hours** at each hour of January
(`.rolling(24).mean()`; the first 23 hours have no full day behind them and stay NaN)."""),
    answer("rolling_24h", """### BEGIN SOLUTION
rolling_24h = r.loc["2024-01", "pm25"].rolling(24).mean()
### END SOLUTION"""),
    tests("test_rolling_24h", '''"""rolling_24h is a 24-hour rolling mean of your sensor's January PM2.5."""
assert len(rolling_24h) == 31 * 24
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].rolling(24).mean()
assert rolling_24h.isna().sum() == _want.isna().sum(), "the window is not 24 hours"
assert _np.allclose(_np.asarray(rolling_24h, float), _want.to_numpy(float), equal_nan=True)
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", """## Q3. The noisiest hour (2 points)

Make `noisiest_hour`: the hour of the day (0–23, **Seoul time**) at which your sensor's
`noise` is highest on average over the whole year, as an `int`."""),
    answer("noisiest_hour", """### BEGIN SOLUTION
noisiest_hour = int(r["noise"].groupby(r.index.hour).mean().idxmax())
### END SOLUTION"""),
    tests("test_noisiest_hour", '''"""noisiest_hour is the Seoul-time hour with the highest mean noise."""
assert 0 <= noisiest_hour <= 23
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(noisiest_hour) == int(_r["noise"].groupby(_r.index.hour).mean().idxmax()), \\
    "not the noisiest Seoul hour of your sensor"
### END HIDDEN TESTS''', 2),
    markdown("q4_prompt", """## Q4. What would you tell the district office? (3 points, graded by your teacher)

Using your answers, write three or four sentences to your sensor's district office: when is
the air worst, how sure are you, and what would you check before acting?

**Rubric (3 points).** 1: a concrete finding with numbers and units (µg/m³, the day or hour).
1: an honest limit (one sensor, synthetic year, low-cost sensor drift, missing hours).
1: a sensible next step (compare with the district's reference station, another month)."""),
    written("q4_district_office", """PM2.5 at my sensor was highest on the worst January day (about the value in
`january_daily.max()` µg/m³), and noise peaks at the rush hour found in Q3. This is one low-cost
sensor in a synthetic year, so I would compare it with the reference station of the district
and check missing hours before asking for action.""", 3),
]

if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write(notebook(cells), OUT)
    print(f"wrote {OUT}")

"""Write the capstone, graded by rubric, in English and Korean (commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_08_capstone.py

writes grader/source/08-capstone-project/08-capstone-project.ipynb and the Korean release
grader/source-ko/08-capstone-project/08-capstone-project.ipynb from ``CELLS`` below, where the code
is written once and every student-facing text is a ``{t:key}`` whose English and Korean wording sit
beside this file in ``build_08_capstone.en.toml`` and ``build_08_capstone.ko.toml``; nothing is
written unless the two editions mirror each other. No autograded items: each section is a manually
graded answer with its rubric in the question cell (students see how they will be graded; teachers
grade in the formgrader).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import bilingual, markdown, work, write_editions, written  # noqa: E402

NAME = "08-capstone-project"
COURSE = REPO / "grader"


def winter_evenings() -> dict:
    """The findings' model answer, computed from the bundled city when the assignment is built.

    Jongno-gu's four street sensors against ref-101 on winter evenings (December-February,
    18:00-21:59 KST): the ratio of daily evening means with a bootstrap interval, the co-located
    sensor's own ratio, and that sensor calibrated as module 06 does (station from sensor, a line
    fitted on March-November), so the model answer states only numbers the data give.
    """
    import numpy as np
    import pandas as pd

    from sensorlab import calibration
    from sensorlab.datasets import load_city
    from sensorlab.stats import bootstrap_ci

    city = load_city(["pm25", "humidity", "temperature"], truth=False)
    sensors = [s for s in city.sites["site_id"].astype(str) if s.startswith("sdot-101-")]
    r = city.readings[city.readings["site_id"].astype(str).isin([*sensors, "ref-101"])]
    r = r[(r["pm25"] > 0) & (r["pm25"] <= 500)].assign(site_id=lambda f: f["site_id"].astype(str))
    evening = r[r["timestamp"].dt.month.isin([12, 1, 2]) & r["timestamp"].dt.hour.isin(range(18, 22))]
    day = evening["timestamp"].dt.normalize()
    is_ref = evening["site_id"] == "ref-101"
    ref = evening[is_ref].groupby(day[is_ref])["pm25"].mean()
    street = evening[~is_ref].groupby(day[~is_ref])["pm25"].mean()
    both = pd.concat({"street": street, "ref": ref}, axis=1, sort=True).dropna()
    ci = bootstrap_ci(np.log((both["street"] / both["ref"]).to_numpy()), seed=0)
    one = evening[evening["site_id"] == "sdot-101-01"]
    own = pd.concat({"pm25_raw": one.groupby(day[one.index])["pm25"].mean(), "ref": ref}, axis=1, sort=True).dropna()
    pairs = calibration.colocated_pairs(city, sites=["sdot-101-01"])
    line = calibration.fit_calibration(pairs[pairs["timestamp"].dt.month.isin(range(3, 12))], ["pm25_raw"])
    pct = lambda x: round(100 * (float(x) - 1))  # noqa: E731 - a ratio as a percentage difference
    found = {"n": len(both), "mid": pct(np.exp(ci.estimate)), "low": pct(np.exp(ci.low)), "high": pct(np.exp(ci.high)),
            "one": round(100 * float((own["pm25_raw"] / own["ref"]).median())),
            "cal": pct(line.predict(own).mean() / own["ref"].mean())}
    # the verdicts the answer states: the street sensors read clearly low (the interval excludes 0), the
    # co-located one reads low too, so the low reading is mostly gain; its line brings it much closer
    # to the station but, fitted outside winter, not all the way
    assert found["high"] < 0, "the street sensors no longer read clearly below the station"
    assert found["one"] < 90, "the co-located sensor no longer reads clearly low"
    assert found["one"] <= 100 + found["high"], "the co-located sensor's gain no longer explains most of the gap"
    assert 3 <= abs(found["cal"]) < (100 - found["one"]) / 2, "the calibrated winter mean is no longer closer but off"
    return found


CELLS = [
    markdown("intro", "{t:intro}"),
    markdown("question_prompt", "{t:question_prompt}"),
    written("question_answer", "{t:question_answer}", 4),
    markdown("data_prompt", "{t:data_prompt}"),
    written("data_answer", "{t:data_answer}", 4),
    markdown("analysis_prompt", "{t:analysis_prompt}"),
    work("analysis_code", '''### BEGIN SOLUTION
from sensorlab.datasets import load_city

city = load_city()
jongno = city.sites[city.sites.district == "Jongno-gu"]
print(len(jongno), "{t:sites_in_jongno_gu}")
### END SOLUTION''', 6),
    markdown("findings_prompt", "{t:findings_prompt}"),
    written("findings_answer", "{t:findings_answer}", 6),
    markdown("limits_prompt", "{t:limits_prompt}"),
    written("limits_answer", "{t:limits_answer}", 4),
    markdown("district_office_prompt", "{t:district_office_prompt}"),
    written("district_office_answer", "{t:district_office_answer}", 4),
]
# the findings' model answer states only numbers the bundled city gives, computed at build time
build = bilingual(NAME, CELLS, __file__, computed={"findings_answer": winter_evenings})


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

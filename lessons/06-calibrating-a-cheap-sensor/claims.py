"""Every number module 06 states, computed from the package (tools/stated_numbers.py).

Where a lesson's point depends on a value (noise flattens the slope, the ratio rises with
humidity, calibration ranks districts better than raw sensors), an assertion says so in a
sentence, so a change of the bundled city that breaks the story fails here, not in class.
"""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from sensorlab import calibration, units
from sensorlab.exercises import m06
from tools import lesson_plans
from tools.lesson_plans import (checked_plan, guide_slots, notebook_minutes, periods_holding, spare_minutes,
                                state_period_rows)
from tools.stated_numbers import plain, states

L1, L2, L3, L4, L5, GUIDE = ("01-colocation-and-the-problem", "02-linear-calibration",
                             "03-humidity-and-the-epa-correction", "04-validation-that-respects-time-and-place",
                             "05-trees-and-real-sdot", "teacher-guide")
CUTOFF = pd.Timestamp(m06.CUTOFF, tz="Asia/Seoul")
YOURS = "06-your-data"


@cache
def pairs():
    return m06.daily_pairs()


@cache
def jongno_split():
    j = pairs()[pairs()["site_id"] == m06.JONGNO]
    return j[j["timestamp"] < CUTOFF], j[j["timestamp"] >= CUTOFF]


# --- 06.1 ----------------------------------------------------------------------------------------

@states(L1, "keep 0 < PM2.5 ≤ {:.0f} µg/m³")
def pm_upper():
    return calibration._PM_VALID[1]


@states(L1, "a day with fewer than\n{:.0f} % of its readings is left out")
def coverage():
    return calibration._MIN_COVERAGE * 100


@states(L1, "Now all {} co-located sensors at once")
@states(L1, "all {} co-located sensors, reference on the horizontal axis")
@states(L2, "one line on all {} sensors' training days")
@states(GUIDE, "whose {} co-located street sensors behave like")
def n_colocated():
    return int(pairs()["site_id"].nunique())


@cache
def sensor_ratios():
    p = pairs()
    return (p["pm25_raw"] / p["pm25_ref"]).groupby(p["site_id"]).median()


@states(L1, "read anywhere from about {:.1f} to {:.1f} times their station")
@states(GUIDE, "its own gain (×{:.1f} to ×{:.1f} in the bundled city)")
@states(GUIDE, "each sensor's gain (×{:.1f} to ×{:.1f} in the bundled city)")
def ratio_range():
    r = sensor_ratios()
    return float(r.min()), float(r.max())


# --- 06.2 ----------------------------------------------------------------------------------------

@cache
def directions():
    train, _ = jongno_split()
    x, y = train["pm25_raw"], train["pm25_ref"]
    b, a = np.polyfit(y, x, 1)
    d, _ = np.polyfit(x, y, 1)
    r2 = x.corr(y) ** 2
    quieter = a + b * y + 0.5 * (x - a - b * y)
    d_quiet = np.polyfit(quieter, y, 1)[0]
    if not b < 1:
        raise AssertionError("06.2 says the Jongno sensor reads low (classical slope below 1); it no longer does")
    if not d < d_quiet < 1 / b:
        raise AssertionError("06.2 says noise flattens the fitted slope and less noise steepens it towards 1/b; "
                             f"the slopes are now d={d:.2f}, half-noise {d_quiet:.2f}, 1/b={1 / b:.2f}")
    return float(b), float(1 / b), float(d), float(r2), float(d_quiet)


@states(L2, "b = {:.2f}: the sensor reads about {:.2f} of the station")
def classical_slope():
    b = directions()[0]
    return b, b


@states(L2, "station = (sensor − a) / b, a slope of {:.2f}.")
def inverted_slope():
    return directions()[1]


@states(L2, "Here d = {:.2f}.")
def inverse_slope():
    return directions()[2]


@states(GUIDE, "the fitted slope is {:.2f}, not 1/b = {:.2f}")
def inverse_slope_guide():
    return directions()[2], directions()[1]


@states(L2, "Why is the fitted slope {:.2f} and not {:.2f}?")
def why_flatter():
    return directions()[2], directions()[1]


@states(L2, "with r² = {:.2f} here")
def r_squared():
    return directions()[3]


@states(L2, "would be {:.2f}, closer to {:.2f}; with no noise it would be {:.2f} itself")
def half_noise():
    b, inv, d, r2, quiet = directions()
    return quiet, inv, inv


@states(L2, "(R² ≥ {:.2f}, slope 1 ± {:.2f},\nintercept within ±{:.0f} µg/m³, RMSE ≤ {:.0f} µg/m³)")
def epa_targets():
    t = calibration.EPA_TARGETS
    return t["r2"][0], t["slope"][1] - 1, t["intercept"][1], t["rmse"][1]


# --- 06.3 ----------------------------------------------------------------------------------------

@cache
def humidity_bands():
    h = m06.hourly_jongno()
    ratio = h["pm25_raw"] / h["pm25_ref"]
    bins = pd.cut(h["humidity"], [0, 40, 50, 60, 70, 80, 90, 100])
    by_band = ratio.groupby(bins, observed=True).median()
    rh_band = h["humidity"].groupby(bins, observed=True).median()
    dry = h["humidity"] <= 40
    gain = ratio[dry].median() / units.humidity_growth(h.loc[dry, "humidity"].median())
    wet = pd.Interval(80, 90)
    r_dry, r_wet = float(by_band.iloc[0]), float(by_band.loc[wet])
    model_wet = float(gain * units.humidity_growth(rh_band.loc[wet]))
    if not r_wet > 1.1 * r_dry:
        raise AssertionError("06.3 says the sensor over-reads in humid hours; the median ratio at 80-90 %RH "
                             f"({r_wet:.2f}) is no longer clearly above the driest band's ({r_dry:.2f})")
    return r_dry, r_wet, model_wet


@states(L3, "ratio is {:.2f} in the driest band (up to 40 %RH) and {:.2f} at 80–90 %RH, where the model gives {:.2f}.")
def ratio_bands():
    return humidity_bands()


@states(L3, "**PM2.5 = {:.3f} × PA<sub>cf1</sub> − {:.4f} × RH + {:.2f}**")
def epa_equation():
    k = calibration.EPA_COEFFICIENTS
    return k["pa_cf1"], -k["rh"], k["intercept"]


@states(L3, "(slope {:.3f}) because PurpleAir's raw readings run\nabout {:.1f} times the reference")
def epa_slope():
    k = calibration.EPA_COEFFICIENTS["pa_cf1"]
    return k, 1 / k


@states(L3, "with the EPA equation's −{:.4f}")
@states(GUIDE, "negative like the EPA's −{:.4f}")
def epa_rh():
    return -calibration.EPA_COEFFICIENTS["rh"]


@states(L3, "×{:.2f} at 50 %RH and ×{:.2f} at 80 %RH")
@states(GUIDE, "×{:.2f} at 50 %RH, ×{:.2f} at 80 %RH")
def growth_examples():
    return units.humidity_growth(50), units.humidity_growth(80)


@cache
def rh_coefficients():
    """The fitted humidity coefficient, and the one the over-read alone would give.

    "The over-read alone": the station replaced by the sensor's reading divided by its gain and the growth model
    (gain from the driest hours, as in 06.3's figure), the same two-feature line fitted to that.
    """
    h = m06.hourly_jongno()
    train = h[h["timestamp"] < CUTOFF]
    coef = calibration.fit_calibration(train, ["pm25_raw", "humidity"]).coefficients["humidity"]
    dry = h["humidity"] <= 40
    gain = (h["pm25_raw"] / h["pm25_ref"])[dry].median() / units.humidity_growth(h.loc[dry, "humidity"].median())
    growth_only = train.assign(pm25_ref=train["pm25_raw"] / (gain * units.humidity_growth(train["humidity"])))
    alone = calibration.fit_calibration(growth_only, ["pm25_raw", "humidity"]).coefficients["humidity"]
    epa = -calibration.EPA_COEFFICIENTS["rh"]
    if not (alone < coef < 0 and abs(coef) < abs(epa) / 3):
        raise AssertionError("the guide's answer to 06.3.c says the fitted humidity coefficient is negative like the "
                             "EPA's but far smaller, and smaller than the over-read alone gives (the over-read wins, "
                             f"narrowly); it is {coef:.3f}, the over-read alone {alone:.3f}, the EPA's {epa:.4f}")
    return float(coef), float(alone)


@states(GUIDE, "The coefficient is −{:.3f} µg/m³ per %RH, negative")
def rh_coefficient_claim():
    return -rh_coefficients()[0]


@states(GUIDE, "the over-read alone would give −{:.3f}")
def rh_growth_only():
    return -rh_coefficients()[1]


@states(GUIDE, "puts an 85 %RH hour {:.1f} µg/m³ lower")
def rh_difference():
    return -rh_coefficients()[0] * 35


# --- 06.4 ----------------------------------------------------------------------------------------

@cache
def own_lines(features=("pm25_raw",)):
    return pd.concat([calibration.holdout_predictions(rows, list(features), "linear", CUTOFF)
                      for _, rows in pairs().groupby("site_id")])


@states(L4, "(on average {:.1f} µg/m³ for the same features)")
def own_line_rmse():
    f = own_lines(("pm25_raw", "humidity"))
    return float(f.groupby("site_id").apply(lambda s: calibration.metrics(s["pm25_ref"], s["predicted"])["rmse"]).mean())


@cache
def rankings():
    means = own_lines().groupby("district")[["pm25_ref", "pm25_raw", "predicted"]].mean()
    ranks = means.rank(ascending=False)
    same_raw = int((ranks["pm25_raw"] == ranks["pm25_ref"]).sum())
    same_cal = int((ranks["predicted"] == ranks["pm25_ref"]).sum())
    rho = means.corr(method="spearman")["pm25_ref"]
    iqr = float(means["pm25_ref"].quantile(0.75) - means["pm25_ref"].quantile(0.25))
    miss_raw = float((means["pm25_raw"] - means["pm25_ref"]).abs().median())
    miss_cal = float((means["predicted"] - means["pm25_ref"]).abs().median())
    if not miss_cal < miss_raw / 3:
        raise AssertionError("06.4 says calibration fixes the district means (error far below the raw sensors'); "
                             f"errors {miss_cal:.1f} vs {miss_raw:.1f} µg/m³")
    if not (abs(rho["pm25_raw"]) < 0.3 and 0.5 < rho["predicted"] < 0.9):
        raise AssertionError("06.4 says the raw sensors' ranking has nothing to do with the stations' and the "
                             "calibrated one follows it clearly but not closely; rank correlation "
                             f"{rho['pm25_raw']:.2f} raw, {rho['predicted']:.2f} calibrated")
    if not same_cal < len(means) / 2:
        raise AssertionError(f"06.4 says most districts still change place after calibration; {same_cal} keep it")
    gaps = np.diff(np.sort(means["pm25_ref"].to_numpy()))
    if not miss_cal > np.median(gaps):
        raise AssertionError("06.4 says the calibrated error is enough to swap neighbouring districts; it is "
                             f"{miss_cal:.2f} µg/m³, the median gap between neighbours {np.median(gaps):.2f}")
    return (len(means), same_raw, same_cal, float(rho["pm25_raw"]), float(rho["predicted"]), iqr, miss_raw, miss_cal)


@states(L4, "Raw street sensors miss their station's four-month mean by {:.1f} µg/m³ (median over the {}\n"
            "districts); calibrated, by {:.1f}.")
def district_levels():
    n, *_, miss_raw, miss_cal = rankings()
    return miss_raw, n, miss_cal


@states(L4, "the rank correlation with the stations rises from {:.2f} with raw sensors, no better than\n"
            "chance, to {:.2f} with calibrated ones")
def district_rank_correlation():
    rho_raw, rho_cal = rankings()[3:5]
    return rho_raw, rho_cal


@states(L4, "{} and {} of the {} districts\nchange rank with raw and calibrated sensors")
def district_ranks():
    n, same_raw, same_cal, *_ = rankings()
    return n - same_raw, n - same_cal, n


@states(L4, "lie within {:.1f} µg/m³ of each other, so an error of {:.1f} µg/m³\nis enough to swap neighbours")
def rank_spread():
    r = rankings()
    return r[5], r[7]


@states(GUIDE, "raw sensors keep {} of {} districts at the station's rank, calibrated ones {}")
def guide_ranks():
    n, same_raw, same_cal, *_ = rankings()
    return same_raw, n, same_cal


def check_random_split_flatters_the_drifting_sensor():
    """06.4 says, without a number, that the random split reports a smaller error on the same days."""
    from sensorlab.validation import random_vs_time

    seongdong = pairs()[pairs()["site_id"] == "sdot-107-01"]
    scores = random_vs_time(seongdong, lambda tr: calibration.fit_calibration(tr, ["pm25_raw"]),
                            lambda te, p: calibration.metrics(te["pm25_ref"], p)["rmse"], m06.CUTOFF)
    if not scores["random rows"] < scores["time split"]:
        raise AssertionError("06.4 says the random split reports a smaller error than the time split for sdot-107-01")


@states(L4, "Seongdong-gu's `sdot-107-01` is one.")
def drifting_sensor_story():
    check_random_split_flatters_the_drifting_sensor()
    return ()


# --- 06.5 ----------------------------------------------------------------------------------------

@states(L5, "leaves a tree only {} training days")
@states(L5, "Jongno's line was fitted on {} days")
def n_train():
    return len(jongno_split()[0])


@states(L5, "(median about {:.1f}: this sensor reads low)")
def forest_raw_ratio():
    test = calibration.holdout_predictions(m06.hourly_jongno(), ["pm25_raw", "humidity", "temperature"], "linear", CUTOFF)
    return float((test["pm25_raw"] / test["pm25_ref"]).median())


@states(L5, "(daily mean above {:.0f} µg/m³)")
@states(L5, "near {:.0f} µg/m³ cross the limit")
def bad_limit():
    return m06.BAD_ABOVE


@cache
def bootstrap_results():
    train, test = jongno_split()
    lines = calibration.bootstrap_lines(train, n_boot=m06.N_BOOT, seed=0)
    calibrated = lines[["slope"]].to_numpy() * test["pm25_raw"].to_numpy() + lines[["intercept"]].to_numpy()
    means = calibrated.mean(axis=1)
    low, high, one = m06.bad_day_interval()
    if not low <= one <= high:
        raise AssertionError(f"06.5: one line's count ({one}) lies outside its own bootstrap interval ({low}-{high})")
    m_low, m_high = np.percentile(means, [2.5, 97.5])
    return one, low, high, int((test["pm25_ref"] > m06.BAD_ABOVE).sum()), m_low, m_high, float(test["pm25_ref"].mean())


@states(L5, "One line gives {:.0f} 나쁨 days; the bootstrap's 95 % interval is {:.0f} to {:.0f} days, and the station counted\n{}.")
def bad_days():
    return bootstrap_results()[:4]


@states(L5, "The four-month mean lies between {:.1f} and {:.1f} µg/m³ (station {:.1f}).")
@states(GUIDE, "the four-month mean {:.1f} to {:.1f} µg/m³ (station {:.1f})")
def mean_interval():
    return bootstrap_results()[4:]


@states(GUIDE, "`bad_days` is about ({:.0f}, {:.0f})")
def guide_bad_days():
    return bootstrap_results()[1:3]


# --- definitions, not results ---------------------------------------------------------------------

for doc in (L1, L2, L3, L4, L5):
    plain(doc, "CC BY 4.0")
# Korean dates and months are calendar words, not measurements (the tool's year pattern needs a word edge).
MONTHS = [f"{m}월" for m in range(12, 0, -1)] + ["2024년", "2020년"]
for doc in (L1, L2, L3, L4, L5, GUIDE):
    plain(doc, *MONTHS)
plain(L1, "(1이면 완벽, 0보다", "같은 24시간", "팬이 멈춰 생긴 0", "1:1 선", "1:1 점선", '"40 µg/m³라고',
      "the same 24 hours", "1:1", '"it reads 40 µg/m³"')
plain(L2, "9월 1일", "기울기가 1에 가깝다", "slope near 1", "slope 1 ±", "기울기 1 ±")
plain(L3, "(up to 40 %RH)", "80–90 %RH", "an hour at 85 %RH than an hour at 50 %RH", "clipped at 0", "(40 %RH 이하)",
      "at 50 %RH and ×", "at 80 %RH", "50 %RH에서", "80 %RH에서", "85 %RH인 시간을 50 %RH인 시간", "0 아래로는",
      "Atmospheric Measurement Techniques 14, 4617–4637")
plain(L4, "R² = 0.97 from a random 80/20 split", "80/20으로 나누어 R² = 0.97을")
plain(L5, "1,000 resamples", "95 % interval", "the 2.5th and 97.5th", "1,000번", "2.5번째와 97.5번째", "95 % 구간",
      "1에 그은", "at 1 (")


# --- the teacher guide's answers ----------------------------------------------------------------------

@cache
def jongno_scores():
    train, test = jongno_split()
    line = calibration.fit_calibration(train, ["pm25_raw"])
    bias = float((pairs().query("site_id == @m06.JONGNO")["pm25_raw"]
                  - pairs().query("site_id == @m06.JONGNO")["pm25_ref"]).mean())
    own = float(calibration.metrics(test["pm25_ref"], line.predict(test))["rmse"])
    raw = float(calibration.metrics(test["pm25_ref"], test["pm25_raw"])["rmse"])
    pooled = calibration.holdout_predictions(pairs(), ["pm25_raw"], "linear", CUTOFF)
    pooled_rmse = float(calibration.metrics(pooled["pm25_ref"], pooled["predicted"])["rmse"])
    if not bias < 0:
        raise AssertionError(f"06.1 says the Jongno sensor reads low; its mean bias is {bias:.2f}")
    if not (own < raw and pooled_rmse > own):
        raise AssertionError("06.2 says the line beats the raw reading and one line for all is worse than Jongno's own")
    return -bias, own, raw, pooled_rmse, pooled_rmse / own


@states(GUIDE, "the mean bias is −{:.1f} µg/m³")
def guide_bias():
    return jongno_scores()[0]


@states(GUIDE, "test RMSE {:.1f} µg/m³ (raw reading {:.1f})")
def guide_test_rmse():
    return jongno_scores()[1:3]


@states(GUIDE, "pooled line: {:.1f} µg/m³, {:.1f} times Jongno's own line")
def guide_pooled():
    return jongno_scores()[3:5]


@states(GUIDE, "median ratio rises from {:.2f} (driest band) to {:.2f} at 80–90 %RH")
def guide_bands():
    return humidity_bands()[:2]


@cache
def borrowed():
    j_train, _ = jongno_split()
    line = calibration.fit_calibration(j_train, ["pm25_raw"])
    highest = sensor_ratios().idxmax()
    if highest != m06.GWANGJIN or not sensor_ratios()[m06.GWANGJIN] > 1 > sensor_ratios()[m06.JONGNO]:
        raise AssertionError(f"06.4 says Gwangjin's {m06.GWANGJIN} reads highest of the co-located sensors (above its "
                             f"station) and Jongno's reads low; the highest reader is now {highest}")
    if not line.coefficients["pm25_raw"] > 1:
        raise AssertionError("the guide's answer to 06.4.a says Jongno's line stretches readings up (slope above 1)")
    other = pairs()[pairs()["site_id"] == m06.GWANGJIN]
    test = other[other["timestamp"] >= CUTOFF]
    b = float(calibration.metrics(test["pm25_ref"], line.predict(test))["rmse"])
    raw = float(calibration.metrics(test["pm25_ref"], test["pm25_raw"])["rmse"])
    if not b > raw:
        raise AssertionError("06.4 says Jongno's line makes Gwangjin's readings worse than raw; it no longer does")
    return b, raw


@states(L4, "Borrowing Jongno's line makes Gwangjin's readings *worse* than no calibration at all")
def borrowed_story():
    borrowed()
    return ()


@states(GUIDE, "borrowed line: RMSE {:.1f} µg/m³, worse than the raw reading's {:.1f}")
def guide_borrowed():
    return borrowed()


@states(GUIDE, "leave-one-site-out RMSE of the pooled line: {:.1f} µg/m³")
def guide_site_out():
    from sensorlab.validation import compare_splits

    table = compare_splits(pairs(), lambda tr: calibration.fit_calibration(tr, ["pm25_raw", "humidity"]),
                           lambda te, p: calibration.metrics(te["pm25_ref"], p)["rmse"])
    return float(table.loc["leave one site out", "score"])


@states(GUIDE, "forest, hourly: test RMSE about {:.1f} µg/m³")
def guide_forest():
    test = calibration.holdout_predictions(m06.hourly_jongno(), ["pm25_raw", "humidity", "temperature"], "forest", CUTOFF)
    return float(calibration.metrics(test["pm25_ref"], test["predicted"])["rmse"])


# --- the guide's timetable ----------------------------------------------------------------------------

def header_minutes():
    """(teaching, exercises) minutes of each lesson, from the notebooks' headers (tools.lesson_plans)."""
    return {stem[:2]: lesson_plans.header_minutes(Path(__file__).parent, stem) for stem in (L1, L2, L3, L4, L5, YOURS)}


TITLES = {"01": "Co-location and the problem", "02": "Linear calibration", "03": "Humidity and the EPA correction",
          "04": "Validation that respects time and place", "05": "Trees and real S-DoT data",
          "06": "Your data: calibrate your boxes"}


def _row(lesson):
    @states(GUIDE, f"| 06.{int(lesson)} {TITLES[lesson]} | " + "{} | {} |")
    def minutes():
        return header_minutes()[lesson]
    minutes.__name__ = f"minutes_06_{lesson}"
    return minutes


for _lesson in TITLES:
    _row(_lesson)


# ---- the guide's period plan: checked to fit, every notebook placed ---------------------------------------
HERE = Path(__file__).parent
#: The periods of a university class (every notebook; 06.5 split at exercise 06.5.b), the notebooks (and the
#: share of each, split at a section heading) each covers, and the minutes each spends logging in (as 00's plan).
PERIODS = {1: ((L1, 1), (L2, 10 / 40)),
           2: ((L2, 30 / 40), (L3, 15 / 35)),
           3: ((L3, 20 / 35), (L4, 25 / 40)),
           4: ((L4, 15 / 40), (L5, 30 / 50)),
           5: ((L5, 20 / 50), (YOURS, 1))}
#: A high-school class skips 06.5: its period 4 ends 06.4 and runs 06.6.
HIGH_SCHOOL = {**{p: PERIODS[p] for p in (1, 2, 3)}, 4: ((L4, 15 / 40), (YOURS, 1))}
TRACKS = {"high school": HIGH_SCHOOL}
LOG_IN = 5
OVERHEAD = dict.fromkeys(PERIODS, LOG_IN)


@states(GUIDE, "{} periods for a high-school class (06.1–06.4 and 06.6), {} for university groups (06.5 in periods {} and {},")
def period_count():
    return len(HIGH_SCHOOL), checked_plan(HERE, PERIODS, OVERHEAD, HIGH_SCHOOL), *periods_holding(PERIODS, L5)


@states(GUIDE, "Each period opens with {} minutes to log in")
def opening_minutes():
    return LOG_IN


@states(GUIDE, "core (06.1–06.4) needs {:g} minutes of notebook time")
def core_minutes():
    return sum(notebook_minutes(HERE, stem) for stem in (L1, L2, L3, L4))


state_period_rows(GUIDE, HERE, PERIODS, {
    1: "| 1 | 06.1 ({:g}) and 06.2 up to the end of exercise 06.2.a ({:g} of {:g}) |",
    2: "| 2 | 06.2 from \"Which way round?\" ({:g} of {:g}) and 06.3 up to \"A published correction\" ({:g} of {:g}) |",
    3: "| 3 | 06.3 from \"A published correction\" ({:g} of {:g}) and 06.4 up to \"Explore\" ({:g} of {:g}) |",
    4: "| 4, university | 06.4 from \"Explore\" ({:g} of {:g}) and 06.5 up to exercise 06.5.b ({:g} of {:g}) |",
    5: "| 5, university | 06.5 from exercise 06.5.b ({:g} of {:g}) and 06.6 Your data ({:g}) |",
})


state_period_rows(GUIDE, HERE, HIGH_SCHOOL, {
    4: "| 4, high school | 06.4 from \"Explore\" ({:g} of {:g}) and 06.6 Your data ({:g}) |",
}, track="high_school")


@states(GUIDE, "**06.6 Your data: calibrate your boxes** ({:g} minutes by its header)")
def your_data_minutes():
    return notebook_minutes(HERE, YOURS)


@states(GUIDE, "spare {:g} minutes of period {} (high school)")
def assignment_start_minutes():
    last = max(HIGH_SCHOOL)
    return spare_minutes(HERE, HIGH_SCHOOL, OVERHEAD, last), last


# A lesson period's minute marks ("| 12–22 |"), the assignment's estimated time and hypothetical
# examples are definitions of the plan, not results.
plain(GUIDE, "50-minute", "about 45 minutes", "Period 1", "Period 2", "Period 3", "Period 4", "Period 5",
      "R² = 0.97 from a random split", '"It reads 40 µg/m³"',
      'says 40 µg/m³', "0 < x ≤ 500", "80–90 %RH", "at 50 %RH", "at 80 %RH", "an 85 %RH hour", "a 50 %RH hour",
      "the check accepts 1 %", "κ about 0.2–0.6", "below about 60 %RH", "(2) which sensors", "| Period |",
      "| 1 |", "| 2 |", "| 3 |", "| 4, high school |", "| 4, university |", "| 5, university |",
      "high-school period 4", "| 4, 고등학교 |", "| 4, 대학 |", "| 5, 대학 |", "고등학교 4차시", "5차시",
      "4차시와 5차시에")
plain(GUIDE, *guide_slots(HERE, PERIODS, TRACKS))
plain(GUIDE, "대학 연습 1개", "약 45분", "50분 수업", "1차시", "2차시", "3차시", "4차시", "40 µg/m³라고", "R² = 0.97",
      "50 %RH에서", "80 %RH에서", "85 %RH인", "50 %RH인",
      "1 % 차이", "κ 약 0.2–0.6", "약 60 %RH", "(2) 어느 센서로", "r = 1이지만", "기울기가 1에 가까우면",
      "r = 1 and", "slope near 1")
plain(L3, "85 %RH", "50 %RH")
plain(GUIDE, "85 %RH", "50 %RH")



# --- 06.6 Your data: the alt texts' readings of the class network, asserted ------------------------

@cache
def class_gains():
    """Each class box's measured gain (box against station, all hours) beside its hidden gain."""
    import json

    from sensorlab.your_data import beside, class_network_folder, my_data, nearest_station

    log = my_data(class_network_folder())
    station = nearest_station(log)
    pairs = calibration.colocated_pairs(beside(log, station), reference=station, freq="1h")
    gains = pairs.groupby("site_id")[["pm25_ref", "pm25_raw"]].apply(
        lambda rows: calibration.metrics(rows["pm25_ref"], rows["pm25_raw"])["slope"])
    units_ = json.loads((class_network_folder() / "simulation.json").read_text(encoding="utf-8"))["units"]
    hidden = pd.Series({u["node_id"]: u["gain"] for u in units_})
    return pd.DataFrame({"gain": gains, "hidden": hidden.reindex(gains.index)}), pairs


@states(YOURS, "the points rise in the hidden order,\non or below the line")
def gains_in_hidden_order():
    table, _ = class_gains()
    rho = table["gain"].corr(table["hidden"], method="spearman")
    if not (rho > 0.9 and (table["gain"] <= table["hidden"] + 0.1).all()):
        raise AssertionError(f"06.6 says the measured gains follow the hidden ones in order, on or below the 1:1 line; "
                             f"rank correlation {rho:.2f}, gains {table.round(2).to_dict()}")
    return ()


@states(YOURS, "Leaving one box out gives a far larger error than each box's own line")
def leave_one_box_out_worse():
    from sensorlab.validation import compare_splits

    _, pairs_ = class_gains()
    score = lambda test, predicted: calibration.metrics(test["pm25_ref"], predicted)["rmse"]
    loso = compare_splits(pairs_, lambda tr: calibration.fit_calibration(tr, ["pm25_raw"]), score).loc[
        "leave one site out", "score"]
    cutoff = pairs_["timestamp"].min() + (pairs_["timestamp"].max() - pairs_["timestamp"].min()) / 2
    own = np.mean([score(t, t["predicted"]) for t in (calibration.holdout_predictions(rows, ["pm25_raw"], "linear", cutoff)
                                                      for _, rows in pairs_.groupby("site_id"))])
    if not loso > 2 * own:
        raise AssertionError(f"06.6 says leaving one box out is far worse than each box's own line: {loso:.1f} vs {own:.1f}")
    return ()


@states(YOURS, "its lowest box reads lower than any real unit")
def class_boxes_low_in_real_spread():
    """Only where the real files are on this computer."""
    from sensorlab.datasets import fetch_sdot_daily, fetch_station_daily
    from sensorlab.errors import SensorLabError

    try:
        real = calibration.colocated_pairs(fetch_sdot_daily("pm25"), reference=fetch_station_daily(years=[2020]))
    except SensorLabError:
        return ()
    real_gains = real.groupby("site_id")[["pm25_ref", "pm25_raw"]].apply(
        lambda rows: calibration.metrics(rows["pm25_ref"], rows["pm25_raw"])["slope"])
    mine = class_gains()[0]["gain"]
    if not (mine.min() < real_gains.min() and mine.median() < real_gains.median()):
        raise AssertionError("06.6 says the class boxes sit at the low end of the real S-DoT gains, the lowest below "
                             f"every real unit; boxes {mine.round(2).tolist()}, real from {real_gains.min():.2f}")
    return ()


plain(YOURS, "공기 1 µg/m³마다", "CC BY 4.0")

"""Every number module 07 states, computed from the package (see tools/stated_numbers.py).

The lessons' point sometimes depends on a value ("persistence beats climatology", "the random
split changes this model's score little but flatters a model that memorises neighbouring
days"). Those claims call :func:`_holds`, which raises ``AssertionError`` with the sentence
whose meaning no longer holds, so a change to the synthetic city that breaks a story fails
``tests/test_stated_numbers.py`` instead of leaving a false sentence in a lesson.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sensorlab import forecast
from sensorlab.datasets.base import stations
from sensorlab.exercises import m07
from sensorlab.plotting import PM25_GRADES
from tools.lesson_plans import checked_plan, guide_slots, periods_holding, spare_minutes, state_period_rows
from tools.stated_numbers import plain, states

L1 = "01-the-forecasting-question-and-baselines"
L2 = "02-features-from-lags-weather-calendar"
L3 = "03-classification-metrics-and-confusion"
L4 = "04-leakage-traps"
L5 = "05-time-series-cross-validation"
L6 = "06-your-data"
GUIDE = "teacher-guide"
#: Warning thresholds of 07.5's probability forecast ("warn when P(나쁨 or worse) is at least ...").
THRESHOLDS = (0.5, 0.2)


def _holds(condition: bool, sentence: str) -> None:
    if not condition:
        raise AssertionError(f"module 07 states that {sentence}, and the data no longer show it")


# --- shared computations (cached: one synthetic city for every claim) ---------------------------

@cache
def daily():
    return forecast.synthetic_daily()


@cache
def year_2024():
    d = daily()
    in_2024 = d.index.year == 2024
    observed = forecast.pm25_category(d["pm25"])[in_2024]
    acc = {name: forecast.evaluate_classifier(observed, forecast.persistence_forecast(d[col])[in_2024])["accuracy"]
           for name, col in (("persistence", "pm25_20h"), ("persistence_full_day", "pm25"))}
    climatology = forecast.climatology_forecast(d.loc[d.index.year < 2024, "pm25"], observed.index)
    acc["climatology"] = forecast.evaluate_classifier(observed, climatology)["accuracy"]
    return acc


@cache
def model():
    d, train, test, predicted = m07.model_forecast()
    r = forecast.evaluate_classifier(test["category"], predicted,
                                     baseline=forecast.persistence_forecast(d["pm25_20h"]).reindex(test.index))
    return r, train, test, predicted


def _persistence_confusion() -> pd.DataFrame:
    """Persistence's confusion matrix on the model's test days (2024)."""
    _, _, test, _ = model()
    persistence = forecast.persistence_forecast(daily()["pm25_20h"]).reindex(test.index)
    return forecast.evaluate_classifier(test["category"], persistence)["confusion"]


def _caught(confusion: pd.DataFrame):
    """Days observed 나쁨 and 매우나쁨, how many of each were forecast 나쁨 or worse, and false alarms."""
    cm = confusion.to_numpy()
    return {"bad": int(cm[2].sum()), "bad_caught": int(cm[2, 2:].sum()),
            "very_bad": int(cm[3].sum()), "very_bad_caught": int(cm[3, 2:].sum()),
            "false_alarms": int(cm[:2, 2:].sum())}


@cache
def leak_demos():
    """07.4's traps: the model with day t-1's full-day means, and with day t's PM10 and humidity."""
    d, train, test = m07.lesson_split()
    table = forecast.make_features(d).dropna()
    full = table.copy()
    for col in [c for c in table.columns if c.endswith("_lag1_20h")]:
        full[col] = d[col.replace("_lag1_20h", "")].shift(1)
    same_day = table.assign(pm10_today=d["pm10"], humidity_today=d["humidity"])

    def score(frame):
        tr, te = forecast.time_split_with_gap(frame, m07.TEST_START, gap_days=m07.GAP_DAYS)
        fitted = m07.logistic().fit(tr[m07.features_of(tr)], tr["category"].astype(str))
        return forecast.evaluate_classifier(te["category"], fitted.predict(te[m07.features_of(te)]))["accuracy"]

    fair = forecast.climatology_forecast(train["target"], test.index)
    peeking = forecast.climatology_forecast(table["target"], test.index)
    return {"same_climatology": bool(fair.astype(str).equals(peeking.astype(str))),"full_day": score(full), "same_day": score(same_day),
            "climatology": forecast.evaluate_classifier(test["category"], fair)["accuracy"],
            "climatology_peeking": forecast.evaluate_classifier(test["category"], peeking)["accuracy"]}


@cache
def random_vs_time():
    """07.4's trap 2: the same 2024 days scored after a time split and after random splits."""
    from sensorlab import validation

    table = forecast.make_features(daily()).dropna()
    frame = table.assign(timestamp=table.index, day_number=np.arange(len(table), dtype=float))
    return {"model": validation.random_vs_time(frame.drop(columns="day_number"), m07.fit_lesson_model,
                                               forecast.grade_accuracy, m07.TEST_START),
            "memory": validation.random_vs_time(frame, m07.fit_date_memory, forecast.grade_accuracy, m07.TEST_START)}


@cache
def folds():
    scores = m07.fold_scores()
    skill = scores["skill"]
    half = stats.t.ppf(0.975, len(skill) - 1) * skill.std(ddof=1) / np.sqrt(len(skill))
    return scores, float(skill.mean()), float(skill.mean() - half), float(skill.mean() + half)


@cache
def probabilities():
    p, happened, climate = m07.bad_day_probabilities()
    out = {"events": int(happened.sum()), "days": len(happened), **m07.brier_skill()}
    for t in THRESHOLDS:
        warn = p >= t
        out[t] = (int((warn & (happened == 1)).sum()), int((warn & (happened == 0)).sum()))
    return out


@cache
def weighted():
    """The 4-grade model with class_weight="balanced" against the unweighted one, on 2024."""
    d, train, test = m07.lesson_split()
    fitted = m07.logistic(class_weight="balanced").fit(train[m07.features_of(train)], train["category"].astype(str))
    r = forecast.evaluate_classifier(test["category"], fitted.predict(test[m07.features_of(test)]))
    return r, _caught(r["confusion"]), _caught(model()[0]["confusion"])


# --- 07.1 ----------------------------------------------------------------------------------------

GRADES = "좋음 up to {}, 보통 above {} up to {}, 나쁨 above {} up to {}, 매우나쁨 above {} µg/m³"


@states(L1, GUIDE, GRADES)
def grade_limits():
    good, moderate, bad = (g[0] for g in PM25_GRADES[:3])
    return good, good, moderate, moderate, bad, bad


@states(L1, L2, L4, L6, GUIDE, "issued at {}:00")
def issued_at():
    return forecast.ISSUED_AT


@states(L1, L2, L4, L6, GUIDE, "up to {}:00")
def last_known_hour():
    return forecast.ISSUED_AT - 1


@states(L1, L2, L4, GUIDE, "hours {}:00–{}:00")
def late_hours():
    return forecast.ISSUED_AT, 23


@states(L1, "the mean over the {} reference stations")
def n_stations():
    return int((stations()["station_code"].notna()).sum())


@states(L1, "on {} days it has never seen")
def unseen_days():
    return len(m07.unseen_days())


@states(L1, GUIDE, "persistence was right on {:.0f} % of 2024's days and climatology on {:.0f} %")
def persistence_beats_climatology():
    acc = year_2024()
    _holds(acc["persistence"] > acc["climatology"], "persistence beats climatology in 2024")
    return 100 * acc["persistence"], 100 * acc["climatology"]


plain(L1, "65 %")   # a forecaster's boast in a discussion question, not a result
plain(L1, "Baseline 2", "기준선 2")   # a label
for _doc in (L1, L2, L3, L4, L5):
    plain(_doc, "CC BY 4.0")   # the licence of a credited data set


# --- 07.2 ----------------------------------------------------------------------------------------

@states(L2, "correlates {:.2f} with the next day's PM2.5; the full-day mean, which nobody has at 21:00 yet, {:.2f}")
def lag1_correlations():
    d = daily()
    table = forecast.make_features(d).dropna()
    known = table["pm25_lag1_20h"].corr(table["target"])
    full = d["pm25"].shift(1).reindex(table.index).corr(table["target"])
    _holds(full > known, "the full-day mean of the day before correlates more strongly with the next day (the late hours carry information)")
    return known, full


plain(L2, "from 1 to 12", "1월부터 12월까지")   # the months of the year on the bar chart's axis


# --- 07.3 ----------------------------------------------------------------------------------------

@states(L3, GUIDE, "leaves out the {} days before the test")
def gap_days():
    return m07.GAP_DAYS


@states(L3, GUIDE, "model {:.3f} against persistence {:.3f}, a skill of {:.2f}; macro-F1 {:.2f} against {:.2f}")
def model_scores():
    r = model()[0]
    # 07.3's story: one test year shows a small gain in accuracy, which 07.5's folds must confirm (or not).
    _holds(r["baseline_accuracy"] < r["accuracy"] and 0 < r["skill"] < 0.1,
           "the model is slightly more accurate than persistence on 2024 (a small positive skill)")
    _holds(abs(r["macro_f1"] - r["baseline_macro_f1"]) < 0.03, "the model's macro-F1 is about level with persistence's on 2024")
    m, p = r["confusion"].to_numpy(), _persistence_confusion().to_numpy()
    _holds(m[1, 1] > p[1, 1] and m[2, 2] < p[2, 2],
           "the model gets more 보통 days right than persistence and fewer 나쁨 days (it plays safe)")
    return r["accuracy"], r["baseline_accuracy"], r["skill"], r["macro_f1"], r["baseline_macro_f1"]


@states(L3, "right on {} more of the {} test days than persistence")
def extra_days_right():
    r, _, test, _ = model()
    cm, p = r["confusion"].to_numpy(), _persistence_confusion().to_numpy()
    more = int(np.trace(cm) - np.trace(p))
    _holds(0 < more < 0.05 * len(test), "the model is right on a few more days than persistence (a handful in a year)")
    return more, len(test)


@states(L3, L5, GUIDE, "of the {} 나쁨 days of 2024 it forecast {} as 나쁨 or worse, and of the {} 매우나쁨 days {}")
def caught_by_the_model():
    c = _caught(model()[0]["confusion"])
    _holds(c["bad_caught"] < c["bad"] / 2, "the model misses most 나쁨 days")
    return c["bad"], c["bad_caught"], c["very_bad"], c["very_bad_caught"]


@states(L3, "the model puts {} days in the 나쁨 and 매우나쁨 columns where persistence puts {}")
def bad_columns():
    m, p = model()[0]["confusion"].to_numpy(), _persistence_confusion().to_numpy()
    _holds(m[:, 2:].sum() < p[:, 2:].sum(), "the model forecasts 나쁨 or worse less often than persistence")
    return int(m[:, 2:].sum()), int(p[:, 2:].sum())


# --- 07.4 ----------------------------------------------------------------------------------------

@states(L4, GUIDE, "accuracy {:.3f} instead of {:.3f}")
def full_day_leak():
    leak, honest = leak_demos()["full_day"], model()[0]["accuracy"]
    _holds(leak > honest, "the full-day means of the day before (a feature from the future) raise the model's accuracy")
    return leak, honest


@states(L4, "persistence from the full-day mean scores {:.3f}, from the mean up to 20:00 {:.3f}")
def full_day_persistence():
    acc = year_2024()
    _holds(acc["persistence_full_day"] > acc["persistence"], "persistence from the full-day mean looks better than the honest one")
    return acc["persistence_full_day"], acc["persistence"]


@states(L4, GUIDE, "same-day PM10 and humidity lift the accuracy to {:.3f}")
def same_day_leak():
    leak = leak_demos()["same_day"]
    _holds(leak > model()[0]["accuracy"] + 0.1, "same-day features make the score jump")
    return leak


@states(L4, GUIDE, "our model scores {:.3f} after random splits and {:.3f} after the time split")
def random_split_model():
    s = random_vs_time()["model"]
    _holds(abs(s["random rows"] - s["time split"]) < 0.03, "the random split changes the logistic regression's score little")
    return s["random rows"], s["time split"]


@states(L4, GUIDE, "the date-memoriser scores {:.3f} after random splits and {:.3f} after the time split")
def random_split_memory():
    s = random_vs_time()["memory"]
    _holds(s["random rows"] > s["time split"] + 0.1, "the random split flatters a model that memorises neighbouring days")
    _holds(abs(s["random rows"] - year_2024()["persistence"]) < 0.03,
           "after random splits the date-memoriser scores about as well as persistence")
    return s["random rows"], s["time split"]


@states(L4, "climatology from the training years is right on {:.3f} of the test days, climatology that peeks at 2024 on {:.3f}")
def peeking_climatology():
    demo = leak_demos()
    _holds(demo["same_climatology"], "climatology that peeks at 2024 forecasts the same grade for every month as the "
           "honest one, so it scores the same (the leak does not show in the score)")
    return demo["climatology"], demo["climatology_peeking"]


# --- 07.5 ----------------------------------------------------------------------------------------

@states(L5, GUIDE, "skills of {:.2f}, {:.2f}, {:.2f} and {:.2f}")
def fold_skills():
    skill = folds()[0]["skill"]
    # The bar chart's alt text: one bar below 0, the others at or above it, of different heights.
    _holds((skill < 0).sum() == 1 and skill.nunique() == len(skill),
           "one fold's skill is below 0 and the others are at or above 0, each different")
    return tuple(skill)


@states(L5, GUIDE, "mean {:.2f}, 95 % interval from {:.2f} to {:.2f}")
def fold_interval():
    _, mean, low, high = folds()
    _holds(low < 0 < high, "the interval of the mean fold skill includes 0 (the folds do not show a reliable gain)")
    _holds(mean > 0, "the mean fold skill is positive (a gain of its size is possible, and so is none)")
    return mean, low, high


@states(L5, GUIDE, "macro-F1 below persistence's in {} of {} folds and at most {:.2f} above it in the others")
def folds_below_on_macro_f1():
    scores = folds()[0]
    gain = scores["macro_f1"] - scores["persistence_macro_f1"]
    below = int((gain < 0).sum())
    _holds(below >= len(scores) / 2 and gain.max() < 0.03,
           "on macro-F1 the model shows no clear gain over persistence: below it in at least half the folds, "
           "a few hundredths above at most in the others")
    return below, len(scores), float(gain.max())


@states(L5, "{} of the {} test days were 나쁨 or worse")
def events():
    p = probabilities()
    return p["events"], p["days"]


@states(L5, GUIDE, "Brier score {:.3f} against climatology's {:.3f}: a Brier skill of {:.2f}")
def brier():
    from sklearn.calibration import calibration_curve

    p = probabilities()
    _holds(p["skill"] > 0, "the probability forecast beats climatology on the Brier score")
    # The reliability diagram's alt text and prose: four fifths at low probabilities, the top fifth in the middle
    # of the axis, and every point as close to the diagonal as a fifth of the year can show (within two binomial
    # standard errors of a reliable forecast), so no fifth is clearly too sure or too timid.
    prob, happened, _ = m07.bad_day_probabilities()
    observed, forecast_mean = calibration_curve(happened, prob, n_bins=5, strategy="quantile")
    per_fifth = len(prob) / 5
    error = 2 * np.sqrt(forecast_mean * (1 - forecast_mean) / per_fifth)
    _holds((forecast_mean[:-1] < 0.25).all() and 0.25 < forecast_mean[-1] < 0.75,
           "the reliability diagram has four points at low probabilities and the highest in the middle of the axis")
    _holds((np.abs(observed - forecast_mean) < error).all(),
           "every point of the reliability diagram lies close to the diagonal (within two binomial standard errors)")
    return p["model"], p["climatology"], p["skill"]


@states(L5, GUIDE, "at {:.0f} % it catches {} of them with {} false alarms; at {:.0f} %, {} with {} false alarms")
def thresholds():
    p = probabilities()
    (hi_caught, hi_false), (lo_caught, lo_false) = p[THRESHOLDS[0]], p[THRESHOLDS[1]]
    _holds(lo_caught > hi_caught and lo_false > hi_false, "a lower threshold catches more and false-alarms more")
    return 100 * THRESHOLDS[0], hi_caught, hi_false, 100 * THRESHOLDS[1], lo_caught, lo_false


@states(L5, GUIDE, "balanced weights catch {} of {} 나쁨 days and {} of {} 매우나쁨 days, with {} false alarms instead of {}; accuracy falls from {:.3f} to {:.3f}")
def class_weights():
    r, w, u = weighted()
    _holds(w["bad_caught"] > u["bad_caught"] and w["false_alarms"] > u["false_alarms"],
           "class weighting catches more 나쁨 days at the cost of more false alarms")
    return (w["bad_caught"], w["bad"], w["very_bad_caught"], w["very_bad"], w["false_alarms"], u["false_alarms"],
            model()[0]["accuracy"], r["accuracy"])


plain(L5, "95 %")     # the interval's level, a choice
plain(L5, "30 %")     # an illustration of what "reliable" means, not a result
plain(GUIDE, "95 %")
plain(L4, "Trap 2", "Trap 3", "Trap 4", "함정 2", "함정 3", "함정 4")   # labels of the traps


# --- the teacher guide's answers ------------------------------------------------------------------

@states(GUIDE, "2024 has {} 좋음, {} 보통, {} 나쁨 and {} 매우나쁨 days")
def grade_counts_2024():
    d = daily()
    counts = forecast.pm25_category(d.loc[d.index.year == 2024, "pm25"], lang="en").value_counts()
    return tuple(int(counts[g]) for g in forecast.CATEGORIES)


@states(GUIDE, "persistence accuracy {:.3f}")
def persistence_accuracy_answer():
    return year_2024()["persistence"]


@states(GUIDE, "lag-1 correlation {:.2f} (lag 7: {:.2f})")
def lag_correlations():
    table = forecast.make_features(daily()).dropna()
    return table["pm25_lag1_20h"].corr(table["target"]), table["pm25_lag7"].corr(table["target"])


@states(GUIDE, "{:.1f} µg/m³ lower after windy evenings, against a day-to-day standard deviation of {:.1f} µg/m³")
def wind_effect():
    table = forecast.make_features(daily()).dropna()
    windy = table["wind_speed_lag1_20h"] > table["wind_speed_lag1_20h"].median()
    effect = table.loc[windy, "target"].mean() - table.loc[~windy, "target"].mean()
    _holds(effect < 0 and -effect < table["target"].std(), "PM2.5 is a little lower after windy evenings, small against the spread")
    return -effect, table["target"].std()


@states(GUIDE, "{} days observed 나쁨 were forecast 보통")
def bad_as_moderate():
    return int(model()[0]["confusion"].iat[2, 1])


@states(GUIDE, "skill over persistence {:.3f}; over climatology {:.3f}")
def skills_answer():
    r, train, test, predicted = model()
    clim = forecast.climatology_forecast(train["target"], test.index)
    over_clim = forecast.evaluate_classifier(test["category"], predicted, baseline=clim.to_numpy())
    _holds(over_clim["skill"] > r["skill"], "the skill over climatology is larger (climatology is the weaker baseline)")
    return r["skill"], over_clim["skill"]


@states(GUIDE, "climatology {:.3f} against persistence {:.3f} on the test days")
def climatology_weaker():
    r = model()[0]
    clim = leak_demos()["climatology"]
    _holds(clim < r["baseline_accuracy"], "climatology is a weaker baseline than persistence")
    return clim, r["baseline_accuracy"]


@states(GUIDE, "Brier skill {:.3f}")
def brier_answer():
    return probabilities()["skill"]


# ---- the guide's period plan: checked to fit, every notebook placed ---------------------------------------
HERE = Path(__file__).parent
BASELINES, FEATURES, METRICS, LEAKS, FOLDS, YOUR_DATA = (
    "01-the-forecasting-question-and-baselines", "02-features-from-lags-weather-calendar",
    "03-classification-metrics-and-confusion", "04-leakage-traps", "05-time-series-cross-validation", "06-your-data")
#: The periods, the notebooks (and the share of each, split at a section heading) each covers, and the
#: minutes each spends logging in and opening the notebook (as module 00's plan). The last is university only.
PERIODS = {1: ((BASELINES, 1), (FEATURES, 10 / 35)),
           2: ((FEATURES, 25 / 35), (METRICS, 20 / 35)),
           3: ((METRICS, 15 / 35), (LEAKS, 20 / 35)),
           4: ((LEAKS, 15 / 35), (YOUR_DATA, 1)),
           5: ((FOLDS, 1),)}
#: A high-school class skips 07.5 (university), so its plan is the other periods.
HIGH_SCHOOL = {p: parts for p, parts in PERIODS.items() if FOLDS not in dict(parts)}
TRACKS = {"high school": HIGH_SCHOOL}
LOG_IN = 5
OVERHEAD = dict.fromkeys(PERIODS, LOG_IN)


@states(GUIDE, "{} periods for a high-school class (07.1–07.4 and 07.6), {} for university groups (07.5 in period {})")
def period_count():
    return len(HIGH_SCHOOL), checked_plan(HERE, PERIODS, OVERHEAD, HIGH_SCHOOL), *periods_holding(PERIODS, FOLDS)


@states(GUIDE, "Each period\nopens with {} minutes to log in")
def opening_minutes():
    return LOG_IN


state_period_rows(GUIDE, HERE, PERIODS, {
    1: "| 1 | 07.1 ({:g}) and 07.2's feature table ({:g} of {:g}) |",
    2: "| 2 | 07.2 from \"The day before against the day\" ({:g} of {:g}) and 07.3 up to \"The confusion matrix\" "
        "({:g} of {:g}) |",
    3: "| 3 | 07.3 from \"The confusion matrix\" ({:g} of {:g}) and 07.4 up to the end of exercise 07.4.a "
        "({:g} of {:g}) |",
    4: "| 4 | 07.4 from \"Trap 3\" ({:g} of {:g}) and 07.6 Your data ({:g}) |",
    5: "| 5 | 07.5 Time-series cross-validation ({:g}), university |",
})


@states(GUIDE, "in the spare {:g} minutes of period {} and finish it as homework\n(university groups also in the spare "
        "{:g} minutes of period {})")
def assignment_start_minutes():
    school, university = max(HIGH_SCHOOL), max(PERIODS)
    return (spare_minutes(HERE, PERIODS, OVERHEAD, school), school,
            spare_minutes(HERE, PERIODS, OVERHEAD, university), university)


#: The guide's period plans: minutes of a 50-minute class and the labels of periods and traps.
plain(GUIDE, *guide_slots(HERE, PERIODS, TRACKS),
      "(ML 2)", "Period 1", "Period 2", "Period 3", "Period 4", "Period 5", "trap 2", "Trap 3", "A probability of 0.3",
      "| Period |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |", "2차시", "3차시", "4차시", "5차시", "함정 2", "함정 3",
      "(머신러닝 2)", "연습 1개", "확률 0.3", "period 4", "period 5")

#: Years, lesson and trap labels, and 0 and 1 as words, where a Korean particle or the grammar sits next to them.
plain(L1, "2024년", "2021–2023년", "0과 1 사이")
plain(L3, "2024년", "2021년", "1월에", "0이면", "1이면")
plain(L4, "2024년", "함정 1은")
plain(L5, "2024년", "interval includes 0", "from 0 to 1", "0부터 1까지", "검은 0 선", "0보다", "0이거나", "0이 들어",
      "1, 아니면 0이에요", "0이면")
plain(GUIDE, "2024년", "2021–2023년", "1차시", "1월 6일", "시차 1의", "interval includes 0", "구간에는 0이",
      "3월 2주치", "2주로는")   # the class network's two weeks of March 2025, as in 07.6

#: 07.6 Your data: section numbers, the months and years of the data sets, and "two weeks" as words.
plain(L6, "## 1 ·", "## 2 ·", "## 3 ·", "## 4 ·", "section 3", "3절", "약 2주", "2주로는", "2020년 4–11월", "2025년 3월에 2주")

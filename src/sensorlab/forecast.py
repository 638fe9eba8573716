"""Forecasting tomorrow's PM2.5 grade in the Korean scale (lesson module 07).

The question a Seoul student's family asks each evening: will tomorrow be 좋음, 보통, 나쁨 or
매우나쁨? A forecast is only worth something if it beats the forecasts that need no model:

- *persistence*: tomorrow's grade is today's;
- *climatology*: tomorrow's grade is the most common grade of that month in past years.

Functions:

- :func:`pm25_category`: the Korean grade of daily PM2.5 (좋음 0-15, 보통 16-35, 나쁨 36-75,
  매우나쁨 76+ µg/m³), as an ordered categorical.
- :func:`daily_city_series`, :func:`synthetic_daily`: the city-mean daily table a forecast starts
  from (:mod:`sensorlab.daily_series`, re-exported here).
- :func:`make_features`: lags, the evening's weather and the calendar, each row using only what
  was known when the forecast is issued, at 21:00 the evening before (:data:`ISSUED_AT`).
- :func:`persistence_forecast`, :func:`climatology_forecast`: the baselines.
- :func:`evaluate_classifier`: accuracy, macro-F1, confusion matrix and skill over a baseline.
- :func:`time_split_with_gap`: train before a date, test from it, with days left out between.
- :func:`exceedance_climatology`: the climatological probability of a 나쁨-or-worse day, the
  baseline of a probability forecast (scored with scikit-learn's ``brier_score_loss``).

Examples
--------
>>> import pandas as pd
>>> days = pd.date_range("2024-01-01", periods=5, freq="D", tz="Asia/Seoul")
>>> pm = pd.Series([10.0, 20.0, 40.0, 80.0, 30.0], index=days)
>>> pm25_category(pm).tolist()
['good', 'moderate', 'bad', 'very bad', 'moderate']
>>> persistence_forecast(pm).tolist()[1:]   # tomorrow = today
['good', 'moderate', 'bad', 'very bad']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# the daily table a forecast starts from is its own module; lessons find it here too
from sensorlab.daily_series import ISSUED_AT, KNOWN, daily_city_series, synthetic_daily  # noqa: F401
from sensorlab.messages import get_language, text
from sensorlab.pm25_grades import PM25_GRADES

__all__ = ["CATEGORIES", "CATEGORIES_KO", "ISSUED_AT", "KNOWN", "pm25_category", "daily_city_series", "synthetic_daily",
           "make_features", "persistence_forecast", "climatology_forecast", "evaluate_classifier", "skill_score",
           "time_split_with_gap", "exceedance_climatology", "on_columns", "grade_accuracy"]

#: Grade labels in order, English and Korean (upper bounds in ``pm25_grades.PM25_GRADES``).
CATEGORIES = [g[1] for g in PM25_GRADES]
CATEGORIES_KO = [g[2] for g in PM25_GRADES]
_BINS = [-np.inf] + [g[0] for g in PM25_GRADES]

#: Daily quantities the reference stations measure that make sense as predictors.
WEATHER = ("temperature", "humidity", "wind_speed")



def pm25_category(values, lang: str | None = None) -> pd.Series:
    """The Korean PM2.5 grade of each daily mean, as an ordered categorical Series.

    Grades, in µg/m³: 좋음 (good) up to 15, 보통 (moderate) above 15 up to 35, 나쁨 (bad) above 35
    up to 75, 매우나쁨 (very bad) above 75. A daily mean such as 15.4 is above 15, so 보통. NaN stays NaN.

    Parameters
    ----------
    values : float, array-like or pandas.Series
        Daily mean PM2.5 (µg/m³).
    lang : {"en", "ko"}, optional
        Labels in English or Korean; default the message language (``messages.set_language``),
        so a Korean notebook's grades, forecasts and confusion matrices read 좋음 … 매우나쁨.

    Examples
    --------
    >>> pm25_category([15, 15.4, 35, 36, 75, 76, None], lang="ko").tolist()
    ['좋음', '보통', '보통', '나쁨', '나쁨', '매우나쁨', nan]
    """
    labels = CATEGORIES_KO if (lang or get_language()) == "ko" else CATEGORIES
    series = values if isinstance(values, pd.Series) else pd.Series(np.atleast_1d(np.asarray(values, dtype=float)))
    cats = pd.cut(series.astype(float), bins=_BINS, labels=labels, right=True)
    return cats.cat.as_ordered().rename(series.name)


def make_features(daily: pd.DataFrame, lags=(1, 2, 7), weather: bool = True, calendar: bool = True,
                  target: str = "pm25") -> pd.DataFrame:
    """Features for forecasting day *t*, built only from what is known at 21:00 on day *t−1*.

    The forecast is issued at :data:`ISSUED_AT` (21:00) the evening before. By then day *t−1*'s
    readings of 00:00-20:00 exist and those of 21:00-23:00 do not, so day *t−1* enters through
    its ``_20h`` columns (the mean up to 20:00), never through its full-day mean: that mean
    would use three hours from the future (leakage). Days *t−2* and earlier are complete.

    Parameters
    ----------
    daily : pandas.DataFrame
        Daily series indexed by consecutive calendar days, with each quantity ``q`` and its
        ``q_20h`` column (as :func:`synthetic_daily` returns; for other data,
        ``daily_city_series(data, hours=range(ISSUED_AT))`` makes the ``_20h`` columns).
    lags : sequence of int
        Days back. Lag 1 is ``pm25_lag1_20h`` (the evening's mean up to 20:00); lag *k* ≥ 2 is
        ``pm25_lag{k}``, the full-day mean *k* days before. ``pm25_mean3`` is the mean of the three
        latest daily values known at 21:00 (lag 1 up to 20:00, lags 2 and 3 whole).
    weather : bool
        The evening's weather up to 20:00 (``temperature_lag1_20h``, ``humidity_lag1_20h``,
        ``wind_speed_lag1_20h``) and PM10, NO2 and O3 likewise, where the data has them. Not day
        *t*'s: the weather of day *t* is not known the evening before (a weather *forecast*
        would be, but that is a different, noisier number).
    calendar : bool
        What the calendar says about day *t* (known in advance): ``month``, ``day_of_week``,
        ``weekend`` and the season as ``doy_sin``/``doy_cos``.
    target : str
        The column being forecast.

    Returns
    -------
    pandas.DataFrame
        The features, plus ``target`` (the full-day value of day *t*) and ``category`` (its
        grade), same index as ``daily``. Early rows have NaN lags; drop them with ``dropna()``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-03-01", periods=4, freq="D", tz="Asia/Seoul")
    >>> daily = pd.DataFrame({"pm25": [10.0, 20.0, 40.0, 30.0], "pm25_20h": [9.0, 18.0, 44.0, 31.0],
    ...                       "temperature": [5.0, 6.0, 7.0, 8.0], "temperature_20h": [5.5, 6.5, 7.5, 8.5]},
    ...                      index=days)
    >>> f = make_features(daily, lags=(1, 2), calendar=False)
    >>> f[["pm25_lag1_20h", "pm25_lag2", "temperature_lag1_20h", "target"]].iloc[3].tolist()
    [44.0, 20.0, 7.5, 30.0]
    >>> f["category"].tolist()
    ['good', 'moderate', 'bad', 'moderate']
    """
    if target not in daily.columns:
        raise ValueError(f"the daily table has no {target!r} column; it has {list(daily.columns)}")
    if target + KNOWN not in daily.columns:
        raise ValueError(f"the daily table has no {target + KNOWN!r} column (the mean up to 20:00, known when "
                         f"the forecast is issued at {ISSUED_AT}:00); make it with "
                         f"daily_city_series(data, hours=range({ISSUED_AT})) or use synthetic_daily()")
    index = pd.DatetimeIndex(daily.index)
    if len(index) > 1 and not (index[1:] - index[:-1] == pd.Timedelta(days=1)).all():
        raise ValueError("make_features needs one row per consecutive calendar day; "
                         "reindex with pd.date_range(start, end, freq='D') first")
    y = daily[target].astype(float)
    evening = daily[target + KNOWN].astype(float).shift(1)
    out = {}
    for lag in lags:
        if lag < 1:
            raise ValueError(f"lag {lag} would use day t itself or the future; lags must be >= 1")
        out[f"{target}_lag1{KNOWN}" if lag == 1 else f"{target}_lag{lag}"] = evening if lag == 1 else y.shift(lag)
    out[f"{target}_mean3"] = pd.concat([evening, y.shift(2), y.shift(3)], axis=1).mean(axis=1, skipna=False)
    if weather:
        for col in [*WEATHER, "pm10", "no2", "o3"]:
            if col + KNOWN in daily.columns and col != target:
                out[f"{col}_lag1{KNOWN}"] = daily[col + KNOWN].astype(float).shift(1)
    if calendar:
        doy = index.day_of_year.to_numpy()
        out["month"] = pd.Series(index.month, index=daily.index)
        out["day_of_week"] = pd.Series(index.day_of_week, index=daily.index)
        out["weekend"] = pd.Series((index.day_of_week >= 5).astype(int), index=daily.index)
        out["doy_sin"] = pd.Series(np.sin(2 * np.pi * doy / 365.25), index=daily.index)
        out["doy_cos"] = pd.Series(np.cos(2 * np.pi * doy / 365.25), index=daily.index)
    features = pd.DataFrame(out, index=daily.index)
    features["target"] = y
    features["category"] = pm25_category(y)
    return features


def persistence_forecast(pm25: pd.Series, lang: str | None = None) -> pd.Series:
    """Tomorrow's grade is today's: the grade of the previous calendar day's value.

    ``pm25`` must be indexed by consecutive days (as :func:`daily_city_series` returns). For
    the evening forecast pass what is known at 21:00, ``daily["pm25_20h"]`` (today's mean up
    to 20:00): the full-day ``daily["pm25"]`` would use hours 21-23, which do not exist yet.
    """
    return pm25_category(pm25.astype(float).shift(1), lang=lang)


def climatology_forecast(train_pm25: pd.Series, dates, lang: str | None = None) -> pd.Series:
    """The most common grade of each calendar month in the training period, for ``dates``.

    Only ``train_pm25`` is looked at, so the test period never leaks into the baseline. A month
    missing from the training data gets the most common grade overall.

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.Series([40.0, 50.0, 10.0, 12.0],
    ...                   index=pd.to_datetime(["2023-01-05", "2023-01-06", "2023-07-01", "2023-07-02"]))
    >>> climatology_forecast(train, pd.to_datetime(["2024-01-10", "2024-07-10", "2024-03-01"])).tolist()
    ['bad', 'good', 'good']
    """
    lang = lang or get_language()
    cats = pm25_category(train_pm25.astype(float), lang=lang).dropna()
    months = pd.DatetimeIndex(cats.index).month
    by_month = cats.groupby(months, observed=True).agg(lambda s: s.value_counts().idxmax())
    overall = cats.value_counts().idxmax()
    dates = pd.DatetimeIndex(dates)
    labels = [by_month.get(m, overall) for m in dates.month]
    order = CATEGORIES_KO if lang == "ko" else CATEGORIES
    return pd.Series(pd.Categorical(labels, categories=order, ordered=True), index=dates, name="climatology")


def exceedance_climatology(train_pm25: pd.Series, dates, above: float = PM25_GRADES[1][0]) -> pd.Series:
    """The share of training days of each calendar month whose PM2.5 was above ``above``, for ``dates``.

    The probability forecast that needs no model: "in January, 나쁨 or worse happened on this
    share of days". By default ``above`` is the 보통 limit (35 µg/m³), so the event is a
    나쁨-or-worse day. A month missing from the training data gets the overall share.

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.Series([40.0, 20.0, 50.0, 10.0],
    ...                   index=pd.to_datetime(["2023-01-05", "2023-01-06", "2023-01-07", "2023-07-01"]))
    >>> exceedance_climatology(train, pd.to_datetime(["2024-01-10", "2024-07-10", "2024-03-01"])).round(3).tolist()
    [0.667, 0.0, 0.5]
    """
    values = train_pm25.astype(float).dropna()
    event = (values > above).astype(float)
    by_month = event.groupby(pd.DatetimeIndex(values.index).month).mean()
    dates = pd.DatetimeIndex(dates)
    shares = by_month.reindex(dates.month).fillna(event.mean()).to_numpy()
    return pd.Series(shares, index=dates, name="climatology")


def time_split_with_gap(table: pd.DataFrame, test_start, gap_days: int = 7):
    """Train on the days before ``test_start`` minus a gap, test on the days from ``test_start`` on.

    The gap leaves ``gap_days`` calendar days out between the two sets, so they share no day:
    a test day's 7-day lag is never a training day's target, and the test mimics a model
    trained some days before it is used. Rows are selected by their timestamp (the index),
    never by position, so a missing day does not move the cut.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows indexed by day (e.g. :func:`make_features`).
    test_start : str or Timestamp
        First day of the test period (a naive date is read in the index's time zone).
    gap_days : int
        Days dropped before ``test_start``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``train`` (days before ``test_start − gap_days``) and ``test`` (days from ``test_start``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"x": range(10)}, index=pd.date_range("2024-01-01", periods=10, freq="D", tz="Asia/Seoul"))
    >>> train, test = time_split_with_gap(t, "2024-01-08", gap_days=2)
    >>> train.index[-1].day, test.index[0].day, len(train), len(test)
    (5, 8, 5, 3)
    """
    from sensorlab.validation import time_split

    if gap_days < 0:
        raise ValueError(f"gap_days must be 0 or more, not {gap_days}")
    train, test = time_split(table, test_start, time_col="index")
    cut = pd.Timestamp(test_start)
    if cut.tzinfo is None and table.index.tz is not None:
        cut = cut.tz_localize(table.index.tz)
    return train[train.index < cut - pd.Timedelta(days=gap_days)], test


def on_columns(columns, estimator):
    """``estimator`` fed only ``columns`` of a DataFrame, so ``fit(table, y)`` and ``predict(table)`` take whole tables.

    What :func:`sensorlab.validation.random_vs_time` needs from a model: a fresh, fitted object
    whose ``predict`` takes the test rows as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> t = pd.DataFrame({"day_number": [0.0, 1.0, 2.0], "noise": [9.0, -9.0, 0.0], "category": ["good", "bad", "bad"]})
    >>> on_columns(["day_number"], KNeighborsClassifier(1)).fit(t, t["category"]).predict(t).tolist()
    ['good', 'bad', 'bad']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline

    return make_pipeline(ColumnTransformer([("columns", "passthrough", list(columns))]), estimator)


def grade_accuracy(test: pd.DataFrame, predicted) -> float:
    """Share of ``test``'s days whose ``category`` equals the forecast grade (a score for ``random_vs_time``)."""
    return float(np.mean(test["category"].astype(str).to_numpy() == np.asarray(predicted).astype(str)))


def skill_score(score: float, baseline: float, perfect: float = 1.0) -> float:
    """How much of the gap between a baseline and perfection a forecast closes.

    ``(score − baseline) / (perfect − baseline)``: 0 is no better than the baseline, 1 is
    perfect, negative is worse than the baseline.

    Examples
    --------
    >>> skill_score(0.70, 0.60)
    0.25
    """
    if perfect == baseline:
        return float("nan")
    return round((score - baseline) / (perfect - baseline), 12)


def evaluate_classifier(y_true, y_pred, baseline=None, labels=None) -> dict:
    """Accuracy, macro-F1 and the confusion matrix of a grade forecast, and its skill.

    Parameters
    ----------
    y_true, y_pred : array-like
        Observed and forecast grades (rows where either is missing are skipped).
    baseline : array-like, optional
        A baseline forecast (e.g. persistence) for the same days: adds ``baseline_accuracy``,
        ``baseline_macro_f1`` and ``skill`` (accuracy skill score over the baseline, see
        :func:`skill_score`).
    labels : list, optional
        Grade order for the confusion matrix (default: the English grades, or the Korean ones
        when the data are Korean).

    Returns
    -------
    dict
        ``n``, ``accuracy``, ``macro_f1``, ``confusion`` (DataFrame: rows observed, columns
        forecast, their names in the message language), and the baseline entries when ``baseline`` is given.

    Examples
    --------
    >>> obs = ["good", "moderate", "bad", "moderate", "good"]
    >>> fc = ["good", "moderate", "moderate", "moderate", "moderate"]
    >>> yesterday = ["moderate", "good", "moderate", "bad", "moderate"]
    >>> result = evaluate_classifier(obs, fc, baseline=yesterday)
    >>> result["accuracy"], result["baseline_accuracy"], result["skill"]
    (0.6, 0.0, 0.6)
    >>> int(result["confusion"].loc["bad", "moderate"])
    1
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    t = pd.Series(np.asarray(y_true, dtype=object))
    p = pd.Series(np.asarray(y_pred, dtype=object))
    b = None if baseline is None else pd.Series(np.asarray(baseline, dtype=object))
    if len(t) != len(p) or (b is not None and len(b) != len(t)):
        raise ValueError(f"y_true has {len(t)} values, y_pred {len(p)}"
                         + ("" if b is None else f", baseline {len(b)}"))
    ok = t.notna() & p.notna() & (b.notna() if b is not None else True)
    t, p = t[ok].astype(str), p[ok].astype(str)
    if labels is None:
        labels = CATEGORIES_KO if t.isin(CATEGORIES_KO).any() else CATEGORIES
    present = [lab for lab in labels if lab in set(t) | set(p)]
    result = {"n": int(ok.sum()),
              "accuracy": float(accuracy_score(t, p)),
              "macro_f1": float(f1_score(t, p, labels=present, average="macro", zero_division=0)),
              "confusion": pd.DataFrame(confusion_matrix(t, p, labels=labels),
                                        index=pd.Index(labels, name=text("m07.confusion.observed")),
                                        columns=pd.Index(labels, name=text("m07.confusion.forecast")))}
    if b is not None:
        b = b[ok].astype(str)
        result["baseline_accuracy"] = float(accuracy_score(t, b))
        result["baseline_macro_f1"] = float(f1_score(t, b, labels=present, average="macro", zero_division=0))
        result["skill"] = skill_score(result["accuracy"], result["baseline_accuracy"])
    return result

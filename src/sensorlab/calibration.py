"""Calibrating a cheap sensor against the reference station beside it (lesson module 06).

A street sensor's optical PM2.5 reading is not the concentration a reference analyser reports:
each unit has its own gain, and humid air swells particles so they scatter more light. The fix
is a *calibration*: a model that maps what the sensor says (and the humidity it measures) to
what the reference station says, fitted where the two stand side by side (*co-located*).

- :func:`colocated_pairs`: daily means of each co-located street sensor beside its station.
- :func:`epa_correction`: the published US EPA correction (Barkjohn et al. 2021).
- :func:`fit_calibration`: fit a linear, humidity-aware or tree model on some pairs.
- :func:`metrics`: MAE, RMSE, R², bias, slope and intercept of a calibration.
- :func:`holdout_predictions`: fit on the days before a cutoff, predict the days after.
- :func:`bootstrap_lines`: many refits of a straight line on resampled days, to carry the
  calibration's own uncertainty into a result (a mean, a count of bad-air days).

Direction: a calibration predicts the **station** from the **sensor** (``pm25_ref ~ pm25_raw``,
*inverse* calibration), because in use only the sensor's reading is known. The *classical* model
``sensor = a + b × station`` describes the sensor (its gain ``b``, the form of the EPA targets in
:func:`metrics`); inverting it gives a steeper line than the inverse fit, whose slope is
``r² / b``: noise in the sensor flattens the fitted slope (regression dilution).

Examples
--------
A tiny Seoul table: the street sensor at Jongno reads about 1.5 times the station.

>>> import pandas as pd
>>> pairs = pd.DataFrame({"pm25_raw": [15.0, 30.0, 45.0, 60.0],
...                       "humidity": [40.0, 50.0, 60.0, 70.0],
...                       "pm25_ref": [10.0, 20.0, 30.0, 40.0]})
>>> model = fit_calibration(pairs, features=["pm25_raw"])
>>> model.predict(pairs).round(1).tolist()
[10.0, 20.0, 30.0, 40.0]
>>> float(metrics(pairs["pm25_ref"], pairs["pm25_raw"])["bias"])
12.5
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sensorlab import messages

__all__ = ["EPA_TARGETS", "EPA_COEFFICIENTS", "MODELS", "colocated_pairs", "epa_correction", "fit_calibration",
           "Calibration", "metrics", "calibration_table", "holdout_predictions", "bootstrap_lines"]

#: EPA performance targets for PM2.5 sensors against a reference (24-h means; EPA/600/R-20/280,
#: 2021): R² at least 0.70, slope 1 ± 0.35, intercept within ±5 µg/m³, RMSE at most 7 µg/m³.
EPA_TARGETS = {"r2": (0.70, 1.0), "slope": (0.65, 1.35), "intercept": (-5.0, 5.0), "rmse": (0.0, 7.0)}

#: The US-wide EPA correction for PurpleAir (Barkjohn, Gantt & Clements 2021):
#: PM2.5 = pa_cf1 × PA_cf1 + rh × RH + intercept.
EPA_COEFFICIENTS = {"pa_cf1": 0.524, "rh": -0.0862, "intercept": 5.75}

#: Model names :func:`fit_calibration` understands.
MODELS = ("linear", "tree", "forest")

# Daily means from a day with fewer than this share of its expected readings are not trusted.
_MIN_COVERAGE = 0.75
# What a street PM sensor can report that still means air: S-DoT's -999, its exact zeros
# (a dead fan) and its 1000+ bursts are faults, not pollution.
_PM_VALID = (0.0, 500.0)


def _is_site(site_ids: pd.Series, wanted: list[str]) -> pd.Series:
    """Which rows belong to ``wanted`` sites; a categorical column is matched on its categories
    (not a string per row: a million strings is 60 MB in a student's kernel)."""
    if isinstance(site_ids.dtype, pd.CategoricalDtype):
        return site_ids.isin(wanted)
    return site_ids.astype(str).isin(wanted)


def _daily(readings: pd.DataFrame, columns: list[str], freq: str) -> pd.DataFrame:
    """Mean per (site, period) of ``columns``, NaN where coverage is below ``_MIN_COVERAGE``."""
    frame = readings[["timestamp", "site_id", *columns]].copy()
    frame["site_id"] = frame["site_id"].astype(str)
    for col in columns:
        if col.startswith("pm"):
            frame[col] = frame[col].where((frame[col] > _PM_VALID[0]) & (frame[col] <= _PM_VALID[1]))
        elif col == "humidity":
            frame[col] = frame[col].where((frame[col] > 0) & (frame[col] <= 100))
        elif col == "temperature":
            frame[col] = frame[col].where((frame[col] > -40) & (frame[col] < 50))
    frame["timestamp"] = frame["timestamp"].dt.floor(freq) if freq != "1D" else frame["timestamp"].dt.normalize()
    grouped = frame.groupby(["site_id", "timestamp"], sort=True)
    means, counts = grouped[columns].mean(), grouped[columns].count()
    size = grouped.size()
    expected = size.groupby(level="site_id").transform("max")  # the most readings a period held
    enough = counts.ge(np.ceil(_MIN_COVERAGE * expected.to_numpy())[:, None])
    return means.where(enough).reset_index()


def colocated_pairs(data, reference=None, freq: str = "1D", sensor_columns=None, sites=None) -> pd.DataFrame:
    """Each co-located street sensor beside its reference station, as period means.

    Parameters
    ----------
    data : SensorData
        Street sensors (and, for the synthetic city, the reference stations too). Its
        ``sites.colocated_with`` names the station each co-located sensor stands beside.
    reference : SensorData, optional
        Reference stations when they come from another source (real data:
        ``fetch_station_daily``); default: the reference rows of ``data``.
    freq : str
        Averaging period, ``"1D"`` (daily means, as the EPA correction was fitted) or ``"1h"``.
    sensor_columns : list of str, optional
        Street-sensor quantities to keep; default ``pm25``, ``humidity``, ``temperature`` and
        ``pm25_corrected`` when present.
    sites : list of str, optional
        Only these co-located street sensors (faster, e.g. hourly pairs of one sensor).

    Returns
    -------
    pandas.DataFrame
        One row per (period, street sensor) where both the sensor's PM2.5 and the station's are
        known: ``timestamp``, ``site_id``, ``reference_id``, ``district``, ``pm25_raw`` (the
        street sensor), ``humidity`` and ``temperature`` (the street sensor's own),
        ``pm25_corrected`` (if the data has it), ``pm25_ref`` (the station). PM readings
        outside 0 < x ≤ 500 µg/m³ (sentinels, dead-fan zeros, bursts) and periods with less
        than 75 % of their readings are left out of the means.

    Examples
    --------
    >>> from sensorlab.datasets import make_city
    >>> city = make_city(seed=1, start="2024-05-01", end="2024-05-03", street_per_district=1)
    >>> pairs = colocated_pairs(city)
    >>> pairs.columns.tolist()
    ['timestamp', 'site_id', 'reference_id', 'district', 'pm25_raw', 'humidity', 'temperature', 'pm25_ref']
    >>> bool((pairs["reference_id"].str[4:] == pairs["site_id"].str[5:8]).all())  # sdot-101-01 -> ref-101
    True
    """
    colocated = data.sites.dropna(subset=["colocated_with"])
    if sites is not None:
        unknown = sorted(set(sites) - set(colocated["site_id"].astype(str)))
        if unknown:
            raise ValueError(f"{getattr(data, 'name', 'data')}: {unknown[0]!r} is not a co-located street sensor")
        colocated = colocated[colocated["site_id"].astype(str).isin(sites)]
    if colocated.empty:
        raise ValueError(f"{getattr(data, 'name', 'data')}: no street sensor is co-located with a "
                         "reference station (sites.colocated_with is empty)")
    if sensor_columns is None:
        sensor_columns = [c for c in ("pm25", "humidity", "temperature", "pm25_corrected")
                          if c in data.readings.columns]
    missing = [c for c in sensor_columns if c not in data.readings.columns]
    if missing:
        raise ValueError(f"{getattr(data, 'name', 'data')}: readings have no column {missing[0]!r}")
    ref_data = data if reference is None else reference
    if "pm25" not in ref_data.readings.columns:
        raise ValueError(f"{getattr(ref_data, 'name', 'reference')}: readings have no 'pm25' column")
    street_ids = colocated["site_id"].astype(str).tolist()
    ref_ids = colocated["colocated_with"].astype(str).tolist()
    if reference is None:
        # a lean load_city of street sensors alone would otherwise pair with nothing, silently
        loaded = set(pd.unique(data.readings["site_id"]).astype(str))
        absent = list(dict.fromkeys(r for s, r in zip(street_ids, ref_ids) if s in loaded and r not in loaded))
        if absent:
            raise ValueError(messages.text("datasets.no_reference", stations=", ".join(absent)))

    street = data.readings[_is_site(data.readings["site_id"], street_ids)]
    street = _daily(street, list(sensor_columns), freq).rename(columns={"pm25": "pm25_raw"})
    ref = ref_data.readings[_is_site(ref_data.readings["site_id"], ref_ids)]
    ref = _daily(ref, ["pm25"], freq).rename(columns={"pm25": "pm25_ref", "site_id": "reference_id"})

    link = pd.DataFrame({"site_id": street_ids, "reference_id": ref_ids,
                         "district": colocated["district"].astype(str).tolist()})
    pairs = street.merge(link, on="site_id").merge(ref, on=["reference_id", "timestamp"])
    pairs = pairs.dropna(subset=["pm25_raw", "pm25_ref"])
    front = ["timestamp", "site_id", "reference_id", "district", "pm25_raw"]
    rest = [c for c in pairs.columns if c not in front and c != "pm25_ref"]
    return pairs[front + rest + ["pm25_ref"]].sort_values(["timestamp", "site_id"], ignore_index=True)


def epa_correction(pm25_cf1, rh):
    """The US EPA correction for PurpleAir PM2.5 (Barkjohn, Gantt & Clements 2021, US-wide fit).

    ``PM2.5 = 0.524 × PA_cf1 − 0.0862 × RH + 5.75``, clipped at 0.

    It was fitted on about 12,000 24-hour means of PurpleAir sensors (two Plantower PMS5003,
    CF=1 channel, A/B average) beside US regulatory monitors, with the sensor's own RH; it cut
    the RMSE from 8 to 3 µg/m³. It is meant for 24-hour (or at least hourly) means with
    ``PA_cf1`` up to about 343 µg/m³ (above that, in wildfire smoke, EPA switches to a quadratic
    fit) and RH in 0-100 %. Outside those ranges, or where an input is missing, the result is NaN.
    It is a *different* sensor's correction: applied to S-DoT or a school kit, it shows how well
    a published correction transfers, not what is best for Seoul.

    Parameters
    ----------
    pm25_cf1 : float or array-like
        Raw PM2.5 (µg/m³), CF=1 channel of a PMS5003-type sensor.
    rh : float or array-like
        The sensor's relative humidity (%RH).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Corrected PM2.5 (µg/m³), the same shape (and index) as ``pm25_cf1``.

    Examples
    --------
    >>> round(float(epa_correction(20.0, 50.0)), 2)
    11.92
    >>> float(epa_correction(1.0, 95.0))    # never negative
    0.0
    >>> epa_correction([10.0, 400.0], [50.0, 50.0]).round(2).tolist()  # above 343: not this fit
    [6.68, nan]
    """
    x = np.asarray(pm25_cf1, dtype=float)
    h = np.asarray(rh, dtype=float)
    k = EPA_COEFFICIENTS
    corrected = np.clip(k["pa_cf1"] * x + k["rh"] * h + k["intercept"], 0.0, None)
    corrected = np.where((x >= 0) & (x <= 343) & (h >= 0) & (h <= 100), corrected, np.nan)
    if isinstance(pm25_cf1, pd.Series):
        return pd.Series(corrected, index=pm25_cf1.index, name="pm25_epa")
    return corrected if corrected.ndim else corrected[()]


@dataclass
class Calibration:
    """A fitted calibration: which model, on which features, and the scikit-learn estimator.

    ``predict(frame)`` takes any frame with the feature columns; ``coefficients`` gives a
    linear model's equation (empty for trees).
    """

    model: str
    features: list[str]
    target: str
    estimator: object = field(repr=False)
    n_train: int = 0

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """Calibrated PM2.5 for each row of ``frame`` (NaN where a feature is missing)."""
        missing = [c for c in self.features if c not in frame.columns]
        if missing:
            raise ValueError(f"the frame has no column {missing[0]!r} (this calibration uses {self.features})")
        X = frame[self.features].astype(float)
        ok = X.notna().all(axis=1).to_numpy()
        out = np.full(len(frame), np.nan)
        if ok.any():
            out[ok] = self.estimator.predict(X[ok])
        return pd.Series(out, index=frame.index, name=f"{self.target}_predicted")

    @property
    def coefficients(self) -> dict:
        """``{"intercept": b, feature: slope, ...}`` for a linear model, else ``{}``."""
        if self.model != "linear":
            return {}
        est = self.estimator
        return {"intercept": float(est.intercept_), **{f: float(c) for f, c in zip(self.features, est.coef_)}}

    def equation(self, digits: int = 3) -> str:
        """The fitted linear equation as text, e.g. ``pm25_ref = 0.66 × pm25_raw + 1.2``."""
        coef = self.coefficients
        if not coef:
            return f"{self.target} = {self.model}({', '.join(self.features)})"
        terms = " ".join(f"{'+' if v >= 0 else '−'} {abs(v):.{digits}g} × {f}"
                         for f, v in coef.items() if f != "intercept")
        b = coef["intercept"]
        return f"{self.target} = {terms.lstrip('+ ')} {'+' if b >= 0 else '−'} {abs(b):.{digits}g}"


def _estimator(model: str, random_state: int):
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.tree import DecisionTreeRegressor

    if model == "linear":
        return LinearRegression()
    if model == "tree":
        # Shallow enough to read, with leaves big enough not to memorise single days.
        return DecisionTreeRegressor(max_depth=4, min_samples_leaf=20, random_state=random_state)
    if model == "forest":
        return RandomForestRegressor(n_estimators=60, max_depth=8, min_samples_leaf=10,
                                     n_jobs=1, random_state=random_state)
    raise ValueError(f"model must be one of {MODELS}, not {model!r}")


def fit_calibration(pairs: pd.DataFrame, features=("pm25_raw",), model: str = "linear",
                    target: str = "pm25_ref", random_state: int = 0) -> Calibration:
    """Fit a calibration that predicts the reference PM2.5 from what the street sensor knows.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Training rows, e.g. from :func:`colocated_pairs`; rows with a missing feature or target
        are skipped.
    features : sequence of str
        Columns to learn from: ``["pm25_raw"]`` (a straight line), ``["pm25_raw", "humidity"]``
        (the EPA form, refitted), more for trees.
    model : {"linear", "tree", "forest"}
        Least squares, a depth-4 decision tree, or a small random forest.
    target : str
        The column to predict.
    random_state : int
        Seed of the tree models.

    Returns
    -------
    Calibration

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"pm25_raw": [10.0, 20.0, 30.0, None], "humidity": [50.0, 50.0, 80.0, 60.0],
    ...                       "pm25_ref": [7.0, 12.0, 17.0, 20.0]})
    >>> cal = fit_calibration(pairs, ["pm25_raw"])
    >>> cal.n_train, cal.equation()
    (3, 'pm25_ref = 0.5 × pm25_raw + 2')
    """
    features = [features] if isinstance(features, str) else list(features)
    missing = [c for c in [*features, target] if c not in pairs.columns]
    if missing:
        raise ValueError(f"the pairs have no column {missing[0]!r}; they have {list(pairs.columns)}")
    train = pairs[[*features, target]].astype(float).dropna()
    if len(train) < len(features) + 2:
        raise ValueError(f"only {len(train)} complete rows to fit {len(features)} feature(s); need more data")
    est = _estimator(model, random_state)
    est.fit(train[features], train[target].to_numpy())
    return Calibration(model=model, features=features, target=target, estimator=est, n_train=len(train))


def metrics(y_true, y_pred) -> pd.Series:
    """How close predictions are to the reference: MAE, RMSE, R², bias, slope, intercept, n.

    ``bias`` is the mean of ``y_pred − y_true`` (positive: the sensor reads high). ``slope`` and
    ``intercept`` are those of the least-squares line ``y_pred = slope × y_true + intercept``,
    the form of the EPA sensor targets (:data:`EPA_TARGETS`). R² is ``1 − SSE/SST`` against the
    reference (it can be negative for a badly biased sensor). Pairs with a NaN are skipped.

    Examples
    --------
    >>> m = metrics([10.0, 20.0, 30.0], [12.0, 22.0, 32.0])
    >>> m[["mae", "rmse", "bias", "slope", "intercept"]].round(3).tolist()
    [2.0, 2.0, 2.0, 1.0, 2.0]
    >>> round(float(m["r2"]), 3), int(m["n"])
    (0.94, 3)
    """
    t = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} values but y_pred has {p.size}")
    ok = np.isfinite(t) & np.isfinite(p)
    t, p = t[ok], p[ok]
    if t.size < 2:
        raise ValueError(f"need at least 2 complete pairs, got {t.size}")
    err = p - t
    sst = float(((t - t.mean()) ** 2).sum())
    slope, intercept = np.polyfit(t, p, 1) if np.ptp(t) > 0 else (np.nan, np.nan)
    return pd.Series({"mae": float(np.abs(err).mean()), "rmse": float(np.sqrt((err ** 2).mean())),
                      "r2": 1.0 - float((err ** 2).sum()) / sst if sst > 0 else np.nan,
                      "bias": float(err.mean()), "slope": float(slope), "intercept": float(intercept),
                      "n": float(t.size)}, name="metrics")


def calibration_table(y_true, predictions: dict) -> pd.DataFrame:
    """Metrics of several calibrations side by side, one row each, plus EPA-target ticks.

    Examples
    --------
    >>> table = calibration_table([10.0, 20.0, 30.0, 40.0], {"raw": [16, 31, 44, 61], "fixed": [10, 21, 29, 40]})
    >>> table["rmse"].round(2).tolist(), table["meets_epa"].tolist()
    ([14.09, 0.71], [False, True])
    """
    rows = {name: metrics(y_true, pred) for name, pred in predictions.items()}
    table = pd.DataFrame(rows).T
    table["n"] = table["n"].astype(int)
    ok = pd.Series(True, index=table.index)
    for key, (low, high) in EPA_TARGETS.items():
        ok &= table[key].between(low, high)
    table["meets_epa"] = ok
    return table


def holdout_predictions(pairs: pd.DataFrame, features=("pm25_raw",), model: str = "linear",
                        cutoff="2024-09-01", site_id: str | None = None) -> pd.DataFrame:
    """Fit on the days before ``cutoff`` and predict the days from ``cutoff`` on.

    The honest test of a calibration: it is used on later days than it was fitted on. With
    ``site_id`` only that sensor's rows are used (each cheap sensor gets its own calibration).

    Returns
    -------
    pandas.DataFrame
        The test rows with ``predicted`` (calibrated PM2.5) and ``residual``
        (``predicted − pm25_ref``); ``attrs["calibration"]`` holds the fitted
        :class:`Calibration`.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-08-29", periods=6, freq="D", tz="Asia/Seoul")
    >>> pairs = pd.DataFrame({"timestamp": days, "site_id": "sdot-101-01",
    ...                       "pm25_raw": [20.0, 40.0, 30.0, 50.0, 60.0, 10.0],
    ...                       "pm25_ref": [10.0, 20.0, 15.0, 25.0, 30.0, 6.0]})
    >>> test = holdout_predictions(pairs, cutoff="2024-09-01")
    >>> test["predicted"].round(1).tolist(), test["residual"].round(1).tolist()
    ([25.0, 30.0, 5.0], [0.0, 0.0, -1.0])
    """
    from sensorlab.validation import time_split

    rows = pairs if site_id is None else pairs[pairs["site_id"] == site_id]
    if rows.empty:
        raise ValueError(f"no pairs for site {site_id!r}; sites: {sorted(pairs['site_id'].unique())[:5]}...")
    train, test = time_split(rows, cutoff)
    cal = fit_calibration(train, features, model)
    test = test.assign(predicted=cal.predict(test).to_numpy())
    test["residual"] = test["predicted"] - test[cal.target]
    test.attrs["calibration"] = cal
    return test


def bootstrap_lines(pairs: pd.DataFrame, n_boot: int = 1000, seed: int = 0, feature: str = "pm25_raw",
                    target: str = "pm25_ref") -> pd.DataFrame:
    """Slope and intercept of ``target ~ feature`` refitted on ``n_boot`` resamples of the rows.

    Each resample draws as many rows as ``pairs`` has, with replacement (a day can come twice,
    another not at all), and refits the straight line with least squares. Apply every line to
    new readings and the spread of the results is the uncertainty the calibration itself adds.
    Rows are drawn one by one, so errors of neighbouring days are treated as independent: a
    careful study resamples whole weeks, which widens the interval a little.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Training pairs with ``feature`` and ``target`` columns; rows with a NaN are left out.
    n_boot : int
        How many resamples.
    seed : int
        Seed of :func:`numpy.random.default_rng`, so the lines can be drawn again.

    Returns
    -------
    pandas.DataFrame
        ``n_boot`` rows with ``slope`` and ``intercept``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"pm25_raw": [10.0, 20.0, 30.0, 40.0, 50.0], "pm25_ref": [16.0, 31.0, 47.0, 61.0, 76.0]})
    >>> lines = bootstrap_lines(pairs, n_boot=200, seed=1)
    >>> lines.shape, bool(lines["slope"].between(1.3, 1.7).all())
    ((200, 2), True)
    """
    rows = pairs[[feature, target]].astype(float).dropna().to_numpy()
    if len(rows) < 3:
        raise ValueError(f"only {len(rows)} complete rows; a bootstrap of a line needs at least 3")
    rng = np.random.default_rng(seed)
    fits = []
    for _ in range(int(n_boot)):
        pick = rows[rng.integers(0, len(rows), len(rows))]
        if np.ptp(pick[:, 0]) == 0:  # every draw the same day: no line through one point
            continue
        fits.append(np.polyfit(pick[:, 0], pick[:, 1], 1))
    return pd.DataFrame(fits, columns=["slope", "intercept"])

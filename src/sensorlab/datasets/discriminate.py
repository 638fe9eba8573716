"""Can a model tell a synthetic street sensor from a real S-DoT one? The discriminator check.

Summary statistics compare the network as a whole; a data scientist also asks whether single
sensors look real. Each street sensor becomes one row of per-sensor features (how closely it
follows the city, its persistence, gain, noise, faults, storage); a random forest, 5-fold
cross-validated with a fixed ``random_state``, tries to tell real from synthetic. An ROC AUC
near 0.5 means the classifier cannot; 1.0 means every synthetic sensor is given away.
The importances name the features that give the synthetic sensors away.

Four checks: daily PM2.5, temperature and humidity (April-November; real: ``fetch_sdot_daily``,
synthetic: the street sensors of the city), and a cross-sectional hourly check on one day
(real: ``fetch_sdot_hourly_sample``, 2020-05-01; synthetic: 1 May of the city's year).

Examples
--------
>>> import pandas as pd
>>> day = pd.date_range("2024-04-01", periods=6, freq="D")
>>> wide = pd.DataFrame({"a": [10.0, 12, 0, 0, 14, 14], "b": [11.0, 13, 15, 12, 13, 15]}, index=day)
>>> f = sensor_features(wide, "pm25")
>>> round(float(f.loc["a", "zero_share"]), 2), round(float(f.loc["a", "repeat_share"]), 2)  # 2 of 6; 2 of 5 pairs
(0.33, 0.4)
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The daily checks run on the real file's months.
MONTHS = (4, 11)
#: A sensor needs this many valid days (daily checks) or hours (hourly check) to be a row.
MIN_DAYS = 30
MIN_HOURS = 18
#: Sentinel codes removed before daily means are taken (as the brief of the check states).
SENTINELS = {"pm25": [-999.0], "pm10": [-999.0], "temperature": [-40.0], "humidity": []}
#: Storage resolution of the real daily file (whole µg/m³, 0.1 °C, whole %RH).
DAILY_RESOLUTION = {"pm25": 1.0, "temperature": 0.1, "humidity": 1.0}
#: Values beyond these are faults, not weather (S-DoT field dictionary; T > 50 °C are the spikes).
PLAUSIBLE = {"pm25": (0.0, 1000.0), "temperature": (-30.0, 50.0), "humidity": (0.0, 100.0)}
RANDOM_STATE = 0
#: A feature whose real-vs-real AUC (:func:`year_carrying`) exceeds this carries the weather.
YEAR_THRESHOLD = 0.70
#: Per quantity, the features that tell the real sensors of April-July 2020 from the same sensors
#: in August-November (:func:`year_carrying`, AUC > 0.70): they describe the stretch of weather
#: or the network's events, not the unit, so real 2020 against one synthetic year differs in
#: them as two real years would. The main check leaves them out; a second AUC shows them.
#: Each keeps a year-neutral counterpart in the main check: dev_lag1 for lag1, dev_p95 for
#: p99_median, dev_sd for corr_city, stuck_share for repeat_share, own_implausible_share for
#: implausible_share.
YEAR_FEATURES = {
    "pm25": ["lag1", "p99_median"],
    "temperature": ["p99_median", "lag1", "implausible_share", "repeat_share", "whole_share",
                    "own_missing_share"],
    "humidity": ["lag1", "repeat_share", "corr_city", "missing_share", "p99_median",
                 "own_missing_share"],
}


@dataclass
class Check:
    """One discriminator run: AUC, importances, and the feature quartiles of both classes."""

    name: str
    auc: float
    n_real: int
    n_synthetic: int
    importances: pd.Series      # feature -> importance, largest first
    medians: pd.DataFrame       # feature x (real, synthetic)
    # feature x (real_p25, real_p75, synthetic_p25, synthetic_p75): a median alone hides a
    # spread that differs (issue 13: temperature's deviation SD matched in median, not in IQR)
    quartiles: pd.DataFrame | None = None


def _relative(q: str) -> bool:
    """PM is compared by ratio (gain), weather by difference (offset)."""
    return q == "pm25"


def sensor_features(wide: pd.DataFrame, q: str) -> pd.DataFrame:
    """Per-sensor features of a (time x sensor) table of one quantity.

    The features describe, per sensor: how closely it follows the network median
    (``corr_city``), the persistence of its own deviation from it (``dev_lag1``), its level
    against the city (``gain``: median ratio for PM, median difference for weather), the
    spread and tail of that deviation (``dev_sd``, ``dev_p95``; log ratio for PM), and its
    faults and storage: share of exact zeros, of values equal to the previous step, of
    implausible values, of missing steps, and of whole numbers; the implausible and missing
    shares again without the days on which most of the network was implausible or silent
    (``own_*``), and for weather the share of repeats on days the network median moved by more
    than its median change (``stuck_share``). Two more describe the year's weather as much as
    the sensor: the raw lag-1 autocorrelation and the upper tail (p99/median for PM, p99
    minus median for weather). Which features carry the weather is measured, not assumed:
    :func:`year_carrying`, :data:`YEAR_FEATURES`.
    """
    low, high = PLAUSIBLE[q]
    present = wide.notna()
    valid = wide.where((wide != 0) & (wide >= low) & (wide <= high))
    city = valid.median(axis=1)
    if _relative(q):
        dev = np.log(valid.where(valid > 0).div(city.where(city > 0), axis=0))
        level = np.exp(dev.median())
    else:
        dev = valid.sub(city, axis=0)
        level = dev.median()
    previous = wide.shift(1)
    both = present & previous.notna()
    n_present = present.sum()
    values = valid.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a sensor with no valid value: NaN
        p99 = np.nanquantile(values, 0.99, axis=0)
        p50 = np.nanquantile(values, 0.50, axis=0)
        tail = p99 / p50 if _relative(q) else p99 - p50
    # Days on which most of the network is implausible or silent are the publisher's events
    # (real T 2020-04-03: every unit > 50 °C; RH 2020-04-04: no unit reported), shared by every
    # sensor like the weather; the own_* shares leave them out and describe the unit itself.
    implausible = (wide < low) | (wide > high)
    own_day = (implausible.sum(axis=1) <= 0.5 * present.sum(axis=1)) & (present.mean(axis=1) >= 0.5)
    # A repeat while the network median moved by more than its typical day-to-day change is
    # the unit's (a stuck value); repeats on calm days come with the weather.
    moved = city.diff().abs()
    stuck_day = (moved > moved.median()).to_numpy()[:, None] & both
    out = pd.DataFrame({
        "corr_city": valid.corrwith(city),
        "dev_lag1": dev.apply(lambda s: s.autocorr(1)),
        "gain": level,
        "dev_sd": dev.std(),
        "dev_p95": (dev.sub(dev.median())).abs().quantile(0.95),
        "lag1": valid.apply(lambda s: s.autocorr(1)),
        "p99_median": tail,
        "zero_share": (wide == 0).sum() / n_present,
        "repeat_share": ((wide == previous) & both).sum() / both.sum(),
        "implausible_share": implausible.sum() / n_present,
        "missing_share": 1.0 - n_present / len(wide),
        "whole_share": ((wide == wide.round()) & present).sum() / n_present,
        "own_implausible_share": (implausible & present).loc[own_day].sum() / present.loc[own_day].sum(),
        "own_missing_share": 1.0 - present.loc[own_day].sum() / own_day.sum(),
    }, index=wide.columns)
    if not _relative(q):  # PM's repeats do not follow the weather (real vs real AUC 0.56)
        out["stuck_share"] = ((wide == previous) & stuck_day).sum() / stuck_day.sum()
    out.index.name = "site_id"
    return out


def _wide(readings: pd.DataFrame, q: str, freq: str) -> pd.DataFrame:
    """(time x sensor) table on a full time grid: absent steps are NaN columns' rows."""
    wide = readings.pivot_table(index="timestamp", columns="site_id", values=q, observed=True)
    grid = pd.date_range(wide.index.min(), wide.index.max(), freq=freq)
    return wide.reindex(grid)


def real_daily(q: str) -> pd.DataFrame:
    """Real S-DoT daily values of ``q``, (day x sensor), April-November 2020."""
    from sensorlab.datasets import fetch_sdot_daily

    d = _cached("sdot_daily", fetch_sdot_daily).readings
    return _wide(d[["timestamp", "site_id", q]].dropna(), q, "D")


def synthetic_daily(city, q: str) -> pd.DataFrame:
    """The city's street sensors as the publisher's daily file would store them.

    Sentinel codes are removed, a day exists when the sensor delivered anything, and the mean
    is stored at the daily file's resolution (whole µg/m³, 0.1 °C, whole %RH).
    """
    r = _street(city)
    r = r[r["timestamp"].dt.month.between(*MONTHS)]
    values = r[q].where(~r[q].isin(SENTINELS[q]))
    day = r["timestamp"].dt.normalize()
    daily = values.groupby([day, r["site_id"].astype(str)], sort=True).mean().rename(q).reset_index()
    step = DAILY_RESOLUTION[q]
    daily[q] = (daily[q] / step).round() * step + 0.0
    return _wide(daily.dropna(), q, "D")


def _street(city) -> pd.DataFrame:
    ids = city.sites.loc[city.sites["kind"] == "street", "site_id"]
    return city.readings[city.readings["site_id"].isin(ids)]


def hourly_features(readings: pd.DataFrame) -> pd.DataFrame:
    """Cross-sectional features of one day of hourly readings, one row per sensor.

    Values are first rounded to the synthetic feed's resolution (whole µg/m³ and %RH, 0.1 °C):
    the real sample holds unrounded means of 2-minute values, a storage difference the
    hourly check leaves out because the synthetic feed is stored at its resolution.
    """
    parts = []
    for q, step in DAILY_RESOLUTION.items():
        wide = _wide(readings[["timestamp", "site_id", q]], q, "h")
        wide = (wide / step).round() * step + 0.0
        f = sensor_features(wide, q)[["corr_city", "dev_lag1", "gain", "dev_sd", "dev_p95",
                                      "zero_share", "repeat_share"]]
        parts.append(f.add_prefix(f"{q}_"))
    out = pd.concat(parts, axis=1)
    enough = readings.groupby(readings["site_id"].astype(str))["pm25"].count() >= MIN_HOURS
    return out[out.index.isin(enough[enough].index)]


def discriminate(real: pd.DataFrame, synthetic: pd.DataFrame, name: str) -> Check:
    """5-fold cross-validated random forest on feature rows; ROC AUC and importances.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = pd.DataFrame({"x": rng.normal(0, 1, 200)})
    >>> discriminate(a, pd.DataFrame({"x": rng.normal(3, 1, 50)}), "apart").auc > 0.9
    True
    """
    x, y = _rows(real, synthetic)
    forest = _forest().fit(x, y)
    importances = pd.Series(forest.feature_importances_, index=x.columns).sort_values(ascending=False)
    medians = pd.DataFrame({"real": real.median(), "synthetic": synthetic.median()})
    quartiles = pd.DataFrame({"real_p25": real.quantile(0.25), "real_p75": real.quantile(0.75),
                              "synthetic_p25": synthetic.quantile(0.25), "synthetic_p75": synthetic.quantile(0.75)})
    return Check(name, _cross_validated_auc(x, y), len(real), len(synthetic), importances, medians, quartiles)


def _rows(real: pd.DataFrame, synthetic: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Both classes' feature rows (real first; a missing or infinite feature as the median) and their labels."""
    x = pd.concat([real, synthetic], ignore_index=True).astype(float)
    x = x.replace([np.inf, -np.inf], np.nan).fillna(x.median())
    return x, np.r_[np.zeros(len(real)), np.ones(len(synthetic))]


def _forest():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=300, min_samples_leaf=3, class_weight="balanced",
                                  random_state=RANDOM_STATE, n_jobs=1)


def _cross_validated_auc(x: pd.DataFrame, y: np.ndarray, groups=None) -> float:
    """ROC AUC of the forest's out-of-fold predictions, 5 folds.

    ``groups`` (one label per row) keeps rows of one group in one fold: a real sensor compared
    with itself must not be learnt in one class and tested in the other.
    """
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict

    if groups is None:
        folds = StratifiedKFold(5, shuffle=True, random_state=RANDOM_STATE)
    else:
        folds = StratifiedGroupKFold(5, shuffle=True, random_state=RANDOM_STATE)
    p = cross_val_predict(_forest(), x, y, cv=folds, method="predict_proba", groups=groups)[:, 1]
    return float(roc_auc_score(y, p))


def _daily_rows(wide: pd.DataFrame, q: str) -> pd.DataFrame:
    wide = wide[(wide.index.month >= MONTHS[0]) & (wide.index.month <= MONTHS[1])]
    f = sensor_features(wide, q)
    return f[wide.notna().sum() >= MIN_DAYS].dropna(subset=["corr_city"])


def year_carrying(q: str, wide: pd.DataFrame | None = None, split_month: int = 8,
                  features: list[str] | None = None) -> pd.Series:
    """Real-vs-real AUC of each feature alone: which features carry the weather, not the sensor.

    The same real sensors are cut into two stretches of weather (April-July and August-November
    2020 by default), the features are computed per stretch, and the discriminator tries to tell
    one stretch from the other on each feature alone, with both rows of a sensor in one fold.
    A sensor is the same unit in both stretches, so a feature that separates them (AUC above
    :data:`YEAR_THRESHOLD`) describes the weather or the network's events, and belongs in
    :data:`YEAR_FEATURES`.

    Parameters
    ----------
    q : str
        ``"pm25"``, ``"temperature"`` or ``"humidity"``.
    wide : DataFrame, optional
        (day x sensor) values; the real S-DoT daily file (:func:`real_daily`) when omitted.
    split_month : int
        First month of the second stretch.
    features : list of str, optional
        The features to judge; all of :func:`sensor_features` when omitted.

    Returns
    -------
    Series
        feature -> cross-validated ROC AUC of that feature alone, largest first.
    """
    wide = real_daily(q) if wide is None else wide
    wide = wide[(wide.index.month >= MONTHS[0]) & (wide.index.month <= MONTHS[1])]
    first = _daily_rows(wide[wide.index.month < split_month], q)
    second = _daily_rows(wide[wide.index.month >= split_month], q)
    both = first.index.intersection(second.index)
    first, second = first.loc[both], second.loc[both]
    groups = np.r_[np.arange(len(both)), np.arange(len(both))]
    # the AUC alone: no forest fitted on all rows for importances no one reads
    aucs = {f: _cross_validated_auc(*_rows(first[[f]], second[[f]]), groups=groups)
            for f in (first.columns if features is None else features)}
    return pd.Series(aucs, name=f"{q} real vs real").sort_values(ascending=False)


def discriminator_checks(city, quantities=("pm25", "temperature", "humidity"), hourly: bool = True) -> list[Check]:
    """Every discriminator check of ``city`` against the real S-DoT files."""
    checks = []
    for q in quantities:
        real, synthetic = _daily_rows(real_daily(q), q), _daily_rows(synthetic_daily(city, q), q)
        sensor_only = [c for c in real.columns if c not in YEAR_FEATURES[q]]
        checks.append(discriminate(real[sensor_only], synthetic[sensor_only], f"daily {q}"))
        checks.append(discriminate(real, synthetic, f"daily {q} + year features"))
    if hourly:
        from sensorlab.datasets import fetch_sdot_hourly_sample

        real = _cached("sdot_hourly", fetch_sdot_hourly_sample).readings
        r = _street(city)
        day = r["timestamp"].dt.normalize()
        may_day = day == day[r["timestamp"].dt.strftime("%m-%d") == "05-01"].min()
        synthetic = r[may_day].copy()
        for q, codes in SENTINELS.items():
            synthetic[q] = synthetic[q].where(~synthetic[q].isin(codes))
        checks.append(discriminate(hourly_features(real), hourly_features(synthetic),
                                   "hourly cross-section, 1 May"))
    return checks


_CACHE: dict = {}


def _cached(key: str, fetch):
    """Real files read once per mirror and process."""
    key = (key, os.environ.get("SENSORLAB_DATA_MIRROR", ""))
    if key not in _CACHE:
        _CACHE[key] = fetch()
    return _CACHE[key]


def format_checks(checks: list[Check], top: int = 3) -> str:
    """The discriminator results as text: AUC per check and the features that give it away.

    Each feature shows its median and, in brackets, its interquartile range in both classes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({"x": rng.normal(0, 1, 200), "y": rng.normal(0, 1, 200)})
    >>> syn = pd.DataFrame({"x": rng.normal(0, 3, 60), "y": rng.normal(0, 1, 60)})
    >>> print(format_checks([discriminate(real, syn, "spread")], top=1).splitlines()[2].strip())
    x                          importance 0.71   median real 0.0484 [-0.626, 0.686], synthetic 0.397 [-1.2, 3.08]
    """
    lines = ["Discriminator (random forest, 5-fold, random_state 0; AUC 0.5 = indistinguishable, "
             "target <= 0.70):"]
    for c in checks:
        lines.append(f"  {c.name:<28} AUC {c.auc:.3f}  ({c.n_real} real, {c.n_synthetic} synthetic sensors)")
        for feature in c.importances.index[:top]:
            m = c.medians.loc[feature]
            spread = {"real": "", "synthetic": ""}
            if c.quartiles is not None:
                q = c.quartiles.loc[feature]
                spread = {k: f" [{q[k + '_p25']:.3g}, {q[k + '_p75']:.3g}]" for k in spread}
            lines.append(f"      {feature:<26} importance {c.importances[feature]:.2f}   "
                         f"median real {m['real']:.3g}{spread['real']}, "
                         f"synthetic {m['synthetic']:.3g}{spread['synthetic']}")
    return "\n".join(lines)

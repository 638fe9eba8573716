"""Testing a model the way it will be used: on later days, and on sensors it has never seen.

Sensor data are not independent rows. Today's air is much like yesterday's, and one sensor's
readings share its own quirks. A random split puts a day's neighbours (and the sensor's own
past) in the training set, so the test score measures memory, not skill. These splits respect
time and place:

- :func:`time_split`: train before a date, test from that date on.
- :func:`leave_one_site_out`: each site in turn is the test set (scikit-learn's
  ``LeaveOneGroupOut``).
- :func:`time_series_folds`: expanding-window folds over whole days (``TimeSeriesSplit``).
- :func:`compare_splits`: the same model scored under a random split, a time split and
  leave-one-site-out.
- :func:`random_vs_time`: the same later days scored by a model trained on the past only, and
  by one trained on random rows (which include those days' neighbours): the leak, measured.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"timestamp": pd.date_range("2024-01-01", periods=6, freq="D", tz="Asia/Seoul"),
...                       "site_id": ["a", "b"] * 3, "pm25": [10, 12, 14, 16, 18, 20]})
>>> train, test = time_split(frame, "2024-01-05")
>>> len(train), len(test)
(4, 2)
>>> [sorted(frame["site_id"].iloc[test].unique()) for _, test in leave_one_site_out(frame["site_id"])]
[['a'], ['b']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["time_split", "leave_one_site_out", "time_series_folds", "random_folds", "compare_splits",
           "random_vs_time"]


def _as_time(frame: pd.DataFrame, time_col: str) -> pd.Series:
    times = frame.index.to_series() if time_col == "index" else frame[time_col]
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise ValueError(f"{time_col!r} must hold timestamps, not {times.dtype}")
    return times


def _cutoff(times: pd.Series, cutoff):
    cut = pd.Timestamp(cutoff)
    tz = getattr(times.dt, "tz", None) if isinstance(times, pd.Series) else None
    if tz is not None and cut.tzinfo is None:
        cut = cut.tz_localize(tz)
    return cut


def time_split(frame: pd.DataFrame, cutoff, time_col: str = "timestamp"):
    """Split rows into those before ``cutoff`` (train) and from ``cutoff`` on (test).

    Parameters
    ----------
    frame : pandas.DataFrame
    cutoff : str or Timestamp
        First moment of the test period; a naive date is read in the frame's time zone.
    time_col : str
        Column of timestamps, or ``"index"`` for a DatetimeIndex.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``train`` (every row strictly before ``cutoff``) and ``test``.

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({"pm25": [20.0, 25.0, 30.0]},
    ...                      index=pd.date_range("2024-03-01", periods=3, freq="D", tz="Asia/Seoul"))
    >>> [len(part) for part in time_split(daily, "2024-03-03", time_col="index")]
    [2, 1]
    """
    times = _as_time(frame, time_col)
    before = (times < _cutoff(times, cutoff)).to_numpy()
    if before.all() or not before.any():
        raise ValueError(f"cutoff {cutoff} leaves an empty {'test' if before.all() else 'training'} set "
                         f"(data run from {times.min()} to {times.max()})")
    return frame[before], frame[~before]


def leave_one_site_out(groups) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds in which each site (group) in turn is the whole test set.

    Parameters
    ----------
    groups : array-like
        The site of every row (e.g. ``pairs["site_id"]``).

    Returns
    -------
    list of (train_positions, test_positions)
        Integer positions, one fold per site, in sorted site order; usable as ``cv=`` in
        scikit-learn.
    """
    from sklearn.model_selection import LeaveOneGroupOut

    groups = np.asarray(groups)
    return list(LeaveOneGroupOut().split(np.zeros(len(groups)), groups=groups))


def time_series_folds(times, n_splits: int = 5, gap_days: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds over whole days: train on the past, test on the next block.

    Every row of a day falls on the same side (all the sites of one day together), which a
    row-wise ``TimeSeriesSplit`` would not guarantee. ``gap_days`` leaves days out between
    training and test, so a feature that looks a few days back cannot reach into the test block.

    Parameters
    ----------
    times : array-like of timestamps
        The time of every row.
    n_splits : int
        Number of folds (scikit-learn ``TimeSeriesSplit``).
    gap_days : int
        Days dropped between each training and test block.

    Returns
    -------
    list of (train_positions, test_positions)

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=8, freq="D").repeat(2)  # 2 sites a day
    >>> folds = time_series_folds(days, n_splits=3)
    >>> [(len(train), len(test)) for train, test in folds]
    [(4, 4), (8, 4), (12, 4)]
    >>> all(days[train].max() < days[test].min() for train, test in folds)
    True
    """
    from sklearn.model_selection import TimeSeriesSplit

    day = pd.DatetimeIndex(pd.to_datetime(np.asarray(times))).normalize()
    unique = day.unique().sort_values()
    position = unique.get_indexer(day)
    folds = []
    for train_days, test_days in TimeSeriesSplit(n_splits=n_splits, gap=gap_days).split(unique):
        folds.append((np.flatnonzero(np.isin(position, train_days)), np.flatnonzero(np.isin(position, test_days))))
    return folds


def random_folds(n_rows: int, n_splits: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled K-fold over rows: the split that looks fine and leaks (for comparison only)."""
    from sklearn.model_selection import KFold

    return list(KFold(n_splits=n_splits, shuffle=True, random_state=seed).split(np.zeros(n_rows)))


def compare_splits(frame: pd.DataFrame, fit, score, time_col: str = "timestamp",
                   site_col: str | None = "site_id", n_splits: int = 5, seed: int = 0) -> pd.DataFrame:
    """Score one model under a random split, time-ordered folds and leave-one-site-out.

    Parameters
    ----------
    frame : pandas.DataFrame
        All rows (features, target, time and site columns).
    fit : callable
        ``fit(train_frame)`` returns a fitted object with ``predict(frame)``.
    score : callable
        ``score(test_frame, predictions)`` returns a number (e.g. an RMSE).
    time_col, site_col : str
        Columns naming each row's time and site (``site_col=None`` skips leave-one-site-out).
    n_splits : int
        Folds of the random and time-series splits.
    seed : int
        Seed of the random split.

    Returns
    -------
    pandas.DataFrame
        One row per split (``random rows``, ``time series``, ``leave one site out``) with the
        mean ``score`` over its folds and the number of ``folds``.

    Examples
    --------
    Memorising neighbouring days looks brilliant under a random split, and fails on later days:

    >>> import numpy as np, pandas as pd
    >>> from sklearn.neighbors import KNeighborsRegressor
    >>> days = pd.date_range("2024-01-01", periods=200, freq="D")
    >>> walk = np.cumsum(np.random.default_rng(0).normal(0, 3, 200)) + 50
    >>> frame = pd.DataFrame({"timestamp": days, "day": np.arange(200.0), "pm25": walk})
    >>> class Memory:
    ...     def __init__(self, train):
    ...         self.m = KNeighborsRegressor(2).fit(train[["day"]], train["pm25"])
    ...     def predict(self, f):
    ...         return self.m.predict(f[["day"]])
    >>> mae = lambda test, pred: float(np.mean(np.abs(test["pm25"] - pred)))
    >>> table = compare_splits(frame, Memory, mae, site_col=None)
    >>> bool(table.loc["random rows", "score"] < table.loc["time series", "score"] / 3)
    True
    """
    frame = frame.reset_index(drop=True)
    splits = {"random rows": random_folds(len(frame), n_splits, seed),
              "time series": time_series_folds(_as_time(frame, time_col), n_splits)}
    if site_col is not None:
        splits["leave one site out"] = leave_one_site_out(frame[site_col])
    rows = {}
    for name, folds in splits.items():
        scores = []
        for train, test in folds:
            model = fit(frame.iloc[train])
            scores.append(score(frame.iloc[test], np.asarray(model.predict(frame.iloc[test]))))
        rows[name] = {"score": float(np.nanmean(scores)), "folds": len(folds)}
    return pd.DataFrame(rows).T.astype({"score": float, "folds": int})


def random_vs_time(frame: pd.DataFrame, fit, score, cutoff, time_col: str = "timestamp",
                   n_splits: int = 3, repeats: int = 5, seed: int = 0) -> pd.Series:
    """Score the *same* later days with an honest time split and with random row splits.

    The time split trains on every row before ``cutoff`` and scores the rows from ``cutoff``
    on. The random splits (``repeats`` shuffled ``n_splits``-fold splits) train on random rows,
    and are scored only on their test rows from ``cutoff`` on, so both numbers describe the same
    period. When the random score is better, the difference is what the model gained by
    training on the test days' neighbours: information it will not have when it is used.

    Returns
    -------
    pandas.Series
        ``time split`` and ``random rows`` scores (the random one averaged over its folds).

    Examples
    --------
    A sensor whose gain drifts: a line fitted on the past is out of date by autumn.

    >>> import numpy as np, pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=300, freq="D")
    >>> ref = np.random.default_rng(1).gamma(4, 6, 300)
    >>> frame = pd.DataFrame({"timestamp": days, "ref": ref, "raw": ref * np.linspace(1.0, 0.5, 300)})
    >>> from sklearn.linear_model import LinearRegression
    >>> class Line:
    ...     def __init__(self, train):
    ...         self.m = LinearRegression().fit(train[["raw"]], train["ref"])
    ...     def predict(self, f):
    ...         return self.m.predict(f[["raw"]])
    >>> mae = lambda test, pred: float(np.mean(np.abs(test["ref"] - pred)))
    >>> s = random_vs_time(frame, Line, mae, "2024-09-01")
    >>> bool(s["random rows"] < s["time split"])
    True
    """
    frame = frame.reset_index(drop=True)
    times = _as_time(frame, time_col)
    later = (times >= _cutoff(times, cutoff)).to_numpy()
    if later.all() or not later.any():
        raise ValueError(f"cutoff {cutoff} leaves no rows on one side (data run from {times.min()} to {times.max()})")
    honest = score(frame[later], np.asarray(fit(frame[~later]).predict(frame[later])))
    scores = []
    for r in range(repeats):
        for train, test in random_folds(len(frame), n_splits, seed + r):
            test = test[later[test]]
            if len(test):
                scores.append(score(frame.iloc[test], np.asarray(fit(frame.iloc[train]).predict(frame.iloc[test]))))
    return pd.Series({"time split": float(honest), "random rows": float(np.mean(scores))}, name="score")

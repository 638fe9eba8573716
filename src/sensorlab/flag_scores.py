"""How good a set of flags is: flags scored against the true fault labels of the synthetic city.

Only synthetic data knows which readings are truly faulty, so only there can a cleaning
method (the package's :func:`~sensorlab.cleaning.flag_all` or a student's own) be scored:
:func:`score_flags` gives recall per fault kind and precision, recall and F1 overall,
:func:`compare_flags` the table of your labels against the truth's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["score_flags", "compare_flags"]


def score_flags(predicted, truth, ignore=("not_measured",)) -> pd.DataFrame:
    """Score flags against the true fault labels: precision, recall and F1.

    *Recall* is the share of truly faulty readings you flagged; *precision* the share of your
    flags that were truly faulty; *F1* balances the two (their harmonic mean). Your labels
    need not use the truth's words: any flag counts as catching any fault.

    Parameters
    ----------
    predicted : pandas.Series
        Either booleans (``True`` = flagged) or labels like :func:`~sensorlab.cleaning.flag_all` returns
        (anything but ``"none"`` counts as flagged).
    truth : pandas.Series
        True labels (``"none"`` for a good reading), aligned with ``predicted``.
    ignore : tuple of str
        Truth labels left out of the score (default: ``"not_measured"``, a reading that a site
        without that instrument never had).

    Returns
    -------
    pandas.DataFrame
        One row per fault kind in the truth with ``n_true`` (readings with that fault),
        ``n_caught`` (of those, how many you flagged) and ``recall``; and a last row
        ``"any fault"`` that also has ``n_flagged``, ``precision`` and ``f1``.

    Examples
    --------
    >>> truth = pd.Series(["none", "spike", "spike", "zero", "none", "none"])
    >>> mine = pd.Series([False, True, False, True, True, False])
    >>> table = score_flags(mine, truth)
    >>> table.loc["any fault", ["precision", "recall"]].round(3).tolist()
    [0.667, 0.667]
    >>> table["recall"].round(3).to_dict()
    {'spike': 0.5, 'zero': 1.0, 'any fault': 0.667}
    """
    pred = pd.Series(predicted)
    true = pd.Series(truth).astype(str)
    if len(pred) != len(true):
        raise ValueError(f"predicted has {len(pred)} readings but truth has {len(true)}; they must match")
    keep = ~true.isin(list(ignore)).to_numpy()
    if pred.dtype == bool:
        pred_flag = pred.to_numpy()[keep]
    else:
        pred_flag = (pred.fillna("none").astype(str) != "none").to_numpy()[keep]
    true = true[keep]
    true_flag = (true != "none").to_numpy()
    rows = {}
    for kind in sorted(set(true[true_flag])):
        is_kind = (true == kind).to_numpy()
        n, caught = int(is_kind.sum()), int((is_kind & pred_flag).sum())
        rows[kind] = {"n_true": n, "n_caught": caught, "recall": caught / n}
    n_true, n_flagged = int(true_flag.sum()), int(pred_flag.sum())
    caught = int((true_flag & pred_flag).sum())
    precision = caught / n_flagged if n_flagged else np.nan
    recall = caught / n_true if n_true else np.nan
    f1 = (2 * precision * recall / (precision + recall)
          if n_flagged and n_true and precision + recall > 0 else (0.0 if n_flagged and n_true else np.nan))
    rows["any fault"] = {"n_true": n_true, "n_caught": caught, "recall": recall,
                         "n_flagged": n_flagged, "precision": precision, "f1": f1}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "fault"
    return table


def compare_flags(predicted, truth, ignore=("not_measured",)) -> pd.DataFrame:
    """Count readings by your label (rows) against the true label (columns).

    The ``"none"`` column holds your false alarms; the ``"none"`` row the faults you missed.

    Examples
    --------
    >>> truth = pd.Series(["none", "spike", "zero", "none"])
    >>> mine = pd.Series(["none", "spike", "none", "spike"])
    >>> compare_flags(mine, truth).loc["spike"].to_dict()
    {'none': 1, 'spike': 1, 'zero': 0}
    """
    true = pd.Series(truth).astype(str).reset_index(drop=True)
    pred = pd.Series(predicted).reset_index(drop=True)
    if pred.dtype == bool:
        pred = pred.map({True: "flagged", False: "none"})
    keep = ~true.isin(list(ignore))
    return pd.crosstab(pred[keep].fillna("none").astype(str).rename("flagged as"),
                       true[keep].rename("truth"))

"""Module 06's calibration figure and its explorer: a held-out fit, chosen by sensor, model and features.

Examples
--------
>>> CALIBRATION_FEATURES["m06.features.raw_rh"]
('pm25_raw', 'humidity')
"""

from __future__ import annotations

import pandas as pd

from sensorlab.explorer import Explorer, Fixed, dropdown, use_static
from sensorlab.messages import get_language, text
from sensorlab.plotting import draws_hangul

__all__ = ["CALIBRATION_FEATURES", "draw_calibration", "calibration_explorer"]

#: Feature sets the calibration explorer offers, by message key of their label.
CALIBRATION_FEATURES = {"m06.features.raw": ("pm25_raw",),
                        "m06.features.raw_rh": ("pm25_raw", "humidity"),
                        "m06.features.raw_rh_t": ("pm25_raw", "humidity", "temperature")}


@draws_hangul
def draw_calibration(test: pd.DataFrame, ax=None, lang=None, title: str | None = None):
    """Two panels for held-out days: calibrated vs reference PM2.5, and residual vs humidity.

    ``test`` is :func:`sensorlab.calibration.holdout_predictions` output (``pm25_ref``,
    ``pm25_raw``, ``predicted``, ``residual``, ``humidity``). Raw readings are drawn faintly
    behind the calibrated ones so the improvement shows.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from sensorlab import plotting
    from sensorlab.calibration import metrics

    lang = lang or get_language()
    if ax is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    else:
        axes, fig = ax, ax[0].figure
    left, right = axes
    m, raw = metrics(test["pm25_ref"], test["predicted"]), metrics(test["pm25_ref"], test["pm25_raw"])
    top = float(np.nanmax(test[["pm25_ref", "pm25_raw", "predicted"]].to_numpy())) * 1.05
    left.scatter(test["pm25_ref"], test["pm25_raw"], s=10, alpha=0.35, color=plotting.OKABE_ITO[0], marker="^",
                 label=text("m06.widget.raw", lang=lang, rmse=f"{raw['rmse']:.1f}"))
    left.scatter(test["pm25_ref"], test["predicted"], s=12, alpha=0.7, color=plotting.OKABE_ITO[4],
                 label=text("m06.widget.calibrated", lang=lang, rmse=f"{m['rmse']:.1f}"))
    left.plot([0, top], [0, top], color="black", linewidth=1, label=text("m06.widget.one_to_one", lang=lang))
    left.set(xlim=(0, top), ylim=(0, top), xlabel=text("m06.widget.ref_axis", lang=lang),
             ylabel=text("m06.widget.sensor_axis", lang=lang))
    left.legend(fontsize=8, loc="upper left")
    right.axhline(0, color="black", linewidth=1)
    right.scatter(test["humidity"], test["residual"], s=10, alpha=0.6, color=plotting.OKABE_ITO[5])
    right.set(xlabel=plotting.axis_label("humidity", lang), ylabel=text("m06.widget.residual_axis", lang=lang))
    fig.suptitle(title or text("m06.widget.title", lang=lang, r2=f"{m['r2']:.2f}", bias=f"{m['bias']:+.1f}"))
    fig.tight_layout()
    return fig


def calibration_explorer(pairs: pd.DataFrame, site_id: str = "sdot-101-01", model: str = "linear",
                         features: str = "m06.features.raw", cutoff="2024-09-01",
                         static: bool | None = None) -> Explorer:
    """Choose a co-located sensor, a model and a feature set; see the held-out fit (lesson 06.4).

    Every choice refits on the days before ``cutoff`` and draws the days after it with
    :func:`draw_calibration`. ``features`` is a key of :data:`CALIBRATION_FEATURES`.
    """
    from sensorlab.calibration import MODELS, holdout_predictions

    lang = get_language()
    if use_static(static):
        controls = {"site_id": Fixed(site_id), "model": Fixed(model, text(f"m06.model.{model}", lang=lang)),
                    "features": Fixed(features, text(features, lang=lang))}
    else:
        from sensorlab.datasets.base import stations

        sites = pairs.drop_duplicates("site_id").sort_values("site_id")
        # pairs carry only the English district; Korean students read 종로구, not Jongno-gu.
        names = stations().drop_duplicates("district").set_index("district")["district_ko"] if lang == "ko" else {}
        controls = {
            "site_id": dropdown([(f"{r.site_id} ({names.get(r.district, r.district)})", r.site_id)
                                  for r in sites.itertuples()],
                                 site_id, text("m06.widget.sensor", lang=lang)),
            "model": dropdown([(text(f"m06.model.{m}", lang=lang), m) for m in MODELS], model,
                               text("m06.widget.model", lang=lang)),
            "features": dropdown([(text(k, lang=lang), k) for k in CALIBRATION_FEATURES], features,
                                  text("m06.widget.features", lang=lang)),
        }

    def draw(site_id, model, features):
        test = holdout_predictions(pairs, CALIBRATION_FEATURES[features], model, cutoff, site_id=site_id)
        return draw_calibration(test, lang=lang)

    return Explorer(controls, draw, static=use_static(static))

"""What a light-scattering PM sensor reads against humidity: a figure and its sliders (module 01).

Both draw :func:`sensorlab.units.humidity_growth`, the package's one model of the over-read,
with its κ unless a lesson sets another.
"""

from __future__ import annotations

import numpy as np

from sensorlab.units import humidity_growth
from sensorlab.plotting import draws_hangul

__all__ = ["draw_growth", "growth_explorer"]


def _model_kappa() -> float:
    """κ of :func:`humidity_growth` (its default), so the figures follow the package's one model."""
    import inspect

    return inspect.signature(humidity_growth).parameters["kappa"].default


@draws_hangul
def draw_growth(true_pm25: float = 25.0, kappa: float | None = None, humidity_rh: float = 80.0, ax=None, lang=None):
    """Draw what a light-scattering sensor reads against humidity, for one true PM2.5.

    ``kappa`` defaults to the κ of :func:`humidity_growth`.

    Examples
    --------
    >>> fig = draw_growth(25, 0.24, 80, lang="en")
    >>> fig.axes[0].get_xlabel()
    'Relative humidity (%RH)'
    """
    import matplotlib.pyplot as plt

    from sensorlab import plotting
    from sensorlab.messages import get_language, text

    lang = lang or get_language()
    kappa = _model_kappa() if kappa is None else kappa
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    rh = np.linspace(0, 98, 197)
    ax.plot(rh, true_pm25 * humidity_growth(rh, kappa), color=plotting.OKABE_ITO[4], linewidth=2,
            label=text("units.growth.reads", lang=lang))
    ax.axhline(true_pm25, color=plotting.OKABE_ITO[7], linestyle="--", label=text("units.growth.true", lang=lang))
    reading = true_pm25 * humidity_growth(humidity_rh, kappa)
    ax.plot([humidity_rh], [reading], marker="o", markersize=9, color=plotting.OKABE_ITO[5], linestyle="none",
            label=text("units.growth.now", lang=lang, rh=humidity_rh, reading=reading))
    ax.set_xlabel(plotting.axis_label("humidity", lang))
    ax.set_ylabel(plotting.axis_label("pm25", lang))
    ax.set_ylim(0, max(true_pm25 * 4, reading * 1.1))
    ax.set_title(text("units.growth.title", lang=lang, kappa=kappa))
    ax.legend(loc="upper left", fontsize=8)
    return ax.figure


def growth_explorer(true_pm25: float = 25.0, kappa: float | None = None, humidity_rh: float = 80.0,
                    static: bool | None = None):
    """Sliders for true PM2.5, κ (starting at :func:`humidity_growth`'s) and humidity over :func:`draw_growth`."""
    from sensorlab.explorer import Explorer, Fixed, use_static
    from sensorlab.messages import get_language, text

    kappa = _model_kappa() if kappa is None else kappa

    values = {"true_pm25": true_pm25, "kappa": kappa, "humidity_rh": humidity_rh}
    if use_static(static):
        controls = {name: Fixed(value) for name, value in values.items()}
        return Explorer(controls, draw_growth, static=True)
    import ipywidgets as w

    lang = get_language()
    style = {"description_width": "initial"}
    controls = {
        "true_pm25": w.FloatSlider(value=true_pm25, min=5, max=100, step=5, style=style,
                                   description=text("units.growth.slider_pm", lang=lang), continuous_update=False),
        "kappa": w.FloatSlider(value=kappa, min=0.0, max=0.6, step=0.02, style=style,
                               description="κ", continuous_update=False),
        "humidity_rh": w.FloatSlider(value=humidity_rh, min=0, max=98, step=1, style=style,
                                     description=text("units.growth.slider_rh", lang=lang), continuous_update=False),
    }
    return Explorer(controls, draw_growth, static=False)

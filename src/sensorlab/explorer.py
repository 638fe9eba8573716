"""Explorers: controls that redraw a figure, with a static figure behind them.

An :class:`Explorer` wires controls (ipywidgets) to a drawing function. It displays as a live
widget in JupyterLab, and carries a PNG of its first figure in the same output, so a frontend
without widgets (an exported notebook, GitHub, a headless run) still shows a figure. Set
``SENSORLAB_STATIC=1`` (or pass ``static=True``) to draw only the static figure, with
:class:`Fixed` values standing in for the controls. The lessons' explorers are built on it
(:mod:`sensorlab.widgets`, :mod:`sensorlab.widgets_patterns`, :mod:`sensorlab.humidity_figure`,
:mod:`sensorlab.calibration_figure`).

Examples
--------
>>> import matplotlib.pyplot as plt
>>> def draw(n):
...     fig, ax = plt.subplots()
...     ax.plot(range(n))
...     return fig
>>> explorer = Explorer({"n": Fixed(3)}, draw, static=True)
>>> explorer.values(), "image/png" in explorer._repr_mimebundle_()
({'n': 3}, True)
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable

__all__ = ["Explorer", "Fixed", "dropdown", "use_static"]


class Explorer:
    """Controls wired to a drawing function, displayed live, with a static figure as fallback.

    Parameters
    ----------
    controls : dict
        Name -> ipywidgets control; the name is the drawing function's keyword.
    draw : callable
        ``draw(**values)`` returns a matplotlib Figure.
    static : bool, optional
        Draw only the static figure (default: ``SENSORLAB_STATIC`` set, or no ipywidgets).
    """

    def __init__(self, controls: dict, draw: Callable, static: bool | None = None):
        self.controls, self._draw = controls, draw
        self.static = bool(os.environ.get("SENSORLAB_STATIC")) if static is None else static
        self.redraws = 0
        self._box = None
        self._last_png = b""
        if not self.static:
            import ipywidgets as w

            # An Image widget, not an Output widget: setting its bytes needs no output capture,
            # which made headless runs (nbclient, nbval) wait for a reply now and then.
            self._image = w.Image(format="png", layout=w.Layout(max_width="100%"))
            for control in controls.values():
                control.observe(lambda _change: self.redraw(), names="value")
            self._box = w.VBox([w.HBox(list(controls.values())), self._image])

    def values(self) -> dict:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def figure(self):
        """Draw the current selection as a plain matplotlib figure."""
        return self._draw(**self.values())

    def redraw(self) -> None:
        """Redraw the live figure (called whenever a control changes)."""
        self.redraws += 1
        self._image.value = self._png()  # drawn once: shown live and kept as the static fallback

    def _png(self) -> bytes:
        import matplotlib.pyplot as plt

        fig = self.figure()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        self._last_png = buf.getvalue()
        return self._last_png

    def _repr_mimebundle_(self, include=None, exclude=None):
        # A control's label, not its value: a value can be a code or a message key (m06.features.raw).
        summary = ", ".join(f"{k}={_shown(c)}" for k, c in self.controls.items())
        if self._box is None:
            png = self._png()
        else:
            if self.redraws == 0:
                self.redraw()
            png = self._last_png
        bundle = {"text/plain": f"Explorer({summary})", "image/png": base64.b64encode(png).decode("ascii")}
        if self._box is not None:
            # JupyterLab prefers the widget view; frontends without widgets fall back to the PNG.
            bundle.update(self._box._repr_mimebundle_(include=include, exclude=exclude) or {})
            bundle["text/plain"] = f"Explorer({summary})"
        return bundle


def dropdown(options, value, description):
    """A dropdown of ``(label, value)`` options, its description shown in full."""
    import ipywidgets as w

    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"})


class Fixed:
    """Stands in for a control when drawing statically: a value that never changes."""

    def __init__(self, value, label: str | None = None):
        self.value = value
        self.label = label


def _shown(control):
    """What a summary shows for a control: its text label when it has one, else its value."""
    label = getattr(control, "label", None)
    return label if isinstance(label, str) and label else control.value


def use_static(static: bool | None) -> bool:
    """Whether to draw only the static figure: ``static`` if given, else ``SENSORLAB_STATIC`` set or no ipywidgets."""
    if static is not None:
        return static
    if os.environ.get("SENSORLAB_STATIC"):
        return True
    try:
        import ipywidgets  # noqa: F401
    except ImportError:  # pragma: no cover - ipywidgets is a pinned dependency
        return True
    return False

"""The repository checkout this package runs from, if any.

An editable install (``make install``) runs ``src/sensorlab`` inside the repository, so the
kit's firmware, the nbgrader course and ``../shared/real-data`` sit beside it. A hub's
``pip install .`` puts the package in ``site-packages`` with no checkout around it: there
:func:`checkout_root` is ``None`` and callers use what the wheel carries, or say that the
step needs the repository.

Examples
--------
>>> root = checkout_root()
>>> root is None or (root / "src" / "sensorlab" / "checkout.py").is_file()
True
"""

from __future__ import annotations

from pathlib import Path


def checkout_root() -> Path | None:
    """The repository folder holding ``src/sensorlab`` (this package), or ``None`` when installed from a wheel."""
    package = Path(__file__).resolve().parent
    root = package.parents[1]
    if package.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None

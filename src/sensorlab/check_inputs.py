"""What a student's function does with the data it is given: changes it, or reads the notebook's instead.

A checker runs a student's method on data the lesson never showed. :func:`call_on_copies` hands it
copies and raises :class:`~sensorlab.check_wording.Wrong` naming the argument it changed;
:func:`notebook_data_read` names the notebook's table it reads instead of its argument.
"""

from __future__ import annotations

from sensorlab.check_wording import Wrong

__all__ = ["call_on_copies", "notebook_data_read", "NOT_FROM_DATA"]

#: Verdicts about the function itself, true whatever data it reads.
NOT_FROM_DATA = {"check.unanswered", "check.changes_input.added_column", "check.changes_input.removed_column",
                 "check.changes_input.rows", "check.changes_input.index", "check.changes_input.values_column",
                 "check.changes_input.values"}


def call_on_copies(function, *args, **kwargs):
    """``function(*args, **kwargs)`` on copies of its tables, series and arrays; :class:`Wrong` if it changed one.

    A student's method that adds a column to the table it is given, drops rows ``inplace=True`` or
    writes NaN into the series, changes the notebook's own data when the notebook calls it: the
    cells and checks after it then see other data. The checker's data stays as it was (only copies
    are handed over); the message names the argument and what changed. Errors the function raises
    reach the caller, which words them.
    """
    import numpy as np
    import pandas as pd

    copies = [a.copy() if isinstance(a, (pd.DataFrame, pd.Series, np.ndarray)) else a for a in args]
    got = function(*copies, **kwargs)
    names = _parameter_names(function)
    for n, (before, after) in enumerate(zip(args, copies)):
        change = _change(before, after)
        if change:
            key, values = change
            raise Wrong(f"check.changes_input.{key}", name=names[n] if n < len(names) else f"#{n + 1}", **values)
    return got


def _parameter_names(function) -> list[str]:
    """The names the student gave the function's positional parameters (``readings``, ``series``)."""
    import inspect

    try:
        return [p.name for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _change(before, after) -> tuple[str, dict] | None:
    """What a student's function did to a table, series or array it was given, as a message key's end and
    its fields; None if nothing changed."""
    import numpy as np
    import pandas as pd

    if isinstance(before, np.ndarray):
        return None if np.array_equal(before, after, equal_nan=before.dtype.kind in "fc") else ("values", {})
    if not isinstance(before, (pd.DataFrame, pd.Series)):
        return None
    if isinstance(before, pd.DataFrame):
        added = [c for c in after.columns if c not in before.columns]
        if added:
            return "added_column", {"column": str(added[0])}
        removed = [c for c in before.columns if c not in after.columns]
        if removed:
            return "removed_column", {"column": str(removed[0])}
    if len(before) != len(after):
        return "rows", {"before": len(before), "after": len(after)}
    if not before.index.equals(after.index):
        return "index", {}
    if isinstance(before, pd.Series):
        return None if before.equals(after) else ("values", {})
    changed = next((c for c in before.columns if not before[c].equals(after[c])), None)
    return None if changed is None else ("values_column", {"column": str(changed)})


def notebook_data_read(answer) -> str | None:
    """The name of a table or series of the notebook that the function ``answer`` reads, else None.

    A student's own method is run on data the lesson never showed; one that reads the notebook's
    ``pm`` or ``daily`` instead of its argument answers about the lesson's data, whatever it is given.
    """
    import numpy as np
    import pandas as pd

    code, names = getattr(answer, "__code__", None), set()
    stack = [code] if code is not None else []
    while stack:  # the function's own names and those of the lambdas and comprehensions inside it
        one = stack.pop()
        names.update(one.co_names)
        stack.extend(c for c in one.co_consts if hasattr(c, "co_names"))
    notebook = getattr(answer, "__globals__", {})
    return next((n for n in sorted(names) if isinstance(notebook.get(n), (pd.DataFrame, pd.Series, np.ndarray))
                 and np.size(notebook[n]) > 1), None)


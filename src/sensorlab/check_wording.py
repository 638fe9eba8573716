"""The words a checker says what is wrong with: :class:`Wrong`, and what a student gave, named.

A checker raises ``Wrong(message_key, **fields)``; the fields are worded for the student in their
language when the sentence is shown: a :class:`Kind` becomes "a number with a decimal point (12.5)"
or "the text \"12\"", a message key becomes its text, a float is written as a student reads it.
The ``expect_*`` helpers (:mod:`sensorlab.check_expect`) and the checkers in ``sensorlab.exercises``
use :func:`given_kind` and :func:`kind_of` to name what the student gave.

Examples
--------
>>> print(Wrong("check.wrong_type", expected=kind_of(int), got=given_kind("12")).text(lang="en"))
Your answer should be `int`, but it is the text "12" (in quotes).
"""

from __future__ import annotations

import math

from sensorlab.messages import catalogue, get_language, text

__all__ = ["Wrong", "Kind", "kind_of", "given_kind", "one_number", "empty_shown", "infinite_shown", "too_large_digits",
           "is_kind", "number_text", "translate_values"]


class Wrong(Exception):
    """Raised by a checker to say what is wrong, as a message key plus its fields."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str | None = None) -> str:
        """The sentence this says, in ``lang`` (the student's language by default)."""
        lang = lang or get_language()
        return text(self.key, lang=lang, **translate_values(self.values, lang))


_KINDS = {"Series": "check.kind.series", "DataFrame": "check.kind.dataframe", "str": "check.kind.text",
          "list": "check.kind.list", "tuple": "check.kind.list", "dict": "check.kind.dict",
          "bool": "check.kind.bool", "bool_": "check.kind.bool", "ndarray": "check.kind.array",
          "DatetimeIndex": "check.kind.index", "Index": "check.kind.index", "Figure": "check.kind.figure",
          "Axes": "check.kind.axes", "ellipsis": "check.kind.ellipsis", "Timestamp": "check.kind.timestamp",
          "NoneType": "check.kind.nothing", "set": "check.kind.set",
          # `answer = my_function` without brackets: the function itself, not what it returns
          "function": "check.kind.function", "method": "check.kind.function",
          "builtin_function_or_method": "check.kind.function",
          "frozenset": "check.kind.set", "RangeIndex": "check.kind.index", "CategoricalIndex": "check.kind.index",
          "MultiIndex": "check.kind.index", "PeriodIndex": "check.kind.index", "TimedeltaIndex": "check.kind.index",
          # what students really hand in instead (issue 16): named in words, never by Python's name for it
          **dict.fromkeys(["generator", "map", "filter", "zip", "enumerate", "reversed", "range", "dict_keys",
                           "dict_values", "dict_items", "list_iterator", "tuple_iterator"], "check.kind.lazy_sequence"),
          **dict.fromkeys(["StringArray", "ArrowStringArray", "IntegerArray", "FloatingArray", "BooleanArray",
                           "Categorical", "DatetimeArray", "TimedeltaArray", "PeriodArray", "NumpyExtensionArray",
                           "SparseArray", "ArrowExtensionArray", "IntervalArray"], "check.kind.pandas_array"),
          **dict.fromkeys(["Timedelta", "timedelta", "timedelta64"], "check.kind.timedelta"),
          **dict.fromkeys(["complex", "complex64", "complex128", "clongdouble"], "check.kind.complex"),
          **dict.fromkeys(["Decimal", "Fraction"], "check.kind.exact_number"),
          **dict.fromkeys(["bytes", "bytearray", "bytes_"], "check.kind.bytes"),
          "datetime64": "check.kind.numpy_datetime", "datetime": "check.kind.python_datetime",
          "date": "check.kind.python_datetime", "Period": "check.kind.period"}


class Kind(str):
    """A type name the message layer translates (``check.kind.*`` keys), maybe with the value shown."""

    shown: str | None = None


def kind_of(obj_or_type) -> Kind:
    name = obj_or_type.__name__ if isinstance(obj_or_type, type) else type(obj_or_type).__name__
    return Kind(_KINDS.get(name, name))


def one_number(answer):
    """``answer`` as a Python number if it is one number (numpy scalars and 0-d arrays too), else None."""
    import numpy as np

    if isinstance(answer, (bool, np.bool_, np.timedelta64)):  # numpy counts a time span as an integer; a student must not
        return None
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if isinstance(answer, (int, np.integer)):
        return int(answer)
    if isinstance(answer, (float, np.floating)):
        return float(answer)
    return None


def empty_shown(answer) -> str | None:
    """How pandas shows ``answer`` if it is an empty value (``"NaN"``, ``"NA"``, ``"NaT"``), else None."""
    import pandas as pd

    if answer is pd.NA:
        return "NA"
    if answer is pd.NaT:
        return "NaT"
    number = one_number(answer)
    return "NaN" if isinstance(number, float) and math.isnan(number) else None


def infinite_shown(answer) -> str | None:
    """``"inf"`` or ``"-inf"`` if ``answer`` is an infinite number, else None."""
    number = one_number(answer)
    return f"{number}" if isinstance(number, float) and math.isinf(number) else None


def too_large_digits(answer) -> str | None:
    """How many digits a whole number too large for a float has (``10**400``: ``"401"``), else None."""
    number = one_number(answer)
    if isinstance(number, int):
        try:
            float(number)
        except OverflowError:
            return str(len(str(abs(number))))
    return None


def given_kind(answer) -> Kind:
    """What the student gave, in their terms: 'a number with a decimal point (12.5)', 'the text "12"'."""
    number = one_number(answer)
    if empty_shown(answer) or infinite_shown(answer):  # NaN is no "number with a decimal point", NAType no word for a student
        kind = Kind("check.kind.empty_value" if empty_shown(answer) else "check.kind.infinite_value")
        kind.shown = empty_shown(answer) or infinite_shown(answer)
        return kind
    if too_large_digits(answer):
        kind = Kind("check.kind.too_large_value")
        kind.shown = too_large_digits(answer)
        return kind
    if number is None and not isinstance(answer, str):
        return kind_of(answer)
    if isinstance(answer, str):
        kind, shown = Kind("check.kind.text_value"), answer if len(answer) <= 40 else answer[:37] + "..."
    elif isinstance(number, int):
        kind, shown = Kind("check.kind.whole_number_value"), str(number)
    else:
        kind, shown = Kind("check.kind.decimal_value"), f"{number:.6g}"
    kind.shown = shown
    return kind


def is_kind(answer, wanted: type) -> bool:
    import numpy as np
    import pandas as pd

    if wanted is float:
        return one_number(answer) is not None
    if wanted is int:
        number = one_number(answer)
        return number is not None and (isinstance(number, int) or float(number).is_integer())  # 12.0 counts as 12
    if wanted is list:
        return (isinstance(answer, (list, tuple, pd.Index, pd.Series))
                or isinstance(answer, np.ndarray) and answer.ndim == 1)
    if isinstance(answer, (bool, np.bool_)) and wanted is not bool:
        return False
    return isinstance(answer, wanted)


def number_text(value: float) -> str:
    """A number as a student reads it: 24530 for a count (``.4g`` would show 2.453e+04), 19.8 for a reading."""
    if math.isfinite(value) and abs(value) >= 1e4:
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return f"{value:.4g}"


def translate_values(values: dict, lang: str) -> dict:
    out = {}
    for name, value in values.items():
        if isinstance(value, Kind):
            if not value.startswith("check.kind."):
                out[name] = f"`{value}`"
            else:
                out[name] = text(value, lang=lang, value=value.shown)
        elif isinstance(value, str) and value in catalogue():
            out[name] = text(value, lang=lang)  # a label the checker named by message key
        elif isinstance(value, float):
            out[name] = number_text(value)
        else:
            out[name] = value
    return out


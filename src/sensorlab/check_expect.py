"""What a checker expects of an answer, raising :class:`~sensorlab.check_wording.Wrong` with why not.

The ``expect_*`` helpers the checkers in ``sensorlab.exercises`` are written with: the kind of
answer (``expect_type``; ``expect_kind`` for the ``kind`` a checker is registered with, which
:func:`sensorlab.check.evaluate` checks before the checker runs), one number close to the right one
(``expect_close``), items that are numbers, a pair, a name spelled exactly, a length, the columns, a
Series matching value by value with its empty (NaN) values where they should be
(``expect_series_close``). Each message names what is wrong and where, and a unit or rounding slip
(:mod:`sensorlab.check_slips`) as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sensorlab.check_slips import rounded_to, unit_slip
from sensorlab.check_wording import (Kind, Wrong, empty_shown, given_kind, infinite_shown, is_kind, kind_of,
                                     one_number, too_large_digits)

__all__ = ["OneNumber", "expect_kind", "kind_problem", "expect_one", "expect_type", "expect_close",
           "expect_close_or_trap", "expect_number_item", "expect_numbers", "expect_pair", "expect_exact_name", "expect_length",
           "expect_columns", "expect_series_close"]


#: What a student is told to do when an answer of one kind was needed and another was given.
_ADVICE = {("number", "text"): "check.advice.remove_quotes", ("whole", "text"): "check.advice.remove_quotes",
           ("whole", "decimal"): "check.advice.count_is_whole",
           ("number", "timedelta"): "check.advice.timedelta_number", ("whole", "timedelta"): "check.advice.timedelta_number",
           **{(want, got): "check.advice.one_number" for want in ("number", "whole")
              for got in ("series", "dataframe", "list", "array", "index")}}
_GROUP = {"check.kind.text_value": "text", "check.kind.decimal_value": "decimal", "check.kind.series": "series",
          "check.kind.dataframe": "dataframe", "check.kind.list": "list", "check.kind.array": "array",
          "check.kind.pandas_array": "array", "check.kind.index": "index", "check.kind.timedelta": "timedelta"}


def expect_type(answer, types, what: str | None = None) -> None:
    """Raise :class:`Wrong` unless ``answer`` is of a kind the exercise can use.

    ``float`` accepts any one number (``12``, ``12.5``, ``np.float32``, a 0-d array); ``int``
    accepts a whole number in any of those forms (``12.0`` too); ``list`` accepts any sequence
    of the items (tuple, 1-d array, Index, Series). The message names what was wanted and what
    was given, with its value: "a whole number (such as 12), but it is a number with a decimal
    point (12.5)".

    Examples
    --------
    >>> import numpy as np
    >>> expect_type(np.float32(2.5), float); expect_type(12.0, int); expect_type(np.array(3), int)
    >>> try:
    ...     expect_type(12.5, int)
    ... except Wrong as wrong:
    ...     print(wrong.text(lang="en"))
    Your answer should be a whole number (such as 12), but it is a number with a decimal point (12.5). A count has no decimal point: did you take a mean, or divide, where you should count?
    """
    wanted = types if isinstance(types, tuple) else (types,)
    not_finite = empty_shown(answer) or infinite_shown(answer) or too_large_digits(answer)
    if (int in wanted or float in wanted) and not_finite:
        if float in wanted and empty_shown(answer) == "NaN":
            return  # expect_close says what the NaN should have been
        _refuse_non_finite(answer)
    if any(is_kind(answer, t) for t in wanted):
        return
    expected = ("check.kind.any_number" if float in wanted else
                "check.kind.whole_number" if int in wanted else kind_of(wanted[0]))
    got = given_kind(answer)
    advice = _ADVICE.get(({"check.kind.any_number": "number", "check.kind.whole_number": "whole"}.get(expected),
                          _GROUP.get(got)))
    if advice:
        raise Wrong("check.wrong_type_advice", expected=Kind(expected), got=got, advice=advice)
    raise Wrong("check.wrong_type", expected=Kind(expected), got=got)


@dataclass(frozen=True)
class OneNumber:
    """The kind "one number (``int`` or ``float``), not a table": a Series or DataFrame is told
    ``table_key``, a module's own sentence (a student who kept the whole column), before
    :func:`expect_type` names any other kind.

    Examples
    --------
    >>> import pandas as pd
    >>> try:
    ...     expect_kind(pd.Series([3.0]), OneNumber(int, "m05.one_value"))
    ... except Wrong as wrong:
    ...     print(wrong.key)
    m05.one_value
    """

    kind: type
    table_key: str


def expect_one(answer, kind: type, table_key: str) -> None:
    """Raise :class:`Wrong` unless ``answer`` is one number of ``kind``; ``table_key`` for a Series or DataFrame."""
    import pandas as pd

    if isinstance(answer, (pd.DataFrame, pd.Series)):  # a list is told it is a list by expect_type
        raise Wrong(table_key)
    expect_type(answer, kind)


def expect_kind(answer, kind) -> None:
    """Raise :class:`Wrong` unless ``answer`` is of ``kind``: what :func:`expect_type` takes (a type or a
    tuple of types) or a :class:`OneNumber`."""
    if isinstance(kind, OneNumber):
        expect_one(answer, kind.kind, kind.table_key)
    else:
        expect_type(answer, kind)


def kind_problem(kind) -> str | None:
    """Why :func:`expect_kind` cannot check ``kind`` (in words for the author of a checker), or None.

    Examples
    --------
    >>> kind_problem(float), kind_problem((set, list)), kind_problem("float")
    (None, None, "'float' is not a type, a tuple of types or a OneNumber")
    """
    from sensorlab.messages import catalogue

    if isinstance(kind, OneNumber):
        if kind.kind not in (int, float):
            return f"OneNumber's kind must be int or float, not {kind.kind!r}"
        if kind.table_key not in catalogue():
            return f"OneNumber's table_key {kind.table_key!r} is not in the message catalogue"
        return None
    wanted = kind if isinstance(kind, tuple) else (kind,)
    if not wanted or not all(isinstance(t, type) for t in wanted):
        return f"{kind!r} is not a type, a tuple of types or a OneNumber"
    if int in wanted or float in wanted:
        return None
    if not kind_of(wanted[0]).startswith("check.kind."):  # the message would show a Python name to a student
        return f"a student is told the answer should be {wanted[0].__name__!r}: no check.kind.* words for it"
    return None


def _refuse_non_finite(answer) -> None:
    """Raise :class:`Wrong` saying an empty (NaN, NA, NaT) or infinite answer is what it is."""
    if empty_shown(answer):
        raise Wrong("check.empty_answer", got=empty_shown(answer))
    if infinite_shown(answer):
        raise Wrong("check.infinite_answer", got=infinite_shown(answer))
    if too_large_digits(answer):
        raise Wrong("check.too_large_answer", digits=too_large_digits(answer))


def expect_close(got, expected, what: str, rtol: float = 1e-3, atol: float = 1e-6) -> None:
    """Raise :class:`Wrong` unless the number ``got`` is close to ``expected``.

    ``what`` names the quantity for the student: a message key (translated) or plain text.
    """
    if math.isfinite(float(expected)):
        if empty_shown(got) != "NaN":
            _refuse_non_finite(got)
    if math.isnan(float(got)) and not math.isnan(float(expected)):
        raise Wrong("check.empty_value", what=what, expected=float(expected))
    if not math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol):
        slip = unit_slip(float(got), float(expected))
        if slip:
            raise Wrong("check.wrong_value_unit", what=what, expected=float(expected), got=float(got), advice=slip)
        digits = rounded_to(float(got), float(expected))
        if digits is not None:
            raise Wrong("check.rounded", what=what, expected=float(expected), got=float(got), digits=digits)
        raise Wrong("check.wrong_value", what=what, expected=float(expected), got=float(got))


def expect_close_or_trap(answer, expected, what: str, traps=(), rtol: float = 1e-3) -> None:
    """:func:`expect_close`, first naming a recognised mistake: ``traps`` are (value, message key)
    pairs, and an answer close to a trap's value (but not to ``expected``) is told its key.
    The answer's kind is checked before (the checker's registered ``kind=float``).

    Examples
    --------
    >>> try:
    ...     expect_close_or_trap(-2.0, 2.0, "the bias", traps=[(-2.0, "m06.jongno_bias.sign")])
    ... except Wrong as wrong:
    ...     print(wrong.key)
    m06.jongno_bias.sign
    """
    if math.isclose(float(answer), expected, rel_tol=rtol, abs_tol=1e-9):
        return
    for value, key in traps:
        if math.isclose(float(answer), value, rel_tol=rtol, abs_tol=1e-9):
            raise Wrong(key)
    expect_close(answer, expected, what, rtol=rtol)


def expect_number_item(item, position, whole: bool = False) -> float:
    """``item`` (the ``position``-th of a student's sequence: a 1-based count or a label) as a float;
    :class:`Wrong` naming the item and what it is when it is not one finite number (a whole one if
    ``whole``): the text "12" in quotes, None, a list in the list, a number too large for a float.

    Examples
    --------
    >>> try:
    ...     expect_number_item("12.5", 2)
    ... except Wrong as wrong:
    ...     print(wrong.text(lang="en"))
    Item 2 of your answer should be one number (such as 12 or 12.5), but it is the text "12.5" (in quotes). Write the number without quotes.
    """
    finite = empty_shown(item) is None and infinite_shown(item) is None and too_large_digits(item) is None
    if finite and is_kind(item, int if whole else float):
        return float(one_number(item))
    if too_large_digits(item):
        raise Wrong("check.item_too_large", position=position, digits=too_large_digits(item))
    if empty_shown(item) or infinite_shown(item):
        raise Wrong("check.item_not_finite", position=position, got=given_kind(item))
    expected = Kind("check.kind.whole_number" if whole else "check.kind.any_number")
    got = given_kind(item)
    advice = ("check.advice.remove_quotes" if isinstance(item, str) else
              "check.advice.count_is_whole" if whole and one_number(item) is not None else "check.advice.no_advice")
    raise Wrong("check.item_wrong_type", position=position, expected=expected, got=got, advice=advice)


def expect_numbers(answer, whole: bool = False) -> list[float]:
    """The items of the sequence ``answer`` (list, tuple, 1-d array, Series) as floats, each checked by
    :func:`expect_number_item` (a Series' items named by their labels)."""
    import pandas as pd

    expect_type(answer, list)
    if isinstance(answer, pd.Series):
        return [expect_number_item(v, str(k), whole) for k, v in answer.items()]
    return [expect_number_item(v, n, whole) for n, v in enumerate(answer, 1)]


def expect_pair(answer, wrong_key: str) -> tuple[float, float]:
    """Two finite numbers from ``answer``: a tuple, list, array or Series of two, each a number or a
    one-value array (scikit-learn's ``coef_``); :class:`Wrong` ``wrong_key`` for any other shape.

    Examples
    --------
    >>> import numpy as np
    >>> expect_pair((np.array([0.9]), np.float64(4.0)), "m08.fit.shape")
    (0.9, 4.0)
    """
    import numpy as np
    import pandas as pd

    if (not isinstance(answer, (tuple, list, np.ndarray, pd.Series))  # np.ndim fails on (array, float)
            or isinstance(answer, np.ndarray) and answer.ndim != 1 or len(answer) != 2):
        raise Wrong(wrong_key)
    values = []
    for n, item in enumerate(answer.iloc if isinstance(answer, pd.Series) else answer, 1):
        if np.size(item) == 1 and not isinstance(item, str) and np.ndim(item) > 0:
            item = np.asarray(item).reshape(-1)[0]
        if np.ndim(item) > 0:
            raise Wrong(wrong_key)  # a list or a table in the pair: not the two numbers asked for
        values.append(expect_number_item(item, n))
    return values[0], values[1]


def expect_exact_name(got, names) -> None:
    """Raise :class:`Wrong` when the text ``got`` is one of ``names`` only once the spaces typed around it
    and its capitals are set aside (``"sdot-101-01 "``, ``"Stuck"``): the message shows both, so a
    student sees the difference that "is not one of them" hides. Anything else is left to the checker.

    >>> try:
    ...     expect_exact_name("sdot-101-01 ", ["sdot-101-01", "sdot-102-01"])
    ... except Wrong as wrong:
    ...     print(wrong.text(lang="ko"))
    "sdot-101-01 "은 "sdot-101-01"과 거의 같아요. 자료에 쓰인 그대로 쓰세요(앞뒤 빈칸 없이, 대소문자도 그대로).
    """
    if not isinstance(got, str):
        return
    names = [str(n) for n in names]
    if got in names:
        return
    near = next((n for n in names if n.strip().casefold() == got.strip().casefold()), None)
    if near is not None:
        raise Wrong("check.name_spelling", got=got, name=near)


def expect_length(answer, expected: int) -> None:
    """Raise :class:`Wrong` unless ``answer`` has ``expected`` rows/items."""
    if len(answer) != expected:
        raise Wrong("check.wrong_length", expected=expected, got=len(answer))


def expect_columns(frame, expected) -> None:
    """Raise :class:`Wrong` naming the first expected column ``frame`` lacks, or any extra one."""
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise Wrong("check.missing_column", column=missing[0])
    extra = [c for c in frame.columns if c not in expected]
    if extra:
        raise Wrong("check.extra_column", column=extra[0])


def _labels(index):
    """The index's labels without categorical categories: a student who loaded other sites than
    the checker (or cast ``site_id`` to str) groups into the same labels over other categories."""
    import pandas as pd

    return index.astype(index.categories.dtype) if isinstance(index, pd.CategoricalIndex) else index


def _edge_runs(empty) -> tuple[int, int]:
    """How many values are empty at the start and at the end of a boolean mask."""
    import numpy as np

    if empty.all():
        return len(empty), 0
    return int(np.argmax(~empty)), int(np.argmax(~empty[::-1]))


def _compare_empty(got, want, labels, what: str, empty_reason: str) -> None:
    """Raise :class:`Wrong` saying where the empty (NaN) values of ``got`` and ``want`` differ.

    NaN is never printed as a value a student should give: the message says which values should be
    empty and why (``empty_reason``, a message key), or which of theirs are empty and should not be.
    """
    import numpy as np

    empty_got, empty_want = np.isnan(got), np.isnan(want)
    if (empty_got == empty_want).all():
        return
    start_want, end_want = _edge_runs(empty_want)
    start_got, end_got = _edge_runs(empty_got)
    i = int(np.argmax(empty_got != empty_want))
    if i < start_want or i >= len(want) - end_want:  # the empty run at an edge is off, as a window's is
        key = "check.empty_at_edges" if end_want else "check.empty_at_start"
        advice = "check.empty_centred" if end_got > end_want else "check.empty_count"
        raise Wrong(key, what=what, start=start_want, end=end_want, reason=empty_reason,
                    got_start=start_got, got_end=end_got, advice=advice)
    if empty_want[i]:
        raise Wrong("check.should_be_empty", what=what, label=str(labels[i]), got=float(got[i]), reason=empty_reason)
    raise Wrong("check.should_not_be_empty", what=what, label=str(labels[i]), expected=float(want[i]))


def _seoul_labels(answer, expected):
    """``answer`` labelled like ``expected`` when its time labels are the same wall-clock times without
    their time zone (``tz_localize(None)``: still right); :class:`Wrong` when they lost it otherwise."""
    import pandas as pd

    got, want = answer.index, expected.index
    if not (isinstance(got, pd.DatetimeIndex) and isinstance(want, pd.DatetimeIndex)
            and got.tz is None and want.tz is not None):
        return answer
    if got.equals(want.tz_localize(None)):
        return answer.set_axis(want)
    raise Wrong("check.time_zone_dropped", zone=str(want.tz))


def expect_series_close(answer, expected, what: str, rtol: float = 1e-3,
                        empty_reason: str = "check.empty_reason.no_value") -> None:
    """Raise :class:`Wrong` unless the Series ``answer`` matches ``expected`` (index and values).

    Empty (NaN) values are compared by position: ``empty_reason`` (a message key) says why the
    expected ones are empty, e.g. ``"check.empty_reason.window"`` for a rolling window not yet full.

    Examples
    --------
    >>> import pandas as pd
    >>> hours = pd.Series([10.0, 20, 30, 40])
    >>> try:
    ...     expect_series_close(hours.rolling(3, center=True).mean(), hours.rolling(3).mean(), "the mean",
    ...                         empty_reason="check.empty_reason.window")
    ... except Wrong as wrong:
    ...     print(wrong.text(lang="ko"))
    the mean: 처음 2개 값은 창(window)이 아직 다 차지 않아서 비어 있어야(NaN) 하는데, 답은 앞에서 1개, 끝에서 1개가 비어 있어요. 끝이 비는 것은 가운데 맞춘 창(center=True) 때문이에요. 이 문제의 창은 각 시각에서 끝나요.
    """
    import numpy as np

    expect_type(answer, type(expected))
    answer = _seoul_labels(answer, expected)
    if len(answer) != len(expected) and len(answer) == int(expected.notna().sum()) and expected.isna().any():
        raise Wrong("check.empty_dropped", n=int(expected.isna().sum()), reason=empty_reason)
    expect_length(answer, len(expected))
    if not _labels(answer.index).equals(_labels(expected.index)):
        if set(map(str, answer.index)) == set(map(str, expected.index)):
            raise Wrong("check.wrong_order")
        first = next(str(i) for i in expected.index if i not in answer.index)
        raise Wrong("check.wrong_index", label=first)
    try:
        got = answer.to_numpy(dtype=float)
    except (TypeError, ValueError, OverflowError):  # text, a list, a number too large for a float in a cell
        got = np.array([np.nan if empty_shown(v) else expect_number_item(v, str(k)) for k, v in answer.items()])
    want = expected.to_numpy(dtype=float)
    _compare_empty(got, want, expected.index, what, empty_reason)
    bad = ~np.isclose(got, want, rtol=rtol, equal_nan=True)
    if bad.any():
        i = int(np.argmax(bad))
        slip = unit_slip(got, want)
        if slip:
            raise Wrong("check.wrong_value_at_unit", what=what, label=str(expected.index[i]),
                        expected=float(want[i]), got=float(got[i]), advice=slip)
        digits = rounded_to(got, want)
        if digits is not None:
            raise Wrong("check.rounded_at", what=what, label=str(expected.index[i]), expected=float(want[i]),
                        got=float(got[i]), digits=digits)
        raise Wrong("check.wrong_value_at", what=what, label=str(expected.index[i]),
                    expected=float(want[i]), got=float(got[i]))

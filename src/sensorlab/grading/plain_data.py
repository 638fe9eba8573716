'''The plain data a student's values cross the sandbox as: :func:`encode` in the kernel, :func:`decode` outside.

The grader never touches a student's object. In the kernel, :func:`encode` describes a value as JSON:
``int``/``float``/``str``/``bool`` (a subclass becomes its exact value first, so a ``str`` whose ``==``
is always true is only its text), lists, dicts, numpy arrays and pandas Series/DataFrames; a
student's function as the calls it answered (:class:`Recorder`). Outside, :func:`decode` rebuilds
plain data from that, checking every dtype and shape; a function comes back as a :class:`Replay`
of its recorded calls, and any other object as :class:`Unsupported`, whose every use fails with a
sentence naming the variable and its type. :mod:`sensorlab.grading.verdict` decides the hidden tests
on what :func:`decode` gives.

Examples
--------
>>> data = encode({"peak": 7, "tags": ("a", "b"), "x": float("nan")})
>>> decode(data)["tags"], decode(data)["peak"]
(('a', 'b'), 7)
>>> class AlwaysEqual(str):
...     def __eq__(self, other):
...         return True
>>> decode(encode(AlwaysEqual("99"))) == "15", type(decode(encode(AlwaysEqual("99")))) is str
(False, True)
>>> decode(encode(object()), name="answer") == 1
Traceback (most recent call last):
...
TypeError: answer is a object: the grader checks only numbers, text, True/False, lists, dicts, numpy arrays and pandas Series/DataFrames
'''

from __future__ import annotations

import base64
import json
import math
import re
import sys

__all__ = ["encode", "decode", "Unsupported", "Recorder", "Replay", "call_key"]

_NUMERIC_KINDS = "biuf"


def _say(key: str, **values) -> str:
    """A message from the catalogue, in the language of the notebook being graded."""
    from sensorlab.messages import text

    return text(key, **values)



# ------------------------------------------------------------------ plain-data encoding

def _exact(value):
    """Plain ``bool``/``int``/``float``/``str`` from a value of that type or a subclass, else None."""
    kind = type(value)
    if kind in (bool, int, str) or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
    if isinstance(value, str):
        return str.__str__(value)  # the text itself, without the subclass's operators
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return _exact(float.__float__(value))
    return _MISSING


_MISSING = object()


def encode(value, _depth: int = 0):
    """A JSON-able description of ``value`` that :func:`decode` turns back into plain data.

    Never raises: an object it does not know becomes ``{"t": "unsupported", ...}``.
    """
    try:
        return _encode(value, _depth)
    except Exception as err:  # noqa: BLE001 - a hostile object's methods may raise anything
        return {"t": "unsupported", "type": f"{type(value).__name__} ({type(err).__name__})"}


def _encode(value, depth):
    plain = _exact(value)
    if plain is not _MISSING:
        return plain
    if depth > 20:
        return {"t": "unsupported", "type": "structure nested too deep"}
    kind = type(value)
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(v, depth + 1) for v in value]}
    if isinstance(value, tuple) and isinstance(getattr(kind, "_fields", None), tuple):
        # a NamedTuple (sensorlab.stats.ConfidenceInterval, ...): its fields, rebuilt by the grader
        return {"t": "record", "fields": [str.__str__(f) for f in kind._fields if isinstance(f, str)],
                "v": [encode(v, depth + 1) for v in tuple.__iter__(value)]}
    if kind in (set, frozenset):
        return {"t": "set", "v": [encode(v, depth + 1) for v in value]}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, Recorder):
        return {"t": "function", "calls": list(value.calls)}
    import datetime as dt

    if kind is dt.date:
        return {"t": "date", "v": value.isoformat()}
    numpy = sys.modules.get("numpy")
    pandas = sys.modules.get("pandas")
    if numpy is not None:
        if kind is numpy.ndarray:
            return _encode_array(numpy, value)
        if isinstance(value, numpy.generic) and value.dtype.kind in _NUMERIC_KINDS:
            return {"t": "npscalar", "dtype": value.dtype.str, "v": _exact(value.item())}
    if pandas is not None:
        if kind is pandas.Timestamp:
            return {"t": "timestamp", "ns": int(value.value), "tz": str(value.tz) if value.tz else None}
        if value is pandas.NaT:
            return {"t": "nat"}
        if kind is pandas.Timedelta:
            return {"t": "timedelta", "ns": int(value.value)}
        if kind is pandas.Series:
            return {"t": "series", "v": _encode_values(numpy, pandas, value), "index": encode(value.index, depth + 1),
                    "name": encode(value.name, depth + 1)}
        if kind is pandas.DataFrame:
            return {"t": "frame", "columns": encode(value.columns, depth + 1), "index": encode(value.index, depth + 1),
                    "v": [_encode_values(numpy, pandas, value.iloc[:, i]) for i in range(value.shape[1])]}
        if kind is pandas.MultiIndex:
            return {"t": "multiindex", "v": encode(list(value), depth + 1), "names": encode(list(value.names), depth + 1)}
        if isinstance(value, pandas.Index) and kind.__module__.split(".")[0] == "pandas":
            return {"t": "index", "v": _encode_values(numpy, pandas, value), "name": encode(value.name, depth + 1)}
    return {"t": "unsupported", "type": kind.__name__}


def _encode_array(numpy, array):
    if array.dtype.kind in _NUMERIC_KINDS:
        flat = numpy.ascontiguousarray(array)
        return {"t": "ndarray", "dtype": array.dtype.str, "shape": list(array.shape),
                "b64": base64.b64encode(flat.tobytes()).decode("ascii")}
    if array.dtype.kind in "mM":
        return {"t": "ndarray", "dtype": array.dtype.str, "shape": list(array.shape),
                "b64": base64.b64encode(numpy.ascontiguousarray(array.view("i8")).tobytes()).decode("ascii")}
    return {"t": "ndarray", "dtype": "object", "shape": list(array.shape),
            "v": [encode(v, 1) for v in array.ravel().tolist()]}


def _encode_values(numpy, pandas, values):
    """The values of a Series or Index, keeping time zones and categories."""
    dtype = values.dtype
    if isinstance(dtype, pandas.DatetimeTZDtype):
        return {"t": "tzvalues", "tz": str(dtype.tz),
                "v": _encode_array(numpy, values.to_numpy(f"datetime64[{getattr(dtype, 'unit', 'ns')}]"))}
    if isinstance(dtype, pandas.CategoricalDtype):
        return {"t": "categorical", "codes": _encode_array(numpy, numpy.asarray(values.cat.codes if hasattr(values, "cat")
                                                                                else values.codes)),
                "categories": encode(dtype.categories, 1), "ordered": bool(dtype.ordered)}
    return _encode_array(numpy, numpy.asarray(values))


# ------------------------------------------------------------------ decoding (grader side)

_ALLOWED_DTYPES = re.compile(r"[<>|=]?(b1|[iu][1248]|f[48]|[mM]8\[(ns|us|ms|s)\])\Z")


def decode(data, name: str = "a value"):
    """Plain Python/numpy/pandas objects from :func:`encode`'s description (nothing else)."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict:
        return Unsupported(name, type(data).__name__)
    tag = data.get("t")
    if tag == "float":
        return float(data["v"]) if data["v"] in ("nan", "inf", "-inf") else Unsupported(name, "float")
    if tag in ("list", "tuple", "set"):
        items = [decode(v, name) for v in data["v"]]
        return list(items) if tag == "list" else tuple(items) if tag == "tuple" else _set(items, name)
    if tag == "record":
        return _record(data, name)
    if tag == "dict":
        try:
            return {decode(k, name): decode(v, name) for k, v in data["v"]}
        except TypeError:
            return Unsupported(name, "dict with keys that are not plain values")
    if tag == "date":
        import datetime as dt

        return dt.date.fromisoformat(data["v"])
    if tag == "function":
        return Replay(name, data["calls"])
    if tag == "raised":
        return Unsupported(name, "error")
    if tag == "unsupported":
        return Unsupported(name, str(data.get("type", "?"))[:80])
    import numpy as np
    import pandas as pd

    if tag == "ndarray":
        return _decode_array(np, data, name)
    if tag == "npscalar" and _ALLOWED_DTYPES.match(data["dtype"]):
        return np.dtype(data["dtype"]).type(data["v"])
    if tag == "timestamp":
        stamp = pd.Timestamp(int(data["ns"]), unit="ns", tz="UTC")
        return stamp.tz_convert(data["tz"]) if data["tz"] else stamp.tz_localize(None)
    if tag == "nat":
        return pd.NaT
    if tag == "timedelta":
        return pd.Timedelta(int(data["ns"]), unit="ns")
    if tag == "series":
        return pd.Series(_decode_values(np, pd, data["v"], name), index=decode(data["index"], name),
                         name=decode(data["name"], name))
    if tag == "frame":
        columns = decode(data["columns"], name)
        frame = pd.concat([pd.Series(_decode_values(np, pd, v, name)) for v in data["v"]], axis=1) \
            if data["v"] else pd.DataFrame(index=range(0))
        frame.columns = columns
        frame.index = decode(data["index"], name)
        return frame
    if tag == "multiindex":
        return pd.MultiIndex.from_tuples(decode(data["v"], name), names=decode(data["names"], name))
    if tag == "index":
        return pd.Index(_decode_values(np, pd, data["v"], name), name=decode(data["name"], name))
    return Unsupported(name, str(tag)[:40])


def _record(data, name):
    """A named tuple of the grader's own making with the student's field names and plain values."""
    from collections import namedtuple

    fields = data["fields"]
    if (not all(isinstance(f, str) and f.isidentifier() and not f.startswith("_") for f in fields)
            or len(fields) != len(data["v"]) or len(set(fields)) != len(fields)):
        return Unsupported(name, "named tuple")
    return namedtuple("Record", fields)(*(decode(v, name) for v in data["v"]))


def _set(items, name):
    try:
        return set(items)
    except TypeError:
        return Unsupported(name, "set")


def _decode_array(np, data, name):
    shape = tuple(int(n) for n in data["shape"])
    if data["dtype"] == "object":
        array = np.empty(len(data["v"]), dtype=object)
        array[:] = [decode(v, name) for v in data["v"]]
        return array.reshape(shape)
    if not _ALLOWED_DTYPES.match(data["dtype"]):
        return Unsupported(name, f"array of {data['dtype']}")
    raw = base64.b64decode(data["b64"], validate=True)
    if "8[" in data["dtype"]:  # datetime64 / timedelta64, sent as int64
        return np.frombuffer(raw, dtype="<i8").view(data["dtype"].lstrip("<>|=")).reshape(shape).copy()
    return np.frombuffer(raw, dtype=np.dtype(data["dtype"])).reshape(shape).copy()


def _decode_values(np, pd, data, name):
    if data.get("t") == "tzvalues":
        values = _decode_array(np, data["v"], name)
        if isinstance(values, Unsupported):
            return values
        return pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(data["tz"])
    if data.get("t") == "categorical":
        categories = decode(data["categories"], name)
        return pd.Categorical.from_codes(_decode_array(np, data["codes"], name), categories=categories,
                                         ordered=bool(data["ordered"]))
    return _decode_array(np, data, name)


class Unsupported:
    """Stands for a student object the grader will not use: every use fails with a clear sentence."""

    def __init__(self, name: str, kind: str):
        object.__setattr__(self, "_why", _say("grading.verdict_unsupported", name=name, kind=kind))

    def _fail(self, *args, **kwargs):
        raise TypeError(object.__getattribute__(self, "_why"))

    def __getattr__(self, attr):
        self._fail()

    def __repr__(self):
        return "<not gradable>"


for _dunder in ("eq", "ne", "lt", "le", "gt", "ge", "bool", "len", "iter", "contains", "getitem", "call",
                "float", "int", "index", "abs", "neg", "add", "radd", "sub", "rsub", "mul", "rmul",
                "truediv", "rtruediv", "floordiv", "mod", "pow", "hash", "str", "format", "array"):
    setattr(Unsupported, f"__{_dunder}__", Unsupported._fail)


class Replay:
    """A student's function, outside the kernel: answers each call from the calls the kernel recorded."""

    def __init__(self, name: str, calls: list):
        self.name, self.answers = name, {}
        for key, result in calls:
            if isinstance(key, str):
                self.answers.setdefault(key, result)

    def __call__(self, *args, **kwargs):
        key = call_key(args, kwargs)
        if key not in self.answers:
            raise AssertionError(_say("grading.verdict_not_run", name=self.name))
        result = self.answers[key]
        if isinstance(result, dict) and result.get("t") == "raised":
            raise AssertionError(_say("grading.verdict_raised", name=self.name, error=str(result.get("type"))[:80]))
        return decode(result, f"the result of {self.name}")


def call_key(args, kwargs) -> str:
    """The text a call's arguments are recorded under (the same in the kernel and the grader)."""
    return json.dumps(encode([list(args), dict(sorted(kwargs.items()))]), sort_keys=True)



class Recorder:
    """Wraps a student's function in the kernel and records each call's arguments and result."""

    def __init__(self, function):
        self.function, self.calls = function, []

    def __call__(self, *args, **kwargs):
        key = call_key(args, kwargs)
        try:
            result = self.function(*args, **kwargs)
        except BaseException as err:
            self.calls.append([key, {"t": "raised", "type": type(err).__name__}])
            raise
        self.calls.append([key, encode(result)])
        return result


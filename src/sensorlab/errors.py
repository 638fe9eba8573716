"""Exceptions that tell a student or teacher what is wrong and where.

Every error raised on bad input names the file (or stream), the row or line, and
the column or field, so one broken file never leaves a class guessing.

Examples
--------
>>> err = DataFormatError("value is not a number", path="sdot.csv", row=12, column="pm25")
>>> print(err)
sdot.csv, row 12, column 'pm25': value is not a number
"""

from __future__ import annotations

from pathlib import Path


class SensorLabError(Exception):
    """Base class of every error this package raises on purpose."""


class DataFormatError(SensorLabError, ValueError):
    """A data file does not have the shape, encoding or values it should.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    path : str or Path, optional
        The file (or stream) it was found in.
    row : int, optional
        The 1-based data row (the header is row 0), or line number for text streams.
    column : str, optional
        The column or field name.
    """

    def __init__(self, message: str, *, path: str | Path | None = None,
                 row: int | None = None, column: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        where = []
        if self.path is not None:
            where.append(self.path)
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

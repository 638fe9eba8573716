"""Exceptions that tell a student or teacher what is wrong and where.

Every error raised on bad input names the file (or stream), the row or line, and
the column or field, so one broken file never leaves a class guessing.

Examples
--------
>>> err = DataFormatError("value is not a number", path="sdot.csv", row=12, column="pm25")
>>> print(err)
sdot.csv, row 12, column 'pm25': value is not a number

In a Korean session (``messages.set_language("ko")`` or ``SENSORLAB_LANG=ko``) the same error
reads in Korean: what kind of problem it is, and where, from the message catalogue
(``messages/errors.json``); the technical detail stays as raised.

>>> from sensorlab import messages
>>> messages.set_language("ko"); print(err); messages.set_language("en")
데이터 파일의 형식이나 값이 예상과 달라요.
sdot.csv, 12행, 'pm25' 열: value is not a number
"""

from __future__ import annotations

from pathlib import Path


class SensorLabError(Exception):
    """Base class of every error this package raises on purpose.

    Shown in the session's language: in Korean, a sentence saying what kind of problem it is
    (``errors.<ClassName>`` in the message catalogue, the nearest base class's if the class has
    none) above the detail.
    """

    def where(self, lang: str) -> str:
        """The detail line: the message as raised (subclasses add where it was found)."""
        return super().__str__()

    def __str__(self) -> str:
        from sensorlab import messages  # imported late: the catalogue must not import errors

        lang = messages.get_language()
        detail = self.where(lang)
        if lang == "en":
            return detail
        for cls in type(self).__mro__:
            if f"errors.{cls.__name__}" in messages.catalogue():
                return messages.text("errors.format", lang=lang, detail=detail,
                                     kind=messages.text(f"errors.{cls.__name__}", lang=lang))
        return detail


class ArgumentError(SensorLabError, ValueError):
    """An argument a function cannot work with (a negative seed, a date without a year), named
    with what it should be, before any work is done."""


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
        super().__init__(self.where("en"))

    def where(self, lang: str) -> str:
        """``file, row N, column 'x': message`` (in Korean: ``file, N행, 'x' 열: message``)."""
        from sensorlab import messages

        where = [] if self.path is None else [self.path]
        if self.row is not None:
            where.append(messages.text("errors.row", lang=lang, row=self.row))
        if self.column is not None:
            where.append(messages.text("errors.column", lang=lang, column=repr(self.column)))
        return f"{', '.join(where)}: {self.message}" if where else self.message

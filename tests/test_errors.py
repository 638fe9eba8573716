"""Errors a student can see read in the session's language, and say where the problem is."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import sensorlab
from sensorlab import messages
from sensorlab.errors import DataFormatError, SensorLabError


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _words_itself(cls) -> bool:
    """Whether the class (below SensorLabError) formats its own message in the session language."""
    return any("__str__" in k.__dict__ for k in cls.__mro__
               if k is not SensorLabError and issubclass(k, SensorLabError))


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    messages.set_language("ko")
    yield
    messages.set_language("en")


def test_every_error_class_reads_in_korean():
    """Each error class has its own Korean sentence, or words each message itself (KIT1 errors)."""
    for info in pkgutil.walk_packages(sensorlab.__path__, "sensorlab."):
        if ".grading" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    missing = [cls.__name__ for cls in {SensorLabError, *_all_subclasses(SensorLabError)}
               if f"errors.{cls.__name__}" not in messages.catalogue() and not _words_itself(cls)]
    assert missing == [], f"add errors.<Class> to src/sensorlab/messages/errors.json for {missing}"


def test_a_frame_error_reads_in_korean_above_its_detail(korean):
    from sensorlab.kit.frames import BadFrameChecksum

    err = BadFrameChecksum("checksum 0x01F3 != 0x01F4")
    kind, detail = str(err).split("\n")
    assert kind == messages.text("errors.BadFrameChecksum", lang="ko") and detail == "checksum 0x01F3 != 0x01F4"
    messages.set_language("en")
    assert str(err) == "checksum 0x01F3 != 0x01F4"


def test_a_data_error_says_file_row_and_column_in_korean(korean):
    err = DataFormatError("value is not a number", path="sdot.csv", row=12, column="pm25")
    assert str(err).splitlines()[1] == "sdot.csv, 12행, 'pm25' 열: value is not a number"
    assert err.message == "value is not a number"  # what the logger and files record stays stable

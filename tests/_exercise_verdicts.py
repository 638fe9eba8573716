"""Assertions shared by the tests of exercises where students write the method (04.3, 05.1, 05.5)."""

from sensorlab import check


def assert_passes(exercise: str, answer) -> None:
    """The answer passes the exercise's check."""
    result = check.evaluate(exercise, answer)
    assert result.status == "correct", result.text(lang="en")


def assert_told(exercise: str, answer, key: str) -> None:
    """The answer fails with the message ``key``, shown filled in and without code in both languages."""
    result = check.evaluate(exercise, answer)
    assert result.status == "wrong" and result.key == key, result.text(lang="en")
    for lang in ("en", "ko"):
        shown = result.text(lang=lang)
        assert "{" not in shown and "Traceback" not in shown, shown

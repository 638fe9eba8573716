"""Does every lesson exercise give the right feedback, in both languages, without leaking code?"""

from __future__ import annotations

import ast
import inspect
import json
import re
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sensorlab import check, messages  # noqa: E402
from sensorlab.datasets import load_city, stations  # noqa: E402
from sensorlab.explore import plausible  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src" / "sensorlab"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Each test starts in English with no override and no hints shown."""
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    messages.set_language("en")
    check._hints_shown.clear()
    yield
    messages.set_language("en")


@pytest.fixture(scope="module")
def city():
    return load_city()


@pytest.fixture(scope="module")
def clean(city):
    """The readings as module 03 uses them: impossible values hidden."""
    return plausible(city.readings)


@pytest.fixture(scope="module")
def rs(city, clean):
    return clean.merge(city.sites[["site_id", "kind", "district"]], on="site_id")


# --- the message catalogue ---------------------------------------------------------------

def test_every_message_has_english_and_korean_with_the_same_fields():
    """Can the Korean edition show every message, with the same {fields} filled in?"""
    for key, texts in messages.catalogue().items():
        assert set(texts) == {"en", "ko"}, key
        assert texts["en"].strip() and texts["ko"].strip(), key
        assert messages.fields(texts["en"]) == messages.fields(texts["ko"]), key


def test_message_keys_start_with_their_file_prefix():
    """Is each key defined in the file its prefix names, so parts never collide?"""
    for entry in resources.files("sensorlab.messages").iterdir():
        if entry.name.endswith(".json"):
            prefix = entry.name.removesuffix(".json") + "."
            for key in json.loads(entry.read_text(encoding="utf-8")):
                assert key.startswith(prefix), f"{entry.name}: {key}"


def test_duplicate_keys_across_files_are_refused(tmp_path, monkeypatch):
    """Does the catalogue refuse a key defined twice instead of picking one silently?"""
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text('{"x.y": {"en": "1", "ko": "1"}}', encoding="utf-8")
    monkeypatch.setattr(messages.resources, "files", lambda _pkg: tmp_path)
    messages.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="x.y"):
            messages.catalogue()
    finally:
        monkeypatch.undo()
        messages.catalogue.cache_clear()


def test_no_korean_is_hard_coded_in_student_facing_logic():
    """Are the checks, widgets and exercises free of Hangul (it all comes from the catalogue)?"""
    files = [SRC / "check.py", SRC / "widgets.py", SRC / "messages" / "__init__.py",
             *sorted((SRC / "exercises").glob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and id(n) not in docstrings]
        assert not [s for s in literals if HANGUL.search(s)], path


def test_language_comes_from_env_then_setting_then_english(monkeypatch):
    """Does SENSORLAB_LANG override set_language, which overrides the English default?"""
    assert messages.text("check.correct") == "Correct!"
    messages.set_language("ko")
    assert messages.text("check.correct") == "정답입니다!"
    monkeypatch.setenv("SENSORLAB_LANG", "en")
    assert messages.text("check.correct") == "Correct!"
    with pytest.raises(ValueError):
        messages.set_language("fr")


def test_unknown_message_key_is_named():
    with pytest.raises(KeyError, match="no.such.key"):
        messages.text("no.such.key")


# --- check.exercise / hint / solution ------------------------------------------------------

def test_feedback_never_shows_code_or_tracebacks(capsys):
    """Does a strange answer get a plain sentence, not the checker's source or a traceback?"""
    source_lines = [ln.strip() for ln in inspect.getsource(check.get_exercise("03.2-daily-mean").checker).splitlines()
                    if len(ln.strip()) > 25]

    class Weird:
        def __len__(self):
            raise RuntimeError("boom")

    for answer in (Weird(), "text", 3, pd.DataFrame()):
        shown = check.evaluate("03.2-daily-mean", answer).text()
        assert shown.startswith("❌ 03.2-daily-mean: ")
        assert "Traceback" not in shown and "boom" not in shown
        assert not any(line in shown for line in source_lines)
    check.exercise("03.2-daily-mean", Weird())
    printed = capsys.readouterr().out
    assert "❌" in printed and "Traceback" not in printed


def test_unanswered_placeholder_is_recognised():
    result = check.evaluate("00.1-hours-in-week", ...)
    assert result.status == "unanswered" and not result
    assert "replace the ..." in result.text()


def test_feedback_is_in_korean_when_asked(monkeypatch):
    monkeypatch.setenv("SENSORLAB_LANG", "ko")
    shown = check.evaluate("00.1-hours-in-week", 7).text()
    assert "아직 아니에요" in shown and "check.hint" in shown
    assert check.evaluate("00.1-hours-in-week", 168).text().endswith("정답입니다!")


def test_hints_come_one_at_a_time_then_run_out(capsys):
    check.hint("03.2-mean-by-district")
    check.hint("03.2-mean-by-district")
    out = capsys.readouterr().out
    assert "Hint 1 of 3" in out and "Hint 2 of 3" in out and "Hint 3" not in out
    check.hint("03.2-mean-by-district", 3)
    check.hint("03.2-mean-by-district")
    out = capsys.readouterr().out
    assert "Hint 3 of 3" in out and "No more hints" in out


def test_solution_raises_when_the_model_solution_is_wrong(capsys):
    """Would CI fail if a lesson's solution cell stopped passing its own check?"""
    with pytest.raises(AssertionError, match="00.1-hours-in-week"):
        check.solution("00.1-hours-in-week", 24 * 6)
    check.solution("00.1-hours-in-week", 24 * 7)
    assert "model solution" in capsys.readouterr().out


def test_unknown_exercise_is_a_friendly_message():
    assert "no exercise called" in check.evaluate("03.9-nothing", 1).text()
    with pytest.raises(ValueError):
        check.register("bad id")


# --- every registered exercise: a right answer passes, plausible wrong ones fail -----------

def _ref101(city, raw=False):
    r = city.readings if raw else plausible(city.readings)
    return r[r["site_id"] == "ref-101"]


def _axes(labelled=True, unit="Temperature (°C)", title="Jongno-gu, 2024", series=(4, 5, 6)):
    fig, ax = plt.subplots()
    ax.plot(range(len(series)), list(series))
    if labelled:
        ax.set_xlabel("Time (KST)")
        ax.set_ylabel(unit)
        ax.set_title(title)
    return ax


def _night_noise(rs):
    h = rs["timestamp"].dt.hour
    return rs[(h >= 22) | (h < 6)].groupby("district")["noise"].mean()


def _weekend_no2(rs):
    ref = rs[rs["kind"] == "reference"]
    wk = ref["timestamp"].dt.day_of_week >= 5
    return ref[~wk].groupby("district")["no2"].mean() - ref[wk].groupby("district")["no2"].mean()


def _cases(city, rs):
    ref = rs[rs["kind"] == "reference"]
    street = rs[rs["kind"] == "street"]
    hourly = _ref101(city).set_index("timestamp")["pm25"]
    temperature = _ref101(city).set_index("timestamp")["temperature"].resample("D").mean().to_numpy()
    raw_hourly = _ref101(city, raw=True).set_index("timestamp")["pm25"]
    raw_rs = city.readings.merge(city.sites[["site_id", "district"]], on="site_id")
    site_means = city.sites[["site_id", "lat", "lon"]].merge(
        rs.groupby("site_id", observed=True)["pm25"].mean().rename("pm25").reset_index(), on="site_id")
    mapo = city.sites[(city.sites["district"] == "Mapo-gu")]
    west = int((stations()["lon"] < 126.95).sum())
    from sensorlab.plotting import pm25_grade
    from sensorlab.widgets import week_of
    return {
        "00.1-my-district": ("Mapo-gu", ["Mapo", "Gotham", 3]),
        "00.1-hours-in-week": (168, [7, 24, 167]),
        "00.2-mean-of-list": (sum([12, 18, 25, 31, 9, 40, 19]) / 7, [154, 19]),
        "00.2-west-stations": (west, [west + 1, stations()[stations()["lon"] < 126.95]]),
        "00.2-grade-function": (pm25_grade, [lambda v: "good" if v < 15 else "moderate", "good"]),
        "00.3-street-share": (100 / 125, [80.0, 0.2]),
        "00.4-mapo-peak": (float(week_of(city, "Mapo-gu").max()), [float(week_of(city, "Mapo-gu").mean()),
                                                                   float(week_of(city, "Jongno-gu").max())]),
        "03.1-jongno-station": (_ref101(city)[["timestamp", "pm25"]],
                                [_ref101(city), city.readings[["timestamp", "pm25"]],
                                 city.readings[city.readings["site_id"] == "ref-102"][["timestamp", "pm25"]]]),
        "03.1-bad-hours": (int((ref["pm25"] > 35).sum()), [int((ref["pm25"] >= 35).sum()),
                                                           int((rs["pm25"] > 35).sum())]),
        "03.1-mapo-street-sites": (sorted(mapo.loc[mapo["kind"] == "street", "site_id"]),
                                   [sorted(mapo["site_id"]), sorted(mapo.loc[mapo["kind"] == "street", "site_id"])[::-1]]),
        "03.2-mean-by-district": (ref.groupby("district")["pm25"].mean().sort_values(ascending=False),
                                  [rs.groupby("district")["pm25"].mean().sort_values(ascending=False),
                                   ref.groupby("district")["pm25"].mean(),
                                   rs.groupby("site_id", observed=True)["pm25"].mean(),
                                   rs.groupby("district")["pm25"].median().sort_values(ascending=False),
                                   raw_rs[raw_rs["site_id"].astype(str).str.startswith("ref")]
                                   .groupby("district")["pm25"].mean().sort_values(ascending=False)]),
        "03.2-daily-mean": (hourly.resample("D").mean(), [hourly, hourly.resample("D").max(),
                                                          raw_hourly.resample("D").mean()]),
        "03.2-hour-of-day": (street.groupby(street["timestamp"].dt.hour)["pm25"].mean(),
                             [rs.groupby(rs["timestamp"].dt.hour)["pm25"].mean()]),
        "03.3-rolling-24h": (hourly.rolling(24).mean(), [hourly, hourly.rolling(3).mean()]),
        "03.3-labelled-plot": (_axes(series=temperature), [_axes(series=temperature, labelled=False),
                                                           _axes(series=temperature, unit="PM2.5"),
                                                           _axes(series=temperature, title=""), _axes()]),
        "03.4-site-means": (site_means, [site_means.drop(columns="lat"), site_means.assign(pm25=site_means["pm25"] + 1)]),
        "03.4-district-centres": (city.sites.groupby("district")[["lat", "lon"]].mean(),
                                  [city.sites.groupby("district")[["lat", "lon"]].median()]),
        "03.5-noisiest-district": (_night_noise(rs).idxmax(), [_night_noise(rs).idxmin(), "Nowhere-gu"]),
        "03.5-weekend-no2": (_weekend_no2(rs).sort_values(ascending=False),
                             [(-_weekend_no2(rs)).sort_values(ascending=False), _weekend_no2(rs)]),
    }


def test_every_registered_exercise_has_cases(city, rs):
    """Is no exercise left without a right and a wrong answer tested here?"""
    for module in ("m00", "m03"):
        __import__(f"sensorlab.exercises.{module}")
    mine = {k for k in check._REGISTRY if k[:2] in ("00", "03")}
    assert mine == set(_cases(city, rs))


def test_right_answers_pass_and_wrong_ones_fail(city, rs):
    for exercise_id, (right, wrongs) in _cases(city, rs).items():
        result = check.evaluate(exercise_id, right)
        assert result, result.text()
        for wrong in wrongs:
            result = check.evaluate(exercise_id, wrong)
            assert result.status == "wrong", (exercise_id, result.text())
            assert "Not yet." in result.text()
    plt.close("all")


def test_raw_readings_get_their_own_advice(city):
    """Does a student who forgot plausible() hear that, rather than a vague 'wrong value'?"""
    raw = city.readings.merge(city.sites[["site_id", "kind", "district"]], on="site_id")
    raw = raw[raw["kind"] == "reference"]
    answer = raw.groupby("district")["pm25"].mean().sort_values(ascending=False)
    assert "plausible" in check.evaluate("03.2-mean-by-district", answer).text()


def test_series_over_sites_loaded_another_way_is_accepted():
    """A student who loaded more sites (or cast ``site_id`` to str) and then grouped gets an index
    whose categories differ from the checker's lean load: the same labels must still pass."""
    day = {"start": "2024-03-01", "end": "2024-03-01", "truth": False}
    lean = load_city("pm25", sites=["ref-101", "ref-102"], **day).readings
    expected = lean.groupby("site_id")["pm25"].mean()
    whole = load_city("pm25", kind="reference", **day).readings
    mine = whole[whole["site_id"].isin(["ref-101", "ref-102"])].groupby("site_id")["pm25"].mean()
    check.expect_series_close(mine, expected, "mean")
    check.expect_series_close(mine.set_axis(mine.index.astype(str)), expected, "mean")
    with pytest.raises(check.Wrong) as wrong:
        check.expect_series_close(mine.iloc[::-1], expected, "mean")
    assert wrong.value.key == "check.wrong_order"

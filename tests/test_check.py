"""Does every lesson exercise give the right feedback, in both languages, without leaking code?"""

from __future__ import annotations

import ast
import inspect
import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from sensorlab import check, check_expect, check_wording, messages  # noqa: E402
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
    assert messages.text("check.correct") == "정답이에요!"
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
        assert shown.startswith("× 03.2-daily-mean: ")
        assert "Traceback" not in shown and "boom" not in shown
        assert not any(line in shown for line in source_lines)
    check.exercise("03.2-daily-mean", Weird())
    printed = capsys.readouterr().out
    assert "×" in printed and "Traceback" not in printed


def test_unanswered_placeholder_is_recognised():
    result = check.evaluate("00.1-hours-in-week", ...)
    assert result.status == "unanswered" and not result
    assert "replace the ..." in result.text()


def test_feedback_is_in_korean_when_asked(monkeypatch):
    monkeypatch.setenv("SENSORLAB_LANG", "ko")
    shown = check.evaluate("00.1-hours-in-week", 7).text()
    assert "아직 아니에요" in shown and "check.hint" in shown
    assert check.evaluate("00.1-hours-in-week", 168).text().endswith("정답이에요!")


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
    check_expect.expect_series_close(mine, expected, "mean")
    check_expect.expect_series_close(mine.set_axis(mine.index.astype(str)), expected, "mean")
    with pytest.raises(check_wording.Wrong) as wrong:
        check_expect.expect_series_close(mine.iloc[::-1], expected, "mean")
    assert wrong.value.key == "check.wrong_order"


# --- the type of an answer: what was wanted, what was given, in the student's words ----------

def _type_message(answer, wanted, lang="en"):
    with pytest.raises(check_wording.Wrong) as wrong:
        check_expect.expect_type(answer, wanted)
    return wrong.value.text(lang=lang)


def test_a_number_answer_of_the_wrong_kind_is_told_a_number_not_a_whole_number():
    """``expect_type(x, float)`` used to name ``int`` first: "should be a whole number"."""
    said = _type_message(pd.Series([12.5]), float)
    assert "one number (such as 12 or 12.5)" in said and "whole number" not in said
    assert "pandas Series" in said and ".iloc[0]" in said
    said = _type_message("12.5", float)
    assert 'the text "12.5"' in said and "without quotes" in said


def test_a_decimal_where_a_count_is_wanted_shows_the_value_and_why():
    said = _type_message(12.5, int)
    assert "a whole number (such as 12)" in said and "a number with a decimal point (12.5)" in said
    ko = _type_message(12.5, int, lang="ko")
    assert "정수(예: 12)여야" in ko and "소수점이 있는 수(12.5)예요" in ko


@pytest.mark.parametrize("answer, wanted", [
    (np.float32(2.5), float), (np.float64(2.5), float), (np.int64(3), float), (3, float), (np.array(2.5), float),
    (np.int64(12), int), (np.int32(12), int), (12.0, int), (np.float64(12.0), int), (np.array(12), int),
    (("Mapo-gu",), list), (np.array(["a", "b"]), list), (pd.Index(["a"]), list), (pd.Series(["a"]), list),
])
def test_every_form_of_a_right_answer_is_accepted(answer, wanted):
    check_expect.expect_type(answer, wanted)


@pytest.mark.parametrize("answer, wanted", [(True, int), (False, float), (np.bool_(True), float),
                                            (np.array([1.0, 2.0]), float), ("3", int), (np.zeros((2, 2)), list)])
def test_what_only_looks_like_a_right_answer_is_refused(answer, wanted):
    with pytest.raises(check_wording.Wrong):
        check_expect.expect_type(answer, wanted)


def test_no_exercise_asks_for_a_whole_number_where_its_answer_is_a_decimal():
    """Every checker's right answer (the lesson solutions run by CI) passes its own type check; here
    the checkers that take ``float`` say so to a wrong-typed answer, never 'a whole number'."""
    for module in ("m00", "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08"):
        __import__(f"sensorlab.exercises.{module}")
    told_whole, asked = [], 0
    for exercise_id, ex in check._REGISTRY.items():
        if not ex.checker.__module__.startswith("sensorlab.exercises."):
            continue  # check.py's doctest registers a 99.1 exercise when doctests run in this process
        kind = ex.kind.kind if isinstance(ex.kind, check_expect.OneNumber) else ex.kind
        if kind is float or "expect_type(answer, float)" in inspect.getsource(ex.checker):
            asked += 1
            result = check.evaluate(exercise_id, "twelve")
            if "whole number" in result.text(lang="en"):
                told_whole.append(exercise_id)
    assert told_whole == [] and asked >= 36  # the float checkers were found (by kind or in their source)


# --- empty (NaN) values are compared by position and explained, never shown as "nan" --------

def _rolling_feedback(answer):
    from sensorlab.exercises import m03
    result = check.evaluate("03.3-rolling-24h", answer(m03._station().set_index("timestamp")["pm25"]))
    assert result.status == "wrong"
    en, ko = result.text(lang="en"), result.text(lang="ko")
    assert "nan" not in en.lower().replace("(nan)", "") and "nan" not in ko.lower().replace("(nan)", "")
    return en, ko


def test_a_centred_rolling_mean_is_told_where_the_empty_values_belong():
    en, ko = _rolling_feedback(lambda hourly: hourly.rolling(24, center=True).mean())
    assert "the first 23 values should be empty (NaN) because the window is not full yet" in en
    assert "center=True" in en
    assert "처음 23개 값은 창(window)이 아직 다 차지 않아서 비어 있어야(NaN)" in ko and "이어야" not in ko


@pytest.mark.parametrize("answer, said", [
    (lambda hourly: hourly.rolling(24, min_periods=1).mean(), "yours has 0 empty values at the start"),
    (lambda hourly: hourly.rolling(12).mean(), "yours has 11 empty values at the start"),
    (lambda hourly: hourly.rolling(24).mean().dropna(), "You dropped the empty (NaN) values"),
])
def test_other_rolling_slips_are_named(answer, said):
    assert said in _rolling_feedback(answer)[0]


def test_an_empty_value_in_the_middle_is_named_by_its_label():
    want = pd.Series([1.0, 2.0, float("nan"), 4.0], index=list("abcd"))
    with pytest.raises(check_wording.Wrong) as wrong:
        check_expect.expect_series_close(want.fillna(3.0), want, "mean")
    assert wrong.value.key == "check.should_be_empty" and wrong.value.values["label"] == "c"
    with pytest.raises(check_wording.Wrong) as wrong:
        check_expect.expect_series_close(want.where(want.index != "b"), want, "mean")
    assert wrong.value.key == "check.should_not_be_empty" and wrong.value.values["label"] == "b"
    with pytest.raises(check_wording.Wrong) as wrong:
        check_expect.expect_close(float("nan"), 22.0, "mean")
    said = wrong.value.text(lang="ko")
    assert "22여야" in said and "nan" not in said.lower().replace("(nan)", "")


# --- marks every font has ------------------------------------------------------------------

#: Pictographs that need an emoji font (Linux school PCs often have none: they draw empty boxes).
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")
REPO = SRC.parents[1]


def test_the_marks_are_in_the_korean_font_the_set_up_installs_and_in_dejavu():
    from fontTools.ttLib import TTFont

    from sensorlab.plotting import use_korean_font  # noqa: F401 - the package's own Hangul font
    import matplotlib.font_manager as fm

    fonts = {"NanumGothic": Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
             "DejaVu Sans": Path(fm.findfont("DejaVu Sans", fallback_to_default=False))}
    fonts = {name: path for name, path in fonts.items() if path.exists()}
    if "NanumGothic" not in fonts:
        pytest.skip("fonts-nanum is not installed (python -m tools.setup_env --test installs it)")
    for name, path in fonts.items():
        cmap = TTFont(path).getBestCmap()
        missing = [m for m in (check.MARK_RIGHT, check.MARK_WRONG, check.MARK_HINT) if ord(m) not in cmap]
        assert missing == [], f"{name} has no glyph for {missing}"
        assert ord("✅") not in cmap  # the check above can fail: the old mark is in neither font


def test_no_student_or_teacher_text_needs_an_emoji_font():
    places = [*(SRC / "messages").glob("*.json"), *SRC.rglob("*.py"), *(REPO / "lessons").rglob("*.ipynb"),
              *(REPO / "lessons").rglob("*.md"), *(REPO / "grader" / "source").rglob("*.ipynb")]
    found = []
    for path in places:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if EMOJI.search(line):
                found.append(f"{path.relative_to(REPO)}:{n}: {EMOJI.findall(line)}")
    assert found == []
    assert check.evaluate("03.9-nothing", 1).text().startswith(check.MARK_WRONG)


# --- district names in either language, and the column order an exercise asks for ----------

def test_a_district_in_korean_or_without_its_ending_is_understood(rs):
    from sensorlab.datasets import stations

    noisiest = _night_noise(rs).idxmax()
    in_korean = stations().set_index("district").loc[noisiest, "district_ko"]
    in_korean = in_korean if isinstance(in_korean, str) else in_korean.iloc[0]
    assert check.evaluate("03.5-noisiest-district", in_korean), "the Korean name of the right district"
    assert check.evaluate("00.1-my-district", "은평구")
    for exercise_id in ("00.1-my-district", "03.5-noisiest-district"):
        result = check.evaluate(exercise_id, "마포")
        assert result.key == "m00.my_district.add_gu_ko" and "마포구" in result.text(lang="ko")
    other = check.evaluate("03.5-noisiest-district", "은평구" if noisiest != "Eunpyeong-gu" else "마포구")
    assert other.key == "m03.noisiest.not_max" and "25개 자치구가 아니" not in other.text(lang="ko")


def test_swapped_columns_are_told_the_order_the_exercise_asks_for(city):
    right = _ref101(city)[["timestamp", "pm25"]]
    assert check.evaluate("03.1-jongno-station", right)
    assert check.evaluate("03.1-jongno-station", right[["pm25", "timestamp"]]).key == "m03.jongno_station.column_order"


@pytest.mark.parametrize("typed", [
    unicodedata.normalize("NFD", "마포구"), "서울 마포구", "서울시 마포구", "서울특별시 마포구", "서울특별시마포구",
    "Seoul Mapo-gu", "Mapo gu", "mapo-Gu", "Mapogu", "마포 구", "마포구\u00a0", "Mapo‐gu", "“마포구”", "'마포구'",
])
def test_a_right_district_written_as_a_student_writes_it_is_accepted(typed):
    """A student's right answer was refused as "not one of Seoul's 25 districts": NFD Hangul (text
    pasted from a macOS file name), the city in front of the district as on a letter, a space for
    the hyphen, quotes typed inside the string."""
    from sensorlab.exercises._data import district_answer

    assert district_answer(typed) == "Mapo-gu"
    assert check.evaluate("00.1-my-district", typed), typed


def test_a_part_name_with_the_city_in_front_still_gets_the_hint_to_add_gu():
    for typed in ("서울 마포", "서울특별시 마포", unicodedata.normalize("NFD", "마포")):
        assert check.evaluate("00.1-my-district", typed).key == "m00.my_district.add_gu_ko", typed
    assert check.evaluate("00.1-my-district", "Seoul Mapo").key == "m00.my_district.add_gu"
    unknown = check.evaluate("00.1-my-district", unicodedata.normalize("NFD", "고담구")).text(lang="ko")
    assert "고담구\"는" in unicodedata.normalize("NFC", unknown) and "(는)" not in unknown


# --- empty, infinite and missing answers are named as such (attack on issue 14) -------------

NOT_A_DECIMAL = ("decimal point (nan", "decimal point (inf", "decimal point (-inf", "소수점이 있는 수(nan",
                 "소수점이 있는 수(inf", "NAType", "NaTType")


@pytest.mark.parametrize("answer, said_en, said_ko", [
    (float("nan"), "Your answer is empty (NaN)", "답이 비어 있어요(NaN)"),
    (np.float64("nan"), "Your answer is empty (NaN)", "답이 비어 있어요(NaN)"),
    (pd.NA, "Your answer is empty (NA)", "답이 비어 있어요(NA)"),
    (float("inf"), "Your answer is infinite (inf): did you divide by zero", "답이 무한대예요(inf)"),
    (-np.inf, "Your answer is infinite (-inf): did you divide by zero", "답이 무한대예요(-inf)"),
])
def test_an_empty_or_infinite_count_is_not_called_a_decimal(answer, said_en, said_ko):
    """A count that came out NaN (the sum of an empty Int64 column is NA, a mean of nothing is NaN)
    or inf (divided by a zero count) was told "a number with a decimal point (nan)" and "did you
    take a mean where you should count?": neither is true."""
    result = check.evaluate("00.2-west-stations", answer)
    en, ko = result.text(lang="en"), result.text(lang="ko")
    assert result.status == "wrong" and said_en in en and said_ko in ko, (en, ko)
    assert not any(bad in en + ko for bad in NOT_A_DECIMAL) and "count has no decimal" not in en


@pytest.mark.parametrize("answer", [pd.NA, pd.NaT, float("-inf")])
def test_an_empty_or_infinite_number_where_one_number_is_wanted(answer):
    result = check.evaluate("00.1-hours-in-week", answer)
    en, ko = result.text(lang="en"), result.text(lang="ko")
    assert result.status == "wrong" and ("empty" in en or "infinite" in en), en
    assert not any(bad in en + ko for bad in NOT_A_DECIMAL) and "`" not in en + ko, (en, ko)


@pytest.mark.parametrize("answer, said", [(float("nan"), "an empty value (NaN)"), (float("inf"), "infinity (inf)"),
                                          (pd.NA, "an empty value (NA)"), (pd.NaT, "an empty value (NaT)")])
def test_an_empty_value_where_a_table_is_wanted_is_named_in_the_students_terms(answer, said):
    en = check.evaluate("03.2-daily-mean", answer).text(lang="en")
    assert f"but it is {said}" in en, en
    ko = check.evaluate("03.2-daily-mean", answer).text(lang="ko")
    assert not any(bad in ko for bad in NOT_A_DECIMAL) and "(예요)" not in ko, ko


@pytest.mark.parametrize("exercise_id", ["05.1-o3-peak", "05.2-episodes", "05.2-dust-month"])
@pytest.mark.parametrize("answer", [float("nan"), float("inf"), pd.NA, pd.NaT, "twelve"])
def test_module_05_counts_check_the_kind_before_converting(exercise_id, answer):
    """int(answer) ran before the type check: NaN, inf, NA and text got "I could not check this
    answer: it is `float` (ValueError)" instead of saying what is wrong."""
    result = check.evaluate(exercise_id, answer)
    assert result.status == "wrong", result.text(lang="en")
    assert "`" not in result.text(lang="en") + result.text(lang="ko")


def test_a_short_series_for_weekend_no2_is_told_its_length():
    """np.allclose on arrays of different lengths raised ValueError: 'I could not check this answer'."""
    result = check.evaluate("03.5-weekend-no2", pd.Series([1.0, 2.0]))
    assert result.status == "wrong" and result.key == "check.wrong_length", result.text(lang="en")

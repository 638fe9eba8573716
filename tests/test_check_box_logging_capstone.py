"""Do the exercises of modules 01 (sensor box), 02 (logging) and 08 (capstone) accept a right answer
and give specific advice for plausible wrong ones?"""

from __future__ import annotations

import functools
import math
import tempfile

import numpy as np
import pandas as pd
import pytest

from sensorlab import check, messages, units
from sensorlab.exercises import m01, m02, m08
from sensorlab.kit import parse_line
from sensorlab.kit.readback import load_log


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    messages.set_language("en")
    yield


def _checksum(body):
    x = 0
    for c in body:
        x ^= ord(c)
    return f"{x:02X}"


def _m01():
    minute = m01.first_minute()
    parsed = [parse_line(x) for x in minute]
    temps = [p.fields["t"] for p in parsed if p.sensor == "sht40"]
    table = pd.DataFrame([{"seq": p.seq, "sensor": p.sensor, "status": p.status} for p in parsed])
    bad = [i for i, x in enumerate(m01.noisy_lines())
           if _checksum(x.strip()[1:x.index("*")]) != x.strip()[-2:]]
    line = m01.LINE.strip()
    return {
        "01.1-match-sensors": (m01.PRINCIPLES, [dict(m01.PRINCIPLES, pm25="B"), {"pm25": "A"}]),
        "01.1-humid-reading": ((m01.fog_reading(), "bad"), [(20.0, "bad"), (20 * units.humidity_growth(50), "bad"),
                                                          (m01.fog_reading(), "moderate"), m01.fog_reading()]),
        "01.1-pms-tolerance": (lambda pm: 10.0 if pm <= 100 else 0.1 * pm, [lambda pm: 10.0, lambda pm: 0.1 * pm, 10]),
        "01.2-seq-by-hand": (17, ["17", 3, 52000]),
        "01.2-temperatures": (temps, [temps[:-1], [str(t) for t in temps], [1.0] * len(minute)]),
        "01.2-line-table": (table, [table.drop(columns="status"), table.iloc[::-1].reset_index(drop=True)]),
        "01.3-xor-k-i": (2, [ord("K") + ord("I"), "2", 3]),
        "01.3-my-checksum": (_checksum, [lambda b: int(_checksum(b), 16), lambda b: _checksum(b).lower(),
                                         lambda b: _checksum(b[1:]), "15"]),
        "01.3-bad-lines": (bad, [[i + 1 for i in bad], bad[:-1], bad + [min(set(range(len(bad) + 1)) - set(bad))]]),
        "01.3-same-checksum": (line.replace("t=21.5", "t=12.5"),
                               [line, line.replace("t=21.5", "t=21.6"), line.replace("t=21.5", "t=12.5")[:-2] + "16"]),
        "01.4-f-to-c": ((m01.TEMPS_F - 32) * 5 / 9, [(m01.TEMPS_F - 32) * 9 / 5, m01.TEMPS_F - 32, m01.TEMPS_F]),
        "01.4-no2-ugm3": (units.ppm_to_ugm3(0.03, "no2"), [30.0, units.ppm_to_ugm3(0.03, "no2", temperature_c=0)]),
        "01.4-noise-leq": (units.db_mean(m01.NOISE_DBA), [float(np.mean(m01.NOISE_DBA)), max(m01.NOISE_DBA)]),
    }


def _m02():
    from sensorlab.kit.simulator import truth_frame

    truth = truth_frame(seed=1, duration_s=120, period_s=m02.PERIOD_S, engine="diurnal")
    n_lines = int(truth["valid"].sum())
    warm = int((truth_frame(seed=1, duration_s=300, period_s=m02.PERIOD_S, engine="diurnal")["status"] == "warmup").sum())
    utc = m02.UTC_TIMES
    long = m02.gaps_long()
    lines = long.drop_duplicates(["node_id", "boot_id", "seq"])
    per = lines.groupby("boot_id")["seq"].agg(["min", "max", "count"])
    missing = int((per["max"] - per["min"] + 1 - per["count"]).sum())
    gap = lines["timestamp"].sort_values().diff().dt.total_seconds().max()
    sent = per["max"] - per["min"] + 1
    share = (sent - per["count"]) / sent
    short = m02.short_long()
    sht = short[short["sensor"] == "sht40"]
    wide_sht = sht.pivot(index=["boot_id", "seq"], columns="parameter", values="value_hrf")
    with tempfile.TemporaryDirectory() as out:
        from sensorlab.live import provenance, record_simulation
        record_simulation(out, **m02.SHORT)
        wide = load_log(out).readings
        record = provenance(out)
    back = wide.melt(id_vars=["timestamp", "site_id"], value_vars=["pm25", "temperature"],
                     var_name="quantity", value_name="value")
    good_record = dict(record, observer="Class 2-3", location="window, facing the road")
    kst = pd.Timestamp(m02.ARRIVAL_UTC).tz_convert("Asia/Seoul")
    sdot_utc = pd.Timestamp("2025-01-07 09:00").tz_localize("Asia/Seoul").tz_convert("UTC")
    return {
        "02.1-lines-logged": (n_lines, [n_lines * 10, n_lines - 1]),
        "02.1-rows-per-pm-line": (12, [2, 1]),
        "02.2-warmup-count": (warm, [warm + 1, 0]),
        "02.2-pm-interval": (float(m02.PERIOD_S), [m02.PERIOD_S * 1000.0, m02.PERIOD_S / 2]),
        "02.3-to-kst": (kst, [kst.tz_localize(None), pd.Timestamp(m02.ARRIVAL_UTC),
                              pd.Timestamp("2025-01-06 23:30").tz_localize("Asia/Seoul")]),
        "02.3-kst-hours": (utc.dt.tz_convert("Asia/Seoul").dt.hour, [utc.dt.hour + 9, utc.dt.hour]),
        "02.3-sdot-to-utc": (sdot_utc, [pd.Timestamp("2025-01-07 09:00", tz="UTC"), pd.Timestamp("2025-01-07 00:00")]),
        "02.4-reboots": (lines["boot_id"].nunique() - 1, [lines["boot_id"].nunique(), 0]),
        "02.4-missing-lines": (missing, [int(per["max"].max() - per["count"].sum()), missing + 1]),
        "02.4-longest-gap": (float(gap), [float(gap) * 1000, float(gap) + 5]),
        "02.4-lost-per-boot": (share, [share * 100, sent - per["count"]]),
        "02.5-pivot": (wide_sht, [sht, short[short["sensor"] != "sys"].pivot_table(
            index=["boot_id", "seq"], columns="parameter", values="value_hrf")[["rh", "t"]]]),
        "02.5-melt": (back.dropna(subset=["value"]), [back, back.dropna().replace({"pm25": "pm10"})]),
        "02.5-provenance": (good_record, [record, dict(good_record, sha256={"a.csv": "123"}),
                                          dict(good_record, location="...")]),
    }


def _m08():
    from sensorlab.stats import bootstrap_ci

    station = m08.station_readings()
    wd = station[station["weekday"]]
    school = float(wd[wd["hour"].isin([7, 8])]["pm25"].mean())
    noon = float(wd[wd["hour"].isin([11, 12])]["pm25"].mean())
    everyday = float(station[station["hour"].isin([7, 8])]["pm25"].mean())
    diffs = m08.daily_difference_school_run()
    ci = bootstrap_ci(diffs.to_numpy(), seed=0)
    wd_hours = wd.set_index("timestamp")
    hourly_diff = (wd_hours[wd_hours["hour"].isin([7, 8])]["pm25"].to_numpy()[:len(diffs) * 2]
                   - wd_hours[wd_hours["hour"].isin([11, 12])]["pm25"].to_numpy()[:len(diffs) * 2])
    hci = bootstrap_ci(np.resize(hourly_diff, 20000), seed=0)
    log = m08.box_log().readings
    ok = log[log["status"] == "ok"].set_index("timestamp")["pm25"].resample("1h").mean()
    paired = m08.paired()
    bias = float((paired["box"] - paired["station"]).mean())
    slope, intercept = np.polyfit(paired["station"], paired["box"], 1)
    back = np.polyfit(paired["box"], paired["station"], 1)
    day = 86400
    sd = float(m08._daily_difference().std())
    return {
        "08.1-answerable": (["A", "C", "E"], [["A", "B", "C", "E"], ["A", "C"], "A C E F"]),
        "08.1-question-parts": ({"quantity": "noise", "place": "bus stop", "time": "07-09", "comparison": "weekends"},
                                [{"quantity": "noise", "place": "bus stop", "time": "07-09"},
                                 {"quantity": "dust", "place": "gate", "time": "07-09", "comparison": "noon"}]),
        "08.2-lines-per-day": (day // 10 * 2 + day // 60, [day // 10 * 2, day // 2 * 2 + day // 60]),
        "08.2-rows-per-day": (day // 10 * 16 + day // 60, [day // 10 * 2 + day // 60, day // 10 * 14 + day // 60]),
        "08.2-days-needed": (math.ceil(((1.96 + 0.84) * sd / 2) ** 2), [math.ceil((1.96 * sd / 2) ** 2), 7]),
        "08.3-school-run": (school, [everyday, noon]),
        "08.3-midday": (noon, [school]),
        "08.3-difference-ci": ((ci.estimate, ci.low, ci.high),
                               [(hci.estimate, hci.low, hci.high), (ci.estimate, ci.low), (-ci.estimate, ci.low, ci.high)]),
        "08.4-box-hourly": (ok, [log.set_index("timestamp")["pm25"], ok * 1.1, ok.iloc[1:]]),
        "08.4-bias": (bias, [-bias, float(paired["box"].mean())]),
        "08.4-correlation": (float(paired["box"].corr(paired["station"])), [0.5, 1.0]),
        "08.4-fit": (tuple(back), [(slope, intercept), (slope,), (1.0, bias)]),
    }


MODULES = {"01": _m01, "02": _m02, "08": _m08}


@functools.cache
def _cases(module):
    """A module's cases, built once (simulated logs, a recorded session) for the two tests below."""
    return MODULES[module]()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_registered_exercise_has_cases(module):
    registered = {k for k in check._REGISTRY if k[:2] == module}
    assert registered == set(_cases(module))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_right_answers_pass_and_wrong_ones_fail(module):
    for exercise_id, (right, wrongs) in _cases(module).items():
        result = check.evaluate(exercise_id, right)
        assert result, result.text()
        for wrong in wrongs:
            result = check.evaluate(exercise_id, wrong)
            assert result.status == "wrong", (exercise_id, wrong, result.text())
            assert "Not yet." in result.text()


def test_specific_advice_for_common_slips():
    assert "int(" in check.evaluate("01.2-seq-by-hand", "17").text()
    assert "XOR" in check.evaluate("01.3-xor-k-i", ord("K") + ord("I")).text()
    assert "29" in check.evaluate("02.3-kst-hours", m02.UTC_TIMES.dt.hour + 9).text()
    assert "weekends" in check.evaluate("08.3-school-run", float(
        m08.station_readings().query("hour in [7, 8]")["pm25"].mean())).text()
    messages.set_language("ko")
    assert "재부팅" in check.evaluate("02.4-reboots", int(m02.gaps_long()["boot_id"].nunique())).text()



def _box_slips():
    """08.4's slips a student types, each with a word its EN and KO feedback must hold, and right variants."""
    log = m08.box_log().readings
    ok = log[log["status"] == "ok"].set_index("timestamp")["pm25"]
    station = m08.class_box()[1].readings.set_index("timestamp")["pm25"]
    every = pd.DataFrame({"box": log.set_index("timestamp")["pm25"].resample("1h").mean(), "station": station}).dropna()
    paired = m08.paired()
    slips = [
        ("08.4-box-hourly", ok.resample("1D").mean(), ("per day", "하루")),
        ("08.4-bias", float((every["box"] - every["station"]).mean()), ("warm-up", "예열")),
        ("08.4-bias", float((paired["station"] - paired["box"]).mean()), ("wrong way round", "반대")),
        ("08.4-correlation", float(every["box"].corr(every["station"])), ("warm-up", "예열")),
        ("08.4-fit", tuple(np.polyfit(every["box"], every["station"], 1)), ("warm-up", "예열")),
        ("08.4-fit", tuple(np.polyfit(paired["station"], paired["box"], 1)), ("predict the station", "예측")),
    ]
    rights = [("08.4-box-hourly", ok.groupby(ok.index.floor("h")).mean()),
              ("08.4-bias", np.float64((paired["box"] - paired["station"]).mean())),
              ("08.4-fit", list(np.polyfit(paired["box"], paired["station"], 1)))]
    return slips, rights


@pytest.mark.parametrize("language", ["en", "ko"])
def test_box_vs_station_slips_are_named_in_both_languages(language):
    slips, rights = _box_slips()
    messages.set_language(language)
    for exercise_id, answer, words in slips:
        result = check.evaluate(exercise_id, answer)
        assert result.status == "wrong", (exercise_id, result.text())
        assert words[language == "ko"] in result.text(), (exercise_id, result.text())
    for exercise_id, answer in rights:
        result = check.evaluate(exercise_id, answer)
        assert result, (exercise_id, result.text())


def test_08_4_stays_on_the_class_network_when_the_students_own_log_is_set(tmp_path, monkeypatch):
    """SENSORLAB_MY_LOG names a student's own box (no simulation.json, no station): 08.4 is a worked example on the
    class network, so its box, its station and its checks still come from the class network, never a traceback."""
    from sensorlab.kit.classnet import record_class

    record_class(tmp_path, boxes=1, weeks=0.02, seed=3)
    (tmp_path / "simulation.json").unlink()
    monkeypatch.setenv("SENSORLAB_MY_LOG", str(tmp_path))
    m08.class_box.cache_clear()
    try:
        log, station = m08.class_box()
        assert station.sites["site_id"].tolist() == ["ref-101"]
        assert log.readings["timestamp"].max() - log.readings["timestamp"].min() > pd.Timedelta(days=7)
        for language in ("en", "ko"):
            messages.set_language(language)
            result = check.evaluate("08.4-bias", 1e6)
            assert result.status == "wrong", result.text(lang="en")
            assert "could not check" not in result.text(lang="en")
    finally:
        m08.class_box.cache_clear()


#: What students type for 01.1.b (the foggy morning), and a word the feedback must contain.
FOG_READING = m01.fog_reading()
FOG_ANSWERS = [
    ((20.0, "bad"), "true (dry) value"),
    ((20, "나쁨"), "true (dry) value"),
    ((FOG_READING / 20, "bad"), "growth factor alone"),
    ((FOG_READING - 20, "bad"), "only the extra"),
    ((20 / (FOG_READING / 20), "moderate"), "divided"),
    ((str(round(FOG_READING, 1)), "bad"), "a number"),
    ((20 * units.humidity_growth(50), "bad"), "should be"),
    ((FOG_READING, ...), "Now put the grade"),
    ((FOG_READING, "moderate"), "grade of the true air"),
    ((FOG_READING, "보통"), "grade of the true air"),
    ((FOG_READING, "good"), "compare it with the limits"),
    ((FOG_READING, "very bad"), "compare it with the limits"),
    ((FOG_READING, "매우 나쁨"), "compare it with the limits"),
    ((FOG_READING, 3), "text in quotes"),
    ((FOG_READING, "nappeum"), "not a grade"),
    (FOG_READING, "two values"),
]


@pytest.mark.parametrize("answer, advice", FOG_ANSWERS, ids=[str(i) for i in range(len(FOG_ANSWERS))])
def test_foggy_morning_tells_each_wrong_answer_what_is_wrong(answer, advice):
    result = check.evaluate("01.1-humid-reading", answer)
    assert result.status == "wrong" and advice in result.text(), result.text()


@pytest.mark.parametrize("grade", ["bad", "Bad", " BAD ", "나쁨", "bad.", "\"bad\""])
def test_foggy_morning_accepts_the_grade_as_students_write_it(grade):
    assert check.evaluate("01.1-humid-reading", (round(FOG_READING, 1), grade)), grade


def test_foggy_morning_question_has_its_answer_among_the_choices_and_changes_the_grade():
    from sensorlab.plotting import PM25_GRADES, pm25_grade

    assert pm25_grade(FOG_READING) in [en for _, en, *_ in PM25_GRADES]
    assert pm25_grade(FOG_READING) != pm25_grade(m01.FOG_TRUE_PM25)
    assert FOG_READING == pytest.approx(m01.FOG_TRUE_PM25 * units.humidity_growth(m01.FOG_RH))


def test_08_4_checks_the_class_networks_box_nearest_its_station():
    """08.4 runs on the class network (issue 15): its box is the one nearest the station, with a
    hidden gain from the S-DoT spread and the faults of the real logger, not a simulated box beside it."""
    import json

    from sensorlab.your_data import class_network_folder, my_data, nearest_station

    box, station = m08.class_box()
    network = my_data(resample=None)
    assert station.name == nearest_station(network).name
    one = station.sites.iloc[0]
    sites = network.sites.set_index("site_id")
    # distance on the ground (metres, equirectangular): computed here, not by the rule under test
    metres = np.hypot((sites["lat"] - one["lat"]) * 111_320.0,
                      (sites["lon"] - one["lon"]) * 111_320.0 * math.cos(math.radians(one["lat"])))
    assert box.name == metres.idxmin() and len(metres) > 1
    assert set(box.readings["site_id"]) == {box.name}
    assert len(box.readings) == int((network.readings["site_id"] == box.name).sum())
    assert {"ok", "err"} <= set(box.readings["status"])        # the logger's statuses, faults included
    units = json.loads((class_network_folder() / "simulation.json").read_text())["units"]
    assert box.name in {u["node_id"] for u in units}
    paired = m08.paired()
    assert paired.index.min() >= box.readings["timestamp"].min().floor("h")
    assert len(paired) > 24 * 7                                   # the class network's weeks, not three days

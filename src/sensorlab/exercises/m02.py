"""Checkers for module 02, Logging data.

Every log the lessons use comes from the seeded simulator, so the checker rebuilds the same log
(in a temporary directory, through the logger's own storage) and computes the answer from it.
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache

import pandas as pd

from sensorlab.check import register
from sensorlab.check_expect import expect_close, expect_columns, expect_length, expect_series_close
from sensorlab.check_wording import Wrong

#: The simulated box of lesson 02.1 and 02.2 (as URLs for the logger).
PERIOD_S = 10
URL_02_1 = "sim://?seed=1&speed=0&duration=120&period=10&engine=diurnal"
URL_02_2 = "sim://?seed=1&speed=100&duration=300&period=10&engine=diurnal"
#: Lesson 02.3's times.
ARRIVAL_UTC = "2025-01-06T23:30:00Z"
UTC_TIMES = pd.Series(pd.date_range("2025-01-06 20:00", periods=8, freq="h", tz="UTC"), name="timestamp")
SDOT_TIME = "2025-01-07_09:00:00"
#: Lesson 02.4's session: an hour with brownouts and damaged lines.
GAPS = {"seed": 7, "hours": 1.0, "faults": "power_loss:3,dropped_byte:0.01,bad_checksum:0.01"}
#: Lesson 02.5's session: six quiet minutes.
SHORT = {"seed": 5, "hours": 0.1}


@lru_cache(maxsize=4)
def _long(seed, hours, faults="none"):
    from sensorlab.kit.readback import read_long
    from sensorlab.live import record_simulation

    with tempfile.TemporaryDirectory() as out:
        record_simulation(out, seed=seed, hours=hours, faults=faults)
        return read_long(out)


def gaps_long():
    """The long log of lesson 02.4."""
    return _long(**GAPS)


def short_long():
    """The long log of lesson 02.5."""
    return _long(**SHORT)


def _sim_truth(seed, duration_s):
    from sensorlab.kit.simulator import truth_frame

    return truth_frame(seed=seed, duration_s=duration_s, period_s=PERIOD_S, engine="diurnal")  # counts do not depend on the air


@register("02.1-lines-logged", kind=int, hints=("m02.lines_logged.hint1", "m02.lines_logged.hint2"))
def lines_logged(answer):
    """How many lines the logger wrote from :data:`URL_02_1`."""
    truth = _sim_truth(1, 120)
    expected = int((truth["sent"] & truth["valid"]).sum())
    if answer > expected * 5:
        raise Wrong("m02.lines_logged.rows")
    expect_close(answer, expected, "m02.what.lines", rtol=0)


@register("02.1-rows-per-pm-line", kind=int, hints=("m02.rows_per_pm_line.hint1",))
def rows_per_pm_line(answer):
    """Rows of the long log per pms5003 line (one per parameter)."""
    from sensorlab.kit.protocol import SENSOR_KEYS

    expect_close(answer, len(SENSOR_KEYS["pms5003"]), "m02.what.rows", rtol=0)


@register("02.2-warmup-count", kind=int, hints=("m02.warmup_count.hint1", "m02.warmup_count.hint2"))
def warmup_count(answer):
    """How many readings of the box in lesson 02.2 say ``warmup``."""
    truth = _sim_truth(1, 300)
    expected = int((truth["status"] == "warmup").sum())
    expect_close(answer, expected, "m02.what.warmup", rtol=0)


@register("02.2-pm-interval", kind=float, level="university", hints=("m02.pm_interval.hint1", "m02.pm_interval.hint2"))
def pm_interval(answer):
    """The typical time between two PM readings, in seconds, from ``uptime_ms``."""
    if answer > 500:
        raise Wrong("m02.pm_interval.milliseconds")
    expect_close(answer, PERIOD_S, "m02.what.interval", rtol=0.03)


@register("02.3-to-kst", kind=pd.Timestamp, hints=("m02.to_kst.hint1", "m02.to_kst.hint2"))
def to_kst(answer):
    """:data:`ARRIVAL_UTC` as a Korea Standard Time timestamp."""
    if answer.tzinfo is None:
        raise Wrong("m02.to_kst.naive")
    if str(answer.tz) not in ("Asia/Seoul", "UTC+09:00"):
        raise Wrong("m02.to_kst.zone", zone=str(answer.tz))
    expected = pd.Timestamp(ARRIVAL_UTC).tz_convert("Asia/Seoul")
    if answer != expected:
        raise Wrong("m02.to_kst.moved", got=str(answer), expected=str(expected))


@register("02.3-kst-hours", kind=pd.Series, hints=("m02.kst_hours.hint1", "m02.kst_hours.hint2"))
def kst_hours(answer):
    """The hour of day in Seoul of each of :data:`UTC_TIMES`."""
    expected = UTC_TIMES.dt.tz_convert("Asia/Seoul").dt.hour
    expect_length(answer, len(expected))
    if (answer.to_numpy() == (UTC_TIMES.dt.hour + 9).to_numpy()).all():
        raise Wrong("m02.kst_hours.past_midnight")
    if (answer.to_numpy() == UTC_TIMES.dt.hour.to_numpy()).all():
        raise Wrong("m02.kst_hours.still_utc")
    expect_series_close(answer.reset_index(drop=True).astype(float).rename(None),
                        expected.reset_index(drop=True).astype(float).rename(None), "m02.what.hour")


@register("02.3-sdot-to-utc", kind=pd.Timestamp, level="university",
          hints=("m02.sdot_to_utc.hint1", "m02.sdot_to_utc.hint2"))
def sdot_to_utc(answer):
    """S-DoT's local-time stamp :data:`SDOT_TIME` as a UTC timestamp."""
    if answer.tzinfo is None:
        raise Wrong("m02.to_kst.naive")
    expected = pd.Timestamp("2025-01-07 09:00").tz_localize("Asia/Seoul").tz_convert("UTC")
    if answer == expected + pd.Timedelta(hours=9):
        raise Wrong("m02.sdot_to_utc.read_as_utc")
    if answer != expected:
        raise Wrong("m02.to_kst.moved", got=str(answer), expected=str(expected))


def _lines(long):
    return long.drop_duplicates(["node_id", "boot_id", "seq"])


@register("02.4-reboots", kind=int, hints=("m02.reboots.hint1", "m02.reboots.hint2"))
def reboots(answer):
    """How many times the box of lesson 02.4 rebooted during the session."""
    boots = gaps_long()["boot_id"].nunique()
    if answer == boots:
        raise Wrong("m02.reboots.boots")
    expect_close(answer, boots - 1, "m02.what.reboots", rtol=0)


def _missing_per_boot(long):
    lines = _lines(long)
    per = lines.groupby("boot_id")["seq"].agg(["min", "max", "count"])
    return per["max"] - per["min"] + 1 - per["count"], per


@register("02.4-missing-lines", kind=int, hints=("m02.missing_lines.hint1", "m02.missing_lines.hint2"))
def missing_lines(answer):
    """Lines lost inside boots: for each boot, max(seq) - min(seq) + 1 minus the lines logged."""
    missing, per = _missing_per_boot(gaps_long())
    if answer == int((per["max"] + 1 - per["count"]).sum()) and per["min"].min() > 0:
        raise Wrong("m02.missing_lines.from_zero")
    if answer == int(per["max"].max() - per["count"].sum()):
        raise Wrong("m02.missing_lines.per_boot")
    expect_close(answer, int(missing.sum()), "m02.what.missing", rtol=0)


@register("02.4-longest-gap", kind=float, hints=("m02.longest_gap.hint1", "m02.longest_gap.hint2"))
def longest_gap(answer):
    """The longest silence between two logged lines, in seconds."""
    times = pd.Series(gaps_long()["timestamp"].unique()).sort_values()
    expected = times.diff().dt.total_seconds().max()
    if answer > 1000:
        raise Wrong("m02.longest_gap.units")
    expect_close(answer, expected, "m02.what.gap", rtol=0, atol=1.0)


@register("02.4-lost-per-boot", kind=pd.Series, level="university",
          hints=("m02.lost_per_boot.hint1", "m02.lost_per_boot.hint2"))
def lost_per_boot(answer):
    """The share of lines lost in each boot, a Series indexed by boot_id."""
    missing, per = _missing_per_boot(gaps_long())
    expected = (missing / (per["max"] - per["min"] + 1)).astype(float)
    if (answer.to_numpy(float) > 1).any():
        raise Wrong("m02.lost_per_boot.percent")
    expect_series_close(answer.astype(float).rename(None), expected.rename(None), "m02.what.share")


@register("02.5-pivot", kind=pd.DataFrame, hints=("m02.pivot.hint1", "m02.pivot.hint2"))
def pivot(answer):
    """The sht40 rows of lesson 02.5's long log, wide: index (boot_id, seq), columns rh and t."""
    if "value_hrf" in answer.columns or "parameter" in answer.columns:
        raise Wrong("m02.pivot.still_long")
    long = short_long()
    sht = long[long["sensor"] == "sht40"]
    expected = sht.pivot(index=["boot_id", "seq"], columns="parameter", values="value_hrf")
    expect_columns(answer, list(expected.columns))
    if len(answer) == len(long[long["sensor"] != "sys"].drop_duplicates(["boot_id", "seq"])):
        raise Wrong("m02.pivot.all_sensors")
    expect_length(answer, len(expected))
    for column in expected.columns:
        expect_series_close(answer[column].astype(float).rename(None), expected[column].astype(float).rename(None), column)


@register("02.5-melt", kind=pd.DataFrame, level="university", hints=("m02.melt.hint1", "m02.melt.hint2"))
def melt(answer):
    """The tidy table of lesson 02.5 melted back to long: quantity, value (no NaN)."""
    from sensorlab.kit.readback import load_log
    from sensorlab.live import record_simulation

    for column in ("quantity", "value"):
        if column not in answer.columns:
            raise Wrong("check.missing_column", column=column)
    if answer["value"].isna().any():
        raise Wrong("m02.melt.nan")
    if set(answer["quantity"]) != {"pm25", "temperature"}:
        raise Wrong("m02.melt.quantities", got=", ".join(sorted(map(str, set(answer["quantity"])))))
    with tempfile.TemporaryDirectory() as out:
        record_simulation(out, **SHORT)
        wide = load_log(out).readings
    expect_length(answer, int(wide[["pm25", "temperature"]].notna().sum().sum()))


_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


@register("02.5-provenance", kind=dict, hints=("m02.provenance.hint1", "m02.provenance.hint2"))
def provenance_record(answer):
    """A provenance dict: the package's record plus who logged and where the box stood."""
    for key in ("observer", "location"):
        value = answer.get(key)
        if not isinstance(value, str) or not value.strip() or value.strip() == "...":
            raise Wrong("m02.provenance.missing", name=key)
    for key in ("port", "first_utc", "last_utc", "software", "sha256"):
        if key not in answer:
            raise Wrong("m02.provenance.package_keys", name=key)
    if not str(answer["first_utc"]).endswith("Z"):
        raise Wrong("m02.provenance.utc")
    sha = answer["sha256"]
    if not isinstance(sha, dict) or not sha or not all(_HEX64.match(str(v)) for v in sha.values()):
        raise Wrong("m02.provenance.sha")

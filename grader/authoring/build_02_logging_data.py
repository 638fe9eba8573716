"""Write assignment 02 (logging data) in English and Korean (commit the notebooks it writes).

    .venv/bin/python grader/authoring/build_02_logging_data.py

writes grader/source/02-logging-data/02-logging-data.ipynb and the Korean release grader/source-
ko/02-logging-data/02-logging-data.ipynb from ``CELLS`` below, where the code is written once and
every student-facing text is a ``{t:key}`` whose English and Korean wording sit beside this file in
``build_02_logging_data.en.toml`` and ``build_02_logging_data.ko.toml``; nothing is written unless
the two editions mirror each other.

The data is a one-hour log that the setup cell records with the real logger from the box
simulator (as lessons 02.x do), deterministically. Each student's box is different: its seed
and its fault pattern (how often the power fails, what damages lines) come from the student
id (sensorlab.grading.variants.pick). The hidden tests record that student's log again
themselves, so a neighbour's numbers fail.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # tools/ (repository tooling) when run as a script
from tools.grading_authoring import answer, bilingual, markdown, setup, tests, write_editions, written  # noqa: E402

NAME = "02-logging-data"
COURSE = REPO / "grader"

# 23:30 Seoul time: the hour of logging crosses midnight in Seoul but not in UTC.
START = "2025-01-06T14:30:00Z"

PATTERNS = ["power_loss:3,dropped_byte:0.01,warmup", "power_loss:3,bad_checksum:0.02,warmup",
            "power_loss:3,unplug:2,bad_checksum:0.01,warmup", "power_loss:4,dropped_byte:0.02,late:0.01,warmup"]

SEEDS = "[str(s) for s in range(1, 61)]"

# Hidden tests record the student's box again, from the id, never from variables in the notebook.
EXPECTED = f'''import tempfile as _tempfile
from pathlib import Path as _Path
from sensorlab.grading.variants import pick as _pick, student_id as _student_id
from sensorlab.kit.readback import load_log as _load_log, read_long as _read_long
from sensorlab.live import record_simulation as _record
_log = _Path(_tempfile.mkdtemp(prefix="sensorlab-a02-check-"))
_record(_log, seed=int(_pick(_student_id(), {SEEDS}, salt="{NAME}")), hours=1,
        faults=_pick(_student_id(), {PATTERNS!r}, salt="{NAME}-faults"), start="{START}")
_long = _read_long(_log)
_lines = _long.drop_duplicates(["node_id", "boot_id", "seq"]).reset_index(drop=True)'''

CELLS = [
    markdown("intro", "{t:intro}"),
    setup("record_log", '''import tempfile
from pathlib import Path

import pandas as pd

from sensorlab import live
from sensorlab.grading.variants import pick, student_id
from sensorlab.kit.readback import load_log, read_long

# {t:your_box_its_seed_and}
SEED = int(pick(student_id(), ''' + SEEDS + ''', salt="02-logging-data"))
FAULTS = pick(student_id(), ''' + repr(PATTERNS) + ''', salt="02-logging-data-faults")
LOG = Path(tempfile.mkdtemp(prefix="sensorlab-a02-"))
live.record_simulation(LOG, seed=SEED, hours=1, faults=FAULTS, start="''' + START + '''")
long = read_long(LOG)
lines = long.drop_duplicates(["node_id", "boot_id", "seq"]).reset_index(drop=True)
wide = load_log(LOG).readings
print("{t:your_box_seed}", SEED, "{t:faults}", FAULTS)
print("{t:log_folder}", LOG, "{t:files}", sorted(p.name for p in LOG.iterdir()))'''),
    markdown("q1_prompt", "{t:q1_prompt}"),
    answer("rejected", '''### BEGIN SOLUTION
rejected = len(pd.read_csv(LOG / "rejects.csv"))
### END SOLUTION'''),
    tests("test_rejected_lines", '''"""{t:test_rejected_lines}"""
assert int(rejected) == rejected and rejected >= 0, "{t:rejected_should_be_a_whole}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import csv as _csv
with open(_log / "rejects.csv", encoding="utf-8", newline="") as _f:
    _want = sum(1 for _ in _csv.DictReader(_f))
assert rejected == _want, "{t:not_the_number_of_rejected}"
### END HIDDEN TESTS''', 1),
    answer("pm25_ok_mean", '''### BEGIN SOLUTION
pm25_ok_mean = wide.loc[wide["status"] == "ok", "pm25"].mean()
### END SOLUTION'''),
    tests("test_pm25_ok_mean", '''"""{t:test_pm25_ok_mean}"""
assert 0 < float(pm25_ok_mean) < 500, "{t:a_pm2_5_mean_in}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_pm = _long[(_long["parameter"] == "pm25_atm") & (_long["status"] == "ok")]
_pm = _pm.drop_duplicates(["node_id", "boot_id", "seq"])
assert abs(float(pm25_ok_mean) - _pm["value_hrf"].mean()) < 1e-6, "{t:not_the_mean_of_your}"
### END HIDDEN TESTS''', 2),
    markdown("q2_prompt", "{t:q2_prompt}"),
    answer("first_kst", '''### BEGIN SOLUTION
first_kst = lines["timestamp"].iloc[0].tz_convert("Asia/Seoul")
### END SOLUTION'''),
    tests("test_first_kst", '''"""{t:test_first_kst}"""
assert str(first_kst.tz) == "Asia/Seoul", "{t:convert_to_asia_seoul_tz}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import pandas as _pd
assert _pd.Timestamp(first_kst) == _lines["timestamp"].iloc[0], "{t:not_the_same_moment_as}"
### END HIDDEN TESTS''', 1),
    answer("lines_per_date", '''### BEGIN SOLUTION
lines_per_date = lines["timestamp"].dt.tz_convert("Asia/Seoul").dt.date.value_counts().sort_index()
### END SOLUTION'''),
    tests("test_lines_per_seoul_date", '''"""{t:test_lines_per_seoul_date}"""
assert int(lines_per_date.sum()) == len(lines), "{t:every_line_belongs_to_exactly}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_dates = _lines["timestamp"].dt.tz_convert("Asia/Seoul").dt.strftime("%Y-%m-%d")
_want = {d: int((_dates == d).sum()) for d in sorted(set(_dates))}
_got = {str(k)[:10]: int(v) for k, v in lines_per_date.items()}
assert _got == _want, "{t:the_counts_per_seoul_date}"
assert [str(k)[:10] for k in lines_per_date.index] == sorted(_want), "{t:sort_the_dates}"
### END HIDDEN TESTS''', 2),
    markdown("q3_prompt", "{t:q3_prompt}"),
    answer("reboots", '''### BEGIN SOLUTION
reboots = int(lines["boot_id"].nunique() - 1)
### END SOLUTION'''),
    tests("test_reboots", '''"""{t:test_reboots}"""
assert int(reboots) == reboots and reboots >= 0
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert reboots == len(set(_lines["boot_id"])) - 1, "{t:not_your_box_s_number}"
### END HIDDEN TESTS''', 1),
    answer("missing_lines", '''### BEGIN SOLUTION
per_boot = lines.groupby("boot_id")["seq"].agg(["min", "max", "count"])
missing_lines = int((per_boot["max"] - per_boot["min"] + 1 - per_boot["count"]).sum())
### END SOLUTION'''),
    tests("test_missing_lines", '''"""{t:test_missing_lines}"""
assert int(missing_lines) == missing_lines and missing_lines >= 0, "{t:a_count_of_lines_is}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = 0
for _boot in set(_lines["boot_id"]):
    _seq = _lines.loc[_lines["boot_id"] == _boot, "seq"]
    _want += int(_seq.max()) - int(_seq.min()) + 1 - len(_seq)
assert missing_lines == _want, "{t:not_the_number_of_lines}"
### END HIDDEN TESTS''', 2),
    answer("longest_silence_s", '''### BEGIN SOLUTION
longest_silence_s = lines["timestamp"].sort_values().diff().dt.total_seconds().max()
### END SOLUTION'''),
    tests("test_longest_silence", '''"""{t:test_longest_silence}"""
assert 5 < float(longest_silence_s) < 3600, "{t:in_seconds_more_than_one}"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_t = sorted(_lines["timestamp"])
_want = max((b - a).total_seconds() for a, b in zip(_t, _t[1:]))
assert abs(float(longest_silence_s) - _want) < 1e-6, "{t:not_your_box_s_longest}"
### END HIDDEN TESTS''', 1),
    markdown("q4_prompt", "{t:q4_prompt}"),
    answer("sht_wide", '''### BEGIN SOLUTION
sht = long[(long["sensor"] == "sht40") & long["parameter"].isin(["t", "rh"])]
sht_wide = sht.pivot(index=["boot_id", "seq"], columns="parameter", values="value_hrf")
### END SOLUTION'''),
    tests("test_sht_wide", '''"""{t:test_sht_wide}"""
assert list(sht_wide.index.names) == ["boot_id", "seq"], "{t:index_by_boot_id_and}"
assert {"t", "rh"} <= set(sht_wide.columns)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_s = _long[(_long["sensor"] == "sht40") & _long["parameter"].isin(["t", "rh"])]
_s = _s.drop_duplicates(["boot_id", "seq", "parameter"])
assert set(sht_wide.columns) == {"t", "rh"}, "{t:only_the_columns_t_and}"
assert len(sht_wide) == len(_s.drop_duplicates(["boot_id", "seq"])), "{t:one_row_per_temperature_line}"
for _p in ("t", "rh"):
    _want = {(int(b), int(q)): v for b, q, v in _s.loc[_s["parameter"] == _p, ["boot_id", "seq", "value_hrf"]].itertuples(index=False)}
    _got = {(int(b), int(q)): v for (b, q), v in sht_wide[_p].items()}
    assert _got.keys() == _want.keys() and _np.allclose([_got[k] for k in _want], list(_want.values()), equal_nan=True), \\
        "{t:the_values_differ_from_your}"
### END HIDDEN TESTS''', 2),
    markdown("q5_prompt", "{t:q5_prompt}"),
    written("q5_district_office", "{t:q5_district_office}", 3),
]
build = bilingual(NAME, CELLS, __file__)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

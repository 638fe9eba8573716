"""Write assignment 02 (logging data) in English and Korean (commit all three files).

    .venv/bin/python grader/authoring/build_02_logging_data.py

writes grader/source/02-logging-data/02-logging-data.ipynb and the Korean release
grader/source-ko/02-logging-data/02-logging-data.ipynb from one ``build(lang)``.

The data is a one-hour log that the setup cell records with the real logger from the box
simulator (as lessons 02.x do), deterministically. Each student's box is different: its seed
and its fault pattern (how often the power fails, what damages lines) come from the student
id (sensorlab.grading.variants.pick). The hidden tests record that student's log again
themselves, so a neighbour's numbers fail.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "02-logging-data"
COURSE = Path(__file__).resolve().parents[1]
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


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    def doc(en: str, ko: str) -> str:
        return f'"""{T(en, ko)}"""'

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 02 — Logging data

The setup cell below runs the real logger (the same code as `sensorlab log`) on **your own
simulated sensor box** for one hour, starting at 23:30 Seoul time. Your box has its own
faults, picked from your student id: its power fails now and then, and some lines are damaged
on the way, so your numbers are not your neighbour's.

The logger wrote a folder `LOG` with the day file(s), `rejects.csv` and `events.csv`. The cell
also gives you three tables:

- `long` — the long format, exactly as logged: one row per value, `timestamp` = arrival time
  in **UTC**;
- `lines` — one row per KIT1 line (`long` without repeats of the same `boot_id`, `seq`);
- `wide` — the wide format, `load_log(LOG).readings`: one row per sensor line, Seoul time,
  columns `uptime_ms`, `status`, `pm25`, `pm10`, `temperature`, `humidity`.

Run the test cell under each answer to check it; more checks run when your teacher grades it.
Do not change the test cells or the setup cell.""", """# 과제 02 — 데이터 기록하기

아래 준비 셀은 진짜 로거(logger, `sensorlab log`와 같은 코드)를 **여러분만의 가상 센서 상자**에
연결해 한국 표준시(KST) 23:30부터 한 시간 동안 기록해요. 여러분의 상자는 학번에서 고른
고장을 가지고 있어요. 가끔 전원이 나가고, 오는 길에 망가지는 줄도 있어요. 그래서 여러분의
숫자는 옆 친구의 숫자와 달라요.

로거는 `LOG` 폴더에 날짜별 파일, `rejects.csv`, `events.csv`를 썼어요. 준비 셀은 표 세 개도
만들어 줘요.

- `long` — 기록된 그대로의 긴 형식(long format): 값 하나가 한 행, `timestamp`는 **협정 세계시(UTC)**
  로 적힌 도착 시각;
- `lines` — KIT1 줄 하나가 한 행(`long`에서 같은 `boot_id`, `seq`가 반복되는 행을 뺀 것);
- `wide` — 넓은 형식(wide format)인 `load_log(LOG).readings`: 센서 줄 하나가 한 행, 한국 표준시,
  열은 `uptime_ms`, `status`, `pm25`, `pm10`, `temperature`, `humidity`.

답마다 아래에 있는 테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를 더 해요.
테스트 셀과 준비 셀은 고치지 마세요.""")),
        setup("record_log", korean_setup + f"""import tempfile
from pathlib import Path

import pandas as pd

from sensorlab import live
from sensorlab.grading.variants import pick, student_id
from sensorlab.kit.readback import load_log, read_long

# {T("your box: its seed and its faults come from your student id", "내 상자: 시드와 고장은 학번에서 정해져요")}
SEED = int(pick(student_id(), {SEEDS}, salt="{NAME}"))
FAULTS = pick(student_id(), {PATTERNS!r}, salt="{NAME}-faults")
LOG = Path(tempfile.mkdtemp(prefix="sensorlab-a02-"))
live.record_simulation(LOG, seed=SEED, hours=1, faults=FAULTS, start="{START}")
long = read_long(LOG)
lines = long.drop_duplicates(["node_id", "boot_id", "seq"]).reset_index(drop=True)
wide = load_log(LOG).readings
print({T('"Your box: seed", SEED, "| faults:", FAULTS', '"내 상자: 시드", SEED, "| 고장:", FAULTS')})
print({T('"Log folder:", LOG, "| files:", sorted(p.name for p in LOG.iterdir())',
         '"기록 폴더:", LOG, "| 파일:", sorted(p.name for p in LOG.iterdir())')})"""),
        markdown("q1_prompt", T("""## Q1. What the logger wrote (3 points)

a) `rejected`: how many lines did the logger **reject** (damaged, cut off)? The logger writes
each one to `rejects.csv` in `LOG`; give the count as an `int`.

b) `pm25_ok_mean`: the mean PM2.5 (µg/m³) of the lines of `wide` whose `status` is `"ok"`.
After every power-on the dust sensor warms up for about 30 s and its lines say `warmup`:
keep them in the log, but leave them out of the mean.""", """## Q1. 로거가 기록한 것 (3점)

a) `rejected`: 로거가 **거부한** 줄(망가지거나 잘린 줄)은 몇 개인가요? 로거는 그런 줄을 모두
`LOG` 안의 `rejects.csv`에 써요. 개수를 `int`로 구하세요.

b) `pm25_ok_mean`: `wide`에서 `status`가 `"ok"`인 줄의 초미세먼지(PM2.5) 평균(µg/m³).
전원이 켜질 때마다 먼지 센서는 30초쯤 예열(warm-up)하고, 그동안의 줄에는 `warmup`이라고 적혀요.
그 줄은 기록에는 남기되 평균에서는 빼세요.""")),
        answer("rejected", """### BEGIN SOLUTION
rejected = len(pd.read_csv(LOG / "rejects.csv"))
### END SOLUTION"""),
        tests("test_rejected_lines", doc("rejected counts the lines in rejects.csv.",
                                         "rejected가 rejects.csv의 줄 수인지 확인해요.") + '''
assert int(rejected) == rejected and rejected >= 0, "''' + T("rejected should be a whole number",
                                                             "rejected는 0 이상의 정수여야 해요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import csv as _csv
with open(_log / "rejects.csv", encoding="utf-8", newline="") as _f:
    _want = sum(1 for _ in _csv.DictReader(_f))
assert rejected == _want, "''' + T("not the number of rejected lines of your box",
                                   "내 상자에서 거부된 줄 수가 아니에요") + '''"
### END HIDDEN TESTS''', 1),
        answer("pm25_ok_mean", """### BEGIN SOLUTION
pm25_ok_mean = wide.loc[wide["status"] == "ok", "pm25"].mean()
### END SOLUTION"""),
        tests("test_pm25_ok_mean", doc("pm25_ok_mean is the mean PM2.5 of the ok lines, warm-up left out.",
                                       "pm25_ok_mean이 예열 줄을 뺀 ok 줄의 PM2.5 평균인지 확인해요.") + '''
assert 0 < float(pm25_ok_mean) < 500, "''' + T("a PM2.5 mean in µg/m³ is expected", "µg/m³ 단위의 PM2.5 평균이어야 해요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_pm = _long[(_long["parameter"] == "pm25_atm") & (_long["status"] == "ok")]
_pm = _pm.drop_duplicates(["node_id", "boot_id", "seq"])
assert abs(float(pm25_ok_mean) - _pm["value_hrf"].mean()) < 1e-6, "''' + T(
            "not the mean of your box's ok lines (warm-up left in? another box?)",
            "내 상자의 ok 줄 평균이 아니에요(예열 줄이 들어갔거나 다른 상자인가요?)") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q2_prompt", T("""## Q2. UTC and Korea Standard Time (3 points)

The logger stamps every line with its arrival time in UTC; Seoul is UTC+9 all year.

a) `first_kst`: the arrival time of the **first row of `lines`** as a Seoul-time timestamp
(`Asia/Seoul`).

b) `lines_per_date`: how many rows of `lines` arrived on **each Seoul calendar date** — a
Series indexed by the date (e.g. `2025-01-06`), sorted by date. Hint: `.dt.tz_convert(...)`,
`.dt.date`, `.value_counts()`.""", """## Q2. 협정 세계시(UTC)와 한국 표준시 (3점)

로거는 줄마다 도착 시각을 UTC로 적어요. 서울의 한국 표준시(KST)는 일 년 내내 UTC+9예요.

a) `first_kst`: **`lines`의 첫 행**이 도착한 시각을 한국 표준시(`Asia/Seoul`) 타임스탬프로 구하세요.

b) `lines_per_date`: **서울 날짜별로** `lines`의 행이 몇 개 도착했나요? 날짜(예: `2025-01-06`)가
인덱스인 Series로, 날짜 순서로 정렬하세요. 힌트: `.dt.tz_convert(...)`, `.dt.date`,
`.value_counts()`.""")),
        answer("first_kst", """### BEGIN SOLUTION
first_kst = lines["timestamp"].iloc[0].tz_convert("Asia/Seoul")
### END SOLUTION"""),
        tests("test_first_kst", doc("first_kst is the first line's arrival, on the Seoul clock.",
                                    "first_kst가 첫 줄의 도착 시각을 서울 시계로 나타내는지 확인해요.") + '''
assert str(first_kst.tz) == "Asia/Seoul", "''' + T("convert to Asia/Seoul (tz_convert), do not just add hours",
                                                   "시간을 더하지 말고 Asia/Seoul로 변환하세요(tz_convert)") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import pandas as _pd
assert _pd.Timestamp(first_kst) == _lines["timestamp"].iloc[0], "''' + T(
            "not the same moment as your first line's arrival", "내 첫 줄이 도착한 순간과 달라요") + '''"
### END HIDDEN TESTS''', 1),
        answer("lines_per_date", """### BEGIN SOLUTION
lines_per_date = lines["timestamp"].dt.tz_convert("Asia/Seoul").dt.date.value_counts().sort_index()
### END SOLUTION"""),
        tests("test_lines_per_seoul_date", doc("lines_per_date counts the lines of each Seoul date.",
                                               "lines_per_date가 서울 날짜별 줄 수인지 확인해요.") + '''
assert int(lines_per_date.sum()) == len(lines), "''' + T("every line belongs to exactly one date",
                                                          "모든 줄은 꼭 한 날짜에 속해야 해요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_dates = _lines["timestamp"].dt.tz_convert("Asia/Seoul").dt.strftime("%Y-%m-%d")
_want = {d: int((_dates == d).sum()) for d in sorted(set(_dates))}
_got = {str(k)[:10]: int(v) for k, v in lines_per_date.items()}
assert _got == _want, "''' + T("the counts per Seoul date differ (UTC dates? another box?)",
                               "서울 날짜별 개수가 달라요(UTC 날짜인가요? 다른 상자인가요?)") + '''"
assert [str(k)[:10] for k in lines_per_date.index] == sorted(_want), "''' + T(
            "sort the dates", "날짜 순서로 정렬하세요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q3_prompt", T("""## Q3. Reboots and gaps (4 points)

Every power-on starts a new `boot_id`, and `seq` counts the lines since that power-on
(0, 1, 2, …). Within one boot, a jump in `seq` proves that lines were lost.

a) `reboots`: how many times did your box **reboot** during the hour? (The first boot is the
power-on, not a reboot.) An `int`.

b) `missing_lines`: how many lines were lost **inside the boots**, judged from `seq` (for each
boot: the lines it should have sent from its first to its last `seq`, minus the lines that
arrived; summed over the boots). An `int`.

c) `longest_silence_s`: the longest time between two consecutive arrivals in `lines`, in
seconds (a float).""", """## Q3. 재부팅과 빈틈 (4점)

전원이 켜질 때마다 새 `boot_id`가 시작되고, `seq`는 그때부터의 줄 번호(0, 1, 2, …)예요.
한 번 켜져 있는 동안 `seq`가 건너뛰었다면 줄을 잃어버렸다는 증거예요.

a) `reboots`: 한 시간 동안 상자가 몇 번 **재부팅**했나요? (처음 켜진 것은 재부팅이 아니에요.) `int`로.

b) `missing_lines`: `seq`로 판단할 때, **켜져 있는 동안** 잃어버린 줄은 몇 개인가요? (부팅마다 첫
`seq`부터 마지막 `seq`까지 보냈어야 할 줄 수에서 도착한 줄 수를 빼고, 모든 부팅에 대해 더해요.)
`int`로.

c) `longest_silence_s`: `lines`에서 이어서 도착한 두 줄 사이의 가장 긴 시간(초, float).""")),
        answer("reboots", """### BEGIN SOLUTION
reboots = int(lines["boot_id"].nunique() - 1)
### END SOLUTION"""),
        tests("test_reboots", doc("reboots is the number of boots minus the first power-on.",
                                  "reboots가 부팅 횟수에서 처음 켜진 것을 뺀 값인지 확인해요.") + '''
assert int(reboots) == reboots and reboots >= 0
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert reboots == len(set(_lines["boot_id"])) - 1, "''' + T("not your box's number of reboots",
                                                            "내 상자의 재부팅 횟수가 아니에요") + '''"
### END HIDDEN TESTS''', 1),
        answer("missing_lines", """### BEGIN SOLUTION
per_boot = lines.groupby("boot_id")["seq"].agg(["min", "max", "count"])
missing_lines = int((per_boot["max"] - per_boot["min"] + 1 - per_boot["count"]).sum())
### END SOLUTION"""),
        tests("test_missing_lines", doc("missing_lines counts the seq numbers lost inside each boot.",
                                        "missing_lines가 부팅마다 빠진 seq 번호의 수인지 확인해요.") + '''
assert int(missing_lines) == missing_lines and missing_lines >= 0, "''' + T(
            "a count of lines is a whole number, never negative", "줄 수는 음수가 아닌 정수예요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = 0
for _boot in set(_lines["boot_id"]):
    _seq = _lines.loc[_lines["boot_id"] == _boot, "seq"]
    _want += int(_seq.max()) - int(_seq.min()) + 1 - len(_seq)
assert missing_lines == _want, "''' + T("not the number of lines lost inside your box's boots",
                                        "내 상자가 켜져 있는 동안 잃어버린 줄 수가 아니에요") + '''"
### END HIDDEN TESTS''', 2),
        answer("longest_silence_s", """### BEGIN SOLUTION
longest_silence_s = lines["timestamp"].sort_values().diff().dt.total_seconds().max()
### END SOLUTION"""),
        tests("test_longest_silence", doc("longest_silence_s is the longest wait between arrivals, in seconds.",
                                          "longest_silence_s가 도착 사이의 가장 긴 시간(초)인지 확인해요.") + '''
assert 5 < float(longest_silence_s) < 3600, "''' + T("in seconds: more than one report period, less than the hour",
                                                      "초 단위: 보고 주기보다 길고 한 시간보다 짧아야 해요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_t = sorted(_lines["timestamp"])
_want = max((b - a).total_seconds() for a, b in zip(_t, _t[1:]))
assert abs(float(longest_silence_s) - _want) < 1e-6, "''' + T("not your box's longest silence",
                                                              "내 상자의 가장 긴 침묵이 아니에요") + '''"
### END HIDDEN TESTS''', 1),
        markdown("q4_prompt", T("""## Q4. From long to wide (2 points)

Make `sht_wide`: the temperature sensor's values in the **wide format**. Take the rows of
`long` whose `sensor` is `"sht40"` and whose `parameter` is `"t"` or `"rh"`, and pivot them:
one row per line, indexed by (`boot_id`, `seq`) — `seq` alone is not enough, it restarts at
every reboot — one column per parameter (`t`, `rh`), values from `value_hrf`.""",
                                """## Q4. 긴 형식에서 넓은 형식으로 (2점)

`sht_wide`를 만드세요. 온습도 센서의 값을 **넓은 형식**으로 바꾼 표예요. `long`에서 `sensor`가
`"sht40"`이고 `parameter`가 `"t"` 또는 `"rh"`인 행을 골라 피벗(pivot)하세요. 줄 하나가 한 행이고
인덱스는 (`boot_id`, `seq`)예요(`seq`만으로는 부족해요. 재부팅할 때마다 다시 시작하니까요).
매개변수마다 열 하나(`t`, `rh`), 값은 `value_hrf`에서 가져와요.""")),
        answer("sht_wide", """### BEGIN SOLUTION
sht = long[(long["sensor"] == "sht40") & long["parameter"].isin(["t", "rh"])]
sht_wide = sht.pivot(index=["boot_id", "seq"], columns="parameter", values="value_hrf")
### END SOLUTION"""),
        tests("test_sht_wide", doc("sht_wide has one row per (boot_id, seq) and columns t and rh.",
                                   "sht_wide가 (boot_id, seq)마다 한 행이고 t, rh 열이 있는지 확인해요.") + '''
assert list(sht_wide.index.names) == ["boot_id", "seq"], "''' + T("index by boot_id and seq",
                                                                  "boot_id와 seq로 인덱스를 만드세요") + '''"
assert {"t", "rh"} <= set(sht_wide.columns)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_s = _long[(_long["sensor"] == "sht40") & _long["parameter"].isin(["t", "rh"])]
_s = _s.drop_duplicates(["boot_id", "seq", "parameter"])
assert set(sht_wide.columns) == {"t", "rh"}, "''' + T("only the columns t and rh", "t와 rh 열만 있어야 해요") + '''"
assert len(sht_wide) == len(_s.drop_duplicates(["boot_id", "seq"])), "''' + T(
            "one row per temperature line", "온습도 줄 하나에 한 행이어야 해요") + '''"
for _p in ("t", "rh"):
    _want = {(int(b), int(q)): v for b, q, v in _s.loc[_s["parameter"] == _p, ["boot_id", "seq", "value_hrf"]].itertuples(index=False)}
    _got = {(int(b), int(q)): v for (b, q), v in sht_wide[_p].items()}
    assert _got.keys() == _want.keys() and _np.allclose([_got[k] for k in _want], list(_want.values()), equal_nan=True), \\
        "''' + T("the values differ from your box's", "내 상자의 값과 달라요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q5_prompt", T("""## Q5. What would you tell the district office? (3 points, graded by your teacher)

Your box hangs under a street light in Mapo-gu. The district office wants to use it for a
night-time PM2.5 alert. Using your answers (reboots, lost and rejected lines, the dates),
write three or four sentences: can they trust this hour of data, and what should be fixed?

**Rubric (3 points).** 1 point: the problems stated with your numbers (reboots, lines lost
and rejected, the longest silence) and what they cost (missing minutes, warm-up after each
reboot). 1 point: times given correctly in Seoul time (the hour runs from 23:30 to 00:30 KST
across two Seoul dates; UTC would say 14:30–15:30 on one date). 1 point: a concrete fix or
next step (steadier power supply or battery, check the cable, keep warm-up lines out of the
alert, watch `events.csv`).""", """## Q5. 구청에 무엇이라고 말할까요? (3점, 선생님이 채점)

여러분의 상자는 마포구의 가로등 아래에 달려 있어요. 구청은 이 상자로 밤 시간 초미세먼지 경보를
내고 싶어 해요. 여러분의 답(재부팅, 잃어버리거나 거부된 줄, 날짜)을 바탕으로 서너 문장을 쓰세요.
이 한 시간의 데이터를 믿어도 될까요? 무엇을 고쳐야 할까요?

**채점 기준(Rubric, 3점).** 1점: 문제를 여러분의 숫자(재부팅, 잃어버린 줄과 거부된 줄, 가장 긴 침묵)로
말하고, 그 때문에 무엇을 잃는지(빠진 시간, 재부팅마다의 예열) 설명함. 1점: 시각을 한국 표준시로
바르게 씀(한국 표준시 23:30부터 00:30까지, 서울 날짜로 이틀에 걸침. UTC로는 한 날짜의 14:30–15:30).
1점: 구체적인 해결책이나 다음 단계(더 안정적인 전원이나 배터리, 케이블 점검, 예열 줄은 경보에서
빼기, `events.csv` 살펴보기).""")),
        written("q5_district_office", T("""Not yet for alerts: in one hour my box rebooted 3 times, lost 13 lines inside its boots
and the logger rejected 9 damaged lines; the longest silence was 22 s, and after each reboot
the dust sensor needs 30 s of warm-up. The hour ran from 23:30 on 6 January to 00:30 on
7 January, Seoul time. Fix the power supply (a steadier adapter or a small battery), check the
cable, leave warm-up lines out of any alert and check events.csv every morning.""",
                                        """아직 경보에 쓰기는 어려워요. 한 시간 동안 제 상자는 3번 재부팅했고, 켜져 있는 동안 13줄을
잃었으며, 로거가 망가진 줄 9개를 거부했어요. 가장 긴 침묵은 22초였고, 재부팅할 때마다 먼지
센서는 30초 동안 예열해야 해요. 이 한 시간은 한국 표준시로 1월 6일 23:30부터 1월 7일 00:30까지였어요.
전원(더 안정적인 어댑터나 작은 배터리)을 고치고, 케이블을 점검하고, 예열 줄은 경보에서 빼고,
매일 아침 events.csv를 확인해야 해요."""), 3),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

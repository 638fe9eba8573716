"""Write assignment 04 (cleaning sensor data) in English and Korean (commit all three files).

    .venv/bin/python grader/authoring/build_04_cleaning_sensor_data.py

writes grader/source/04-cleaning-sensor-data/04-cleaning-sensor-data.ipynb and the Korean
release grader/source-ko/04-cleaning-sensor-data/04-cleaning-sensor-data.ipynb from one
``build(lang)``. Every student cleans a street sensor of their own
(sensorlab.grading.variants.pick_site of their student id, salted for this assignment); the
hidden tests recompute that student's answers from the bundled city and its truth labels.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "04-cleaning-sensor-data"
COURSE = Path(__file__).resolve().parents[1]

# Hidden tests recompute the student's sensor from the id, never from variables in the notebook.
# The city is loaded once per grading kernel (kept under a name students are never shown).
EXPECTED = f'''import numpy as _np
import sensorlab.datasets.city as _city_module
from sensorlab.grading.variants import pick_site as _pick_site, student_id as _student_id
_city = _city_module.__dict__.get("_a04_grader_city") or _city_module.load_city()
_city_module._a04_grader_city = _city
_site = _pick_site(_student_id(), _city.sites, salt="{NAME}")
_mine = _city.readings[_city.readings["site_id"] == _site].sort_values("timestamp")
_pm = _mine["pm25"].to_numpy(float)
_bad = _np.isin(_pm, [-999.0, -9999.0]) | (_pm == 0.0)'''


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    def doc(en: str, ko: str) -> str:
        return f'"""{T(en, ko)}"""'

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 04 — Cleaning your street sensor

Each of you cleans **your own S-DoT street sensor** from the bundled synthetic year of Seoul
(2024, hourly); the cell below tells you which one. Your answers are checked against *your*
sensor, so a neighbour's numbers will not pass.

The rule of this module: **flag, never delete**. Every check gives a True/False Series (True =
looks faulty); values are set aside (`.where(~flags)`) only for a mean or a plot. The synthetic
city knows the truth (`city.truth`), so at the end you score your cleaning against it.

You have `city`, `street` (every street sensor), `mine` (your sensor's rows, in time order)
and `pm` (your sensor's PM2.5, indexed by Seoul time), and the functions of
`sensorlab.cleaning` used in the lessons. Run the test cell under each answer to check it;
more checks run when your teacher grades it.""", """# 과제 04 — 내 거리 센서 데이터 정제하기

여러분은 패키지에 들어 있는 서울의 가상 1년치 데이터(2024년, 1시간 간격)에서 **각자 자기만의
S-DoT 거리 센서**를 정제(data cleaning)해요. 아래 셀이 어느 센서인지 알려 줘요. 답은
*여러분* 센서로 확인하므로 옆 친구의 숫자로는 통과하지 못해요.

이 모듈의 규칙: **지우지 말고 플래그(flag)를 다세요.** 검사마다 True/False Series를 만들고
(True = 잘못된 것 같음), 평균을 내거나 그림을 그릴 때만 값을 옆으로 치워 둬요(`.where(~flags)`).
가상 도시는 정답(`city.truth`)을 알고 있으니, 마지막에 여러분의 정제를 정답과 비교해 점수를 매겨요.

준비된 것: `city`, `street`(모든 거리 센서), `mine`(내 센서의 행, 시간 순서), `pm`(내 센서의
초미세먼지, 한국 표준시 인덱스), 그리고 수업에서 쓴 `sensorlab.cleaning`의 함수들. 답마다 아래에
있는 테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를 더 해요.""")),
        setup("load_data", korean_setup + f"""import pandas as pd

from sensorlab.cleaning import (SEOUL_RANGES, flag_all, flag_network_fault, flag_sentinels, flag_spikes,
                                flag_stuck, flag_zeros, sensor_dictionary)
from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick_site, student_id

city = load_city()
SITE = pick_site(student_id(), city.sites, salt="{NAME}")
street_ids = city.sites.loc[city.sites["kind"] == "street", "site_id"]
street = city.readings[city.readings["site_id"].isin(street_ids)]
mine = street[street["site_id"] == SITE].sort_values("timestamp")
pm = mine.set_index("timestamp")["pm25"]
print({T('"Your sensor:", SITE, "in", city.sites.set_index("site_id").loc[SITE, "district"]',
         '"내 센서:", SITE, "/ 자치구:", city.sites.set_index("site_id").loc[SITE, "district_ko"]')})"""),
        markdown("q1_prompt", T("""## Q1. The sensor dictionary and plausible ranges (2 points)

`sensor_dictionary()` says what each sensor can report; `SEOUL_RANGES` what Seoul's weather
can do. Make `n_implausible_temp`: how many of **your sensor's temperature readings** lie
outside Seoul's plausible range (an `int`). Write the check yourself: `low, high =
SEOUL_RANGES["temperature"]` gives the range; a reading is implausible when it is below `low` or
above `high` (a missing reading is neither); count the True values.""",
                                """## Q1. 센서 사전과 그럴듯한 범위 (2점)

`sensor_dictionary()`는 센서마다 보고할 수 있는 범위를, `SEOUL_RANGES`는 서울 날씨에서 가능한
범위를 알려 줘요. `n_implausible_temp`를 만드세요. **내 센서의 기온(temperature) 측정값** 중
서울에서 그럴듯한 범위를 벗어난 것의 개수예요(`int`). 검사를 직접 만드세요.
`low, high = SEOUL_RANGES["temperature"]`가 범위를 줘요. 측정값이 `low`보다 작거나 `high`보다 크면
그럴듯하지 않은 값이에요(빠진 값은 어느 쪽도 아니에요). True 값을 세세요.""")),
        answer("n_implausible_temp", """### BEGIN SOLUTION
low, high = SEOUL_RANGES["temperature"]
t = mine["temperature"]
n_implausible_temp = int(((t < low) | (t > high)).sum())
### END SOLUTION"""),
        tests("test_n_implausible_temp", doc("n_implausible_temp counts your temperatures outside Seoul's range.",
                                             "n_implausible_temp가 서울 범위를 벗어난 내 기온 측정값의 수인지 확인해요.") + '''
assert int(n_implausible_temp) == n_implausible_temp and 0 <= n_implausible_temp <= len(mine), "''' + T(
            "a count of readings is expected", "측정값의 개수여야 해요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import SEOUL_RANGES as _RANGES
_lo, _hi = _RANGES["temperature"]
_t = _mine["temperature"].to_numpy(float)
assert n_implausible_temp == int(((_t < _lo) | (_t > _hi)).sum()), "''' + T(
            "not the number of your sensor's implausible temperatures (Seoul's range? your sensor?)",
            "내 센서에서 범위를 벗어난 기온의 수가 아니에요(서울 범위인가요? 내 센서인가요?)") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q2_prompt", T("""## Q2. Sentinels and zeros (4 points)

a) `pm_bad`: a True/False Series like `pm` (same index), True where your sensor's PM2.5 is a
**sentinel** (`-999` or `-9999`, "no value") or **exactly zero** (a dead particle counter;
Seoul's air is never exactly 0 µg/m³).

b) `clean_mean`: the mean PM2.5 of your sensor with the `pm_bad` readings **set aside** (not
deleted from `pm`), in µg/m³.""", """## Q2. 센티널 값과 0 (4점)

a) `pm_bad`: `pm`과 같은 인덱스의 True/False Series. 내 센서의 PM2.5가 **센티널 값(sentinel value)**
(`-999`나 `-9999`, "값 없음")이거나 **정확히 0**(멈춘 입자 계수기. 서울 공기가 정확히 0 µg/m³일
수는 없어요)이면 True예요.

b) `clean_mean`: `pm_bad`인 측정값을 **옆으로 치워 두고**(`pm`에서 지우지 않고) 구한 내 센서의
PM2.5 평균(µg/m³).""")),
        answer("pm_bad", """### BEGIN SOLUTION
pm_bad = flag_sentinels(pm) | flag_zeros(pm)
### END SOLUTION"""),
        tests("test_pm_bad", doc("pm_bad flags your sensor's PM2.5 sentinels and zeros, index kept.",
                                 "pm_bad가 내 센서 PM2.5의 센티널 값과 0을 인덱스를 유지한 채 표시하는지 확인해요.") + '''
assert len(pm_bad) == len(pm) and (pm_bad.index == pm.index).all(), "''' + T(
            "flag every reading of pm, delete none", "pm의 모든 측정값에 플래그를 다세요. 지우면 안 돼요") + '''"
assert pm_bad.dtype == bool
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert (_np.asarray(pm_bad, bool) == _bad).all(), "''' + T(
            "some sentinels or zeros are not flagged, or good readings are",
            "표시하지 않은 센티널 값이나 0이 있거나, 좋은 값을 표시했어요") + '''"
### END HIDDEN TESTS''', 2),
        answer("clean_mean", """### BEGIN SOLUTION
clean_mean = pm.where(~pm_bad).mean()
### END SOLUTION"""),
        tests("test_clean_mean", doc("clean_mean is your sensor's mean PM2.5 without sentinels and zeros.",
                                     "clean_mean이 센티널 값과 0을 뺀 내 센서의 PM2.5 평균인지 확인해요.") + '''
assert 0 < float(clean_mean) < 200, "''' + T("a PM2.5 mean in µg/m³ is expected", "µg/m³ 단위의 PM2.5 평균이어야 해요") + '''"
assert len(pm) == len(mine), "''' + T("set readings aside, do not delete them from pm",
                                      "측정값을 pm에서 지우지 말고 옆으로 치워 두세요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert abs(float(clean_mean) - _np.nanmean(_pm[~_bad])) < 1e-6, "''' + T(
            "not the mean of your sensor's usable readings", "내 센서에서 쓸 수 있는 측정값의 평균이 아니에요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q3_prompt", T("""## Q3. Stuck values and spikes (3 points)

Work on `pm.where(~pm_bad)` (sentinels and zeros set aside).

a) `n_stuck`: how many readings belong to a **stuck** run — at least 6 equal readings in a row,
the first of the run included (`flag_stuck(..., min_run=6, include_first=True)`).

b) `n_spikes`: how many readings `flag_spikes` (default settings: a moving **median** of 5
readings) marks as **spikes**.""", """## Q3. 멈춘 값과 튀는 값 (3점)

`pm.where(~pm_bad)`(센티널 값과 0을 치워 둔 것)로 작업하세요.

a) `n_stuck`: **멈춘 값(stuck value)** 구간, 즉 같은 값이 6번 이상 이어진 구간에 속하는 측정값은
몇 개인가요? 구간의 첫 값도 세요(`flag_stuck(..., min_run=6, include_first=True)`).

b) `n_spikes`: `flag_spikes`(기본 설정: 측정값 5개의 이동 **중앙값**)가 **튀는 값(spike)**으로 표시하는
측정값은 몇 개인가요?""")),
        answer("n_stuck", """### BEGIN SOLUTION
usable = pm.where(~pm_bad)
n_stuck = int(flag_stuck(usable, min_run=6, include_first=True).sum())
### END SOLUTION"""),
        tests("test_n_stuck", doc("n_stuck counts the readings in runs of 6 or more equal values, first included.",
                                  "n_stuck가 같은 값이 6번 이상 이어진 구간의 측정값 수(첫 값 포함)인지 확인해요.") + '''
assert int(n_stuck) == n_stuck and n_stuck >= 0
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_u = _np.where(_bad, _np.nan, _pm)
_same = _np.r_[False, _np.abs(_np.diff(_u)) == 0]
_run = _np.cumsum(~_same)
_length = _np.bincount(_run)[_run]
assert n_stuck == int(((_length >= 6) & ~_np.isnan(_u)).sum()), "''' + T(
            "not your sensor's number of stuck readings (first of each run counted? zeros set aside?)",
            "내 센서의 멈춘 값 개수가 아니에요(구간의 첫 값을 셌나요? 0을 치워 두었나요?)") + '''"
### END HIDDEN TESTS''', 1),
        answer("n_spikes", """### BEGIN SOLUTION
n_spikes = int(flag_spikes(pm.where(~pm_bad)).sum())
### END SOLUTION"""),
        tests("test_n_spikes", doc("n_spikes counts the spikes flag_spikes finds in your usable PM2.5.",
                                   "n_spikes가 쓸 수 있는 내 PM2.5에서 flag_spikes가 찾은 튀는 값의 수인지 확인해요.") + '''
assert int(n_spikes) == n_spikes and 0 <= n_spikes < len(pm)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import pandas as _pd
from sensorlab.cleaning import flag_spikes as _flag_spikes
assert n_spikes == int(_flag_spikes(_pd.Series(_np.where(_bad, _np.nan, _pm))).sum()), "''' + T(
            "not your sensor's number of spikes", "내 센서의 튀는 값 개수가 아니에요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q4_prompt", T("""## Q4. Network faults (2 points)

One implausible box is a broken box; many at once is the network. Make `n_network`: how many of
**your sensor's humidity readings** are flagged when `flag_network_fault` checks the **whole
street network** (`street`) for humidity (an `int`; it may be 0 if your sensor kept working).""",
                                """## Q4. 네트워크 장애 (2점)

상자 하나가 이상하면 그 상자가 고장 난 것이고, 여러 상자가 한꺼번에 이상하면 네트워크 문제예요.
`n_network`를 만드세요. `flag_network_fault`로 **거리 센서 전체**(`street`)의 습도(humidity)를
검사했을 때, **내 센서의 습도 측정값** 중 플래그가 달린 것은 몇 개인가요(`int`. 내 센서가 계속
제대로 작동했다면 0일 수도 있어요)?""")),
        answer("n_network", """### BEGIN SOLUTION
network = flag_network_fault(street, "humidity")
n_network = int(network[street["site_id"] == SITE].sum())
### END SOLUTION"""),
        tests("test_n_network", doc("n_network counts your humidity readings caught in a network-wide fault.",
                                    "n_network가 네트워크 장애로 표시된 내 습도 측정값의 수인지 확인해요.") + '''
assert int(n_network) == n_network and 0 <= n_network <= len(mine)
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_network_fault as _flag_network_fault
_street = _city.readings[_city.readings["site_id"].isin(_city.sites.loc[_city.sites["kind"] == "street", "site_id"])]
_want = int(_flag_network_fault(_street, "humidity")[_street["site_id"] == _site].sum())
assert n_network == _want, "''' + T("not your sensor's count (checked against the whole network?)",
                                    "내 센서의 개수가 아니에요(네트워크 전체와 비교했나요?)") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q5_prompt", T("""## Q5. Score your cleaning against the truth (3 points)

`labels = flag_all(mine, ["pm25"], sites=city.sites)["fault_pm25"]` runs every check and names
each reading's fault (`"none"` when it looks fine); `city.truth.loc[mine.index, "fault_pm25"]`
is what really happened. A reading is *flagged* when its label is not `"none"`, *truly faulty*
when its true label is not `"none"`.

a) `recall`: the share of your sensor's truly faulty readings that were flagged.

b) `precision`: the share of the flagged readings that were truly faulty.""",
                                """## Q5. 정답과 비교해 정제 점수 매기기 (3점)

`labels = flag_all(mine, ["pm25"], sites=city.sites)["fault_pm25"]`는 모든 검사를 실행해
측정값마다 잘못의 이름을 붙여요(괜찮아 보이면 `"none"`). `city.truth.loc[mine.index, "fault_pm25"]`는
실제로 일어난 일이에요. 이름표가 `"none"`이 아니면 *플래그가 달린* 것, 정답 이름표가 `"none"`이
아니면 *정말 잘못된* 것이에요.

a) `recall`: 내 센서에서 정말 잘못된 측정값 중 플래그가 달린 것의 비율(재현율, recall).

b) `precision`: 플래그가 달린 측정값 중 정말 잘못된 것의 비율(정밀도, precision).""")),
        answer("recall", """### BEGIN SOLUTION
labels = flag_all(mine, ["pm25"], sites=city.sites)["fault_pm25"]
truth = city.truth.loc[mine.index, "fault_pm25"]
flagged, truly_bad = labels != "none", truth != "none"
recall = (flagged & truly_bad).sum() / truly_bad.sum()
### END SOLUTION"""),
        tests("test_recall", doc("recall is the share of your truly faulty PM2.5 readings that were flagged.",
                                 "recall이 정말 잘못된 내 PM2.5 측정값 중 플래그가 달린 비율인지 확인해요.") + '''
assert 0 <= float(recall) <= 1, "''' + T("a share lies between 0 and 1", "비율은 0과 1 사이예요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_all as _flag_all
_flag = (_flag_all(_mine, ["pm25"], sites=_city.sites)["fault_pm25"] != "none").to_numpy()
_true = (_city.truth.loc[_mine.index, "fault_pm25"] != "none").to_numpy()
assert abs(float(recall) - (_flag & _true).sum() / _true.sum()) < 1e-9, "''' + T(
            "not the recall of your sensor's flags", "내 센서 플래그의 재현율이 아니에요") + '''"
### END HIDDEN TESTS''', 2),
        answer("precision", """### BEGIN SOLUTION
precision = (flagged & truly_bad).sum() / flagged.sum()
### END SOLUTION"""),
        tests("test_precision", doc("precision is the share of your flagged readings that were truly faulty.",
                                    "precision이 플래그가 달린 측정값 중 정말 잘못된 것의 비율인지 확인해요.") + '''
assert 0 <= float(precision) <= 1, "''' + T("a share lies between 0 and 1", "비율은 0과 1 사이예요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
from sensorlab.cleaning import flag_all as _flag_all
_flag = (_flag_all(_mine, ["pm25"], sites=_city.sites)["fault_pm25"] != "none").to_numpy()
_true = (_city.truth.loc[_mine.index, "fault_pm25"] != "none").to_numpy()
assert abs(float(precision) - (_flag & _true).sum() / _flag.sum()) < 1e-9, "''' + T(
            "not the precision of your sensor's flags", "내 센서 플래그의 정밀도가 아니에요") + '''"
### END HIDDEN TESTS''', 1),
        markdown("q6_prompt", T("""## Q6. What would you tell the district office? (3 points, graded by your teacher)

The district office wants to publish your sensor's mean PM2.5 for 2024 on its website. Using
your answers, write three or four sentences: which number should they publish, what did you
do to the data, and what can your checks *not* see?

**Rubric (3 points).** 1 point: both numbers with units (the raw mean and `clean_mean`,
µg/m³) and which one to publish. 1 point: what was flagged and why flagging beats deleting
(counts of sentinels/zeros, stuck, spikes; the flags can be checked and undone). 1 point: an
honest limit from Q5 (recall below 1: faults such as humidity effects or drift look like real
air) and a next step (compare with the district's reference station, calibration in module 06).""",
                                """## Q6. 구청에 무엇이라고 말할까요? (3점, 선생님이 채점)

구청은 내 센서의 2024년 PM2.5 평균을 누리집에 올리려고 해요. 여러분의 답을 바탕으로 서너 문장을
쓰세요. 어떤 숫자를 올려야 할까요? 데이터에 무엇을 했나요? 여러분의 검사가 *찾지 못하는* 것은
무엇인가요?

**채점 기준(Rubric, 3점).** 1점: 두 숫자를 단위와 함께(원래 평균과 `clean_mean`, µg/m³) 쓰고 어느
것을 올릴지 밝힘. 1점: 무엇에 플래그를 달았는지와 지우기보다 플래그가 나은 까닭(센티널 값·0, 멈춘 값,
튀는 값의 개수. 플래그는 확인하고 되돌릴 수 있음). 1점: Q5에서 나온 솔직한 한계(재현율이 1보다 작음.
습도 간섭이나 드리프트 같은 잘못은 진짜 공기처럼 보임)와 다음 단계(그 자치구의 도시대기측정소와 비교,
모듈 06의 보정).""")),
        written("q6_district_office", T("""Publish the cleaned mean (about 25 µg/m³), not the raw one, which
-999 codes and zeros pull down. I flagged, not deleted, the sentinels and zeros, the stuck runs
and the spikes, so anyone can check or undo each decision. The checks caught most faults
(recall about 0.8) but not the humidity effects and drift, which look like real air: compare
the sensor with the district's reference station and calibrate it (module 06) before relying on it.""",
                                        """원래 평균이 아니라 정제한 평균(약 25 µg/m³)을 올려야 해요. 원래 평균은 -999 코드와 0 때문에
낮아져요. 저는 센티널 값과 0, 멈춘 값, 튀는 값을 지우지 않고 플래그만 달았기 때문에 누구나 결정을
하나하나 확인하고 되돌릴 수 있어요. 검사는 잘못의 대부분을 잡았지만(재현율 약 0.8) 진짜 공기처럼
보이는 습도 간섭과 드리프트는 잡지 못해요. 그러니 믿고 쓰기 전에 그 자치구의 도시대기측정소와
비교하고 보정해야 해요(모듈 06)."""), 3),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

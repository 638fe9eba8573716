"""Write assignment 05 in English and Korean (run once after editing; commit all three files).

    .venv/bin/python grader/authoring/build_05_patterns_in_the_city.py

writes grader/source/05-patterns-in-the-city/05-patterns-in-the-city.ipynb and its Korean
release grader/source-ko/05-patterns-in-the-city/05-patterns-in-the-city.ipynb from the one
``build(lang)`` below (same cells, grade ids, points and code; only prose, comments and messages
differ), and refuses to write them unless they mirror each other.

Every student gets a district of their own (``sensorlab.grading.variants.pick`` of their student
id, salted for this assignment): its reference station for the cycles, seasons, episodes and the
bootstrap, and the street sensor that stands beside it for the humidity question. The hidden tests
recompute that student's answers from the bundled city with plain pandas/numpy (never from
variables in the notebook, never with package functions a student could redefine).
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "05-patterns-in-the-city"
COURSE = Path(__file__).resolve().parents[1]

# Hidden tests recompute the student's district from the id, never from notebook variables.
# The city is loaded once per notebook (about 2 s) and kept under a name only hidden tests know.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick as _pick, student_id as _student_id
try:
    _city = _hidden_city_05
except NameError:
    _city = _hidden_city_05 = _load_city()
_stations = _city.sites[_city.sites["kind"] == "reference"]
_station = _stations.loc[_stations["district"] == _pick(_student_id(), _stations["district"], salt="05-patterns-in-the-city"), "site_id"].item()
_r = _city.readings[_city.readings["site_id"] == _station].set_index("timestamp").sort_index()'''

EXPECTED_PAIRS = EXPECTED + '''
import pandas as _pd
_street = _city.sites.loc[_city.sites["colocated_with"] == _station, "site_id"].item()
_s = _city.readings[_city.readings["site_id"] == _street].set_index("timestamp")["pm25"]
_s = _s.where((_s > 0) & (_s <= 500))
_p = _pd.DataFrame({"s": _s, "ref": _r["pm25"], "h": _r["humidity"]}).dropna()
_ratio = _p["s"] / _p["ref"]'''


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 05 — Patterns in your district

Each of you has **your own district** of Seoul in the bundled synthetic year (2024, hourly):
its reference station (도시대기측정소) for most questions, and the S-DoT street sensor that stands
beside that station for Q4. The cell below tells you which; your answers are checked against
*your* district's data, so a neighbour's numbers will not pass.

Timestamps are in Seoul time (`Asia/Seoul`, UTC+9): an "hour of the day" and a "day" are Seoul
ones. The functions of lesson module 05 (`sensorlab.stats`) are imported for you; plain pandas
works too. Run the test cell under each answer to check it; more checks run when your teacher
grades it. Do not change the test cells or the cell below.""", """# 과제 05 — 우리 자치구의 패턴 찾기

여러분은 함께 제공되는 가상의 서울 1년치 데이터(2024년, 1시간 간격)에서 **각자 다른 자치구(district)** 를
맡아요. 대부분의 문제는 그 자치구의 도시대기측정소(reference station) 데이터로 풀고, Q4는 그 측정소
바로 옆에 설치된 S-DoT 거리 센서의 데이터도 써요. 어느 자치구인지는 아래 셀이 알려 줘요.
답은 *여러분* 자치구의 데이터로 확인하므로, 옆 친구의 숫자를 베끼면 통과하지 못해요.

타임스탬프(timestamp)는 서울 시각(한국 표준시, KST, `Asia/Seoul`, UTC+9)이에요. "하루 중 시각"과
"하루"는 모두 서울 기준이에요. 수업 모듈 05의 함수들(`sensorlab.stats`)을 미리 불러 두었고,
pandas만 써도 돼요. 답마다 아래의 테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를
더 해요. 테스트 셀과 바로 아래 셀은 고치지 마세요.""")),
        setup("load_data", korean_setup + T(
            """import numpy as np
import pandas as pd

from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id
from sensorlab.stats import bootstrap_ci, daily_means, diurnal_cycle, episodes, weekend_effect

city = load_city()
stations = city.sites[city.sites["kind"] == "reference"]
DISTRICT = pick(student_id(), stations["district"], salt="05-patterns-in-the-city")
STATION = stations.loc[stations["district"] == DISTRICT, "site_id"].item()
STREET = city.sites.loc[city.sites["colocated_with"] == STATION, "site_id"].item()

# two views of the same station: tidy rows for sensorlab.stats, a Seoul-time index for pandas
ref = city.readings[city.readings["site_id"] == STATION]
r = ref.set_index("timestamp").sort_index()

# the street sensor beside the station, hour by hour; its fault values (-999, 0, bursts) set aside
street_pm25 = city.readings[city.readings["site_id"] == STREET].set_index("timestamp")["pm25"]
street_pm25 = street_pm25.where((street_pm25 > 0) & (street_pm25 <= 500))
pairs = pd.DataFrame({"pm25_street": street_pm25, "pm25_reference": r["pm25"],
                      "humidity_reference": r["humidity"]}).dropna()
print(f"Your district: {DISTRICT}; reference station {STATION}; street sensor beside it: {STREET}")""",
            """import numpy as np
import pandas as pd

from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick, student_id
from sensorlab.stats import bootstrap_ci, daily_means, diurnal_cycle, episodes, weekend_effect

city = load_city()
stations = city.sites[city.sites["kind"] == "reference"]
DISTRICT = pick(student_id(), stations["district"], salt="05-patterns-in-the-city")
STATION = stations.loc[stations["district"] == DISTRICT, "site_id"].item()
STREET = city.sites.loc[city.sites["colocated_with"] == STATION, "site_id"].item()

# 같은 측정소를 두 가지로: sensorlab.stats용 긴 형식 행, pandas용 서울 시각 인덱스
ref = city.readings[city.readings["site_id"] == STATION]
r = ref.set_index("timestamp").sort_index()

# 측정소 옆 거리 센서의 시간별 값; 오류 값(-999, 0, 튀는 값)은 빼 둠
street_pm25 = city.readings[city.readings["site_id"] == STREET].set_index("timestamp")["pm25"]
street_pm25 = street_pm25.where((street_pm25 > 0) & (street_pm25 <= 500))
pairs = pd.DataFrame({"pm25_street": street_pm25, "pm25_reference": r["pm25"],
                      "humidity_reference": r["humidity"]}).dropna()
print(f"내 자치구: {DISTRICT}, 측정소 {STATION}, 그 옆의 거리 센서: {STREET}")""")),

        markdown("q1_prompt", T("""## Q1. The daily cycle of NO₂ (4 points)

Make `no2_cycle`: the mean NO₂ (ppm) of your station for **each hour of the day, 0–23, in
Seoul time**, over the whole year (a Series of 24 values indexed by hour). Then make
`no2_peak_hour`: the hour (an `int`) at which that mean is highest.
Hint: `diurnal_cycle(ref, "no2")`, or group `r["no2"]` by `r.index.hour`.""",
                                """## Q1. 이산화질소의 일주기 (4점)

`no2_cycle`을 만드세요. 1년 전체에 걸친 여러분 측정소의 이산화질소(NO₂, ppm) 평균을 **서울 시각으로
하루 중 시각(0–23시)마다** 구한 것이에요(시각을 인덱스로 하는 값 24개짜리 Series). 이어서
`no2_peak_hour`를 만드세요. 그 평균이 가장 높은 시각(`int`)이에요. 이것이 일주기(daily cycle)예요.
힌트(hint): `diurnal_cycle(ref, "no2")`, 또는 `r["no2"]`를 `r.index.hour`로 묶어서 요약하기(group by).""")),
        answer("no2_cycle", """### BEGIN SOLUTION
no2_cycle = diurnal_cycle(ref, "no2")
### END SOLUTION"""),
        tests("test_no2_cycle_shape", T('''"""no2_cycle has one value for each hour of the day, 0 to 23."""
assert len(no2_cycle) == 24, "one value per hour of the day"
assert list(no2_cycle.index) == list(range(24)), "index the cycle by hour 0-23"''',
                                        '''"""no2_cycle는 하루 중 각 시각(0–23시)마다 값이 하나씩 있어요."""
assert len(no2_cycle) == 24, "하루 중 시각마다 값이 하나씩 있어야 해요"
assert list(no2_cycle.index) == list(range(24)), "인덱스는 0–23시여야 해요"'''), 1),
        tests("test_no2_cycle_values", T('''"""no2_cycle holds your station's mean NO2 by Seoul hour of the day."""
assert 0 < float(no2_cycle.mean()) < 0.2, "NO2 is in ppm, e.g. 0.03"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r["no2"].groupby(_r.index.hour).mean().reindex(range(24))
assert _np.allclose(_np.asarray(no2_cycle, float), _want.to_numpy(float), rtol=1e-6), \\
    "the hourly means differ from your station's (wrong station, time zone or statistic?)"
### END HIDDEN TESTS''', '''"""no2_cycle는 서울 시각 기준, 여러분 측정소의 시각별 NO2 평균이에요."""
assert 0 < float(no2_cycle.mean()) < 0.2, "NO2 단위는 ppm이에요(예: 0.03)"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r["no2"].groupby(_r.index.hour).mean().reindex(range(24))
assert _np.allclose(_np.asarray(no2_cycle, float), _want.to_numpy(float), rtol=1e-6), \\
    "시각별 평균이 여러분 측정소의 값과 달라요(측정소, 시간대, 통계량을 확인하세요)"
### END HIDDEN TESTS'''), 2),
        answer("no2_peak_hour", """### BEGIN SOLUTION
no2_peak_hour = int(no2_cycle.idxmax())
### END SOLUTION"""),
        tests("test_no2_peak_hour", T('''"""no2_peak_hour is the Seoul hour with the highest mean NO2."""
assert isinstance(no2_peak_hour, (int, np.integer)) and 0 <= no2_peak_hour <= 23, "an hour 0-23"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(no2_peak_hour) == int(_r["no2"].groupby(_r.index.hour).mean().idxmax()), \\
    "not the Seoul hour with your station's highest mean NO2"
### END HIDDEN TESTS''', '''"""no2_peak_hour는 NO2 평균이 가장 높은 서울 시각이에요."""
assert isinstance(no2_peak_hour, (int, np.integer)) and 0 <= no2_peak_hour <= 23, "0–23 사이의 시각이어야 해요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(no2_peak_hour) == int(_r["no2"].groupby(_r.index.hour).mean().idxmax()), \\
    "여러분 측정소에서 NO2 평균이 가장 높은 서울 시각이 아니에요"
### END HIDDEN TESTS'''), 1),

        markdown("q2_prompt", T("""## Q2. Weekdays and weekends (2 points)

Make `weekend_change`: how much lower (or higher) your station's NO₂ is at weekends, **in percent
of the weekday level**, as a `float`. Use daily means of Seoul days: the mean of the weekend days'
daily means minus the mean of the weekday days' daily means, divided by the weekday one, times 100
(negative: lower at weekends). Hint: `weekend_effect(ref, "no2")`.""",
                                """## Q2. 평일과 주말 (2점)

`weekend_change`를 만드세요. 여러분 측정소의 NO₂가 주말에 얼마나 낮은지(또는 높은지)를 **평일 수준에
대한 백분율(%)** 로 나타낸 `float`예요. 서울 날짜의 일평균(daily mean)을 써요. 주말 날들의
일평균의 평균에서 평일 날들의 일평균의 평균을 빼고, 평일 값으로 나눈 뒤 100을 곱해요(음수면 주말에
더 낮다는 뜻). 힌트: `weekend_effect(ref, "no2")`.""")),
        answer("weekend_change", """### BEGIN SOLUTION
weekend_change = float(weekend_effect(ref, "no2")["change_percent"])
### END SOLUTION"""),
        tests("test_weekend_change", T('''"""weekend_change is the weekend change of daily-mean NO2, in percent of weekdays."""
assert isinstance(weekend_change, float), "a float (a percentage such as -9.5)"
assert -100 < weekend_change < 100, "a percentage, not a fraction or ppm"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_d = _r["no2"].resample("D").mean().dropna()
_weekend = _d.index.day_of_week >= 5
_want = 100 * (_d[_weekend].mean() - _d[~_weekend].mean()) / _d[~_weekend].mean()
assert abs(weekend_change - _want) < 1e-6 * max(1.0, abs(_want)), \\
    "not your station's weekend change of NO2 in percent of the weekday level (sign? Seoul days?)"
### END HIDDEN TESTS''', '''"""weekend_change는 평일 대비 주말의 NO2 일평균 변화(%)예요."""
assert isinstance(weekend_change, float), "float여야 해요(예: -9.5 같은 백분율)"
assert -100 < weekend_change < 100, "비율(0.1)이나 ppm이 아니라 백분율이어야 해요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_d = _r["no2"].resample("D").mean().dropna()
_weekend = _d.index.day_of_week >= 5
_want = 100 * (_d[_weekend].mean() - _d[~_weekend].mean()) / _d[~_weekend].mean()
assert abs(weekend_change - _want) < 1e-6 * max(1.0, abs(_want)), \\
    "평일 대비 주말 NO2 변화(%)가 여러분 측정소의 값과 달라요(부호? 서울 날짜?)"
### END HIDDEN TESTS'''), 2),

        markdown("q3_prompt", T("""## Q3. Seasons and episodes (4 points)

a) Make `winter_pm25` and `summer_pm25`: the mean of **all hourly** PM2.5 readings (µg/m³) of
your station in the meteorological winter (December, January, February) and summer (June, July,
August) of 2024, as `float`s. Hint: `r.index.month.isin([...])`.

b) Make `n_episodes`: the number of **episodes** (고농도 사례) at your station: runs of **at
least two consecutive Seoul days** whose daily mean PM2.5 is above 35 µg/m³ (나쁨), as an `int`.
Hint: `episodes(daily_means(ref, "pm25"), 35, min_length=...)`.""",
                                """## Q3. 계절과 고농도 사례 (4점)

a) `winter_pm25`와 `summer_pm25`를 만드세요. 2024년 기상학적 겨울(12월, 1월, 2월)과 여름(6월, 7월,
8월) 동안 여러분 측정소의 **모든 시간별** 초미세먼지(PM2.5, µg/m³) 측정값의 평균(`float`)이에요.
이것이 계절 변동(seasonal variation)이에요. 힌트: `r.index.month.isin([...])`.

b) `n_episodes`를 만드세요. 여러분 측정소의 **고농도 사례(episode)** 개수(`int`)예요. 일평균
초미세먼지가 35 µg/m³를 넘는(나쁨) 서울 날짜가 **적어도 이틀 연속** 이어진 구간 하나를 사례 하나로
세요. 힌트: `episodes(daily_means(ref, "pm25"), 35, min_length=...)`.""")),
        answer("season_means", """### BEGIN SOLUTION
winter_pm25 = float(r.loc[r.index.month.isin([12, 1, 2]), "pm25"].mean())
summer_pm25 = float(r.loc[r.index.month.isin([6, 7, 8]), "pm25"].mean())
### END SOLUTION"""),
        tests("test_winter_pm25", T('''"""winter_pm25 is the mean hourly PM2.5 of December, January and February."""
assert 1 < winter_pm25 < 200, "a PM2.5 concentration in µg/m³"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([12, 1, 2]), "pm25"].mean()
assert abs(winter_pm25 - _want) < 1e-6 * _want, "not your station's winter (Dec, Jan, Feb) mean PM2.5"
### END HIDDEN TESTS''', '''"""winter_pm25는 12월, 1월, 2월의 시간별 PM2.5 평균이에요."""
assert 1 < winter_pm25 < 200, "µg/m³ 단위의 PM2.5 농도여야 해요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([12, 1, 2]), "pm25"].mean()
assert abs(winter_pm25 - _want) < 1e-6 * _want, "여러분 측정소의 겨울(12, 1, 2월) PM2.5 평균이 아니에요"
### END HIDDEN TESTS'''), 1),
        tests("test_summer_pm25", T('''"""summer_pm25 is the mean hourly PM2.5 of June, July and August."""
assert 1 < summer_pm25 < 200, "a PM2.5 concentration in µg/m³"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([6, 7, 8]), "pm25"].mean()
assert abs(summer_pm25 - _want) < 1e-6 * _want, "not your station's summer (Jun, Jul, Aug) mean PM2.5"
### END HIDDEN TESTS''', '''"""summer_pm25는 6월, 7월, 8월의 시간별 PM2.5 평균이에요."""
assert 1 < summer_pm25 < 200, "µg/m³ 단위의 PM2.5 농도여야 해요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc[_r.index.month.isin([6, 7, 8]), "pm25"].mean()
assert abs(summer_pm25 - _want) < 1e-6 * _want, "여러분 측정소의 여름(6, 7, 8월) PM2.5 평균이 아니에요"
### END HIDDEN TESTS'''), 1),
        answer("n_episodes", """### BEGIN SOLUTION
n_episodes = len(episodes(daily_means(ref, "pm25"), 35, min_length=2))
### END SOLUTION"""),
        tests("test_n_episodes", T('''"""n_episodes counts runs of at least two Seoul days with daily mean PM2.5 above 35."""
assert isinstance(n_episodes, (int, np.integer)) and n_episodes >= 0, "a count (an int)"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_above = (_r["pm25"].resample("D").mean() > 35).astype(int).to_numpy()
_runs, _length = 0, 0
for _a in list(_above) + [0]:
    if _a:
        _length += 1
    else:
        _runs += _length >= 2
        _length = 0
assert int(n_episodes) == _runs, "not your station's number of episodes of two days or more"
### END HIDDEN TESTS''', '''"""n_episodes는 일평균 PM2.5가 35를 넘는 날이 이틀 이상 이어진 구간의 개수예요."""
assert isinstance(n_episodes, (int, np.integer)) and n_episodes >= 0, "개수(int)여야 해요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_above = (_r["pm25"].resample("D").mean() > 35).astype(int).to_numpy()
_runs, _length = 0, 0
for _a in list(_above) + [0]:
    if _a:
        _length += 1
    else:
        _runs += _length >= 2
        _length = 0
assert int(n_episodes) == _runs, "여러분 측정소의 이틀 이상 고농도 사례 개수가 아니에요"
### END HIDDEN TESTS'''), 2),

        markdown("q4_prompt", T("""## Q4. Ozone, heat, humidity: correlation or cause? (3 points)

a) Make `r_ozone_heat`: the **correlation coefficient** *r* (Pearson) between your station's
hourly O₃ and temperature, as a `float`. Hint: `r["o3"].corr(r["temperature"])`.

b) The table `pairs` (made for you above) puts the street sensor's hourly PM2.5 beside the
station's, with the station's humidity. Make `humid_ratio`: the **median** of
`pm25_street / pm25_reference` over the hours when `humidity_reference` is **above 80 %RH**, and
`dry_ratio`: the same median over the hours at **80 %RH or below** (both `float`s).""",
                                """## Q4. 오존, 더위, 습도: 상관관계일까 인과관계일까? (3점)

a) `r_ozone_heat`를 만드세요. 여러분 측정소의 시간별 오존(O₃)과 기온 사이의 **상관계수** *r*
(피어슨, Pearson)이에요(`float`). 이것은 상관관계(correlation)의 세기를 나타내요.
힌트: `r["o3"].corr(r["temperature"])`.

b) 위에서 미리 만든 표 `pairs`에는 거리 센서의 시간별 초미세먼지가 측정소의 값과 측정소의 상대습도
(%RH)와 나란히 있어요. `humid_ratio`를 만드세요. `humidity_reference`가 **80 %RH보다 높은** 시간들의
`pm25_street / pm25_reference`의 **중앙값(median)** 이에요. `dry_ratio`는 **80 %RH 이하**인 시간들의
같은 중앙값이에요(둘 다 `float`).""")),
        answer("r_ozone_heat", """### BEGIN SOLUTION
r_ozone_heat = float(r["o3"].corr(r["temperature"]))
### END SOLUTION"""),
        tests("test_r_ozone_heat", T('''"""r_ozone_heat is Pearson's r of your station's hourly O3 and temperature."""
assert -1 <= r_ozone_heat <= 1, "a correlation coefficient lies between -1 and 1"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_both = _r[["o3", "temperature"]].dropna().to_numpy(float)
_want = _np.corrcoef(_both[:, 0], _both[:, 1])[0, 1]
assert abs(r_ozone_heat - _want) < 1e-6, "not Pearson's r of your station's O3 and temperature (r, not r²?)"
### END HIDDEN TESTS''', '''"""r_ozone_heat는 여러분 측정소의 시간별 O3와 기온의 피어슨 r이에요."""
assert -1 <= r_ozone_heat <= 1, "상관계수는 -1과 1 사이에 있어요"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_both = _r[["o3", "temperature"]].dropna().to_numpy(float)
_want = _np.corrcoef(_both[:, 0], _both[:, 1])[0, 1]
assert abs(r_ozone_heat - _want) < 1e-6, "여러분 측정소의 O3와 기온의 피어슨 r이 아니에요(r² 말고 r인가요?)"
### END HIDDEN TESTS'''), 1),
        answer("humidity_ratios", """### BEGIN SOLUTION
ratio = pairs["pm25_street"] / pairs["pm25_reference"]
humid_ratio = float(ratio[pairs["humidity_reference"] > 80].median())
dry_ratio = float(ratio[pairs["humidity_reference"] <= 80].median())
### END SOLUTION"""),
        tests("test_humid_ratio", T('''"""humid_ratio is the median street/reference PM2.5 ratio above 80 %RH."""
assert 0 < humid_ratio < 10, "a ratio of two concentrations (about 0.2 to 3)"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(humid_ratio - _ratio[_p["h"] > 80].median()) < 1e-6, \\
    "not the median ratio of your pair in the hours above 80 %RH"
### END HIDDEN TESTS''', '''"""humid_ratio는 80 %RH보다 습할 때 거리 센서/측정소 PM2.5 비의 중앙값이에요."""
assert 0 < humid_ratio < 10, "두 농도의 비여야 해요(대략 0.2–3)"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(humid_ratio - _ratio[_p["h"] > 80].median()) < 1e-6, \\
    "80 %RH보다 습한 시간들의 비의 중앙값이 아니에요"
### END HIDDEN TESTS'''), 1),
        tests("test_dry_ratio", T('''"""dry_ratio is the median street/reference PM2.5 ratio at 80 %RH or below."""
assert 0 < dry_ratio < 10, "a ratio of two concentrations (about 0.2 to 3)"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(dry_ratio - _ratio[_p["h"] <= 80].median()) < 1e-6, \\
    "not the median ratio of your pair in the hours at 80 %RH or below"
### END HIDDEN TESTS''', '''"""dry_ratio는 80 %RH 이하일 때 거리 센서/측정소 PM2.5 비의 중앙값이에요."""
assert 0 < dry_ratio < 10, "두 농도의 비여야 해요(대략 0.2–3)"
### BEGIN HIDDEN TESTS
''' + EXPECTED_PAIRS + '''
assert abs(dry_ratio - _ratio[_p["h"] <= 80].median()) < 1e-6, \\
    "80 %RH 이하인 시간들의 비의 중앙값이 아니에요"
### END HIDDEN TESTS'''), 1),

        markdown("q5_prompt", T("""## Q5. How sure are we? A bootstrap interval (3 points)

Make `pm25_ci`: a **95 % bootstrap confidence interval** of your station's mean **daily** PM2.5
over 2024, from its daily means of Seoul days, with **2,000 resamples and seed 0**. Use
`bootstrap_ci(...)` (as lesson 05.5) or give a tuple `(low, high)`.
Why daily means and not the 8,784 hourly values? Lesson 05.5 explains it.""",
                                """## Q5. 얼마나 확실할까? 부트스트랩 구간 (3점)

`pm25_ci`를 만드세요. 여러분 측정소의 2024년 **일평균** 초미세먼지의 평균에 대한 **95 % 부트스트랩
(bootstrap) 신뢰구간(confidence interval)** 이에요. 서울 날짜의 일평균으로 구하고, **재표본 2,000개,
시드(seed) 0**을 써요. 수업 05.5처럼 `bootstrap_ci(...)`를 쓰거나 `(low, high)` 튜플로 답하세요.
왜 8,784개의 시간별 값이 아니라 일평균을 쓸까요? 수업 05.5에 설명이 있어요.""")),
        answer("pm25_ci", """### BEGIN SOLUTION
pm25_ci = bootstrap_ci(daily_means(ref, "pm25"), n=2000, seed=0)
### END SOLUTION"""),
        tests("test_pm25_ci_shape", T('''"""pm25_ci is an interval (low, high) around the mean daily PM2.5."""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
_mean = r["pm25"].resample("D").mean().mean()
assert _low < _mean < _high, "the interval should contain the mean of the daily means"
### BEGIN HIDDEN TESTS
assert _high - _low < 0.5 * _mean, "a 95 % interval of a year's mean is much narrower than this"
### END HIDDEN TESTS''', '''"""pm25_ci는 일평균 PM2.5의 평균을 감싸는 구간(low, high)이에요."""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
_mean = r["pm25"].resample("D").mean().mean()
assert _low < _mean < _high, "구간 안에 일평균들의 평균이 들어 있어야 해요"
### BEGIN HIDDEN TESTS
assert _high - _low < 0.5 * _mean, "1년 평균의 95 % 구간은 이보다 훨씬 좁아요"
### END HIDDEN TESTS'''), 1),
        tests("test_pm25_ci_values", T('''"""pm25_ci is the seed-0 bootstrap interval of your station's daily means."""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
assert _low < _high
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_days = _r["pm25"].resample("D").mean().dropna().to_numpy(float)
_rng = _np.random.default_rng(0)
_means = [_days[_rng.integers(0, len(_days), len(_days))].mean() for _ in range(2000)]
_want = _np.percentile(_means, [2.5, 97.5])
assert _np.allclose([_low, _high], _want, rtol=1e-6), \\
    "not the 95 % interval of your station's daily means (daily, not hourly? seed 0? 2,000 resamples?)"
### END HIDDEN TESTS''', '''"""pm25_ci는 여러분 측정소 일평균의 시드 0 부트스트랩 구간이에요."""
_low, _high = (pm25_ci.low, pm25_ci.high) if hasattr(pm25_ci, "low") else tuple(pm25_ci)
assert _low < _high
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_days = _r["pm25"].resample("D").mean().dropna().to_numpy(float)
_rng = _np.random.default_rng(0)
_means = [_days[_rng.integers(0, len(_days), len(_days))].mean() for _ in range(2000)]
_want = _np.percentile(_means, [2.5, 97.5])
assert _np.allclose([_low, _high], _want, rtol=1e-6), \\
    "여러분 측정소 일평균의 95 % 구간이 아니에요(시간별 값이 아니라 일평균? 시드 0? 재표본 2,000개?)"
### END HIDDEN TESTS'''), 2),

        markdown("q6_prompt", T("""## Q6. What would you tell the district office? (4 points, graded by your teacher)

An official of your district writes: *"Hot hours have more ozone, so heat makes ozone. And our
new street sensor shows more fine dust in humid hours, so humid air is dirtier: we will tell
residents to stay indoors on humid days."* Using your answers to Q3–Q5, write a short reply
(four to six sentences): what do the numbers show, which claims are correlation and which are
causation, and what would you check before acting?

**Rubric (4 points).** 1: uses your own numbers with units (r, the two ratios, a seasonal
mean or the interval). 1: correlation is not causation for ozone, with the likely common cause
(sunlight: sunny hours are hot *and* make ozone from NO₂). 1: the humidity claim rests on the
street sensor over-reading in humid air (its ratio to the station rises): an instrument artefact.
Whether humid air is also dirtier is a question for the station, with its own correlation, interval
and confounders (season, wind); the street sensor cannot answer it. 1: a sensible
check or next step (compare with the station, a humidity correction as in module 06, look at
the interval before claiming a difference).""",
                                """## Q6. 구청에 무엇이라고 말할까요? (4점, 선생님이 채점)

여러분 자치구의 담당자가 이렇게 썼어요. *"더운 시간에 오존이 많으니 더위가 오존을 만든다. 그리고
새 거리 센서를 보니 습한 시간에 초미세먼지가 더 많으니 습한 공기가 더 더럽다. 습한 날에는 주민들에게
실내에 머무르라고 안내하겠다."* Q3–Q5의 답을 근거로 짧은 답장(4–6문장)을 쓰세요. 숫자는 무엇을
보여 주나요? 어느 주장이 상관관계이고 어느 것이 인과관계(causation)인가요? 행동하기 전에 무엇을
확인하겠어요?

**채점 기준 (4점).** 1: 자신의 숫자를 단위와 함께 씀(r, 두 비, 계절 평균, 신뢰구간 중에서).
1: 오존은 상관관계일 뿐 인과관계가 아님을 말하고 그럴듯한 공통 원인을 듦(햇빛: 해가 강한 시간은
덥기도 하고 NO₂로부터 오존을 만들기도 함). 1: 습도 주장은 습한 공기에서 거리 센서가 실제보다 높게
읽는 현상(습도 간섭: 측정소에 대한 비가 커짐)에 기대고 있음을 지적함(측정기의 문제). 습한 공기가 정말
더 더러운지는 측정소 자료로, 그 상관계수와 신뢰구간과 교란 변수(계절, 바람)를 따져 물어야 하며 거리
센서로는 답할 수 없음. 1: 합리적인 확인이나 다음 단계(측정소와 비교,
모듈 06처럼 습도 보정, 차이를 주장하기 전에 신뢰구간 확인).""")),
        written("q6_district_office", T("""(Model answer for Dongjak-gu, the district of student s0001.) At our station
ozone and temperature are strongly correlated (r = 0.57), but that does not show that heat makes
ozone: sunny hours are both hot and the hours when sunlight turns NO₂ into ozone, so sunlight is
a common cause. The street sensor reads 0.27 times the station's PM2.5 at 80 %RH or below but
0.37 times above 80 %RH, more than a third more in humid air: particles swell with water and
the cheap sensor over-reads. So the sensor's numbers say nothing yet about whether humid air is
dirtier; that needs the station's own correlation with humidity, its interval, and the season and
wind held still. The sensor needs a humidity correction (module 06) before its numbers are used. For advice I would rely on the station's daily means (winter 28.8 µg/m³
against 17.4 in summer; yearly mean 22.2 µg/m³, 95 % interval 20.6–23.9 µg/m³) and its 12
episodes of two or more days above 35 µg/m³.""",
                                                """(동작구 모범 답안, 학생 s0001의 자치구) 우리 측정소에서 오존과 기온은 상관관계가
강하지만(r = 0.57), 그렇다고 더위가 오존을 만든다는 뜻은 아니에요. 해가 강한 시간은 덥기도 하고,
햇빛이 NO₂를 오존으로 바꾸는 시간이기도 하므로 햇빛이 공통 원인이에요. 거리 센서는 80 %RH 이하일
때 측정소 초미세먼지의 0.27배, 80 %RH보다 습할 때 0.37배를 읽어요. 습한 공기에서 3분의 1 넘게 더
읽는 셈이에요. 입자가 물을 머금어 부풀고 값싼 센서가 높게 읽는 것이에요(습도 간섭). 그러니 센서 값은
습한 공기가 더 더러운지에 관해 아직 아무것도 말해 주지 못해요. 그것을 알려면 측정소의 습도와의
상관계수와 신뢰구간을 보고, 계절과 바람을 고정해 봐야 해요. 센서 값을 쓰기 전에 습도 보정(모듈 06)이
필요해요. 안내는 측정소의 일평균(겨울 28.8 µg/m³, 여름 17.4 µg/m³,
1년 평균 22.2 µg/m³, 95 % 신뢰구간 20.6–23.9 µg/m³)과 35 µg/m³를 이틀 이상 넘은 고농도 사례
12번을 근거로 하겠어요."""), 4),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

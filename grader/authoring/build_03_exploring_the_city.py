"""Write assignment 03 in English and Korean (commit all three files).

    .venv/bin/python grader/authoring/build_03_exploring_the_city.py

writes grader/source/03-exploring-the-city/03-exploring-the-city.ipynb and the Korean release
grader/source-ko/03-exploring-the-city/03-exploring-the-city.ipynb from one ``build(lang)``.
Every student gets a street sensor of their own (sensorlab.grading.variants.pick_site of their
student id); the hidden tests recompute that student's answers from the bundled city.
"""

from pathlib import Path

from sensorlab.grading.authoring import answer, markdown, notebook, setup, tests, write_editions, written

NAME = "03-exploring-the-city"
COURSE = Path(__file__).resolve().parents[1]

# Hidden tests recompute the student's sensor from the id, never from variables in the notebook.
EXPECTED = '''from sensorlab.datasets import load_city as _load_city
from sensorlab.grading.variants import pick_site as _pick_site, student_id as _student_id
_city = _load_city()
_site = _pick_site(_student_id(), _city.sites)
_r = _city.readings[_city.readings["site_id"] == _site].set_index("timestamp").sort_index()'''


def build(lang: str):
    """The assignment notebook in ``lang`` ("en" or "ko")."""
    def T(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    korean_setup = 'from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else ""
    cells = [
        markdown("intro", T("""# Assignment 03 — Exploring your street sensor

Each of you has **your own S-DoT street sensor** from the bundled synthetic year of Seoul
(2024, hourly). The cell below tells you which one; your answers are checked against *your*
sensor's data, so a neighbour's numbers will not pass.

Timestamps are in Seoul time (`Asia/Seoul`, UTC+9): a "day" is a Seoul day. Run the test cell
under each answer to check it; more checks run when your teacher grades it.""", """# 과제 03 — 내 거리 센서 살펴보기

여러분은 패키지에 들어 있는 서울의 가상 1년치 데이터(2024년, 1시간 간격)에서 **각자 자기만의
S-DoT(스마트서울 도시데이터 센서) 거리 센서**를 하나씩 받아요. 아래 셀이 어느 센서인지 알려
줘요. 답은 *여러분* 센서의 데이터로 확인하므로 옆 친구의 숫자로는 통과하지 못해요.

타임스탬프(timestamp)는 한국 표준시(KST, `Asia/Seoul`, UTC+9)예요. "하루"는 서울의 하루예요.
답마다 아래에 있는 테스트 셀을 실행해 확인하세요. 선생님이 채점할 때는 검사를 더 해요.""")),
        setup("load_data", korean_setup + """from sensorlab.datasets import load_city
from sensorlab.grading.variants import pick_site, student_id

city = load_city()
SITE = pick_site(student_id(), city.sites)
r = city.readings[city.readings["site_id"] == SITE].set_index("timestamp").sort_index()
print(""" + T('"Your sensor:", SITE, "in", city.sites.set_index("site_id").loc[SITE, "district"]',
             '"내 센서:", SITE, "/ 자치구:", city.sites.set_index("site_id").loc[SITE, "district_ko"]') + ")"),
        markdown("q1_prompt", T("""## Q1. Daily means (3 points)

Make `january_daily`: the mean PM2.5 of **each Seoul day of January 2024** at your sensor
(a Series with one value per day). Hint: `r.loc["2024-01", "pm25"]` and `.resample("D")`.""",
                                """## Q1. 일평균 (3점)

`january_daily`를 만드세요. 여러분 센서에서 **2024년 1월의 서울 날짜별** 초미세먼지(PM2.5)
평균, 즉 일평균(daily mean)이에요(하루에 값 하나인 Series).
힌트: `r.loc["2024-01", "pm25"]`와 `.resample("D")`.""")),
        answer("january_daily", """### BEGIN SOLUTION
january_daily = r.loc["2024-01", "pm25"].resample("D").mean()
### END SOLUTION"""),
        tests("test_january_daily_shape", T('''"""january_daily has one value per January day, in Seoul time."""''',
                                           '''"""january_daily가 한국 표준시로 1월 하루에 값 하나씩인지 확인해요."""''') + '''
assert len(january_daily) == 31, "''' + T("January has 31 days", "1월은 31일이에요") + '''"
assert str(january_daily.index.tz) == "Asia/Seoul", "''' + T("keep Seoul time: do not convert to UTC",
                                                             "한국 표준시를 유지하세요. UTC로 바꾸면 안 돼요") + '''"
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert (january_daily.index == _want.index).all(), "''' + T("the days are not January's Seoul days",
                                                            "날짜가 서울 기준 1월의 날짜가 아니에요") + '''"
### END HIDDEN TESTS''', 1),
        tests("test_january_daily_values", T('''"""january_daily holds your sensor's daily mean PM2.5 for Seoul days."""''',
                                            '''"""january_daily가 내 센서의 서울 날짜별 PM2.5 일평균인지 확인해요."""''') + '''
assert january_daily.notna().sum() > 20
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].resample("D").mean()
assert _np.allclose(_np.asarray(january_daily, float), _want.to_numpy(float), equal_nan=True), \\
    "''' + T("the daily means differ from your sensor's (wrong sensor, time zone or function?)",
             "일평균이 내 센서의 값과 달라요(센서, 시간대, 함수를 확인하세요)") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q2_prompt", T("""## Q2. A day-long average (2 points)

Make `rolling_24h`: the mean PM2.5 over the **last 24 hours** at each hour of January
(`.rolling(24).mean()`; the first 23 hours have no full day behind them and stay NaN).""",
                                """## Q2. 하루 동안의 평균 (2점)

`rolling_24h`를 만드세요. 1월의 매시간마다 **지난 24시간** 동안의 PM2.5 평균이에요
(`.rolling(24).mean()`. 처음 23시간은 뒤에 온전한 하루가 없으므로 결측값(NaN)으로 남아요).""")),
        answer("rolling_24h", """### BEGIN SOLUTION
rolling_24h = r.loc["2024-01", "pm25"].rolling(24).mean()
### END SOLUTION"""),
        tests("test_rolling_24h", T('''"""rolling_24h is a 24-hour rolling mean of your sensor's January PM2.5."""''',
                                   '''"""rolling_24h가 내 센서 1월 PM2.5의 24시간 이동 평균인지 확인해요."""''') + '''
assert len(rolling_24h) == 31 * 24
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
import numpy as _np
_want = _r.loc["2024-01", "pm25"].rolling(24).mean()
assert rolling_24h.isna().sum() == _want.isna().sum(), "''' + T("the window is not 24 hours",
                                                                "창의 길이가 24시간이 아니에요") + '''"
assert _np.allclose(_np.asarray(rolling_24h, float), _want.to_numpy(float), equal_nan=True)
### END HIDDEN TESTS''', 2),
        markdown("q3_prompt", T("""## Q3. The noisiest hour (2 points)

Make `noisiest_hour`: the hour of the day (0–23, **Seoul time**) at which your sensor's
`noise` is highest on average over the whole year, as an `int`.""", """## Q3. 가장 시끄러운 시각 (2점)

`noisiest_hour`를 만드세요. 한 해 전체로 평균했을 때 여러분 센서의 소음(`noise`)이 가장 높은
하루 중 시각(0–23, **한국 표준시**)을 `int`로 구하세요.""")),
        answer("noisiest_hour", """### BEGIN SOLUTION
noisiest_hour = int(r["noise"].groupby(r.index.hour).mean().idxmax())
### END SOLUTION"""),
        tests("test_noisiest_hour", T('''"""noisiest_hour is the Seoul-time hour with the highest mean noise."""''',
                                     '''"""noisiest_hour가 평균 소음이 가장 높은 한국 표준시 시각인지 확인해요."""''') + '''
assert 0 <= noisiest_hour <= 23
### BEGIN HIDDEN TESTS
''' + EXPECTED + '''
assert int(noisiest_hour) == int(_r["noise"].groupby(_r.index.hour).mean().idxmax()), \\
    "''' + T("not the noisiest Seoul hour of your sensor", "내 센서에서 가장 시끄러운 서울 시각이 아니에요") + '''"
### END HIDDEN TESTS''', 2),
        markdown("q4_prompt", T("""## Q4. What would you tell the district office? (3 points, graded by your teacher)

Using your answers, write three or four sentences to your sensor's district office: when is
the air worst, how sure are you, and what would you check before acting?

**Rubric (3 points).** 1: a concrete finding with numbers and units (µg/m³, the day or hour).
1: an honest limit (one sensor, synthetic year, low-cost sensor drift, missing hours).
1: a sensible next step (compare with the district's reference station, another month).""",
                                """## Q4. 구청에 무엇이라고 말할까요? (3점, 선생님이 채점)

여러분의 답을 바탕으로 센서가 있는 자치구(district)의 구청에 서너 문장을 쓰세요. 공기가 언제
가장 나쁜가요? 얼마나 확실한가요? 조치하기 전에 무엇을 확인하겠어요?

**채점 기준(Rubric, 3점).** 1점: 숫자와 단위(µg/m³, 날짜나 시각)가 있는 구체적인 발견.
1점: 솔직한 한계(센서 하나, 가상의 한 해, 간이측정기의 드리프트, 빠진 시간).
1점: 합리적인 다음 단계(그 자치구의 도시대기측정소와 비교, 다른 달 확인).""")),
        written("q4_district_office", T("""PM2.5 at my sensor was highest on the worst January day (about the value in
`january_daily.max()` µg/m³), and noise peaks at the rush hour found in Q3. This is one low-cost
sensor in a synthetic year, so I would compare it with the reference station of the district
and check missing hours before asking for action.""", """내 센서의 PM2.5는 1월 중 가장 나쁜 날에 가장 높았고(`january_daily.max()` µg/m³ 정도),
소음은 Q3에서 찾은 출퇴근 시각에 가장 커요. 가상의 한 해 동안 간이측정기 하나로 잰 값이므로,
조치를 요청하기 전에 그 자치구의 도시대기측정소와 비교하고 빠진 시간을 확인하겠어요."""), 3),
    ]
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

"""Write the capstone, graded by rubric, in English and Korean (commit all three files).

    .venv/bin/python grader/authoring/build_08_capstone.py

writes grader/source/08-capstone-project/08-capstone-project.ipynb and the Korean release
grader/source-ko/08-capstone-project/08-capstone-project.ipynb from one ``build(lang)``.
No autograded items: each section is a manually graded answer with its rubric in the question
cell (students see how they will be graded; teachers grade in the formgrader).
"""

from pathlib import Path

from nbformat.v4 import new_code_cell

from sensorlab.grading.authoring import _meta, markdown, notebook, write_editions, written

NAME = "08-capstone-project"
COURSE = Path(__file__).resolve().parents[1]


def work_cell(grade_id: str, code: str, points: float):
    """A manually graded code answer (the team's analysis code; graded by rubric, not tests)."""
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, solution=True, locked=False, points=points))


# (grade id, title, points, what to write, rubric, model answer), each text as {"en": ..., "ko": ...}
SECTIONS = [
    ("question", {"en": "1. Your question", "ko": "1. 우리 팀의 질문"}, 4,
     {"en": "Which question about Seoul's air, noise or weather does your team answer, for whom, and why does it matter?",
      "ko": "우리 팀은 서울의 공기, 소음, 날씨에 대한 어떤 질문에 답하나요? 그 답은 누구에게 필요하고, 왜 중요한가요?"},
     {"en": "4: specific, answerable with the data, names who would use the answer. 2: answerable but vague. 0: no question.",
      "ko": "4: 구체적이고, 데이터로 답할 수 있으며, 답을 쓸 사람이 누구인지 밝힘. 2: 답할 수는 있지만 막연함. 0: 질문 없음."},
     {"en": "Do street sensors in Jongno-gu read higher PM2.5 than the reference station on winter evenings, and should the district office trust them for alerts?",
      "ko": "겨울 저녁에 종로구 거리 센서의 초미세먼지(PM2.5)가 도시대기측정소보다 높게 나오나요? 구청은 경보에 이 센서를 믿어도 될까요?"}),
    ("data", {"en": "2. Your data", "ko": "2. 우리 팀의 데이터"}, 4,
     {"en": "Which data (your box, the bundled city, real S-DoT files), which sites and period; what did you clean and why?",
      "ko": "어떤 데이터(우리 센서 상자, 패키지에 든 가상 도시, 실제 S-DoT 파일)를, 어느 지점과 기간으로 썼나요? 무엇을 정제했고 왜 그랬나요?"},
     {"en": "4: sources credited, cleaning steps justified with counts (rows dropped, flags). 2: sources named, cleaning unexplained. 0: unknown data.",
      "ko": "4: 출처를 밝히고, 정제 단계를 개수(버린 행, 플래그)로 근거를 댐. 2: 출처는 밝혔지만 정제 설명 없음. 0: 데이터를 알 수 없음."},
     {"en": "Bundled city 2024, the four Jongno-gu street sensors and ref-101; dropped the faulty readings (-999, zeros, bursts) and the stuck-value hours found with the cleaning flags.",
      "ko": "패키지의 2024년 가상 도시, 종로구 거리 센서 네 대와 ref-101. 고장값(-999, 0, 튀는 값)과 정제 플래그로 찾은 멈춘 값의 시간을 뺐어요."}),
]
ANALYSIS_RUBRIC = {
    "en": ("6: code runs top to bottom, each step commented with why; figures labelled with units and Seoul time. "
           "3: runs but hard to follow or unlabelled. 0: does not run."),
    "ko": ("6: 코드가 처음부터 끝까지 실행되고, 단계마다 왜 그렇게 했는지 주석이 있음. 그림에 단위와 한국 표준시(KST)가 표시됨. "
           "3: 실행되지만 따라가기 어렵거나 표시가 없음. 0: 실행되지 않음."),
}
FINDINGS = [
    ("findings", {"en": "4. What you found", "ko": "4. 우리가 알아낸 것"}, 6,
     {"en": "Your answer with numbers, units and uncertainty (a range, a comparison with the reference station).",
      "ko": "숫자, 단위, 불확실성(범위, 도시대기측정소와의 비교)을 넣어 답하세요."},
     {"en": "6: answer supported by the analysis, with uncertainty. 3: answer without uncertainty. 0: no answer.",
      "ko": "6: 분석이 뒷받침하는 답과 불확실성. 3: 불확실성 없는 답. 0: 답 없음."},
     "winter evenings"),
    ("limits", {"en": "5. Limits and next steps", "ko": "5. 한계와 다음 단계"}, 4,
     {"en": "What could make your answer wrong (sensor drift, missing hours, synthetic data, one year), and what would you check next?",
      "ko": "무엇 때문에 답이 틀릴 수 있나요(센서 드리프트, 빠진 시간, 가상 데이터, 한 해뿐)? 다음에는 무엇을 확인하겠어요?"},
     {"en": "4: two or more real limits tied to your data, a concrete next step. 2: generic limits. 0: none.",
      "ko": "4: 우리 데이터와 이어진 실제 한계 두 가지 이상과 구체적인 다음 단계. 2: 일반적인 한계. 0: 없음."},
     {"en": "One year of synthetic data; humidity makes cheap PM sensors read high. Next: repeat with the real 2020 S-DoT files.",
      "ko": "가상 데이터 한 해뿐이에요. 습도가 높으면 간이측정기의 PM 값이 부풀려져요. 다음: 실제 2020년 S-DoT 파일로 다시 해 봐요."}),
    ("district_office", {"en": "6. What would you tell the district office?", "ko": "6. 구청에 무엇이라고 말할까요?"}, 4,
     {"en": "Three or four sentences a district officer could act on.",
      "ko": "구청 담당자가 바로 행동할 수 있는 서너 문장."},
     {"en": "4: clear recommendation, honest about certainty, in plain words. 2: recommendation without caveats. 0: none.",
      "ko": "4: 분명한 권고, 확실성에 대해 솔직함, 쉬운 말. 2: 단서 없는 권고. 0: 없음."},
     {"en": "Use street sensors for alerts only after correcting them with the reference station; check them every season.",
      "ko": "거리 센서는 도시대기측정소 값으로 보정한 뒤에만 경보에 쓰고, 계절마다 점검하세요."}),
]


def winter_evenings() -> dict:
    """The findings' model answer, computed from the bundled city when the assignment is built.

    Jongno-gu's four street sensors against ref-101 on winter evenings (December-February,
    18:00-21:59 KST): the ratio of daily evening means with a bootstrap interval, the co-located
    sensor's own ratio, and that sensor calibrated as module 06 does (station from sensor, a line
    fitted on March-November), so the model answer states only numbers the data give.
    """
    import numpy as np
    import pandas as pd

    from sensorlab import calibration
    from sensorlab.datasets import load_city
    from sensorlab.stats import bootstrap_ci

    city = load_city(["pm25", "humidity", "temperature"], truth=False)
    sensors = [s for s in city.sites["site_id"].astype(str) if s.startswith("sdot-101-")]
    r = city.readings[city.readings["site_id"].astype(str).isin([*sensors, "ref-101"])]
    r = r[(r["pm25"] > 0) & (r["pm25"] <= 500)].assign(site_id=lambda f: f["site_id"].astype(str))
    evening = r[r["timestamp"].dt.month.isin([12, 1, 2]) & r["timestamp"].dt.hour.isin(range(18, 22))]
    day = evening["timestamp"].dt.normalize()
    is_ref = evening["site_id"] == "ref-101"
    ref = evening[is_ref].groupby(day[is_ref])["pm25"].mean()
    street = evening[~is_ref].groupby(day[~is_ref])["pm25"].mean()
    both = pd.concat({"street": street, "ref": ref}, axis=1, sort=True).dropna()
    ci = bootstrap_ci(np.log((both["street"] / both["ref"]).to_numpy()), seed=0)
    one = evening[evening["site_id"] == "sdot-101-01"]
    own = pd.concat({"pm25_raw": one.groupby(day[one.index])["pm25"].mean(), "ref": ref}, axis=1, sort=True).dropna()
    pairs = calibration.colocated_pairs(city, sites=["sdot-101-01"])
    line = calibration.fit_calibration(pairs[pairs["timestamp"].dt.month.isin(range(3, 12))], ["pm25_raw"])
    pct = lambda x: round(100 * (float(x) - 1))  # noqa: E731 - a ratio as a percentage difference
    return {"n": len(both), "mid": pct(np.exp(ci.estimate)), "low": pct(np.exp(ci.low)), "high": pct(np.exp(ci.high)),
            "one": round(100 * float((own["pm25_raw"] / own["ref"]).median())),
            "cal": pct(line.predict(own).mean() / own["ref"].mean())}


def findings_answer(lang: str) -> str:
    """The model answer of the findings section, in ``lang``, from :func:`winter_evenings`."""
    w = winter_evenings()
    if lang == "en":
        return (f"On {w['n']} winter evenings the four Jongno-gu street sensors together read {w['mid']:+d} % against "
                f"ref-101 (95 % interval {w['low']:+d} to {w['high']:+d} %), but the co-located sensor alone reads "
                f"{w['one']} % of the station: the average hides each sensor's gain. Calibrated as in module 06 (a line "
                f"fitted on March-November), that sensor's winter-evening mean is {w['cal']:+d} % against the station.")
    return (f"겨울 저녁 {w['n']}일 동안 종로구 거리 센서 네 대를 합치면 ref-101에 비해 {w['mid']:+d} %였어요(95 % 구간 "
            f"{w['low']:+d}에서 {w['high']:+d} %). 하지만 측정소 옆 센서 하나만 보면 측정소의 {w['one']} %를 읽어요. 평균이 "
            f"센서마다의 감도를 가려요. 모듈 06처럼 보정하면(3~11월로 맞춘 직선) 그 센서의 겨울 저녁 평균은 측정소에 비해 "
            f"{w['cal']:+d} %예요.")


def build(lang: str):
    """The capstone notebook in ``lang`` ("en" or "ko")."""
    points_word = {"en": "points", "ko": "점"}[lang]
    rubric_word = {"en": "**Rubric.**", "ko": "**채점 기준(Rubric).**"}[lang]

    def section(gid, title, points, ask, rubric, model):
        if model == "winter evenings":  # computed from the bundled city, not written by hand
            model = {lang: findings_answer(lang)}
        heading = f"## {title[lang]} ({points} {points_word})" if lang == "en" else f"## {title[lang]} ({points}{points_word})"
        return [markdown(f"{gid}_prompt", f"{heading}\n\n{ask[lang]}\n\n{rubric_word} {rubric[lang]}"),
                written(f"{gid}_answer", model[lang], points)]

    intro = {"en": """# Capstone project — a question about your city

Work in teams of two or three. Answer one question about Seoul with the tools of modules
01–07, in this notebook. It is graded by your teacher with the rubric under each heading
(30 points); there are no automatic tests. Credit the data you use.""",
             "ko": """# 캡스톤 프로젝트(capstone project) — 우리 도시에 대한 질문 하나

두세 명이 한 팀이 돼요. 모듈 01–07에서 배운 도구로 서울에 대한 질문 하나에 이 노트북에서
답하세요. 선생님이 제목마다 아래에 있는 채점 기준표(rubric)로 채점해요(30점). 자동 채점
테스트는 없어요. 쓴 데이터의 출처를 꼭 밝히세요."""}
    analysis = {"en": ("## 3. Your analysis (6 points)\n\nThe code, from loading to the figure that answers "
                       "your question. Add cells as you need."),
                "ko": ("## 3. 우리 팀의 분석 (6점)\n\n데이터를 불러오는 것부터 질문에 답하는 그림까지의 코드예요. "
                       "필요한 만큼 셀을 더하세요.")}
    label = {"en": "sites in Jongno-gu", "ko": "곳 (종로구의 측정 지점)"}[lang]
    cells = [markdown("intro", intro[lang])]
    for s in SECTIONS:
        cells += section(*s)
    cells += [markdown("analysis_prompt", f"{analysis[lang]}\n\n{rubric_word} {ANALYSIS_RUBRIC[lang]}"),
              work_cell("analysis_code",
                        ('from sensorlab import messages; messages.set_language("ko")\n' if lang == "ko" else "")
                        + "### BEGIN SOLUTION\nfrom sensorlab.datasets import load_city\n\ncity = load_city()\n"
                        "jongno = city.sites[city.sites.district == \"Jongno-gu\"]\n"
                        f"print(len(jongno), \"{label}\")\n"
                        "### END SOLUTION", 6)]
    for s in FINDINGS:
        cells += section(*s)
    return notebook(cells, language=lang)


if __name__ == "__main__":
    for path in write_editions(build, NAME, COURSE):
        print(f"wrote {path}")

"""Do the lessons keep the agreed shape: manifest, numbering, header and footer, clean notebooks,
alt text, the exercise → check → solution pattern, teacher guides and an up-to-date README?"""

from __future__ import annotations

import re

import nbformat
import pytest

from sensorlab import check
from tools import korean_mirror, lesson_checks, lesson_manifest, notebook_cleaning, prose_lint, readme_table

MODULES = lesson_manifest.load_manifest()
LESSONS = [lesson for module in MODULES for lesson in module.lessons]
GUIDE_SECTIONS = ["## 50-minute period plan", "## Common misconceptions", "## Answers to discussion questions",
                  "## Without hardware"]


def test_manifest_numbers_are_ordered_and_unique():
    numbers = [m.number for m in MODULES]
    assert all(re.fullmatch(r"\d\d", n) for n in numbers)
    assert numbers == sorted(set(numbers)), "modules must be unique and in number order"
    for module in MODULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", module.slug), module.slug
        prefixes = [int(lesson.stem[:2]) for lesson in module.lessons]
        assert prefixes == list(range(1, len(prefixes) + 1)), f"{module.folder_name}: notebooks numbered 01, 02, ..."
        for lesson in module.lessons:
            assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*", lesson.stem), lesson.stem


def test_every_notebook_on_disk_is_in_the_manifest():
    listed = {lesson.path for lesson in LESSONS} | {lesson.korean_path for lesson in LESSONS}
    on_disk = {p for p in lesson_manifest.LESSONS.glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts}
    assert not on_disk - listed, f"not in lessons/manifest.yml: {sorted(map(str, on_disk - listed))}"
    folders = {p.name for p in lesson_manifest.LESSONS.iterdir() if p.is_dir() and re.match(r"\d\d-", p.name)}
    assert folders <= {m.folder_name for m in MODULES}


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.number for lesson in LESSONS])
def test_lesson_keeps_the_agreed_shape(lesson):
    """Header, footer, numbering, cleanliness, alt text, exercises, imports (see CONTRIBUTING.md)."""
    assert lesson_checks.notebook_problems(lesson) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.number for lesson in LESSONS])
def test_exercise_time_matches_exercises(lesson):
    """Does a lesson with exercises budget time for them (and one without, none)?"""
    nb = nbformat.read(lesson.path, as_version=4)
    header = lesson_manifest.parse_header(nb)
    problems, ids = lesson_checks.exercise_problems(nb, header.number)
    assert (header.exercises > 0) == bool(ids)
    for exercise_id in ids:
        check.get_exercise(exercise_id)  # registered in sensorlab.exercises


def test_exercise_ids_are_unique_across_lessons():
    ids = [i for lesson in LESSONS
           for i in lesson_checks.exercise_problems(nbformat.read(lesson.path, as_version=4), lesson.number)[1]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("module", MODULES, ids=[m.number for m in MODULES])
def test_every_module_has_a_teacher_guide(module):
    guide = lesson_manifest.LESSONS / module.folder_name / "teacher-guide.md"
    assert guide.exists(), f"{guide} is missing"
    text = guide.read_text(encoding="utf-8")
    positions = [text.find(s) for s in GUIDE_SECTIONS]
    assert -1 not in positions, f"{guide}: needs sections {GUIDE_SECTIONS}"
    assert positions == sorted(positions), f"{guide}: sections out of order"


@pytest.mark.parametrize("lang", sorted(readme_table.READMES))
def test_readme_table_is_generated_from_the_headers(lang):
    name = readme_table.READMES[lang]
    readme = (lesson_manifest.LESSONS / name).read_text(encoding="utf-8")
    assert readme_table.render_readme(readme, readme_table.lesson_table(MODULES, lang)) == readme, \
        f"lessons/{name} is stale: run python -m tools.lessons"


# --- the checks themselves catch what they should -----------------------------------------

def _lesson_nb(*middle):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(lesson_manifest.EXAMPLE_HEADER), *middle,
                nbformat.v4.new_markdown_cell(lesson_manifest.EXAMPLE_FOOTER)]
    return nb


def test_header_without_time_or_bad_title_is_refused():
    nb = _lesson_nb()
    nb.cells[0].source = lesson_manifest.EXAMPLE_HEADER.replace("- Exercises: 20 min", "- Exercises: twenty min")
    with pytest.raises(lesson_manifest.LessonFormatError, match="Exercises"):
        lesson_manifest.parse_header(nb)
    nb.cells[0].source = lesson_manifest.EXAMPLE_HEADER.replace("# 03.2 ", "# ")
    with pytest.raises(lesson_manifest.LessonFormatError, match="NN.M"):
        lesson_manifest.parse_header(nb)
    nb.cells[-1].source = lesson_manifest.EXAMPLE_FOOTER.replace("## Data credits", "## Thanks")
    with pytest.raises(lesson_manifest.LessonFormatError, match="Data credits"):
        lesson_manifest.parse_footer(nb)


def test_korean_headings_parse_the_same():
    ko = (lesson_manifest.EXAMPLE_HEADER.replace("## Overview", "## 개요").replace("## Learning objectives", "## 학습 목표")
          .replace("## Prerequisites", "## 선수 학습").replace("## Time", "## 시간").replace("## Data used", "## 사용 데이터")
          .replace("Teaching: 15 min", "수업: 15분").replace("Exercises: 20 min", "실습: 20분"))
    nb = _lesson_nb()
    nb.cells[0].source = ko
    header = lesson_manifest.parse_header(nb)
    assert (header.teaching, header.exercises) == (15, 20)


def test_outputs_counts_and_metadata_are_flagged_then_cleaned():
    cell = nbformat.v4.new_code_cell("print(1)", execution_count=3,
                                     outputs=[nbformat.v4.new_output("stream", text="1\n")])
    cell.metadata["collapsed"] = True
    kept = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)",
                                     outputs=[nbformat.v4.new_output("stream", text="2\n")])
    nb = _lesson_nb(cell, kept)
    nb.metadata["widgets"] = {"state": {}}
    problems = notebook_cleaning.cleanliness_problems(nb)
    # notebook metadata, stray cell metadata, execution count, unmarked output, checked cell that looks unrun
    assert len(problems) == 5
    notebook_cleaning.clean_notebook(nb)
    assert notebook_cleaning.cleanliness_problems(nb) == []
    assert nb.cells[2].outputs and not nb.cells[1].outputs


def test_figure_without_alt_text_is_flagged():
    plot = nbformat.v4.new_code_cell("ax = plotting.time_series(daily, 'pm25')")
    nb = _lesson_nb(plot)
    assert "Alt text" in lesson_checks.figure_problems(nb)[0]
    nb = _lesson_nb(plot, nbformat.v4.new_markdown_cell("**Alt text:** Daily PM2.5 at Jongno-gu rises in "
                                                        "winter and falls in summer."))
    assert lesson_checks.figure_problems(nb) == []


@pytest.mark.parametrize("code", ["calibration_figure.calibration_explorer(data)",
                                  "humidity_figure.growth_explorer()",
                                  "humidity_figure.draw_growth(ax)",
                                  "widgets_patterns.cycle_explorer(city)"])
def test_a_figure_drawn_by_a_helper_in_any_module_needs_alt_text(code):
    """The figure helpers moved out of widgets/units (issue 16); the lint must still see their figures."""
    nb = _lesson_nb(nbformat.v4.new_code_cell(code))
    assert "Alt text" in lesson_checks.figure_problems(nb)[0]


def test_exercise_pattern_is_enforced():
    md = nbformat.v4.new_markdown_cell("### Exercise 03.2.a · Daily means (core)")
    ex = nbformat.v4.new_code_cell("daily = ...", metadata={"tags": ["exercise"]})
    ck = nbformat.v4.new_code_cell('check.exercise("03.2-daily-mean", daily)', metadata={"tags": ["check"]})
    so = nbformat.v4.new_code_cell('daily = 1\ncheck.solution("03.2-daily-mean", daily)',
                                   metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}})
    assert lesson_checks.exercise_problems(_lesson_nb(md, ex, ck, so), "03.2") == ([], ["03.2-daily-mean"])
    problems, _ = lesson_checks.exercise_problems(_lesson_nb(md, ex, so, ck), "03.2")
    assert "followed by a 'check' cell" in problems[0]
    problems, _ = lesson_checks.exercise_problems(_lesson_nb(md, ex, ck, so), "03.1")
    assert "must start with the lesson number" in problems[0]
    so.metadata.pop("jupyter")
    problems, _ = lesson_checks.exercise_problems(_lesson_nb(md, ex, ck, so), "03.2")
    assert "collapsed" in problems[0]


KO_HEADER = (lesson_manifest.EXAMPLE_HEADER.replace("# 03.2 Groupby and resampling", "# 03.2 묶어서 요약하기")
             .replace("## Overview\nAverage many readings into one per district or per day.",
                      "## 개요\n여러 측정값을 자치구별, 날짜별 하나의 값으로 평균합니다.")
             .replace("## Learning objectives", "## 학습 목표").replace("## Prerequisites", "## 선수 학습")
             .replace("## Time", "## 시간").replace("## Data used", "## 사용 데이터")
             .replace("Teaching: 15 min", "수업: 15분").replace("Exercises: 20 min", "실습: 20분"))
KO_FOOTER = (lesson_manifest.EXAMPLE_FOOTER.replace("## Key points", "## 핵심 정리").replace("## What's next", "## 다음 단계")
             .replace("## Data credits", "## 데이터 출처"))


def _pair():
    """A small English lesson and a faithful Korean edition of it."""
    en = _lesson_nb(nbformat.v4.new_code_cell("from sensorlab import check"),
                    nbformat.v4.new_markdown_cell("## Daily means\nAverage the hourly readings of each day."),
                    nbformat.v4.new_code_cell('daily = r.resample("D").mean()  # one row a day\n'
                                              'ax.set_title("Daily PM2.5")', metadata={"tags": ["exercise"]}))
    ko = _lesson_nb(nbformat.v4.new_code_cell('from sensorlab import check\n'
                                              'from sensorlab import messages; messages.set_language("ko")'),
                    nbformat.v4.new_markdown_cell("## 일평균\n하루의 시간별 측정값을 평균합니다."),
                    nbformat.v4.new_code_cell('daily = r.resample("D").mean()  # 하루에 한 행\n'
                                              'ax.set_title("일평균 초미세먼지")', metadata={"tags": ["exercise"]}))
    ko.cells[0].source, ko.cells[-1].source = KO_HEADER, KO_FOOTER
    return en, ko


def test_korean_edition_mirrors_its_english_one():
    en, ko = _pair()
    assert korean_mirror.mirror_problems(en, ko) == []


@pytest.mark.parametrize("change, problem", [
    (lambda ko: ko.cells[3].metadata.update(tags=[]), "tags differ"),
    (lambda ko: ko.cells.pop(2), "cells, English"),
    (lambda ko: setattr(ko.cells[3], "source", ko.cells[3].source.replace('"D"', '"W"').replace("mean", "sum")),
     "code differs"),
    (lambda ko: setattr(ko.cells[2], "source", "## Daily means\nAverage the hourly readings of each day."),
     "not translated"),
    (lambda ko: setattr(ko.cells[2], "source", "### 일평균\n하루의 평균."), "headings differ"),
    (lambda ko: setattr(ko.cells[-1], "source", KO_FOOTER.replace("## 핵심 정리", "## Key points")),
     "Korean headings"),
    (lambda ko: ko.cells[3].metadata.update(nbgrader={"grade_id": "other", "points": 2}), "'nbgrader' differs"),
])
def test_korean_edition_that_drifts_is_flagged(change, problem):
    en, ko = _pair()
    change(ko)
    assert any(problem in p for p in korean_mirror.mirror_problems(en, ko)), korean_mirror.mirror_problems(en, ko)


KOREAN_DOCUMENTS = sorted(p for p in (lesson_manifest.REPO).glob("**/*.ko.md")
                          if ".venv" not in p.parts and "node_modules" not in p.parts)


@pytest.mark.parametrize("korean", KOREAN_DOCUMENTS, ids=lambda p: str(p.relative_to(lesson_manifest.REPO)))
def test_korean_documents_mirror_their_english_ones(korean):
    english = korean.with_name(korean.name.replace(".ko.md", ".md"))
    assert english.exists(), f"{korean.name} has no English edition {english.name}"
    assert korean_mirror.document_mirror_problems(english.read_text(encoding="utf-8"),
                                            korean.read_text(encoding="utf-8")) == []


def test_a_korean_document_that_drifts_is_flagged():
    en = "# Guide\n## Plan\n| a | b |\n|---|---|\n```bash\nmake lab\n```\nTeach the lesson in one period."
    ko = "# 안내서\n## 계획\n| a | b |\n|---|---|\n```bash\nmake lab\n```\n한 차시에 수업을 진행합니다."
    assert korean_mirror.document_mirror_problems(en, ko) == []
    assert "headings" in korean_mirror.document_mirror_problems(en, ko.replace("## 계획", "계획"))[0]
    assert "code fences" in korean_mirror.document_mirror_problems(en, ko.replace("```bash\nmake lab\n```", ""))[0]
    assert "table rows" in korean_mirror.document_mirror_problems(en, ko.replace("|---|---|\n", ""))[0]
    assert "untranslated" in korean_mirror.document_mirror_problems(en, en)[0]


def test_every_lesson_and_teacher_guide_has_its_korean_edition():
    """Korean classrooms take every module: each notebook and guide has a Korean edition beside it."""
    missing = [str(lesson.korean_path.relative_to(lesson_manifest.REPO)) for lesson in LESSONS if not lesson.korean_path.exists()]
    missing += [f"lessons/{m.folder_name}/teacher-guide.ko.md" for m in MODULES
                if not (lesson_manifest.LESSONS / m.folder_name / "teacher-guide.ko.md").exists()]
    assert missing == [], f"no Korean edition yet: {missing}"


# --- prose: one speech level, one bracket per word, one title per lesson -------------------

NOTEBOOKS = [path for lesson in LESSONS for path in (lesson.path, lesson.korean_path) if path.exists()]
GUIDES = sorted(p for m in MODULES for p in (lesson_manifest.LESSONS / m.folder_name).glob("teacher-guide*.md"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(lesson_manifest.LESSONS)))
def test_notebook_prose_speaks_to_students_in_one_register(notebook):
    """Korean student text in 해요체 (no 한다체 "-다." or 합니다체 "-니다."), no stacked brackets.
    Each problem names the file, the cell and the sentence (python -m tools.lessons lint)."""
    assert prose_lint.notebook_prose_problems(notebook) == []


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: str(p.relative_to(lesson_manifest.LESSONS)))
def test_teacher_guide_keeps_one_register(guide):
    assert prose_lint.document_prose_problems(guide) == []


@pytest.mark.parametrize("lang", sorted(readme_table.READMES))
def test_readme_prose_keeps_one_register(lang):
    assert prose_lint.document_prose_problems(lesson_manifest.LESSONS / readme_table.READMES[lang]) == []


def test_every_lesson_and_module_goes_by_one_title_everywhere():
    """The notebook header's title (per language) is the lesson's name in every link, heading, bold
    text and table of the notebooks, guides and READMEs; a guide's title names its module as the manifest does."""
    assert prose_lint.title_problems(MODULES) == []


def _md_nb(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    return nb


def test_the_register_lint_names_file_cell_and_sentence(tmp_path):
    path = tmp_path / "01-x.ko.ipynb"
    nbformat.write(_md_nb("# 01.1 제목이다\n\n## 개요\n센서는 빛을 잰다. 센서는 빛을 잽니다. 센서는 빛을 재요.",
                          "> **대체 텍스트:** 선 그래프예요. \"교과서는 이렇게 쓴다.\" `x = 1  # 값이다.`\n\n"
                          "```python\n# 주석이다.\n```\n왜 그럴까요? 셀을 실행하세요."), path)
    problems = prose_lint.notebook_prose_problems(path)
    assert problems == [f"{path}: cell 1: 한다체 (use 해요체): 센서는 빛을 잰다.",
                        f"{path}: cell 1: 합니다체 (use 해요체): 센서는 빛을 잽니다."]


@pytest.mark.parametrize("sentence, register", [
    ("평균을 계산할 수 있다.", "한다"), ("이것이 일평균이다.", "한다"), ("센서를 보정한다.", "한다"),
    ("함께 알아보자.", "한다"), ("결과를 확인합니다.", "합니다"), ("무엇이 다릅니까?", "합니다"),
    ("같이 봅시다.", "합니다"), ("결과를 확인해요.", "해요"), ("그래프예요.", "해요"), ("평균이죠.", "해요"),
    ("셀을 실행하세요.", None), ("왜 그럴까요?", None), ("따옴표 안에 씁니다:", "합니다"), ("숫자.", None), ("일평균 계산하기.", None), ("PM2.5 (µg/m³)", None),
])
def test_speech_levels_are_told_apart(sentence, register):
    from tools import korean_text
    assert [s.register for s in korean_text.sentences(sentence)] == [register]


def test_a_guide_may_speak_hamnida_but_not_two_registers(tmp_path):
    guide = tmp_path / "teacher-guide.ko.md"
    guide.write_text("# 안내서\n학생들이 셀을 실행합니다. 결과를 비교합니다. 토론을 엽니다.\n결과를 봐요.\n", encoding="utf-8")
    assert prose_lint.document_prose_problems(guide) == [f"{guide}: line 3: 해요체 (use 합니다체): 결과를 봐요."]
    guide.write_text("# 안내서\n학생들이 셀을 실행합니다. 평균을 구한다.\n", encoding="utf-8")
    assert "한다체" in prose_lint.document_prose_problems(guide)[0]


def test_doubled_brackets_are_flagged_and_single_ones_are_not(tmp_path):
    path = tmp_path / "01-x.ipynb"
    nbformat.write(_md_nb("# 01.1 T", "시뮬레이터(simulator)(또는 여러분의 상자)를 써요.",
                          "로거(logger, 02단원)를 써요. `f(x)(y)` and (a) or (b). [03.2 T](x.ipynb) (15 min)"), path)
    assert prose_lint.notebook_prose_problems(path) == [
        f"{path}: cell 2: doubled brackets: 시뮬레이터(simulator)(또는 여러분의 상자)"]


def test_a_lesson_called_by_another_title_is_flagged():
    titles = {"03.2": {"en": "Groupby and resampling", "ko": "묶어서 요약하기와 리샘플링"}}
    text = ("Next: [03.2 Groupby and resampling](02-groupby.ipynb).\n| 03.2 Grouping | 15 |\n"
            "## 03.2 Groupby and resampling (15 min)\n**03.2 Group by** and 03.2 exercise a, | 03.2.b |")
    problems = prose_lint.title_problems_in(text, "guide.md", titles, "en")
    assert problems == ['guide.md: 03.2 is called "Grouping", its header says "Groupby and resampling"',
                        'guide.md: 03.2 is called "Group by", its header says "Groupby and resampling"']
    assert prose_lint.title_problems_in("[03.2 묶어서 요약하기와 리샘플링](x)", "g", titles, "ko") == []


@pytest.mark.parametrize("sentence", [
    "이 값이 정말 큰가?", "어느 쪽이 좋은가?",            # -ㄴ가? questions are 한다체, like -는가?
    "평균을 낸다(24시간).", "평균을 낸다 (mean).",        # a gloss in brackets after the verb hid it
    "결과는 다음과 같다:", "선생님이 말했다:",              # a clause ending at a colon, as 합니다체 already is
])
def test_the_register_lint_reads_through_a_gloss_a_colon_and_an_n_ga_question(sentence):
    from tools import korean_text

    assert [s.register for s in korean_text.sentences(sentence)] == ["한다"], sentence
    assert korean_text.register_problems(sentence), sentence


@pytest.mark.parametrize("sentence", ["이 값이 정말 큰가요?", "평균을 내요(24시간).", "전문가예요.", "평균:",
                                      "어느 전문가?", "바다:"])
def test_the_register_lint_leaves_haeyo_and_labels_alone(sentence):
    from tools import korean_text

    assert korean_text.register_problems(sentence) == [], sentence


# --- the Korean assignments speak to students as the lessons do -----------------------------

ASSIGNMENTS_KO = sorted(prose_lint.ASSIGNMENTS_KO.glob("*/*.ipynb"))


def test_every_assignment_has_a_korean_release_to_lint():
    assert len(ASSIGNMENTS_KO) >= 8, ASSIGNMENTS_KO


@pytest.mark.parametrize("notebook", ASSIGNMENTS_KO, ids=lambda p: p.parent.name)
def test_korean_assignment_speaks_to_students_in_haeyo(notebook):
    """Instructions, rubrics, set-up messages, test docstrings and visible assertion messages of the
    Korean release in 해요체 (written by grader/authoring/build_*.py: fix the builder, rebuild)."""
    assert prose_lint.assignment_prose_problems(notebook) == []


def test_the_assignment_lint_reads_what_students_see_and_not_the_hidden_tests(tmp_path):
    from tools.grading_authoring import answer, markdown, notebook, setup, tests, write, written

    path = tmp_path / "09-x.ipynb"
    write(notebook([
        markdown("intro", "# 과제 09\n\n센서를 정제합니다. 답을 확인하세요."),
        setup("load", 'print("여러분의 센서예요")\nprint(f"센서 {SITE}를 맡습니다")  # 주석입니다.'),
        answer("a", 'x = "답입니다"'),
        tests("test_a", '"""x가 답인지 확인합니다."""\nassert x, "답이 아니에요"\n'
                        '### BEGIN HIDDEN TESTS\nassert x == 1, "숨은 검사입니다"\n### END HIDDEN TESTS', 1),
        written("why", "모범 답안은 선생님만 봅니다.", 1),
    ], language="ko"), path)
    assert prose_lint.assignment_prose_problems(path) == [
        f"{path}: cell 1: 합니다체 (use 해요체): 센서를 정제합니다.",
        f"{path}: cell 2: 합니다체 (use 해요체): 센서  값 를 맡습니다",
        f"{path}: cell 4: 합니다체 (use 해요체): x가 답인지 확인합니다.",
    ]


@pytest.mark.parametrize("text", [
    "- 평균을 냅니다 → 결과를 봐요",                     # a list item with no full stop, an arrow after the verb
    "- **지우지 않고 플래그로 표시합니다**. 플래그는 셀 수 있어요.",  # bold closed before the full stop
    "(제대로 작동했다면 0일 수도 있습니다)?",             # the verb inside the bracket of a question
    "100을 곱합니다(음수면 주말에\n더 낮음).",            # a gloss that wraps onto the next line
    "기술 점수입니다(`result[\"skill\"]`. 0은 지속성과 같음).",  # a gloss with a full stop inside
])
def test_the_register_lint_finds_hamnida_that_does_not_end_the_line(text):
    from tools import korean_text

    assert [p.split(":")[0] for p in korean_text.register_problems(text)] == ["합니다체 (use 해요체)"], text


def test_a_quote_wrapped_over_two_lines_keeps_its_own_register():
    from tools import korean_text

    text = ('담당자가 이렇게 썼어요. *"더운 시간에 오존이 많으니 더위가 오존을 만든다. 그리고\n'
            '습한 공기가 더 더럽다."* 짧은 답장을 쓰세요.\n\n"따옴표가 닫히지 않은 문단.\n\n센서를 정제한다.')
    assert korean_text.register_problems(text) == ["한다체 (use 해요체): 센서를 정제한다."]

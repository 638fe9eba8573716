"""Each assignment's code exists once; only its translated texts differ between the editions.

Every builder in grader/authoring/ holds its cells once with ``{t:key}`` placeholders and reads
the English and Korean texts from the ``.en.toml`` / ``.ko.toml`` files beside it
(tools/grading_authoring.py). These tests check the committed notebooks against that promise, the
build-time errors for a translations file that does not match its cells, and that the authoring
tooling stays out of the installed package.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import re
import runpy
from pathlib import Path

import nbformat
import pytest

from sensorlab.grading.course import SOURCE_DIRS
from tools import grading_authoring as authoring

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "grader"
BUILDERS = sorted((COURSE / "authoring").glob("build_0*.py"))
#: Longest function allowed in the authoring code (a reviewer reads one on a screen).
MAX_FUNCTION_LINES = 80


def code_differences(builder: Path, en, ko) -> list[str]:
    """Where the English and Korean notebooks of ``builder`` differ other than in its texts.

    Every code cell of both editions must be the builder's one cell with only its ``{t:key}``
    spans filled in (the Korean first code cell after the line that switches messages to
    Korean), and each span must be that language's text from the translations file.
    """
    cells = runpy.run_path(str(builder))["CELLS"]
    used = authoring.placeholders(cells)
    texts = {lang: authoring.load_texts(builder.stem, builder, lang, used) for lang in authoring.LANGUAGES}
    editions = {"en": en, "ko": ko}
    if [len(nb.cells) for nb in editions.values()] != [len(cells)] * 2:
        return [f"{len(cells)} cells in the builder, {len(en.cells)} English and {len(ko.cells)} Korean ones"]
    first_code = next(i for i, cell in enumerate(cells) if cell.cell_type == "code")
    problems = []
    for index, template in enumerate(cells):
        if template.cell_type != "code":
            continue
        grade_id = template.metadata["nbgrader"]["grade_id"]
        pattern = _pattern(template.source)
        for lang, nb in editions.items():
            source = nb.cells[index].source
            if index == first_code:
                source = source.removeprefix(authoring.LANGUAGE_LINE[lang])
            match = pattern.fullmatch(source)
            if match is None:
                problems.append(f"{grade_id} ({lang}): the code differs outside the translated texts")
            elif (found := match.groupdict()) != {key: texts[lang][key] for key in found}:
                problems.append(f"{grade_id} ({lang}): a text differs from its translations file")
    return problems


def _pattern(template: str) -> re.Pattern:
    """``template`` as a regular expression: its code literally, each ``{t:key}`` any text."""
    parts, seen, end = [], set(), 0
    for match in authoring.PLACEHOLDER.finditer(template):
        key = match[1]
        parts += [re.escape(template[end:match.start()]), f"(?P={key})" if key in seen else f"(?P<{key}>.*?)"]
        seen.add(key)
        end = match.end()
    return re.compile("".join(parts) + re.escape(template[end:]), re.S)


def _committed(builder: Path) -> dict:
    name = runpy.run_path(str(builder))["NAME"]
    return {lang: nbformat.read(str(COURSE / folder / name / f"{name}.ipynb"), as_version=4)
            for lang, folder in SOURCE_DIRS.items()}


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda p: p.stem)
def test_the_two_editions_differ_only_in_their_translated_texts(builder):
    editions = _committed(builder)
    assert code_differences(builder, editions["en"], editions["ko"]) == []


@pytest.mark.parametrize("edit, problem", [
    (('== "15"', '== "16"'), "the code differs outside the translated texts"),
    (("무작위 줄에서 체크섬이 달라요", "무작위 줄에서 다른 체크섬"), "a text differs from its translations file"),
], ids=["code_changed", "text_changed_in_the_notebook_only"])
def test_a_korean_edition_edited_by_hand_is_caught(edit, problem):
    builder = BUILDERS[0]
    editions = _committed(builder)
    ko = copy.deepcopy(editions["ko"])
    cell = next(c for c in ko.cells if c.metadata["nbgrader"]["grade_id"] == "test_xor_checksum_example")
    assert edit[0] in cell.source
    cell.source = cell.source.replace(*edit)
    assert code_differences(builder, editions["en"], ko) == [f"test_xor_checksum_example (ko): {problem}"]


def _write_assignment(folder: Path, en: str, ko: str) -> Path:
    builder = folder / "build_99_demo.py"
    builder.write_text("# stands in for a builder: only its path matters here\n", encoding="utf-8")
    authoring.translations_path(builder, "en").write_text(en, encoding="utf-8")
    authoring.translations_path(builder, "ko").write_text(ko, encoding="utf-8")
    return builder


CELLS = [authoring.markdown("intro", "{t:intro}"),
         authoring.tests("test_f", '"""{t:test_f}"""\nassert f(1) == 1, "{t:f_of_one}"', 1)]


def test_a_key_missing_from_one_language_stops_the_build_naming_it(tmp_path):
    builder = _write_assignment(tmp_path, 'intro = "# A"\ntest_f = "f works."\nf_of_one = "f(1) is 1"\n',
                                'intro = "# 가"\ntest_f = "f가 작동해요."\n')
    with pytest.raises(authoring.TranslationError) as error:
        authoring.bilingual("99-demo", CELLS, builder)
    message = str(error.value)
    assert message.startswith("99-demo (ko, build_99_demo.ko.toml): ")
    assert "key 'f_of_one' (cell test_f) is missing" in message


def test_a_key_no_cell_uses_stops_the_build_naming_it(tmp_path):
    builder = _write_assignment(tmp_path, 'intro = "# A"\ntest_f = "f works."\nf_of_one = "x"\nf_of_two = "y"\n',
                                'intro = "# 가"\ntest_f = "f가 작동해요."\nf_of_one = "x"\n')
    with pytest.raises(authoring.TranslationError, match=r"^99-demo \(en, build_99_demo\.en\.toml\): "
                                                        r"key 'f_of_two' is used by no cell$"):
        authoring.bilingual("99-demo", CELLS, builder)


def test_matching_texts_build_both_editions(tmp_path):
    builder = _write_assignment(tmp_path, 'intro = "# A"\ntest_f = "f works."\nf_of_one = "f(1) is 1"\n',
                                'intro = "# 가"\ntest_f = "f가 작동해요."\nf_of_one = "f(1)은 1이에요"\n')
    build = authoring.bilingual("99-demo", CELLS, builder)
    assert [c.source for c in build("en").cells] == ["# A", '"""f works."""\nassert f(1) == 1, "f(1) is 1"']
    assert [c.source for c in build("ko").cells] == [
        "# 가", authoring.LANGUAGE_LINE["ko"] + '"""f가 작동해요."""\nassert f(1) == 1, "f(1)은 1이에요"']


def test_no_authoring_function_is_longer_than_a_screen():
    files = [*BUILDERS, REPO / "tools" / "grading_authoring.py", REPO / "tools" / "grading_proof.py"]
    long = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []


@pytest.mark.parametrize("module", ["sensorlab.grading.authoring", "sensorlab.grading.proof"])
def test_the_runtime_package_ships_no_authoring_tooling(module):
    assert importlib.util.find_spec(module) is None, f"{module} is repository tooling (tools/), not runtime"

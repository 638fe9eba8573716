"""The Korean kit guide's wiring diagrams and tables come from the same wiring.toml.

``draw.py --lang ko`` draws ``kits/diagrams/tier-*.ko.png`` (titles, notes, legend in Korean;
part and pin names as printed on the boards) and prints the Korean wiring tables that
``kits/README.ko.md`` shows. These tests redraw the Korean pages and compare them with the
committed ones, and check the Korean guide's tables are exactly what draw.py prints.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

KITS = Path(__file__).resolve().parents[1] / "kits"
GUIDE_KO = KITS / "README.ko.md"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def draw():
    spec = importlib.util.spec_from_file_location("kit_draw_ko", KITS / "diagrams" / "draw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("tier", ["tier-a", "tier-b"])
def test_korean_guide_shows_the_korean_wiring_table_and_page(draw, tier):
    data = draw.load()
    table = draw.table_markdown(data[tier], "ko")
    text = GUIDE_KO.read_text(encoding="utf-8")
    assert table in text, f"README.ko.md: the {tier} table is not what draw.py --table {tier} --lang ko prints"
    # every wire keeps its part, pin names and colour; only the description is Korean
    for wire, row in zip(data[tier]["wires"], table.splitlines()[2:]):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1:3] == [wire["part_pin"], wire["board_pin"]]
        assert wire["colour"] in cells[3] and HANGUL.search(cells[4])
    assert f"(diagrams/{draw.file_name(tier, 'ko')})" in text


def test_a_wire_without_a_korean_description_is_refused(draw, tmp_path):
    source = (KITS / "diagrams" / "wiring.toml").read_text(encoding="utf-8")
    bad = source.replace('carries_ko = "I2C 클록"\n', "", 1)
    assert bad != source
    (tmp_path / "wiring.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match="SHT40 SCL has no carries_ko"):
        draw.load(tmp_path / "wiring.toml")


def test_korean_pages_regenerate_and_match_the_committed_images(draw, tmp_path):
    data = draw.load()
    for tier in draw.TIERS:
        name = draw.file_name(tier, "ko")
        assert name.endswith(".ko.png")
        fresh = mpimg.imread(draw.draw(tier, data, tmp_path / name, "ko"))
        english = mpimg.imread(draw.draw(tier, data, tmp_path / draw.FILES[tier]))
        assert fresh.shape[:2] == (1240, 1753)  # A4 landscape at 150 dpi
        # the same wires, other words: the pages differ, but only in the text
        differs = (np.abs(fresh[..., :3] - english[..., :3]).max(axis=2) > 0.2).mean()
        assert 0.001 < differs < 0.2, f"{name}: {differs:.2%} of pixels differ from the English page"
        committed = mpimg.imread(KITS / "diagrams" / name)
        assert committed.shape == fresh.shape, f"{name} is stale: run kits/diagrams/draw.py --lang ko"
        changed = (np.abs(committed[..., :3] - fresh[..., :3]).max(axis=2) > 0.2).mean()
        assert changed < 0.0005, f"{name} differs from wiring.toml: run python kits/diagrams/draw.py --lang ko"

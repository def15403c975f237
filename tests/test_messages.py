"""Finding messages read in their own language: a Chinese message names columns by the heading the table
prints and cites places as 表四 第717行 / 第3页; an English one as Table 4 line 717 / page 3."""

from __future__ import annotations

import re

import pytest

from finaudit import audit
from finaudit.findings import CellRef
from finaudit.words import Text
from finaudit.model import COLUMN_NAMES_EN

ENGLISH_KEY = re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(COLUMN_NAMES_EN, key=len, reverse=True)) + r")(?![A-Za-z_])")


@pytest.mark.parametrize("cell, zh, en", [
    (CellRef(4, "appropriation_summary", "总计", "total", None, line=717), "表四 第717行", "Table 4 line 717"),
    (CellRef(4, "appropriation_summary", "总计", "total", None, page=13), "表四 第13页", "Table 4 page 13"),
    (CellRef(3, "expenditure", "221", "basic", None), "表三", "Table 3"),
    (CellRef(None, "narrative", "五", None, None, page=21), "情况说明 第21页", "narrative page 21"),
])
def test_a_cell_is_cited_in_each_language(cell, zh, en):
    assert cell.cited == Text(zh, en)
    assert Text("（{source}）", "({source})").format(source=cell.cited) == (f"（{zh}）", f"({en})")


@pytest.fixture(scope="module")
def sample_findings(sample):
    return audit.audit(sample).findings


def test_chinese_messages_carry_no_english_column_key_nor_english_place(sample_findings):
    for finding in sample_findings:
        assert not ENGLISH_KEY.search(finding.message_zh), finding.message_zh
        assert not re.search(r"\b(line|page)s? \d", finding.message_zh), finding.message_zh


def test_blank_parts_are_named_by_their_heading(sample_findings):
    """表三 221: 本年支出合计 printed, every part blank (Liujiang 2017)."""
    blank = [f for f in sample_findings if f.code == "FA-T004" and f.where.row == "221"]
    assert blank and "其中空白：基本支出、项目支出" in blank[0].message_zh
    assert "(blank: Basic, Project" in blank[0].message_en


def test_cited_places_read_in_each_language(sample_findings):
    cited = [f for f in sample_findings if f.code == "FA-N001" and "第717行" in f.message_zh]
    assert cited and "(Table 4 line 717)" in cited[0].message_en


def test_english_messages_name_tables_and_columns_in_english(sample_findings):
    for finding in sample_findings:
        assert not re.search(r"表[一二三四五六七八九\d]", finding.message_en), finding.message_en
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", finding.message_en), finding.message_en

"""The national budget families read by meaning: Beijing's 预算NN表 报表 (a spreadsheet printed with its
gridlines, 万元 to six decimals, code and name in one cell, function × economic detail), Guangzhou's
…情况表 set (表N alone above the title, [201] codes, 行政经费及“三公”, tables by unit with 绩效目标 text)
and the central template (部门公开表N, 执行数 and 增减 beside the 预算数); real files from
/work/shared/reports/national (skipped where absent), and the reading steps alone."""

from pathlib import Path

import pytest
from test_national_finals import cell

import finaudit
from finaudit.read.document import table_number
from finaudit.read.pdf import _Grid, _GridCell, _PdfLoader, _Text
from finaudit.read.tables import code_and_name, parse_amount, yuan_shift

from conftest import NATIONAL  # noqa: E402
BEIJING = NATIONAL / "beijing" / "北京__审计局_附件2：北京市审计局2026年度部门预算报表.pdf"
GUANGZHOU = NATIONAL / "guangzhou" / "广州__信访局_2026年部门预算.pdf"
CENTRAL = NATIONAL / "central" / "国家信访局__2026年部门预算.pdf"


def load(path: Path):
    if not path.exists():
        pytest.skip("national sample not present")
    return finaudit.load(path)


# -- the reading steps ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("表1 收入支出决算总表", (1, "收入支出决算总表")),
    ("表三", (3, "")),
    ("预算01表 收支总表", (1, "收支总表")),
    ("预算 13表 部门整体支出绩效目标表", (13, "部门整体支出绩效目标表")),
    ("预算表12 项目支出绩效目标表", (12, "项目支出绩效目标表")),
    ("公开01表", (1, "")),
    ("部门公开表5", (5, "")),
    ("部门预算公开表1 收支总表", (1, "收支总表")),  # three words before 表
    ("表1-1 收入决算表", (1, "收入决算表")), ("表2－1 支出决算表", (2, "支出决算表")),  # a sub-number: not the title's
    ("收支总表", None),
    ("一般公共预算支出表", None),
])
def test_table_number(text, expected):
    assert table_number(text) == expected


@pytest.mark.parametrize("unit, decimals, shift", [
    ("万元", 6, 4),  # Beijing: 32,365.090089 万元 is 323,650,900.89 元
    ("万元", 3, 4),
    ("万元", 2, 0),  # as printed
    ("万元", 7, 0),  # finer than the 分: not read in 元 (the amounts' own check reports it)
    ("元", 4, 0),
    ("千元", 5, 3),
    (None, 6, 0),
])
def test_yuan_shift(unit, decimals, shift):
    assert yuan_shift(unit, decimals) == shift


@pytest.mark.parametrize("text, shift, expected", [
    ("32,365.090089", 4, (32365090089, None)),
    ("15.000000", 4, (15000000, None)),
    ("0.5", 4, (500000, None)),
    ("12.3456789", 4, (None, "precision")),
    ("32,365.09", 0, (3236509, None)),
    ("32,365.090089", 0, (None, "precision")),
])
def test_parse_amount_shifted(text, shift, expected):
    assert parse_amount(text, shift) == expected


@pytest.mark.parametrize("text, expected", [
    ("2010801-行政运行", ("2010801", "行政运行")),
    ("[30228]工会经费", ("30228", "工会经费")),
    ("【201】一般公共服务支出", ("201", "一般公共服务支出")),
    ("201 一般公共服务支出", ("201", "一般公共服务支出")),
    ("2010801", None),
    ("行政运行", None),
    ("2025年结转", None),
    ("01-公共服务", None),  # a catalogue level, not a classification code
])
def test_code_and_name(text, expected):
    assert code_and_name(text) == expected


def grid(rows: list[list[str]], page: int = 1) -> _Grid:
    """A ruled grid of one-column cells, 10 points a column."""
    cells = [_GridCell(r, r + 1, c, c + 1, _Text(page, 10.0 * c, 10.0 * r, 10.0 * c + 10, text))
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return _Grid(page, 0.0, [(10.0 * c, 10.0 * c + 10) for c in range(len(rows[0]))], cells, len(rows))


def texts(g: _Grid) -> list[list[str]]:
    return [[c.text.text for c in sorted(g.row(r), key=lambda c: c.col)] for r in range(g.rows)]


def test_blank_margin_columns_dropped_inner_blank_column_kept():
    g = grid([["", "项目", "", "预算数", ""], ["", "合计", "", "1.00", ""]])
    _PdfLoader.drop_blank_columns(g)
    assert texts(g) == [["项目", "", "预算数"], ["合计", "", "1.00"]]
    assert g.columns == [(10.0, 20.0), (20.0, 30.0), (30.0, 40.0)]


def test_continuation_grid_keeps_the_tables_blank_columns():
    first = grid([["", "科目名称", "合计", "项目支出"], ["", "行政运行", "1.00", "1.00"]])
    _PdfLoader.drop_blank_columns(first)
    # the next page: a margin, and 项目支出 blank on every row of it
    more = grid([["", "信访业务", "2.00", ""], ["", "其他", "3.00", ""]], page=2)
    _PdfLoader.drop_blank_columns(more, first.columns)
    assert texts(more) == [["信访业务", "2.00", ""], ["其他", "3.00", ""]]


# -- Beijing: 附件2 报表 (预算01表 … 预算13表) -------------------------------------------------------------
@pytest.fixture(scope="module")
def beijing():
    return load(BEIJING)


def test_beijing_tables(beijing):
    assert {k: (t.number, t.pages) for k, t in beijing.tables.items() if t.number} == {
        "summary": (1, [1]), "income": (2, [2]), "expenditure": (3, [3]), "appropriation_summary": (4, [4]),
        "general_budget": (5, [5]), "basic_expenditure": (6, [6]), "government_fund": (7, [7]),
        "state_capital": (8, [8]), "three_public": (9, [9]), "procurement": (10, [10]), "purchase_services": (11, [11]),
    }
    assert "performance_targets" in beijing.tables  # 预算表12, 预算13表
    assert beijing.coverage().ratio > 0.99
    assert not [w for w in beijing.warnings if w.code.startswith(("table", "header", "row", "amount"))]


@pytest.mark.parametrize("kind, column, where, expected", [
    # 万元 to six decimals, read exactly in 元: 32,365.090089 万元
    ("summary", "total", dict(key="general", side="income"), 32365090089),
    ("summary", "total", dict(key="grand_total", side="expenditure"), 32852053832),
    ("expenditure", "total", dict(key="grand_total"), 32852053832),
    ("expenditure", "project", dict(key="grand_total"), 7633516247),
    ("general_budget", "personnel", dict(code="2010801"), 4032021156),
    ("general_budget", "project_net", dict(code="2010801"), 255806400),
    ("basic_expenditure", "total", dict(code="30101"), 3138093600),
    ("basic_expenditure", "public", dict(key="grand_total"), 1672857085),
    ("three_public", "budget", dict(key="total"), 244848000),
    ("three_public", "budget", dict(key="vehicle_purchase"), 37380000),
    ("purchase_services", "total", dict(key="grand_total"), 3756180280),
])
def test_beijing_cells(beijing, kind, column, where, expected):
    assert cell(beijing, kind, column, **where) == expected


def test_beijing_income_columns_by_fund_and_year(beijing):
    row = beijing.tables["income"].data.iloc[0]  # one row, no label: 合计 | 本年收入 … | 上年结转结余 …
    assert [int(row[c]) for c in ("total", "income_total", "general", "other", "carryover", "carryover_general",
                                  "carryover_unit")] == [32852053832, 32380090089, 32365090089, 15000000, 471963743,
                                                         436846550, 35117193]


def test_beijing_function_by_economic_rows_keep_their_economic_codes(beijing):
    table = beijing.tables["expenditure"]
    first = table.data.iloc[0]
    assert (first["code"], first["label"], int(first["total"])) == ("2010801", "行政运行", 3138093600)
    assert table.details[0] == ["50101-工资奖金津补贴", "30101-基本工资"]
    assert beijing.tables["basic_expenditure"].details[0] == ["50101-工资奖金津补贴"]
    assert beijing.tables["summary"].unit == "元" and beijing.tables["summary"].decimals == 2


# -- Guangzhou: 第二部分 部门预算表 (表1 … 表12) ---------------------------------------------------------------
@pytest.fixture(scope="module")
def guangzhou():
    return load(GUANGZHOU)


def test_guangzhou_tables(guangzhou):
    assert {k: t.number for k, t in guangzhou.tables.items()} == {
        "summary": 1, "income": 2, "expenditure": 3, "appropriation_summary": 4, "general_budget": 5,
        "basic_expenditure": 6, "project_expenditure": 7, "three_public": 8, "government_fund": 9,
        "state_capital": 10, "basic_by_source": 11, "project_by_source": 12,
    }
    coverage = guangzhou.coverage()
    assert (coverage.ratio, coverage.unplaced) == (1.0, [])


@pytest.mark.parametrize("kind, column, where, expected", [
    ("summary", "total", dict(key="fiscal", side="income"), 394408),  # 一、预算拨款 3,944.08
    ("income", "general", dict(key="grand_total"), 394408),
    ("expenditure", "basic", dict(code="2014001"), 183141),
    ("general_budget", "project", dict(code="2014004"), 39728),  # [2014004]信访业务
    ("basic_expenditure", "total", dict(code="30228"), 2800),  # [30228]工会经费
    ("project_expenditure", "total", dict(code="30227"), 44220),
    ("three_public", "budget", dict(key="administrative"), 44439),
    ("three_public", "general", dict(key="reception"), 230),
    ("basic_by_source", "general", dict(key="grand_total"), 320478),
    ("project_by_source", "total", dict(key="grand_total"), 73930),
])
def test_guangzhou_cells(guangzhou, kind, column, where, expected):
    assert cell(guangzhou, kind, column, **where) == expected


def test_guangzhou_performance_targets_are_text_of_the_row(guangzhou):
    table = guangzhou.tables["project_by_source"]
    row = table.data.index[table.data["label"] == "物业管理费"][0]
    assert int(table.data.loc[row, "total"]) == 9900
    assert table.details[row][0].startswith("做好市人民来访接待厅物业管理服务工作")


# -- the central template: 部门公开表1 … 表9 -----------------------------------------------------------------
@pytest.fixture(scope="module")
def central():
    return load(CENTRAL)


def test_central_tables_and_cells(central):
    assert {k: t.number for k, t in central.tables.items()} == {
        "summary": 1, "income": 2, "expenditure": 3, "appropriation_summary": 4, "general_budget": 5,
        "basic_expenditure": 6, "government_fund": 7, "state_capital": 8, "three_public": 9,
    }
    coverage = central.coverage()
    assert (coverage.ratio, coverage.unplaced) == (1.0, [])
    assert not central.warnings
    general = central.tables["general_budget"]
    assert [cell(central, "general_budget", c, code="201") for c in ("prior", "total", "change", "change_net")] == [
        3358667, 1314437, -2044230, 309990]
    assert general.details[0] == ["-60.86%", "30.86%"]  # 增减(%): ratios, kept as printed
    assert cell(central, "three_public", "budget", key="total") == 11261


# -- rules on the national layouts ----------------------------------------------------------------
def test_beijing_listing_of_xiang_and_detail_rows_raise_no_false_errors(beijing):
    from finaudit.audit import audit

    codes = {f.code for f in audit(beijing).findings if str(f.severity) == "error"}
    # 项 listed without 类/款 rows is the layout (FA-C002); a code on several economic rows of 支出总表 counts
    # their sum (FA-B025). Left: Beijing's 7-digit economic codes (3021101 差旅费), FA-C001 and FA-B012.
    assert not codes & {"FA-C002", "FA-B025"}


def test_a_name_run_over_its_ruled_cell_goes_back_to_its_row():
    from finaudit.read.tables import Cell, rejoin_run_over

    rows = [[Cell(1, "2080505-机关事业单位基本养老保险"), Cell(2, "1.00")],
            [Cell(3, "缴费支出2080506-机关事业单位职业年金"), Cell(4, "2.00")],
            [Cell(5, "合计"), Cell(6, "3.00")]]
    rejoin_run_over(rows)
    assert [row[0].text for row in rows] == ["2080505-机关事业单位基本养老保险缴费支出", "2080506-机关事业单位职业年金", "合计"]


def test_text_off_the_page_is_not_read():
    from finaudit.read.pdf import on_page
    from finaudit.read.pdfium import PageContent

    chars = [(10, 15, -20, -10, 10, "1"), (10, 15, 10, 20, 10, "2")]  # x0, x1, top, bottom, size, text
    assert [c[-1] for c in on_page(PageContent(1, 100.0, 100.0, chars=chars))] == ["2"]


@pytest.mark.parametrize("text, unit", [("单位：万元", "万元"), ("金额单位：元", "元"), ("单位：人民币元", "元"),
                                        ("单位:人民币万元", "万元")])
def test_the_money_unit_of_a_table(text, unit):
    from finaudit.read.pdf import _UNIT

    assert _UNIT.search(text)[1] == unit


@pytest.mark.parametrize("text, stated", [
    ("本表无数据", True), ("此表为空表", True), ("注：本部门无政府性基金预算支出，故本表为空表。", True),
    ("本单位2026年无政府性基金预算", True), ("本部门不涉及国有资本经营预算", True), ("本部门未安排政府性基金预算", True),
    ("本年度无此项支出", True), ("本单位不涉及此项收支", True),
    # an instruction to publish an empty table is no statement that this one is empty; nor is a row
    ("2、不管理本级专项资金的主管部门，应公开空表并说明。", False), ("一般公共服务支出", False), ("无", False),
])
def test_a_table_stated_empty(text, stated):
    from finaudit.read.document import STATEMENT

    assert bool(STATEMENT.search(text)) == stated

"""The national budget families read by meaning: Wuxi's 2026 template (公开01表 …, tables by unit, 财政拨款
支出表（功能科目）, 三公/会议费/培训费, 机关运行经费, 政府采购), Xi'an's 部门综合预算 template (a summary with three
expenditure breakdowns, 明细表（按支出经济分类科目）, 专项业务经费), and Jiangsu's 2017–2019 provincial template (cells
boxed inside their boxes, landscape pages, a title and its 部门 line in one ruled cell). Real files from
/work/shared/reports/national (skipped where absent), cell by cell; the small reading steps on their own."""

from pathlib import Path

import pytest

import finaudit
from finaudit.audit import audit
from finaudit.read.pdf import _TITLE_END, _frames_cut, _PdfLoader, _running_key
from finaudit.read.ruling import _open_edges
from finaudit.read.tables import Cell, numbered, stub_cells_by_field
from finaudit.read.templates import normalise, templates

from conftest import NATIONAL, ROOT  # noqa: E402
WUXI = NATIONAL / "wuxi" / "无锡__商务局_2026年部门预算.pdf"
XIAN = NATIONAL / "xian" / "西安__统计局_西安市统计局（汇总）2026年部门预算.pdf"
JIANGSU_COURT = NATIONAL / "jiangsu" / "江苏省高级人民法院__江苏省高级人民法院2019年度部门预算公开.pdf"
JIANGSU_TABLES = NATIONAL / "jiangsu" / "江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf"


def load(path: Path):
    if not path.exists():
        pytest.skip("national sample not present")
    return finaudit.load(path)


def value(report, kind, column, *, key=None, code=None, label=None, side=None):
    frame = report.tables[kind].data
    if key:
        rows = frame[frame["key"] == key]
    elif code:
        rows = frame[frame["code"] == code]
    else:
        rows = frame[frame["label"] == label]
    if side:
        rows = rows[rows["side"] == side]
    assert len(rows) >= 1, (kind, key, code, label, side)
    found = rows.iloc[0][column]
    return None if found is None or str(found) == "<NA>" else int(found)


# -- Wuxi 2026 (national template, 13 tables numbered 公开01表 …) ----------------------------------------
@pytest.fixture(scope="module")
def wuxi():
    return load(WUXI)


def test_wuxi_tables_kinds_numbers_and_coverage(wuxi):
    assert {k: (t.number, t.pages) for k, t in wuxi.tables.items()} == {
        "summary": (1, [9]), "income": (2, [10]), "expenditure": (3, [11, 12]), "appropriation_summary": (4, [13, 14]),
        "appropriation_expenditure": (5, [15, 16]), "appropriation_basic": (6, [17]), "general_budget": (7, [18, 19]),
        "basic_expenditure": (8, [20]), "three_public": (9, [21]), "government_fund": (10, [22]),
        "state_capital": (11, [23]), "operating_costs": (12, [24]), "procurement": (13, [25, 26]),
    }
    assert {t.unit for t in wuxi.tables.values()} == {"万元"}
    coverage = wuxi.coverage()
    # the one number left is the year on the tables part's cover page ("2026 年度 / 无锡市商务局 / 部门预算表")
    assert coverage.ratio == 1.0 and coverage.unplaced == []  # (the tables part's cover, 2026年度: a date)


@pytest.mark.parametrize("kind, column, where, expected", [
    ("summary", "total", dict(key="general", side="income"), 1746665),  # 一、一般公共预算拨款收入 17,466.65
    ("summary", "total", dict(key="grand_total", side="expenditure"), 1746665),
    ("income", "total", dict(key="grand_total"), 1746665),  # 合计 across 部门代码 | 部门名称
    ("income", "general", dict(label="317001 无锡市商务局（本级）"), 1579043),  # a unit's code kept with its name
    ("income", "income_total", dict(label="317002 无锡市投资促进中心"), 167622),
    ("expenditure", "project", dict(code="2160699"), 17912),
    ("appropriation_expenditure", "personnel", dict(code="2160601"), 187955),  # 基本支出/人员经费
    ("appropriation_expenditure", "basic", dict(key="grand_total"), 467040),  # 基本支出/小计
    ("appropriation_basic", "public", dict(code="30228"), 4709),
    ("general_budget", "public", dict(code="2160699"), 6718),
    ("basic_expenditure", "personnel", dict(code="30399"), 1274),
    ("three_public", "budget", dict(key="total"), 640),  # “三公”经费合计 6.40, no 预算数 row above the items
    ("three_public", "budget", dict(key="meeting"), 280),
    ("three_public", "budget", dict(key="training"), 1000),
    ("operating_costs", "budget", dict(key="grand_total"), 17558),
    ("procurement", "total", dict(key="grand_total"), 2694),
    ("procurement", "general", dict(label="服务"), 2514),
])
def test_wuxi_cells(wuxi, kind, column, where, expected):
    assert value(wuxi, kind, column, **where) == expected


def test_wuxi_procurement_words_are_kept_not_amounts(wuxi):
    labels = list(wuxi.tables["procurement"].data["label"])
    assert any("复印纸" in label and "分散采购" in label for label in labels)
    assert not [w for w in wuxi.warnings if w.code.startswith("amount")]


def test_wuxi_empty_tables_are_empty_with_their_statement(wuxi):
    fund = wuxi.tables["government_fund"]
    assert fund.is_empty() and "本表无数据" in (fund.statement or "")


def test_wuxi_findings_no_false_balance_errors(wuxi):
    """The summary's fund lines add up to 收入总计 where no 财政拨款 line sums them (FA-B010), and no unit
    code is read as a classification code (FA-C001)."""
    codes = {f.code for f in audit(wuxi).findings if str(f.severity) == "error"}
    assert not codes & {"FA-B010", "FA-C001", "FA-T004", "FA-B001"}


# -- Xi'an 2026 (部门综合预算, 16 tables, amounts in 元) --------------------------------------------------
@pytest.fixture(scope="module")
def xian():
    return load(XIAN)


def test_xian_tables_and_coverage(xian):
    assert set(xian.tables) >= {
        "summary", "income", "expenditure", "appropriation_summary", "general_budget", "general_budget_economic",
        "basic_function", "basic_expenditure", "government_fund", "project_expenditure", "carryover_expenditure",
        "procurement", "three_public",
    }
    assert xian.tables["summary"].unit == "元"
    assert xian.coverage().ratio > 0.998


def test_xian_summary_sides(xian):
    """收入 | 支出 by function | by department economic class | by government economic class: one side each."""
    summary = xian.tables["summary"].data
    assert sorted(set(summary["side"])) == ["expenditure", "expenditure2", "expenditure3", "income"]
    assert value(xian, "summary", "total", key="grand_total", side="income") == 6210929720
    assert value(xian, "summary", "total", key="grand_total", side="expenditure") == 6210929720
    assert value(xian, "summary", "total", label="2、专项业务经费支出", side="expenditure2") == 2540810000


@pytest.mark.parametrize("kind, column, where, expected", [
    # 合计 merged over 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称: its amounts stay in their columns
    ("general_budget_economic", "total", dict(key="grand_total"), 6210929720),
    ("general_budget_economic", "project", dict(key="grand_total"), 2540810000),
    ("general_budget_economic", "public", dict(code="30239"), 8000000),
    ("basic_expenditure", "personnel", dict(key="grand_total"), 3455789303),
    ("basic_function", "public", dict(code="2010501"), 205261617),
    ("general_budget", "project", dict(code="2010507"), 2378660000),  # 专项业务经费支出 is the project column
    ("project_expenditure", "total", dict(label="119001 西安市统计局"), 2513910000),
])
def test_xian_cells(xian, kind, column, where, expected):
    assert value(xian, kind, column, **where) == expected


def test_xian_contents_say_which_tables_are_empty_and_why(xian):
    """The 报表目录 prints 是否空表 | 表格为空的理由 per table: 表11 (上年结转, no rows) marked 是 / 不涉及 is a stated
    empty table (no FA-P002); the tables left unmarked carry no statement."""
    from finaudit.audit import audit

    by_number = {t.number: t for t in xian.tables.values()}
    assert by_number[11].statement == "报表目录：是否空表 是；不涉及"
    assert by_number[1].statement is None
    assert not [f for f in audit(xian).findings if f.code == "FA-P002"]


def test_xian_government_economic_code_kept_as_the_rows_detail(xian):
    """部门经济科目 30101 基本工资 printed with its 政府经济科目 50101 工资奖金津补贴: the row's label is its own
    name (what FA-C004 compares with the year's list), the government classification its detail."""
    table = xian.tables["general_budget_economic"]
    frame = table.data
    row = frame.index[frame["code"] == "30101"][0]
    assert frame.loc[row, "label"] == "基本工资"
    assert table.details[row] == ["50101 工资奖金津补贴"]


# -- Jiangsu 2019 (provincial template: twelve tables, each cell's text boxed inside the cell) ------------
@pytest.fixture(scope="module")
def court():
    return load(JIANGSU_COURT)


def test_jiangsu_court_tables(court):
    assert {k: t.number for k, t in court.tables.items()} == {
        "summary": 1, "income": 2, "expenditure": 3, "appropriation_summary": 4, "appropriation_expenditure": 5,
        "appropriation_basic": 6, "general_budget": 7, "basic_expenditure": 8, "three_public": 9,
        "government_fund": 10, "operating_costs": 11, "procurement": 12,
    }
    assert court.coverage().ratio > 0.995


def test_jiangsu_court_summary_and_expenditure(court):
    assert value(court, "summary", "total", key="general", side="income") == 3718834
    assert value(court, "summary", "total", code="204", side="expenditure") == 2748823
    # 支出预算总表: one row of 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金, no codes
    row = court.tables["expenditure"].data.iloc[0]
    assert (int(row["total"]), int(row["basic"]), int(row["project"]), int(row["reserve"])) == (
        3718834, 2196800, 1020894, 501140)
    assert not {f.code for f in audit(court).findings} & {"FA-B021", "FA-B025", "FA-T004"}


def test_jiangsu_court_three_public_groups(court):
    """合计 over the 三公 group, 会议费 and 培训费 is the grand total; “三公”经费/小计 is the 三公 total."""
    budget = {key: value(court, "three_public", "budget", key=key)
              for key in ("grand_total", "total", "abroad", "vehicle", "vehicle_running", "reception", "meeting", "training")}
    assert budget == {"grand_total": 238202, "total": 51375, "abroad": 16000, "vehicle": 26680, "vehicle_running": 26680,
                      "reception": 8695, "meeting": 27102, "training": 159725}
    assert not [f for f in audit(court).findings if f.code == "FA-T040"]


def test_jiangsu_court_income_rows_by_group(court):
    """收入预算总表 lists the income down two label columns (一般公共预算资金 | 小计): both kept in the label."""
    labels = list(court.tables["income"].data["label"])
    assert labels[:3] == ["收入总计", "一般公共预算资金 小计", "公共财政拨款（补助）资金"]


@pytest.fixture(scope="module")
def jiangsu_tables():
    return load(JIANGSU_TABLES)


def test_jiangsu_landscape_table_file(jiangsu_tables):
    """Landscape pages (/Rotate 90) whose digits have no font metrics; each title and its 部门 line in one
    ruled cell inside the table's frame."""
    assert len(jiangsu_tables.tables) == 12
    coverage = jiangsu_tables.coverage()
    assert (coverage.ratio, coverage.total) == (1.0, 292)  # (its years are dates, not figures)
    assert value(jiangsu_tables, "summary", "total", key="general", side="income") == 2766422
    assert value(jiangsu_tables, "appropriation_basic", "total", code="30102") == 429267
    assert value(jiangsu_tables, "appropriation_expenditure", "total", key="grand_total") == 2766422


# -- the reading steps on their own ------------------------------------------------------------------
@pytest.mark.parametrize("text, number", [
    ("公开01表", 1), ("公开 13 表", 13), ("预算 03 表", 3), ("表1", 1), ("表 三", 3), ("表12", 12),
    ("公开01表 收支总表", None), ("收支总表", None), ("表1 部门综合预算收支总表", None), ("1、一般公共服务支出", None),
])
def test_number_alone(text, number):
    assert _PdfLoader.number_alone(text) == number


@pytest.mark.parametrize("title, ends", [
    ("财政拨款支出表（功能科目）", True), ("一般公共预算支出明细表（按支出功能分类科目-不含上年结转）", True),
    ("收支总表", True), ("部门预算表格说明", False), ("合计（万元）以下", False),
])
def test_title_end(title, ends):
    assert bool(_TITLE_END.search(normalise(title))) is ends


@pytest.mark.parametrize("title, kind", [
    ("财政拨款支出表（功能科目）", "appropriation_expenditure"),
    ("财政拨款基本支出预算表（经济科目）", "appropriation_basic"),
    ("一般公共预算支出预算表（功能科目）", "general_budget"),  # the qualifier dropped when no kind names it
    ("部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "general_budget_economic"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", "basic_function"),
    ("部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", "basic_expenditure"),
    ("一般公共预算“三公”经费、会议费、培训费支出表", "three_public"),
    ("一般公共预算机关运行经费支出预算表", "operating_costs"),
    ("部门综合预算专项业务经费支出表", "project_expenditure"),
    ("部门综合预算财政拨款上年结转资金支出表", "carryover_expenditure"),
    # wordings of other places (none of them in the national sample): the same kinds by meaning
    ("部门收入支出预算总表", "summary"), ("收入支出预算总表", "summary"), ("单位预算收入总表", "income"),
    ("部门预算支出总表", "expenditure"), ("部门预算收入表", "income"), ("部门项目支出预算表", "project_by_source"),
    ("项目支出表", "project_by_source"), ("一般公共预算基本支出经济科目表", "basic_expenditure"),
    ("部门经济分类基本支出预算表", "basic_expenditure"), ("一般公共预算财政拨款基本支出经济分类表", "appropriation_basic"),
    ("财政专户管理资金预算表", "special_account"), ("财政专户管理资金收支表", "special_account"),
    ("部门决算收支总表", "summary"), ("收入支出决算表", "summary"), ("部门收支决算表", "summary"),
    ("部门决算收入表", "income"), ("部门决算支出表", "expenditure"), ("财政专户管理资金收入支出决算表", "special_account"),
    # finals: the 2016–2018 wordings, the tables of a fund or a kind of spending that end in 支出决算表, and the
    # tables some places add besides the nine
    ("一般公共预算财政拨款收入支出决算表", "general_budget"), ("财政拨款收入支出决算表", "appropriation_summary"),
    ("部门支出决算表", "expenditure"), ("机关运行经费支出决算表", "operating_costs"),
    ("一般公共预算财政拨款项目支出决算表", "project_expenditure"), ("项目收入支出决算表", "project_expenditure"),
    ("一般公共预算财政拨款项目支出决算明细表", "project_expenditure"), ("政府购买服务决算表", "purchase_services"),
    ("一般公共预算财政拨款支出决算功能分类表", "general_budget"), ("一般公共预算财政拨款基本支出决算经济分类表", "basic_expenditure"),
    # budgets: bare 收入/支出预算表, a 基本支出 明细表, and a classification after the title that picks the kind
    ("上年结转资金预算表", "carryover_expenditure"), ("财政拨款上年结转资金安排表", "carryover_expenditure"),
    ("收入预算表", "income"), ("支出预算表", "expenditure"), ("部门基本支出预算明细表", "basic_expenditure"),
    ("一般公共预算财政拨款支出预算表", "general_budget"), ("一般公共预算财政拨款支出预算表（按功能科目）", "general_budget"),
    ("一般公共预算财政拨款支出预算表（按经济科目）", "general_budget_economic"),
])

def test_budget_kinds_by_title(title, kind):
    found = templates().kind_for_title(title)
    assert found is not None and found.name == kind


@pytest.mark.parametrize("title, document, kind", [
    # a department's or a fund's expenditure by economic code: kinds of their own, not the fund's table by function
    # code (the cross-table checks compare function codes); by the 政府预算 classification where a place prints both
    ("部门支出经济分类预算表", "budget", "expenditure_economic"), ("部门预算支出经济分类汇总表", "budget", "expenditure_economic"),
    ("支出经济分类汇总表（按部门预算经济分类）", "budget", "expenditure_economic"),
    ("支出经济分类汇总表（按政府预算经济分类）", "budget", "expenditure_government_economic"),
    ("一般公共预算支出经济分类汇总表", "budget", "general_budget_economic"),
    ("一般公共预算支出经济分类汇总表（按政府预算经济分类）", "budget", "general_budget_government_economic"),
    ("政府性基金预算支出经济分类预算表", "budget", "government_fund_economic"),
    ("政府性基金预算支出分类汇总表（按部门预算经济分类）", "budget", "government_fund_economic"),
    ("政府性基金预算支出分类汇总表（按政府预算经济分类）", "budget", "government_fund_government_economic"),
    ("政府性基金预算支出表", "budget", "government_fund"), ("政府性基金预算财政拨款收入支出决算表", "final", "government_fund"),
    ("一般公共预算财政拨款项目支出预算表", "budget", "project_expenditure"),
    ("项目支出预算表（按经济分类）", "budget", "project_expenditure"), ("项目支出预算表（按功能分类）", "budget", "project_by_source"),
    ("部门决算收入支出总表", "final", "summary"),
    ("一般公共预算财政拨款支出决算明细表（按经济分类）", "final", "general_budget_economic"),
    ("一般公共预算财政拨款支出决算表", "final", "general_budget"),
    # a table of money and quantities, kept as text; not read (Hunan's 基本支出 split by item): a warning, no wrong kind
    ("国有资产占用情况表", "final", "state_assets"), ("部门（单位）国有资产占用情况表", "final", "state_assets"),
    ("一般公共预算基本支出表——人员经费(工资福利支出)", "budget", None),
])
def test_economic_twins_and_other_wordings_by_title(title, document, kind):
    found = templates().kind_for_title(title, document)
    assert (found.name if found else None) == kind


@pytest.mark.parametrize("title", ["政府采购情况表", "机关运行经费支出情况表", "“三公”经费支出表", "政府购买服务情况表"])
def test_a_title_either_kind_of_document_prints_is_read_as_the_documents_own(title):
    """A title that does not say 预算 or 决算 names a final's table in a final (its amounts 决算) and a budget's in a
    budget: the same kind, read with the template of the document's own kind."""
    final, budget = (templates().kind_for_title(title, document) for document in ("final", "budget"))
    assert final.name == budget.name
    assert "final" in final.documents and "budget" in budget.documents and final is not budget


@pytest.mark.parametrize("kind, header, key", [
    ("budget_three_public", "2026年预算数", "budget"), ("budget_three_public", "2025年预算数", "previous"),
    ("budget_general_budget", "2026年预算数", "total"), ("budget_general_budget", "2025年执行数", "prior"),
    ("budget_basic_expenditure", "2026年预算数", "total"), ("budget_three_public", "2026年", "budget"),
    # last year's budget and the change beside this year's: 上年预算数 | 本年预算数 | 增减 | 增长率 (a ratio: a detail)
    ("budget_general_budget", "上年预算数", "previous"), ("budget_general_budget", "本年预算数", "total"),
    ("budget_general_budget", "增减", "change"), ("budget_general_budget", "2025年预算数", "previous"),
    # a final's 收支决算总表 with the year's budgets beside the final figure
    ("summary", "年初预算数", "budget"), ("summary", "全年预算数", "adjusted"), ("summary", "决算数", "total"),
])
def test_a_column_named_with_a_year_is_read_as_the_documents_year_makes_it(kind, header, key):
    """A 2026 budget's "2026年预算数" is its 预算数 and "2025年预算数" last year's (上年预算数): the key by the
    document's year, the header kept as printed."""
    from finaudit.read.tables import _year_group

    assert templates().kinds[kind].column_key(_year_group(header, 2026)) == key
    assert _year_group("2024年预算数", 2026) == "2024年预算数"  # a year neither this nor the last: as printed


def test_a_classification_after_the_title_never_picks_a_kind_of_the_other_classification():
    """"财政拨款支出预算表（经济科目）" is not the 功能科目 table that "财政拨款支出预算表" names without its qualifier."""
    assert templates().kind_for_title("财政拨款支出预算表（功能科目）").name == "appropriation_expenditure"
    assert templates().kind_for_title("财政拨款支出预算表（经济科目）") is None


def test_the_older_general_budget_table_reads_its_carryover_columns():
    """The 2016–2018 一般公共预算财政拨款收入支出决算表 prints 年初结转和结余 | 本年收入 | 本年支出 (小计, 基本支出,
    项目支出) | 年末结转和结余: each its own column, 本年支出's 小计 the total (as in the 政府性基金 table)."""
    kind = templates().kind_for_title("一般公共预算财政拨款收入支出决算表")
    paths = ["年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余"]
    assert [kind.column_key(p) for p in paths] == ["begin", "income", "total", "basic", "project", "end"]


def test_running_key_masks_digits():
    assert _running_key("无锡市商务局 2026 年度部门预算公开") == _running_key("无锡市商务局2027年度部门预算公开")


def test_frame_cut_to_its_title_rows():
    """A frame around the ruled cells (rows 0–16) with the title in its first row keeps that row only; a frame
    with no free row above the cells it frames is dropped; cells that frame nothing stay."""
    cells = [(1, 2, 0, 1), (1, 2, 1, 2), (2, 16, 0, 2)]
    assert _frames_cut([(0, 16, 0, 2), *cells]) == [(0, 1, 0, 2), *cells]
    assert _frames_cut([(1, 16, 0, 2), *cells]) == [None, *cells]
    assert _frames_cut(cells) == cells


def test_numbered_sides():
    assert numbered(["income", "expenditure", "expenditure", "expenditure"]) == [
        "income", "expenditure", "expenditure2", "expenditure3"]


def test_stub_cells_by_field_keeps_repeated_fields():
    cells = [Cell(1, "30101"), Cell(2, "基本工资"), Cell(3, "50101"), Cell(4, "工资奖金津补贴")]
    found = stub_cells_by_field(["code", "name", "code", "name"], cells)
    assert {k: c.text for k, c in found.items()} == {"code": "30101", "name": "基本工资", "code#2": "50101",
                                                     "name#2": "工资奖金津补贴"}


@pytest.mark.parametrize("text, collection", [
    ("部门预算表", True), ("单位预算表", True), ("2026年部门综合预算公开报表", True), ("省级部门预算公开报表", True),
    ("收支总表", False), ("部门综合预算收支总表", False), ("单位预算收入总表", False),
])
def test_collection_heading_is_no_table(text, collection):
    from finaudit.read.pdf import _COLLECTION
    assert bool(_COLLECTION.match(normalise(text))) is collection


def test_jiangsu_total_label_across_the_sides(court):
    """当年支出小计 printed across 功能科目名称 | 金额 | 项目名称, its amount under the last 金额: read in its own
    side with that amount, no row misaligned."""
    assert value(court, "summary", "total", label="当年支出小计", side="expenditure") == 3718834
    assert value(court, "summary", "total", label="支出合计", side="expenditure") == 3718834
    assert not [w for w in court.warnings if w.code == "row-misaligned"]


# -- a table running over a page break, its row's upper rule printed on the page before ----------------------
def _rule(orientation, x0, top, x1, bottom):
    return x0, x1, top, bottom, orientation  # an Edge


def test_rows_whose_upper_rule_is_on_the_page_before_are_cells():
    """Vertical rules of three columns rise 17 pt above the first horizontal rule with none drawn there (江苏高院
    2018, page 13: "2040504 案件审判 1,833.30" above the grid): the open row is closed and read as cells; rules
    that only overshoot their top rule (by under a line of text) or a rule drawn short close nothing new."""
    from finaudit.read.ruling import find_tables, rules

    xs = (60, 190, 420, 540)
    verticals = [_rule("v", x, 71, x, 125) for x in xs]
    horizontals = [_rule("h", 60, y, 540, y) for y in (88, 106, 125)]
    (open_top,) = find_tables(verticals + horizontals)
    assert min(box[1] for box in open_top) == 71 and len(open_top) == 9
    overshoot = [_rule("v", x, 84, x, 125) for x in xs]
    (closed,) = find_tables(overshoot + horizontals)
    assert min(box[1] for box in closed) == 88 and len(closed) == 6
    short = [_rule("h", 62, 71, 500, 71)]  # a top rule drawn short of the outer columns: there, nothing added
    assert len(rules(verticals + horizontals + short)[1]) == 4
    assert len(rules(verticals + horizontals)[1]) == 4  # the open top closed by one added rule


def test_jiangsu_court_2018_header_split_over_a_page_break_is_one_header():
    """The 财政拨款收支预算总表 prints its side row (收入 | 支出) at the foot of page 10 and the rest of its header
    (项目名称 | 金额 | 支出用途: 项目名称 | 金额) and its rows on page 11, ruled otherwise: one header, every row read."""
    court_2018 = load(NATIONAL / "jiangsu" / "江苏省高级人民法院__省法院2018年度部门预算公开.pdf")
    table = court_2018.tables["appropriation_summary"]
    rows = [(r["side"], r["label"], r["total"]) for r in table.records()]
    assert rows == [("income", "一、一般公共预算", 3317215), ("income", "二、政府性基金预算", None),
                    ("income", "收入合计", 3317215), ("expenditure", "一、基本支出", 1857082),
                    ("expenditure", "二、项目支出", 1134327), ("expenditure", "三、单位预留机动经费", 325806),
                    ("expenditure", "支出合计", 3317215)]
    assert court_2018.coverage().ratio == 1.0


def test_jiangsu_court_2018_row_at_the_head_of_a_page_is_read():
    court_2018 = load(NATIONAL / "jiangsu" / "江苏省高级人民法院__省法院2018年度部门预算公开.pdf")
    frame = court_2018.tables["general_budget"].data
    assert int(frame.loc[frame["code"] == "2040504", "total"].iloc[0]) == 183330
    assert not [f for f in audit(court_2018).findings if f.code in ("FA-T001", "FA-T031")]


def test_a_header_clipped_by_its_cell_keeps_its_last_character(jiangsu_tables):
    """"采购组织形式" in a cell too narrow for it: its 式 is drawn across the rule below, into the 合计 row. It is
    the header's (a text column), and the 合计 row stays the table's grand total."""
    table = jiangsu_tables.tables["procurement"]
    assert list(table.columns) == ["total"]
    first = table.data.iloc[0]
    assert (first["label"], first["key"], int(first["total"])) == ("合计", "grand_total", 142250)
    assert not [w for w in jiangsu_tables.warnings if w.code in ("header-unrecognised", "amount-not-numeric")]


@pytest.mark.parametrize("name", ["西安__统计局_西安市统计局（汇总）2026年部门预算.pdf", "西安__宣传部_2026年部门预算.pdf"])
def test_xian_three_public_reads_this_years_group_as_the_budget(name):
    """The 三公 table by unit prints 上年 | 当年 | 增减变化情况 (宣传部 2021: "2020年 | 2021年 | 增减变化情况", titled
    "…预算表（不含上年结转）"): this year's budget keys stand under 当年 (or the document's year), never under 上年;
    every column is an item of one of the three groups, the 三公 subtotal under its fund's name included; each
    column keeps its header as printed."""
    report = load(NATIONAL / "xian" / name)
    table = report.tables["three_public"]
    this, last = ("2021年", "2020年") if "宣传部" in name else ("当年", "上年")
    assert table.columns["meeting.budget"] == f"{this}/会议费" and table.columns["training.budget"] == f"{this}/培训费"
    assert table.columns["grand_total.previous"] == f"{last}/合计" and table.columns["grand_total.change"] == "增减变化情况/合计"
    assert table.columns["total.budget"].startswith(f"{this}/一般公共预算拨款安排的“三公”经费预算")
    assert {key.partition(".")[2] for key in table.columns} == {"previous", "budget", "change"}
    assert not [w for w in report.warnings if w.code == "header-unrecognised"]


def test_xian_2021_names_general_public_budget_by_its_older_name():
    """西安宣传部 2021 heads its 一般公共预算拨款 columns "公共预算拨款" (the older name): read as the general column."""
    table = load(NATIONAL / "xian" / "西安__宣传部_2026年部门预算.pdf").tables["expenditure"]
    assert table.columns["general"] == "部门预算/公共预算拨款/小计"


def test_open_edge_closes_merged_cells_running_over_the_page():
    """A table's last row: the merged cells on the left (项目名称, 项目总额) run on to the next page, so the rule
    under them is not drawn, while the cells on the right end on the page with their rule: the left stretch is
    closed at the table's foot, not the right one again."""
    xs = [23, 31, 109, 182, 328, 404, 500, 818]
    vertical = [_rule("v", x, 48, x, 452) for x in xs]
    horizontal = [_rule("h", 23, 48, 818, 48), _rule("h", 23, 91, 818, 91), _rule("h", 404, 451.6, 818, 451.6)]
    added = _open_edges(vertical, horizontal)
    assert [(round(x0), round(x1), round(top)) for x0, x1, top, _, _ in added] == [(23, 404, 452)]


def test_open_edge_leaves_a_headers_merged_cells():
    """Inside a header, the rules between a group's columns start under a shorter rule (the group's own): the
    stretch beside it that no rule closes is a cell spanning both header rows, not cut in two."""
    vertical = [_rule("v", x, 48, x, 300) for x in (23, 200, 600, 818)] + [_rule("v", x, 70, x, 300) for x in (300, 400, 500)]
    horizontal = [_rule("h", x0, y, x1, y) for x0, y, x1 in ((23, 48, 818), (200, 70, 400), (23, 91, 818), (23, 300, 818))]
    assert _open_edges(vertical, horizontal) == []


def test_a_note_ruled_into_a_table_is_its_note():
    """"注：本部门无相关收支项目" in a ruled row of its own under an empty table's header is the table's note (its
    statement), not a row; a row with a label and amounts, or a one-cell row of other words, stays a row."""
    from finaudit.read.pdf import _Grid, _GridCell, _Text

    def cell(row, col, col_end, text):
        return _GridCell(row, row + 1, col, col_end, _Text(12, 60.0 * col, 20.0 * row, 60.0 * col_end, text))

    grid = _Grid(12, 0.0, [(0, 60), (60, 120), (120, 180)],
                 [cell(0, 0, 1, "合计"), cell(0, 1, 2, ""), cell(1, 0, 3, "注：本部门无相关收支项目"),
                  cell(2, 0, 3, "一般公共服务支出"), cell(3, 0, 3, "本单位无政府性基金预算支出")], 4)
    assert [_PdfLoader.note_row(grid, r) is not None for r in range(4)] == [False, True, False, True]


def test_every_table_kind_has_a_name_in_each_document_it_reads():
    """A table kind the templates read has its name in each language for each document kind it appears in (a raw
    key such as ``project_expenditure`` on a Chinese screen or sheet is a defect)."""
    from finaudit.model import kind_name

    for key, kind in templates().kinds.items():
        for document in kind.documents:
            zh, en = kind_name(kind.name, document)
            assert zh != kind.name and en != kind.name, (key, document)


@pytest.mark.parametrize("header, key", [
    ("财政拨款（补助）", "fiscal"), ("纳入专户管理的非税收入", "special"), ("单位资金", "unit_funds"),
    ("上年结转结余/单位资金", "carryover_unit"), ("一般公共预算拨款收入", "general"), ("事业单位经营收入", "operating"),
])
def test_budget_income_columns_by_meaning(header, key):
    """Income sources as other places head them, each its own column of the 收入总表."""
    assert templates().kinds["budget_income"].column_key(header) == key


def test_a_three_public_table_by_unit_is_checked_on_every_row():
    """西安宣传部's 三公 table prints a row per unit under 上年 | 当年 | 增减变化情况: each row's 合计 against its items
    in each period, and each item's change against this year less last year. Its 2021 合计 leaves out part of
    会议费 (1,171,100.00 printed; 65,100.00 + 320,000.00 + 1,096,000.00 = 1,481,100.00): a finding on 当年 and 增减
    of every row; its 上年 columns and every change add up."""
    path = next((ROOT / "sample_data" / "families").glob("西安__宣传部*"))
    found = [f for f in audit(finaudit.load(path)).findings if f.code == "FA-T040"]
    assert {f.where.column for f in found} == {"grand_total.budget", "grand_total.change"}
    assert len(found) == 8 and all(str(f.severity) == "error" for f in found)
    assert "Total (Budget) must equal Three public expenses (Budget) + Meetings (Budget) + Training (Budget)" \
        in next(f.message_en for f in found if f.where.row == "合计" and f.where.column == "grand_total.budget")
    # the 合计 row's gap is its units' gaps summed, in each column: one problem per column, the 合计 row its root
    roots = [f for f in found if not f.caused_by]
    assert [(f.where.row, f.where.column) for f in roots] == [("合计", "grand_total.budget"), ("合计", "grand_total.change")]
    assert "在 4 行都小于其各项之和" in roots[0].cause_zh


def test_a_row_name_printed_under_the_amount_column_is_the_rows_name():
    """江苏高院 2017's 收入总表 prints 事业收入, 经营收入 … to the right of their column, under 金额, on rows with no
    amount: each is its row's name, not an amount that is not a number."""
    path = NATIONAL / "jiangsu" / "江苏省高级人民法院__省法院2017年度部门预算公开.pdf"
    if not path.exists():
        pytest.skip("national sample not present")
    report = finaudit.load(path)
    assert not [w for w in report.warnings if w.code == "amount-not-numeric"]
    labels = list(report.tables["income"].data["label"].dropna())
    assert {"事业收入", "经营收入", "其他收入"} <= set(labels)


def test_a_final_general_budget_table_with_its_budgets_beside_the_actual():
    """Some finals print 年初预算数 | 全年预算数 | 决算数 (合计, 基本支出, 项目支出) | 决算数为全年预算数的%: the budgets are
    columns of their own, the actual's 合计 the total, the ratio a detail kept as printed, not an amount."""
    kind = templates().kind_for_title("一般公共预算财政拨款支出决算表")
    paths = ["年初预算数", "全年预算数", "决算数/合计", "决算数/基本支出", "决算数/项目支出"]
    assert [kind.column_key(p) for p in paths] == ["budget", "adjusted", "total", "basic", "project"]
    assert kind.is_detail("决算数为全年预算数的%")


def ruled_pdf(path, titles: list[str], columns: list[int], rows: list[tuple[str, ...]]):
    """A one-page PDF at ``path``: the title lines, then a grid ruled at the given x (points) with a row of 20 pt per
    row of texts (a text per column; '' for none)."""
    from tests.test_pdf import pdf, text

    top, height = 160, 20
    rules = b"".join(b"%d %d m %d %d l S\n" % (columns[0], 842 - (top + i * height), columns[-1], 842 - (top + i * height))
                     for i in range(len(rows) + 1))
    rules += b"".join(b"%d %d m %d %d l S\n" % (x, 842 - top, x, 842 - (top + len(rows) * height)) for x in columns)
    cells = [(top + i * height + 14, x + 3, s) for i, row in enumerate(rows) for x, s in zip(columns, row) if s]
    page = text([(80 + 25 * i, title) for i, title in enumerate(titles)])
    page += b"".join(b"BT /F1 10 Tf %d %d Td <%s> Tj ET\n" % (x, 842 - y, s.encode("utf-16-be").hex().encode())
                     for y, x, s in cells)
    path.write_bytes(pdf(rules + page))
    return path


def test_a_department_expenditure_by_economic_code_is_read_whole(tmp_path):
    """A 部门支出经济分类预算表 (no such table in the national sample) drawn as a ruled grid: recognised, its rows read
    with their economic codes and its every number placed; the function-coded checks leave it alone."""
    from finaudit.audit import audit

    rows = [("科目编码", "科目名称", "合计", "基本支出", "项目支出"), ("", "合计", "150.00", "100.00", "50.00"),
            ("301", "工资福利支出", "100.00", "100.00", ""), ("30101", "基本工资", "100.00", "100.00", ""),
            ("302", "商品和服务支出", "50.00", "", "50.00"), ("30201", "办公费", "50.00", "", "50.00")]
    report = load(ruled_pdf(tmp_path / "某某局2026年部门预算.pdf", ["某某局2026年部门预算", "部门支出经济分类预算表", "单位：万元"],
                            [40, 110, 260, 350, 440, 530], rows))
    table = report.tables["expenditure_economic"]
    assert report.meta.kind == "budget" and table.system == "economic"
    assert value(report, "expenditure_economic", "total", code="30101") == 10000
    assert value(report, "expenditure_economic", "project", code="302") == 5000
    assert value(report, "expenditure_economic", "total", key="grand_total") == 15000
    coverage = report.coverage()
    assert not coverage.unplaced and coverage.placed == {"amount": 11, "code": 4}
    assert not [w for w in report.warnings if "unknown" in w.code]
    assert not [f for f in audit(report).findings if f.code.startswith(("FA-C", "FA-T")) and f.severity != "info"]


def test_a_finals_performance_self_evaluation_form_is_read_whole(tmp_path):
    """A final's 项目支出绩效自评表 (none in the national sample): a form read as a row for the project, the first amount
    beside each money label (its 年初预算数) as that amount, every other cell (scores, rates, targets) as text."""
    rows = [("项目名称", "某某信息化项目", "", "", "", "", ""),
            ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            ("年度资金总额", "100.00", "120.00", "110.00", "10", "91.67%", "9.17"),
            ("其中：当年财政拨款", "100.00", "120.00", "110.00", "", "", ""),
            ("年度总体目标", "完成系统建设", "", "", "", "", "")]
    report = load(ruled_pdf(tmp_path / "某某局2023年度部门决算.pdf", ["某某局2023年度部门决算", "项目支出绩效自评表", "单位：万元"],
                            [40, 140, 220, 300, 380, 430, 490, 550], rows))
    table = report.tables["performance_evaluation"]
    assert len(table.rows()) == 1
    assert value(report, "performance_evaluation", "total", label="某某信息化项目") == 10000
    assert value(report, "performance_evaluation", "fiscal", label="某某信息化项目") == 10000
    coverage = report.coverage()
    assert not coverage.unplaced and not [w for w in report.warnings if "unknown" in w.code]


def test_a_state_assets_table_is_recognised_and_kept_as_text(tmp_path):
    """A final's 国有资产占用情况表 (money beside counts of cars and square metres): recognised, every cell placed as the
    table's text with its page, none of it an amount a check could use."""
    rows = [("项目", "行次", "资产总额", "车辆（辆）", "房屋（平方米）"), ("合计", "1", "1,250.00", "3", "1,200.50")]
    report = load(ruled_pdf(tmp_path / "某某局2023年度部门决算.pdf", ["某某局2023年度部门决算", "国有资产占用情况表"],
                            [40, 200, 260, 360, 440, 540], rows))
    assert "state_assets" in report.tables
    coverage = report.coverage()
    assert not coverage.unplaced and not [w for w in report.warnings if "unknown" in w.code]

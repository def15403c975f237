"""Budget documents (部门预算 / 单位预算): the four Putuo budget PDFs loaded cell by cell, their meta and
findings; every budget rule passes on a consistent generated budget and fails on a perturbed one;
document kinds keep finals rules off budgets and budget rules off finals."""

import hashlib
import re
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest
from conftest import ROOT

import finaudit
from finaudit.audit import audit
from finaudit.model import Meta, format_amount
from finaudit.read.meta import settle, signals
from finaudit.read.render import render_text
from finaudit.read.text import parse_text
from finaudit.rules.registry import REGISTRY
from finaudit.synthetic import generate, generate_budget

pytest.importorskip("pdfplumber")

SAMPLES = ROOT / "sample_data"
COMMERCE = "shanghai-putuo-commerce-2025-dept-budget.pdf"
COMMERCE_UNIT = "shanghai-putuo-commerce-2025-unit-budget.pdf"
WANLI_2024 = "shanghai-putuo-wanli-street-2024-dept-budget.pdf"
WANLI_2025 = "shanghai-putuo-wanli-street-2025-dept-budget.pdf"
SHA256 = {
    COMMERCE: "b067184912969b733d53e86c4cf658ba91b4cecf93c25b9198ea3086515e7a6a",
    COMMERCE_UNIT: "e678e969088c075cc349477d3c3e08c2061ec5dd07779332c7c935da1b8a5ccf",
    WANLI_2024: "9cf8afd0f960aea9377ec2d80d8573bb96747e42f0c64046a81f63a2e4af7ce8",
    WANLI_2025: "80009d59316549fb20db41e05b4f1eb15491e8be1661d5669bd0e5b1fd88d8cd",
}
COMMERCE_NAME, WANLI_NAME = "上海市普陀区商务委员会", "上海市普陀区人民政府万里街道办事处"
NINE = {"summary", "income", "expenditure", "appropriation_summary", "general_budget", "government_fund",
        "state_capital", "basic_expenditure", "three_public"}
_loaded: dict = {}


def load(name):
    if name not in _loaded:
        _loaded[name] = finaudit.load(SAMPLES / name)
    return _loaded[name]


def cells(table, columns):
    return [(r["side"], r["code"] or "", r["label"], *(format_amount(r[c]) for c in columns)) for r in table.records()]


# -- the four PDFs --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, kind, scope, year, department, unit_name", [
    (COMMERCE, "budget", "department", 2025, COMMERCE_NAME, None),
    (COMMERCE_UNIT, "budget", "unit", 2025, None, COMMERCE_NAME),
    (WANLI_2024, "budget", "department", 2024, WANLI_NAME, None),
    (WANLI_2025, "budget", "department", 2025, WANLI_NAME, None),
])
def test_meta(name, kind, scope, year, department, unit_name):
    assert hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest() == SHA256[name]
    meta = load(name).meta
    assert (meta.kind, meta.scope, meta.year, meta.department, meta.unit_name, meta.unit) == (
        kind, scope, year, department, unit_name, "元")


@pytest.mark.parametrize("name, warnings", [
    (COMMERCE, []),
    (COMMERCE_UNIT, []),
    (WANLI_2024, ["code-part-short", "code-part-short"]),  # "301 2 津贴补贴", "301 7 绩效工资" as printed
    (WANLI_2025, []),
])
def test_every_table_recognised_every_number_placed(name, warnings):
    report = load(name)
    assert set(report.tables) == NINE
    assert report.coverage().ratio == 1.0 and not report.coverage().unplaced
    assert [w.code for w in report.warnings] == warnings
    assert {t.unit for t in report.tables.values()} == {"元", "万元"} and report.tables["three_public"].unit == "万元"
    assert [t.ordinal for t in sorted(report.tables.values(), key=lambda t: t.ordinal)] == list(range(1, 10))
    for kind in ("government_fund", "state_capital"):
        assert report.tables[kind].is_empty() and "故本表为空表" in report.tables[kind].statement


def test_narrative_parts():
    sections = load(COMMERCE).narrative
    titles = [s.title for s in sections if not s.number]
    assert titles == ["2025年部门预算编制说明", "其他相关情况说明", "科技创新专项经费情况说明",
                      "生命健康专项（政策资金）经费情况说明", "商业创新专项（政策资金）经费情况说明",
                      "贸易高质量发展专项（政策资金）经费情况说明"]
    assert len(load(COMMERCE).glossary) == 8


def test_commerce_summary_cell_by_cell():
    assert cells(load(COMMERCE).tables["summary"], ["total"]) == [
        ("income", "", "一、财政拨款收入", "371514655.00"),
        ("income", "", "1.一般公共预算资金", "371514655.00"),
        ("income", "", "2.政府性基金", ""),
        ("income", "", "3.国有资本经营预算", ""),
        ("income", "", "二、事业收入", ""),
        ("income", "", "三、事业单位经营收入", ""),
        ("income", "", "四、其他收入", ""),
        ("income", "", "收入总计", "371514655.00"),
        ("expenditure", "201", "一、一般公共服务支出", "21601733.00"),
        ("expenditure", "206", "二、科学技术支出", "17200000.00"),
        ("expenditure", "208", "三、社会保障和就业支出", "3808085.00"),
        ("expenditure", "210", "四、卫生健康支出", "881803.00"),
        ("expenditure", "215", "五、资源勘探工业信息等支出", "293810000.00"),
        ("expenditure", "216", "六、商业服务业等支出", "31364000.00"),
        ("expenditure", "221", "七、住房保障支出", "2849034.00"),
        ("expenditure", "", "支出总计", "371514655.00"),
    ]
    assert [r["key"] for r in load(COMMERCE).tables["summary"].records()][:8] == [
        "fiscal", "general", "fund", "state_capital", "business", "operating", "other", "grand_total"]


def test_commerce_three_public_cell_by_cell():
    table = load(COMMERCE).tables["three_public"]
    assert list(table.columns) == ["budget", "actual"] and all(r["actual"] is None for r in table.records())
    assert [(r["key"], r["label"], format_amount(r["budget"])) for r in table.records()] == [
        ("total", "合计", "1.00"), ("abroad", "因公出国(境)费", ""), ("reception", "公务接待费", "1.00"),
        ("vehicle", "公务用车购置及运行费", ""), ("vehicle_purchase", "购置费", ""), ("vehicle_running", "运行费", ""),
        ("operating_costs", "机关运行经费预算数", "171.01")]


def test_unit_summary_splits_basic_expenditure():
    table = load(COMMERCE_UNIT).tables["summary"]
    assert list(table.columns) == ["total", "personnel", "public", "project"]
    assert cells(table, list(table.columns))[8:] == [
        ("expenditure", "201", "一、一般公共服务支出", "21601733.00", "10823891.00", "1467842.00", "9310000.00"),
        ("expenditure", "206", "二、科学技术支出", "17200000.00", "", "", "17200000.00"),
        ("expenditure", "208", "三、社会保障和就业支出", "3808085.00", "3565865.00", "242220.00", ""),
        ("expenditure", "210", "四、卫生健康支出", "881803.00", "881803.00", "", ""),
        ("expenditure", "215", "五、资源勘探工业信息等支出", "293810000.00", "", "", "293810000.00"),
        ("expenditure", "216", "六、商业服务业等支出", "31364000.00", "", "", "31364000.00"),
        ("expenditure", "221", "七、住房保障支出", "2849034.00", "2849034.00", "", ""),
        ("expenditure", "", "支出总计", "371514655.00", "18120593.00", "1710062.00", "351684000.00"),
    ]


def test_wanli_basic_expenditure_cell_by_cell():
    table = load(WANLI_2024).tables["basic_expenditure"]
    assert table.decimals == 0 and table.system == "economic"
    rows = cells(table, ["total", "personnel", "public"])
    assert len(rows) == 32
    assert rows[:4] == [("", "301", "工资福利支出", "88282511.00", "88282511.00", "0.00"),
                        ("", "30101", "基本工资", "5873551.00", "5873551.00", "0.00"),
                        ("", "30102", "津贴补贴", "16623810.00", "16623810.00", "0.00"),
                        ("", "30107", "绩效工资", "11447100.00", "11447100.00", "0.00")]
    assert rows[10:12] == [("", "302", "商品和服务支出", "11168569.00", "0.00", "11168569.00"),
                           ("", "30201", "办公费", "4755518.00", "0.00", "4755518.00")]
    assert ("", "30217", "公务接待费", "13500.00", "0.00", "13500.00") in rows
    assert ("", "30231", "公务用车运行维护费", "215600.00", "0.00", "215600.00") in rows
    assert rows[-3:] == [("", "303", "对个人和家庭的补助", "254940.00", "254940.00", "0.00"),
                         ("", "30302", "退休费", "254940.00", "254940.00", "0.00"),
                         ("", "", "合计", "99706020.00", "88537451.00", "11168569.00")]


def test_wanli_appropriation_summary_cell_by_cell():
    table = load(WANLI_2024).tables["appropriation_summary"]
    rows = cells(table, ["total", "general", "fund", "state_capital"])
    assert rows[:4] == [("income", "", "一、一般公共预算资金", "156211123.00", "", "", ""),
                        ("income", "", "二、政府性基金", "", "", "", ""),
                        ("income", "", "三、国有资本经营预算", "", "", "", ""),
                        ("income", "", "收入总计", "156211123.00", "", "", "")]
    assert [(r[1], r[3], r[4]) for r in rows[4:]] == [
        ("201", "2932700.00", "2932700.00"), ("204", "1633000.00", "1633000.00"), ("205", "250000.00", "250000.00"),
        ("206", "100000.00", "100000.00"), ("207", "200000.00", "200000.00"), ("208", "19604064.00", "19604064.00"),
        ("210", "3223657.00", "3223657.00"), ("212", "119385303.00", "119385303.00"), ("221", "8882399.00", "8882399.00"),
        ("", "156211123.00", "156211123.00")]


#: Every error and warning on the four budgets, each read against the PDF (FA-C003: codes the code
#: list does not have yet; 2150899, 2040607 … are in the 2024/2025 科目).
FINDINGS = {
    COMMERCE: set(),
    COMMERCE_UNIT: set(),
    WANLI_2024: {("FA-B002", "合计 / budget"), ("FA-B102", "9."), ("FA-B103", "31."), ("FA-B105", "4."),
                 ("FA-L001", "code-part-short")},
    WANLI_2025: {("FA-B104", "21.")},
}


@pytest.mark.parametrize("name", list(FINDINGS))
def test_findings_on_the_budgets(name):
    result = audit(load(name))
    found = {(f.code, f.location) for f in result.findings if f.severity != "info" and f.code != "FA-C003"}
    assert found == FINDINGS[name]
    assert result.outcomes["FA-P001"].status == "not_applicable"  # a finals rule
    assert result.outcomes["FA-B001"].status == "pass"


# -- document kind ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lines, expected, conflicts", [
    (["上海市普陀区2025年区级部门预算", "预算主管部门：某委员会"], ("budget", "department", 2025, "某委员会", None), 0),
    (["上海市普陀区2025年区级单位预算", "预算单位：某中心"], ("budget", "unit", 2025, None, "某中心"), 0),
    (["第二部分 某局2017年部门决算报表", "收入支出决算总表"], ("final", "department", 2017, "某局", None), 0),
    (["上海市普陀区2025年区级单位预算", "2025年部门财务收支预算总表"], ("budget", "unit", 2025, None, None), 1),
    (["上海市普陀区2025年区级部门预算", "2024年部门收入预算总表"], ("budget", "department", 2025, None, None), 1),
    (["某局2024年部门预算", "收入支出决算总表"], ("budget", "department", 2024, "某局", None), 1),
    (["编制单位：某中心 单位：元", "2025年预算单位收入预算总表"], ("budget", "unit", 2025, None, "某中心"), 0),
    # names with digits: kept whole; a number run into the heading (a page number) is not part of the name
    (["第二部分：示例区第3中学2020年部门决算报表"], ("final", "department", 2020, "示例区第3中学", None), 0),
    (["示例区2号仓库管理处2025年部门预算"], ("budget", "department", 2025, "示例区2号仓库管理处", None), 0),
    (["第十2中学2019年度部门决算"], ("final", "department", 2019, "第十2中学", None), 0),
    (["12某局2017年部门决算"], ("final", "department", 2017, "某局", None), 0),
    (["某局20162017年部门决算"], ("final", "department", 2017, "某局2016", None), 0),
])
def test_document_kind_signals(lines, expected, conflicts):
    meta = Meta()
    warnings = settle(meta, signals((text, n, None) for n, text in enumerate(lines, 1)))
    assert (meta.kind, meta.scope, meta.year, meta.department, meta.unit_name) == expected
    assert [w.code for w in warnings] == ["meta-conflict"] * conflicts


def test_finals_rules_skip_budgets_and_budget_rules_skip_finals():
    budget, final = audit(generate_budget(1)), audit(generate(1))
    for code, item in REGISTRY.items():
        if "budget" not in item.documents:
            assert budget.outcomes[code].status == "not_applicable", code
        if "final" not in item.documents:
            assert final.outcomes[code].status == "not_applicable", code


# -- generated budgets: every rule passes, every perturbation fails -----------------------------------------
@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("scope", ["department", "unit"])
def test_generated_budget_is_clean(seed, scope):
    result = audit(generate_budget(seed, scope=scope))
    assert [f for f in result.findings if f.severity != "info"] == []
    assert all(o.status != "error" for o in result.outcomes.values())


def test_generated_budget_round_trips_through_the_text_layout():
    for scope in ("department", "unit"):
        report = generate_budget(5, scope=scope)
        back = parse_text(render_text(report))
        assert back == report and not back.warnings and back.meta.scope == scope


def row(report, kind, **where):
    data = report.tables[kind].data
    mask = pd.Series(True, index=data.index)
    for column, value in where.items():
        mask &= data[column] == value
    return int(data.index[mask.fillna(False)][0])


def bump(report, kind, column, by=100_00, **where):
    data = report.tables[kind].data
    index = row(report, kind, **where)
    data.at[index, column] = (0 if pd.isna(data.at[index, column]) else data.at[index, column]) + by
    return index


def edit_text(report, old, new, count=1):
    """Replace text in the first narrative paragraph that has it."""
    for section in report.narrative:
        for n, paragraph in enumerate(section.paragraphs):
            if old in paragraph.text:
                section.paragraphs[n] = replace(paragraph, text=paragraph.text.replace(old, new, count))
                return
    raise AssertionError(f"{old!r} not in the narrative")


def first_item(report):
    return next(p.text for s in report.narrative for p in s.paragraphs if p.text.startswith("1."))


def item_amount(report):
    return first_item(report).split("”")[1].split("万元")[0]


def turn_rate(report):
    text = first_item(report)
    for section in report.narrative:
        for n, paragraph in enumerate(section.paragraphs):
            if paragraph.text == text:
                section.paragraphs[n] = replace(paragraph, text=re.sub(r"(增加|减少)(\d)", r"\g<1>9\2", text))


def turn_reason(report):
    text = first_item(report)
    word = "减少" if "增加" in text.split("主要原因")[0] else "增加"
    edit_text(report, "主要原因是：工作量变化", f"主要原因是：经费{word}")


MUTATIONS = {
    "FA-B001": lambda r: r.tables.pop("income"),
    "FA-B002": lambda r: setattr(r.tables["three_public"], "statement", "注：本部门无“三公”经费预算，故本表为空表。"),
    "FA-B010": lambda r: bump(r, "summary", "total", side="income", key="grand_total"),
    "FA-B011": lambda r: bump(r, "appropriation_summary", "total", side="income", key="general"),
    "FA-B012": lambda r: bump(r, "basic_expenditure", "personnel", key="grand_total"),
    "FA-B013": lambda r: bump(r, "three_public", "budget", by=10**12, key="operating_costs"),
    "FA-B020": lambda r: bump(r, "income", "fiscal", key="grand_total"),
    "FA-B021": lambda r: bump(r, "summary", "total", side="expenditure", level=1),
    "FA-B022": lambda r: bump(r, "appropriation_summary", "general", side="expenditure", level=1),
    "FA-B023": lambda r: bump(r, "summary", "total", side="income", key="general"),
    "FA-B024": lambda r: bump(r, "general_budget", "basic", key="grand_total"),
    "FA-B025": lambda r: bump(r, "general_budget", "total", by=10**12, level=3),
    "FA-B026": lambda r: bump(r, "basic_expenditure", "total", by=10**12, code="30217"),
    "FA-B101": lambda r: edit_text(r, f"”{item_amount(r)}万元", f"”{Decimal(item_amount(r)) + 7}万元"),
    "FA-B102": turn_rate,
    "FA-B103": lambda r: edit_text(r, f"年预算安排{item_amount(r)}万元", f"年预算安排{Decimal(item_amount(r)) + 3}万元"),
    "FA-B104": lambda r: edit_text(r, "（款）", "事务（款）"),
    "FA-B105": turn_reason,
    "FA-B110": lambda r: edit_text(r, "收入预算", "收入预算9"),
    "FA-B111": lambda r: edit_text(r, "政府采购货物预算", "政府采购货物预算1"),
    "FA-B112": lambda r: edit_text(r, "财政拨款支出主要内容如下", "本单位财政拨款支出主要内容如下"),
}


def test_an_item_compared_with_another_base_is_a_warning():
    report = generate_budget(2)
    edit_text(report, "比2024年预算执行数", "比2024年预算")
    findings = audit(report, select=["FA-B102"]).findings
    assert [(f.code, f.severity, f.location) for f in findings] == [("FA-B102", "warning", "1.")]


def test_every_budget_rule_has_a_mutation():
    assert {c for c, r in REGISTRY.items() if r.documents == ("budget",)} == set(MUTATIONS)


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_budget_rule_passes_then_fails(code):
    report = generate_budget(2)
    assert audit(report, select=[code]).outcomes[code].status == "pass"
    MUTATIONS[code](report)
    result = audit(report, select=[code])
    assert result.outcomes[code].status == "fail", code
    assert any(f.code == code and f.severity != "info" for f in result.findings)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", ["summary", "income", "expenditure", "appropriation_summary", "general_budget",
                                  "basic_expenditure", "three_public"])
def test_perturbing_a_budget_cell_names_it(seed, kind):
    """Any amount of a consistent budget changed by 100 元 (1 万元 in the 三公 table) gives an error that names it."""
    report = generate_budget(seed, scope="unit" if seed % 2 else "department")
    table = report.tables[kind]
    filled = [(i, c) for c in table.columns for i in range(len(table.data)) if pd.notna(table.data.at[i, c])]
    index, column = filled[(seed * 7919) % len(filled)]
    table.data.at[index, column] += 100_00
    result = audit(report)
    errors = [f for f in result.findings if f.severity == "error"]
    assert any(c.kind == kind and c.row_index == index and c.column == column for f in errors for c in f.cells), (
        kind, index, column, [f.message_zh for f in errors])


# -- views ---------------------------------------------------------------------------------------------
def test_dashboard_says_budget():
    pytest.importorskip("ipywidgets")
    from finaudit.views import charts
    from finaudit.views.dashboard import Dashboard
    from finaudit.views.loading import load_report

    loaded = load_report(SAMPLES / WANLI_2024)
    figures = charts.headline(loaded.report, loaded.result).set_index("key")
    assert (figures.at["expenditure_total", "value"], figures.at["expenditure_total", "unit"]) == (Decimal("156211123.00"), "元")
    assert (figures.at["three_public_budget", "value"], figures.at["three_public_budget", "unit"]) == (Decimal("47.91"), "万元")
    assert figures.at["operating_costs", "value"] == Decimal("443.18")
    board = Dashboard(loaded)
    assert "部门预算审计看板" in board.title.value and WANLI_NAME in board.title.value
    assert "支出预算合计" in board.cards.value and "机关运行经费" in board.cards.value and "决算数" not in board.cards.value
    assert len(charts.spending_tree(loaded.report)) == 67  # the drill-down: 合计 and every code
    board.set_lang("en")
    assert "Department budget audit dashboard" in board.title.value


NATIONAL = {"summary": "收支总表", "income": "收入总表", "expenditure": "支出总表", "appropriation_summary": "财政拨款收支总表",
            "general_budget": "一般公共预算支出表", "basic_expenditure": "一般公共预算基本支出表",
            "three_public": "一般公共预算“三公”经费支出表", "government_fund": "政府性基金预算支出表"}


@pytest.mark.parametrize("title, kind", [
    *((title, kind) for kind, title in NATIONAL.items()),
    ("2025年部门财务收支预算总表", "summary"), ("2025年预算单位收入预算总表", "income"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "basic_expenditure"),
    ("部门“三公”经费和机关运行经费预算表", "three_public"), ("2025年部门国有资本经营预算支出功能分类预算表", "state_capital"),
    ("收入支出决算总表", "summary"), ("一般公共预算财政拨款基本支出决算表", "basic_expenditure"),
    ("“三公”经费支出决算表", "three_public"), ("政府性基金预算财政拨款收入支出决算表", "government_fund"),
])
def test_titles_of_both_templates(title, kind):
    from finaudit.read.templates import templates

    found = templates().kind_for_title(title)
    assert found.name == kind and found.documents == (("final",) if "决算" in title else ("budget",))


def test_national_eight_table_budget_in_the_text_layout():
    report = generate_budget(4, year=2017)
    report.tables.pop("state_capital")
    for number, (kind, title) in enumerate(NATIONAL.items(), 1):
        report.tables[kind].title, report.tables[kind].number = title, number
    back = parse_text(render_text(report))
    assert back == report and not back.warnings
    assert (back.meta.kind, back.meta.year) == ("budget", 2017)
    result = audit(back)
    assert [f for f in result.findings if f.severity != "info"] == []


@pytest.mark.parametrize("sentence, stated", [
    ("2025年，某委收入预算{}万元。", True),
    ("支出预算{}万元，其中：", True),
    ("基本支出预算{}万元。", False),  # a part, not the total
    ("事业收入预算{}万元。", False),
    ("项目支出预算{}万元。", False),
])
def test_opening_totals_only_where_the_words_name_them(sentence, stated):
    report = generate_budget(3)
    report.narrative[0].paragraphs.insert(0, replace(report.narrative[0].paragraphs[0], text=sentence.format("1.00")))
    codes = {f.code for f in audit(report, select=["FA-B110"]).findings}
    assert codes == ({"FA-B110"} if stated else set())


@pytest.mark.parametrize("line, part", [
    ("上海市普陀区商务委员会主要职能", "overview"),
    ("上海市普陀区人民政府万里街道办事处（部门）机构设置", "overview"),
    ("一、主要职能", None),  # numbered: a section inside 第一部分, not a part of its own
    ("（一）主要职能", None),
    ("2、部门机构设置", None),
    ("主要职能包括：", None),
    ("其他相关情况说明", "narrative"),
])
def test_overview_pages_of_a_budget_open_the_overview(line, part):
    from finaudit.read.templates import templates

    assert templates().heading_part(line) == part


@pytest.mark.parametrize("words, found", [
    ("本单位财政拨款支出主要内容如下", True),          # the budget's own statement in the other scope's words
    ("为本单位统计监测工作提供保障，财政拨款支出主要内容如下", False),  # a project's description naming who carries it out
])
def test_other_scope_wording_is_the_documents_own_statement(words, found):
    report = generate_budget(2)
    edit_text(report, "财政拨款支出主要内容如下", words)
    assert any(f.code == "FA-B112" for f in audit(report, select=["FA-B112"]).findings) is found


@pytest.mark.parametrize("sentence", [
    "一般公共预算拨款安排的“三公”经费支出预算7万元，与上年预算数相同。",   # 三公's own figure, not the total (无锡)
    "2026年度政府采购支出预算总额25.3万元，其中：拟采购货物支出2万元。",     # procurement's own figure
])
def test_a_part_named_before_its_budget_is_not_the_total(sentence):
    report = generate_budget(2)
    section = report.narrative[0]
    section.paragraphs.append(replace(section.paragraphs[0], text=sentence))
    assert [f.message_zh for f in audit(report, select=["FA-B110"]).findings] == []


def test_a_figure_stated_against_a_blank_cell_says_blank_not_zero():
    """上海市审计局(本级) 2026 prints 收入总计 blank: the text's 19,577 万元 is held against a blank, not against 0.00."""
    report = generate_budget(2)
    table = report.tables["summary"]
    total = table.data.index[(table.data["key"] == "grand_total") & (table.data["side"] == "income")][0]
    table.data.loc[total, "total"] = pd.NA
    found = [f for f in audit(report, select=["FA-B110"]).findings if "收入预算" in f.message_zh]
    assert found and all("该项为空（空白不等于零）" in f.message_zh and "0.00" not in f.message_zh for f in found)

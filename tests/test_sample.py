"""The bundled Liujiang 2017 report, loaded and checked cell by cell."""

import hashlib

import pandas as pd
from conftest import SAMPLE

from finaudit.model import format_amount

SAMPLE_SHA256 = "6256f32fbe202f60d50f6d7e2c14e961d2c03968d210c91803bed60a5b428a49"


def cells(table, columns):
    """Rows as tuples of printed strings: code or '', label, then the amounts ('' for blank)."""
    out = []
    for row in table.records():
        code = row["code"] or ""
        out.append((row["side"], code, row["label"], *(format_amount(row[c]) for c in columns)))
    return out


def test_sample_is_verbatim(sample):
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == SAMPLE_SHA256
    assert sample.meta.sha256 == SAMPLE_SHA256


def test_meta(sample):
    assert (sample.meta.department, sample.meta.year, sample.meta.kind, sample.meta.unit) == (
        "柳江区人民政府办公室", 2017, "final", "万元")


def test_all_eight_tables(sample):
    assert {t.number: t.kind for t in sample.tables.values()} == {
        1: "summary", 2: "income", 3: "expenditure", 4: "appropriation_summary",
        5: "general_budget", 6: "basic_expenditure", 7: "three_public", 8: "government_fund"}


def test_coverage_is_complete(sample):
    coverage = sample.coverage()
    assert coverage.unplaced == []
    assert coverage.ratio == 1.0
    assert coverage.placed["amount"] == 222


def test_no_load_warnings(sample):
    assert sample.warnings == []


def test_summary_table(sample):
    assert cells(sample.tables["summary"], ["total"]) == [
        ("income", "", "一、财政拨款", "1480.66"),
        ("income", "", "二、事业收入", ""),
        ("income", "", "三、事业单位经营收入", ""),
        ("income", "", "四、其他收入", "0.07"),
        ("income", "", "本年收入合计", "1480.73"),
        ("income", "", "用事业基金弥补收支差额", ""),
        ("income", "", "上年结转", "167.97"),
        ("income", "", "收入总计", "1648.69"),
        ("expenditure", "201", "一、一般公共服务支出", "1091.52"),
        ("expenditure", "202", "二、外交支出", ""),
        ("expenditure", "205", "三、教育支出", ""),
        ("expenditure", "206", "四、科学技术支出", ""),
        ("expenditure", "208", "八、社会保障和就业支出", "87.62"),
        ("expenditure", "210", "九、医疗卫生与计划生育支出", "53.71"),
        ("expenditure", "212", "十一、城乡社区支出", "108.33"),
        ("expenditure", "221", "十九、住房保障支出", "64.44"),
        ("expenditure", "", "本年支出合计", ""),
        ("expenditure", "", "结余分配", ""),
        ("expenditure", "", "年末结转与结余", "243.08"),
        ("expenditure", "", "支出总计", "1648.69"),
    ]
    keys = sample.tables["summary"].data["key"].tolist()
    assert keys[4] == "income_total" and keys[7] == "grand_total" and keys[16] == "expenditure_total"
    assert sample.tables["summary"].source_line(0, "total") == 45


def test_income_table(sample):
    table = sample.tables["income"]
    assert list(table.columns) == ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"]
    rows = cells(table, ["total", "fiscal", "other"])
    assert rows[0] == ("", "", "合计", "1480.73", "1480.66", "0.07")
    assert rows[3] == ("", "2010301", "行政运行", "695.14", "695.07", "0.07")
    assert rows[15] == ("", "212", "城乡社区支出", "98.33", "98.33", "")
    assert len(rows) == 21
    assert table.data["superior"].isna().all()


def test_appropriation_summary_table(sample):
    table = sample.tables["appropriation_summary"]
    assert table.columns == {"total": "金额", "general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款"}
    rows = [(r.side, r.row_no, r.label, r.key if r.key is not pd.NA else "", format_amount(r.total),
             format_amount(r.general), format_amount(r.fund)) for r in table.data.itertuples()]
    assert rows == [
        ("income", 1, "一、一般公共预算财政拨款", "general", "1382.33", "", ""),
        ("income", 2, "二、政府性基金预算财政拨款", "fund", "98.33", "", ""),
        ("income", 12, "本年收入合计", "income_total", "1480.66", "", ""),
        ("income", 13, "年初财政拨款结转和结余", "carryover_begin", "163.26", "", ""),
        ("income", 14, "一般公共预算财政拨款", "carryover_begin.general", "156.26", "", ""),
        ("income", 15, "政府性基金预算财政拨款", "carryover_begin.fund", "10.00", "", ""),
        ("income", 17, "合计", "grand_total", "1643.91", "", ""),
        ("expenditure", 18, "一、一般公共服务支出", "", "1089.00", "1089.00", ""),
        ("expenditure", 19, "二、外交支出", "", "", "", ""),
        ("expenditure", 20, "三、教育支出", "", "", "", ""),
        ("expenditure", 21, "四、科学技术支出", "", "", "", ""),
        ("expenditure", 22, "五、文化体育与传媒支出", "", "", "", ""),
        ("expenditure", 23, "六、社会保障和就业支出", "", "87.62", "87.62", ""),
        ("expenditure", 24, "九、医疗卫生与计划生育支出", "", "53.71", "53.71", ""),
        ("expenditure", 25, "十一、城乡社区支出", "", "108.33", "", "108.33"),
        ("expenditure", 26, "十九、住房保障支出", "", "64.44", "64.44", ""),
        ("expenditure", 29, "本年支出合计", "expenditure_total", "1401.08", "", ""),
        ("expenditure", 30, "年末结转和结余", "carryover_end", "239.83", "", ""),
        ("expenditure", 34, "合计", "grand_total", "1643.91", "", ""),
    ]
    assert table.data.loc[7, "code"] == "201" and table.data.loc[11, "code"] == "207"


def test_general_budget_table(sample):
    rows = cells(sample.tables["general_budget"], ["total", "basic", "project"])
    assert rows[0] == ("", "", "合计", "1295.76", "888.41", "")
    assert rows[4] == ("", "2010302", "一般行政管理事务", "308.08", "308.08", "308.08")
    assert rows[-1] == ("", "2210201", "住房公积金", "64.44", "64.44", "")
    assert len(rows) == 19


def test_basic_expenditure_table(sample):
    assert cells(sample.tables["basic_expenditure"], ["total"]) == [
        ("personnel", "301", "工资福利支出", "703.29"),
        ("personnel", "30101", "基本工资", "201.77"),
        ("personnel", "30102", "津贴补贴", "182.24"),
        ("personnel", "30103", "奖金", "171.93"),
        ("personnel", "30112", "其他社会保障缴费", "57.14"),
        ("personnel", "30105", "伙食补助费", "7.10"),
        ("personnel", "30108", "机关事业单位基本养老保险缴费", "78.30"),
        ("personnel", "30199", "其他工资福利支出", "4.80"),
        ("personnel", "303", "对个人和家庭的补助", "76.78"),
        ("personnel", "30301", "生活补助", "12.15"),
        ("personnel", "30302", "住房公积金", "64.44"),
        ("personnel", "30399", "其他对个人和家庭的补助支出", "0.19"),
        ("personnel", "", "人员经费合计", "888.41"),
        ("public", "302", "商品和服务支出", "108.38"),
        ("public", "30201", "办公费", "10.61"),
        ("public", "30202", "印刷费", "0.66"),
        ("public", "30207", "邮电费", "0.52"),
        ("public", "30211", "差旅费", "19.64"),
        ("public", "30216", "培训费", "1.46"),
        ("public", "30228", "工会费", "7.62"),
        ("public", "30229", "福利费", "1.24"),
        ("public", "30231", "公务用车运行维护费", "13.60"),
        ("public", "30239", "其他交通费用", "51.83"),
        ("public", "30299", "其他商品和服务支出", "1.16"),
        ("public", "", "公用经费合计", "108.34"),
    ]
    data = sample.tables["basic_expenditure"].data
    assert data.loc[1, "level"] == 2 and data.loc[1, "parent"] == "301"


def test_three_public_table(sample):
    table = sample.tables["three_public"]
    assert table.layout == "items_wide"
    assert [(r.key, format_amount(r.budget), format_amount(r.actual)) for r in table.data.itertuples()] == [
        ("total", "463.90", "149.84"),
        ("abroad", "", "3.50"),
        ("vehicle", "13.60", "24.22"),
        ("vehicle_purchase", "0.00", ""),
        ("vehicle_running", "13.60", "24.22"),
        ("reception", "450.30", "122.12"),
    ]
    assert table.source_line(3, "budget") == 1059


def test_government_fund_table(sample):
    rows = cells(sample.tables["government_fund"], ["begin", "income", "total", "basic", "project", "end"])
    assert rows == [
        ("", "", "合计", "10.00", "98.33", "108.33", "", "108.33", ""),
        ("", "212", "城乡社区支出", "10.00", "98.33", "108.33", "", "108.33", ""),
        ("", "201208", "国有土地使用权出让收入及对应专项债务收入安排的支出", "10.00", "98.33", "108.33", "", "108.33", ""),
        ("", "2120804", "农村基础设施建设支出", "10.00", "", "10.00", "", "10.00", ""),
        ("", "2120899", "其他国有土地使用权出让收入安排的支出", "", "98.33", "98.33", "", "98.33", ""),
    ]
    assert pd.isna(sample.tables["government_fund"].data.loc[2, "level"])  # 201208 is malformed


def test_notes(sample):
    assert sample.tables["summary"].notes == ["注：本表反映部门本年度的总收支和年末结转结余情况。"]


def test_narrative_sections(sample):
    sections = sample.narrative
    assert [s.number for s in sections] == list("一二三四五六七八九")
    assert sections[2].title == "2017年度支出决算情况"
    assert sections[2].paragraphs[0].line == 1174
    assert sections[2].paragraphs[0].text.startswith("本年支出合计1405.61万元")
    assert sections[4].line == 1179
    assert len(sections[4].paragraphs) == 16


def test_glossary(sample):
    assert len(sample.glossary) == 13
    assert sample.glossary["财政拨款收入"].text == "指自治区财政部门当年拨付的资金。"
    assert sample.glossary["用事业基金弥补收支差额"].text.startswith("指事业单位在当年")
    assert sample.glossary["机关运行经费"].line == 1301


def test_overview(sample):
    assert sample.overview[0].text == "一、主要职能"

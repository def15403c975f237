"""Precision on reports never seen (issue 12): each class of false or missed narrative finding, shown by a
minimal text in our own wording on a generated report. Each case fails on the code before the fix."""

from decimal import Decimal

import pandas as pd
import pytest

from finaudit import codes
from finaudit.audit import audit
from finaudit.synthetic import generate
from tests.test_narrative import narrate


def findings(report, code, severity=None):
    """The findings of one rule (errors and warnings unless a severity is asked for)."""
    found = [f for f in audit(report, select=[code]).findings if f.code == code]
    return [f for f in found if (f.severity == severity if severity else f.severity != "info")]


def item_line(code: str, year: int, *, names=(None, None, None), amount: str, number: str = "1", purpose: str = "",
              printed_code: str = "") -> str:
    """"1.X（类）Y（款）Z（项）。…年初预算为A万元，支出决算为A万元。" with the official names unless given."""
    official = [codes.name(code[:3], year), codes.name(code[:5], year), codes.name(code, year)]
    cls, kuan, item = (given or name for given, name in zip(names, official))
    use = f"主要用于：日常工作的{purpose}。" if purpose else ""
    return f"{number}.{cls}（类）{kuan}（款）{printed_code}{item}（项）。{use}年初预算为{amount}万元，支出决算为{amount}万元。"


GENERAL = "五、一般公共预算财政拨款支出决算情况\n"


def total_of(report, code: str) -> str:
    """The 表五 合计 of a code, as printed."""
    data = report.tables["general_budget"].data
    return f"{Decimal(int(data.loc[data['code'] == code, 'total'].iloc[0])).scaleb(-2):.2f}"

#: The rules whose passing and failing cases are here.
COVERED = {"FA-N017", "FA-N018", "FA-N019", "FA-N020", "FA-N021", "FA-N022"}


# -- 1. a 项 matched by name similarity alone ----------------------------------------------------------
def test_item_with_a_non_standard_name_is_matched_by_its_amount():
    """Seed 11 has 2101401 优抚对象医疗补助 and 2101499 其他优抚对象医疗支出 in one 款: the quoted name
    "优抚对象医疗支出" is closer to the sibling, the amount is the first row's exactly."""
    report = generate(11)
    text = GENERAL + item_line("2101401", 2017, names=(None, None, "优抚对象医疗支出"), amount=total_of(report, "2101401"))
    narrate(report, text)
    assert findings(report, "FA-N001") == []
    [renamed] = findings(report, "FA-N017")
    assert "优抚对象医疗支出" in renamed.message_zh and "优抚对象医疗补助" in renamed.message_zh
    assert renamed.severity == "warning"


@pytest.mark.parametrize("names, amount, printed_code, errors", [
    ((None, None, "其他优抚对象医疗支出"), None, "2101401", 0),  # the printed code decides
    ((None, None, None), "400.00", "", 1),  # official name, wrong amount: still an amount error
])
def test_printed_code_first_and_official_names_keep_amount_errors(names, amount, printed_code, errors):
    report = generate(11)
    line = item_line("2101401", 2017, names=names, amount=amount or total_of(report, "2101401"), printed_code=printed_code)
    narrate(report, GENERAL + line)
    assert len(findings(report, "FA-N001")) == errors
    assert findings(report, "FA-N017") == []


# -- 3. the unit's name: the one used most, odd ones once ------------------------------------------------
@pytest.mark.parametrize("department, names, odd", [
    ("示例市第一局", ["示例市东区第一局"] * 3, []),  # the cover drops the district: the same unit
    ("示例区第一局", ["示例区第一局", "示例区第一局", "示例区第二局"], [("示例区第二局", 1)]),
    ("示例区第二局", ["示例区第一局"] * 3, [("示例区第二局", 1)]),  # the cover is the odd one, reported once
])
def test_unit_name_odd_one_out_once(department, names, odd):
    text = "一、收入支出决算总体情况\n" + "\n".join(f"{name}2017年度收入总计90.00万元。" for name in names)
    report = narrate(generate(0), text)
    report.meta.department = department
    found = findings(report, "FA-N014")
    assert [(f.about.split(":", 1)[1], int(f.message_zh.split("（")[1].split(" ")[0])) for f in found] == odd


# -- 5. 其中 subsets are not restatements ------------------------------------------------------------
THREE = "七、“三公”经费支出决算情况\n"
OTHER = "九、其他重要事项情况说明\n"


@pytest.mark.parametrize("text, warned", [
    (THREE + "全年公务接待5批次、40人次，其中：外事接待1批次、3人次。", False),
    (THREE + "国内公务接待3批次、20人次；外事接待1批次、5人次。", False),
    (THREE + "全年公务接待5批次、40人次。\n" + OTHER + "本年度共接待来访6批次、40人次。", True),
])
def test_counts_stated_as_parts_or_scopes_are_not_conflicts(text, warned):
    assert bool(findings(narrate(generate(0), text), "FA-N011")) is warned


# -- 6. blank against zero where the report prints every zero as a blank ------------------------------
@pytest.mark.parametrize("zero_elsewhere, severity", [(False, "info"), (True, "warning")])
def test_zero_against_a_blank_total(zero_elsewhere, severity):
    report = generate(0)
    three = report.tables["three_public"].data
    three.loc[three["key"] == "total", "actual"] = pd.NA
    if zero_elsewhere:
        three.loc[three["key"] == "abroad", "budget"] = 0
    narrate(report, THREE + "“三公”经费财政拨款支出决算为0万元。")
    found = [f for f in audit(report, select=["FA-N001"]).findings if "空白不等于零" in f.message_zh]
    assert [f.severity for f in found] == [severity]


# -- 7. a rate against the budget it names ------------------------------------------------------------
@pytest.mark.parametrize("basis, code", [("年初", "FA-N004"), ("全年", None)])
def test_rate_is_against_the_budget_it_names(basis, code):
    text = (GENERAL + "一般公共预算财政拨款支出年初预算为0万元，全年预算为200.00万元，支出决算为180.00万元，"
            f"完成{basis}预算的90.00%。")
    report = narrate(generate(0), text)
    found = findings(report, "FA-N004") + findings(report, "FA-N003")
    assert [f.code for f in found] == ([code] if code else [])


# -- 8. 等于 / 持平 against the numbers; a reason that stops short ----------------------------------------
@pytest.mark.parametrize("text, code, found", [
    (GENERAL + "一般公共预算财政拨款支出年初预算为3.00万元，支出决算为2.00万元。决算数等于预算数。", "FA-N006", True),
    (GENERAL + "一般公共预算财政拨款支出年初预算为2.00万元，支出决算为2.00万元。决算数等于预算数。", "FA-N006", False),
    (THREE + "“三公”经费财政拨款支出决算与2016年持平，其中：因公出国（境）费增加2.00万元，公务接待费减少1.00万元。", "FA-N007", True),
    (THREE + "“三公”经费财政拨款支出决算与2016年持平，其中：因公出国（境）费增加2.00万元，公务接待费减少2.00万元。", "FA-N007", False),
    (THREE + "“三公”经费财政拨款支出决算与2016年持平。其中：因公出国（境）费增加2.00万元，公务接待费减少1.00万元。", "FA-N007", True),
    (GENERAL + "支出决算为2.00万元，决算数小于预算数的主要原因是。", "FA-N020", True),
    (GENERAL + "支出决算为2.00万元，决算数小于预算数的主要原因：\n会议减少，差旅压缩。", "FA-N020", False),
    (GENERAL + "支出决算为2.00万元。人员减少是决算数小于预算数的主要原因。", "FA-N020", False),
])
def test_equal_and_flat_statements_and_reasons(text, code, found):
    assert bool(findings(narrate(generate(0), text), code)) is found


def test_reason_after_a_stray_full_stop_is_a_warning():
    report = narrate(generate(0), GENERAL + "支出决算为2.00万元，主要原因是。会议减少。")
    assert [f.severity for f in findings(report, "FA-N020")] == ["warning"]


# -- 9. placeholders and typography ---------------------------------------------------------------------
def test_placeholder_name_is_reported_once_not_as_name_mismatches():
    report = generate(0)
    narrate(report, "一、收入支出决算总体情况\n示例区第一局2017年度收入总计90.00万元。\n示例区第一局2017年度支出总计90.00万元。")
    report.meta.department = "XX局"
    assert findings(report, "FA-N014") == []
    [placeholder] = findings(report, "FA-N013")
    assert "XX" in placeholder.message_zh


@pytest.mark.parametrize("text, code, found", [
    (OTHER + "本部门共有车辆××辆。", "FA-N013", True),
    (OTHER + "本部门共有车辆ＸＸ辆。", "FA-N013", True),
    (OTHER + "绩效目标：待填写。", "FA-N013", True),
    (OTHER + "请填写本年度政府采购情况。", "FA-N013", True),
    (OTHER + "本部门共有车辆3辆。", "FA-N013", False),
    (OTHER + "公务用车运行费增长1倍，占比提高2个百分点。", "FA-N013", False),
    (OTHER + "本部门共有车辆3辆。。", "FA-N021", True),
    (OTHER + "本部门共有车辆3辆，，其中：应急保障用车1辆。", "FA-N021", True),
    (OTHER + "本部门共有车辆3辆……其中：应急保障用车1辆。", "FA-N021", False),
    (OTHER + "“三公”经费支出（含公务接待费）1.00万元。", "FA-N022", False),
    (OTHER + "“三公经费支出（含公务接待费1.00万元。", "FA-N022", True),
    (OTHER + "主要做法：\n1）压缩会议；\n2）压缩差旅。", "FA-N022", False),
])
def test_placeholders_and_typography(text, code, found):
    assert bool(findings(narrate(generate(0), text), code)) is found


# -- 10. the year in section titles and in 截至 statements ---------------------------------------------
@pytest.mark.parametrize("text, kind, found", [
    ("三、2015年度支出决算情况\n本年支出合计10.00万元。", "final", True),
    ("三、2017年度支出决算情况\n本年支出合计10.00万元。", "final", False),
    (OTHER + "截至2016年底，本部门共有车辆3辆。", "final", True),
    (OTHER + "截至2017年底，本部门共有车辆3辆。", "final", False),
    (OTHER + "截至2018年6月，整改已完成。", "final", False),
    (OTHER + "支出决算与2017年预算相比减少10.00万元。", "final", False),  # against this year's budget
    (OTHER + "支出决算与2015年相比减少10.00万元。", "final", True),
    (OTHER + "相关项目已纳入2018年度预算。", "final", False),  # the year of publication
    (OTHER + "截至2016年12月31日，本部门共有车辆3辆。", "budget", False),
    (OTHER + "截至2017年12月31日，本部门共有车辆3辆。", "budget", True),
])
def test_years_in_titles_and_stock_dates(text, kind, found):
    report = narrate(generate(0), text)
    report.meta.kind = kind
    assert bool(findings(report, "FA-N014")) is found


# -- 11. procurement ------------------------------------------------------------------------------------
TOTAL = "政府采购支出总额100.00万元，其中：政府采购货物支出40.00万元、政府采购工程支出0万元、政府采购服务支出60.00万元。"


@pytest.mark.parametrize("text, severity", [
    (OTHER + TOTAL + "授予中小企业合同金额120.00万元。", "error"),
    (OTHER + TOTAL + "授予中小企业合同金额90.00万元。授予小微企业合同金额95.00万元。", "error"),
    (OTHER + TOTAL + "授予中小企业合同金额90.00万元，其中：授予小微企业合同金额50.00万元。", None),
    (OTHER + "政府采购货物支出40.00万元、政府采购服务支出40.00万元。", "warning"),
    (OTHER + TOTAL.replace("60.00", "40.00"), "warning"),
    (OTHER + "政府采购支出总额80.00万元，其中：政府采购货物支出40.00万元、政府采购工程支出0万元、政府采购服务支出40.00万元。", None),
])
def test_procurement_parts(text, severity):
    found = findings(narrate(generate(0), text), "FA-N019")
    assert [f.severity for f in found][:1] == ([severity] if severity else [])


# -- 12. item described as 基本/项目 against the table; names of another year or level ------------------
def test_item_called_basic_where_the_table_has_only_project():
    report = generate(0)
    data = report.tables["general_budget"].data
    row = next(i for i in data.index if isinstance(data.at[i, "code"], str) and len(data.at[i, "code"]) == 7)
    code, amount = data.at[row, "code"], total_of(report, data.at[row, "code"])
    data.at[row, "project"], data.at[row, "basic"] = data.at[row, "total"], pd.NA
    narrate(report, GENERAL + item_line(code, 2017, amount=amount, purpose="基本支出"))
    assert len(findings(report, "FA-N018")) == 1
    narrate(report, GENERAL + item_line(code, 2017, amount=amount, purpose="项目支出"))
    assert findings(report, "FA-N018") == []


@pytest.mark.parametrize("names, found", [
    (("卫生健康支出", None, None), True),  # the 2019 name in a 2017 report
    ((None, "医疗卫生与计划生育支出", None), True),  # a 类 name as the 款
    ((None, None, None), False),
])
def test_item_names_of_another_year_or_level(names, found):
    report = generate(6)
    narrate(report, GENERAL + item_line("2100403", 2017, names=names, amount=total_of(report, "2100403")))
    assert bool(findings(report, "FA-N017")) is found

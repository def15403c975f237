"""Narrative claim coverage (issue 23): every amount and percentage of the narrative is bound to a claim (a
subject, a role, a base) or listed unbound with its page or line; the wordings real documents use bind; what is
bound is checked the same way in a 预算 and a 决算."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import finaudit
from conftest import NATIONAL, ROOT
from finaudit.audit import audit
from finaudit.cli import main
from finaudit.model import Paragraph, Section
from finaudit.read.claims import Change, ChartLabel, Indicator, Item, claims, coverage, item_terms
from finaudit.synthetic import generate, generate_budget
from tests.test_narrative import narrate

DOCUMENTS = sorted((ROOT / "sample_data").glob("*.pdf")) + sorted((ROOT / "sample_data").glob("*.txt")) \
    + sorted(NATIONAL.glob("**/*.pdf"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name[:40] for p in DOCUMENTS])
def test_every_document_binds_95_percent_of_its_figures(path: Path):
    report = finaudit.load(path)
    found = coverage(report)
    assert found.amounts == found.bound + len(found.unbound)
    assert found.share >= 0.95, [(u.figure, u.sentence) for u in found.unbound]
    for unbound in found.unbound:
        assert unbound.figure in unbound.sentence and (unbound.page or unbound.line), unbound


def test_an_unbound_figure_is_listed_with_its_place_and_sentence():
    report = narrate(generate(0), "七、其他重要事项\n本年度厉行节约，全年节约12.34万元。\n机关运行经费支出10.00万元。")
    found = coverage(report)
    assert (found.sections, found.amounts, found.bound) == (1, 2, 1)
    [unbound] = found.unbound
    assert (unbound.section, unbound.figure, unbound.line) == ("七", "12.34万元", 2)
    assert "节约12.34万元" in unbound.sentence


def test_info_json_reports_the_narrative_figures(capsys):
    assert main(["info", "--format", "json", str(ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt")]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    narrative = entry["narrative"]
    assert narrative["amounts"] == narrative["bound"] + len(narrative["unbound"]) > 100
    assert all({"section", "page", "line", "figure", "sentence"} <= set(u) for u in narrative["unbound"])


# -- the wordings --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # Shanghai: the amount after the names, the prior year's 执行数, the amount restated, the change as a percentage
    ("1.“一般公共服务支出(类)统计信息事务(款)专项普查活动(项)”25.77万元,主要用于专项普查活动。2023年当年预算执行数为"
     "60.13万元,2024年预算安排25.77万元,比2023年预算执行数减少57.14%。",
     dict(opening=("25.77", 2), prior=("60.13", "预算执行数", 2023), again=("25.77", 2024), change=("减少", None, "57.14"),
          base="预算执行数")),
    # the central template: this year's 预算数, the change as an amount and a percentage (增幅), no prior figure
    ("3.一般公共服务支出(类)信访事务(款)信访业务(项)2026年预算数为2,114.66万元,比2025年执行数增加100.16万元,增幅4.97%,"
     "主要是信访工作任务增加。",
     dict(budget=("2114.66", 2), change=("增加", "100.16", "4.97"), base="执行数")),
    ("7.教育支出(类)进修及培训(款)培训支出(项)2026年预算数为118.01万元,与2025年执行数相同。",
     dict(budget=("118.01", 2), change=("持平", None, None), base="执行数")),
])
def test_item_terms(text, expected):
    terms = item_terms(text, text.index("(项)") + 3, 2026 if "2026年" in text else 2024)
    if "opening" in expected:
        assert terms.opening == (Decimal(expected["opening"][0]), expected["opening"][1])
    if "budget" in expected:
        assert terms.budget == (Decimal(expected["budget"][0]), expected["budget"][1])
    if "prior" in expected:
        value, base, year = expected["prior"]
        assert terms.prior == (Decimal(value), 2, base, year)
    if "again" in expected:
        assert terms.again == (Decimal(expected["again"][0]), 2, expected["again"][1])
    word, amount, percent = expected["change"]
    assert terms.change_word == word and terms.change_base == expected["base"]
    assert terms.change_amount == (amount and (Decimal(amount), 2))
    assert terms.change_percent == (percent and (Decimal(percent), 2))


def test_a_budget_item_with_a_change_amount_and_percent_is_checked():
    """The central template states no prior figure: the percentage must follow from the amount and the change."""
    report = generate_budget(2)
    item = next(p for s in report.narrative for p in s.paragraphs if p.text.startswith("1."))
    value = item.text.split("”")[1].split("万元")[0]
    names = item.text.split("”")[0].split("“")[1]
    text = f"1.{names}{report.meta.year}年预算数为{value}万元，比{report.meta.year - 1}年执行数增加{{change}}万元，增幅{{rate}}%。"
    change = (Decimal(value) / 5).quantize(Decimal("0.01"))
    rate = (change / (Decimal(value) - change) * 100).quantize(Decimal("0.01"))
    for section in report.narrative:
        section.paragraphs = [p if p is not item else type(p)(p.line, text.format(change=change, rate=rate))
                              for p in section.paragraphs]
    result = audit(report, select=["FA-B102"])
    assert result.outcomes["FA-B102"].status == "pass", [f.message_zh for f in result.findings]
    for section in report.narrative:
        section.paragraphs = [type(p)(p.line, p.text.replace(f"增幅{rate}%", f"增幅{rate + 3}%")) for p in section.paragraphs]
    findings = [f for f in audit(report, select=["FA-B102"]).findings if f.severity == "error"]
    assert len(findings) == 1 and f"{rate + 3}%" in findings[0].message_zh


def test_a_percentage_alone_is_a_change_of_its_subject():
    report = narrate(generate(0), "一、收入支出决算总体情况\n本年支出合计100.00万元，比上年下降20.00%。\n与上年相比增幅为5%。")
    changes = [c for c in claims(report) if isinstance(c, Change)]
    assert [(c.subject, c.amount, c.percent, c.word) for c in changes] == [
        ("本年支出合计", None, Decimal("20.00"), "下降"), ("本年支出合计", None, Decimal("5"), "增幅")]


def test_chart_labels_and_performance_targets_bind_without_checks():
    report = narrate(generate(0), "二、收入预算情况\n收入预算0.48%一般公共预算拨款收入22.76%其他收入76.76%图1:收入预算构成\n"
                                  "三、绩效目标\n质量指标设备完好率≥96%8成本指标项目总成本≤20.50万元20满意度达90%以上。")
    found = claims(report)
    labels = [c for c in found if isinstance(c, ChartLabel)]
    assert [c.value for c in labels] == [Decimal("0.48"), Decimal("22.76"), Decimal("76.76")]
    assert {c.subject for c in labels} == {"收入预算构成"}
    targets = [(c.subject, c.comparator, c.value, c.unit) for c in found if isinstance(c, Indicator)]
    assert targets == [("质量指标设备完好率", "≥", Decimal(96), "%"), ("成本指标项目总成本", "≤", Decimal("20.50"), "万元"),
                       ("满意度", "达", Decimal(90), "%")]
    assert coverage(report).share == 1


THREE_PUBLIC = ("二、“三公”经费安排情况\n“三公”经费4.80万元，比上年{word}1.00万元，下降17.24%。其中：因公出国（境）费0万元，"
                "比上年增加0万元；公务用车购置及运行维护费2.50万元（公务用车购置费0万元，比上年增加0万元；公务用车运行维护费"
                "2.50万元，比上年减少1.00万元。）比上年减少1.00万元，下降28.57%；公务接待费2.30万元，比上年增加0万元。")


def test_bracketed_parts_belong_to_their_own_line_not_the_whole():
    """"X万元（A…；B…。）比上年减少…": the change after the bracket is X's, and A, B are not parts of the whole."""
    report = narrate(generate(0), THREE_PUBLIC.format(word="减少"))
    vehicle = [c for c in claims(report) if isinstance(c, Change) and c.percent == Decimal("28.57")]
    assert [(c.subject, c.base) for c in vehicle] == [("公务用车购置及运行维护费", Decimal("2.50"))]
    for code in ("FA-N005", "FA-N007"):
        assert audit(report, select=[code]).outcomes[code].status == "pass"
    wrong = narrate(generate(0), THREE_PUBLIC.format(word="增加"))
    assert [f.code for f in audit(wrong, select=["FA-N007"]).findings if f.severity == "error"] == ["FA-N007"]


def test_a_percentage_from_a_zero_base_is_a_warning():
    report = narrate(generate(0), "一、收入支出决算总体情况\n本年支出合计530.72万元，与上年相比增加530.72万元，增长100%。")
    findings = audit(report, select=["FA-N005"]).findings
    assert [(f.code, f.severity) for f in findings] == [("FA-N005", "warning")]
    assert "基数为 0" in findings[0].message_zh


def test_the_narrative_rules_on_changes_apply_to_budgets():
    def said(sentence: str):
        report = generate_budget(1)
        report.narrative.append(Section("九", "支出预算情况", None, [Paragraph(None, sentence)]))
        return audit(report, select=["FA-N005"])

    assert said("支出预算1000.00万元，与上年相比增加100.00万元，增长11.11%。").outcomes["FA-N005"].status == "pass"
    # the base is last year's amount, not this year's
    result = said("支出预算1000.00万元，与上年相比增加100.00万元，增长10.00%。")
    assert [f.code for f in result.findings if f.severity == "error"] == ["FA-N005"]
    # a sentence that states the prior figure: the change is measured from it, not from the last amount read
    result = said("支出预算1000.00万元，比上年预算数900.00万元增加100.00万元，增长11.11%。")
    assert not [f for f in result.findings if f.severity == "error"]


def test_items_of_a_final_keep_their_reading():
    report = narrate(generate(0), "五、一般公共预算财政拨款支出决算情况\n1.一般公共服务（类）人大事务（款）行政运行（项）。"
                                  "年初预算为10.00万元，支出决算为12.00万元，完成年初预算的120.00%。")
    [item] = [c for c in claims(report) if isinstance(c, Item)]
    assert (item.budget, item.actual, item.rate, item.prior) == (Decimal("10.00"), Decimal("12.00"), Decimal("120.00"), None)
    assert coverage(report).share == 1

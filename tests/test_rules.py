"""Every table rule passes on a consistent synthetic report and fails on a perturbed one; the
property test perturbs any one amount and expects an error finding that names that cell."""

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finaudit import codes
from finaudit.audit import audit
from finaudit.model import LoadWarning
from finaudit.rules.registry import REGISTRY
from finaudit.synthetic import generate

SEED = 0  # a generated report with rows in every table, 政府性基金 included


@pytest.fixture
def report():
    return generate(SEED)


def index(report, kind, *, code=None, key=None, side=None, level=None):
    data = report.tables[kind].data
    mask = pd.Series(True, index=data.index)
    if code is not None:
        mask &= data["code"] == code
    if key is not None:
        mask &= data["key"] == key
    if side is not None:
        mask &= data["side"] == side
    if level is not None:
        mask &= data["level"] == level
    return int(data.index[mask.fillna(False)][0])


def unlisted_item(report, kind):
    """Give the first 项 row a well-formed code under the same 款 that no list has, and a name of its own."""
    data = report.tables[kind].data
    row = index(report, kind, level=3)
    data.at[row, "code"], data.at[row, "label"] = data.at[row, "code"][:5] + "98", "未列入科目表的项"


def name_as_sibling(report, kind):
    """Give the first 类 row the name another 类 has in that year (a name that belongs to another code)."""
    data = report.tables[kind].data
    row = index(report, kind, level=1)
    other = next(c for c in codes.catalogue(report.meta.year) if len(c) == 3 and c != data.at[row, "code"])
    data.at[row, "label"] = codes.name(other, report.meta.year)


def bump(report, kind, row, column, by=1000):
    data = report.tables[kind].data
    data.at[row, column] = (0 if pd.isna(data.at[row, column]) else data.at[row, column]) + by


def first_item(report, kind):
    return index(report, kind, level=3)


MUTATIONS = {
    "FA-T001": lambda r: bump(r, "general_budget", first_item(r, "general_budget"), "basic"),
    "FA-T002": lambda r: bump(r, "expenditure", index(r, "expenditure", level=2), "total"),
    "FA-T003": lambda r: bump(r, "income", index(r, "income", key="grand_total"), "total"),
    "FA-T004": lambda r: bump(r, "general_budget", first_item(r, "general_budget"), "total"),
    "FA-T005": lambda r: bump(r, "government_fund", first_item(r, "government_fund"), "end"),
    "FA-T010": lambda r: bump(r, "summary", index(r, "summary", key="grand_total", side="income"), "total"),
    "FA-T020": lambda r: bump(r, "appropriation_summary", index(r, "appropriation_summary", key="carryover_begin"), "total"),
    "FA-T030": lambda r: bump(r, "basic_expenditure", index(r, "basic_expenditure", key="personnel_total"), "total"),
    "FA-T031": lambda r: bump(r, "basic_expenditure", index(r, "basic_expenditure", code="301"), "total"),
    "FA-T040": lambda r: bump(r, "three_public", index(r, "three_public", key="total"), "actual"),
    "FA-T050": lambda r: r.tables["general_budget"].data.__setitem__(
        "total", r.tables["general_budget"].data["total"].mask(r.tables["general_budget"].data["key"] == "grand_total")),
    "FA-X001": lambda r: bump(r, "summary", index(r, "summary", side="expenditure", level=1), "total"),
    "FA-X002": lambda r: bump(r, "summary", index(r, "summary", key="fiscal"), "total"),
    "FA-X003": lambda r: [bump(r, "appropriation_summary", i, c) for i in [index(r, "appropriation_summary", code="201")]
                          for c in ("total", "general")],
    "FA-X004": lambda r: bump(r, "appropriation_summary", index(r, "appropriation_summary", key="income_total"), "total"),
    "FA-X005": lambda r: bump(r, "general_budget", first_item(r, "general_budget"), "project", by=10**9),
    "FA-X006": lambda r: bump(r, "general_budget", index(r, "general_budget", key="grand_total"), "basic"),
    "FA-X007": lambda r: bump(r, "basic_expenditure", index(r, "basic_expenditure", code="30212"), "total", by=10**8),
    "FA-X008": lambda r: bump(r, "government_fund", index(r, "government_fund", key="grand_total"), "begin"),
    "FA-X009": lambda r: bump(r, "appropriation_summary", index(r, "appropriation_summary", code="201"), "total", by=10**9),
    "FA-C001": lambda r: r.tables["income"].data.__setitem__("code", r.tables["income"].data["code"].replace("201", "2O1")),
    "FA-C002": lambda r: r.tables["income"].data.__setitem__(
        "code", r.tables["income"].data["code"].where(r.tables["income"].data["level"] != 3, "2990101")),
    "FA-C003": lambda r: unlisted_item(r, "income"),
    "FA-C004": lambda r: name_as_sibling(r, "income"),
    "FA-C005": lambda r: r.tables["general_budget"].data.__setitem__(
        "label", r.tables["general_budget"].data["label"].where(r.tables["general_budget"].data["level"] != 1, "另一个名称")),
    "FA-P001": lambda r: r.tables.pop("three_public"),
    "FA-P002": lambda r: r.tables["three_public"].data.__setitem__("actual", pd.NA) or
                         r.tables["three_public"].data.__setitem__("budget", pd.NA),
    "FA-P003": lambda r: setattr(r, "narrative", []),
    "FA-L001": lambda r: r.warnings.append(LoadWarning("row-misaligned", 12, "row of 5 cells where the header has 9", 2)),
}


def test_every_table_rule_has_a_failing_case():
    table_rules = {code for code in REGISTRY if code[3] in "TXCPL"}
    assert table_rules <= set(MUTATIONS), sorted(table_rules - set(MUTATIONS))


def test_consistent_report_passes_every_rule(report):
    result = audit(report)
    assert [f for f in result.findings if f.severity != "info"] == []
    assert {o.status for o in result.outcomes.values()} <= {"pass", "not_applicable", "insufficient_data"}
    for code in MUTATIONS:
        assert result.outcomes[code].status == "pass", code


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_rule_fails_on_perturbed_report(report, code):
    MUTATIONS[code](report)
    result = audit(report, select=[code])
    if REGISTRY[code].severity == "info":  # a rule that only notes: its note appears, the rule passes
        findings = [f for f in result.findings if f.code == code]
        assert findings and result.outcomes[code].status == "pass"
    else:
        assert result.outcomes[code].status == "fail", result.outcomes[code]
        findings = [f for f in result.findings if f.code == code and f.severity != "info"]
        assert findings and all(f.severity == REGISTRY[code].severity for f in findings)
    assert all(f.message_zh and f.message_en for f in findings)


def test_a_row_is_not_summed_over_a_column_the_reader_did_not_recognise(report):
    """An amount column whose header no template knows (keyed col3, warned on load) may be a part or a part of a
    part: the row's total is not checked against the columns it knows, and holds no false error."""
    table = report.tables["general_budget"]
    data = table.data
    data["col3"] = data["basic"]  # a column of amounts under a header the reader could not place
    data["total"] = data["total"] + data["basic"].fillna(0)
    table.columns["col3"] = "其他资金"
    assert audit(report, select=["FA-T004"]).outcomes["FA-T004"].status != "fail"
    data["col3"] = pd.array([None] * len(data), dtype="Int64")  # the same column blank: rows are checked again
    assert audit(report, select=["FA-T004"]).outcomes["FA-T004"].status == "fail"


def test_within_rounding_band_is_a_note_not_an_error(report):
    row = index(report, "income", key="grand_total")
    bump(report, "income", row, "total", by=1)  # 0.01 over several addends
    result = audit(report, select=["FA-T003"])
    notes = [f for f in result.findings if f.code == "FA-T003"]
    assert notes and {f.severity for f in notes} == {"info"}
    assert result.outcomes["FA-T003"].status == "pass"


def test_a_crashing_rule_is_reported_and_the_run_goes_on(report, monkeypatch):
    from finaudit.rules.registry import Rule

    def broken(check):
        raise KeyError("boom")

    monkeypatch.setitem(REGISTRY, "FA-Z999", Rule("FA-Z999", "error", "坏", "broken", (), broken))
    result = audit(report)
    assert result.outcomes["FA-Z999"].status == "error" and "boom" in result.outcomes["FA-Z999"].reason
    assert result.outcomes["FA-T001"].status == "pass"


def test_absent_tables_are_not_applicable(report):
    for kind in ("government_fund", "basic_expenditure", "three_public"):
        report.tables.pop(kind)
    result = audit(report)
    assert result.outcomes["FA-T005"].status == "not_applicable"
    assert result.outcomes["FA-X006"].status == "not_applicable"
    assert result.outcomes["FA-T040"].status == "not_applicable"


def test_registry_refuses_duplicates():
    from finaudit.rules.registry import rule

    with pytest.raises(ValueError, match="registered twice"):
        rule("FA-T001", "error", "重复", "duplicate")(lambda check: [])


#: Every code finaudit has shipped: a code is API (ledgers, working papers and stores keep it), so this list may grow,
#: never shrink, and a code added to the package is added here on purpose.
SHIPPED = {
    "FA-B001", "FA-B002", "FA-B010", "FA-B011", "FA-B012", "FA-B013", "FA-B020", "FA-B021", "FA-B022", "FA-B023",
    "FA-B024", "FA-B025", "FA-B026", "FA-B101", "FA-B102", "FA-B103", "FA-B104", "FA-B105", "FA-B110", "FA-B111",
    "FA-B112", "FA-C001", "FA-C002", "FA-C003", "FA-C004", "FA-C005", "FA-L001", "FA-N001", "FA-N002", "FA-N003",
    "FA-N004", "FA-N005", "FA-N006", "FA-N007", "FA-N008", "FA-N009", "FA-N010", "FA-N011", "FA-N012", "FA-N013",
    "FA-N014", "FA-N015", "FA-N016", "FA-N017", "FA-N018", "FA-N019", "FA-N020", "FA-N021", "FA-N022", "FA-N023",
    "FA-P001", "FA-P002", "FA-P003", "FA-T001", "FA-T002", "FA-T003", "FA-T004", "FA-T005", "FA-T010", "FA-T020",
    "FA-T030", "FA-T031", "FA-T040", "FA-T050", "FA-X001", "FA-X002", "FA-X003", "FA-X004", "FA-X005", "FA-X006",
    "FA-X007", "FA-X008", "FA-X009", "FA-D001", "FA-D002", "FA-D101", "FA-D102", "FA-D103", "FA-D201", "FA-S001",
    "FA-S002", "FA-S003",
}


def test_rule_codes_never_disappear():
    """Codes are API: every shipped code is still registered (rules, cross-document rules, structural faults), and
    every registered code is in the shipped list."""
    from finaudit.causes import STRUCTURAL
    from finaudit.rules import CROSS_REGISTRY

    registered = set(REGISTRY) | set(CROSS_REGISTRY) | set(STRUCTURAL)
    assert SHIPPED <= registered, f"codes gone: {sorted(SHIPPED - registered)}"
    assert registered <= SHIPPED, f"codes to add to SHIPPED: {sorted(registered - SHIPPED)}"


def test_every_rule_documents_its_assertion():
    for code, item in REGISTRY.items():
        assert len(item.doc) > 40 and item.title_zh and item.title_en, code


def test_rules_contain_no_sample_numbers():
    """No rule module may carry an amount, a 7-digit code or a label that only the sample has."""
    import inspect
    import re

    import finaudit.rules

    source = "".join(inspect.getsource(module) for module in finaudit.rules.FAMILIES)
    assert not re.search(r"\d+\.\d\d", source)
    assert not re.search(r"\b\d{7}\b", source)
    for label in ("柳江", "1480", "政务公开", "法制建设"):
        assert label not in source


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), pick=st.integers(0, 10**6), delta=st.integers(100, 10**7), sign=st.sampled_from([1, -1]))
def test_perturbing_any_amount_gives_an_error_at_that_cell(seed, pick, delta, sign):
    report = generate(seed)
    assert [f for f in audit(report).findings if f.severity == "error"] == []
    cells = [(kind, int(row), column) for kind, table in sorted(report.tables.items()) for column in table.columns
             for row in table.data.index[table.data[column].notna()]]
    kind, row, column = cells[pick % len(cells)]
    bump(report, kind, row, column, by=sign * delta)
    errors = [f for f in audit(report).findings if f.severity == "error"]
    touched = [f for f in errors if any((c.kind, c.row_index, c.column) == (kind, row, column) for c in f.cells)]
    assert touched, (kind, row, column, [f.message_en for f in errors])


def test_same_input_gives_identical_json(sample):
    first, second = audit(sample), audit(sample)
    assert first.to_json() == second.to_json()
    assert json.loads(first.to_json(with_manifest=True))["manifest"]["input_sha256"] == sample.meta.sha256


def empty_fund_table(report):
    """The government fund table printing nothing (no amount, no row but 合计) and no statement on it."""
    table = report.tables["government_fund"]
    for column in table.columns:
        table.data[column] = pd.NA
    total = table.data["key"] == "grand_total"
    for column in ("label", "code"):
        table.data[column] = table.data[column].where(total)
    table.statement = None
    return report


@pytest.mark.parametrize("sentence, finding", [
    ("政府性基金拨款支出预算为0。", False),
    ("本部门无政府性基金预算财政拨款支出。", False),
    ("本年度没有使用政府性基金预算拨款安排的支出，故相关表格无数据。", False),
    ("政府性基金预算支出120.00万元。", True),          # a figure, not a statement that there is none
    ("国有资本经营预算拨款支出预算为0。", True),        # another table's subject
])
def test_an_empty_table_explained_in_the_narrative_is_not_a_finding(report, sentence, finding):
    from finaudit.model import Paragraph, Section

    empty_fund_table(report)
    report.narrative = [*report.narrative, Section("九", "其他说明", None, [Paragraph(None, sentence)])]
    findings = [f for f in audit(report, select=["FA-P002"]).findings if f.where.kind == "government_fund"]
    assert bool(findings) is finding


def test_load_problems_are_one_finding_per_problem_and_table(report):
    report.warnings += [LoadWarning("row-misaligned", None, "row of 5 cells where the header has 9", 2, page=p)
                        for p in (3, 3, 4, 5)]
    report.warnings.append(LoadWarning("amount-not-numeric", None, "amount 'x' in column total", 2, page=4, subject="x"))
    findings = [f for f in audit(report, select=["FA-L001"]).findings]
    assert sorted(f.message_en.split(";")[0] for f in findings) == [
        "Load problem: a row's cells do not match the header's columns", "Load problem: amount 'x' is not a number"]
    assert "读取问题：金额栏的“x”不是数字，按空白处理" in [f.message_zh for f in findings]
    grouped = next(f for f in findings if f.where.row == "row-misaligned")
    assert "另有 3 处（第3页、第4页、第5页）" in grouped.message_zh and "3 more of the same (page 3, page 4, page 5)" in grouped.message_en


@pytest.mark.parametrize("code_cell, label_cell", [("合计", ""), ("合计", "合计"), ("人员经费合计", "")])
def test_a_total_printed_in_the_code_column_is_a_label_not_a_malformed_code(code_cell, label_cell):
    from finaudit.read.render import render_text
    from finaudit.read.text import parse_text
    from finaudit.synthetic import generate

    text = render_text(generate(3))
    head, _, tail = text.partition("表三：支出决算表")
    assert "\t\n\t合计\n" in tail
    report = parse_text(head + "表三：支出决算表" + tail.replace("\t\n\t合计\n", f"\t{code_cell}\n\t{label_cell}\n", 1))
    result = audit(report)
    assert not [f for f in result.findings if f.code == "FA-C001"]
    rows = [r for r in report.tables["expenditure"].records() if r["label"] == (label_cell or code_cell)]
    assert len(rows) == 1 and not rows[0]["code"]


def test_a_placeholder_row_is_no_row():
    from finaudit.read.render import render_text
    from finaudit.read.text import parse_text
    from finaudit.synthetic import generate

    text = render_text(generate(3))
    head, _, tail = text.partition("表三：支出决算表")
    rows_before = len(parse_text(text).tables["expenditure"].records())
    report = parse_text(head + "表三：支出决算表" + tail.replace("\t\n\t合计\n", "\t无\n\t\n\t\n\t\n\t\n\t\n\t\n\t\n\n\t\n\t合计\n", 1))
    assert len(report.tables["expenditure"].records()) == rows_before


def test_a_rule_with_nothing_to_check_is_insufficient_data_not_pass(report):
    """A rule that evaluated nothing (no coded row, no claim of its kind) did not pass."""
    for table in report.tables.values():
        table.data["code"] = None
    result = audit(report, select=["FA-C001", "FA-C002", "FA-N004", "FA-P001"])
    assert {code: o.status for code, o in result.outcomes.items()} == {
        "FA-C001": "insufficient_data", "FA-C002": "insufficient_data", "FA-N004": "insufficient_data",
        "FA-P001": "pass"}
    assert "nothing to check" in result.outcomes["FA-C001"].reason


def test_the_glossary_is_read_by_the_wording_checks(report):
    from finaudit.model import Definition

    report.glossary = {"机关运行经费": Definition("机关运行经费", "指为保障行政单位运行用于购买货物和服务的各项资金。。", page=30)}
    findings = [f for f in audit(report, select=["FA-N021"]).findings]
    assert [(f.where.row, f.cells[0].page) for f in findings] == [("名词解释", 30)]


@pytest.mark.parametrize("sentence, missing", [
    ("本部门无当年政府性基金预算收支。", False),   # the narrative says there is none: no table owed
    ("政府性基金预算支出120.00万元。", True),
])
def test_a_table_the_narrative_says_there_is_none_of_is_not_missing(report, sentence, missing):
    from finaudit.model import Paragraph, Section

    report.tables.pop("government_fund")
    report.narrative = [*report.narrative, Section("八", "政府性基金预算财政拨款收入支出决算情况说明", None,
                                                   [Paragraph(None, sentence)])]
    found = [f for f in audit(report, select=["FA-P001"]).findings if f.where.kind == "government_fund"]
    assert bool(found) is missing


def test_basic_table_splitting_a_class_across_columns_is_checked_per_column():
    """西安 books part of 30239 其他交通费用 (the 车改 allowance) as 人员经费 and prints that split on the 302 row: the
    人员经费 = 301 + 303 convention is not imposed where the document prints its own split per 类."""
    from finaudit import synthetic
    from finaudit.rules.budget import basic_relations
    from finaudit.rules.registry import View

    budget, _, _ = synthetic.budget_final_pair(1)
    table = budget.tables["basic_expenditure"]
    assert [r for r in basic_relations(View(table)) if r.what.key == "budget.personnel_classes"], "a table not splitting a 类"
    data = table.data
    rows = [data.index[data["code"] == code][0] for code in ("302", "30211")] + [data.index[data["key"] == "grand_total"][0]]
    for row in rows:  # 100.00 of 差旅费 printed as 人员经费 on its row, its 类's and the 合计's
        data.loc[row, "personnel"] = (0 if pd.isna(data.loc[row, "personnel"]) else data.loc[row, "personnel"]) + 10000
        data.loc[row, "public"] = data.loc[row, "public"] - 10000
    assert [r for r in basic_relations(View(table)) if r.what.key == "budget.personnel_classes"] == []
    assert not [f for f in audit(budget, select=["FA-B012"]).findings if f.severity == "error"]


def test_a_sum_short_of_a_number_the_loader_could_not_read_is_a_reading_warning(report):
    """A difference equal to an amount left unplaced on the table's page (or the next) is a reading gap: a warning
    that names the unread line, not the document's error (江苏 高院 2018: 2040504 案件审判 1,833.30 lost at a page top)."""
    from decimal import Decimal

    from finaudit import cite
    from finaudit.findings import CellRef
    from finaudit.model import UnplacedNumber
    from finaudit.rules.registry import REGISTRY as RULES, Check, Relation
    from finaudit.rules.subjects import subject
    from finaudit.words import Text

    report.coverage_.unplaced.append(UnplacedNumber(None, "2040504 案件审判 1,833.30", "not read", page=13))
    check = Check(report, RULES["FA-T001"])
    total = CellRef(5, "general_budget", "20405", "total", Decimal("26200.88"), page=12)
    parts = tuple(CellRef(5, "general_budget", c, "total", Decimal(v), page=12)
                  for c, v in (("2040501", "14857.61"), ("2040502", "6049.97"), ("2040503", "1600.00"),
                               ("2040505", "950.00"), ("2040599", "910.00")))
    what = subject("children", table=cite.table_named(5, "general_budget"), label="20405", column=Text("金额", "Total"))
    finding = check.relation(Relation(total, parts, what))
    assert finding.severity == "warning" and "恰为未能读取的“2040504 案件审判 1,833.30”（第13页）" in finding.message_zh
    other = check.relation(Relation(total, parts[:-1], what))
    assert other.severity == "error"  # 2743.30 short: no unread line explains it


def test_a_later_table_whose_fund_the_document_never_names_is_a_note_not_an_error():
    """The 国有资本经营 table joined the templates in 2019: missing from a document that never names the fund (a
    template from before the table) it is a note to verify; from one that names it anywhere, an error."""
    from finaudit.model import Paragraph, Section

    report = generate(SEED, year=2019)
    report.tables.pop("state_capital")
    assert not any("国有资本经营" in str(v) for t in report.tables.values() for vs in t.values.values() for v in vs)
    found = audit(report, select=["FA-P001"]).findings
    assert [(f.code, str(f.severity)) for f in found] == [("FA-P001", "info")]
    assert "全文未提及" in found[0].message_zh
    report.narrative = [*report.narrative, Section("九", "国有资本经营预算财政拨款支出决算情况说明", None,
                                                   [Paragraph(None, "国有资本经营预算财政拨款支出12.00万元。")])]
    assert [(f.code, str(f.severity)) for f in audit(report, select=["FA-P001"]).findings] == [("FA-P001", "error")]


def test_an_older_general_budget_table_carries_its_balance_forward():
    """A 2016–2018 表五 一般公共预算财政拨款收入支出决算表 prints 年初结转和结余 | 本年收入 | 本年支出 | 年末结转和结余:
    FA-T005 checks each of its rows as it does 表八's; a table without those columns is not checked."""
    report = generate(SEED)

    def on_general_budget():
        return [f for f in audit(report, select=["FA-T005"]).findings if f.where.kind == "general_budget"]

    assert not on_general_budget()
    table = report.tables["general_budget"]
    spent = table.values["total"]
    table.values["begin"] = [None if v is None else v // 10 for v in spent]
    table.values["income"] = list(spent)
    table.values["end"] = list(table.values["begin"])
    table.columns.update(begin="年初结转和结余", income="本年收入", end="年末结转和结余")
    assert not on_general_budget()
    row = next(i for i, v in enumerate(spent) if v)
    table.values["end"][row] += 100
    found = on_general_budget()
    assert [(f.code, str(f.severity), f.where.column) for f in found] == [("FA-T005", "error", "end")]


def test_a_summary_line_numbered_under_another_is_not_summed_twice():
    """收支总表 lines numbered 1. and 2. under 一、财政拨款 (the Jiangsu budgets' 一、财政拨款 / 1.一般公共预算 /
    2.政府性基金预算 / 二、财政专户管理资金 … / 当年收入小计) are parts of the line above: the year's income sums
    the first level only."""
    from decimal import Decimal

    from finaudit.model import build_table
    from finaudit.rules.registry import View
    from finaudit.rules.tables import summary_relations

    rows = [("一、财政拨款", "fiscal", 10000), ("1.一般公共预算", "general", 8000), ("2.政府性基金预算", "fund", 2000),
            ("二、其他收入", "other", 500), ("本年收入合计", "income_total", 10500)]
    table = build_table("summary", 1, "收支总表", {"total": "金额"},
                        [{"side": "income", "label": label, "key": key, "total": value} for label, key, value in rows])
    relation = next(r for r in summary_relations(View(table)) if r.total.row_index == 4)
    assert relation.expected() == (Decimal("105.00"), 2)


@pytest.mark.parametrize("template", ["three_public", "budget_three_public"])
def test_a_bare_total_over_the_three_public_items_and_meetings_is_the_grand_total(template):
    """A 三公 table of items down the rows whose 合计 also covers 会议费 and 培训费: the 合计 is the grand total, not
    the 三公 total, and is not held against the 三公 items alone (a false FA-T040 a row layout would raise)."""
    from decimal import Decimal

    from finaudit.read.tables import Ledger, TableBuilder
    from finaudit.read.templates import templates
    from finaudit.rules.registry import View
    from finaudit.rules.tables import three_public_relations

    kind = templates().kinds[template]
    rows = [("合计", 600), ("因公出国（境）费", 100), ("公务用车购置及运行维护费", 200), ("公务接待费", 100),
            ("会议费", 100), ("培训费", 100)]
    column = "actual" if template == "three_public" else "budget"
    table = TableBuilder(templates(), Ledger()).items_rows(
        kind, 7, "三公", {column: "金额"}, [{"label": label, column: value} for label, value in rows], {})
    assert [r["key"] for r in table.records()] == ["grand_total", "abroad", "vehicle", "reception", "meeting", "training"]
    relations = list(three_public_relations(View(table)))  # no 三公 total: the grand total against all five items
    assert [(r.total.value, r.expected()) for r in relations] == [(Decimal("6.00"), (Decimal("6.00"), 5))]

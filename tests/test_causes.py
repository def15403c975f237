"""Root causes: one discrepancy, one root, its consequences folded beneath it (finaudit/causes.py)."""

import json
import random
from dataclasses import replace
from decimal import Decimal as D

import pytest
from conftest import SAMPLE

import finaudit
from finaudit.audit import audit, format_text, run_rules
from finaudit.causes import MIN_RESOLVED, Need, cell_id, needs
from finaudit.findings import CellRef, Finding, Location, Severity
from finaudit.synthetic import generate


def cell(row, value, column="total", kind="general_budget", index=None):
    return CellRef(5, kind, row, column, None if value is None else D(value), row_index=index)


def finding(cells, form="sum", signs=(), expected=None, actual=None, tolerance=D("0.015")):
    return Finding("FA-T000", Severity.ERROR, Location(5, "general_budget", cells[0].row, cells[0].column), "", "",
                   expected=expected, actual=actual, tolerance=tolerance, cells=tuple(cells), form=form, signs=signs)


@pytest.mark.parametrize("found, at, low, high", [
    # total 10.00 against parts 4.00 + 5.00: the total needs 9.00, each part one more
    (finding([cell("T", "10.00", index=0), cell("A", "4.00", index=1), cell("B", "5.00", index=2)]), 0, "8.985", "9.015"),
    (finding([cell("T", "10.00", index=0), cell("A", "4.00", index=1), cell("B", "5.00", index=2)]), 1, "4.985", "5.015"),
    # a blank part counts as 0 and needs the whole difference
    (finding([cell("T", "3.00", index=0), cell("A", None, index=1)]), 1, "2.985", "3.015"),
    # end = begin + income − expenditure: the subtracted part needs one less
    (finding([cell("E", "5.00", index=0), cell("B", "1.00", index=1), cell("I", "9.00", index=2), cell("X", "4.00", index=3)],
             signs=(1, 1, -1)), 3, "4.985", "5.015"),
    # part ≤ whole: the part needs at most the whole, the whole at least the part
    (finding([cell("P", "7.00", index=0), cell("W", "6.00", index=1)], form="at_most"), 0, None, "6.00"),
    (finding([cell("P", "7.00", index=0), cell("W", "6.00", index=1)], form="at_most"), 1, "7.00", None),
    # a stated figure against the cell it restates (no form given: read from expected/actual)
    (finding([cell("N", "9.00", kind="narrative"), cell("A", "8.00", index=1)], form="", expected=D("8.00"), actual=D("9.00"),
             tolerance=D("0.01")), 1, "8.99", "9.01"),
    # a stated share against its computed value: within one printed unit of it
    (finding([cell("N", "71.73", kind="narrative")], form="value", expected=D("71.65"), actual=D("71.73")), 0, "71.64", "71.66"),
    # shares against 100%: one share alone would need the deviation (0.07) taken off, within the band
    (finding([cell("S1", "71.73", kind="narrative"), cell("S2", "28.34", kind="narrative")], form="parts",
             expected=D("100"), actual=D("100.07"), tolerance=D("0.02")), 0, "71.64", "71.68"),
])
def test_what_each_cell_needs(found, at, low, high):
    need = needs(found)[cell_id(found.cells[at])]
    assert (need.low, need.high) == (None if low is None else D(low), None if high is None else D(high))


@pytest.mark.parametrize("found", [
    finding([cell("T", "10.00", index=0), cell("A", "10.01", index=1)]),  # within the band: nothing needed
    finding([cell("T", "10.00", index=0)]),  # no parts
    finding([cell("T", "10.00", index=0), cell("A", "4.00", index=1)], form="", expected=D("3.00"), actual=D("10.00")),
    finding([cell("S1", "60.00"), cell("S2", "40.01")], form="parts", expected=D("100"), tolerance=D("0.02")),  # within
])
def test_no_need_without_arithmetic(found):
    assert needs(found) == {}


def test_needs_meet():
    assert Need(D(1), D(3), D(2)).meet(Need(D(2), None, D(2))) == Need(D(2), D(3), D(2))
    assert Need(D(1), D(2)).meet(Need(D(3), D(4))) is None


@pytest.fixture(scope="module")
def liujiang(sample):
    return audit(sample)


def test_every_error_is_a_root_or_points_to_one(liujiang):
    roots = {f.key for f in liujiang.roots}
    errors = [f for f in liujiang.findings if f.severity == "error"]
    assert all(f.is_root or f.caused_by in roots for f in errors)
    # the distinct discrepancies a careful auditor counts among the 48 errors (see the note of issue 18)
    assert len(errors) == 48 and 18 <= liujiang.root_counts["error"] <= 28


@pytest.mark.parametrize("root, consequences", [
    # one blank 基本支出 in 表三 (221 and its single 款 and 项): the 表三 rows, the 合计 and three 表五-vs-表三 errors
    ("FA-T003|expenditure|合计|basic", ["FA-T004|expenditure|221|total", "FA-T004|expenditure|2210201|total",
                                       "FA-X005|general_budget|22102|basic"]),
    # one wrong 人员经费合计 in 表六: its own sum, 表五 基本 vs 表六, and the narrative's 人员经费
    ("FA-T030|basic_expenditure|人员经费合计|total", ["FA-X006|general_budget|合计|basic", "FA-N001|narrative|六"]),
    # one malformed code: its two 项 lose their parent
    ("FA-C001|government_fund|201208|label", ["FA-C002|government_fund|2120804|label",
                                              "FA-C002|government_fund|2120899|label"]),
    # 表五 201 and its single 款 print 1089.00: the rows, the 合计 and the narrative's 一般公共服务
    ("FA-T001|general_budget|20103|total", ["FA-T004|general_budget|201|total", "FA-T003|general_budget|合计|total",
                                            "FA-N001|narrative|五"]),
    # 表五 基本支出 of four 项目 rows: only their joint fix mends 20103's 基本支出
    ("FA-X005|general_budget|2010302|basic", ["FA-T001|general_budget|20103|basic", "FA-X005|general_budget|2010399|basic",
                                             "FA-T004|general_budget|2010307|total"]),
])
def test_liujiang_groups(liujiang, root, consequences):
    by_prefix = {f.key: f for f in liujiang.findings}
    top = next(f for k, f in by_prefix.items() if k.startswith(root))
    assert top.is_root and "可解释另外" in top.cause_zh and "Explains" in top.cause_en
    for prefix in consequences:
        assert any(k.startswith(prefix) and f.caused_by == top.key for k, f in by_prefix.items()), prefix


def test_grouping_drops_nothing(sample, liujiang):
    plain, _ = run_rules(sample)
    assert [(f.code, f.location, f.message_zh) for f in plain] == [(f.code, f.location, f.message_zh) for f in liujiang.findings]
    assert sum(1 + len(c) for _, c in liujiang.grouped()) == len(liujiang.findings)


def test_text_json_and_flat(sample, liujiang):
    grouped, flat = format_text(sample, liujiang), format_text(sample, liujiang, flat=True)
    assert "  ↳ error" in grouped and "↳" not in flat
    assert sorted(line.removeprefix("  ↳ ") for line in grouped.splitlines() if "FA-" in line and "根源" not in line) == \
        sorted(line for line in flat.splitlines() if "FA-" in line)
    rows = json.loads(liujiang.to_json())
    keys = {row["key"] for row in rows}
    assert all(row["caused_by"] in keys for row in rows if row["caused_by"])
    assert json.loads(liujiang.to_json(with_manifest=True))["root_counts"]["error"] == liujiang.root_counts["error"]


def perturbed(seed: int):
    rng = random.Random(seed)
    report = generate(rng.randint(0, 2**32))
    cells = [(kind, int(row), column) for kind, table in sorted(report.tables.items()) for column in table.columns
             for row in table.data.index[table.data[column].notna()]]
    kind, row, column = cells[rng.randrange(len(cells))]
    data = report.tables[kind].data
    data.at[row, column] = data.at[row, column] + rng.choice([1, -1]) * rng.randint(100, 10**7)
    return report, (kind, row, column)


@pytest.mark.parametrize("seed", range(12))
def test_one_perturbed_cell_gives_one_root_naming_it(seed):
    report, target = perturbed(seed)
    result = audit(report)
    roots = [f for f in result.roots if f.severity == "error"]
    assert len(roots) == 1, [(f.code, f.location, f.caused_by) for f in result.findings if f.severity == "error"]
    assert any((c.kind, c.row_index, c.column) == target for c in roots[0].cells)
    assert all(f.caused_by == roots[0].key for f in result.findings if f.severity == "error" and f is not roots[0])


def shifted(trial: int, rows: int = 1):
    """A generated report with the amounts of a block of coded rows of one table printed `rows` rows up or down:
    the rows at one edge blank, the amounts of the rows at the other edge lost."""
    rng = random.Random(trial)
    report = generate(rng.randint(0, 2**32))
    kind = rng.choice([k for k, t in sorted(report.tables.items())
                       if t.layout == "coded" and sum(1 for c in t.column("code") if c) >= 5])
    table = report.tables[kind]
    codes = table.column("code")
    coded = [i for i, c in enumerate(codes) if c]
    start = rng.randrange(0, len(coded) - 2 - rows)
    block = coded[start:rng.randrange(start + 2 + rows, len(coded) + 1)]
    step = rng.choice([1, -1]) * rows
    values = {name: table.column(name) for name in table.values}
    for column in table.amount_columns:
        printed = table.column(column)
        for row in block:
            values[column][row] = None
        for n, row in enumerate(block):
            if 0 <= n + step < len(block):
                values[column][block[n + step]] = printed[row]
    report.tables[kind] = replace(table, values=values, _frames={})
    return report, kind


# 55 of the first 60 trials give one structural root; the others (blocks of 3–4 rows at a 类 boundary)
# give it plus a few cell roots at the block's edge.
@pytest.mark.parametrize("trial", [0, 1, 2, 7, 8, 13])
def test_shifted_block_gives_one_structural_root(trial):
    report, kind = shifted(trial)
    result = audit(report)
    roots = [f for f in result.roots if f.severity == "error"]
    assert [f.code for f in roots] == ["FA-S001"], [(f.code, f.location) for f in roots]
    assert roots[0].kind == kind and "错行" in roots[0].message_zh
    assert len(result.consequences(roots[0])) == result.counts["error"] - 1 >= MIN_RESOLVED


# Blocks two or three rows off: 7 of the first 22 trials (seeds 0–11) give one structural root (one of them names a
# 3-row move of a shorter block for a 2-row shift: both explain the errors); the others
# give it among cell roots or not at all (a block of 3–5 rows loses too many amounts at its edges to judge).
@pytest.mark.parametrize("trial, rows", [(2, 2), (4, 3), (9, 2), (9, 3)])
def test_a_block_shifted_by_several_rows_is_one_root(trial, rows):
    report, kind = shifted(trial, rows)
    result = audit(report)
    roots = [f for f in result.roots if f.severity == "error"]
    assert [f.code for f in roots] == ["FA-S001"], [(f.code, f.location) for f in roots]
    assert roots[0].kind == kind and f"移{rows}行" in roots[0].message_zh


def test_consistent_report_has_no_structural_root():
    result = audit(generate(0))
    assert not [f for f in result.findings if f.code.startswith("FA-S")]
    assert all(f.is_root for f in result.findings)


def test_a_chain_of_wrong_code_rows_is_one_problem():
    """201208 (malformed) above 2120804 (its 款 missing) above 21208990 (malformed, read as 2120804's child)."""
    sample = finaudit.load(SAMPLE)
    table = sample.tables["government_fund"]
    values = {name: table.column(name) for name in table.values}
    values["code"] = ["21208990" if c == "2120899" else c for c in values["code"]]
    sample.tables["government_fund"] = replace(table, values=values, _frames={})
    result = audit(sample)
    on_codes = [f for f in result.findings if f.kind == "government_fund" and f.where.column == "label"]
    roots = [f for f in on_codes if f.is_root]
    assert [f.location for f in roots] == ["201208"]
    assert {f.location for f in on_codes if f.caused_by == roots[0].key} >= {"2120804", "21208990"}


def misprinted(seed: int, kind: str, fault: str):
    report = generate(seed)
    table = report.tables[kind]
    columns = table.amount_columns
    values = {name: table.column(name) for name in table.values}
    if fault == "FA-S002":  # the 栏次 line (1, 2, 3 …) read as the 合计 row's amounts
        row = table.column("key").index("grand_total")
        for n, column in enumerate(columns):
            values[column][row] = 100 * (n + 1)
    else:  # FA-S003: from the second column on, every amount printed one column to the right
        for n, column in enumerate(columns[1:], 1):
            values[column] = table.column(columns[n - 1]) if n > 1 else [None] * len(values[column])
    report.tables[kind] = replace(table, values=values, _frames={})
    return report


@pytest.mark.parametrize("seed, kind, fault", [(0, "general_budget", "FA-S002"), (1, "general_budget", "FA-S002"),
                                               (0, "expenditure", "FA-S003"), (4, "expenditure", "FA-S003")])
def test_header_row_or_shifted_column_gives_one_structural_root(seed, kind, fault):
    result = audit(misprinted(seed, kind, fault))
    roots = [f for f in result.roots if f.severity == "error"]
    assert [(f.code, f.kind) for f in roots] == [(fault, kind)]
    assert len(result.consequences(roots[0])) == result.counts["error"] - 1 >= MIN_RESOLVED


def test_frames_roots_first(liujiang):
    flat, grouped = liujiang.to_frame(), liujiang.to_frame(grouped=True)
    assert len(flat) == len(grouped) == len(liujiang.findings)
    assert set(flat["key"]) == set(grouped["key"]) and (flat["caused_by"] == "").sum() == len(liujiang.roots)
    consequences = grouped[grouped["caused_by"] != ""]
    assert all(p.startswith("  ") and "." in p for p in consequences["problem"])
    assert grouped["severity"].iloc[0] == "error" and grouped["cause"].iloc[0].startswith("根源")


def test_dashboard_lists_and_counts_roots():
    pytest.importorskip("ipywidgets")
    from finaudit.views import dashboard, findings_panel, loading

    loaded = loading.load_report(SAMPLE)
    panel = findings_panel.FindingsPanel(loaded)
    locations = list(panel.grid_frame(panel.numbers).iloc[:, 3])  # severity, rule, table, location, …
    assert not locations[0].startswith("↳") and sum(place.startswith("↳") for place in locations) == 27
    roots = loaded.result.root_counts["error"]
    assert f"{roots} 个问题（48 条）" in dashboard.Dashboard(loaded).cards.value


class Recorded:
    """Stands in for the review ledger (finaudit/ledger.py): records ``judge`` calls."""

    def __init__(self):
        self.calls = []

    def judge(self, key, status, *, reason="", note="", finding=None, root=""):
        self.calls.append((key, status, reason, finding.code, root))


def test_judging_a_root_judges_its_consequences(liujiang):
    from finaudit.causes import judge_root

    root = next(f for f in liujiang.roots if f.key.startswith("FA-T030|basic_expenditure|人员经费合计"))
    ledger = Recorded()
    keys = judge_root(ledger, liujiang, root.key, "confirmed", reason="表六人员经费合计抄自表五")
    assert keys[0] == root.key and len(keys) == 3 == len(ledger.calls)
    assert all(status == "confirmed" for _, status, _, _, _ in ledger.calls)
    assert ledger.calls[1][2] == "表六人员经费合计抄自表五" and ledger.calls[1][4] == root.key and not ledger.calls[0][4]
    with pytest.raises(ValueError):
        judge_root(ledger, liujiang, liujiang.consequences(root)[0].key, "excluded", reason="x")


def test_judging_a_root_in_the_real_ledger(liujiang, tmp_path):
    from finaudit.causes import judge_root
    from finaudit.ledger import Ledger

    root = next(f for f in liujiang.roots if liujiang.consequences(f))
    ledger = Ledger(tmp_path / "report.txt.review.json")
    keys = judge_root(ledger, liujiang, root.key, "confirmed", note="checked")
    entries = Ledger(tmp_path / "report.txt.review.json").entries
    assert [str(entries[k].status) for k in keys] == ["confirmed"] * len(keys) and len(keys) > 1
    assert [entries[k].root for k in keys] == ["", *[root.key] * (len(keys) - 1)]



def test_a_wrong_share_explains_shares_not_adding_up():
    """Putuo 2024: 一般公共服务 stated as 71.73% of 2940.05 (71.65%) is the error; the shares then adding up to
    100.07% is its consequence, not a second problem."""
    pdf = SAMPLE.parent / "shanghai-putuo-finance-bureau-2024-final.pdf"
    found = audit(finaudit.load(pdf)).findings
    share = next(f for f in found if f.code == "FA-N002" and f.actual == D("71.73"))
    total = next(f for f in found if f.code == "FA-N012")
    assert not share.caused_by and total.caused_by == share.key


# -- the grouping greedy against its plain statement ------------------------------------------------------
def _plain_cell_groups(findings, pool):
    """The greedy as first written (every cell re-swept over the pool each round, the best taken, ties to
    the first cell in print order): what the lazy heap and incremental sweeps of `cell_groups` must equal."""
    from finaudit.causes import _order, _within

    need = {i: needs(findings[i]) for i in sorted(pool)}
    refs = {}
    for i in sorted(pool):
        for cell in findings[i].cells:
            refs.setdefault(cell_id(cell), cell)
    pool = {i for i in pool if need[i]}
    keys = sorted({k for i in pool for k in need[i]}, key=lambda k: _order(refs[k]))
    groups = []
    while True:
        best = None
        for key in keys:
            items = [(i, need[i][key]) for i in sorted(pool) if key in need[i]]
            if len(items) < 2:
                continue
            points = sorted({b for _, n in items for b in (n.low, n.high) if b is not None}) or [D("0.00")]
            holding = [(i, n) for i, n in items if not (n.bounded and n.low > n.high)]
            scored = [((sum(_within(p, n.low, n.high) for _, n in holding),
                        sum(n.bounded and _within(p, n.low, n.high) for _, n in holding), p >= D("-0.01")), -k, p)
                      for k, p in enumerate(points)]
            point = max(scored)[2]
            members = {i for i, n in items if _within(point, n.low, n.high)}
            subject = any(cell_id(findings[i].cells[0]) == key for i in members)
            score = (len(members), refs[key].kind != "narrative", subject)
            if len(members) >= 2 and (best is None or score > best[0]):
                best = (score, key, members)
        if best is None:
            return [(g[1], g[2]) for g in groups]
        groups.append(best)
        pool -= best[2]


@pytest.mark.parametrize("seed", range(40))
def test_cell_groups_equal_the_plain_greedy(seed):
    """Findings that share cells (a few cells, each needed by many findings with overlapping ranges, as a
    numbers-dense narrative makes them): `cell_groups` finds the groups the plain greedy finds."""
    from finaudit.causes import cell_groups

    rng = random.Random(seed)
    cells = [CellRef(1, "expenditure", f"20101{n:02d}", "total", D(rng.randrange(100, 120)), row_index=n)
             for n in range(rng.randrange(2, 6))]
    findings = []
    for n in range(rng.randrange(5, 60)):
        total, *parts = rng.sample(cells, min(len(cells), rng.randrange(2, 4)))
        stated = CellRef(None, "narrative", "支出", None, D(rng.randrange(100, 120)), line=n + 1)
        pair = rng.random() < 0.5
        cell_list = (stated, total) if pair else (total, *parts)
        expected = total.value if pair else sum((p.value for p in parts), D(0))
        actual = stated.value if pair else total.value
        findings.append(Finding("FA-N001" if pair else "FA-T001", Severity.ERROR, Location(1, "expenditure", str(n), "total"),
                                "", "", expected=expected, actual=actual, cells=cell_list, form="sum",
                                tolerance=D(rng.choice(["0.5", "1", "2", "3"]))))
    pool = set(range(len(findings)))
    found = [(cell_id(g.cells[0]), g.members) for g in cell_groups(findings, pool)]
    assert found == _plain_cell_groups(findings, pool)



def _grand_total_row(report, kind):
    table = report.tables[kind]
    return table, next(i for i, key in enumerate(table.values["key"]) if key == "grand_total")


def _total_row_findings(report, kind, row):
    return [f for f in audit(report).findings if f.severity == Severity.ERROR and f.code == "FA-T003"
            and f.cells[0].kind == kind and f.cells[0].row_index == row]


def test_a_total_row_off_in_every_column_as_its_columns_add_up_is_one_root():
    """A 合计 row off its rows in each column by amounts that add up as its columns do (合计's excess the sum of
    基本支出's and 项目支出's, as rows left out of the listing would make it) is one problem: one root."""
    report = generate(0)
    table, grand = _grand_total_row(report, "expenditure")
    for column, extra in (("total", 300_00), ("basic", 100_00), ("project", 200_00)):
        table.values[column][grand] += extra
    rows = _total_row_findings(report, "expenditure", grand)
    assert {f.where.column for f in rows} == {"total", "basic", "project"}
    roots = [f for f in rows if not f.caused_by]
    assert [f.where.column for f in roots] == ["total"]
    assert all(f.caused_by == roots[0].key for f in rows if f is not roots[0])
    assert "在 3 栏都大于其下各行之和" in roots[0].cause_zh and "exceeds the sum of the rows beneath" in roots[0].cause_en


def test_a_total_row_off_by_unrelated_amounts_is_one_problem_per_column():
    """Two columns of a total row off by amounts that do not add up as its columns do are two problems."""
    report = generate(0)
    table, grand = _grand_total_row(report, "expenditure")
    table.values["total"][grand] += 100_00
    table.values["basic"][grand] += 7_00
    rows = _total_row_findings(report, "expenditure", grand)
    assert {f.where.column for f in rows} == {"total", "basic"}
    assert not any(f.caused_by in {g.key for g in rows} for f in rows)


def test_a_figure_in_wan_restating_a_blank_cell_in_yuan_is_explained_by_that_cell():
    """上海审计局 (本级) 2026 leaves 表一's 收入总计 blank: FA-B010 (收入总计 ≠ 支出总计) names the cell, and FA-B110 (the
    编制说明's 收入预算 19,577 万元 against it) asks of the same cell, in 万元, what FA-B010 asks in 元: one problem."""
    path = next((SAMPLE.parent / "families").glob("上海__审计局*"))
    found = {f.code: f for f in audit(finaudit.load(path)).findings if f.code in ("FA-B010", "FA-B110")}
    assert not found["FA-B010"].caused_by
    assert found["FA-B110"].caused_by == found["FA-B010"].key


def test_one_column_off_on_rows_by_unrelated_amounts_is_one_problem_per_row():
    """Two rows whose totals are off their parts in the same column by amounts that do not add up as rows do are two
    problems (only gaps that sum as the rows do make one column's problem)."""
    report = generate(0)
    table = report.tables["expenditure"]
    leaves = [i for i, level in enumerate(table.values["level"]) if level == 3 and table.values["total"][i]][:2]
    table.values["basic"][leaves[0]] = (table.values["basic"][leaves[0]] or 0) + 100_00
    table.values["basic"][leaves[1]] = (table.values["basic"][leaves[1]] or 0) + 7_00
    rows = [f for f in audit(report).findings if f.code == "FA-T004" and f.severity == Severity.ERROR
            and f.cells[0].row_index in leaves]
    assert len(rows) == 2 and not any(f.caused_by in {g.key for g in rows} for f in rows)

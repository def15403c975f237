"""A department's documents read together: the dossier's pairs, the cross-document rules (FA-D) on generated
sets (consistent: no error; one injected inconsistency: found, naming a cell of each document) and on the
bundled Putuo budgets, the `check A B …` command with and without --no-cross."""

import html
import json
from dataclasses import replace

import pytest
from conftest import ROOT

from finaudit import codes, synthetic
from finaudit.cli import main
from finaudit.dossier import department_key, findings_frame, of_reports, timeline
from finaudit.model import Paragraph
from finaudit.read.claims import Item, claims
from finaudit.read.render import render_text
from finaudit.rules.documents import CROSS_REGISTRY, prior_statements, single_unit

SETS = {"department_unit": synthetic.department_unit_set, "year_on_year": synthetic.year_pair,
        "budget_final": synthetic.budget_final_pair}
CODES = {"department_unit": "FA-D101", "year_on_year": "FA-D201", "budget_final": "FA-D001"}


@pytest.mark.parametrize("relation", list(SETS))
@pytest.mark.parametrize("seed", [1, 7, 23])
def test_consistent_set_gives_no_cross_document_error(relation, seed):
    first, second, _ = SETS[relation](seed)
    if relation == "budget_final":  # the final quotes each 项's 年初预算 from the budget document
        assert [c for c in claims(second) if isinstance(c, Item) and c.code and c.budget is not None]
    dossier = of_reports([first, second])
    assert [p.relation for p in dossier.pairs()] == [relation]
    assert [f.message_zh for f in dossier.cross() if f.severity != "info"] == []
    assert dossier.crashed == {}


#: Where the generator injects an inconsistency: (relation, options); "anywhere" = a cell of any table chosen by
#: the seed, "item" = the 年初预算 of one 项 the final's narrative quotes, chosen by the seed.
INJECTIONS = [("department_unit", {}), ("department_unit", {"anywhere": True}),
              ("department_unit", {"anywhere": True, "one_unit": False}), ("department_unit", {"where": "narrative"}),
              ("department_unit", {"where": "narrative", "one_unit": False}), ("year_on_year", {}),
              ("budget_final", {}), ("budget_final", {"where": "item"})]


@pytest.mark.parametrize("relation, options", INJECTIONS)
@pytest.mark.parametrize("seed", [1, 7, 23, 40, 41])
def test_injected_inconsistency_is_found_naming_both_cells(relation, options, seed):
    first, second, (kind, row, column) = SETS[relation](seed, inject=True, **options)
    errors = [f for f in of_reports([first, second]).cross() if f.severity == "error"]
    assert [f.code for f in errors] == ["FA-D103" if options.get("where") == "narrative" else CODES[relation]]
    finding = errors[0]
    assert set(finding.sides) == {0, 1}, "a cell in each document"
    named = [(c.kind, c.column) for c in finding.cells]
    assert (kind, column) in named or ("narrative", "budget") in named
    documents = (first, second)
    rows = {c.row for c in finding.cells} | {
        documents[side].tables[c.kind].values["key"][c.row_index] for c, side in zip(finding.cells, finding.sides)
        if c.row_index is not None and c.kind in documents[side].tables}
    assert row in rows, "the injected row"
    document = finding.to_dict()
    assert {c["document"] for c in document["cells"]} == set(document["documents"])
    assert all(source.split(" ")[0][:4].isdigit() for source in finding.sources)


@pytest.mark.parametrize("one_unit, error", [(True, "unequal"), (False, "exceeds")])
def test_department_unit_containment_or_equality(one_unit, error):
    department, unit, _ = synthetic.department_unit_set(5, one_unit=one_unit, inject=True)
    assert bool(single_unit(department)) is one_unit
    found = [f for f in of_reports([department, unit]).cross() if f.severity == "error"]
    assert len(found) == 1 and ("部门称" in found[0].message_zh) is one_unit
    # A unit below its department is fine when the department has other units, an error when it says it has none.
    department, unit, _ = synthetic.department_unit_set(5, one_unit=one_unit)
    table = department.tables["general_budget"]
    code = next(c for c in table.values["code"] if c and len(c) == 7)
    synthetic._set_cell(table, "", "total", 100_000, code=code)
    found = [f for f in of_reports([department, unit]).cross() if f.severity == "error"]
    assert len(found) == (1 if one_unit else 0)


@pytest.mark.parametrize("sentence, said", [
    ("本部门预算仅包括1家预算单位。", True),
    ("本部门无下属预算单位。", True),
    ("下属事业单位不单独编制部门预算。", True),
    ("上海市普陀区商务委员会部门预算是包括商务委本部以及下属1家预算单位的综合收支计划。", False),
    ("部门预算包括本级及下属3家预算单位。", False),
    ("2. 上海市普陀区某服务中心，不单列预算。", True),
])
def test_single_unit_sentence(sentence, said):
    department, _, _ = synthetic.department_unit_set(2)
    department.narrative[0].paragraphs[0] = Paragraph(None, sentence)
    assert bool(single_unit(department)) is said


@pytest.mark.parametrize("seed", [3, 11])
def test_a_change_stated_of_a_named_class_is_checked_against_last_years_document(seed):
    """"X（类）支出A万元，与上年相比增加Z万元" (the Jiangsu wording): A − Z is last year's 合计 of that 类."""
    from finaudit.model import Paragraph, Section
    from finaudit.rules.documents import in_wan
    from finaudit.rules.registry import View

    earlier, later, _ = synthetic.year_pair(seed)
    summary, before = View(later.tables["summary"]), View(earlier.tables["summary"])
    code = next(c for c in summary.by_code if len(c) == 3 and c in before.by_code)
    now = in_wan(summary, summary.cell(summary.by_code[code][0], "total"))
    then = in_wan(before, before.cell(before.by_code[code][0], "total"))
    name = codes.name(code, later.meta.year)

    def said(change):
        word = "增加" if change >= 0 else "减少"
        later.narrative.append(Section("九", "支出预算情况", None, [
            Paragraph(None, f"1.{name}（类）支出{now:.2f}万元，主要用于日常工作。与上年相比{word}{abs(change):.2f}万元。")]))
        errors = [f for f in of_reports([earlier, later]).cross() if f.severity == "error"]
        later.narrative.pop()
        return errors

    assert said(now - then) == []
    [error] = said(now - then + 5)
    assert error.code == "FA-D201" and set(error.sides) == {0, 1} and code in error.message_zh


def test_a_base_the_earlier_document_cannot_confirm_is_a_note():
    earlier, later, _ = synthetic.year_pair(4)
    paragraph = later.narrative[1].paragraphs[0]
    later.narrative[1].paragraphs[0] = Paragraph(None, paragraph.text.replace("预算", "预算执行数", 2)
                                                 .replace("“三公”经费预算执行数", "“三公”经费预算", 1))
    found = of_reports([earlier, later]).cross()
    assert [f.severity for f in found] == ["info", "info"]  # the 三公 total's base and the items' 执行数
    assert all("无法核对" in f.message_zh for f in found)


@pytest.mark.parametrize("year_b, kind_b, scope_b, relation", [
    (2025, "budget", "unit", "department_unit"),
    (2026, "budget", "department", "year_on_year"),
    (2025, "final", "department", "budget_final"),
    (2027, "budget", "department", None),  # two years apart
    (2026, "final", "department", None),   # another year and kind
])
def test_pairs(year_b, kind_b, scope_b, relation):
    a = synthetic.generate_budget(3, 2025)
    b = synthetic.generate_budget(3, 2025)
    b.meta = replace(b.meta, year=year_b, kind=kind_b, scope=scope_b, department=" 示例区 第四局 ")
    assert department_key(a) == department_key(b)
    assert [p.relation for p in of_reports([a, b]).pairs()] == ([relation] if relation else [])


def test_another_department_is_not_paired():
    a, b = synthetic.generate_budget(3, 2025), synthetic.generate_budget(4, 2026)
    assert of_reports([a, b]).pairs() == []


def test_every_cross_rule_is_catalogued():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f"## {code} " in text for code in CROSS_REGISTRY)


# -- the bundled Putuo budgets ---------------------------------------------------------------------------
def test_putuo_budgets_read_together():
    """The commerce 2025 department/unit pair and 万里街道 2024/2025: every statement about 2024 checked, none
    differs; the unit's amounts equal the department's (the department says it has a subordinate unit: ≤)."""
    from test_budget_docs import COMMERCE, COMMERCE_UNIT, WANLI_2024, WANLI_2025, load

    reports = [load(name) for name in (COMMERCE, COMMERCE_UNIT, WANLI_2024, WANLI_2025)]
    dossier = of_reports(reports)
    assert [(p.relation, p.first.meta.year, p.second.meta.year) for p in dossier.pairs()] == [
        ("department_unit", 2025, 2025), ("year_on_year", 2024, 2025)]
    assert dossier.cross() == [] and dossier.crashed == {}
    checked = list(prior_statements(reports[3], 2024))
    assert len(checked) == 11 and {base for *_, base in checked} == {"预算"}
    # the department's 机构设置 page (its overview) says its one other unit is not budgeted separately, so the
    # department and unit budgets must be equal, and they are (no finding above)
    assert "不单列预算" in single_unit(reports[0])


# -- the command -------------------------------------------------------------------------------------------
def test_check_several_documents_adds_the_relations(tmp_path, capsys):
    earlier, later, _ = synthetic.year_pair(6, inject=True)
    for report, name in ((earlier, "a.txt"), (later, "b.txt")):
        (tmp_path / name).write_text(render_text(report), encoding="utf-8")
    assert main(["check", str(tmp_path), "--no-cross"]) == 0
    alone = capsys.readouterr().out
    assert "FA-D" not in alone
    assert main(["check", str(tmp_path), "--fail-on", "error"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(alone) and "FA-D201" in out and "上年与本年" in out
    assert main(["check", str(tmp_path), "--format", "json", "--output", str(tmp_path / "out.json")]) == 0
    entries = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [e["file"] for e in entries] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert "cross" not in entries[0] and [f["code"] for f in entries[1]["cross"] if f["severity"] == "error"] == ["FA-D201"]


# -- budget against actual from the two documents ----------------------------------------------------------
def test_budget_vs_actual_takes_the_budget_document(sample):
    """Per 项: the budget document's amount where it budgets the 项 (budget_source "budget_document"), else the
    final's own 年初预算 ("final"); the 三公 rows likewise."""
    from finaudit.budget import budget_vs_actual

    alone = budget_vs_actual(sample)
    item = alone[alone["source"] == "narrative"].iloc[0]
    plan = synthetic.generate_budget(1, sample.meta.year)
    plan.meta = replace(plan.meta, department=sample.meta.department, scope=sample.meta.scope)
    table = plan.tables["general_budget"]
    row = next(i for i, c in enumerate(table.values["code"]) if c and len(c) == 7)
    table.values["code"][row] = item["code"]
    table._frames.clear()
    dossier = of_reports([plan, sample])
    assert dossier.budget_document(sample) is plan
    both = dossier.budget_vs_actual(sample)
    assert set(alone["budget_source"]) == {"final"}
    mine = both[both["code"] == item["code"]].iloc[0]
    assert mine["budget_source"] == "budget_document" and mine["actual"] == item["actual"]
    assert mine["budget"] == (plan.tables["general_budget"].amount(row, "total") / 10000).quantize(mine["budget"])
    others = both[(both["source"] == "narrative") & (both["code"] != item["code"])]
    planned = {r["code"] for r in plan.tables["general_budget"].records() if r["level"] == 3}
    assert len(others) and "final" in set(others["budget_source"])
    assert all((s == "budget_document") is (c in planned) for c, s in zip(others["code"], others["budget_source"]))
    assert set(both[both["source"] == "three_public"]["budget_source"]) == {"budget_document"}


def test_panel_shows_both_documents_and_escapes_them():
    from finaudit.dossier import findings_frame, timeline
    from finaudit.views.dossier_panel import dossier_html

    department, unit, _ = synthetic.department_unit_set(8, inject=True)
    unit.meta = replace(unit.meta, unit_name="<script>x</script>")
    dossier = of_reports([department, unit])
    frame = findings_frame(dossier.cross())
    assert len(frame) == 1 and frame.iloc[0]["first_at"] and frame.iloc[0]["second_at"]
    assert list(timeline(dossier)["scope"]) == ["部门", "单位"]
    page = dossier_html(dossier)
    assert "<script>x" not in page and "&lt;script&gt;" in page and "FA-D101" in page
    assert "Across documents" in dossier_html(dossier, lang="en")


def test_finals_year_on_year_from_the_narrative_changes(sample):
    """A 决算's "比2016年减少Z万元" against the 2016 决算's cell: a copy of the 2017 report posing as 2016 differs
    wherever a change is stated (not 0); setting the 2016 三公 total to 2017's − change removes that finding."""
    import copy

    earlier = copy.deepcopy(sample)
    earlier.meta = replace(earlier.meta, year=sample.meta.year - 1, source="earlier.txt")
    def three_public_total():
        return [f for f in of_reports([earlier, sample]).cross()
                if f.code == "FA-D201" and any(c.kind == "three_public" and c.row_index == 0 for c in f.cells)]
    found = three_public_total()
    assert len(found) == 1 and "492.04" in found[0].message_zh  # 149.84 + 342.20
    table = earlier.tables["three_public"]
    table.values["actual"][table.values["key"].index("total")] = 49204
    table._frames.clear()
    assert three_public_total() == []


@pytest.mark.parametrize("one_unit, notes", [(False, ["FA-D102"]), (True, [])])
def test_a_department_with_subordinate_units_equal_to_one_unit_is_a_note(one_unit, notes):
    department, unit, _ = synthetic.department_unit_set(9, one_unit=one_unit)
    assert [f.code for f in of_reports([department, unit]).cross()] == notes
    department, unit, _ = synthetic.department_unit_set(9, one_unit=one_unit)
    table = department.tables["general_budget"]  # the department holds more than the unit: no note
    synthetic._set_cell(table, "", "total", 100, code=next(c for c in table.values["code"] if c and len(c) == 7))
    assert [f.code for f in of_reports([department, unit]).cross() if f.severity == "info"] == []


# -- the dossier dashboard ---------------------------------------------------------------------------------
def test_three_public_over_the_years_takes_the_budget_document_and_keeps_blanks():
    """Per year: 预算数 from the 预算 document (the 部门 one before a 单位 one), else the 决算's; 决算数 from the 决算;
    a year without a 三公 figure is blank, not 0."""
    from finaudit.budget import three_public_over_years

    plan, final, _ = synthetic.budget_final_pair(3)
    earlier = synthetic.generate_budget(3, 2023)
    earlier.tables.pop("three_public")
    department, unit, _ = synthetic.department_unit_set(3, year=2025)
    unit.tables["three_public"].values["budget"][0] += 10_000_000  # a unit's figure never replaces its department's
    unit.tables["three_public"]._frames.clear()
    frame = three_public_over_years([unit, earlier, final, plan, department])
    assert list(frame["year"]) == [2023, 2024, 2025]
    wan = lambda table, key, column: table.amount(table.values["key"].index(key), column)
    first, second, third = frame.to_dict("records")
    assert first["budget"] is None and first["actual"] is None
    assert second["budget"] == wan(plan.tables["three_public"], "total", "budget") and \
        second["budget_file"] == plan.meta.source
    assert second["actual"] == wan(final.tables["three_public"], "total", "actual") and second["actual_file"] == final.meta.source
    assert third["budget_file"] == department.meta.source and third["actual"] is None


@pytest.mark.parametrize("query, refused, accepted", [
    ("", None, "samples"),
    ("folder=/etc", "outside", None),
    ("folder=sample_data/../../../etc", "outside", None),
    ("folder=sample_data%00/x", "outside", None),
    ("folder=sample_data", None, "samples"),
    ("folder=sample_data/no-such-folder", "missing", None),
    ("folder={extra}", None, "extra"),
    ("folder={extra}/..", "outside", None),
])
def test_a_folder_from_the_query_string_must_lie_inside_the_allowed_ones(query, refused, accepted, tmp_path, monkeypatch):
    from finaudit.views.dossier_panel import requested
    from finaudit.views.loading import sample_dir

    extra = tmp_path / "reports"
    extra.mkdir()
    monkeypatch.setenv("FINAUDIT_FOLDERS", str(extra))
    monkeypatch.delenv("FINAUDIT_SAMPLES", raising=False)
    request = requested(query.format(extra=extra) + "&department=%3Cb%3E", folder="ignored-when-asked",
                        department="param")
    assert request.refused == refused and request.department == "<b>"
    expected = {"samples": sample_dir().resolve(), "extra": extra.resolve(), None: None}[accepted]
    if query:
        assert request.folder == expected
    else:
        assert request.folder == __import__("pathlib").Path("ignored-when-asked")


def test_the_notebook_parameters_apply_without_a_query_string(monkeypatch):
    from pathlib import Path

    from finaudit.views.dossier_panel import requested

    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert requested(None, "../sample_data", "某部门") == requested("", "../sample_data", "某部门")
    request = requested("", "../sample_data", "某部门")
    assert (request.folder, request.department, request.refused) == (Path("../sample_data"), "某部门", None)


def test_board_picks_a_department_and_escapes_what_documents_say(tmp_path):
    """A folder of two departments: the picker lists both; picking changes the timeline; the cross-document
    finding is in the grid's frame with both documents; hostile text is escaped in the charts and the grid."""
    from finaudit.views.dossier_panel import DossierBoard, Request, budget_rows, findings_rows, timeline_figure

    earlier, later, _ = synthetic.year_pair(8, inject=True)
    other, final = synthetic.generate_budget(6, 2016), synthetic.generate(6, 2017)
    final.meta = replace(final.meta, department=other.meta.department)
    for report, name in ((earlier, "a.txt"), (later, "b.txt"), (other, "c.txt"), (final, "d.txt")):
        (tmp_path / name).write_text(render_text(report), encoding="utf-8")
    board = DossierBoard(Request(tmp_path, department=f" {later.meta.department} "))
    assert len(board.names) == 2 and board.department == department_key(later)
    assert list(board.figures["timeline"].data[0].x) == [2024, 2025]
    _, found = board.part()
    assert [f.code for f in found if f.severity == "error"] == ["FA-D201"]
    rows = findings_rows(findings_frame(found))
    assert rows.iloc[0]["文件一"].startswith("2024年部门预算") and rows.iloc[0]["文件二"].startswith("2025年部门预算")
    board.picker.value = department_key(final)
    assert set(board.figures["timeline"].data[0].y) == {"预算·部门", "决算·部门"}
    assert len(board.figures["three_public"].data[0].y) == 2  # 2016 预算, 2017 决算
    assert len(budget_rows(board.part()[0])) > 0
    board.set_lang("en")
    assert set(board.figures["timeline"].data[0].y) == {"Budget · department", "Final · department"}
    assert board.match("<script>") is None  # an unknown name: none (the board says so), not another department
    hostile = timeline(of_reports([later])).assign(file="<img src=x onerror=alert(1)>.txt")
    hover = timeline_figure(hostile).data[0].hovertext[0]
    assert "<img" not in hover and "&lt;img" in hover
    frame = findings_frame(found).assign(message="<b>x</b>")
    assert findings_rows(frame).iloc[0]["说明"] == "&lt;b&gt;x&lt;/b&gt;"


def test_a_crashing_cross_rule_is_its_outcome_and_the_pair_keeps_its_other_findings(monkeypatch):
    """One runner for single and pair rules: a FA-D rule that raises is an ``error`` outcome naming the rule and
    the pair; the other rules of that pair still report (an injected FA-D101 error here)."""
    department, unit, _ = synthetic.department_unit_set(5, one_unit=True, inject=True)
    rule = CROSS_REGISTRY["FA-D102"]

    def broken(check):
        raise RuntimeError("boom")

    monkeypatch.setitem(CROSS_REGISTRY, "FA-D102", replace(rule, function=broken))
    result = of_reports([department, unit]).result()
    [pair] = result.pairs
    assert {code: o.status for code, o in pair.outcomes.items()} == {
        code: "error" if code == "FA-D102" else pair.outcomes[code].status
        for code, r in CROSS_REGISTRY.items() if r.relation == "department_unit"}
    assert pair.outcomes["FA-D101"].status == "fail" and [f.code for f in result.findings if f.severity == "error"] == ["FA-D101"]
    [(where, reason)] = result.crashed.items()
    assert where.startswith("FA-D102 on department_unit: ") and reason == "RuntimeError: boom"


def test_the_dossier_result_is_computed_once(monkeypatch):
    from finaudit import dossier as dossier_module

    first, second, _ = synthetic.year_pair(3)
    found = of_reports([first, second])
    calls = []
    real = dossier_module.run_pair
    monkeypatch.setattr(dossier_module, "run_pair", lambda *a, **k: calls.append(1) or real(*a, **k))
    found.cross(), found.summary(), found.crashed, found.result()
    assert len(calls) == 1
    assert found.result().manifest.parameters["documents"] == sorted([first.meta.source or "", second.meta.source or ""])


def test_an_unknown_department_is_said_and_the_known_ones_offered(tmp_path):
    """``?department=`` naming no department of the folder: the board shows none of them, says so (escaped) and
    lists the ones it has; picking one shows it."""
    from finaudit.views.dossier_panel import DossierBoard, Request

    earlier, later, _ = synthetic.year_pair(8)
    other = synthetic.generate_budget(6, 2016)
    for report, name in ((earlier, "a.txt"), (later, "b.txt"), (other, "c.txt")):
        (tmp_path / name).write_text(render_text(report), encoding="utf-8")
    board = DossierBoard(Request(tmp_path, department="<b>不存在的部门</b>"))
    assert board.department is None and board.content.layout.display == "none" and not board.figures
    message = board.message.value
    assert "本文件夹中没有该部门" in message and "&lt;b&gt;不存在的部门&lt;/b&gt;" in message and "<b>" not in message
    assert all(html.escape(name) in message for name in board.names.values()) and len(board.names) == 2
    board.set_lang("en")
    assert "No such department in the folder" in board.message.value
    board.picker.value = department_key(other)
    assert board.content.layout.display is None and "timeline" in board.figures
    assert "No such department" not in board.message.value
    assert DossierBoard(Request(tmp_path)).department is not None  # nothing asked: the first department


def test_a_gap_year_is_said_not_compared(tmp_path):
    """A 2023 and a 2025 budget of one department: no year-on-year pair, and the board says why."""
    from finaudit.views.dossier_panel import DossierBoard, Request

    first, third = synthetic.generate_budget(4, 2023), synthetic.generate_budget(4, 2025)
    dossier = of_reports([first, third])
    assert dossier.pairs() == []
    assert [(g.kind, g.scope, g.earlier, g.later) for g in dossier.gaps()] == [("budget", "department", 2023, 2025)]
    assert "not compared, years apart: 1" in dossier.summary()
    for report, name in ((first, "a.txt"), (third, "b.txt")):
        (tmp_path / name).write_text(render_text(report), encoding="utf-8")
    board = DossierBoard(Request(tmp_path, department=first.meta.department))
    assert "2023年与2025年的预算·部门之间缺少年度" in board.findings_note.value
    board.set_lang("en")
    assert "2023 and 2025 Budget · department: a year is missing" in board.findings_note.value
    assert "；" not in board.findings_note.value  # no full-width punctuation on the English board


def test_budget_against_actual_from_both_documents_tables():
    """A final whose narrative quotes no 年初预算 (西南大学's states only 决算数): each 项 both documents' function tables
    print is held against the budget document, 完成率 recomputed."""
    budget_document, final, _ = synthetic.budget_final_pair(3)
    final.narrative = []
    frame = of_reports([budget_document, final]).budget_vs_actual(final)
    rows = frame[frame["source"] == "tables"]
    assert len(rows) and set(rows["budget_source"]) == {"budget_document"}
    from decimal import ROUND_HALF_UP, Decimal

    from finaudit.budget import rate

    planned = budget_document.tables["general_budget"]
    assert planned.unit == "元"
    for row in rows.itertuples():
        printed = planned.amount(planned.values["code"].index(row.code), "total")
        assert row.budget == (printed / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert row.rate == rate(row.actual, row.budget)

"""Kernel-side tests of the dashboard: the frames behind the charts and the panels' behaviour (data, not pixels)."""

import subprocess
import sys
from decimal import Decimal

import pytest

pytest.importorskip("plotly")
pytest.importorskip("ipywidgets")

from conftest import ROOT, SAMPLE  # noqa: E402

from finaudit.audit import audit  # noqa: E402
from finaudit.audit import findings_by_rule  # noqa: E402
from finaudit import workbook  # noqa: E402
from finaudit.views import budget_panel, charts, dashboard, drilldown, findings_panel, loading, markup  # noqa: E402

D = Decimal


@pytest.fixture(scope="module")
def loaded():
    return loading.load_report(SAMPLE)


def test_import_finaudit_pulls_in_no_dashboard_stack():
    code = ("import sys, finaudit, finaudit.audit; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('plotly', 'ipywidgets', 'anywidget', 'jupyter_client', "
            "'ipykernel', 'voila', ) or m.startswith('finaudit.views')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_spending_tree_follows_the_codes_of_table_3(loaded):
    tree = charts.spending_tree(loaded.report).set_index("id")
    assert tree.at["root", "total"] == D("1405.61") and tree.at["root", "source"] == "expenditure"
    assert tree.at["201", "parent"] == "root" and tree.at["20103", "parent"] == "201"
    assert tree.at["2010301", "parent"] == "20103" and tree.at["2010301", "total"] == D("675.92")
    assert tree.at["2010301", "project"] is None  # blank stays blank
    assert set(tree[tree["parent"] == "root"].index) == {"201", "208", "210", "212", "221"}
    # a parent is drawn at least as large as its children, so an inconsistent table still draws
    for node, row in tree.iterrows():
        kids = tree[tree["parent"] == node]["size"]
        assert row["size"] >= sum(kids, D(0))
    assert tree.at["root", "size"] == D("1405.62")  # Σ 类 (1405.62) > printed 合计 (1405.61)


def test_spending_tree_falls_back_to_table_5(loaded):
    import copy

    report = copy.copy(loaded.report)
    report.tables = {k: t for k, t in loaded.report.tables.items() if k != "expenditure"}
    tree = charts.spending_tree(report)
    assert tree["source"].iloc[0] == "general_budget"
    assert tree.set_index("id").at["root", "total"] == D("1295.76")
    # the treemap names the table it drew, in each language (the Chinese title had failed on a missing field)
    assert charts.treemap_figure(tree, "zh").layout.title.text.endswith("（表五）")
    assert charts.treemap_figure(tree, "en").layout.title.text.endswith("(Table 5)")


def test_node_detail_gathers_children_income_share_budget_and_findings(loaded):
    detail = charts.node_detail(loaded.report, loaded.result, "20103", budget=loaded.budget)
    assert detail.path == ["root", "201", "20103"]
    assert list(detail.children["code"]) == ["2010301", "2010302", "2010306", "2010307", "2010399"]
    assert dict(zip(detail.income["column"], detail.income["amount"])) == {
        "total": D("1176.63"), "fiscal": D("1176.56"), "other": D("0.07")}
    assert detail.fiscal == {"general": D("1089.00"), "all": D("1091.52"), "share": D("99.77")}
    assert set(detail.findings["code"]) >= {"FA-T001", "FA-T004"}
    assert all("20103" in location for location in detail.findings["location"])
    item = charts.node_detail(loaded.report, loaded.result, "2010301", budget=loaded.budget)
    assert list(item.budget["budget"]) == [D("512.70")] and list(item.budget["actual"]) == [D("675.92")]
    root = charts.node_detail(loaded.report, loaded.result, "no-such-node")
    assert root.node == "root" and root.code is None and len(root.children) == 5


def test_headline_figures(loaded):
    figures = dict(zip(*charts.headline(loaded.report, loaded.result)[["key", "value"]].T.values))
    assert figures["income_total"] == D("1480.73") and figures["expenditure_total"] == D("1405.61")
    assert figures["basic"] == D("888.41") and figures["project"] == D("517.21")
    assert figures["three_public_budget"] == D("463.90") and figures["three_public_actual"] == D("149.84")
    assert {k: figures[k] for k in ("error", "warning", "info")} == loaded.result.counts


def test_three_public_frame_joins_table_7_and_the_narrative(loaded):
    frame = charts.three_public_frame(loaded.report, loaded.three_public)
    assert frame.at["reception", "budget"] == D("450.30") and frame.at["reception", "actual"] == D("122.12")
    assert frame.at["abroad", "budget"] is None  # blank, not zero
    assert frame.at["reception", "rate"] == D("27.12")  # two places, as finaudit.budget.rate
    # composition of the actual: abroad 3.50, vehicle running 24.22, reception 122.12 (purchase blank)
    assert frame.at["reception", "share"] == D("81.50") and frame.at["abroad", "share"] == D("2.34")
    assert frame.at["total", "prior"] == D("492.04") and frame.at["reception", "visitors"] == 13000


def test_budget_items_flag_and_labels(loaded):
    from finaudit import budget

    items = charts.budget_items_frame(budget.flag(loaded.budget), "zh").set_index("item")
    assert items.at["2010301 行政运行", "flagged"] and not items.at["2010307 法制建设", "flagged"]
    assert items.at["2010301 行政运行", "rate_f"] == pytest.approx(131.84)
    assert charts.rate_differs(D("31.73"), D("32.30")) and not charts.rate_differs(D("50.33"), D("50.34"))
    assert charts.short_name("一般公共服务（类）政府办公厅(室)及相关机构事务（款）行政运行（项）") == "行政运行"


def test_findings_filters_and_marked_cells(loaded):
    result = loaded.result
    errors = charts.findings_frame(result, severity="error")
    assert len(errors) == result.counts["error"] and set(errors["severity"]) == {"error"}
    table5 = charts.findings_frame(result, table=5, rule="FA-T001")
    assert len(table5) and set(table5["table"]) == {5} and set(table5["code"]) == {"FA-T001"}
    cells = charts.finding_cells(result, int(table5.index[0]))
    assert set(cells["kind"]) == {"general_budget"} and cells["line"].notna().all()
    marks = charts.marked_cells(result)
    first = result.findings[int(table5.index[0])].cells[0]
    assert int(table5.index[0]) in marks[(first.kind, first.row_index, first.column)]
    summary = findings_by_rule(result).set_index("code")
    assert summary.at["", "total"] == len(result.findings) and summary.at["FA-X005", "error"] == 7
    assert summary.at["FA-X005", "rule"] and summary.at["FA-X005", "rule_en"]


def test_figures_are_plain_figures_with_data(loaded):
    import plotly.graph_objects as go

    tree = charts.spending_tree(loaded.report)
    treemap = charts.treemap_figure(tree)
    assert type(treemap) is go.Figure and list(treemap.data[0].ids) == list(tree["id"])
    headline = charts.headline_figure(charts.headline(loaded.report, loaded.result), "en")
    assert [t.type for t in headline.data] == ["bar", "pie", "bar", "bar"]
    tp = charts.three_public_figure(charts.three_public_frame(loaded.report), "zh")
    assert tp.data[0].name == "预算数" and list(tp.data[1].y) == [3.5, 0, 24.22, 122.12]
    assert tp.data[1].text[1] == "空白"  # a blank is drawn at 0 and says so


def test_glossary_tooltips_escape_and_match_quoted_terms(loaded):
    text = markup.glossify("“三公”经费 and 基本支出 <b>", loaded.report.glossary)
    assert 'class="fau-term"' in text and "&lt;b&gt;" in text
    assert text.count("fau-term") == 2


def test_table_html_marks_and_highlights(loaded):
    table = loaded.report.tables["general_budget"]
    marks = charts.marked_cells(loaded.result)
    page = markup.table_html(table, marks, {(2, "total")}, findings=loaded.result.findings)
    assert "fau-hl" in page and "fau-marked" in page and "FA-T001" in page


def test_drilldown_click_breadcrumb_and_detail(loaded):
    panel = drilldown.DrillDown(loaded)
    assert panel.figure is not None and list(panel.figure.data[0].ids)[0] == "root"
    panel.click("201")
    assert panel.selected == "201" and panel.view == "201" and 'data-node="201"' in panel.detail.value
    panel.click("20103")
    panel.click("2010301")  # a leaf: selected, the view stays on its parent
    assert (panel.selected, panel.view) == ("2010301", "20103")
    visible = [b.description for b in panel.crumb_buttons if b.layout.display != "none"]
    assert visible == ["合计", "201 一般公共服务支出", "20103 政府办公厅（室）及相关机构事务", "2010301 行政运行"]
    panel.click("20103")  # clicking the current top goes up, as plotly.js does
    assert (panel.selected, panel.view) == ("201", "201")
    panel.crumb_buttons[0].click()
    assert (panel.selected, panel.figure.data[0].level) == ("root", "root")


def test_budget_panel_threshold_slider(loaded):
    panel = budget_panel.BudgetPanel(loaded)
    assert panel.flagged()["flagged"].sum() == 12
    panel.slider.value = (0.0, 300.0)
    flagged = panel.flagged()
    assert set(flagged[flagged["flagged"]]["code"].dropna()) == {"2080501", "2101103", "2120804"}
    cells = " ".join(map(str, panel.grid.df.values.ravel()))
    assert "正常的调资" not in cells  # reasons shown for flagged items only
    panel.slider.value = (80.0, 120.0)
    cells = " ".join(map(str, panel.grid.df.values.ravel()))
    assert "正常的调资和上年的绩效奖励" in cells and "≠" in cells and "131.84%" in cells


def test_findings_panel_filters_and_orders_errors_first(loaded):
    panel = findings_panel.FindingsPanel(loaded)
    assert [panel.severity.value, panel.table.value, panel.rule.value, panel.status.value] == ["*"] * 4
    assert panel.severity.options[0] == ("全部", "*")  # shown as 全部, not an empty box
    result = loaded.result
    assert len(panel.numbers) == len(result.findings) and len(panel.grid.df) == len(result.findings)
    severities = [result.findings[n].severity for n in panel.numbers]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert panel.current == panel.numbers[0] and result.findings[panel.current].severity == "error"
    panel.severity.value = "warning"
    assert len(panel.numbers) == result.counts["warning"]
    panel.rule.value = "FA-X005"  # no warnings of that rule
    assert panel.numbers == [] and "没有" in panel.detail.value
    panel.severity.value = "*"
    assert len(panel.numbers) == 7 and "fau-hl" in panel.detail.value
    panel.grid.selected_rows = [3]  # a click on the fourth row
    assert panel.current == panel.numbers[3] and f'data-finding="{panel.numbers[3]}"' in panel.detail.value


def test_findings_grid_is_escaped_and_english_is_whole(loaded):
    panel = findings_panel.FindingsPanel(loaded, "en")
    frame = panel.grid.df
    assert list(frame.columns) == ["Severity", "Rule", "Table", "Location", "Message", "Review status", "Source"]
    long = max(frame["Message"], key=len)
    assert len(long) > 80 and not long.endswith("…")  # never cut in the middle of a number
    assert not any("表" in v or "列" in v for v in frame["Table"]) and "Table 5" in set(frame["Table"])
    assert not any("<" in text for text in frame["Message"])  # escaped


def test_review_in_the_workbook_panel_goes_to_the_ledger(tmp_path):
    import shutil

    from finaudit.ledger import Ledger

    copy = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, copy)
    fresh = loading.load_report(copy)
    panel = findings_panel.FindingsPanel(fresh, editable=True)
    key = fresh.result.findings[panel.current].key
    panel.review_status.value = "excluded"
    panel.save()  # no reason: refused, nothing written
    assert "fau-msg-error" in panel.review_message.value and not Ledger.beside(copy).path.exists()
    panel.review_reason.value, panel.review_note.value = "口径差异", "与财政局核对"
    panel.save()
    assert "fau-msg-ok" in panel.review_message.value
    assert Ledger.beside(copy).get(key).reason == "口径差异"
    assert "排除" in panel.grid.df.iloc[0]["复核状态"]
    board = dashboard.Dashboard(fresh)  # the dashboard shows it, read-only
    findings = board.panels[3]
    assert not findings.editable and "排除" in findings.detail.value and "口径差异" in findings.detail.value


def test_language_switch_and_report_picker(loaded, tmp_path):
    board = dashboard.Dashboard(loaded)
    assert board.tabs.titles[0] == "支出钻取"
    board.set_lang("en")
    assert board.tabs.titles == ("Drill-down", "Budget vs actual", "Three public expenses", "Findings", "Tables")
    assert "Income this year" in board.cards.value
    picker = board.picker
    picker._uploaded({"new": ({"name": "bad.txt", "content": memoryview("这不是报告".encode())},)})
    assert "fau-msg-error" in picker.message.value and "bad.txt: not a readable report: expected" in picker.message.value
    assert board.loaded is loaded  # the previous report stays
    picker._uploaded({"new": ({"name": "x.docx", "content": memoryview(b"PK")},)})
    assert ".txt" in picker.message.value and board.loaded is loaded
    picker._uploaded({"new": ({"name": "big.txt", "content": memoryview(b"x" * (loading.MAX_UPLOAD_BYTES + 1))},)})
    assert "MB" in picker.message.value and board.loaded is loaded
    picker._uploaded({"new": ({"name": "good report.txt", "content": memoryview(SAMPLE.read_bytes())},)})
    assert board.loaded.name == "good_report.txt" and "fau-msg-ok" in picker.message.value
    assert picker.dropdown.value == "good_report.txt"


def test_a_document_without_tables_is_shown_not_a_crash(loaded):
    """A 情况说明 uploaded alone (北京's 附件1; its tables are another file) loads with the tables it lacks named: the
    dashboard shows it, the spending drill-down saying it has no data instead of failing on an empty tree."""
    path = next((ROOT / "sample_data" / "families").glob("北京__审计局_附件1*"))
    board = dashboard.Dashboard(loaded)
    board.picker._uploaded({"new": ({"name": path.name, "content": memoryview(path.read_bytes())},)})
    assert "fau-msg-ok" in board.picker.message.value and not board.loaded.report.tables
    assert board.drilldown.details.amounts["total"] is None and not len(board.drilldown.details.children)
    figure = charts.treemap_figure(board.drilldown.tree)
    assert [a.text for a in figure.layout.annotations] == ["无数据"]
    board.set_lang("en")  # redrawn in English without the tree either


def test_a_report_a_panel_fails_to_draw_leaves_the_previous_one(loaded, monkeypatch):
    """An upload that loads but that a panel fails to draw (a layout nobody foresaw): the page keeps showing the
    previous report in every panel, the picker chooses it again and says why; the next good upload shows."""
    board = dashboard.Dashboard(loaded)
    budget = board.panels[1]
    drawn = budget.set_report

    def fails_on_the_upload(report):
        if report.name == "odd.txt":
            raise KeyError("root")
        drawn(report)

    monkeypatch.setattr(budget, "set_report", fails_on_the_upload)
    before = board.picker.dropdown.value
    board.picker._uploaded({"new": ({"name": "odd.txt", "content": memoryview(SAMPLE.read_bytes())},)})
    assert board.loaded is loaded and all(panel.loaded is loaded for panel in board.panels)
    assert board.picker.dropdown.value == before and "odd.txt" not in board.picker.dropdown.options
    assert "fau-msg-error" in board.picker.message.value and "KeyError" in board.picker.message.value
    board.picker._uploaded({"new": ({"name": "good.txt", "content": memoryview(SAMPLE.read_bytes())},)})
    assert board.loaded.name == "good.txt" and "fau-msg-ok" in board.picker.message.value


def test_an_upload_replaced_by_the_next_is_released(loaded):
    """A page keeps its latest upload, not every one (issue 27: twelve 4 MB uploads took a kernel from 273 to
    478 MB): the replaced report is gone from the picker and from memory."""
    import gc
    import weakref

    board = dashboard.Dashboard(loaded)
    picker = board.picker
    picker._uploaded({"new": ({"name": "first.txt", "content": memoryview(SAMPLE.read_bytes())},)})
    first = weakref.ref(board.loaded)
    picker._uploaded({"new": ({"name": "second.txt", "content": memoryview(SAMPLE.read_bytes())},)})
    assert list(picker.uploaded) == ["second.txt"] and board.loaded.name == "second.txt"
    assert "first.txt" not in picker.dropdown.options and "second.txt" in picker.dropdown.options
    gc.collect()
    assert first() is None


def test_requested_report_accepts_only_bundled_samples():
    assert loading.requested_report("report=shanghai-putuo-finance-bureau-2024-final.pdf").endswith(".pdf")
    assert loading.requested_report("report=../../etc/passwd") == loading.DEFAULT_REPORT
    assert loading.requested_report("") == loading.DEFAULT_REPORT
    assert set(loading.sample_reports()) == {p.name for p in (ROOT / "sample_data").iterdir() if p.suffix in (".txt", ".pdf")}


def test_workbook_steps(loaded, tmp_path, monkeypatch):
    message = workbook.export_workpaper(loaded, tmp_path / "wp.xlsx")
    assert (tmp_path / "wp.xlsx").exists() and "wrote" in message
    monkeypatch.setenv("FINAUDIT_OUT", str(tmp_path / "out"))
    assert "liujiang-govt-office-2017-final-workpaper.xlsx" in workbook.export_workpaper(loaded)
    assert (tmp_path / "out" / "liujiang-govt-office-2017-final-workpaper.xlsx").exists()
    monkeypatch.delenv("FINAUDIT_OUT")
    assert loading.out_dir() == ROOT / "out"  # inside the project, whatever the cwd


def test_audit_of_the_loaded_report_is_the_cli_audit(loaded):
    assert audit(loaded.report).by_code() == loaded.result.by_code()


@pytest.mark.parametrize("rates, limit_at_most", [
    ([95.0, 110.0, 131.84, 7169.0], 300),  # one outlier does not stretch the axis
    ([50.0, 90.0, 100.0], 160),
])
def test_rate_axis_keeps_the_band_readable(rates, limit_at_most):
    import pandas as pd

    limit = charts.rate_axis_limit(rates, 80, 120)
    assert 120 < limit <= limit_at_most
    items = pd.DataFrame({"item": [f"项{i}" for i in range(len(rates))], "budget_f": 1.0, "actual_f": 1.0,
                          "rate_f": rates, "stated_rate_f": None, "flagged": [r > 120 for r in rates]})
    figure = charts.budget_actual_figure(items, lang="en")
    rate_bars = next(t for t in figure.data if t.type == "bar" and t.xaxis == "x2" and t.text)
    assert list(figure.layout.xaxis2.range) == [0, limit] and max(x for x in rate_bars.x if x) <= limit
    if max(rates) > limit:
        assert any(t.endswith("▶") and "7,169.00%" in t for t in rate_bars.text)
    names = {t.name for t in figure.data if t.showlegend is not False}
    assert {"Budget", "Actual (within threshold)", "Actual (outside threshold)", "Threshold 80%–120%"} <= names
    assert figure.layout.xaxis.title.text == "10k yuan" and figure.layout.xaxis2.ticksuffix == "%"


def test_treemap_sizes_to_its_container_and_hides_tiny_text(loaded):
    figure = charts.treemap_figure(charts.spending_tree(loaded.report), "en", "万元")
    assert figure.layout.width is None and figure.layout.autosize
    assert figure.layout.uniformtext.mode == "hide" and figure.layout.uniformtext.minsize >= 10
    assert figure.layout.title.text.endswith("(10k yuan)") and "（" not in figure.layout.title.text


def test_three_public_donut_and_unit_costs(loaded):
    from finaudit.views.three_public import ThreePublicPanel

    figure = charts.three_public_figure(charts.three_public_frame(loaded.report, loaded.three_public), "zh")
    donut = next(t for t in figure.data if t.type == "pie")
    assert donut.textposition == "inside" and list(donut.marker.colors)[0] in charts.PART_COLOURS.values()
    panel = ThreePublicPanel(loaded)
    assert "27.12%" in panel.table.value and "93.94" in panel.table.value and "每人次（元）" in panel.table.value


def test_tables_grid_names_pages_for_pdf_reports():
    from finaudit.views.tables_panel import TablesPanel

    pdf = loading.load_report(ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf")
    panel = TablesPanel(pdf, "en")
    assert list(panel.grid.df.columns)[-1] == "Page" and list(panel.grid.df.columns)[:2] == ["Code", "Item"]
    text = TablesPanel(loading.load_report(SAMPLE))
    assert list(text.grid.df.columns)[-1] == "行"
    marked = [v for v in text.grid.df.values.ravel() if "fau-marked" in str(v)]
    assert marked and all('title="FA-' in v for v in marked)


def test_english_labels_and_language_switch_keeps_the_drilldown(loaded):
    board = dashboard.Dashboard(loaded)
    board.drilldown.click("201")
    board.drilldown.click("20103")
    board.set_lang("en")
    assert (board.drilldown.selected, board.drilldown.view) == ("20103", "20103")
    assert board.drilldown.figure.data[0].level == "20103"
    assert "Table 1" in board.cards.value and "10k yuan" in board.cards.value and "表" not in board.cards.value
    assert "fau-upload-en" in board.picker.upload._dom_classes and board.picker.upload.description == ""
    board.set_lang("zh")
    assert "fau-upload-zh" in board.picker.upload._dom_classes and "fau-upload-en" not in board.picker.upload._dom_classes


@pytest.fixture(scope="module")
def budget_document():
    return loading.load_report(ROOT / "sample_data" / "shanghai-putuo-wanli-street-2025-dept-budget.pdf")


@pytest.mark.parametrize("lang, budget_bar, composition", [("zh", "预算数", "“三公”经费预算构成"),
                                                           ("en", "Budget", "Composition of the budget")])
def test_a_budget_documents_three_public_charts_show_the_budget_only(budget_document, lang, budget_bar, composition):
    """A budget has no actual: no empty 决算数 bar, the donut composes the budget, the table has no 决算数."""
    from finaudit.views.three_public import ThreePublicPanel

    frame = charts.three_public_frame(budget_document.report, budget_document.three_public)
    figure = charts.three_public_figure(frame, lang)
    assert charts.unit_label("万元", lang) in figure.layout.annotations[0].text  # the 三公 table's unit, not the 元 of 表1
    bars = [t for t in figure.data if t.type == "bar"]
    assert [t.name for t in bars] == [budget_bar]
    pie = next(t for t in figure.data if t.type == "pie")
    assert pie.name == composition and sum(pie.values) == pytest.approx(37.91)
    headline = charts.headline_figure(charts.headline(budget_document.report, budget_document.result), lang)
    assert [list(t.x) for t in headline.data if t.type == "bar"][1] == [budget_bar]
    table = ThreePublicPanel(budget_document, lang).table.value
    assert budget_bar in table and charts.tr("actual", lang) not in table and charts.tr("rate", lang) not in table


def test_a_budget_document_has_no_budget_against_actual_chart(budget_document):
    panel = budget_panel.BudgetPanel(budget_document, "zh")
    assert "尚无决算数" in panel.table.value and "budget" not in panel.figures
    assert panel.slider.layout.display == panel.grid.layout.display == "none"
    assert "no actual figures" in budget_panel.BudgetPanel(budget_document, "en").table.value


@pytest.mark.parametrize("lang, figure, other", [("zh", "预算数", "决算数"), ("en", "Budget", "Actual")])
def test_a_budget_is_shown_as_a_budget_in_the_drilldown_and_the_tables(lang, figure, other):
    """A budget's drill-down heads its income table 预算数 (not 决算数); its 三公 table, printing 预算数 alone, is
    shown without an empty 决算数 column."""
    from finaudit.views.tables_panel import TablesPanel

    plan = loading.load_report(ROOT / "sample_data" / "shanghai-putuo-wanli-street-2024-dept-budget.pdf")
    detail = drilldown.DrillDown(plan, lang).detail.value
    income = detail[detail.index(charts.tr("income_sources", lang)):]
    income = income[:income.index("</table>")]
    assert f">{figure}<" in income and f">{other}<" not in income
    panel = TablesPanel(plan, lang)
    panel.choice.value = "three_public"
    columns = list(panel.grid.df.columns)
    assert figure in columns and other not in columns
    final = TablesPanel(loading.load_report(SAMPLE), lang)
    final.choice.value = "three_public"
    assert {figure, other} <= set(final.grid.df.columns)  # a final prints both


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_headline_donut_keeps_its_labels_inside(loaded, lang):
    """Labels outside the ring were drawn over the next chart and the title at 1024 px: inside, a sliver shows
    its share only (its name is in the hover)."""
    figure = charts.headline_figure(charts.headline(loaded.report, loaded.result), lang)
    pie = next(t for t in figure.data if t.type == "pie")
    assert pie.textposition == "inside" and list(pie.texttemplate) == ["%{label}<br>%{percent}"] * 2
    sliver = charts.headline_figure(charts.headline(loaded.report, loaded.result).assign(
        value=lambda f: [D("1") if k == "project" else v for k, v in zip(f["key"], f["value"])]), lang)
    assert list(next(t for t in sliver.data if t.type == "pie").texttemplate) == ["%{label}<br>%{percent}", "%{percent}"]


@pytest.mark.parametrize("lang, words", [("zh", "无发现"), ("en", "No findings")])
def test_no_findings_says_so_on_a_zero_axis(loaded, lang, words):
    """All counts zero: "无发现 / No findings" on a 0…1 axis, not plotly's −1…1."""
    figures = charts.headline(loaded.report, None)
    figure = charts.headline_figure(figures, lang)
    findings_axis = figure.layout.yaxis3  # the pie takes no axes: the fourth chart is on x3/y3
    assert list(findings_axis.range) == [0, 1] and findings_axis.rangemode == "tozero"
    assert [a.text for a in figure.layout.annotations if a.yref == "y3 domain"] == [words]
    with_findings = charts.headline_figure(charts.headline(loaded.report, loaded.result), lang)
    assert with_findings.layout.yaxis3.range is None and words not in [a.text for a in with_findings.layout.annotations]


def test_no_bar_has_an_array_colour_and_a_hatch(loaded):
    """plotly.js warns "Invalid color specifier" for each bar drawn with a pattern whose trace's colour is an
    array (18 warnings per load): hatched bars have one colour per trace; the outlier is still hatched."""
    from finaudit import budget

    figure = charts.budget_actual_figure(charts.budget_items_frame(budget.flag(loaded.budget)))
    bars = [t for t in figure.data if t.type == "bar"]
    hatched = [t for t in bars if t.marker.pattern.shape is not None and any(t.marker.pattern.shape)]
    assert hatched and all(isinstance(t.marker.color, str) for t in hatched)
    rates = [t for t in bars if t.xaxis == "x2" and t.x and any(v is not None for v in t.x)]
    assert sorted(v for t in rates for v in t.x if v is not None)[-1] == figure.layout.xaxis2.range[1]
    assert all(t.offset == -0.4 and t.width == 0.8 for t in rates)  # one full-width bar per row, not grouped


def test_grids_keep_their_headings_and_put_the_filters_in_the_footer():
    from finaudit.views import panel

    assert panel.grid_options("zh", rows=20)["column_filters"] == "footer"  # "header" replaces the headings
    assert panel.grid_options("zh", rows=3)["column_filters"] is False
    assert ".itables_anywidget tfoot {display: table-header-group;}" in markup.CSS


def test_three_public_unit_figures_are_a_second_table(loaded):
    from finaudit.views.three_public import ThreePublicPanel

    html = ThreePublicPanel(loaded, "en").table.value
    amounts, units = html.split("<h5>Counts and unit costs</h5>")
    assert "Completion rate" in amounts and "Per visitor" not in amounts and "Visitors" not in amounts
    assert "Per visitor (yuan)" in units and "93.94" in units and units.count("<tr>") == 5  # heading + 4 items

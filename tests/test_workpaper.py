"""The working paper: xlsx with cover, findings (errors first, with the review), marked table cells,
narrative claims, budget against actual and 三公; the same as one html page."""


import pytest

import finaudit
from conftest import ROOT
from finaudit.audit import audit
from finaudit.export.sections import claim_rows
from finaudit.export.workpaper import write_workpaper
from finaudit.findings import SEVERITY_RANK
from finaudit.ledger import Ledger


@pytest.fixture(scope="module")
def result(sample):
    return audit(sample)


@pytest.fixture(scope="module")
def book(sample, result, tmp_path_factory):
    from openpyxl import load_workbook

    directory = tmp_path_factory.mktemp("wp")
    ledger = Ledger(directory / "r.txt.review.json")
    first = result.findings[result.review_order(grouped=True)[0]]
    ledger.judge(first.key, "excluded", reason="印刷错误已更正", note="见更正公告")
    path = directory / "wp.xlsx"
    write_workpaper(sample, result, path, "xlsx", ledger=ledger)
    return load_workbook(path)


def rows(sheet, first=2):
    return list(sheet.iter_rows(min_row=first, values_only=True))


def test_sheets_and_cover(book, sample, result):
    names = book.sheetnames
    assert names[:2] == ["封面 cover", "审计发现 findings"]
    assert names[-3:] == ["情况说明 narrative", "预算与决算 budget", "三公经费 three public"]
    assert len(names) == 5 + len(sample.tables)
    cover = {row[0]: row[1] for row in book["封面 cover"].iter_rows(values_only=True)}
    assert cover["错误 errors"] == result.counts["error"] and cover["SHA-256 input"] == sample.meta.sha256


def test_findings_sheet_is_typed_filterable_ordered_and_reviewed(book, result):
    sheet = book["审计发现 findings"]
    heads = [c.value for c in sheet[1]]
    assert heads[:4] == ["严重程度 severity", "问题 problem", "规则 rule", "规则名称 rule name"]
    assert "复核状态 review status" in heads
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    body = rows(sheet)
    assert len(body) == len(result.findings)
    severities = [r[0].split()[1] for r in body if "." not in r[1]]  # the root causes, in review order
    assert [SEVERITY_RANK[s] for s in severities] == sorted(SEVERITY_RANK[s] for s in severities)  # errors first
    column = {h: i for i, h in enumerate(heads)}
    amounts = [r[column["实为 actual"]] for r in body if r[column["实为 actual"]] is not None]
    assert amounts and all(isinstance(v, (int, float)) for v in amounts)  # numbers, not text
    assert body[0][column["复核状态 review status"]] == "排除 excluded"
    assert body[0][column["排除理由 reason"]] == "印刷错误已更正" and body[0][column["备注 note"]] == "见更正公告"
    assert {r[column["复核状态 review status"]] for r in body[1:]} == {"待复核 pending"}


def test_table_sheets_mark_cells(book):
    sheet = next(book[n] for n in book.sheetnames if n.startswith("表六"))
    assert [c.value for c in sheet[2]][-1] == "行 line" and sheet.auto_filter.ref
    marked = [c for row in sheet.iter_rows() for c in row if c.comment is not None]
    assert any("FA-N001" in c.comment.text for c in marked)  # 人员经费 780.07 vs 888.41
    assert any("FA-T030" in c.comment.text for c in marked)
    assert all(c.fill.fgColor.rgb.endswith("FFD966") and isinstance(c.value, (int, float)) for c in marked)


def test_narrative_budget_and_three_public_sheets(book):
    narrative = rows(book["情况说明 narrative"])
    assert not any("link=" in str(v) or "places" in str(v) for r in narrative for v in r)  # no internal reprs
    assert any(r[6] and " / " in r[6] for r in narrative)  # the linked cell, named
    assert any("FA-N005 error" in (r[7] or "") for r in narrative)
    budget = rows(book["预算与决算 budget"])
    item = next(r for r in budget if r[1] == "2010301")
    assert (item[3], item[4], item[5], item[7]) == (512.7, 675.92, 131.84, "是 yes")
    three = {r[0]: r for r in rows(book["三公经费 three public"])}
    reception = three["公务接待费"]
    assert (reception[1], reception[2], reception[3], reception[10]) == (450.3, 122.12, 27.12, 13000)
    assert reception[14] == pytest.approx(93.94)  # per visitor, in 元


def test_pdf_tables_name_the_page_column(tmp_path):
    from openpyxl import load_workbook

    report = finaudit.load(ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf")
    path = tmp_path / "wp.xlsx"
    write_workpaper(report, audit(report), path)
    book = load_workbook(path)
    tables = [book[n] for n in book.sheetnames if n.startswith("表")]
    assert tables and all([c.value for c in sheet[2]][-1] == "页 page" for sheet in tables)


def test_html_working_paper_is_self_contained(sample, result, tmp_path):
    path = tmp_path / "wp.html"
    write_workpaper(sample, result, path, "html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "http" not in page and "<script" not in page
    assert "FA-N003" in page and "class='num mark'" in page and "情况说明 narrative" in page
    assert page.count("<table>") == 5 + len(sample.tables)


def test_claim_rows_carry_verdicts(sample, result):
    by_line = {}
    for row in claim_rows(sample, result):
        by_line.setdefault(row["line"], set()).add(row["verdict"])
    assert any("FA-N004 error" in v for v in by_line[1249])
    assert by_line[1257] == {"ok"}  # 机关运行经费 108.34 = 表六 公用经费合计; 12.73 / 95.61 = 13.31%


@pytest.fixture(scope="module")
def wanli_budget():
    report = finaudit.load(ROOT / "sample_data" / "shanghai-putuo-wanli-street-2024-dept-budget.pdf")
    return report, audit(report)


def test_a_budgets_sheets_carry_the_table_number_and_only_the_printed_columns(wanli_budget, tmp_path):
    """A budget prints no 表N: the sheets are named by the standard place (表2 …, never "表 2024年…"); its 三公
    table prints 预算数 alone, so no empty 决算数 column is added (xlsx and html)."""
    from openpyxl import load_workbook

    report, result = wanli_budget
    write_workpaper(report, result, tmp_path / "wp.xlsx")
    book = load_workbook(tmp_path / "wp.xlsx")
    tables = [n for n in book.sheetnames if n.startswith("表")]
    assert len(tables) == len(report.tables) and all(n[1] in "一二三四五六七八九十" for n in tables)
    assert "表二 2024年部门收入预算总表" in tables
    three = book[next(n for n in tables if "三公" in n)]
    heads = [c.value for c in three[2]]
    assert any(h and h.startswith("预算数") for h in heads)
    assert not any(h and h.startswith("决算数") for h in heads)
    write_workpaper(report, result, tmp_path / "wp.html", "html")
    page = (tmp_path / "wp.html").read_text(encoding="utf-8")
    three_html = page[page.index("经费和机关运行经费预算表</h2>"):]
    three_html = three_html[:three_html.index("</table>")]
    assert "<th>预算数</th>" in three_html and "决算数" not in three_html

"""The working paper: xlsx with cover, findings, marked table cells and narrative claims; html page."""

from finaudit.audit import audit
from finaudit.export.sections import claim_rows
from finaudit.export.workpaper import write_workpaper


def test_xlsx_working_paper(sample, tmp_path):
    from openpyxl import load_workbook

    result = audit(sample)
    path = tmp_path / "wp.xlsx"
    write_workpaper(sample, result, path, "xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["cover", "findings"] and book.sheetnames[-1] == "narrative"
    assert len(book.sheetnames) == 3 + len(sample.tables)
    cover = {row[0]: row[1] for row in book["cover"].iter_rows(values_only=True)}
    assert cover["errors"] == result.counts["error"] and cover["input sha256"] == sample.meta.sha256
    assert book["findings"].max_row == len(result.findings) + 1
    sheet = next(book[n] for n in book.sheetnames if n.startswith("表6"))
    marked = [c for row in sheet.iter_rows() for c in row if c.comment is not None]
    assert any("FA-N001" in c.comment.text for c in marked)  # 人员经费 780.07 vs 888.41
    assert any("FA-T030" in c.comment.text for c in marked)
    assert all(c.fill.fgColor.rgb.endswith("FFD966") for c in marked)
    verdicts = [row[6] for row in book["narrative"].iter_rows(min_row=2, values_only=True)]
    assert "ok" in verdicts and any("FA-N005 error" in (v or "") for v in verdicts)


def test_html_working_paper_is_self_contained(sample, tmp_path):
    result = audit(sample)
    path = tmp_path / "wp.html"
    write_workpaper(sample, result, path, "html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "http" not in page and "<script" not in page
    assert "FA-N003" in page and "class='mark'" in page and "Narrative claims" in page
    assert page.count("<table>") == 3 + len(sample.tables)


def test_claim_rows_carry_verdicts(sample):
    rows = claim_rows(sample, audit(sample))
    by_line = {}
    for row in rows:
        by_line.setdefault(row["line"], set()).add(row["verdict"])
    assert any("FA-N004 error" in v for v in by_line[1249])
    assert by_line[1257] == {"ok"}  # 机关运行经费 108.34 = 表六 公用经费合计; 12.73 / 95.61 = 13.31%

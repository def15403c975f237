"""The Putuo 2024 PDF loaded cell by cell; the Shanghai template; both PDF engines alike; broken and unusual PDFs."""

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest
from conftest import ROOT

import finaudit
from finaudit import ReportFormatError
from finaudit.audit import audit
from finaudit.model import format_amount
from finaudit.read import pdfium
from finaudit.read.pdf import load_pdf

pytest.importorskip("pypdfium2")

PUTUO = ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf"
TEMPLATE = ROOT / "tests" / "data" / "shanghai-2024-final-template.pdf"
PUTUO_SHA256 = "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5"
#: The budget PDFs: bundled in sample_data, else shared beside the project where they are.
SHARED = next((p for p in (ROOT.parent / "shared" / "reports", Path("/work/shared/reports")) if p.is_dir()), None)
BUDGETS = sorted((ROOT / "sample_data").glob("*budget*.pdf")) or (sorted(SHARED.glob("*budget*.pdf")) if SHARED else [])


@pytest.fixture(scope="module")
def putuo():
    return finaudit.load(PUTUO)


def cells(table, columns):
    return [(r["side"], r["code"] or "", r["label"], *(format_amount(r[c]) for c in columns)) for r in table.records()]


def test_verbatim_and_meta(putuo):
    assert hashlib.sha256(PUTUO.read_bytes()).hexdigest() == PUTUO_SHA256
    meta = putuo.meta
    assert (meta.department, meta.year, meta.kind, meta.unit, meta.format, meta.sha256) == (
        "上海市普陀区财政局", 2024, "final", "万元", "pdf", PUTUO_SHA256)


def test_all_nine_tables_with_pages(putuo):
    assert {k: t.pages for k, t in putuo.tables.items()} == {
        "summary": [6, 7], "income": [8, 9], "expenditure": [10, 11], "appropriation_summary": [12, 13],
        "general_budget": [15], "basic_expenditure": [16, 17], "three_public": [18], "government_fund": [19],
        "state_capital": [20]}
    assert all(t.unit == "万元" for t in putuo.tables.values())


def test_every_number_placed(putuo):
    coverage = putuo.coverage()
    assert coverage.unplaced == [] and coverage.ratio == 1.0
    assert coverage.placed["amount"] == 195


def test_only_load_note_is_the_overflow_page(putuo):
    # page 14 carries only an empty grid row (the end of the 财政拨款收入支出决算总表) and no text at all,
    # so it belongs to no table
    assert [(w.code, w.page) for w in putuo.warnings] == [("page-overflow", 14)]


def test_summary_table(putuo):
    rows = cells(putuo.tables["summary"], ["total"])
    income = [r for r in rows if r[0] == "income"]
    assert income == [
        ("income", "", "一、一般公共预算财政拨款收入", "2940.05"),
        ("income", "", "二、政府性基金预算财政拨款收入", ""),
        ("income", "", "三、国有资本经营预算财政拨款收入", ""),
        ("income", "", "四、上级补助收入", ""),
        ("income", "", "五、事业收入", ""),
        ("income", "", "六、经营收入", ""),
        ("income", "", "七、附属单位上缴收入", ""),
        ("income", "", "八、其他收入", "6.20"),
        ("income", "", "本年收入合计", "2946.25"),
        ("income", "", "使用非财政拨款结余（含专用结余）", ""),
        ("income", "", "年初结转和结余", "49.14"),
        ("income", "", "总计", "2995.39"),
    ]
    filled = [r for r in rows if r[0] == "expenditure" and r[3]]
    assert filled == [
        ("expenditure", "201", "一、一般公共服务支出", "2106.66"),
        ("expenditure", "208", "八、社会保障和就业支出", "326.71"),
        ("expenditure", "210", "九、卫生健康支出", "60.99"),
        ("expenditure", "221", "十九、住房保障支出", "445.69"),
        ("expenditure", "", "本年支出合计", "2940.05"),
        ("expenditure", "", "年末结转和结余", "55.34"),
        ("expenditure", "", "总计", "2995.39"),
    ]
    assert len(rows) == 12 + 26 + 4
    table = putuo.tables["summary"]
    keys = dict(zip(table.data["label"], table.data["key"]))
    assert keys["使用非财政拨款结余（含专用结余）"] == "non_fiscal_surplus" and keys["本年收入合计"] == "income_total"
    last = len(table.data) - 1
    assert table.source_line(last, "total") == 7  # the page, for a PDF
    x0, top = table.positions[(last, "total")]
    assert x0 > 300 and top < 200


def test_income_table_codes_joined_from_three_columns(putuo):
    table = putuo.tables["income"]
    rows = cells(table, ["total", "fiscal", "other"])
    assert rows[0] == ("", "", "合计", "2946.25", "2940.05", "6.20")
    assert rows[3] == ("", "2010601", "行政运行", "1511.90", "1511.89", "0.01")
    assert rows[10] == ("", "2080505", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", "")
    assert rows[-1] == ("", "2210203", "购房补贴", "258.50", "258.50", "")
    assert len(rows) == 20
    assert table.source_line(len(rows) - 1, "total") == 9
    assert table.data["superior"].isna().all()


def test_appropriation_summary_over_three_pages(putuo):
    table = putuo.tables["appropriation_summary"]
    keyed = {(r["side"], r["key"]): (format_amount(r["total"]), format_amount(r["general"]))
             for r in table.records() if r["key"]}
    assert keyed[("income", "income_total")] == ("2940.05", "")
    assert keyed[("income", "carryover_begin")] == ("21.63", "")
    assert keyed[("income", "carryover_begin.general")] == ("21.63", "")
    assert keyed[("expenditure", "expenditure_total")] == ("2940.05", "2940.05")
    assert keyed[("expenditure", "carryover_end")] == ("21.63", "21.63")
    assert keyed[("expenditure", "grand_total")] == ("2961.68", "2961.68")


def test_basic_expenditure_table(putuo):
    rows = cells(putuo.tables["basic_expenditure"], ["total"])
    assert rows[:3] == [("personnel", "301", "工资福利支出", "2082.85"), ("personnel", "30101", "基本工资", "262.33"),
                        ("personnel", "30102", "津贴补贴", "1238.58")]
    assert ("personnel", "", "人员经费合计", "2152.26") in rows and ("public", "", "公用经费合计", "184.65") in rows
    assert ("public", "31002", "办公设备购置", "13.58") in rows
    assert ("public", "30231", "公务用车运行维护费", "") in rows


def test_three_public_table(putuo):
    table = putuo.tables["three_public"]
    assert table.layout == "items_wide"
    assert [(r.key, format_amount(r.budget), format_amount(r.actual)) for r in table.data.itertuples()] == [
        ("total", "0.95", ""), ("abroad", "", ""), ("vehicle", "", ""),
        ("vehicle_purchase", "", ""), ("vehicle_running", "", ""), ("reception", "0.95", "")]


@pytest.mark.parametrize("kind", ["government_fund", "state_capital"])
def test_empty_tables_keep_their_statement(putuo, kind):
    table = putuo.tables[kind]
    assert table.is_empty() and "故本表无数据" in table.statement


def test_narrative_and_glossary_with_pages(putuo):
    sections = putuo.narrative
    assert [s.number for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert sections[0].paragraphs[0].text.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。")
    assert sections[0].paragraphs[0].page == 21 and sections[0].paragraphs[0].line is None
    assert sections[1].paragraphs[0].text == "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；"
    assert len(putuo.glossary) == 11
    assert putuo.glossary["机关运行经费"].page == 25
    assert putuo.glossary["年初结转和结余"].text.startswith("指以前年度尚未完成")


def test_template_loads_with_empty_tables():
    report = finaudit.load(TEMPLATE)
    assert len(report.tables) == 9
    assert all(t.is_empty() for t in report.tables.values())
    assert report.meta.year == 2024


# -- both engines alike -------------------------------------------------------------------------------
def content(report):
    """Everything a Report holds that either engine could change, cell by cell with provenance."""
    tables = {kind: (t.values, t.provenance, t.positions, t.pages, t.title_line, t.header, t.unit, t.notes, t.statement)
              for kind, t in report.tables.items()}
    coverage = report.coverage()
    # the narrative's text per section (where a paragraph breaks follows each engine's line extents:
    # a budget's wrapped lines end a few points apart in pdfium and pdfplumber)
    narrative = [(s.number, s.title, "".join(p.text for p in s.paragraphs)) for s in report.narrative]
    return (report.meta, tables, narrative, report.glossary, report.overview, report.warnings,
            coverage.placed, coverage.unplaced)


@pytest.mark.parametrize("path", [PUTUO, TEMPLATE, *BUDGETS], ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_give_the_same_report(path):
    pytest.importorskip("pdfplumber")
    assert content(load_pdf(path)) == content(load_pdf(path, engine="pdfplumber"))


def test_the_guard_reads_what_the_engine_reads():
    assert pdfium.read_pages_guarded(TEMPLATE) == pdfium.read_pages(TEMPLATE)


# -- robustness -------------------------------------------------------------------------------------
def pdf(*pages: bytes, images: bool = False) -> bytes:
    """A minimal PDF: one content stream per page; an STSong/UniGB-UCS2-H font (text as UTF-16 hex)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>",
               b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"]
    kids = []
    for content in pages:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text(lines: list[tuple[float, str]]) -> bytes:
    return b"".join(b"BT /F1 12 Tf 60 %d Td <%s> Tj ET\n" % (842 - top, s.encode("utf-16-be").hex().encode())
                    for top, s in lines)


IMAGE = b"q 500 0 0 700 40 70 cm /Im1 Do Q"
TABLE_PAGE = text([(80, "第二部分 某某局2024年度部门决算表"), (110, "收入支出决算总表"), (130, "单位：元"),
                   (160, "收入 支出"), (180, "本年收入合计 1,000.00 本年支出合计 1,000.00")])


def write(tmp_path, data: bytes, name="r.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, expected", [
    (PUTUO.read_bytes()[:4000], "a readable PDF"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 20, "a readable PDF"),
    (pdf(b""), "a PDF with a text layer"),
    (pdf(IMAGE, IMAGE), "a PDF with a text layer"),
    (pdf(text([(100, "这不是部门决算报告。")])), "recognisable 部门预算 or 部门决算 table"),
])
def test_unreadable_pdfs_raise_a_clear_error(tmp_path, data, expected):
    path = write(tmp_path, data)
    with pytest.raises(ReportFormatError) as info:
        finaudit.load(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_truncated_pdf_loads_what_is_there_or_raises(tmp_path):
    data = PUTUO.read_bytes()
    try:
        report = finaudit.load(write(tmp_path, data[: len(data) * 2 // 3]))
    except ReportFormatError as error:
        assert "r.pdf" in str(error)
    else:
        assert report.meta.format == "pdf"


def test_blank_and_scanned_pages_and_a_table_without_rules_are_warnings(tmp_path):
    report = finaudit.load(write(tmp_path, pdf(b"", IMAGE, TABLE_PAGE)))
    codes = {(w.code, w.page) for w in report.warnings}
    assert {("page-no-text", 1), ("page-scanned", 2), ("table-no-rules", 3)} <= codes
    table = report.tables["summary"]
    assert table.unit == "元" and report.meta.unit == "元" and table.pages == [3]
    assert {(u.page, u.text) for u in report.coverage().unplaced} == {(3, "本年收入合计 1,000.00 本年支出合计 1,000.00")}


def encrypted(data: bytes) -> bytes:
    """``data`` with an incremental update that encrypts it (Standard handler, an unknown password)."""
    size = int(data[data.rindex(b"/Size ") + 6 :].split()[0])
    previous = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    body = b"%d 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>\nendobj\n" % (size, b"11" * 32, b"22" * 32)
    xref = len(data) + len(body)
    return data + body + (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d /Encrypt %d 0 R "
                          b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n"
                          b"startxref\n%d\n%%%%EOF\n") % (size, len(data), size + 1, previous, size, xref)


def test_encrypted_pdf_is_a_clear_error(tmp_path):
    path = write(tmp_path, encrypted(pdf(TABLE_PAGE)))
    with pytest.raises(ReportFormatError) as info:
        finaudit.load(path)
    assert str(path) in str(info.value) and "encrypted with a password" in str(info.value)


def failing_page(kill: bool):
    """A page reader that fails on the second page: raising, or killing its process as a crash in C would."""
    read = pdfium._read_page

    def read_page(document, index, pdfium_c):
        if index == 1:
            if kill:
                os.kill(os.getpid(), signal.SIGSEGV)
            raise RuntimeError("PDFium could not load the page")
        return read(document, index, pdfium_c)

    return read_page


@pytest.mark.parametrize("kill, message", [
    (False, "RuntimeError: PDFium could not load the page"),
    (True, "PDFium crashed reading the page (signal SIGSEGV)"),
])
def test_a_page_that_fails_or_crashes_inside_pdfium_is_a_warning_naming_it(tmp_path, monkeypatch, kill, message):
    monkeypatch.setattr(pdfium, "_read_page", failing_page(kill))
    report = finaudit.load(write(tmp_path, pdf(b"", b"", TABLE_PAGE)))
    assert [(w.code, w.page, w.message) for w in report.warnings if w.code == "page-unreadable"] == [
        ("page-unreadable", 2, message)]
    assert report.tables["summary"].pages == [3]  # the pages after it are read


@pytest.mark.parametrize("bound, found", [
    (pdfium.Bound(pages=24), ("pages", 24, "25 pages")),
    (pdfium.Bound(glyphs_per_page=100), ("glyphs_per_page", 100, "characters on page 2")),  # the cover is short
    (pdfium.Bound(glyphs=2000), ("glyphs", 2000, "characters by page")),
])
@pytest.mark.parametrize("engine", ["pdfium", "pdfium-unguarded", "pdfplumber"])
def test_a_bound_on_pages_and_characters_stops_the_read(engine, bound, found):
    if engine == "pdfplumber":
        pytest.importorskip("pdfplumber")
    with pytest.raises(pdfium.PdfTooCostly) as info:
        load_pdf(PUTUO, engine=engine, bound=bound)
    limit, value, text = found
    assert (info.value.limit, info.value.value) == (limit, value) and text in info.value.found


def hanging_page(document, index, pdfium_c):
    """A page reader that never returns on the second page, as PDFium stuck in a loop would."""
    if index == 1:
        time.sleep(60)
    return READ_PAGE(document, index, pdfium_c)


READ_PAGE = pdfium._read_page


@pytest.mark.parametrize("load", [finaudit.load, load_pdf], ids=["finaudit.load", "load_pdf"])
def test_a_page_that_hangs_inside_pdfium_is_a_warning_naming_it(tmp_path, monkeypatch, load):
    monkeypatch.setattr(pdfium, "PAGE_SECONDS", 0.5)
    monkeypatch.setattr(pdfium, "_read_page", hanging_page)
    start = time.perf_counter()
    report = load(write(tmp_path, pdf(b"", b"", TABLE_PAGE)))
    assert time.perf_counter() - start < 10
    assert [(w.code, w.page, w.message) for w in report.warnings if w.code == "page-unreadable"] == [
        ("page-unreadable", 2, "PDFium did not finish reading the page within 0.5 s")]
    assert report.tables["summary"].pages == [3]


def stuck_opening(kill: bool):
    def pages(path, *args):
        if kill:
            os.kill(os.getpid(), signal.SIGABRT)
        time.sleep(60)
        yield 0
    return pages


@pytest.mark.parametrize("kill, found", [
    (False, "PDFium did not finish opening the file within 0.5 s"),
    (True, "PDFium crashed opening the file (signal SIGABRT)"),
])
@pytest.mark.parametrize("load", [finaudit.load, load_pdf], ids=["finaudit.load", "load_pdf"])
def test_pdfium_stuck_or_crashing_on_opening_is_a_clear_error(tmp_path, monkeypatch, load, kill, found):
    monkeypatch.setattr(pdfium, "PAGE_SECONDS", 0.5)
    monkeypatch.setattr(pdfium, "_document_pages", stuck_opening(kill))
    path = write(tmp_path, pdf(TABLE_PAGE))
    with pytest.raises(ReportFormatError) as info:
        load(path)
    assert str(path) in str(info.value) and found in str(info.value)


def children() -> set[int]:
    """This process's child processes, zombies included (Linux)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_pages_left_unread_stop_the_child():
    """The caller may stop taking pages (a page it cannot lay out): the child is stopped, not left behind."""
    before = children()
    pages = pdfium.guarded_pages(PUTUO)
    assert next(pages).number == 1
    assert len(children() - before) == 1
    pages.close()
    assert children() == before


# -- headers, pages and overflow (issue 12, item 4) ----------------------------------------------------
def at(x: float, top: float, s: str, size: int = 6) -> bytes:
    """Text at (x, top) in points from the top left."""
    return b"BT /F1 %d Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, 842 - top - size, s.encode("utf-16-be").hex().encode())


def ruled(cells: list[tuple[float, float, float, float, str]]) -> bytes:
    """Ruled cells (x0, top, x1, bottom, text): each cell's frame, its text inside."""
    out = b"0.5 w\n"
    for x0, top, x1, bottom, s in cells:
        out += b"%.1f %.1f %.1f %.1f re S\n" % (x0, 842 - bottom, x1 - x0, bottom - top)
        if s:
            out += at(x0 + 2, top + 6, s)
    return out


#: An empty 政府性基金 table laid out as the Shanghai template lays it: the lower level of the
#: 本年支出 header (合计 | 基本支出 | 项目支出) printed in the ruled row of the 合计 data row.
FUND_PAGE = (text([(80, "第二部分 某某局2024年度部门决算表")]) + at(40, 150, "政府性基金预算财政拨款收入支出决算表", 12)
             + at(440, 180, "单位：万元", 9) + ruled([
                 (40, 200, 160, 220, "项目"), (40, 220, 100, 240, "功能分类科目编码"), (100, 220, 160, 240, "科目名称"),
                 (160, 200, 230, 240, "年初结转和结余"), (230, 200, 290, 240, "本年收入"), (290, 200, 440, 240, "本年支出"),
                 (440, 200, 510, 240, "年末结转和结余"),
                 (40, 240, 160, 260, "合计"), (160, 240, 230, 260, ""), (230, 240, 290, 260, ""),
                 (290, 240, 340, 260, "合计"), (340, 240, 390, 260, "基本支出"), (390, 240, 440, 260, "项目支出"),
                 (440, 240, 510, 260, ""),
                 *[(x0, 260, x1, 280, "") for x0, x1 in
                   [(40, 100), (100, 160), (160, 230), (230, 290), (290, 340), (340, 390), (390, 440), (440, 510)]]])
             + at(40, 300, "说明：某某局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。", 9))


def test_a_two_level_header_sharing_the_total_row_is_read_as_header(tmp_path):
    report = finaudit.load(write(tmp_path, pdf(FUND_PAGE)))
    table = report.tables["government_fund"]
    assert list(table.columns) == ["begin", "income", "total", "basic", "project", "end"]
    assert table.columns["basic"] == "本年支出/基本支出" and table.is_empty() and "故本表无数据" in table.statement
    assert not {w.code for w in report.warnings} & {"header-unrecognised", "amount-not-numeric"}


EMPTY_ROW = ruled([(40, 100, 160, 120, ""), (160, 100, 300, 120, ""), (300, 100, 440, 120, "")])


@pytest.mark.parametrize("second, code, severity", [
    (b"", "page-no-text", "warning"),
    (EMPTY_ROW, "page-overflow", "info"),  # a table running over onto a page with one empty ruled row
])
def test_a_page_of_empty_ruled_rows_is_info(tmp_path, second, code, severity):
    report = finaudit.load(write(tmp_path, pdf(TABLE_PAGE, second)))
    assert [(w.code, w.page) for w in report.warnings if w.code.startswith("page-")] == [(code, 2)]
    findings = [f for f in audit(report).findings if f.code == "FA-L001" and f.where.row == code]
    assert [f.severity for f in findings] == [severity]


def test_pdf_load_warnings_name_the_page(tmp_path, capsys):
    from finaudit.cli import main

    path = write(tmp_path, pdf(TABLE_PAGE, b""))
    report = finaudit.load(path)
    assert all(w.page and w.line is None for w in report.warnings if w.code not in ("meta-missing", "narrative-missing"))
    main(["info", str(path)])
    out = capsys.readouterr().out
    assert "[page-no-text] page 2: no text" in out and "line None" not in out


def test_a_continuation_grid_with_fewer_columns_maps_them_in_order_none_twice():
    """江苏高院 2018's 收支预算总表 continues on a page ruled with overlapping column bounds: by most overlap alone two
    of its columns would fall on one of the first page's; in order, each takes its own."""
    from finaudit.read.pdf import _in_order

    overlap = lambda a, b: min(a[1], b[1]) - max(a[0], b[0])  # noqa: E731
    first = [(67, 167), (156, 223), (212, 350), (339, 407), (396, 498), (488, 539)]
    assert _in_order([(67, 167), (156, 223), (212, 350), (339, 498), (397, 539)], first, overlap) == [0, 1, 2, 3, 4]
    assert _in_order([(0, 10), (20, 30)], [(0, 10), (10, 20), (20, 30)], overlap) == [0, 2]


def boxed_grid(rows: list[float], columns: list[float], cells: list[tuple[int, int, int, int, str]]):
    """A grid of the given row heights and column widths (points) and cells (row, row end, column, column end,
    text), each cell's text placed at its box's top."""
    from finaudit.read.pdf import _Grid, _GridCell, _Text

    tops = [sum(rows[:r]) for r in range(len(rows) + 1)]
    lefts = [sum(columns[:c]) for c in range(len(columns) + 1)]
    made = [_GridCell(r0, r1, c0, c1, _Text(1, lefts[c0], tops[r0], lefts[c1], text, 9.0)) for r0, r1, c0, c1, text in cells]
    return _Grid(1, 0.0, list(zip(lefts, lefts[1:])), sorted(made, key=lambda c: (c.row, c.col)), len(rows))


def test_text_boxed_inside_its_cell_reads_as_the_cell():
    """A table drawn with a box around each cell's text inside the cell's own box (Jiangsu's budget tables):
    the padding strips are not rows or columns; a label wrapped over two boxes beside an amount boxed between
    them is one row, label and amount; a column empty on a continuation page stays a column."""
    from finaudit.read.pdf import _without_spacers

    # columns: pad, label, pad | pad, amount, pad | pad, (empty), pad; rows: strip, text, strip | 4 rows of 8 pt
    columns = [5, 90, 5, 5, 40, 5, 5, 40, 5]
    rows = [4, 12, 4, 8, 8, 8, 8]
    cells = [
        (0, 1, 0, 3, ""), (0, 1, 3, 6, ""), (0, 1, 6, 9, ""),
        (1, 2, 0, 1, ""), (1, 2, 1, 2, "一、基本支出"), (1, 2, 2, 3, ""),
        (1, 2, 3, 4, ""), (1, 2, 4, 5, "18,570.82"), (1, 2, 5, 6, ""),
        (1, 2, 6, 7, ""), (1, 2, 7, 8, ""), (1, 2, 8, 9, ""),
        (2, 3, 0, 3, ""), (2, 3, 3, 6, ""), (2, 3, 6, 9, ""),
        # the label over two boxes between side strips of the whole cell's height
        (3, 7, 0, 1, ""), (3, 5, 1, 2, "三、单位预留机动经"), (5, 7, 1, 2, "费"), (3, 7, 2, 3, ""),
        # the amount boxed in the middle, with strips above and below
        (3, 4, 3, 6, ""), (4, 6, 3, 4, ""), (4, 6, 4, 5, "3,258.06"), (4, 6, 5, 6, ""), (6, 7, 3, 6, ""),
        (3, 7, 6, 9, ""),
    ]
    grid = _without_spacers(boxed_grid(rows, columns, cells))
    assert len(grid.columns) == 3 and grid.rows == 2
    texts = [[c.text.text for c in grid.cells if c.row == r and c.col_end - c.col == 1] for r in range(grid.rows)]
    assert [t for t in texts[0] if t] == ["一、基本支出", "18,570.82"]
    assert [t for t in texts[1] if t] == ["三、单位预留机动经费", "3,258.06"]
    assert all(len([c for c in grid.cells if c.row == r]) <= 3 for r in range(grid.rows))


def test_a_plain_merged_cell_is_not_taken_for_a_boxed_text():
    """Cells of full row height around a merged label (rules drawn where the rows are) keep their rows: only
    strips thinner than a character are padding."""
    from finaudit.read.pdf import _without_spacers

    columns = [60, 60, 40]
    rows = [18, 18, 18]
    cells = [(0, 3, 0, 1, "一般公共预算资金"), (0, 1, 1, 2, "小计"), (0, 1, 2, 3, "10.00"),
             (1, 2, 1, 2, "公共财政拨款"), (1, 2, 2, 3, "10.00"), (2, 3, 1, 2, "专项收入"), (2, 3, 2, 3, "")]
    grid = _without_spacers(boxed_grid(rows, columns, cells))
    assert grid.rows == 3 and len(grid.columns) == 3


def test_a_surrogate_pair_among_a_pages_units_is_found_by_their_high_bytes():
    """A character beyond the BMP (a CJK Extension B name) comes as two UTF-16 units: the page is then read character
    by character; a unit whose low byte looks like a surrogate's (Ø, 0x00D8) is not one."""
    from array import array

    from finaudit.read.pdfium import _HIGH, _SURROGATE

    assert _SURROGATE.search(array("H", [0x41, 0xD840, 0xDC00]).tobytes()[_HIGH::2])
    assert not _SURROGATE.search(array("H", [0x41, 0x00D8, 0x4E2D, 0xD7FF, 0xE000, 0xFFFD]).tobytes()[_HIGH::2])

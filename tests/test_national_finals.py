"""The national final-accounts families: the nine-table national final (Foshan 2019), the Ministry of
Education's university template (西南大学 2023), and the 三公 table's layouts; real files from
/work/shared/reports/national (skipped where absent), synthetic ruled PDFs for the layouts no file shows."""

from pathlib import Path

import pytest
from test_pdf import pdf

import finaudit
from finaudit.audit import audit
from finaudit.read.document import glossary
from finaudit.read.pdf import _PdfLoader
from finaudit.read.tables import Ledger, column_numbers
from finaudit.read.templates import templates
from finaudit.model import Paragraph

from conftest import NATIONAL  # noqa: E402
FOSHAN = NATIONAL / "foshan" / "佛山__交通运输局_2019年佛山市轨道交通局部门决算.pdf"
SWU_FINAL = NATIONAL / "swu-university" / "西南大学__2023年部门决算.pdf"


def cell(report, kind, column, *, key=None, code=None, side=None):
    frame = report.tables[kind].data
    rows = frame[(frame["key"] == key) if key else (frame["code"] == code)]
    if side:
        rows = rows[rows["side"] == side]
    assert len(rows) >= 1, (kind, key, code, side)
    value = rows.iloc[0][column]
    return None if value is None or str(value) == "<NA>" else int(value)


# -- the nine-table national final: Foshan 2019 ------------------------------------------------------
@pytest.fixture(scope="module")
def foshan():
    if not FOSHAN.exists():
        pytest.skip("national sample not present")
    return finaudit.load(FOSHAN)


def test_foshan_tables_kinds_numbers_and_pages(foshan):
    assert {k: (t.number, t.pages) for k, t in foshan.tables.items()} == {
        "summary": (1, [5, 6, 7]), "income": (2, [8, 9]), "expenditure": (3, [10, 11]),
        "appropriation_summary": (4, [12, 13, 14]), "general_budget": (5, [15, 16]),
        "basic_expenditure": (6, [17, 18, 19, 20]), "three_public": (7, [21]), "government_fund": (8, [22, 23]),
    }
    coverage = foshan.coverage()
    assert (coverage.ratio, coverage.unplaced) == (1.0, [])
    assert not foshan.warnings


@pytest.mark.parametrize("kind, column, where, expected", [
    ("summary", "total", dict(key="general", side="income"), 166814),  # 一、一般公共预算财政拨款收入 1668.14
    ("summary", "total", dict(key="other", side="income"), 1),
    ("summary", "total", dict(key="grand_total", side="expenditure"), 166814),  # page 7, after two continuation pages
    ("summary", "total", dict(key="carryover_end", side="expenditure"), 1),
    ("income", "total", dict(key="grand_total"), 166814),  # the 合计 row printed on both pages, read once
    ("income", "fiscal", dict(code="2210201"), 6087),  # on the continuation page
    ("expenditure", "project", dict(code="2140102"), 90560),
    ("appropriation_summary", "general", dict(key="grand_total", side="expenditure"), 166814),
    ("appropriation_summary", "total", dict(key="carryover_begin.fund", side="income"), 0),
    ("basic_expenditure", "total", dict(code="30101", side="personnel"), 30179),
    ("three_public", "actual", dict(key="reception"), 16),
    ("three_public", "budget", dict(key="total"), 0),
])
def test_foshan_cells(foshan, kind, column, where, expected):
    assert cell(foshan, kind, column, **where) == expected


def test_foshan_summary_reads_row_numbers_not_labels(foshan):
    frame = foshan.tables["summary"].data
    assert list(frame[frame["side"] == "income"]["row_no"].dropna())[:3] == [1, 2, 3]
    assert len(foshan.tables["summary"].data) == 37


def test_foshan_findings_are_the_documents_own(foshan):
    codes = sorted(f.code for f in audit(foshan).findings if str(f.severity) == "error")
    # the narrative's 940.15 of 921.75 project spending is "100%";
    # "三公经费…支出决算为0.16万元，完成预算0万元的0%" (and 公务接待费 the same): a rate of a zero budget
    assert codes == ["FA-N002", "FA-N004", "FA-N004"]
    # nor does it name that fund anywhere: a template from before the table, a note to verify
    assert [str(f.severity) for f in audit(foshan).findings if f.code == "FA-P001"] == ["info"]
    assert foshan.glossary["机关运行经费"].text.startswith("指为保障行政单位")


# -- the university template: 西南大学 2023 final ----------------------------------------------------
@pytest.fixture(scope="module")
def swu_final():
    if not SWU_FINAL.exists():
        pytest.skip("national sample not present")
    return finaudit.load(SWU_FINAL)


def test_university_final_kinds_and_coverage(swu_final):
    assert {k: t.title for k, t in swu_final.tables.items()} == {
        "summary": "高等学校收支决算总表", "income": "高等学校收入决算表", "expenditure": "高等学校支出决算表",
        "general_budget": "高等学校财政拨款支出决算表",
    }
    assert swu_final.coverage().ratio == 1.0
    assert swu_final.narrative and swu_final.glossary["财政拨款收入"].text.startswith("指高等学校当年")


@pytest.mark.parametrize("kind, column, where, expected", [
    ("summary", "total", dict(key="fiscal", side="income"), 24301538),
    ("summary", "total", dict(key="income_total", side="income"), 43072503),
    ("income", "tuition", dict(code="205"), 7364819),  # 事业收入/其中：教育收费, not 事业收入
    ("income", "business", dict(code="205"), 13638524),
    ("expenditure", "total", dict(code="205"), 42528727),
    ("general_budget", "total", dict(key="grand_total"), 23710000),  # 合计 in the 类 | 款 | 项 row (and again at the end)
    ("general_budget", "project", dict(key="grand_total"), 3808487),
    ("general_budget", "capital", dict(key="grand_total"), 689490),  # 项目支出/其中：基本建设资金支出
])
def test_university_final_cells(swu_final, kind, column, where, expected):
    assert cell(swu_final, kind, column, **where) == expected


def test_university_family_requires_its_four_tables(swu_final):
    assert not [f for f in audit(swu_final).findings if f.code == "FA-P001"]
    titles = ["高等学校收支决算总表", "高等学校收入决算表"]
    assert templates().required(titles, "final") == ("summary", "income", "expenditure", "general_budget")
    assert templates().required(["西南大学收支预算总表"], "budget") == ("summary", "income", "expenditure", "general_budget")
    assert templates().required(["收入支出决算总表", "一般公共预算财政拨款支出决算表"], "final") is None


# -- reading steps ------------------------------------------------------------------------------------
@pytest.mark.parametrize("texts, expected", [
    (["栏次", "", "1", "栏次", "", "2"], True),
    (["1", "2", "3", "4"], True),
    (["", "1", "2", "3"], True),
    (["1668.14", "0.00"], False),
    (["1", "3"], False),
    (["8"], False),
    (["项目", "行次", "决算数"], False),
])
def test_column_numbers_row(texts, expected):
    assert column_numbers(texts, templates().stub_field) is expected


@pytest.mark.parametrize("text, expected", [("表1", 1), ("表 三", 3), ("表12", 12), ("表1：收入决算表", None), ("收入决算表", None)])
def test_table_number_alone(text, expected):
    assert _PdfLoader.number_alone(text) == expected


def test_glossary_terms_without_numbers_and_group_headings():
    lines = ["（一）收入科目说明", "下列科目按部门预算口径填列。", "财政拨款收入：指财政当年拨付的资金。", "包括一般公共预算财政拨款。",
             "30", "（二）支出科目说明", "1.基本支出：指保障机构正常运转的支出。", "其中：人员经费。"]
    ledger = Ledger()
    terms = glossary([Paragraph(line=n, text=t) for n, t in enumerate(lines, 1)], ledger)
    assert {k: d.text for k, d in terms.items()} == {
        "财政拨款收入": "指财政当年拨付的资金。包括一般公共预算财政拨款。", "基本支出": "指保障机构正常运转的支出。其中：人员经费。"}
    assert not ledger.warnings


# -- synthetic ruled pages: the layouts of a running-over table and of the 三公 table ------------------
def _text(x, top, s, size=9):
    return b"BT /F1 %d Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, 842 - top, s.encode("utf-16-be").hex().encode())


def ruled(rows, lines, width=42, left=30, top=150, height=22):
    """A page: a ruled grid (rows of (col, col_end, row_span, text)) and lines of (top, text) above it."""
    out = b"0.5 w\n"
    for r, row in enumerate(rows):
        for c0, c1, span, s in row:
            x, y = left + c0 * width, top + r * height
            out += b"%.1f %.1f %.1f %.1f re S\n" % (x, 842 - y - span * height, (c1 - c0) * width, span * height)
            out += _text(x + 2, y + 14, s, 7) if s else b""
    return out + b"".join(_text(60, t, s, 12) for t, s in lines)


TITLE = [(60, "第二部分 上海市某某局2025年度部门决算表"), (100, "财政拨款“三公”经费支出决算表"), (125, "单位：万元")]
ITEMS = [(0, "合计"), (1, "因公出国（境）费"), (2, "公务用车购置及运行维护费"), (5, "公务接待费")]
BUDGET = ["12.00", "1.00", "8.00", "0", "8.00", "3.00"]
ACTUAL = ["10.50", "0.50", "7.00", "0", "7.00", "3.00"]
EXPECTED = {"total": (1200, 1050), "abroad": (100, 50), "vehicle": (800, 700), "vehicle_purchase": (0, 0),
            "vehicle_running": (800, 700), "reception": (300, 300)}

# Shanghai 2024–2025 finals: items over two levels, a 预算数 | 决算数 row above the amounts
SHANGHAI = [
    [(0, 12, 1, "财政拨款“三公”经费")],
    [(0, 2, 2, "合计"), (2, 4, 2, "因公出国（境）费"), (4, 10, 1, "公务用车购置及运行维护费"), (10, 12, 2, "公务接待费")],
    [(4, 6, 1, "小计"), (6, 8, 1, "公务用车购置费"), (8, 10, 1, "公务用车运行维护费")],
    [(i, i + 1, 1, "预算数" if i % 2 == 0 else "决算数") for i in range(12)],
    [(i, i + 1, 1, a) for i, a in enumerate(x for pair in zip(BUDGET, ACTUAL) for x in pair)],
]
# items across, 预算数 and 决算数 down a 项目 stub
ACROSS = [
    [(0, 1, 2, "项目"), (1, 2, 2, "合计"), (2, 3, 2, "因公出国（境）费"), (3, 6, 1, "公务用车购置及运行维护费"), (6, 7, 2, "公务接待费")],
    [(3, 4, 1, "小计"), (4, 5, 1, "公务用车购置费"), (5, 6, 1, "公务用车运行维护费")],
    [(0, 1, 1, "预算数")] + [(i + 1, i + 2, 1, a) for i, a in enumerate(BUDGET)],
    [(0, 1, 1, "决算数")] + [(i + 1, i + 2, 1, a) for i, a in enumerate(ACTUAL)],
]


@pytest.mark.parametrize("rows, width", [(SHANGHAI, 42), (ACROSS, 75)], ids=["budget-actual-row", "items-across"])
def test_three_public_layouts(tmp_path, rows, width):
    path = tmp_path / "sangong.pdf"
    path.write_bytes(pdf(ruled(rows, TITLE, width)))
    report = finaudit.load(path)
    frame = report.tables["three_public"].data
    assert {k: (b, a) for k, b, a in zip(frame["key"], frame["budget"], frame["actual"])} == EXPECTED
    assert report.coverage().ratio == 1.0
    assert not [w for w in report.warnings if w.code.startswith(("row-", "header-", "amount-"))]


def test_a_table_running_over_with_its_title_and_total_row_repeated(tmp_path):
    """Each page repeats 表2, the title, the header, the 栏次 row and the 合计 row (no 续)."""
    header = [[(0, 1, 1, "科目编码"), (1, 2, 1, "科目名称"), (2, 3, 1, "本年收入合计"), (3, 4, 1, "财政拨款收入"), (4, 5, 1, "其他收入")],
              [(0, 2, 1, "栏次"), (2, 3, 1, "1"), (3, 4, 1, "2"), (4, 5, 1, "3")],
              [(0, 1, 1, ""), (1, 2, 1, "合计"), (2, 3, 1, "30.00"), (3, 4, 1, "29.00"), (4, 5, 1, "1.00")]]
    rows = lambda code, name, a, b, c: [(0, 1, 1, code), (1, 2, 1, name), (2, 3, 1, a), (3, 4, 1, b), (4, 5, 1, c)]  # noqa: E731
    title = [(60, "第二部分 某某局2019年部门决算表"), (80, "表2"), (100, "收入决算表"), (125, "单位：万元")]
    first = ruled(header + [rows("208", "社会保障和就业支出", "10.00", "10.00", "0.00")], title, 100)
    second = ruled(header + [rows("221", "住房保障支出", "20.00", "19.00", "1.00")], title[1:], 100)
    path = tmp_path / "over.pdf"
    path.write_bytes(pdf(first, second))
    report = finaudit.load(path)
    table = report.tables["income"]
    assert (table.number, table.pages) == (2, [1, 2])
    assert list(table.data["code"].fillna("")) == ["", "208", "221"]
    assert report.coverage().ratio == 1.0
    assert {w.code for w in report.warnings} <= {"meta-missing", "narrative-missing"}


# -- the university template's budgets: 西南大学 2021 and 2023 ------------------------------------------
SWU_BUDGET = NATIONAL / "swu-university" / "西南大学__2023年部门预算.pdf"


@pytest.fixture(scope="module")
def swu_budget():
    if not SWU_BUDGET.exists():
        pytest.skip("national sample not present")
    return finaudit.load(SWU_BUDGET)


def test_university_budget_kinds_coverage_and_parts(swu_budget):
    assert {k: t.title for k, t in swu_budget.tables.items()} == {
        "summary": "西南大学收支预算总表", "income": "西南大学收入预算表", "expenditure": "西南大学支出预算表",
        "general_budget": "西南大学财政拨款支出预算表", "performance_targets": "项目绩效目标表",
    }
    assert swu_budget.coverage().ratio == 1.0
    # 三、部门预算情况说明 and 四、名词解释 are parts; the forms after them (五、项目绩效目标表) are not glossary terms
    assert swu_budget.narrative and "购房补贴" in swu_budget.glossary and "目标1" not in swu_budget.glossary


@pytest.mark.parametrize("kind, column, where, expected", [
    ("summary", "total", dict(key="non_fiscal_surplus", side="income"), 5997279),
    ("summary", "total", dict(key="grand_total", side="income"), 55725913),
    ("income", "non_fiscal_surplus", dict(key="grand_total"), 5997279),
    ("expenditure", "total", dict(key="grand_total"), 46877907),
    ("general_budget", "total", dict(code="205"), 20861334),  # 财政拨款支出 is the table's total column
])
def test_university_budget_cells(swu_budget, kind, column, where, expected):
    assert cell(swu_budget, kind, column, **where) == expected


def test_performance_target_forms_read_as_one_table(swu_budget):
    table = swu_budget.tables["performance_targets"]
    frame = table.data
    assert len(frame) == 24 and table.unit == "万元"
    first = frame.iloc[0]
    assert (first["label"], first["total"], first["fiscal"], first["carried_over"], first["other_funds"]) == (
        "236中央高校教育教学改革专项", 211276, 211200, 76, 0)
    # a title wrapped over two lines ("236-…设备资料购置" / "项目绩效目标表") names its project
    assert "236-中央高校改善基本办学条件专项-设备资料购置项目" in set(frame["label"])


def test_university_budget_findings(swu_budget):
    errors = sorted(f.code for f in audit(swu_budget).findings if str(f.severity) == "error")
    # the document's own 0.50 at 2050202 (T001, T004); 105236 is the university's unit code, not a function code
    assert errors == ["FA-T001", "FA-T004"]
    frame = swu_budget.tables["expenditure"].data
    assert "105236 西南大学" in set(frame["label"]) and "105236" not in set(frame["code"].dropna())


def test_university_2021_budget_prose_sharing_a_table_page_is_not_the_tables():
    """Page 6 opens with the 概况's last paragraph and page 9 ends with 三、部门预算情况说明: their numbers are
    the narrative's, not unread table numbers; 二、部门预算报表 opens the tables part (no unknown table)."""
    path = NATIONAL / "swu-university" / "西南大学__2021年部门预算.pdf"
    if not path.exists():
        pytest.skip("national sample not present")
    report = finaudit.load(path)
    assert sorted(report.tables) == ["expenditure", "general_budget", "income", "summary"]
    assert (report.coverage().ratio, report.coverage().total) == (1.0, 218)
    assert not [w for w in report.warnings if w.code.startswith("table-")]
    assert not [f for f in audit(report).findings if str(f.severity) == "error"]

"""Bad input: a Report with load warnings, or a ReportFormatError naming file, line and expectation."""

import pytest
from conftest import SAMPLE

import finaudit
from finaudit import ReportFormatError
from finaudit.read.package import write_package

TEXT = SAMPLE.read_text(encoding="utf-8")


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("empty.txt", b"", "an empty file"),
        ("blank.txt", b"  \n\n \t\n", "an empty file"),
        ("binary.bin", bytes(range(256)) * 40, "binary data"),
        ("garbage.txt", "这不是一份决算报告。\n只是一些文字，没有表格。\n".encode(), "no table title"),
        ("latin1.txt", "Caf\xe9 \xff\xfe\xfd".encode("latin-1") * 3, "undecodable byte"),
        ("random.txt", b"\x8f\xff\x00\x01\x02" * 500, "binary data"),
    ],
)
def test_unreadable_inputs_raise_a_clear_error(tmp_path, name, data, expected):
    path = write(tmp_path, name, data)
    with pytest.raises(ReportFormatError) as info:
        finaudit.load(path)
    assert str(path) in str(info.value) and expected in str(info.value)
    assert isinstance(info.value, ValueError)


def test_missing_file():
    with pytest.raises(ReportFormatError, match="nothing at that path"):
        finaudit.load("/nonexistent/report.txt")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_other_encodings_load_the_same_report(tmp_path, sample, encoding):
    report = finaudit.load(write(tmp_path, "r.txt", TEXT.encode(encoding)))
    assert report == sample
    assert report.coverage().unplaced == []


def test_truncated_report_loads_what_is_there_with_warnings(tmp_path):
    cut = TEXT[: TEXT.index("表五")]
    report = finaudit.load(write(tmp_path, "cut.txt", cut.encode()))
    assert set(report.tables) == {"summary", "income", "expenditure", "appropriation_summary"}
    assert any(w.code == "narrative-missing" for w in report.warnings)


def test_truncated_inside_a_table(tmp_path):
    cut = TEXT[: TEXT.index("2010307\n", TEXT.index("表三")) + 8]
    report = finaudit.load(write(tmp_path, "cut.txt", cut.encode()))
    assert report.tables["expenditure"].data["code"].iloc[-1] == "2010307"
    assert any(w.code == "row-misaligned" for w in report.warnings)


def test_report_missing_tables(tmp_path):
    start, end = TEXT.index("表六"), TEXT.index("表八")
    report = finaudit.load(write(tmp_path, "missing.txt", (TEXT[:start] + TEXT[end:]).encode()))
    assert "basic_expenditure" not in report.tables and "three_public" not in report.tables
    assert report.coverage().unplaced == []


def test_non_numeric_amount_is_a_warning_and_unplaced(tmp_path):
    text = TEXT.replace("\t695.14\n", "\t695,1x4\n", 1)
    report = finaudit.load(write(tmp_path, "bad.txt", text.encode()))
    warning = next(w for w in report.warnings if w.code == "amount-not-numeric")
    assert warning.line == 174 and warning.table == 2 and "695,1x4" in warning.message
    assert [u.line for u in report.coverage().unplaced] == [174]
    assert report.tables["income"].data.loc[3, "total"] is not None


def test_extra_cell_is_a_warning_and_unplaced(tmp_path):
    text = TEXT.replace("\t695.07\n", "\t695.07\n\t12.34\n", 1)
    report = finaudit.load(write(tmp_path, "extra.txt", text.encode()))
    assert any(w.code == "row-misaligned" and w.line == 172 for w in report.warnings)
    assert [u.text for u in report.coverage().unplaced] == ["0.07"]


def test_missing_cell_is_a_warning(tmp_path):
    text = TEXT.replace("\t695.14\n", "", 1)
    report = finaudit.load(write(tmp_path, "short.txt", text.encode()))
    assert any(w.code == "row-misaligned" and w.line == 172 for w in report.warnings)


def test_too_many_decimals_is_not_rounded_silently(tmp_path):
    text = TEXT.replace("\t695.14\n", "\t695.145\n", 1)
    report = finaudit.load(write(tmp_path, "precision.txt", text.encode()))
    assert any(w.code == "amount-precision" for w in report.warnings)
    assert report.coverage().unplaced[0].text == "695.145"


def test_bad_package(tmp_path, sample):
    write_package(sample, tmp_path / "pkg")
    csv = tmp_path / "pkg" / "02_income.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("1480.73", "14x0.73"), encoding="utf-8")
    with pytest.raises(ReportFormatError, match=r"02_income.csv, line 2: expected an amount"):
        finaudit.load(tmp_path / "pkg")
    (tmp_path / "pkg" / "report.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportFormatError, match="valid UTF-8 JSON"):
        finaudit.load(tmp_path / "pkg")

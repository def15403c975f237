"""The finaudit command: info, export, check (text, json, exit codes, errors)."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

from finaudit.cli import main
from finaudit.read.render import render_text


def test_info(capsys):
    assert main(["info", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "柳江区人民政府办公室  2017" in out and "100.0% placed" in out and "load warnings: 0" in out


def test_check_json(capsys):
    assert main(["check", str(SAMPLE), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    first = next(f for f in findings if f["code"] == "FA-T030")
    assert {"code", "severity", "table", "location", "expected", "actual", "difference", "message", "source"} <= set(first)
    assert first["table"] == 6 and first["expected"] == "780.07" and first["actual"] == "888.41"
    assert first["source"][0] == "表6 line 1003"
    assert all(isinstance(f["table"], int) or f["table"] == "narrative" for f in findings if f["table"] is not None)


def test_check_text_and_output_file(tmp_path, capsys):
    out = tmp_path / "findings.txt"
    assert main(["check", str(SAMPLE), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "FA-T030" in text and "errors" in text and capsys.readouterr().out == ""


@pytest.mark.parametrize("fail_on, code", [(None, 0), ("error", 1), ("warning", 1)])
def test_exit_codes(fail_on, code, capsys):
    args = ["check", str(SAMPLE), "--format", "json"] + (["--fail-on", fail_on] if fail_on else [])
    assert main(args) == code


def test_clean_report_passes_fail_on(tmp_path, capsys):
    from finaudit.synthetic import generate

    path = tmp_path / "clean.txt"
    path.write_text(render_text(generate(3)), encoding="utf-8")
    assert main(["check", str(path), "--fail-on", "warning"]) == 0


def test_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["check", str(bad)]) == 2
    assert "bad.txt" in capsys.readouterr().err


def test_export_round_trip(tmp_path, sample, capsys):
    import finaudit

    assert main(["export", str(SAMPLE), "--to", str(tmp_path / "pkg")]) == 0
    assert finaudit.load(tmp_path / "pkg") == sample
    assert main(["export", str(SAMPLE), "--to", str(tmp_path / "r.txt")]) == 0
    assert finaudit.load(tmp_path / "r.txt") == sample
    assert main(["export", str(SAMPLE), "--to", str(tmp_path / "r.xlsx")]) == 0
    from openpyxl import load_workbook

    assert len(load_workbook(tmp_path / "r.xlsx").sheetnames) == 9


def test_console_script_runs_and_import_stays_light():
    out = subprocess.run([sys.executable, "-m", "finaudit.cli", "info", str(SAMPLE)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    probe = "import sys, finaudit; print(sorted({m.split('.')[0] for m in sys.modules} & {'plotly', 'ipywidgets', 'IPython', 'jupyter_core', 'voila', 'pdfplumber', 'openpyxl'}))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "[]"


def test_checking_a_text_report_needs_no_frames_and_no_pdf_reader():
    """`check` on a text report reads and audits without pandas (frames are built only for screens and
    sheets) and without the PDF reader: the startup budget of issue 22 (≤ 1.3× `import pandas`)."""
    probe = ("import sys, runpy; sys.argv = ['finaudit', 'check', sys.argv[1]]\n"
             "try: runpy.run_module('finaudit.cli', run_name='__main__')\n"
             "except SystemExit: pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pypdfium2', 'pdfplumber'}), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", probe, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT)
    assert "errors" in out.stdout and out.stderr.strip().splitlines()[-1] == "[]", out.stderr


def test_rule_catalogue_is_in_sync():
    from finaudit.audit import catalogue_markdown

    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue_markdown(), \
        "run: python -m finaudit.audit catalogue > docs/rules.md"


@pytest.mark.parametrize("args", [
    ["check", str(SAMPLE), "--output", "{missing}/out.json"],
    ["check", str(SAMPLE), "--format", "xlsx", "--output", "{missing}/out.xlsx"],
    ["export", str(SAMPLE), "--to", "{missing}/r.txt"],
    ["publish", str(SAMPLE), "--to", "{missing}/site/"],
])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(args, tmp_path, capsys):
    """A missing folder in --output / --to: one line naming the path, exit 2, no traceback."""
    missing = tmp_path / "no-such-folder" / "deeper"
    (tmp_path / "no-such-folder").write_text("a file where a folder is needed", encoding="utf-8")
    assert main([a.format(missing=missing) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finaudit: ") and str(tmp_path / "no-such-folder") in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("name", ["x.docx", "x.PDF", "report.json"])
def test_export_refuses_a_format_it_does_not_write(name, tmp_path, capsys):
    target = tmp_path / name
    assert main(["export", str(SAMPLE), "--to", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"unknown format {target.suffix}" in err and "FILE.xlsx" in err
    assert not target.exists()


def test_export_to_an_existing_folder_with_a_dot_is_a_package(tmp_path, sample, capsys):
    import finaudit

    target = tmp_path / "report.v2"
    target.mkdir()
    assert main(["export", str(SAMPLE), "--to", str(target)]) == 0
    assert finaudit.load(target) == sample


@pytest.mark.parametrize("text, width, expected", [
    ("total", 8, "total   "),
    ("合计 / total", 14, "合计 / total  "),  # 合计 takes four cells
    ("本年支出合计 / 决算数", 12, "本年支出合… "),  # cut with …, never half a wide character
    ("（全角）", 8, "（全角）"),
])
def test_fit_counts_east_asian_wide_characters_as_two_cells(text, width, expected):
    from finaudit.audit import cells, fit

    assert fit(text, width) == expected and cells(fit(text, width)) == width


@pytest.mark.parametrize("flat", [True, False])
def test_the_text_findings_line_up_where_chinese_appears(flat, capsys):
    """Every finding's message starts in the same terminal column, whatever its location says (汉字 take two)."""
    import finaudit
    from finaudit.audit import audit, cells

    result = audit(finaudit.load(SAMPLE))
    assert main(["check", str(SAMPLE)] + (["--flat"] if flat else [])) == 0
    lines = [line.removeprefix("  ↳ ") for line in capsys.readouterr().out.splitlines() if " FA-" in line]
    starts = set()
    for line in lines:
        finding = next(f for f in result.findings if f.code in line and line.rstrip().endswith("]")
                       and f.message_zh[:20] in line)
        starts.add(cells(line[:line.index(finding.message_zh[:20])]))
    assert len(lines) == len(result.findings) and starts == {cells("error    FA-T001  narrative ") + 25}


def test_info_aligns_the_totals_where_chinese_appears(capsys):
    from finaudit.audit import cells

    assert main(["info", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("table"))
    table = lines[start:lines.index("", start)]
    assert len(table) > 3 and len({cells(line) for line in table}) == 1

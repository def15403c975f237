"""What a document is, from any cover; documents without tables; documents in two files; ``info --format json``.

The national files are read from /work/shared/reports/national/ (skipped where absent); the rest from
``sample_data/`` and from the seed split into its 情况说明 and its 报表.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import finaudit
from finaudit.audit import audit
from finaudit.model import Meta, ReportFormatError
from finaudit.read import load
from finaudit.read.bundle import documents, group, merge
from finaudit.read.meta import file_signals, read_meta, settle, signals
from finaudit.read.text import parse_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt"
BUDGET_PDF = ROOT / "sample_data" / "shanghai-putuo-commerce-2025-dept-budget.pdf"
NATIONAL = Path("/work/shared/reports/national")
national = pytest.mark.skipif(not NATIONAL.is_dir(), reason="the national sample is not on this machine")


def meta_of(lines, source=None):
    meta = Meta(source=source)
    warnings = settle(meta, signals((text, n, None) for n, text in enumerate(lines, 1)))
    return (meta.kind, meta.scope, meta.year, meta.department, meta.unit_name), [w.code for w in warnings]


# -- what a document is -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lines, expected", [
    # a cover title broken over lines, read joined
    (["北京市某局", "2026 年度部门预算信息公开", "目 录"], ("budget", "department", 2026, "北京市某局", None)),
    (["北京市某局部门 2026 年度", "部门预算信息公开"], ("budget", "department", 2026, "北京市某局", None)),
    (["2026年", "广州市某局部门预算", "目 录"], ("budget", "department", 2026, "广州市某局", None)),
    (["2018 年度某省高级", "人民法院预算公开", "2018 年 2 月 24 日"], ("budget", None, 2018, "某省高级人民法院", None)),
    (["某大学", "2021 年度部门预算", "2021 年 4 月"], ("budget", "department", 2021, "某大学", None)),
    # the year first, 部门综合预算, 公开说明 / 报表 / 公开表
    (["2019 年某市轨道交通局 部门决算"], ("final", "department", 2019, "某市轨道交通局", None)),
    (["中共某市委宣传部 2021 年部门综合预算"], ("budget", "department", 2021, "中共某市委宣传部", None)),
    (["某省2018年度", "省级部门预算公开报表", "部 门:中共某省委办公厅"], ("budget", "department", 2018, "中共某省委办公厅", None)),
    # the year last, in brackets (a central department's cover)
    (["国家某某局部门预算（2026）", "目 录"], ("budget", "department", 2026, "国家某某局", None)),
    (["国家某局部门决算(2025年度)"], ("final", "department", 2025, "国家某局", None)),
    # 汇总: the department's consolidated document; 本级: the department's own office as a unit
    (["某市审计局（汇总）", "2026年部门预算公开说明"], ("budget", "department", 2026, "某市审计局", None)),
    (["2026 年度", "某市住房和城乡建设局（本级）", "单位预算公开"],
     ("budget", "unit", 2026, "某市住房和城乡建设局", "某市住房和城乡建设局（本级）")),
    # 部门： and 单位名称： lines (not 单位：万元); a form's 单位名称 is the department of a department document
    (["收支预算总表", "部门：中国共产党某省委员会办公厅 单位：万元"], ("budget", "department", None, "中国共产党某省委员会办公厅", None)),
    (["2026年某局部门预算", "单位名称：某局 单位：万元"], ("budget", "department", 2026, "某局", None)),
    (["上海市2026年市级单位预算", "预算单位：某办公室", "单位名称：某办公室 单位：元"], ("budget", "unit", 2026, None, "某办公室")),
    # what is not a name: a sentence, a part number, a subject of the narrative
    (["根据省财政厅关于编制省级 2018 年度部门预算"], ("budget", "department", 2018, None, None)),
    (["第三部分 2026年部门预算情况说明"], ("budget", "department", 2026, None, None)),
    (["一、2026年“三公”经费预算情况说明"], ("final", None, None, None, None)),
    (["2026年一般公共预算支出表"], ("final", None, None, None, None)),  # a table title: no name, no headline
])
def test_meta_from_any_cover(lines, expected):
    found, warnings = meta_of(lines)
    assert found == expected
    assert warnings == []


@pytest.mark.parametrize("name, expected", [
    ("北京__某局_附件2：北京市某局2026年度部门预算报表.pdf", ("budget", "department", 2026, "北京市某局", None)),
    ("某办公厅__某办公厅2017年预算公开表格.pdf", ("budget", None, 2017, "某办公厅", None)),
    ("上海__某局_上海市某局(本级)2026年度预算.pdf", ("budget", "unit", 2026, "上海市某局", "上海市某局(本级)")),
    # a year written without its 年 in a file's name
    ("某办公厅__某办公厅2018度部门预算公开表.pdf", ("budget", "department", 2018, "某办公厅", None)),
    ("某办公厅__省某办公厅2018预算公开.pdf", ("budget", None, 2018, "省某办公厅", None)),
    ("report.pdf", ("final", None, None, None, None)),
])
def test_meta_from_the_file_name_last(name, expected):
    meta = Meta(source=f"/some/folder/{name}")
    _, warnings = read_meta(meta, [("预算01表 收支总表", None, 1), ("金额单位：万元", None, 1)])
    assert (meta.kind, meta.scope, meta.year, meta.department, meta.unit_name) == expected
    codes = [w.code for w in warnings]
    assert ("meta-file-name" in codes) == (expected[2] is not None)


def test_the_file_name_never_overrides_the_document():
    meta = Meta(source="/x/某部_2026年部门预算.pdf")
    _, warnings = read_meta(meta, [("中共某市委宣传部 2021 年部门综合预算", None, 1)])
    assert (meta.year, meta.department) == (2021, "中共某市委宣传部")
    assert not [w for w in warnings if w.code.startswith("meta")]
    assert file_signals("/x/某部_2026年部门预算.pdf")  # it said something: it was not asked


@pytest.mark.parametrize("kind, word", [("budget", "部门预算"), ("final", "部门决算")])
def test_meta_missing_names_the_kind_read(kind, word):
    text = "2026年部门预算\n" if kind == "budget" else "2017年部门决算\n"
    meta = Meta()
    _, warnings = read_meta(meta, [(text.strip(), 1, None), ("没有名称", 2, None)])
    assert meta.kind == kind
    missing = [w for w in warnings if w.code == "meta-missing"]
    assert len(missing) == 1 and f"XX局2024年度{word}" in missing[0].message


#: Every file of the national sample: kind, scope, year, department, unit (checked against each PDF's cover,
#: 编制/部门 lines and, where the PDF names neither department nor year, its file name).
NATIONAL_META = {
    "beijing/北京__司法局_附件1：北京市司法局2026年度部门预算情况说明.pdf": ("budget", "department", 2026, "北京市司法局", None),
    "beijing/北京__司法局_附件2：北京市司法局2026年度部门预算报表.pdf": ("budget", "department", 2026, "北京市司法局", None),
    "beijing/北京__审计局_附件1：北京市审计局2026年度部门预算情况说明.pdf": ("budget", "department", 2026, "北京市审计局", None),
    "beijing/北京__审计局_附件2：北京市审计局2026年度部门预算报表.pdf": ("budget", "department", 2026, "北京市审计局", None),
    "beijing/北京__统计局_附件1：北京市统计局2026年度部门预算情况说明.pdf": ("budget", "department", 2026, "北京市统计局", None),
    "beijing/北京__统计局_附件2：北京市统计局2026年度部门预算报表.pdf": ("budget", "department", 2026, "北京市统计局", None),
    "beijing/北京__退役军人事务局_附件1：北京市退役军人事务局2026年度部门预算情况说明.pdf":
        ("budget", "department", 2026, "北京市退役军人事务局", None),
    "beijing/北京__退役军人事务局_附件2：北京市退役军人事务局2026年度部门预算报表.pdf":
        ("budget", "department", 2026, "北京市退役军人事务局", None),
    "central/国家信访局__2026年部门预算.pdf": ("budget", "department", 2026, "国家信访局", None),
    "foshan/佛山__交通运输局_2019年佛山市轨道交通局部门决算.pdf": ("final", "department", 2019, "佛山市轨道交通局", None),
    "guangzhou/广州__信访局_2026年部门预算.pdf": ("budget", "department", 2026, "广州市信访局", None),
    "guangzhou/广州__卫生健康委员会_2026年部门预算.pdf": ("budget", "department", 2026, "广州市卫生健康委员会", None),
    "guangzhou/广州__商务局_2026年部门预算.pdf": ("budget", "department", 2026, "广州市商务局", None),
    "guangzhou/广州__统计局_2026年部门预算.pdf": ("budget", "department", 2026, "广州市统计局", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2017年部门预算.pdf": ("budget", "department", 2017, "江苏省委办公厅", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2017年预算公开表格.pdf":
        ("budget", "department", 2017, "中国共产党江苏省委员会办公厅", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开文件.pdf": ("budget", "department", 2018, "江苏省委办公厅", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开表.pdf": ("budget", "department", 2018, "中共江苏省委办公厅", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开文件.pdf": ("budget", "department", 2019, "江苏省委办公厅", None),
    "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf": ("budget", "department", 2019, "中共江苏省委办公厅", None),
    "jiangsu/江苏省高级人民法院__江苏省高级人民法院2019年度部门预算公开.pdf": ("budget", "department", 2019, "江苏省高级人民法院", None),
    "jiangsu/江苏省高级人民法院__省法院2017年度部门预算公开.pdf": ("budget", "department", 2017, "江苏省高级人民法院", None),
    "jiangsu/江苏省高级人民法院__省法院2018年度部门预算公开.pdf": ("budget", "department", 2018, "江苏省高级人民法院", None),
    "shanghai-city/上海__信访局_上海市信访办公室单位2026年度预算.pdf": ("budget", "unit", 2026, None, "上海市信访办公室"),
    "shanghai-city/上海__审计局_上海市审计局(本级)2026年度预算.pdf": ("budget", "unit", 2026, "上海市审计局", "上海市审计局"),
    "swu-university/西南大学__2021年部门预算.pdf": ("budget", "department", 2021, "西南大学", None),
    "swu-university/西南大学__2023年部门决算.pdf": ("final", "department", 2023, "西南大学", None),
    "swu-university/西南大学__2023年部门预算.pdf": ("budget", "department", 2023, "西南大学", None),
    "wuxi/无锡__住房和建设局_无锡市住房和城乡建设局（本级）2026年度单位预算公开.pdf":
        ("budget", "unit", 2026, "无锡市住房和城乡建设局", "无锡市住房和城乡建设局（本级）"),
    "wuxi/无锡__商务局_2026年部门预算.pdf": ("budget", "department", 2026, "无锡市商务局", None),
    "wuxi/无锡__统计局_无锡市统计局2026年度部门预算公开.pdf": ("budget", "department", 2026, "无锡市统计局", None),
    "xian/西安__审计局_西安市审计局（汇总）2026年部门预算.pdf": ("budget", "department", 2026, "西安市审计局", None),
    "xian/西安__宣传部_2026年部门预算.pdf": ("budget", "department", 2021, "中共西安市委宣传部", None),  # the cover says 2021
    "xian/西安__统计局_西安市统计局（汇总）2026年部门预算.pdf": ("budget", "department", 2026, "西安市统计局", None),
}
_national: dict = {}


def national_report(name):
    if name not in _national:
        _national[name] = load(NATIONAL / name)
    return _national[name]


@national
@pytest.mark.parametrize("name", list(NATIONAL_META))
def test_national_meta(name):
    if not (NATIONAL / name).exists():
        pytest.skip(f"{name} is not in the national sample here")
    meta = national_report(name).meta
    assert (meta.kind, meta.scope, meta.year, meta.department, meta.unit_name) == NATIONAL_META[name]
    assert not [w for w in national_report(name).warnings if w.code in ("meta-conflict", "meta-missing")]


# -- documents without tables -------------------------------------------------------------------------------
NARRATIVE_ONLY = """某局2024年部门预算
第三部分 情况说明
一、收入预算情况说明
2024年收入预算100万元，比上年增加10万元，主要原因是人员增加。
二、支出预算情况说明
2024年支出预算100万元，其中基本支出80万元，项目支出20万元。
"""


def test_a_narrative_without_tables_loads_and_the_missing_tables_are_named():
    report = parse_text(NARRATIVE_ONLY, source="说明.txt")
    assert (report.meta.kind, report.meta.year, report.meta.department) == ("budget", 2024, "某局")
    assert report.tables == {} and [s.title for s in report.narrative] == ["收入预算情况说明", "支出预算情况说明"]
    assert [w.code for w in report.warnings] == ["tables-absent"]
    result = audit(report)
    missing = {f.kind for f in result.findings if f.code == "FA-B001"}
    assert {"summary", "income", "expenditure", "three_public"} <= missing
    notes = [f for f in result.findings if f.code == "FA-L001"]
    assert notes and all(f.severity == "info" for f in notes)  # the reader lost nothing


@pytest.mark.parametrize("text, expected", [
    ("这不是一份报告。\n只是一些文字，没有表格，也没有说明它是什么文件的标题。\n", "部门预算 or 部门决算"),
    ("某局2024年部门预算\n目录\n", "recognisable 部门预算 table"),  # names itself, but no narrative
])
def test_neither_narrative_nor_tables_is_refused(text, expected):
    with pytest.raises(ReportFormatError) as error:
        parse_text(text, source="x.txt")
    assert expected in str(error.value)


@national
@pytest.mark.parametrize("name, sections", [
    ("beijing/北京__司法局_附件1：北京市司法局2026年度部门预算情况说明.pdf",
     ["部门情况说明", "收入预算情况说明", "支出预算情况说明", "财政拨款“三公”经费预算情况说明", "其他情况说明"]),
    ("beijing/北京__审计局_附件1：北京市审计局2026年度部门预算情况说明.pdf",
     ["部门情况说明", "收入预算情况说明", "支出预算情况说明", "财政拨款“三公”经费预算情况说明", "其他情况说明"]),
    ("jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开文件.pdf",
     ["收支预算总体情况说明", "收入预算情况说明", "支出预算情况说明"]),
    ("jiangsu/江苏省委办公厅__江苏省委办公厅2017年部门预算.pdf", ["收支预算总表情况说明"]),
])
def test_national_narratives_without_tables(name, sections):
    report = national_report(name)
    assert not report.tables and [w.code for w in report.warnings] == ["tables-absent"]
    assert report.coverage().total == 0  # the narrative's numbers are not table numbers
    titles = [s.title for s in report.narrative]
    assert all(title in titles for title in sections), titles


# -- documents in two files ---------------------------------------------------------------------------------
@pytest.fixture()
def seed_halves(tmp_path):
    """The seed as two files: its 情况说明 (parts 1, 3, 4) and its 报表 (part 2)."""
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("第二部分"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    narrative, tables = tmp_path / "柳江-2017-情况说明.txt", tmp_path / "柳江-2017-报表.txt"
    narrative.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    tables.write_text("".join(lines[start:end]), encoding="utf-8")
    return narrative, tables


def test_two_files_are_one_report(seed_halves):
    narrative, tables = seed_halves
    whole = finaudit.load(SEED)
    for order in (seed_halves, (tables, narrative)):
        report = finaudit.load(list(order))
        assert report == whole  # meta, tables, narrative, glossary, overview as in the one file
        assert report.meta.files == {"narrative": str(narrative), "tables": str(tables)}
        assert report.meta.sources == [str(narrative), str(tables)]
        assert report.meta.file_of("narrative") == str(narrative) and report.meta.file_of("summary") == str(tables)
        assert not {"tables-absent", "narrative-missing"} & {w.code for w in report.warnings}
        assert sorted(f.key for f in audit(report).findings) == sorted(f.key for f in audit(whole).findings)


def test_files_of_two_documents_are_not_one(seed_halves, tmp_path):
    other = tmp_path / "其他-说明.txt"
    other.write_text(NARRATIVE_ONLY, encoding="utf-8")
    with pytest.raises(ReportFormatError, match="the files of one document"):
        finaudit.load([seed_halves[1], other])
    assert documents([seed_halves[0], other, seed_halves[1]], finaudit.load) == [
        [seed_halves[0], seed_halves[1]], [other]]


def test_the_dashboard_takes_both_files_of_one_document(seed_halves):
    """An upload of the 情况说明 and the 报表 together (either order) is one report, named by both files (not their
    temporary paths); three files, or files of two documents, are refused with a message and nothing loaded."""
    from finaudit.views.dashboard import ReportPicker

    picker = ReportPicker("?", lambda loaded: None)
    files = [(path.name, path.read_bytes()) for path in seed_halves]
    loaded = picker.load_uploads(files[::-1])
    whole = finaudit.load(SEED)
    assert loaded.name == f"{seed_halves[1].name} + {seed_halves[0].name}"
    assert loaded.report.meta.files == {"narrative": seed_halves[0].name, "tables": seed_halves[1].name}
    assert sorted(f.key for f in loaded.result.findings) == sorted(f.key for f in audit(whole).findings)
    with pytest.raises(ReportFormatError, match="two files of one document|两个文件"):
        picker.load_uploads(files + [("third.txt", b"x")])
    with pytest.raises(ReportFormatError, match="the files of one document"):
        picker.load_uploads([files[1], ("其他-说明.txt", NARRATIVE_ONLY.encode())])


#: The national two-file documents: (情况说明, 报表).
PAIRS = [
    ("beijing/北京__司法局_附件1：北京市司法局2026年度部门预算情况说明.pdf", "beijing/北京__司法局_附件2：北京市司法局2026年度部门预算报表.pdf"),
    ("beijing/北京__审计局_附件1：北京市审计局2026年度部门预算情况说明.pdf", "beijing/北京__审计局_附件2：北京市审计局2026年度部门预算报表.pdf"),
    ("beijing/北京__统计局_附件1：北京市统计局2026年度部门预算情况说明.pdf", "beijing/北京__统计局_附件2：北京市统计局2026年度部门预算报表.pdf"),
    ("beijing/北京__退役军人事务局_附件1：北京市退役军人事务局2026年度部门预算情况说明.pdf",
     "beijing/北京__退役军人事务局_附件2：北京市退役军人事务局2026年度部门预算报表.pdf"),
    ("jiangsu/江苏省委办公厅__江苏省委办公厅2017年部门预算.pdf", "jiangsu/江苏省委办公厅__江苏省委办公厅2017年预算公开表格.pdf"),
    ("jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开文件.pdf", "jiangsu/江苏省委办公厅__江苏省委办公厅2018年度部门预算公开表.pdf"),
    ("jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开文件.pdf", "jiangsu/江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf"),
]


@national
def test_national_pairs_group_by_what_they_say():
    names = [n for n in NATIONAL_META if n.startswith(("beijing/", "jiangsu/")) and (NATIONAL / n).exists()]
    if len(names) < 16:
        pytest.skip("the beijing and jiangsu files are not all here")
    reports = {n: national_report(n) for n in names}
    # file order scrambled: the grouping comes from what the files say, not from their order or names
    order = sorted(names, key=lambda n: n[::-1])
    grouped = group([reports[n] for n in order])
    by_report = {id(r): n for n, r in reports.items()}
    found = sorted(tuple(by_report[id(r)] for r in members) for members in grouped if len(members) > 1)  # 情况说明 first
    assert found == sorted(PAIRS)
    alone = [members[0] for members in grouped if len(members) == 1]
    assert sorted(by_report[id(r)] for r in alone) == sorted(n for n in names if n.startswith("jiangsu/江苏省高级"))
    for narrative, tables in PAIRS:
        report = merge([reports[narrative], reports[tables]])
        assert report.tables and report.narrative
        assert report.meta.files == {"narrative": str(NATIONAL / narrative), "tables": str(NATIONAL / tables)}
        assert report.meta.department == NATIONAL_META[narrative][3]  # the 情况说明's cover names it


# -- info --format json -------------------------------------------------------------------------------------
def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "finaudit.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def assert_contract(entry):
    assert isinstance(entry["source"], list) and all(isinstance(s, str) for s in entry["source"])
    assert entry["kind"] in ("budget", "final") and entry["scope"] in ("department", "unit", None)
    assert isinstance(entry["year"], int) and isinstance(entry["department"], (str, type(None)))
    assert isinstance(entry["unit"], (str, type(None)))
    for table in entry["tables"]:
        assert set(table) >= {"kind", "title", "page", "rows", "columns"}
        assert isinstance(table["kind"], str) and isinstance(table["title"], str) and isinstance(table["rows"], int)
        assert isinstance(table["page"], (int, type(None))) and isinstance(table["columns"], list)
    coverage = entry["coverage"]
    assert coverage["numbers"] == coverage["placed"] + coverage["unplaced"] and 0 <= coverage["share"] <= 1
    assert isinstance(entry["narrative"]["sections"], int)
    for warning in entry["warnings"]:
        assert set(warning) >= {"code", "page", "message"} and isinstance(warning["code"], str)


def test_info_json_contract(seed_halves, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    done = run_cli("info", "--format", "json", BUDGET_PDF, SEED, *seed_halves, broken)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    entries = json.loads(done.stdout)
    assert len(entries) == 4  # the two halves are one document
    pdf, text, pair, error = entries
    for entry in (pdf, text, pair):
        assert_contract(entry)
    assert (pdf["kind"], pdf["scope"], pdf["year"]) == ("budget", "department", 2025)
    assert pdf["tables"] and all(t["page"] for t in pdf["tables"])
    assert (text["kind"], text["year"], text["source"]) == ("final", 2017, [str(SEED)])
    assert pair["source"] == [str(p) for p in seed_halves] and pair["narrative"]["sections"] == text["narrative"]["sections"]
    assert [t["kind"] for t in pair["tables"]] == [t["kind"] for t in text["tables"]]
    assert error["source"] == [str(broken)] and "error" in error and "kind" not in error


@national
@pytest.mark.parametrize("name", list(NATIONAL_META))
def test_info_json_of_every_national_file(name):
    """Each file of the national sample, alone: the contract, what the document is (a 单位 document that names no
    department is filed under its unit), and no table unrecognised."""
    from finaudit.cli import info_entry

    entry = info_entry([NATIONAL / name], national_report(name))
    assert_contract(entry)
    kind, scope, year, department, unit = NATIONAL_META[name]
    assert (entry["kind"], entry["scope"], entry["year"], entry["department"], entry["unit"]) == (
        kind, scope, year, department or unit, unit)
    assert not [w for w in entry["warnings"] if "unknown" in w["code"]]


def test_info_json_names_unknown_tables(tmp_path):
    """A table title of no known kind is a warning whose code contains "unknown"."""
    from finaudit.cli import info_entry

    text = SEED.read_text(encoding="utf-8").replace("表八：政府性基金预算财政拨款收入支出决算", "表八：某某专项资金情况表")
    (tmp_path / "seed.txt").write_text(text, encoding="utf-8")
    entry = info_entry([tmp_path / "seed.txt"], load(tmp_path / "seed.txt"))
    assert_contract(entry)
    assert any("unknown" in w["code"] and "某某专项资金情况表" in w["message"] for w in entry["warnings"])


def test_check_two_files_checks_one_report(seed_halves):
    done = run_cli("check", *seed_halves, "--format", "json")
    whole = run_cli("check", SEED, "--format", "json")
    keys = lambda out: sorted(f["key"] for f in json.loads(out))  # noqa: E731
    assert done.returncode == whole.returncode and keys(done.stdout) == keys(whole.stdout)
    text = run_cli("check", *seed_halves).stdout
    assert f"{seed_halves[0]} + {seed_halves[1]}" in text.splitlines()[0]


def test_batch_reads_a_folder_with_both_files_as_one_report(seed_halves, tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    done = run_cli("check", tmp_path, "--no-cross", "--format", "json")
    entries = json.loads(done.stdout)
    assert len(entries) == 2
    pair = next(e for e in entries if "files" in e)
    assert pair["files"] == [str(p) for p in seed_halves]
    assert pair["counts"] == next(e for e in entries if "files" not in e)["counts"]
    dossier = run_cli("check", tmp_path, "--format", "json")
    assert len([e for e in json.loads(dossier.stdout) if "files" in e]) == 1


def test_the_dossier_reads_a_document_in_two_files_as_one(seed_halves):
    from finaudit.dossier import dossier

    folder = dossier(seed_halves[0].parent)
    assert len(folder.documents) == 1
    document = folder.documents[0]
    assert document.report.meta.files and document.path == seed_halves[1] and document.result is not None
    assert not dossier(seed_halves[0].parent, audited=False).documents[0].result


def test_publish_writes_one_page_for_a_document_in_two_files(seed_halves, tmp_path):
    """`finaudit publish` over a folder holding the seed's 情况说明 and 报表 files: one page, named in the index by
    both files, with the seed's counts."""
    from finaudit.export.publish import publish

    entries = publish(list(seed_halves), tmp_path / "site")
    whole = audit(finaudit.load(SEED))
    assert len(entries) == 1 and entries[0]["source"] == f"{seed_halves[0].name} + {seed_halves[1].name}"
    assert entries[0]["counts"] == whole.counts
    assert (tmp_path / "site" / entries[0]["page"]).exists()

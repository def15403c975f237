"""Classification-code rules (FA-Cnnn): form, parent and name of each function or economic code."""

from __future__ import annotations

from typing import Iterator

from finaudit import codes
from finaudit.findings import Finding
from finaudit.rules.registry import BOTH, Check, InsufficientData, View, rule
from finaudit.rules.tables import CODED, name_of


def coded_rows(check: Check) -> Iterator[tuple[View, int, str]]:
    for table in check.views.values():
        if table.kind in CODED or table.kind == "basic_expenditure":
            for code, rows in table.by_code.items():
                for row in rows:
                    yield table, row, code


@rule("FA-C001", "error", "科目编码格式错误", "Malformed classification code", documents=BOTH)
def malformed_code(check: Check) -> list[Finding]:
    """Every function code has 3 (类), 5 (款) or 7 (项) digits; every economic code 3 or 5.
    Basis: primer, code checks."""
    return [
        check.finding(t.cell(row, "label"), f"{name_of(t)} 科目编码 {code} 长度或字符不符（应为3/5/7位数字）",
                      f"{name_of(t)} code {code}: not a 3/5/7-digit code")
        for t, row, code in coded_rows(check) if codes.level(code, t.system) is None
    ]


@rule("FA-C002", "error", "上级科目缺失", "Parent code missing", documents=BOTH)
def parent_missing(check: Check) -> list[Finding]:
    """A 款 or 项 row's parent (its 类 or 款) is printed in the same table. Basis: primer, code checks."""
    findings = []
    for t, row, code in coded_rows(check):
        parent = codes.parent(code, t.system)
        if parent and parent not in t.by_code:
            findings.append(check.finding(t.cell(row, "label"), f"{name_of(t)} {code} 的上级科目 {parent} 未列示",
                                          f"{name_of(t)} {code}: parent {parent} is not in the table"))
    return findings


@rule("FA-C003", "warning", "科目编码不在当年科目表中", "Code not in the year's list", documents=BOTH)
def unknown_code(check: Check) -> list[Finding]:
    """A well-formed code should be in that year's 政府收支分类科目 (or 支出经济分类科目). finaudit's
    list covers all 类 and the 款/项 departments use most, so a miss is a warning: check it.
    Basis: primer, code checks."""
    year = check.report.meta.year
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    for t, row, code in coded_rows(check):
        if codes.level(code, t.system) is None or codes.name(code, year, t.system):
            continue
        other = codes.known_names(code, t.system)
        note_zh = f"（其他年度名称：{'、'.join(other)}）" if other else ""
        note_en = f" (names in other years: {', '.join(other)})" if other else ""
        findings.append(check.finding(t.cell(row, "label"), f"{name_of(t)} {code} 不在 {year} 年科目表中{note_zh}",
                                      f"{name_of(t)} {code} is not in finaudit's {year} list{note_en}"))
    return findings


@rule("FA-C004", "warning", "科目名称与编码不符", "Name does not match the code", documents=BOTH)
def code_name(check: Check) -> list[Finding]:
    """A row's name is the name of its code in that year's list (brackets, spaces and enumeration
    ignored). A name of the same code from another year is reported as such. Basis: primer, code checks."""
    year = check.report.meta.year
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    for t, row, code in coded_rows(check):
        official = codes.name(code, year, t.system)
        label = t.rows[row]["label"]
        if not official or codes.normalise_name(label) == codes.normalise_name(official):
            continue
        others = [n for n in codes.known_names(code, t.system) if codes.normalise_name(n) == codes.normalise_name(label)]
        zh = f"{name_of(t)} {code} 名称“{label}”，{year} 年科目表为“{official}”" + ("（为其他年度名称）" if others else "")
        en = f"{name_of(t)} {code} named {label!r}; the {year} list says {official!r}" + (" (a name of another year)" if others else "")
        findings.append(check.finding(t.cell(row, "label"), zh, en))
    return findings


# -- completeness and load ----------------------------------------------------------------------

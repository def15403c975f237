"""Classification-code rules (FA-Cnnn): form, parent and name of each function or economic code.

finaudit's code lists are incomplete and some of their year bounds are estimates
(finaudit/data/README.md), so a code or a name that differs from them is a note for the auditor to
check. The report itself is blamed only where it contradicts itself (one code printed with two
names), where a name is that of a sibling code, or where a code is malformed or printed without
its parent.
"""

from __future__ import annotations

from collections.abc import Iterator

from finaudit import codes
from finaudit.findings import Finding
from finaudit.words import Text, joined
from finaudit.rules.registry import BOTH, Check, InsufficientData, View, rule
from finaudit.rules.tables import CODED, name_of

LENGTHS = {codes.FUNCTION: "3/5/7", codes.ECONOMIC: "3/5/7"}


def coded_rows(check: Check) -> Iterator[tuple[View, int, str]]:
    for table in check.views.values():
        if table.kind in CODED or table.kind == "basic_expenditure":
            for code, rows in table.by_code.items():
                check.examined(len(rows))
                for row in rows:
                    yield table, row, code


def one_level(table: View) -> bool:
    """Given a table, return whether it lists codes of the deepest level only, several of them (Beijing's
    budget tables print the 项 alone, with no 类 or 款 rows): a listing, not a hierarchy whose parents
    must be printed (a table of 款 alone still misses its 类)."""
    # 项 (7 digits); an economic 款 (5 digits) or a place's sub-item of one (7 digits, 北京's 差旅费 under 30211)
    leaves = {3} if table.system == codes.FUNCTION else {2, 3}
    levels = {codes.level(code, table.system) for code in table.by_code} - {None}
    return bool(levels) and levels <= leaves and len(table.by_code) > 1


def printed(check: Check) -> dict[tuple[str, str], list[tuple[View, int, str]]]:
    """(system, code) → every row printing that well-formed code with a label: (table, row, label), in table order."""
    found: dict[tuple[str, str], list[tuple[View, int, str]]] = {}
    for table, row, code in coded_rows(check):
        label = (table.rows[row]["label"] or "").strip()
        if label and codes.level(code, table.system) is not None:
            found.setdefault((table.system, code), []).append((table, row, label))
    return found


def same_name(a: str, b: str) -> bool:
    """Two printed names of one code agree: equal once normalised, or one cut short of the other
    (a name wrapped in its cell and read in part is not a second name)."""
    a, b = codes.normalise_name(a), codes.normalise_name(b)
    return a.startswith(b) or b.startswith(a)


def siblings_named(code: str, label: str, year: int, system: str) -> list[str]:
    """The codes of the same parent whose name in that year is `label`, if `label` was never this code's own name."""
    wanted = codes.normalise_name(label)
    if wanted in {codes.normalise_name(n) for n in codes.known_names(code, system)}:
        return []
    up = codes.parent(code, system)
    return [c for c in codes.codes_named(wanted, year, system) if c != code and codes.parent(c, system) == up]


def report_year(check: Check) -> int:
    year = check.report.meta.year
    if not year:
        raise InsufficientData("the report's year is unknown")
    return year


def where_printed(rows: list[tuple[View, int, str]]) -> Text:
    """The tables that print the rows, each once: 表三、表五 / Table 3, Table 5."""
    return joined(list(dict.fromkeys(name_of(t) for t, _, _ in rows)))


@rule("FA-C001", "error", "科目编码格式错误", "Malformed classification code",
      messages={"malformed": ("{table} 科目编码 {code} 长度或字符不符（应为{lengths}位数字）",
                              "{table} code {code}: not a {lengths}-digit code")}, documents=BOTH)
def malformed_code(check: Check) -> list[Finding]:
    """Every function code has 3 (类), 5 (款) or 7 (项) digits; every economic code 3 or 5.
    Basis: primer, code checks. Known false positives: none; a code the loader split wrongly would show here."""
    return [check.say("malformed", t.cell(row, "label"), table=name_of(t), code=code, lengths=LENGTHS[t.system])
            for t, row, code in coded_rows(check) if codes.level(code, t.system) is None]


@rule("FA-C002", "error", "上级科目缺失", "Parent code missing",
      messages={"missing": ("{table} {code} 的上级科目 {parent} 未列示{hint}",
                            "{table} {code}: parent {parent} is not in the table{hint}"),
                "hint": ("（表中 {typo} 疑为 {parent} 之误）", " ({typo} in the table looks like a mistyped {parent})")},
      documents=BOTH)
def parent_missing(check: Check) -> list[Finding]:
    """A 款 or 项 row's parent (its 类 or 款) is printed in the same table. Basis: primer, code checks.
    Where a malformed code in the table carries a name the parent has had (a mistyped parent, also
    reported by FA-C001), the message says so. A table listing codes of the deepest level only (the 项 alone,
    as Beijing's budget tables do) is a listing, not a hierarchy: its parents are not expected. Known false
    positives: none."""
    findings = []
    listings = {t.kind for t in check.views.values() if one_level(t)}
    for t, row, code in coded_rows(check):
        parent = codes.parent(code, t.system)
        if not parent or parent in t.by_code or t.kind in listings:
            continue
        names = {codes.normalise_name(n) for n in codes.known_names(parent, t.system)}
        typo = next((c for c, rows in t.by_code.items() if codes.level(c, t.system) is None
                     and any(codes.normalise_name(t.rows[r]["label"] or "") in names for r in rows)), None)
        findings.append(check.say(
            "missing", t.cell(row, "label"), table=name_of(t), code=code, parent=parent,
            hint=check.rule.messages["hint"].format(typo=typo, parent=parent) if typo else Text("", "")))
    return findings


@rule("FA-C003", "info", "科目编码不在 finaudit 的科目表中", "Code not in finaudit's list for the year",
      messages={"unlisted": (
          "{tables} {code}“{label}”不在 finaudit 的 {year} 年科目表中{note}；finaudit 的科目表不全，请对照当年《政府收支分类科目》核对",
          ("{tables} {code} {label!r} is not in finaudit's {year} list{note}; finaudit's list is incomplete: "
           "check it against that year's official list")),
          "note": ("（finaudit 表中该编码：{spans}）", " (finaudit lists it as: {spans})"),
          "span": ("{name}（{first}–{last}）", "{name} ({first}–{last})")}, documents=BOTH)
def unknown_code(check: Check) -> list[Finding]:
    """A well-formed code is looked up in finaudit's list for the report's year. The list holds every
    类, most 款 and the 项 departments use most, and some year bounds are estimates, so a code
    missing from it is a note about finaudit's list, not a finding against the report (one note per
    code, citing every row that prints it). Basis: primer, code checks; finaudit/data/README.md."""
    year = report_year(check)
    findings, messages = [], check.rule.messages
    for (system, code), rows in printed(check).items():
        if codes.name(code, year, system) or any(siblings_named(code, label, year, system) for _, _, label in rows):
            continue  # listed, or named as a sibling: FA-C004's warning
        spans = [messages["span"].format(name=name, first=first or "", last=last or "")
                 for name, first, last in codes.periods(code, system)]
        table, row, label = rows[0]
        findings.append(check.say(
            "unlisted", table.cell(row, "label"), cells=[t.cell(r, "label") for t, r, _ in rows],
            tables=where_printed(rows), code=code, label=label, year=year,
            note=messages["note"].format(spans=joined(spans)) if spans else Text("", "")))
    return findings


@rule("FA-C004", "warning", "科目名称与编码不符", "Name does not match the code",
      messages={
          "sibling": ("{tables} {code} 名称“{label}”是同级科目 {other} 在 {year} 年的名称（{own}）",
                      "{tables} {code} is named {label!r}, the {year} name of its sibling {other} ({own})"),
          "official": ("{code} 为“{official}”", "{code} is {official!r}"),
          "unlisted": ("{code} 不在 finaudit 的 {year} 年科目表中", "{code} is not in finaudit's {year} list"),
          "other_year": ("{tables} {code} 名称“{label}”为该科目其他年度的名称，{year} 年为“{official}”",
                         "{tables} {code} is named {label!r}, its name in another year; in {year} it is {official!r}"),
          "differs": ("{tables} {code} 名称“{label}”与 finaudit 的 {year} 年科目表（“{official}”）不同，请核对",
                      "{tables} {code} is named {label!r}; finaudit's {year} list says {official!r}: check it"),
      }, documents=BOTH)
def code_name(check: Check) -> list[Finding]:
    """A row's name is the name of its code in that year's list (brackets, spaces and enumeration
    ignored). A warning when the name is that of a sibling code (same parent) in that year and was
    never this code's name: code and name do not belong together. A note when the name is this
    code's name of another year (an old name kept), or otherwise differs from finaudit's list (which
    may lag a rename). One finding per code and name, citing every row. Basis: primer, code checks.
    Known false positives: a sibling's name used with a local (provincial) extension of the code."""
    year = report_year(check)
    findings = []
    for (system, code), rows in printed(check).items():
        official = codes.name(code, year, system)
        labels: dict[str, list[tuple[View, int, str]]] = {}
        for entry in rows:
            labels.setdefault(codes.normalise_name(entry[2]), []).append(entry)
        for wanted, group in labels.items():
            if official and codes.normalise_name(official) == wanted:
                continue
            table, row, label = group[0]
            siblings = siblings_named(code, label, year, system)
            if siblings:
                key, severity = "sibling", None
            elif not official:
                continue  # not in this year's list: FA-C003's note
            else:
                known = {codes.normalise_name(n) for n in codes.known_names(code, system)}
                key, severity = ("other_year" if wanted in known else "differs"), "info"
            findings.append(check.say(
                key, table.cell(row, "label"), cells=[t.cell(r, "label") for t, r, _ in group], severity=severity,
                tables=where_printed(group), code=code, label=label, year=year, official=official,
                other="、".join(siblings),
                own=check.rule.messages["official" if official else "unlisted"].format(code=code, official=official, year=year)))
    return findings


@rule("FA-C005", "warning", "同一科目编码名称不一", "One code printed with two names",
      messages={"two_names": ("科目 {code} 在报告中名称不一：{names}",
                              "code {code} is printed with different names: {names}")}, documents=BOTH)
def one_code_two_names(check: Check) -> list[Finding]:
    """Every row that prints a code gives it the same name, in every table of the report (brackets,
    spaces, enumeration ignored; a name cut short in its cell counts as the same). Two names for one
    code mean one of them is wrong, whatever finaudit's list says. One finding per code, at the first
    row with a second name. Basis: primer, code checks (names per year). Known false positives: a
    label the loader read together with a neighbouring cell's text."""
    findings = []
    for (_, code), rows in printed(check).items():
        names: list[tuple[View, int, str]] = []
        for entry in rows:
            if not any(same_name(entry[2], seen[2]) for seen in names):
                names.append(entry)
        if len(names) > 1:
            table, row, _ = names[1]
            findings.append(check.say(
                "two_names", table.cell(row, "label"), cells=[t.cell(r, "label") for t, r, _ in rows], code=code,
                names="、".join(f"{name_of(t)}“{label}”" for t, _, label in names)))
    return findings

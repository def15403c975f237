"""Cross-document rules (FA-D): two documents of one department read together. Codes are permanent.

A cross-document rule takes a ``Pair`` of reports rather than one report: a 预算 and the 决算 of the
same year (``budget_final``), a 部门 document and one of its 单位 documents of the same year and kind
(``department_unit``), or a document and the same department's document of the previous year
(``year_on_year``). Rules register with ``@cross_rule`` in ``CROSS_REGISTRY``, beside the single-report
``REGISTRY``; they share its message templates, ``compare`` and the rounding band. Every finding is a
``CrossFinding``: a ``Finding`` whose cells each name the document they come from.

Units: tables print 元 or 万元, narratives 万元; every comparison converts to 万元 and takes half the
printed step of each figure compared (the band of the coarser figure dominates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Sequence

from finaudit import cite
from finaudit.findings import CellRef, Finding, RuleOutcome, Severity
from finaudit.words import Text
from finaudit.read.patterns import lazy
from finaudit.model import FUNCTION_TABLES, Report, kind_name
from finaudit.read.claims import Change, Item, claims, subject_code
from finaudit.rules.budget import scale, step
from finaudit.rules.budget_narrative import _NUMBER, STATEMENTS, amount, flat, half
from finaudit.rules.narrative import printed_band
from finaudit.rules.registry import SHARED, Check, NotApplicable, Rule, Verdict, View, evaluate
from finaudit.words import LABELS

#: Relations between two documents: (Chinese, English) names; the first document of a pair comes first.
RELATIONS: dict[str, Text] = {relation: LABELS[f"relation.{relation}"] for relation in ("budget_final", "department_unit", "year_on_year")}
WAN = Decimal(10000)
THREE_PUBLIC_KEYS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_running", "reception", "operating_costs")


def label(report: Report) -> str:
    """A document as named in messages: "2025 部门预算 (file)"."""
    meta = report.meta
    scope = {"department": "部门", "unit": "单位"}.get(meta.scope or "", "")
    name = (meta.source or "").replace("\\", "/").rsplit("/", 1)[-1]
    return f"{meta.year or '?'}年{scope}{meta.kind_zh} {meta.entity or ''}（{name}）"


@dataclass(frozen=True)
class Pair:
    """Two documents in a relation: (budget, final), (department, unit) or (earlier, later)."""

    relation: str
    first: Report
    second: Report


@dataclass(frozen=True)
class CrossFinding:
    """A finding between two documents: `sides[i]` is the document (0 first, 1 second) of `finding.cells[i]`."""

    finding: Finding
    relation: str
    documents: tuple[str, str]
    sides: tuple[int, ...]
    #: ``Meta.source`` of the first and second document.
    pair_sources: tuple[str | None, str | None] = (None, None)

    def __getattr__(self, name):  # code, severity, message_zh, key … as the finding's
        return getattr(self.finding, name)

    def to_dict(self) -> dict:
        out = self.finding.to_dict()
        out["relation"] = self.relation
        out["documents"] = list(self.documents)
        for cell, side in zip(out["cells"], self.sides):
            cell["document"] = self.documents[side]
        return out

    @property
    def sources(self) -> list[str]:
        """Each cell's provenance with its document: "2025年部门预算 …（file） 表5 page 8"."""
        return [f"{self.documents[s]} {c.source}" for c, s in zip(self.finding.cells, self.sides)]


@dataclass(frozen=True)
class CrossRule(Rule):
    relation: str = ""


CROSS_REGISTRY: dict[str, CrossRule] = {}


def cross_rule(code: str, severity: str, title_zh: str, title_en: str, *, relation: str,
               messages: Mapping[str, tuple[str, str]] | None = None):
    """Register a cross-document rule ``(check: PairCheck) -> Iterable[CrossFinding]`` for one relation."""

    def register(function: Callable):
        if code in CROSS_REGISTRY:
            raise ValueError(f"cross-document rule code {code} registered twice")
        if relation not in RELATIONS:
            raise ValueError(f"rule {code}: relation {relation!r} not among {tuple(RELATIONS)}")
        catalogue = {key: Text(*texts) for key, texts in (messages or {}).items()}
        CROSS_REGISTRY[code] = CrossRule(code, Severity(severity), title_zh, title_en, (), function, catalogue,
                                         ("final", "budget"), relation)
        return function

    return register


class PairCheck(Check):
    """What a cross-document rule sees: the pair, a View per table of each document, findings on both."""

    def __init__(self, pair: Pair, rule: CrossRule, views: tuple[dict[str, View], dict[str, View]] | None = None):
        first, second = views or ({k: View(t) for k, t in pair.first.tables.items()},
                                  {k: View(t) for k, t in pair.second.tables.items()})
        super().__init__(pair.second, rule, second)
        self.pair, self.first_views = pair, first

    def across(self, key: str, where: tuple[int, CellRef], cells: Sequence[tuple[int, CellRef]], **fields) -> CrossFinding:
        """A finding located at `where` (document side, cell) citing `cells`, each with its document side (0, 1)."""
        _, cell = where
        finding = self.say(key, cell, cells=[c for _, c in cells], **fields)
        return CrossFinding(finding, self.pair.relation, (label(self.pair.first), label(self.pair.second)),
                            tuple(s for s, _ in cells), (self.pair.first.meta.source, self.pair.second.meta.source))


def in_wan(view: View, cell: CellRef) -> Decimal | None:
    return None if cell.value is None else cell.value * scale(view) / WAN


def half_step(view: View) -> Decimal:
    """Half the printed step of a table's figures, in 万元."""
    return step(view) / WAN / 2


def cited(view: View, row: int, column: str | None = None) -> Text:
    """A table cell as a reader finds it: 表五 2010101 行政运行 合计 / Table 5 2010101 行政运行 Total (the table as a
    message names it, ``cite.table_named``; the row's code and label as printed; the column, ``cite.column``)."""
    table, record = view.table, view.rows[row]
    name = " ".join(part for part in (record["code"], record["label"]) if part) or record["key"]
    return cite.together(cite.table_named(table.ordinal, table.kind, table.document),
                         Text(name, name) if name else LABELS["row_n"].format(n=row + 1), cite.column(table, column))


def place(cell: CellRef) -> Text:
    """Where a cell is, as cited: 表5 第8页 / Table 5 page 8, or the narrative section: 说明 三 第12页."""
    if cell.kind != "narrative":
        return cell.cited
    return cite.section(cell.row, cell.line, cell.page)


# -- 预算(Y) ↔ 决算(Y) --------------------------------------------------------------------------------
@cross_rule("FA-D001", "error", "决算所列年初预算与预算文件不符", "The final's initial budget differs from the budget document",
            relation="budget_final", messages={
                "differs": ("{what}：决算 {final_at} 年初预算 {stated:.2f} 万元，预算文件 {budget_at} 为 {value:.2f} 万元",
                            ("{what}: the final ({final_at}) states a initial budget of {stated:.2f} 10k yuan, "
                             "the budget document ({budget_at}) {value:.2f} 10k yuan"))})
def final_budget_matches_budget(check: PairCheck) -> list[CrossFinding]:
    """The 年初预算 a 决算 states — per 项 in its narrative ("年初预算为A万元") and per item of its "三公" table's
    预算数 column — equals the amount the same department's 预算 document of that year publishes (the 项's row
    of its function tables, the 三公 table's 预算数), units converted to 万元, within half the printed step of
    each figure. Basis: the 决算's 年初预算 is the budget approved at the start of the year (primer, budgets).
    Known false positives: a 年初预算 that includes funds budgeted outside the published 部门预算 (e.g. a unit
    budgeted by its superior), or a 决算 of a department whose budget document covers a different set of units."""
    final = check.pair.second
    findings = []
    functions = [(kind, check.first_views[kind]) for kind in FUNCTION_TABLES if kind in check.first_views]
    for item in (c for c in claims(final) if isinstance(c, Item)) if final.narrative else ():
        if item.code is None or item.budget is None:
            continue
        found = next(((view, rows[0]) for _, view in functions if (rows := view.by_code.get(item.code))), None)
        if found is None:
            continue
        view, row = found
        cell = view.cell(row, "total")
        value = in_wan(view, cell) or Decimal(0)
        band = printed_band(item.budget_places) + half_step(view)
        if check.compare(item.budget, value, band) is Verdict.DIFFERS:
            ref = CellRef(None, "narrative", item.code, "budget", item.budget, line=item.line, page=item.page)
            findings.append(check.across("differs", (1, ref), [(1, ref), (0, cell)], expected=value, actual=item.budget,
                                         difference=item.budget - value, tol=band, what=f"{item.code} {item.item_name}",
                                         stated=item.budget, value=value, final_at=place(ref),
                                         budget_at=place(cell)))
    if "three_public" in check.first_views and "three_public" in check.views:
        planned, stated = check.first_views["three_public"], check.views["three_public"]
        for key in THREE_PUBLIC_KEYS:
            a_row, b_row = planned.row_of(key), stated.row_of(key)
            if a_row is None or b_row is None or "budget" not in planned.columns or "budget" not in stated.columns:
                continue
            a, b = planned.cell(a_row, "budget"), stated.cell(b_row, "budget")
            if b.value is None:
                continue
            value, printed = in_wan(planned, a) or Decimal(0), in_wan(stated, b)
            band = half_step(planned) + half_step(stated)
            if check.compare(printed, value, band) is Verdict.DIFFERS:
                findings.append(check.across("differs", (1, b), [(1, b), (0, a)], expected=value, actual=printed,
                                             difference=printed - value, tol=band, what=cited(stated, b_row, "budget"),
                                             stated=printed, value=value, final_at=place(b), budget_at=place(a)))
    return findings


def function_codes(views: dict[str, View]) -> dict[str, tuple[View, int]]:
    """项 code → (table, row) over the function tables with a non-zero amount (the 支出 table of a final too)."""
    found: dict[str, tuple[View, int]] = {}
    for kind in (*FUNCTION_TABLES, "expenditure"):
        view = views.get(kind)
        if view is None or "total" not in view.columns:
            continue
        for row in view.where(level=3):
            code, value = view.rows[row]["code"], view.cell(row, "total").value
            if code and value and code not in found:
                found[code] = (view, row)
    return found


@cross_rule("FA-D002", "info", "预算与决算的项目不同", "Items budgeted but not in the final, or spent but not budgeted",
            relation="budget_final", messages={
                "budget_only": ("{code} {name}：预算文件 {at} 列有预算，决算功能分类表中没有", "{code} {name}: budgeted ({at}), not in the final"),
                "final_only": ("{code} {name}：决算 {at} 列有支出，预算文件中没有该项预算", "{code} {name}: spent ({at}), not in the budget document")})
def items_in_one_only(check: PairCheck) -> list[CrossFinding]:
    """Lists (as notes, not errors) each 项 that the budget document budgets and the final's function tables do not
    show, and each 项 the final shows spending on without a budget in the budget document. Basis: 调剂 and
    追加 during the year legitimately move money between 项; an auditor reads the list. No false positive in the
    sense of a defect: these are facts to read."""
    planned, spent = function_codes(check.first_views), function_codes(check.views)
    if not planned or not spent:
        raise NotApplicable("a function table in both documents")
    findings = []
    check.examined(len(planned) + len(spent))
    for code, (view, row) in planned.items():
        if code not in spent:
            cell = view.cell(row, "total")
            findings.append(check.across("budget_only", (0, cell), [(0, cell)], code=code, name=view.rows[row]["label"] or "",
                                         at=place(cell)))
    for code, (view, row) in spent.items():
        if code not in planned:
            cell = view.cell(row, "total")
            findings.append(check.across("final_only", (1, cell), [(1, cell)], code=code, name=view.rows[row]["label"] or "",
                                         at=place(cell)))
    return findings


# -- 部门 ↔ 单位 -----------------------------------------------------------------------------------------
#: The department says it consists of one budget unit, or that its other units are not budgeted separately.
SINGLE_UNIT = lazy(
    r"(?:只有|仅有|仅包括|仅含|只包括|只含)(?:本级|本部|机关本级)?(?:一|1)(?:家|个)预算单位"
    r"|(?:无|没有)(?:下属|所属)(?:预算)?单位|(?:下属|所属)(?:0|零)(?:家|个)(?:预算)?单位"
    r"|(?:下属|所属)[^。；]{0,20}(?:不单独编制|未单独编制|不单独编报|未单独编报|不再单独编制)"
    r"|[，,](?:不单列预算|不单独列示预算|预算并入本部)")


def paragraphs(report: Report) -> Iterable[str]:
    """The texts where a document describes itself: its overview (职能, 机构设置) and narrative."""
    yield from (flat(p.text) for p in report.overview)
    yield from (flat(p.text) for s in report.narrative for p in s.paragraphs)


def single_unit(report: Report) -> str | None:
    """The sentence in which a department says its budget is that of one unit, or None."""
    return next((match[0] for text in paragraphs(report) if (match := SINGLE_UNIT.search(text))), None)


def row_key(view: View, row: int) -> tuple[str, str]:
    record = view.rows[row]
    return record["side"] or "", record["code"] or record["key"] or record["label"] or ""


def keyed(view: View) -> dict[tuple[str, str], int]:
    rows: dict[tuple[str, str], int] = {}
    for index in range(len(view.rows)):
        key = row_key(view, index)
        if key[1]:
            rows.setdefault(key, index)
    return rows


@cross_rule("FA-D101", "error", "单位金额超出部门金额", "A unit's amount exceeds its department's", relation="department_unit",
            messages={
                "exceeds": ("{what}：单位 {unit_at} 为 {unit:.2f} 万元，大于部门 {department_at} 的 {department:.2f} 万元",
                            ("{what}: the unit ({unit_at}) has {unit:.2f} 10k yuan, more than the department's "
                             "{department:.2f} 10k yuan ({department_at})")),
                "missing": ("{what}：单位 {unit_at} 为 {unit:.2f} 万元，部门同表中无此行", ("{what}: the unit ({unit_at}) has {unit:.2f} 10k yuan, the department's table has "
                                                                             "no such row")),
                "unequal": ("{what}：部门称{said}，单位 {unit_at} 为 {unit:.2f} 万元，部门 {department_at} 为 {department:.2f} 万元",
                            ("{what}: the department says it is one unit ({said}); the unit ({unit_at}) has "
                             "{unit:.2f} 10k yuan, the department {department:.2f} 10k yuan ({department_at})"))})
def department_holds_unit(check: PairCheck) -> list[CrossFinding]:
    """A 部门 document consolidates its units: every amount of a 单位 document of the same year and kind — per
    function or economic code, per row of the summary, income, expenditure and appropriation tables (totals,
    基本/项目 and the sources), per 三公 item and 机关运行经费 — is at most the department's amount in the same
    table, row and column, and a row with money in the unit is printed by the department. When the department
    says it has exactly one budget unit, or that its other units are not budgeted separately, the amounts are
    equal. Units converted; band: half the printed step of each figure. Basis: primer, budgets (部门预算 =
    Σ 单位预算). Known false positives: negative amounts (a unit's 调减) and a department whose consolidation
    nets internal transfers (上缴/补助 between its units)."""
    said = single_unit(check.pair.first)
    findings = []
    for kind, unit_view in check.views.items():
        dept_view = check.first_views.get(kind)
        if dept_view is None:
            continue
        columns = [c for c in unit_view.columns if c in dept_view.columns]
        rows = keyed(dept_view)
        for index in range(len(unit_view.rows)):
            key = row_key(unit_view, index)
            if not key[1]:
                continue
            for column in columns:
                u = unit_view.cell(index, column)
                u_wan = in_wan(unit_view, u)
                if not u_wan:
                    continue
                d_row = rows.get(key)
                if d_row is None:
                    findings.append(check.across("missing", (1, u), [(1, u)], unit=u_wan, unit_at=place(u),
                                                 what=cited(unit_view, index, column), actual=u_wan))
                    break
                d = dept_view.cell(d_row, column)
                d_wan = in_wan(dept_view, d) or Decimal(0)
                band = half_step(unit_view) + half_step(dept_view)
                fields = dict(unit=u_wan, department=d_wan, unit_at=place(u), department_at=place(d),
                              what=cited(unit_view, index, column), expected=d_wan, actual=u_wan, difference=u_wan - d_wan,
                              tol=band)
                check.examined()
                if said and check.compare(u_wan, d_wan, band) is Verdict.DIFFERS:
                    findings.append(check.across("unequal", (1, u), [(1, u), (0, d)], said=said, **fields))
                elif not said and u_wan - d_wan > band:
                    findings.append(check.across("exceeds", (1, u), [(1, u), (0, d)], **fields))
    return findings


def item_figures(report: Report) -> dict[tuple[str, str], tuple[str, Decimal, int, CellRef]]:
    """The figures a document's narrative states for each 项 it quotes, keyed by (the 项's code, else its
    类/款/项 names; "this_year" | "prior"): (the 项 as printed, amount in 万元, decimals, the narrative cell). This
    year's figure is a budget's amount or a final's 决算; the prior figure is the previous year's it states
    (预算执行数, 决算 …). The first statement of each is kept."""
    figures: dict[tuple[str, str], tuple[str, Decimal, int, CellRef]] = {}
    final = report.meta.kind == "final"
    for item in claims(report) if report.narrative else ():
        if not isinstance(item, Item):
            continue
        key = item.code or "/".join((item.class_name, item.kuan_name, item.item_name))
        stated = (("this_year", item.actual if final else item.budget, item.actual_places if final else item.budget_places,
                   "actual" if final else "budget"),
                  ("prior", item.prior, item.prior_places, "prior"))
        for what, value, places, column in stated:
            if value is not None and (key, what) not in figures:
                ref = CellRef(None, "narrative", item.code or item.number or item.section or "—", column, value,
                              line=item.line, page=item.page)
                figures[key, what] = (item.name, value, places, ref)
    return figures


@cross_rule("FA-D103", "error", "单位说明中的项目金额超出部门说明", "A unit's narrative states more for an item than its department's",
            relation="department_unit", messages={
                "exceeds": ("{what}{year}：单位 {unit_at} 称 {unit} 万元，大于部门 {department_at} 的 {department} 万元",
                            ("{what} ({year}): the unit's narrative ({unit_at}) states {unit} 10k yuan, "
                             "more than the department's {department} 10k yuan ({department_at})")),
                "unequal": ("{what}{year}：部门称{said}，单位 {unit_at} 称 {unit} 万元，部门 {department_at} 称 {department} 万元",
                            ("{what} ({year}): the department says it is one unit ({said}); the unit's "
                             "narrative ({unit_at}) states {unit} 10k yuan, the department's {department} 10k "
                             "yuan ({department_at})")),
                "this_year": ("（本年）", "this year"),
                "prior_year": ("（上年）", "previous year")})
def unit_narrative_within_department(check: PairCheck) -> list[CrossFinding]:
    """The figures a 单位 document's narrative states for a 项 — this year's amount and the previous year's
    (预算执行数 or 决算) — are at most what its department's narrative states for the same 项 (matched by code,
    else by its 类/款/项 names), and equal when the department says it is one unit. A 项 the department does not
    quote is not compared. Band: half the last printed place of each figure. Basis: primer, budgets (部门预算 =
    Σ 单位预算); issue 24 (narrative figures across 部门 ↔ 单位)."""
    said = single_unit(check.pair.first)
    department, unit = item_figures(check.pair.first), item_figures(check.pair.second)
    findings = []
    for key, (name, value, places, ref) in unit.items():
        if key not in department:
            continue
        _, d_value, d_places, d_ref = department[key]
        band = printed_band(places) + printed_band(d_places)
        check.examined()
        fields = dict(what=name, unit=value, department=d_value, unit_at=place(ref), department_at=place(d_ref),
                      year=check.rule.messages["this_year" if key[1] == "this_year" else "prior_year"],
                      expected=d_value, actual=value, difference=value - d_value, tol=band)
        if said and check.compare(value, d_value, band) is Verdict.DIFFERS:
            findings.append(check.across("unequal", (1, ref), [(1, ref), (0, d_ref)], said=said, **fields))
        elif not said and value - d_value > band:
            findings.append(check.across("exceeds", (1, ref), [(1, ref), (0, d_ref)], **fields))
    return findings


#: The department names how many subordinate budget units it consolidates ("本部以及下属1家预算单位").
SUBORDINATES = lazy(r"(?:下属|所属)(\d+|[一二三四五六七八九十]+)(?:家|个)(?:预算)?单位")


@cross_rule("FA-D102", "info", "部门称有下属单位，但单位金额与部门全部相等", "The department has subordinate units, yet the unit equals it",
            relation="department_unit", messages={
                "equal": ("部门称“{said}”，但单位文件的 {count} 个金额与部门文件逐一相等（下属单位未列预算，或其预算并入本单位）",
                          "The department says “{said}”, yet all {count} amounts of the unit document equal the department's "
                          "(the subordinate units have no budget of their own, or it is in this unit's)")})
def unit_equals_department(check: PairCheck) -> list[CrossFinding]:
    """A note when a department says it consolidates subordinate budget units ("本部以及下属N家预算单位", N ≥ 1)
    and yet every amount of one unit's document equals the department's (same table, row and column; at least
    one non-zero): the other units then have no budget of their own, or theirs is inside this unit's — a fact
    for the auditor, not a defect. Basis: 部门预算 = Σ 单位预算. Known false positives: subordinate units with
    no 财政拨款 and no other income that year."""
    said = next((m[0] for text in paragraphs(check.pair.first)
                 if (m := SUBORDINATES.search(text)) and m[1] not in ("0", "零")), None)
    if said is None or single_unit(check.pair.first):
        raise NotApplicable("the department names no subordinate unit")
    count, first = 0, None
    for kind, unit_view in check.views.items():
        dept_view = check.first_views.get(kind)
        if dept_view is None:
            continue
        rows = keyed(dept_view)
        columns = [c for c in unit_view.columns if c in dept_view.columns]
        for index in range(len(unit_view.rows)):
            key = row_key(unit_view, index)
            for column in columns:
                u = unit_view.cell(index, column)
                d_row = rows.get(key)
                d = dept_view.cell(d_row, column) if d_row is not None else None
                u_wan, d_wan = in_wan(unit_view, u), in_wan(dept_view, d) if d is not None else None
                check.examined()
                if (u_wan or 0) != (d_wan or 0):
                    return []
                if u_wan:
                    count += 1
                    first = first or (u, d)
    if not count:
        return []
    u, d = first
    return [check.across("equal", (1, u), [(1, u), (0, d)], said=said, count=count)]


# -- Y−1 ↔ Y ------------------------------------------------------------------------------------------
_CHANGE = lazy(r"[，,。；;]?(?:[^，,。；;]{0,8}?)(?:比|与|较)(?:(?P<year>\d{4})年度?|上年度?)(?:年初)?(?P<base>预算执行数|执行数|预算数?|决算数?)?"
                     r"(?P<word>增加|减少|增长|下降|持平|相比持平)(?:" + _NUMBER + r"万元)?")
_EXECUTED = lazy(r"(?P<year>\d{4})年(?:当年)?(?P<base>预算执行数|执行数)为" + _NUMBER + r"万元")


def final_prior_statements(report: Report) -> Iterable[tuple[str, str, str | None, str, CellRef, Decimal, Decimal, str]]:
    """The same for a 决算: each year-on-year change the narrative states ("比上年决算减少Z万元") with the table cell
    it is about, the prior implied as this year's figure − the signed change (the claims parser's reading)."""
    for claim in claims(report) if report.narrative else ():
        if not isinstance(claim, Change) or claim.link is None or claim.amount is None or claim.base is None:
            continue
        kind, row, column = claim.link
        table = report.tables.get(kind)
        if table is None or row >= len(table.values["key"]):
            continue
        record = {name: table.values[name][row] for name in ("side", "code", "key", "label")}
        key = record["code"] or record["key"] or record["label"]
        if not key:
            continue
        band = printed_band(claim.places) + printed_band(claim.base_places)
        ref = CellRef(None, "narrative", claim.subject, column, claim.base, line=claim.line, page=claim.page)
        yield kind, key, record["side"], column, ref, claim.base - claim.signed, band, "决算"


def prior_statements(report: Report, year: int) -> Iterable[tuple[str, str, str | None, str, CellRef, Decimal, Decimal, str]]:
    """(table kind, row key, side, column, narrative ref, implied prior 万元, its band, base word) for each figure
    of `report`'s narrative stated against `year` ("X万元，比2024年预算增加Z万元" → X − Z)."""
    compiled = [(re.compile(p + _NUMBER + r"万元"), kind, key, side, column)
                for p, kind, key, side, column, _ in STATEMENTS]
    for section in report.narrative:
        for paragraph in section.paragraphs:
            text = flat(paragraph.text)
            for pattern, kind, key, side, column in compiled:
                for match in pattern.finditer(text):
                    if text[max(0, match.start() - 2):match.start()].endswith(("比", "较")):
                        continue
                    change = _CHANGE.match(text, match.end())
                    if not change or (change["year"] and int(change["year"]) != year):
                        continue
                    stated = amount(match[1])
                    word = change["word"]
                    if "持平" in word:
                        delta, band = Decimal(0), half(match[1])
                    elif change[4] is None:
                        continue  # a percentage only: the prior is not stated to the 万元
                    else:
                        sign = -1 if word in ("增加", "增长") else 1
                        delta, band = sign * amount(change[4]), half(match[1]) + half(change[4])
                    ref = CellRef(None, "narrative", section.number or section.title[:20] or "—", key, stated,
                                  line=paragraph.line, page=paragraph.page)
                    yield kind, key, side, column, ref, stated + delta, band, change["base"] or "预算"


def coded_change_statements(report: Report) -> Iterable[tuple[tuple[str, ...], str, CellRef, Decimal, Decimal]]:
    """(table kinds, code, narrative ref, implied prior 万元, its band) for each change a budget's narrative states of
    a 类, 款 or 项 it names ("党委办公厅(室)及相关机构事务(款)行政运行(项)支出X万元，与上年相比增加Z万元"): the tables
    are those of this document whose row of that code prints the stated X (the 收支总表 counts all funds, the
    function tables 财政拨款: where both print X the earlier document may hold either). A change whose X no table
    prints is not compared."""
    year = report.meta.year
    views = {kind: View(report.tables[kind]) for kind in ("summary", "expenditure", "general_budget") if kind in report.tables}
    for claim in claims(report) if report.narrative and year else ():
        if not isinstance(claim, Change) or claim.amount is None or claim.base is None:
            continue
        code = subject_code(claim.subject, year)
        if code is None:
            continue
        band = printed_band(claim.places) + printed_band(claim.base_places)
        kinds = tuple(kind for kind, view in views.items() if code in view.by_code and "total" in view.columns
                      and (value := in_wan(view, view.cell(view.by_code[code][0], "total"))) is not None
                      and abs(value - claim.base) <= band + half_step(view))
        if kinds:
            ref = CellRef(None, "narrative", claim.section or "—", code, claim.base, line=claim.line, page=claim.page)
            yield kinds, code, ref, claim.base - claim.signed, band


@cross_rule("FA-D201", "error", "对上年数的陈述与上年文件不符", "A statement about the previous year differs from that year's document",
            relation="year_on_year", messages={
                "differs": ("{what}：本年文件 {later_at} 称 {stated:.2f} 万元{change}，即上年 {implied:.2f} 万元；上年文件 {earlier_at} 为 {value:.2f} 万元",
                            ("{what}: this year's document ({later_at}) states {stated:.2f} 10k yuan "
                             "({change}), so {implied:.2f} 10k yuan last year; last year's document "
                             "({earlier_at}) has {value:.2f} 10k yuan")),
                "unconfirmed": ("{what}：本年文件 {later_at} 以上年{base}为比较基数，上年{kind}文件不载此数，无法核对",
                                "{what}: this year's document ({later_at}) compares with last year's {base}, which last year's "
                                "{kind} document does not state; not confirmed"),
                "items": ("逐项说明", "the items"),
                "kind.budget": ("预算", "budget"),
                "kind.final": ("决算", "final"),
                "change.same": ("（较{year}年{base}持平）", "unchanged on {year}'s {base}"),
                "change.by": ("（较{year}年{base}变动 {change:+.2f} 万元）", "{change:+.2f} 10k yuan on {year}'s {base}"),
                "change.budget": ("（较{year}年预算变动 {change:+.2f} 万元）", "{change:+.2f} 10k yuan on {year}'s budget")})
def previous_year_matches(check: PairCheck) -> list[CrossFinding]:
    """Every figure of this year's narrative stated against the previous year ("比2024年预算增加Z万元", "与2024年预算
    持平", "比上年决算减少…") implies last year's figure (this year's ∓ Z); it equals the same table cell of the same
    department's document of that year and kind (totals of the 财务收支 and 财政拨款 summaries, the 三公 items and
    机关运行经费), units converted, within half the printed step of each figure. A statement whose base the earlier
    document cannot confirm (预算执行数 against a 预算 document, 预算 against a 决算) is a note saying so.
    Basis: the later document restates the earlier one. Known false positives: a previous-year figure restated
    after a 预算调整 (the published budget is the original one)."""
    earlier, later = check.pair.first, check.pair.second
    if earlier.meta.year is None:
        raise NotApplicable("the earlier document's year is not known")
    kind = check.rule.messages["kind.budget" if earlier.meta.kind == "budget" else "kind.final"]
    findings = []
    seen: set[tuple] = set()
    stated = final_prior_statements(later) if later.meta.kind == "final" else prior_statements(later, earlier.meta.year)
    for kind, key, side, column, ref, implied, band, base in stated:
        own = check.views.get(kind)  # the statement's cell in this year's document names it
        own_row = None if own is None else own.by_code[key][0] if key in own.by_code else own.row_of(key, side)
        what = cited(own, own_row, column) if own_row is not None else cite.together(kind_name(kind, later.meta.kind),
                                                                                      Text(key, key))
        confirmable = ("执行" not in base and "决算" not in base) if earlier.meta.kind == "budget" else "决算" in base
        if not confirmable:
            if (kind, key, base) not in seen:
                seen.add((kind, key, base))
                findings.append(check.across("unconfirmed", (1, ref), [(1, ref)], severity="info", what=what,
                                             later_at=place(ref), base=base, kind=kind))
            continue
        view = check.first_views.get(kind)
        if view is None:
            continue
        row = view.by_code[key][0] if key in view.by_code else view.row_of(key, side)
        if row is None or column not in view.columns:
            continue
        cell = view.cell(row, column)
        value = in_wan(view, cell) or Decimal(0)
        total_band = band + half_step(view)
        if check.compare(implied, value, total_band) is Verdict.DIFFERS:
            same = implied == ref.value
            change = check.rule.messages["change.same" if same else "change.by"].format(
                year=earlier.meta.year, base=base, change=ref.value - implied)
            findings.append(check.across("differs", (1, ref), [(1, ref), (0, cell)], what=what, later_at=place(ref),
                                         stated=ref.value, change=change, implied=implied,
                                         earlier_at=place(cell), value=value, expected=value, actual=implied,
                                         difference=implied - value, tol=total_band))
    if later.meta.kind == "budget" and earlier.meta.kind == "budget":
        findings += coded_changes(check)
    for section, paragraph, match in ((s, p, m) for s in later.narrative for p in s.paragraphs
                                      for m in _EXECUTED.finditer(flat(p.text))):
        if int(match["year"]) == earlier.meta.year and earlier.meta.kind == "budget" and ("items", match["base"]) not in seen:
            seen.add(("items", match["base"]))
            ref = CellRef(None, "narrative", section.number or section.title[:20] or "—", None, amount(match[3]),
                          line=paragraph.line, page=paragraph.page)
            findings.append(check.across("unconfirmed", (1, ref), [(1, ref)], severity="info", what=check.rule.messages["items"],
                                         later_at=place(ref), base=match["base"], kind=kind))
    return findings


def coded_changes(check: PairCheck) -> list[CrossFinding]:
    """FA-D201 on the changes stated of a named 类/款/项: the implied prior equals that code's 合计 in one of the
    earlier document's tables of the kinds where this year's figure is printed."""
    earlier, findings = check.pair.first, []
    for kinds, code, ref, implied, band in coded_change_statements(check.pair.second):
        cells = [(view, view.cell(view.by_code[code][0], "total")) for kind in kinds
                 if (view := check.first_views.get(kind)) is not None and code in view.by_code and "total" in view.columns]
        if not cells:
            continue
        check.examined()
        values = [(view, cell, in_wan(view, cell) or Decimal(0)) for view, cell in cells]
        if all(check.compare(implied, value, band + half_step(view)) is Verdict.DIFFERS for view, _, value in values):
            view, cell, value = values[0]
            own = check.views[kinds[0]]
            change = check.rule.messages["change.budget"].format(year=earlier.meta.year, change=ref.value - implied)
            findings.append(check.across("differs", (1, ref), [(1, ref), *((0, c) for _, c, _ in values)],
                                         what=cited(own, own.by_code[code][0], "total"), later_at=place(ref),
                                         stated=ref.value, change=change, implied=implied,
                                         earlier_at=place(cell), value=value, expected=value, actual=implied,
                                         difference=implied - value, tol=band + half_step(view)))
    return findings


@dataclass(frozen=True)
class PairResult:
    """The cross-document rules of one pair: their findings, and an outcome for every rule of the pair's relation
    (a rule that crashed is an ``error`` outcome naming the rule; the other rules' findings stand)."""

    pair: Pair
    findings: tuple[CrossFinding, ...]
    outcomes: dict[str, RuleOutcome]

    @property
    def crashed(self) -> dict[str, str]:
        """Rule code → "ExceptionName: message" of the rules that crashed on this pair."""
        return {code: o.reason for code, o in self.outcomes.items() if o.status == "error"}


def run_pair(pair: Pair, select: Sequence[str] | None = None) -> PairResult:
    """Every cross-document rule of the pair's relation (or those in `select`), through the one rule runner
    (``registry.evaluate``): a rule's crash is its outcome, not a finding, and does not stop the others."""
    views = ({k: View(t) for k, t in pair.first.tables.items()}, {k: View(t) for k, t in pair.second.tables.items()})
    found: list[CrossFinding] = []
    outcomes: dict[str, RuleOutcome] = {}
    for code, item in CROSS_REGISTRY.items():
        if item.relation != pair.relation or (select and code not in select):
            continue
        findings, outcomes[code] = evaluate(item, PairCheck(pair, item, views))
        found.extend(findings)
    return PairResult(pair, tuple(found), outcomes)


__all__ = ["CROSS_REGISTRY", "RELATIONS", "SHARED", "CrossFinding", "CrossRule", "Pair", "PairCheck", "PairResult",
           "cross_rule", "run_pair"]

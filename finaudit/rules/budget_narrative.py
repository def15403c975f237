"""Budget narrative rules (FA-B1nn): what a 部门预算 / 单位预算 says in its 预算编制说明, 其他相关情况说明
and 项目经费情况说明, against its tables and itself. Codes are permanent.

The narrative states amounts in 万元 while the tables print 元 (the 三公 table 万元): every comparison
converts and takes the rounding band of the coarser printed figure. The numbered items of the
编制说明 read "X（类）Y（款）Z（项）”A万元，主要用于…。2023年当年预算执行数为B万元，2024年预算安排A万元，
比2023年预算执行数增加/减少C%。主要原因是：…"; each is checked against the function table's row
of that 项 and against itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from finaudit.read.patterns import lazy
from finaudit.findings import CellRef, Finding
from finaudit.model import FUNCTION_TABLES, Paragraph, Section
from finaudit.read.claims import Item as ClaimItem, direction, opens_item
from finaudit.read.templates import normalise
from finaudit.rules.budget import UNIT_SCALE, row_cell, scale, step
from finaudit.rules.narrative import narrative_claims, printed_band
from finaudit.rules.registry import Check, InsufficientData, NotApplicable, Verdict, View, compare, rule
from finaudit.rules.tables import name_of
from finaudit.words import LABELS, Text

BUDGET = ("budget",)
WAN = UNIT_SCALE["万元"]
HUNDRED = Decimal(100)
CENT = Decimal(1).scaleb(-2)
_NUMBER = r"(\d[\d,，]*(?:\.\d+)?)"
_REASON = lazy(r"主要(?:原因)?(?:是|为)[:：]?(?P<reason>[^。]*)")


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def places(text: str) -> int:
    return len(text.partition(".")[2])


def half(text: str) -> Decimal:
    """Half a unit of the last printed place of a figure as written."""
    return Decimal(5).scaleb(-(places(text) + 1))


def flat(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]", "", text)


@dataclass(frozen=True)
class Item:
    """One 类/款/项 item of the 编制说明 with this year's amount ("X（类）Y（款）Z（项）A万元 …"), as
    ``read.claims`` reads it (the one item parser: its figures, prior year, change and reason)."""

    claim: ClaimItem
    names: tuple[str, str, str]
    ref: CellRef

    @property
    def number(self) -> str:
        return self.claim.number or self.claim.item_name

    @property
    def amount(self) -> Decimal:
        return self.claim.budget

    @property
    def printed(self) -> str:
        """This year's amount as printed (its decimals kept)."""
        return f"{self.claim.budget:,.{max(self.claim.budget_places, 0)}f}"


def budget_paragraphs(check: Check) -> list[tuple[Section, Paragraph]]:
    if not check.report.narrative:
        raise NotApplicable("no narrative")
    return [(s, p) for s in check.report.narrative for p in s.paragraphs]


def items(check: Check) -> list[Item]:
    """The 类/款/项 items that state this year's amount."""
    if "budget_items" in check.memo:
        return check.memo["budget_items"]
    found = [Item(claim, (normalise(claim.class_name), normalise(claim.kuan_name), normalise(claim.item_name)),
                  CellRef(None, "narrative", f"{claim.number}." if claim.number else claim.section or "—", None,
                          claim.budget, line=claim.line, page=claim.page))
             for claim in narrative_claims(check) if isinstance(claim, ClaimItem) and claim.budget is not None]
    check.memo["budget_items"] = found
    return found


#: The tables the items restate, in the order they are looked in: an item of 财政拨款支出 is a row of the
#: general budget table, or of the 政府性基金 / 国有资本经营 table, else of the expenditure table.
ITEM_TABLES = (*FUNCTION_TABLES, "expenditure")


def function_tables(check: Check) -> list[View]:
    found = [check.views[kind] for kind in ITEM_TABLES if kind in check.views]
    if not found:
        raise InsufficientData("no function table (一般公共预算支出 or 支出预算总表)")
    return found


def find_row(tables: list[View], names: tuple[str, str, str]) -> tuple[View, int | None, str]:
    """The table and 项 row the names designate; else the first table (the general budget's) and the level
    that did not match there."""
    for table in tables:
        row, _ = locate(table, names)
        if row is not None:
            return table, row, ""
    row, level = locate(tables[0], names)
    return tables[0], row, level


def label_of(table: View, row: int) -> str:
    return normalise(table.rows[row]["label"] or "")


def locate(table: View, names: tuple[str, str, str]) -> tuple[int | None, str]:
    """The 项 row the names designate, and what did not match ('' when all three did)."""
    cls, kuan, xiang = names
    classes = [i for i in table.where(level=1) if label_of(table, i) == cls]
    if not classes:
        return None, "类"
    code = table.rows[classes[0]]["code"]
    kuans = [i for i in table.where(level=2) if table.rows[i]["parent"] == code and label_of(table, i) == kuan]
    if not kuans:
        return None, "款"
    code = table.rows[kuans[0]]["code"]
    xiangs = [i for i in table.where(level=3) if table.rows[i]["parent"] == code and label_of(table, i) == xiang]
    return (xiangs[0], "") if xiangs else (None, "项")


def in_wan(table: View, cell: CellRef) -> Decimal | None:
    return None if cell.value is None else cell.value * scale(table) / WAN


def in_wan_sign(table: View) -> tuple[Decimal]:
    """A restated 万元 figure as the sum of its table cell times this (the cell in the table's unit): what root-cause
    grouping needs to say which value of the cell the figure asks for, in the cell's own unit."""
    return (scale(table) / WAN,)


def differs(stated: Decimal, stated_half: Decimal, table: View, cell: CellRef) -> tuple[Decimal, Decimal] | None:
    """(table value in 万元, band) when the stated 万元 figure and the table cell differ beyond rounding."""
    value = in_wan(table, cell) or Decimal(0)
    band = stated_half + step(table) / WAN / 2
    return None if compare(stated, value, band) is not Verdict.DIFFERS else (value, band)


def narrative_ref(section: Section, paragraph: Paragraph):
    """A maker of the paragraph's CellRef with a stated value."""
    return lambda value=None: CellRef(None, "narrative", section.number or "—", None, value, line=paragraph.line,
                                      page=paragraph.page)


# -- the numbered items ------------------------------------------------------------------------------
@rule("FA-B101", "error", "逐项说明金额与功能分类表不符", "Item amount differs from the function table", documents=BUDGET,
      messages={"differs": ("第{n}项 {names} 文中 {stated} 万元，{table} {code} 为 {value:.2f} 万元（{raw}），相差 {difference:+.4f}",
                            ("item {n} {names}: stated {stated} 10k yuan, {table} {code} has {value:.2f} 10k "
                             "yuan ({raw})"))})
def item_amount_matches_table(check: Check) -> list[Finding]:
    """Each numbered item "X（类）Y（款）Z（项）A万元" of the 编制说明 states the 项's amount as the function
    table prints it (一般公共预算支出功能分类预算表, or the 政府性基金 / 国有资本经营 table, else 支出预算总表;
    合计 column; 元 converted to 万元, within the rounding of the 万元 figure). Basis: primer, budget narrative. An item whose names do not designate a row is
    FA-B104's business."""
    tables = function_tables(check)
    findings = []
    for item in items(check):
        table, row, _ = find_row(tables, item.names)
        if row is None:
            continue
        check.examined()
        cell = table.cell(row, "total")
        stated = item.amount
        result = differs(stated, printed_band(item.claim.budget_places), table, cell)
        if result:
            value, tolerance = result
            findings.append(check.say("differs", item.ref, cells=(item.ref, cell), expected=value, actual=stated,
                                      difference=stated - value, tol=tolerance, form="sum", signs=in_wan_sign(table),
                                      n=item.number, names="/".join(item.names),
                                      stated=item.printed, table=name_of(table), code=table.rows[row]["code"], value=value,
                                      raw=f"{cell.value:,.2f} {table.table.unit or '元'}"))
    return findings


@rule("FA-B102", "error", "逐项增减幅度与金额不符", "Item percentage does not follow from its amounts", documents=BUDGET,
      messages={
          "rate": ("第{n}项：比上年{base}{word}{stated}%，按 {a} 与 {b} 万元计算应为 {computed}%",
                   "item {n}: stated {word} {stated}%, the amounts {a} and {b} give {computed}%"),
          "direction": ("第{n}项：{a} 万元对上年{base} {b} 万元，文中却说“{word}”",
                        "item {n}: {a} against {b} 10k yuan, but the text says {word!r}"),
          "zero_base": ("第{n}项：上年{base}为 0，不能计算增减幅度，文中却说“{word}{stated}%”",
                        "item {n}: the prior figure is 0, there is no rate, yet the text says {word} {stated}%"),
          "base": ("第{n}项：上年数写的是{base}，增减却说“比…{other}”：两个不同的基数",
                   "item {n}: the prior figure is the {base}, the change is stated against the {other}"),
          "change": ("第{n}项：比上年{base}{word}{stated}万元，按 {a} 与 {b} 万元计算应为 {computed} 万元",
                     ("item {n}: stated {word} {stated} 10k yuan, the amounts {a} and {b} give "
                      "{computed} 10k yuan")),
      })
def item_change_rate(check: Check) -> list[Finding]:
    """In each numbered item, the change "比上年预算(执行数)增加/减少C%" follows from this year's amount A and
    the stated prior figure B (预算 or 预算执行数 — the base the sentence names): C = |A − B| ÷ B × 100
    within the rounding of A, B and C (truncation allowed); 增加 when A > B, 减少 when A < B, 持平 when
    equal; no rate against a prior figure of 0; the change names the same base as the prior figure (a
    warning when one says 预算 and the other 预算执行数). Basis: primer, narrative; 财预〔2016〕143号."""
    findings = []
    for item in items(check):
        claim = item.claim
        if claim.prior is None and claim.change_amount is not None and claim.change_percent is not None:
            finding = derived_rate(check, item)
            check.examined()
            findings += [finding] if finding else []
            continue
        if claim.prior is None or not claim.change_word:
            continue
        check.examined()
        if claim.change_base and ("执行" in claim.prior_base) != ("执行" in claim.change_base):
            findings.append(check.say("base", item.ref, severity="warning", n=item.number, base=claim.prior_base,
                                      other=claim.change_base))
            continue
        this_year = dict.fromkeys([(claim.budget, claim.budget_places)]
                                  + ([(claim.again, claim.again_places)] if claim.again is not None else []))
        found = [rate_finding(check, item, a, places) for a, places in this_year]
        if all(found):  # a restated amount that the rate follows is FA-B103's business
            findings.append(found[0])
    return findings


def figure(value: Decimal, decimals: int) -> str:
    """A 万元 figure as printed, with its decimals."""
    return f"{value:,.{max(decimals, 0)}f}"


def derived_rate(check: Check, item: Item) -> Finding | None:
    """An item that states its change as an amount and a percentage but not the prior figure ("2026年预算数为A万元，
    比2025年执行数增加C万元，增幅P%"): P = C ÷ (A − C) × 100, within the rounding of A, C and P."""
    claim = item.claim
    a, c, sign = item.amount, claim.change_amount, direction(claim.change_word)
    if sign == 0:
        return None
    da, dc, dp = printed_band(claim.budget_places), printed_band(claim.change_places), printed_band(claim.change_percent_places)
    b, db = a - sign * c, da + dc
    if b - db <= 0:
        return None
    allowed = (max(c - dc, Decimal(0)) / (b + db) * HUNDRED, (c + dc) / (b - db) * HUNDRED)
    stated, truncation = claim.change_percent, Decimal(1).scaleb(-claim.change_percent_places)
    if stated + truncation < allowed[0] - dp or stated - dp > allowed[1]:
        computed = (c / b * HUNDRED).quantize(CENT)
        return check.say("rate", item.ref, expected=computed, actual=stated, difference=stated - computed,
                         stated=figure(stated, claim.change_percent_places), computed=computed, n=item.number,
                         a=figure(a, claim.budget_places), b=figure(b, claim.budget_places), word=claim.change_word,
                         base=claim.change_base or claim.prior_base)
    return None


def rate_finding(check: Check, item: Item, a: Decimal, a_places: int) -> Finding | None:
    """The finding on an item's stated change (its direction, amount and percentage) against this year's amount
    `a`, or None."""
    claim = item.claim
    b, word = claim.prior, claim.change_word
    da, db = printed_band(a_places), printed_band(claim.prior_places)
    fields = dict(n=item.number, a=figure(a, a_places), b=figure(b, claim.prior_places), word=word, base=claim.prior_base)
    sign = direction(word)
    if sign == 0:
        if abs(a - b) > da + db:
            return check.say("direction", item.ref, expected=b, actual=a, **fields)
        return None
    if (sign > 0 and a < b - da - db) or (sign < 0 and a > b + da + db) or a == b:
        return check.say("direction", item.ref, expected=b, actual=a, **fields)
    if claim.change_amount is not None:
        stated, dc = claim.change_amount, printed_band(claim.change_places)
        if abs(abs(a - b) - stated) > da + db + dc:
            return check.say("change", item.ref, expected=abs(a - b), actual=stated, difference=stated - abs(a - b),
                             tol=da + db + dc, stated=figure(stated, claim.change_places), computed=abs(a - b), **fields)
    if claim.change_percent is None:
        return None
    stated, pct = claim.change_percent, figure(claim.change_percent, claim.change_percent_places)
    if b == 0:
        return check.say("zero_base", item.ref, actual=stated, stated=pct, **fields)
    dc = printed_band(claim.change_percent_places)
    if b - db <= 0:
        return None
    change_low, change_high = max(abs(a - b) - da - db, Decimal(0)), abs(a - b) + da + db
    allowed = (change_low / (b + db) * HUNDRED, change_high / (b - db) * HUNDRED)
    truncation = Decimal(1).scaleb(-claim.change_percent_places)
    if stated + truncation < allowed[0] - dc or stated - dc > allowed[1]:
        computed = (abs(a - b) / b * HUNDRED).quantize(CENT)
        return check.say("rate", item.ref, expected=computed, actual=stated, difference=stated - computed,
                         stated=pct, computed=computed, **fields)
    return None


@rule("FA-B103", "error", "同一项目前后金额不一致", "Item amount restated differently", documents=BUDGET,
      messages={"restated": ("第{n}项先说 {first} 万元，后说“{year}年预算安排{second}万元”",
                             "item {n} states {first} 10k yuan, then {second} 10k yuan for {year}")})
def item_amount_restated(check: Check) -> list[Finding]:
    """An item that restates its amount ("2024年预算安排A万元") restates the same A it opened with.
    Basis: primer, narrative ("A restated with a different amount inside the same item")."""
    findings = []
    for item in items(check):
        claim = item.claim
        check.examined(claim.again is not None)
        if claim.again is not None and claim.again != item.amount:
            findings.append(check.say("restated", item.ref, expected=item.amount, actual=claim.again,
                                      difference=claim.again - item.amount, n=item.number, first=item.printed,
                                      second=figure(claim.again, claim.again_places), year=claim.again_year or ""))
    return findings


@rule("FA-B104", "warning", "逐项说明的类款项名称与表中不符", "Item class/section/item names differ from the table's",
      documents=BUDGET, messages={
          "names": ("第{n}项 “{names}”：{table} 中没有这样的{level}{hint}", "item {n} {names}: no such {level} in {table}{hint}"),
          "hint": ("；金额与 {code} {label} 相同", "; the amount is that of {code} {label}")})
def item_names_match_table(check: Check) -> list[Finding]:
    """The 类, 款 and 项 names of each numbered item are the names the function table prints for one
    row (and so that year's 科目 names): "卫生健康支出（类）卫生健康支出（款）计划生育事务（项）" names no 款
    of 210. Where a 项 of that 类 has the item's amount, the finding names it. Basis: primer, budget
    narrative ("names of 类/款/项 must be the ones of that year's 科目")."""
    tables = function_tables(check)
    findings = []
    for item in items(check):
        check.examined()
        table, row, level = find_row(tables, item.names)
        if row is not None:
            continue
        hint = Text("", "")
        classes = [i for i in table.where(level=1) if label_of(table, i) == item.names[0]]
        if classes:
            code = table.rows[classes[0]]["code"]
            for index in table.where(level=3):
                cell = table.cell(index, "total")
                if (table.rows[index]["code"] or "").startswith(code) and cell.value is not None and not differs(
                        item.amount, printed_band(item.claim.budget_places), table, cell):
                    hint = check.rule.messages["hint"].format(code=table.rows[index]["code"], label=table.rows[index]["label"])
                    break
        findings.append(check.say("names", item.ref, n=item.number, names="/".join(item.names), table=name_of(table),
                                  level=LABELS[f"level.{level}"], hint=hint))
    return findings


@rule("FA-B105", "warning", "原因说明的增减方向与金额相反", "The reason's direction contradicts the change",
      documents=BUDGET, messages={
          "reason": ("第{n}项金额{direction}，原因却说“{reason}”", "item {n} {direction_en}, but the reason says {reason!r}")})
def item_reason_direction(check: Check) -> list[Finding]:
    """An item whose amount decreased does not give "…经费增加" as its reason (and the reverse): the
    reason's last direction word agrees with the stated change. Basis: the template's "主要原因是" clause;
    a reason copied from another item is a common slip. Known limit: only the words 增加/减少/保持不变
    at the end of the reason are read."""
    findings = []
    for item in items(check):
        reason = _REASON.search(item.claim.text)
        if not item.claim.change_word or not reason:
            continue
        check.examined()
        said = reason["reason"].rstrip("。；;，,")
        sign = direction(item.claim.change_word)
        ends = 1 if said.endswith(("增加", "增长")) else -1 if said.endswith(("减少", "下降")) else \
            0 if said.endswith(("保持不变", "持平")) else None
        if ends is not None and ends != sign:
            findings.append(check.say("reason", item.ref, n=item.number, reason=said,
                                      direction={1: "增加", -1: "减少", 0: "持平"}[sign],
                                      direction_en={1: "rose", -1: "fell", 0: "is unchanged"}[sign]))
    return findings


# -- statements against the tables ---------------------------------------------------------------------
#: (pattern over the text, table kind, row key, side, column): figures the 编制说明 and 其他相关情况说明
#: restate. The first figure after the words is the one compared.
#: Words before 收入预算/支出预算 that make it a part, not the total: 财政拨款…, 基本…, “三公”经费… (any …费), 政府采购….
_NOT_A_PART = "".join(f"(?<!{w})" for w in ("拨款", "基本", "项目", "事业", "经营", "其他", "基金", "资本", "公共", "人员", "公用",
                                             "本年", "费", "采购"))
#: A fund named before 财政拨款支出预算 makes it that fund's part ("一般公共预算财政拨款支出预算", 无锡).
_NOT_ONE_FUND = "(?<!公共预算)(?<!基金)(?<!基金预算)(?<!经营预算)"
STATEMENTS: tuple[tuple[str, str, str, str | None, str, str], ...] = (
    # this year's income and spending, without the carry-overs the totals hold ("本年收入预算…，上年结转…")
    (r"本年收入预算(?:为)?", "summary", "income_total", "income", "total", "本年收入预算"),
    (r"本年支出预算(?:为)?", "summary", "expenditure_total", "expenditure", "total", "本年支出预算"),
    (_NOT_A_PART + r"收入预算(?:总额|总计)?(?:为)?", "summary", "grand_total", "income", "total", "收入预算"),
    (r"财政拨款收入(?:预算)?(?:为)?", "summary", "fiscal", "income", "total", "财政拨款收入"),
    (_NOT_A_PART + r"支出预算(?:总额|总计)?(?:为)?", "summary", "grand_total", "expenditure", "total", "支出预算"),
    (_NOT_ONE_FUND + r"财政拨款支出预算(?:为)?", "appropriation_summary", "grand_total", "expenditure", "total", "财政拨款支出预算"),
    (r"一般公共预算(?:财政)?拨款支出预算(?:为)?", "appropriation_summary", "grand_total", "expenditure", "general",
     "一般公共预算拨款支出预算"),
    (r"政府性基金(?:预算)?(?:财政)?拨款支出预算(?:为)?", "appropriation_summary", "grand_total", "expenditure", "fund",
     "政府性基金拨款支出预算"),
    (r"国有资本经营预算(?:财政)?拨款支出预算(?:为)?", "appropriation_summary", "grand_total", "expenditure", "state_capital",
     "国有资本经营预算拨款支出预算"),
    (r"[“\"]?三公[”\"]?经费预算数?(?:为)?", "three_public", "total", None, "budget", "“三公”经费预算"),
    (r"因公出国[（(]境[)）]费(?:预算)?(?:为)?", "three_public", "abroad", None, "budget", "因公出国（境）费"),
    (r"公务用车购置及运行费(?:预算)?(?:为)?", "three_public", "vehicle", None, "budget", "公务用车购置及运行费"),
    (r"公务用车购置费(?:预算)?(?:为)?", "three_public", "vehicle_purchase", None, "budget", "公务用车购置费"),
    (r"公务用车运行(?:维护)?费(?:预算)?(?:为)?", "three_public", "vehicle_running", None, "budget", "公务用车运行费"),
    (r"公务接待费(?:预算)?(?:为)?", "three_public", "reception", None, "budget", "公务接待费"),
    (r"机关运行经费预算(?:数)?(?:为)?", "three_public", "operating_costs", None, "budget", "机关运行经费预算"),
)


def statements(check: Check) -> Iterator[tuple[str, str, CellRef, View, CellRef]]:
    """(label, figure as printed, its narrative ref, table, table cell) for each restated figure."""
    compiled = [(re.compile(p + _NUMBER + r"万元"), kind, key, side, column, label)
                for p, kind, key, side, column, label in STATEMENTS]
    for section, paragraph in budget_paragraphs(check):
        text = flat(paragraph.text)
        if opens_item(text):
            continue
        for pattern, kind, key, side, column, label in compiled:
            table = check.views.get(kind)
            if table is None:
                continue
            cell = row_cell(table, key, side, column)
            if cell is None:
                continue
            for match in pattern.finditer(text):
                if text[max(0, match.start() - 2):match.start()].endswith(("比", "较")):
                    continue
                ref = CellRef(None, "narrative", section.number or section.title[:12] or "—", None, amount(match[1]),
                              line=paragraph.line, page=paragraph.page)
                yield label, match[1], ref, table, cell


@rule("FA-B110", "error", "说明中的预算金额与表中不符", "Stated budget figure differs from its table", documents=BUDGET,
      messages={"differs": ("{label} 文中 {stated} 万元，{table} 为 {value:.2f} 万元", "{label}: stated {stated} 10k yuan, {table} has {value:.2f} 10k yuan"),
                "blank": ("{label} 文中 {stated} 万元，{table} 该项为空（空白不等于零）",
                          ("{label}: stated {stated} 10k yuan, {table} leaves the cell blank (blank is not "
                           "zero)"))})
def statement_matches_table(check: Check) -> list[Finding]:
    """The totals of the 编制说明's opening (收入预算, 财政拨款收入, 支出预算, 财政拨款支出预算 and its 一般公共预算 /
    政府性基金 / 国有资本经营 parts) and the 三公 and 机关运行经费 figures of 其他相关情况说明 equal their table
    cells (财务收支预算总表, 财政拨款收支预算总表, the 三公 table), units converted, within the rounding of the
    coarser figure. A figure stated as 0 against a blank cell agrees (the table prints no amount).
    Basis: primer, budget narrative."""
    findings = []
    for label, printed, ref, table, cell in statements(check):
        stated = ref.value
        check.examined()
        if cell.value is None and stated == 0:
            continue
        result = differs(stated, half(printed), table, cell)
        if result:
            value, band = result
            findings.append(check.say("blank" if cell.value is None else "differs", ref, cells=(ref, cell), expected=value, actual=stated,
                                      difference=stated - value, tol=band, form="sum", signs=in_wan_sign(table), label=label, stated=printed,
                                      table=name_of(table), value=value))
    return findings


_PROCUREMENT = lazy(r"政府采购预算" + _NUMBER + r"万元，其中[:：]?政府采购货物预算" + _NUMBER + r"万元[、，,]?政府采购工程预算"
                          + _NUMBER + r"万元[、，,]?政府采购服务预算" + _NUMBER + r"万元")
_RESERVED = lazy(r"预留政府采购项目预算金额" + _NUMBER + r"万元.{0,20}?预留给小型和微型企业的政府采购项目预算为" + _NUMBER + r"万元")
_VEHICLES = lazy(r"共有车辆(\d+)辆，其中[:：]?((?:[^；;。]*?\d+辆[、，,]?)+)")
_BOUGHT = lazy(r"安排购置车辆(\d+)辆")
_TARGETS = lazy(r"涉及项目预算资金" + _NUMBER + r"万元")


@rule("FA-B111", "error", "政府采购、车辆、绩效目标陈述自相矛盾或与表不符", "Procurement, vehicle or performance statements inconsistent",
      documents=BUDGET, messages={
          "procurement": ("政府采购预算 {total} 万元不等于货物 {goods} + 工程 {works} + 服务 {services} 万元（{sum}）",
                          "procurement {total} ≠ goods + works + services ({sum})"),
          "reserved": ("预留给小微企业的 {small} 万元大于面向中小企业预留的 {reserved} 万元",
                       "the share reserved for small firms ({small}) exceeds the amount reserved ({reserved})"),
          "vehicles": ("共有车辆 {total} 辆，各类车辆合计 {sum} 辆", "{total} vehicles stated, the kinds add up to {sum}"),
          "purchase": ("安排购置车辆 {count} 辆，而{table} 公务用车购置费为 {value:.2f} 万元",
                       "{count} vehicles to buy, but {table} budgets {value:.2f} 10k yuan for purchases"),
          "targets": ("绩效目标涉及项目预算资金 {stated} 万元，大于{table} 项目支出合计 {value:.2f} 万元",
                      ("performance targets cover {stated} 10k yuan, more than {table} project "
                       "expenditure {value:.2f} 10k yuan")),
      })
def other_statements(check: Check) -> list[Finding]:
    """其他相关情况说明: 政府采购预算 = 货物 + 工程 + 服务; the part reserved for small and micro firms ≤ the
    amount reserved for SMEs; 共有车辆N辆 = Σ the kinds listed; vehicles to buy (安排购置车辆) agree with the 三公
    table's 公务用车购置费 (none bought ↔ no purchase budget); the project money with performance targets
    (涉及项目预算资金) ≤ 项目支出 of the expenditure table. Basis: primer, narrative against tables."""
    findings = []
    three = check.views.get("three_public")
    expenditure = check.views.get("expenditure") or check.views.get("general_budget")
    for section, paragraph in budget_paragraphs(check):
        text = flat(paragraph.text)
        ref = narrative_ref(section, paragraph)
        check.examined(sum(len(p.findall(text)) for p in (_PROCUREMENT, _RESERVED, _VEHICLES, _BOUGHT, _TARGETS)))
        for match in _PROCUREMENT.finditer(text):
            total, parts = amount(match[1]), [amount(match[k]) for k in (2, 3, 4)]
            band = sum((half(match[k]) for k in (1, 2, 3, 4)), Decimal(0))
            if abs(total - sum(parts)) > band:
                findings.append(check.say("procurement", ref(total), expected=sum(parts), actual=total,
                                          difference=total - sum(parts), total=match[1], goods=match[2], works=match[3],
                                          services=match[4], sum=sum(parts)))
        for match in _RESERVED.finditer(text):
            if amount(match[2]) > amount(match[1]):
                findings.append(check.say("reserved", ref(amount(match[2])), reserved=match[1], small=match[2]))
        for match in _VEHICLES.finditer(text):
            counted = sum(int(n) for n in re.findall(r"(\d+)辆", match[2]))
            if counted != int(match[1]):
                findings.append(check.say("vehicles", ref(Decimal(match[1])), total=match[1], sum=counted))
        for match in _BOUGHT.finditer(text):
            cell = row_cell(three, "vehicle_purchase", column="budget") if three else None
            if cell is None:
                continue
            value = in_wan(three, cell) or Decimal(0)
            if (int(match[1]) == 0) != (value == 0):
                findings.append(check.say("purchase", ref(Decimal(match[1])), cells=(ref(Decimal(match[1])), cell),
                                          count=match[1], table=name_of(three), value=value))
        for match in _TARGETS.finditer(text):
            cell = row_cell(expenditure, "grand_total", column="project") if expenditure else None
            if cell is None or cell.value is None:
                continue
            value, stated = in_wan(expenditure, cell), amount(match[1])
            if stated > value + half(match[1]) + step(expenditure) / WAN / 2:
                findings.append(check.say("targets", ref(stated), cells=(ref(stated), cell), expected=value, actual=stated,
                                          stated=match[1], table=name_of(expenditure), value=value))
    return findings


#: Words of the other scope: a 单位预算 speaks of the unit, a 部门预算 of the department.
OTHER_SCOPE = {
    "unit": lazy(r"本部门|(?<![预主管])部门预算(?!经济分类)|部门(?:财务|收支|收入|支出)预算"),
    # "本单位" as the subject of the budget's own figures ("本单位2026年收入预算…", "本单位无政府性基金…"); a project's
    # description that says 本单位 of the body carrying it out ("为本单位…工作提供保障") is not the document's wording
    "department": lazy(r"本单位(?=(?:19|20)\d{2}年|无|没有|收入|支出|预算|财政拨款|一般公共预算|政府性基金|国有资本"
                       r"|“?三公|机关运行|政府采购|共有车辆)|(?<!预算)单位预算(?!单位)"),
}


@rule("FA-B112", "warning", "说明用了另一种文件的措辞", "Wording of the other document scope", documents=BUDGET,
      messages={"scope": ("本文件是{scope}预算，说明中却写“{words}”：{context}",
                          "a {scope_en} budget whose text says {words!r}: {context}")})
def wording_of_other_scope(check: Check) -> list[Finding]:
    """A 单位预算 speaks of "本单位" and "单位预算", a 部门预算 of "本部门" and "部门预算": a 单位预算 that says
    "部门预算安排…" or "本部门…" (or the reverse) was written from the other document's template.
    Basis: the Shanghai budget templates; the scope comes from the cover (预算主管部门 / 预算单位).
    Known false positive: a unit text that quotes the department's budget on purpose."""
    scope = check.report.meta.scope
    if scope not in OTHER_SCOPE:
        raise InsufficientData("the document's scope (部门 or 单位) is not known")
    pattern = OTHER_SCOPE[scope]
    findings = []
    for section, paragraph in budget_paragraphs(check):
        text = flat(paragraph.text)
        check.examined()
        for match in pattern.finditer(text):
            ref = CellRef(None, "narrative", section.number or "—", None, None, line=paragraph.line, page=paragraph.page)
            findings.append(check.say("scope", ref, scope="单位" if scope == "unit" else "部门",
                                      scope_en=scope, words=match[0],
                                      context=text[max(0, match.start() - 12):match.end() + 12]))
    return findings

"""The narrative rules (FA-Nnnn): the claims of ``finaudit.read.claims`` held against the tables and
against each other. Codes are permanent.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterator

from finaudit.read.patterns import lazy
from finaudit import codes
from finaudit.findings import CellRef, Finding
from finaudit.words import Text
from finaudit.words import LABELS, joined
from finaudit.model import Report
from finaudit.read.claims import (
    CENT,
    HUNDRED,
    SLIP,
    Amount,
    Change,
    Claim,
    Count,
    Item,
    Link,
    Rate,
    Share,
    Statement,
    claims,
    direction,
    normalise,
    row_with,
)
from finaudit.rules.registry import BOTH, Check, InsufficientData, NotApplicable, Verdict, rule, tolerance
from finaudit.rules.subjects import SUBJECTS, Subject, subject


# -- helpers for rules ------------------------------------------------------------------------------
def of_kind(found: list[Claim], kind: type) -> list:
    return [c for c in found if isinstance(c, kind)]


def by_section(found: list) -> dict[str, list]:
    """Given claims in order, return them by section (each section's in order): one pass, not one per section."""
    grouped: dict[str, list] = {}
    for claim in found:
        grouped.setdefault(claim.section, []).append(claim)
    return grouped


def _by_section(amounts: list[Amount], predicate: Callable[[Amount], bool]) -> dict[str, tuple[list[int], list[Amount]]]:
    """Given amounts in order and a predicate, return those it holds for, by section, in order (with their
    indices, for ``_first_after``)."""
    found: dict[str, tuple[list[int], list[Amount]]] = {}
    for amount in amounts:
        if predicate(amount):
            indices, held = found.setdefault(amount.section, ([], []))
            indices.append(amount.index)
            held.append(amount)
    return found


def _first_after(section: tuple[list[int], list[Amount]] | None, index: int) -> Amount | None:
    """Given a section's amounts (``_by_section``), return the first one after claim `index`."""
    if section is None:
        return None
    at = bisect.bisect_right(section[0], index)
    return section[1][at] if at < len(section[1]) else None


def table_cell(check: Check, link: Link) -> CellRef:
    """The CellRef of a linked table cell, with its value and provenance."""
    kind, row, column = link
    return check.table(kind).cell(row, column)


def printed_band(places: int) -> Decimal:
    """Half a unit of the last printed decimal (a two-decimal amount stands for ± half a hundredth)."""
    return Decimal(5).scaleb(-(places + 1))


def ratio_range(part: Decimal, part_band: Decimal, whole: Decimal, whole_band: Decimal) -> tuple[Decimal, Decimal] | None:
    """The percentages part ÷ whole × 100 can be, given the printed precision of both."""
    low_whole, high_whole = whole - whole_band, whole + whole_band
    if low_whole <= 0:
        return None
    low = max(part - part_band, Decimal(0)) / high_whole * HUNDRED
    return low, (part + part_band) / low_whole * HUNDRED


def percent_slip(stated: Decimal, places: int, allowed: tuple[Decimal, Decimal]) -> Decimal:
    """How far a stated percentage lies outside what rounding or truncation of the range allows (0 inside)."""
    low = stated - printed_band(places)
    high = stated + Decimal(1).scaleb(-places)  # truncation: the true value may lie up to one unit above
    if high < allowed[0]:
        return allowed[0] - high
    if low > allowed[1]:
        return low - allowed[1]
    return Decimal(0)


def exact(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(CENT) if whole else Decimal(0)


#: The message of the three percentage rules (share, completion rate, year on year).
PERCENT = ("{what}：文中为 {actual}%，按文中金额计算为 {expected}%，应写作 {wanted}%（容许 {allowed}）：{sentence}",
           "{what}: stated {actual}%; the stated amounts give {expected}%, to be written {wanted}% (allowed {allowed})")


def span(low: Decimal, high: Decimal) -> str:
    """An allowed range of percentages as a reader can tell its ends apart: three decimals, four where three would
    print the same (X.XXXX%–X.XXXY%), one figure where four do not either (the printed numbers leave no room)."""
    for decimals in (3, 4):
        a, b = f"{low:.{decimals}f}", f"{high:.{decimals}f}"
        if a != b:
            return f"{a}%–{b}%"
    return f"{low:.3f}%"


def about(claim: Claim) -> str:
    """What a narrative finding is about, for its stable key: claim kind and subject (no amounts, no lines)."""
    if isinstance(claim, Count):
        return f"count:{claim.key}"
    return f"{claim.kind}:{getattr(claim, 'name', '') or getattr(claim, 'subject', '')}"


def percent_finding(check: Check, claim: Claim, stated: Decimal, places: int, allowed, computed: Decimal, what: Subject,
                    cells=()) -> Finding | None:
    check.examined()
    slip = percent_slip(stated, places, allowed)
    if slip == 0:
        return None
    return check.say(
        "percent", claim.ref(stated), cells=(claim.ref(stated), *cells), severity="warning" if slip <= SLIP else None,
        expected=computed, actual=stated, difference=stated - computed, tol=slip, about=about(claim), form="value",
        what=what.text, low=allowed[0], high=allowed[1], allowed=span(*allowed),
        wanted=((allowed[0] + allowed[1]) / 2).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP),
        sentence=claim.sentence[:80],
    )


def prints_zero(check: Check) -> bool:
    """Whether any table prints a zero amount: where none does, the report prints every zero as a blank."""
    if "prints_zero" not in check.memo:
        check.memo["prints_zero"] = any(
            value == 0 for table in check.report.tables.values() for column in table.amount_columns
            for value in table.column(column))
    return check.memo["prints_zero"]


def narrative_claims(check: Check) -> list[Claim]:
    """The report's claims, read once per audit run."""
    if not check.report.narrative:
        raise NotApplicable("no narrative")
    if "claims" not in check.memo:
        check.memo["claims"] = claims(check.report)
    return check.memo["claims"]


# -- rules ----------------------------------------------------------------------------------------
@rule("FA-N001", "error", "文中金额与表中数字不符", "Narrative amount differs from its table cell", messages={
    "zero_blank": ("{what}：文中为 0，表中（{place}）为空（空白不等于零）",
                   "{what}: the text says 0, the table cell ({source}) is blank (blank is not zero)"),
    "blank": ("{what}：文中为 {actual}，表中（{place}）为空", "{what}: the text says {actual}, the table cell is blank"),
    "below": ("{what} {actual} 小于表六公用经费合计 {expected}（有事业单位时允许）",
              ("{what} {actual} is less than Table 6 public total {expected} (allowed where some "
               "units are not administrative or civil-service-managed)")),
    "rounding": ("{what}：文中 {actual} 与表中 {expected} 相差 {difference:+}，在舍入范围内",
                 "{what}: text {actual} vs table {expected}, within rounding"),
    "differs": ("{what}：文中为 {actual} 万元，表中（{place}）为 {expected} 万元，相差 {difference:+}",
                "{what}: the text says {actual}, the table ({source}) says {expected}, difference {difference:+}"),
    "place": ("{source} {row}/{column}", "{source} {row}/{column}"),
})
def amount_matches_table(check: Check) -> list[Finding]:
    """Every amount the narrative states for a table cell equals that cell: 收入/支出总计 (表一),
    本年收入合计 and its sources (表一/表二), 本年支出合计/基本/项目 (表三), 财政拨款收入/支出 (表四),
    一般公共预算财政拨款支出 and its 类 and 项 (表五), 人员经费/公用经费 (表六), "三公" 预算数 and
    决算数 (表七), 政府性基金 (表八). 机关运行经费 must not exceed 表六 公用经费合计 (equal when every unit is
    行政 or 参公). Tolerance: half a unit of the printed decimals of both numbers. A table cell left blank
    where the text says 0 is a note; a warning for a total line where the report prints a zero elsewhere
    (blank is not zero), still a note where the report prints every zero as a blank. Basis: primer,
    "Narrative against tables"."""
    report = check.report
    findings = []
    # a claim's findings depend on its table alone (and whether any table prints a zero): kept with that
    # table, they serve the re-runs of the root-cause search (audit.rerunner), which amend one table at a time
    kept = check.memo.setdefault("claim_findings", {})
    if "linked_amounts" not in check.memo:
        check.memo["linked_amounts"] = [
            (n, claim) for n, claim in enumerate(narrative_claims(check))
            if isinstance(claim, Amount) and claim.link or isinstance(claim, Item) and claim.link and claim.actual is not None]
    zero = prints_zero(check)
    cells: dict = {}  # link → what a claim's findings depend on in its table: the cell, its column's name, the row key
    for n, claim in check.memo["linked_amounts"]:
        check.examined()
        table = report.tables.get(claim.link[0])
        hit = kept.get(n)
        if hit is not None and hit[0] is table and hit[1] == zero:
            findings += hit[3]
            continue
        # an amended table (a re-run) often leaves this claim's cell as it was
        if claim.link not in cells:
            cells[claim.link] = table is not None and (
                table_cell(check, claim.link), table.column_name(claim.link[2]), table.value(claim.link[1], "key"))
        cell = cells[claim.link]
        if hit is None or hit[1] != zero or hit[2] != cell:
            hit = (table, zero, cell, _amount_findings(check, claim))
        kept[n] = (table, zero, cell, hit[3])
        findings += hit[3]
    return findings


def _amount_findings(check: Check, claim: Claim) -> list[Finding]:
    """FA-N001 for one amount or item linked to a table cell."""
    report = check.report
    if isinstance(claim, Amount):
        stated, places, link, relation, what = claim.value, claim.places, claim.link, claim.relation, claim.subject
    else:
        stated, places, link, relation, what = claim.actual, claim.actual_places, claim.link, "eq", claim.name
    cell = table_cell(check, link)
    column = report.tables[link[0]].column_name(link[2])
    said = {"cells": (claim.ref(stated), cell), "about": about(claim), "what": what, "source": cell.cited,
            "place": check.rule.messages["place"].format(source=cell.cited, row=cell.row, column=column)}
    if cell.value is None:
        if stated != 0:
            return [check.say("blank", claim.ref(stated), actual=stated, **said)]
        key = report.tables[link[0]].value(link[1], "key")
        total = isinstance(key, str) and key.endswith("total") and link[2] in ("total", "actual", "budget")
        return [check.say("zero_blank", claim.ref(stated), severity="warning" if total and prints_zero(check) else "info",
                          actual=stated, **said)]
    band = printed_band(places) + printed_band(2)
    verdict, difference = check.compare(stated, cell.value, band), stated - cell.value
    if relation == "le" and (verdict is not Verdict.DIFFERS or difference < 0):
        if verdict is not Verdict.DIFFERS:
            return []
        return [check.say("below", claim.ref(stated), severity="info", expected=cell.value, actual=stated,
                          difference=difference, **said)]
    if verdict is Verdict.EQUAL:
        return []
    return [check.say(str(verdict), claim.ref(stated), severity="info" if verdict is Verdict.ROUNDING else None,
                      expected=cell.value, actual=stated, difference=difference, tol=band, **said)]


@rule("FA-N002", "error", "占比计算错误", "Share does not equal part ÷ whole", documents=BOTH, messages={"percent": PERCENT})
def share_arithmetic(check: Check) -> list[Finding]:
    """Every share ("占X%", "占本年支出合计的X%") equals part ÷ whole × 100 within interval arithmetic on the
    printed numbers (each stands for ±half its last decimal), allowing rounding or truncation of the
    stated percentage. The part is the amount just stated; the whole is the one named after 占, else the
    sentence's leading amount, else the total the sentence introduces ("“三公”经费…决算中"). A slip of at most
    a hundredth of a point beyond that range is a warning. Basis: primer, "every share = part ÷ whole"."""
    findings = []
    for claim in of_kind(narrative_claims(check), Share):
        if claim.part is None or claim.whole is None or claim.whole == 0:
            continue
        allowed = ratio_range(claim.part, printed_band(claim.part_places), claim.whole, printed_band(claim.whole_places))
        if allowed is None:
            continue
        finding = percent_finding(check, claim, claim.percent, claim.places, allowed, exact(claim.part, claim.whole),
                                  subject("share", subject=claim.subject, part=claim.part, whole=claim.whole))
        findings += [finding] if finding else []
    return findings


def rates(found: list[Claim]) -> Iterator[tuple[Claim, str, Decimal, int, Decimal | None, int, Decimal | None, int]]:
    """(claim, subject, stated %, places, budget, places, actual, places) of every 完成率, items included."""
    for claim in found:
        if isinstance(claim, Rate):
            yield claim, claim.subject, claim.percent, claim.places, claim.budget, claim.budget_places, claim.actual, claim.actual_places
        elif isinstance(claim, Item) and claim.rate is not None:
            yield claim, claim.name, claim.rate, claim.rate_places, claim.budget, claim.budget_places, claim.actual, claim.actual_places


@rule("FA-N003", "error", "完成率计算错误", "Completion rate does not equal actual ÷ budget", messages={"percent": PERCENT})
def rate_arithmetic(check: Check) -> list[Finding]:
    """Every 完成（年初）预算的X% equals 决算 ÷ 年初预算 × 100 within interval arithmetic on the printed
    numbers (rounding or truncation of the stated rate allowed; a slip of at most a hundredth of a point beyond is a warning).
    The budget is the one stated in the sentence for the same subject, else (三公 items) the 表七 预算数.
    Basis: primer, "every 完成率 = 决算 ÷ 年初预算"."""
    findings = []
    for claim, name, stated, places, budget, budget_places, actual, actual_places in rates(narrative_claims(check)):
        if not budget or actual is None:
            continue
        allowed = ratio_range(actual, printed_band(actual_places), budget, printed_band(budget_places))
        if allowed is None:
            continue
        finding = percent_finding(check, claim, stated, places, allowed, exact(actual, budget),
                                  subject("completion", subject=name, actual=actual, budget=budget))
        findings += [finding] if finding else []
    return findings


@rule("FA-N004", "error", "对零预算陈述完成率", "Completion rate stated against a zero budget", messages={
    "zero_budget": ("{subject}：年初预算为 {budget}，却陈述完成预算的 {actual}%（决算 {spent}）",
                    "{subject}: budget is {budget}, yet a rate of {actual}% is stated (actual {spent})"),
    "blank": ("空", "blank"),
})
def rate_without_budget(check: Check) -> list[Finding]:
    """No "完成年初预算的X%" may be stated where the budget is 0 or blank: a zero budget has no rate.
    A warning when the actual is 0 too (0 ÷ 0 stated as 0% or 100%), an error otherwise.
    Basis: primer, "No 完成年初预算的X% against a zero budget"."""
    findings = []
    for claim, subject, stated, _, budget, _, actual, _ in rates(narrative_claims(check)):
        check.examined()
        if budget:
            continue
        findings.append(check.say(
            "zero_budget", claim.ref(stated), severity="warning" if not actual else "error", actual=stated,
            about=about(claim), subject=subject, spent=actual, budget=check.rule.messages["blank"] if budget is None else budget))
    return findings


def change_range(change: Change) -> tuple[Decimal, Decimal] | None:
    amount, base = change.amount, change.base
    band = printed_band(change.places) + printed_band(change.base_places)
    prior = base - change.signed
    if prior - band <= 0:
        return None
    return max(amount - printed_band(change.places), Decimal(0)) / (prior + band) * HUNDRED, \
        (amount + printed_band(change.places)) / (prior - band) * HUNDRED


@rule("FA-N005", "error", "同比增减幅度计算错误", "Year-on-year percentage does not equal change ÷ prior year",
      documents=BOTH, messages={"percent": PERCENT, "no_base": (
          "{subject}：比较的基数为 0（{base}{sign}{amount}），没有增减幅度可言，文中却说“{word}{percent}%”",
          "{subject}: the figure compared with is 0 ({base} {sign} {amount}); there is no rate, yet the text says {word} {percent}%")})
def year_on_year(check: Check) -> list[Finding]:
    """Every year-on-year percentage equals change ÷ (this year − change) × 100, this year's value being
    the amount stated for the same subject (or its table cell), within interval arithmetic on the printed
    numbers (rounding or truncation allowed; at most a hundredth of a point beyond is a warning). A percentage
    stated against a prior year of 0 ("增加X万元，增长100%" where X is this year's whole amount) has no base: a
    warning. Basis: primer, "every year-on-year % = change ÷ (this year − change)"."""
    findings = []
    for claim in of_kind(narrative_claims(check), Change):
        if claim.percent is None or claim.amount is None or claim.base is None:
            continue
        allowed = change_range(claim)
        prior = claim.base - claim.signed
        if allowed is None and claim.amount and abs(prior) <= printed_band(claim.places) + printed_band(claim.base_places):
            findings.append(check.say("no_base", claim.ref(claim.percent), severity="warning", about=about(claim),
                                      subject=claim.subject, base=claim.base, sign="+" if claim.sign < 0 else "−",
                                      amount=claim.amount, word=claim.percent_word or claim.word, percent=claim.percent))
            continue
        if allowed is None:
            continue
        finding = percent_finding(check, claim, claim.percent, claim.percent_places, allowed, exact(claim.amount, prior),
                                  subject("year_on_year", subject=claim.subject, amount=claim.amount, base=claim.base,
                                          sign="+" if claim.sign < 0 else "−", prior=prior))
        findings += [finding] if finding else []
    return findings


@rule("FA-N006", "error", "增减方向用词与数字不符", "Direction word contradicts the numbers", documents=BOTH, messages={
    "words": ("{subject}：金额为“{word}”，幅度却为“{percent_word}”", "{subject}: amount '{word}' but percentage '{percent_word}'"),
    "no_direction": ("{subject}：称“{word}”但变动 {amount}", "{subject}: '{word}' with a change of {amount}"),
    "comparison": ("{name}：文中称决算数{word}预算数，但决算 {actual}、预算 {expected}",
                   "{name}: says actual {word} budget, but actual {actual}, budget {expected}"),
})
def direction_words(check: Check) -> list[Finding]:
    """The words say what the numbers do: 增加 goes with 增长 and 减少 with 下降 in one change; "决算数大于
    （小于）预算数" matches the stated budget and actual; "持平" only where they are equal ("基本持平": within
    1%). Basis: primer, "增加/减少/持平 matches the sign"."""
    findings = []
    for claim in narrative_claims(check):
        if isinstance(claim, Change) or isinstance(claim, (Item, Statement)) and claim.comparison:
            check.examined()
        if isinstance(claim, Change) and claim.percent_word and direction(claim.percent_word) != claim.sign:
            findings.append(check.say("words", claim.ref(claim.amount), actual=claim.amount, about=about(claim),
                                      subject=claim.subject, word=claim.word, percent_word=claim.percent_word))
        if isinstance(claim, Change) and claim.amount is not None and claim.amount != 0 and claim.sign == 0:
            findings.append(check.say("no_direction", claim.ref(claim.amount), about=about(claim), subject=claim.subject,
                                      word=claim.word, amount=claim.amount))
        if isinstance(claim, (Item, Statement)) and claim.comparison and claim.budget is not None and claim.actual is not None:
            budget, actual, word = claim.budget, claim.actual, claim.comparison
            wrong = (word == "大于" and actual <= budget) or (word == "小于" and actual >= budget) or \
                (word == "持平" and actual != budget) or (word == "基本持平" and abs(actual - budget) > abs(budget) / HUNDRED)
            if wrong:
                findings.append(check.say("comparison", claim.ref(actual), expected=budget, actual=actual,
                                          difference=actual - budget, about=about(claim), word=word,
                                          name=claim.name if isinstance(claim, Item) else claim.subject))
    return findings


@rule("FA-N007", "error", "分项增减额之和不等于总增减额", "Parts of a change do not add up to it", documents=BOTH, messages={
    "parts": ("{subject}：总变动 {actual:+}，各分项之和 {expected:+}，相差 {difference:+}",
              "{subject}: change {actual:+}, parts add up to {expected:+}, difference {difference:+}"),
})
def change_parts(check: Check) -> list[Finding]:
    """Where a change is broken down ("…减少XXX万元，其中：A增加…；B减少…"), the signed parts add up to
    the signed whole within the rounding band (XBRL Calc 1.1: half a hundredth × (n + 1)). Basis: primer, "parts of a change add up to
    the change"."""
    found = narrative_claims(check)
    changes = of_kind(found, Change)
    findings = []
    children: dict[int, list[Change]] = {}
    for change in changes:
        if change.parent is not None and change.signed is not None:
            children.setdefault(change.parent, []).append(change)
    for whole in changes:
        parts = children.get(whole.index, [])
        if not parts or whole.signed is None:
            continue
        finding = check.stated_sum(
            "parts", whole.ref(whole.amount), whole.signed, [p.signed for p in parts],
            cells=(whole.ref(whole.amount), *(p.ref(p.amount) for p in parts)), about=about(whole), subject=whole.subject)
        findings += [finding] if finding else []
    return findings


@rule("FA-N008", "error", "逐项预算、决算之和不等于总数", "Item budgets do not add up to the quoted total", messages={
    "sum": ("逐项{what}之和 {expected} 不等于文中总{what} {actual}，相差 {difference:+}（{count} 项）",
            "the {count} items' {what} add up to {expected}, the quoted total is {actual}, difference {difference:+}"),
})
def item_totals(check: Check) -> list[Finding]:
    """In a section that quotes the total 年初预算 and 决算 and then each 项 one by one, the items' budgets
    add up to the quoted total budget and their actuals to the quoted total actual (rounding band half a hundredth × (n + 1)).
    Basis: primer, "Sums of the 项 budgets quoted one by one equal the quoted total budget"."""
    found = narrative_claims(check)
    findings = []
    grouped = by_section(found)
    for section in {c.section for c in found if isinstance(c, Item)}:
        in_section = sorted(grouped[section], key=lambda c: c.offset)
        items = [c for c in in_section if isinstance(c, Item)]
        before = [c for c in in_section if isinstance(c, Amount) and c.offset < items[0].offset]
        budget = next((c for c in reversed(before) if c.role == "budget"), None)
        if budget is None:
            continue
        actual = next((c for c in before if c.index > budget.index and c.role == "actual"), None)
        for total, attribute in ((budget, "budget"), (actual, "actual")):
            values = [getattr(i, attribute) for i in items if getattr(i, attribute) is not None]
            if total is None or not values:
                continue
            finding = check.stated_sum(
                "sum", total.ref(total.value), total.value, values,
                cells=(total.ref(total.value), *(i.ref(getattr(i, attribute)) for i in items)),
                about=f"items:{attribute}", what=SUBJECTS[f"item_{attribute}s"], count=len(values))
            findings += [finding] if finding else []
    return findings


Predicate = Callable[[Amount], bool]


def _subject(pattern: str, exclude: str = "^$") -> Predicate:
    """Whether an amount's subject matches `pattern` and not `exclude` (answered once per subject)."""
    wanted, unwanted = re.compile(pattern), re.compile(exclude)

    @functools.lru_cache(maxsize=4096)
    def holds(subject: str) -> bool:
        return bool(wanted.search(subject)) and not unwanted.search(subject)

    return lambda a: holds(a.subject)


def _linked(kind: str, key: str) -> Callable[[Report], Predicate]:
    def make(report: Report) -> Predicate:
        table = report.tables.get(kind)
        row = row_with(table, key) if table is not None else None
        return lambda a: a.link is not None and a.link[:2] == (kind, row) and a.role == "actual"
    return make


#: Wholes stated with their parts: (what, whole, parts). Predicates on amounts of one section.
STRUCTURES: list[tuple[str, Callable, list[Callable]]] = [
    ("procurement",
     lambda r: _subject(r"政府采购.*(?:总额|金额)|政府采购支出$", r"货物|工程|服务|中小|小微"),
     [lambda r: _subject(r"货物", r"中小|小微"), lambda r: _subject(r"工程", r"中小|小微"), lambda r: _subject(r"服务", r"中小|小微")]),
    ("three_public_parts",
     _linked("three_public", "total"), [_linked("three_public", "abroad"), _linked("three_public", "vehicle"),
                                        _linked("three_public", "reception")]),
    ("vehicle_parts",
     _linked("three_public", "vehicle"), [_linked("three_public", "vehicle_purchase"), _linked("three_public", "vehicle_running")]),
    ("reception_parts",
     _linked("three_public", "reception"), [lambda r: _subject(r"国内"), lambda r: _subject(r"外宾|外事")]),
    ("basic_parts",
     lambda r: _subject(r"基本支出", r"人员|公用"), [_linked("basic_expenditure", "personnel_total"),
                                                    _linked("basic_expenditure", "public_total")]),
]


@rule("FA-N009", "error", "文中分项之和不等于总数", "Stated parts do not add up to the stated whole", documents=BOTH, messages={
    "parts": ("{what}：文中总数 {actual}，分项之和 {expected}，相差 {difference:+}",
              "{what}: stated {actual}, parts add up to {expected}, difference {difference:+}"),
})
def stated_parts(check: Check) -> list[Finding]:
    """Where the narrative states a whole and all its parts, they add up (rounding band half a hundredth × (n + 1)): 政府采购总额 =
    货物 + 工程 + 服务; "三公"经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费; 公务用车 = 购置 + 运行;
    公务接待 = 国内 + 外宾; 基本支出 = 人员经费 + 公用经费. Basis: primer, "政府采购 总额 = 货物 + 工程 + 服务"
    and the 表六/表七 identities restated in the text."""
    found = narrative_claims(check)
    amounts = of_kind(found, Amount)
    findings = []
    for key, whole_of, parts_of in STRUCTURES:
        what = SUBJECTS[key]
        is_whole = whole_of(check.report)
        # each part's amounts, by section in order: the first after a whole is found by bisection
        parts_at = [_by_section(amounts, part(check.report)) for part in parts_of]
        for whole in [a for a in amounts if is_whole(a)]:
            parts = [_first_after(at.get(whole.section), whole.index) for at in parts_at]
            if any(p is None for p in parts):
                continue
            finding = check.stated_sum(
                "parts", whole.ref(whole.value), whole.value, [p.value for p in parts],
                cells=(whole.ref(whole.value), *(p.ref(p.value) for p in parts)), about=f"parts:{what.en}",
                what=what)
            findings += [finding] if finding else []
            break
    return findings


@rule("FA-N010", "error", "“其中”部分大于总数", "An 'of which' part exceeds its whole", documents=BOTH, messages={
    "exceeds": ("“其中”{part} {actual} 大于其总数 {whole} {expected}", "the 'of which' part {part} {actual} exceeds its whole {whole} {expected}"),
})
def part_within_whole(check: Check) -> list[Finding]:
    """An amount stated after "其中" is a part of the amount stated just before it and cannot exceed it
    (e.g. 授予小微企业合同金额 within 授予中小企业合同金额). Basis: primer, "a 其中 part cannot exceed its whole"."""
    found = narrative_claims(check)
    amounts = {a.index: a for a in of_kind(found, Amount)}
    findings = []
    for part in amounts.values():
        whole = amounts.get(part.whole) if part.whole is not None else None
        if whole is not None:
            check.examined()
        if whole is None or part.value <= whole.value + printed_band(whole.places) + printed_band(part.places):
            continue
        if whole.role != part.role:
            continue
        findings.append(check.say(
            "exceeds", part.ref(part.value), cells=(part.ref(part.value), whole.ref(whole.value)), expected=whole.value,
            actual=part.value, difference=part.value - whole.value, about=about(part), part=part.subject, whole=whole.subject))
    return findings


COUNTED = ("vehicles", "trips", "people", "receptions", "visitors")


@rule("FA-N011", "warning", "同一数量前后不一致", "The same count stated twice with different values", messages={
    "differs": ("{counted}{scope}数量前后不一致：{values}", "{counted}{scope} stated with different values: {values}"),
    "value": ("{value}（{section}，{subject}）", "{value}"),
})
def counts_agree(check: Check) -> list[Finding]:
    """A count stated twice (车辆 in the 三公 section and in 国有资产; 团组, 人次, 接待批次) has one value.
    A count after "其中" is a part of the one before it ("接待5批次，其中：外事接待1批次"), and a count of
    domestic or of foreign guests only is compared only with its like. A warning: 公务用车保有量 (paid by
    appropriations) and 车辆 held may differ in scope — check which is meant. Basis: primer, "Counts …
    are present and consistent where stated twice"."""
    found = [c for c in of_kind(narrative_claims(check), Count) if not c.part]
    value = check.rule.messages["value"]
    findings = []
    for key, scope in dict.fromkeys((c.key, c.scope) for c in found if c.key in COUNTED):
        stated = [c for c in found if (c.key, c.scope) == (key, scope)]
        check.examined(len(stated) > 1)
        if len({c.value for c in stated}) > 1:
            first = stated[0]
            findings.append(check.say(
                "differs", first.ref(Decimal(first.value)), cells=tuple(c.ref(Decimal(c.value)) for c in stated),
                about=about(first) + (f":{scope}" if scope else ""), counted=LABELS[f"counted.{key}"],
                scope=LABELS[f"counted.{scope}"] if scope else Text("", ""), values=joined([value.format(
                    value=c.value, section=c.section, subject=c.subject) for c in stated])))
    return findings


#: The figures a narrative states more than once (totals, 三公 and its parts, 机关运行经费, 政府采购).
RESTATED = lazy(r"三公|因公出国|公务用车|公务接待|机关运行经费|收入总计|支出总计|收支总计|本年收入合计|本年支出合计|政府采购")


@rule("FA-N023", "warning", "同一数额前后不一致", "The same figure stated twice with different amounts", messages={
    "differs": ("{subject} 前后金额不一致：{values}", "{subject} stated with different amounts: {values}"),
    "value": ("{value}（{section}）", "{value}"),
}, documents=BOTH)
def amounts_agree(check: Check) -> list[Finding]:
    """A total, a 三公 figure or 机关运行经费 stated in two places (the overview and its own section, the text
    and a summary paragraph) has one amount: the same subject in the same words, the same role (budget or
    actual) and basis, not a "其中" part, beyond the rounding of both printed figures. A warning: two scopes may
    share words (财政拨款 or all funds) — read both sentences. Basis: issue 23, "a figure the text gives twice
    in different places agrees"."""
    groups: dict[tuple, list[Amount]] = {}
    for claim in of_kind(narrative_claims(check), Amount):
        if claim.subject and claim.whole is None and claim.role != "prior" and RESTATED.search(claim.subject):
            groups.setdefault((re.sub(r"[“”\"']", "", claim.subject), claim.role, claim.basis), []).append(claim)
    findings = []
    for (subject, _, _), stated in groups.items():
        if len({c.sentence for c in stated}) < 2:
            continue
        check.examined()
        first = stated[0]
        if any(abs(c.value - first.value) > printed_band(c.places) + printed_band(first.places) for c in stated[1:]):
            findings.append(check.say(
                "differs", first.ref(first.value), cells=tuple(c.ref(c.value) for c in stated), about=about(first),
                subject=subject, values=joined([check.rule.messages["value"].format(value=c.value, section=c.section or "—")
                                                for c in stated])))
    return findings


@rule("FA-N012", "warning", "同一总数的各项占比之和不为100%", "Shares of one whole do not add up to 100%", messages={
    "sum": ("各项占比之和为 {actual}%（应约为100%）：{shares}", "shares add up to {actual}% (should be about 100%)"),
})
def shares_add_up(check: Check) -> list[Finding]:
    """Shares of one whole stated in one sentence, where the stated parts add up to that whole, add up to
    100% within a hundredth of a point per share (each may be rounded or truncated). Basis: primer, "Shares of one
    whole add up to ~100%"."""
    found = narrative_claims(check)
    amounts = {a.index: a for a in of_kind(found, Amount)}
    groups: dict[tuple, list[Share]] = {}
    for share in of_kind(found, Share):
        if share.whole_key and share.part is not None:
            groups.setdefault((share.section, share.group, share.whole_key), []).append(share)
    findings = []
    for shares in groups.values():
        if len(shares) < 2:
            continue
        whole = shares[0].whole
        parts = sum((s.part for s in shares), Decimal(0))
        if whole is None or abs(whole - parts) > tolerance(len(shares)):
            continue  # not every part is listed
        if any(amounts.get(s.part_index) and amounts[s.part_index].whole is not None and
               amounts[s.part_index].whole != amounts[shares[0].part_index].whole for s in shares):
            continue
        total = sum((s.percent for s in shares), Decimal(0))
        band = SLIP * len(shares)
        check.examined()
        if abs(total - HUNDRED) > band:
            findings.append(check.say(
                "sum", shares[0].ref(total), cells=tuple(s.ref(s.percent) for s in shares), expected=HUNDRED, actual=total,
                difference=total - HUNDRED, tol=band, form="parts", about=f"shares:{shares[0].whole_name or shares[0].subject}",
                shares="、".join(f"{s.subject} {s.percent}%" for s in shares)))
    return findings


#: Placeholders a template leaves for the writer (after NFKC, Ｘ is X).
_PLACEHOLDER = lazy(r"X{2,}|×{2,}|待填写|请填写|待补充")
_LEFTOVERS = lazy(_PLACEHOLDER.pattern + r"|增加\(减少\)|减少\(增加\)|增长\(下降\)|下降\(增长\)|\(增长\)|\(下降\)|\(增加\)|\(减少\)"
                        r"|大于\(小于\)|小于\(大于\)|\(如持平作持平表述\)|\(不涉及的不列\)|主要原因[:：]?XX")
_MISSING_PERCENT = lazy(r"(占比?|完成(?:年初)?预算的?|增长了?|下降了?|[增减降涨]幅为?)(\d+(?:\.\d+)?)"
                       r"(?![\d.%万元亿个辆人次批倍项年月日名台套户件家点]|,\d{3})")


def paragraphs(check: Check) -> Iterator[tuple[CellRef, str]]:
    """Every narrative paragraph, normalised, with its reference (section number, line or page)."""
    if not check.report.narrative:
        raise NotApplicable("no narrative")
    for section in check.report.narrative:
        for paragraph in section.paragraphs:
            yield (CellRef(None, "narrative", section.number or "—", None, None, line=paragraph.line, page=paragraph.page),
                   normalise(paragraph.text))


@rule("FA-N013", "error", "模板文字残留或百分号缺失", "Template leftovers or missing % signs", messages={
    "leftover": ("模板文字残留“{text}”：{excerpt}", "template leftover {text!r}"),
    "no_percent": ("“{text}”缺少百分号", "{text!r}: % sign missing"),
    "title": ("{what}中有模板占位符“{text}”：{title}", "placeholder {text!r} in the {what}: {title}"),
}, documents=BOTH)
def template_leftovers(check: Check) -> list[Finding]:
    """The narrative carries no template placeholders (XX, XXXXXXXX), no unresolved alternatives
    ("增加（减少）", "（增长）", "大于（小于）") and no template instructions ("（如持平作持平表述）"); a share,
    rate or growth figure carries its % sign (missing % is a warning). The unit's name, the section titles
    and the table titles carry no placeholder ("XX局", "××", "待填写"): reported once, where it is, and the
    name is then not compared (FA-N014). Basis: primer, "no template leftovers; % signs present"."""
    report = check.report
    titles = [(CellRef(None, "narrative", "—", None, None), SUBJECTS["unit_name"], report.meta.department or "")]
    titles += [(CellRef(None, "narrative", s.number or "—", None, None, line=s.line, page=s.page), SUBJECTS["section_title"],
                s.title) for s in report.narrative]
    titles += [(CellRef(t.ordinal, t.kind, "标题", None, None, line=t.title_line, page=t.pages[0] if t.pages else None),
                SUBJECTS["table_title"], t.title) for t in report.tables.values()]
    findings = []
    seen = set()
    check.examined(len(titles))
    for ref, what, title in titles:
        for match in _PLACEHOLDER.finditer(normalise(title)):
            if (match[0], title) not in seen:
                seen.add((match[0], title))
                findings.append(check.say("title", ref, about=f"title:{match[0]}:{title}", text=match[0], title=title,
                                          what=what))
    for ref, text in paragraphs(check):
        check.examined()
        for match in _LEFTOVERS.finditer(text):
            findings.append(check.say("leftover", ref, about=f"leftover:{match[0]}", text=match[0],
                                      excerpt=text[max(0, match.start() - 20):match.end() + 20]))
        for match in _MISSING_PERCENT.finditer(text):
            findings.append(check.say("no_percent", ref, severity="warning", about=f"percent:{match[1]}", text=match[0]))
    return findings


_UNIT_NAME = lazy(r"([\u4e00-\u9fff]{2,30}?(?:局|办公室|委员会|厅|中心|院|所|站|馆|部|处|队))(?:\(本级\))?(?=(?:19|20)\d{2}年度)")


@rule("FA-N014", "error", "年度或单位名称前后不一致", "Year or department name inconsistent", messages={
    "year": ("年度不符：“{found}”，报告年度为 {year}（应为 {should}）", "year mismatch: {found!r}; report year {year} (expected {should})"),
    "name": ("单位名称“{name}”（{times} 处）与报告中通用的“{department}”不同",
             "unit name {name!r} ({times} times) differs from {department!r}, the name used elsewhere in the report"),
}, documents=BOTH)
def same_year_and_name(check: Check) -> list[Finding]:
    """The narrative (section titles included) speaks of the report's year throughout: "YYYY年度" is the
    report year, the year before (in a comparison) or the year after (what a final says of the year it is
    published in); "与YYYY年相比"/"比YYYY年" is the year before ("与YYYY年预算相比" may be the report year); a stock
    "截至YYYY年12月31日" (年底, 年末) is taken at the end of the report year in a final account and of the year
    before in a budget; "截至YYYY年X月" in a final may also be the year of publication. A department named
    before "YYYY年度" is the report's department: the name the cover, titles and narrative use most is
    the report's; a name that is not it, nor a shortened form of it (one written inside the other, as
    "东区财政局" in "某市东区财政局"), is reported once however often it recurs (a warning: it may be a unit
    of the department). Basis: primer, "The same year, unit and department name throughout"."""
    report = check.report
    year = report.meta.year
    if not report.narrative:
        raise NotApplicable("no narrative")
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    department = normalise(report.meta.department or "")
    if _PLACEHOLDER.search(department):
        department = ""  # a placeholder name is FA-N013's, once
    budget = report.meta.kind == "budget"
    titles = [(CellRef(None, "narrative", s.number or "—", None, None, line=s.line, page=s.page), normalise(s.title))
              for s in report.narrative]
    names: list[tuple[str, CellRef]] = []
    for ref, text in [*titles, *paragraphs(check)]:
        check.examined()
        wrong = []
        for match in re.finditer(r"(?:与|比)((?:19|20)\d{2})年度?(?:相比|决算|同期)?(年初|预算)?", text):
            if int(match[1]) != year - 1 and not (match[2] and int(match[1]) == year):  # "与本年预算相比"
                wrong.append((match[0], year - 1))
        for match in re.finditer(r"截[至止]((?:19|20)\d{2})年(12月31日|底|末|年末|年底|\d{1,2}月)", text):
            stock = year - 1 if budget else year
            allowed = (stock,) if not match[2].endswith("月") else (stock, stock + 1)
            if int(match[1]) not in allowed:
                wrong.append((match[0], stock))
        for match in re.finditer(r"(?<![与比\d])((?:19|20)\d{2})年度", text):
            if int(match[1]) not in (year, year - 1, year + 1):  # a final may speak of the year it is published in
                wrong.append((match[0], year))
        for found, should in wrong:
            findings.append(check.say("year", ref, about=f"year:{found}", found=found, year=year, should=should))
        names += [(m[1], ref) for m in _UNIT_NAME.finditer(text) if not m[1].startswith(("本", "年度"))]
    return findings + odd_names(check, department, names)


def _shortened(a: str, b: str) -> bool:
    """One name is the other written shorter: its characters appear in the other, in order."""
    short, long = sorted((a, b), key=len)
    rest = iter(long)
    return all(char in rest for char in short)


def odd_names(check: Check, department: str, names: list[tuple[str, CellRef]]) -> list[Finding]:
    """The unit names that are not the report's (the one used most, the cover's counted once), once each."""
    if not department:
        return []
    votes = Counter([department] + [n for n, _ in names])
    usual = max(votes, key=lambda n: (sum(v for m, v in votes.items() if _shortened(n, m)), n == department))
    findings = []
    cover = CellRef(None, "narrative", "—", None, None)
    for name in dict.fromkeys([department] + [n for n, _ in names]):
        if not _shortened(name, usual):
            refs = [r for n, r in names if n == name] or [cover]
            findings.append(check.say("name", refs[0], severity="warning", about=f"name:{name}", name=name,
                                      times=len(refs), department=usual))
    return findings


@rule("FA-N015", "warning", "项目编号重复或跳号", "Item numbering repeats or skips", messages={
    "numbering": ("第{position}项编号为“{number}.”：{name}", "item {position} is numbered {number}: {name}"),
})
def item_numbering(check: Check) -> list[Finding]:
    """The 项 quoted one by one ("1.…（项）", "2.…") are numbered 1, 2, 3 … without repeats or gaps, so that
    each can be cited. Basis: template layout (按上述格式依次说明到各项级科目)."""
    found = of_kind(narrative_claims(check), Item)
    findings = []
    for section, here in by_section(found).items():
        items = [i for i in here if i.number.isdigit()]
        check.examined(len(items) > 1)
        for position, item in enumerate(items, start=int(items[0].number) if items else 1):
            if int(item.number) != position:
                findings.append(check.say("numbering", item.ref(), about=about(item), position=position,
                                          number=item.number, name=item.name))
                break
    return findings


@rule("FA-N016", "warning", "文中款名称与表中科目不符", "Quoted section name differs from the table's", messages={
    "kuan": ("{name}：款名称对应 {kuan_code}，表中该项为 {code}", "{name}: the section name is {kuan_code}, the table has the item as {code}"),
})
def item_names(check: Check) -> list[Finding]:
    """A 项 quoted as "X（类）Y（款）Z（项）" is found in the table by its names; where the 款 name Y is the
    official name of another 款 than the one the 项 sits under in the table, the text names the wrong 款.
    Basis: primer, code checks (names are those of that year's list)."""
    findings = []
    for item in of_kind(narrative_claims(check), Item):
        check.examined(bool(item.code and item.kuan_code))
        if item.code and item.kuan_code and not item.code.startswith(item.kuan_code):
            findings.append(check.say("kuan", item.ref(item.actual), about=about(item),
                                      cells=(item.ref(item.actual), table_cell(check, item.link)) if item.link else (),
                                      name=item.name, kuan_code=item.kuan_code, code=item.code))
    return findings


def _named(printed: str, name: str | None) -> bool:
    """The printed name is `name` (normalised, with or without a trailing 支出)."""
    if not name:
        return False
    a, b = codes.normalise_name(printed), codes.normalise_name(name)
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


@rule("FA-N017", "warning", "文中项目名称与表中或当年科目不符", "Quoted class/section/item name differs from the table's or the year's", messages={
    "by_amount": ("{name}：文中项名称“{printed}”，而金额 {actual} 与表中同款的“{row_name}”（{code}）一致",
                  "{name}: the item is called {printed!r}, but its amount {actual} is that of {row_name!r} ({code}) in the table"),
    "other_year": ("{name}：“{printed}”是科目 {code} 其他年度的名称，{year}年为“{current}”",
                   "{name}: {printed!r} is the name of {code} in another year; in {year} it is {current!r}"),
    "class_as_kuan": ("{name}：款名称“{printed}”是类科目 {code} 的名称", "{name}: the section name {printed!r} is the name of the class {code}"),
})
def item_names_of_year(check: Check) -> list[Finding]:
    """A 项 quoted as "X（类）Y（款）Z（项）" is named as the table and that year's 科目 name it. Where the
    quoted 项 name is not that of any row but the stated 决算 equals exactly one row of the same 款, the
    name is wrong (the row is named, no amount difference is reported); a 类, 款 or 项 name that is the
    name of its code in another year only (renamed 科目, e.g. 医疗卫生与计划生育支出 after 2018) or a 类 name
    printed as the 款 is a warning. Known false positives: a code list without that year's rename."""
    year = check.report.meta.year or 0
    findings = []
    for item in of_kind(narrative_claims(check), Item):
        check.examined()
        said = {"about": about(item), "name": item.name}
        if item.matched_by == "amount":
            findings.append(check.say("by_amount", item.ref(item.actual), actual=item.actual, printed=item.item_name,
                                      row_name=item.row_name, code=item.code,
                                      cells=(item.ref(item.actual), table_cell(check, item.link)), **said))
            continue
        class_code = codes.code_for_name(item.kuan_name, year, 1)
        if item.kuan_name and class_code and not item.kuan_code:
            findings.append(check.say("class_as_kuan", item.ref(item.actual), printed=item.kuan_name, code=class_code, **said))
        if not item.code:
            continue
        for code, printed in ((item.code[:3], item.class_name), (item.code[:5], item.kuan_name), (item.code, item.item_name)):
            current = codes.name(code, year)
            if not printed or not current or _named(printed, current):
                continue
            if any(_named(printed, other) for other in codes.known_names(code)):
                findings.append(check.say("other_year", item.ref(item.actual), printed=printed, code=code, year=year,
                                          current=current, **said))
    return findings


@rule("FA-N018", "warning", "文中基本支出、项目支出属性与表中不符", "Item called basic or project where the table has it all in the other", messages={
    "purpose": ("{name}：文中称用于{said}，表中该项{said}为空、{spent} {other}",
                "{name}: described as {said}, the table has no {said} and {other} of {spent}"),
})
def item_purpose(check: Check) -> list[Finding]:
    """A 项 whose description says it is 基本支出 ("主要用于…等基本支出") has 基本支出 in the table (表五, or
    the section's table), and one said to be 项目支出 has 项目支出: a warning where the named column is blank or
    zero and the other holds the whole amount. Basis: primer, 表五 合计 = 基本 + 项目; the 情况说明 restates
    the tables."""
    findings = []
    for item in of_kind(narrative_claims(check), Item):
        if not item.purpose or not item.link:
            continue
        view = check.table(item.link[0])
        other = "project" if item.purpose == "basic" else "basic"
        if item.purpose not in view.columns or other not in view.columns:
            continue
        said, rest = view.cell(item.link[1], item.purpose), view.cell(item.link[1], other)
        check.examined()
        if said.value or not rest.value or rest.value <= 0:
            continue
        findings.append(check.say(
            "purpose", item.ref(item.actual), cells=(item.ref(item.actual), said, rest), actual=rest.value, about=about(item),
            name=item.name, other=rest.value, said=SUBJECTS[item.purpose], spent=SUBJECTS[other]))
    return findings


_PROCUREMENT_TOTAL = _subject(r"政府采购.*(?:总额|金额)|政府采购支出$", r"货物|工程|服务|中小|小微")
_BUCKETS = (("货物", _subject(r"货物", r"中小|小微")), ("工程", _subject(r"工程", r"中小|小微")),
            ("服务", _subject(r"服务", r"中小|小微")))


@rule("FA-N019", "error", "政府采购分项金额不合理", "Procurement amounts inconsistent", messages={
    "exceeds": ("{part}{actual} 大于{whole}{expected}", "{part} {actual} exceeds {whole} {expected}"),
    "same_amount": ("{first}与{second}金额同为 {actual}，且分项之和与总额不符：疑为重复填写",
                    "{first} and {second} are both {actual} and the parts do not add up to the total: likely copied"),
})
def procurement_amounts(check: Check) -> list[Finding]:
    """In the 政府采购 statement, the amounts awarded to 中小企业 and to 小微企业 are parts of the total
    procurement (and 小微 of 中小), so none exceeds it; 货物, 工程 and 服务 are exclusive, so one non-zero amount
    stated for two of them while the parts do not add up to the stated total (or no total is stated) is a
    warning (a copied figure). Basis: primer, "政府采购 总额 = 货物 + 工程 + 服务; a 其中 part cannot exceed its whole"."""
    amounts = [a for a in of_kind(narrative_claims(check), Amount) if a.role == "actual"]
    findings = []
    for section, here in by_section(amounts).items():
        total = next((a for a in here if _PROCUREMENT_TOTAL(a)), None)
        small = [a for a in here if re.search(r"中小企业", a.subject)]
        micro = [a for a in here if re.search(r"小微企业", a.subject)]
        for part, whole in [(p, total) for p in small + micro] + [(p, small[0]) for p in micro if small]:
            if whole is None or part is whole or part.whole == whole.index:
                continue  # a 其中 part is FA-N010's
            check.examined()
            if part.value > whole.value + printed_band(whole.places) + printed_band(part.places):
                findings.append(check.say("exceeds", part.ref(part.value), cells=(part.ref(part.value), whole.ref(whole.value)),
                                          expected=whole.value, actual=part.value, difference=part.value - whole.value,
                                          about=about(part), part=part.subject, whole=whole.subject))
        buckets = [(name, next((a for a in here if is_bucket(a)), None)) for name, is_bucket in _BUCKETS]
        stated = [(name, a) for name, a in buckets if a is not None and a.value]
        check.examined(len(stated) > 1)
        adds_up = total is not None and all(a is not None for _, a in buckets) and \
            abs(total.value - sum(a.value for _, a in buckets)) <= tolerance(len(buckets))
        for n, (name, first) in enumerate(stated):
            second = next(((m, b) for m, b in stated[n + 1:] if b.value == first.value), None)
            if second and not adds_up:
                findings.append(check.say("same_amount", first.ref(first.value), severity="warning", actual=first.value,
                                          cells=(first.ref(first.value), second[1].ref(second[1].value)),
                                          about=f"procurement:{name}", first=first.subject, second=second[1].subject))
    return findings

"""The narrative (第三部分 情况说明) read into claims: the statements with numbers it makes, each
linked to the table cell it restates. Registers no rule (the rules are in ``finaudit.rules.narrative``).

Extraction works on the template wording (上海 2024, 财预〔2016〕143号 templates) and tolerates the
usual variation: full-width or half-width punctuation, spaces inside words and numbers, 万元 or 元,
items numbered twice, lines of a PDF broken inside a number. Each statement becomes a frozen claim
keeping its sentence, section number and line (or page), and, where the statement restates a table
cell, a link to that cell (``Link``: table kind, row index, column).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, ClassVar, Iterator, NamedTuple

from finaudit.read.patterns import lazy
from finaudit import codes
from finaudit.findings import CellRef
from finaudit.model import Report, Section, Table, to_decimal

Link = tuple[str, int, str]  # (table kind, row index, column)
HUNDRED = Decimal(100)
CENT = Decimal(1).scaleb(-2)
SLIP = CENT  # a percentage off by at most this beyond the allowed range is a warning

# -- claims -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Claim:
    """A statement with a number in the narrative, with where it was made."""

    sentence: str
    section: str
    line: int | None = None
    page: int | None = None
    offset: int = -1  # position in the section's normalised text
    figures: tuple[int, ...] = ()  # positions (in the section's normalised text) of the numbers it states

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()

    def ref(self, value: Decimal | None = None) -> CellRef:
        """The claim as a finding cell: kind "narrative", row = section number."""
        return CellRef(None, "narrative", self.section or "—", None, value, line=self.line, page=self.page)


@dataclass(frozen=True, kw_only=True)
class Amount(Claim):
    """"本年收入合计XXX万元": an amount in 万元 (元 converted), as budget or actual."""

    subject: str
    value: Decimal
    places: int = 2  # decimals as printed, in 万元
    role: str = "actual"  # actual | budget | prior (the previous year's figure a change is measured from)
    basis: str = ""  # of a budget: initial (年初预算) | final (全年预算, 调整预算) | "" (not said)
    link: Link | None = None
    relation: str = "eq"  # eq | le (机关运行经费 ≤ 公用经费合计)
    whole: int | None = None  # index (in the claims list) of the amount this is a "其中" part of
    index: int = -1


@dataclass(frozen=True, kw_only=True)
class Share(Claim):
    """"占XX%" (or "占本年支出合计的XX%"): part ÷ whole."""

    subject: str
    percent: Decimal
    places: int
    part: Decimal | None
    part_places: int = 2
    whole: Decimal | None = None
    whole_places: int = 2
    whole_name: str = ""
    whole_key: str = ""  # shares of one whole have the same key
    group: int = 0  # sentence number
    part_index: int = -1


@dataclass(frozen=True, kw_only=True)
class Rate(Claim):
    """"完成年初预算的XX%": actual ÷ budget."""

    subject: str
    percent: Decimal
    places: int
    budget: Decimal | None
    actual: Decimal | None
    budget_places: int = 2
    actual_places: int = 2
    budget_from_table: bool = False
    actual_link: Link | None = None
    basis: str = ""  # the budget the rate says it is against: initial | final | "" (not said)


@dataclass(frozen=True, kw_only=True)
class Change(Claim):
    """"比上年减少XXX万元，下降了XX%": a year-on-year change, its words and percentage."""

    subject: str
    amount: Decimal | None  # unsigned, as printed
    word: str  # 增加 | 减少 | 持平 …
    places: int = 2
    percent: Decimal | None = None
    percent_places: int = 2
    percent_word: str = ""
    base: Decimal | None = None  # this year's value the change is against
    base_places: int = 2
    parent: int | None = None  # index of the change this is a "其中" part of
    link: Link | None = None
    index: int = -1

    @property
    def sign(self) -> int:
        return direction(self.word)

    @property
    def signed(self) -> Decimal | None:
        return None if self.amount is None else self.amount * (self.sign or 1)


@dataclass(frozen=True, kw_only=True)
class Count(Claim):
    """"团组1个", "保有量为14辆", "来宾13000人次": a count; `key` names what is counted."""

    key: str  # trips | people | vehicles | receptions | visitors | other
    subject: str
    value: int
    part: bool = False  # stated after "其中" and a count of the same thing: a subset of it, not a restatement
    scope: str = ""  # domestic | foreign: guests of one kind only (国内 / 外事) | "" (all)


@dataclass(frozen=True, kw_only=True)
class Item(Claim):
    """One 项 quoted with its budget and actual: "1.X（类）Y（款）Z（项）。年初预算为…，支出决算为…"."""

    number: str
    name: str  # "X（类）Y（款）Z（项）" as printed
    class_name: str
    kuan_name: str
    item_name: str
    code: str | None
    budget: Decimal | None
    actual: Decimal | None
    budget_places: int = 2
    actual_places: int = 2
    rate: Decimal | None = None
    rate_places: int = 2
    comparison: str = ""  # 大于 | 小于 | 持平 | 基本持平
    reason: str | None = None
    link: Link | None = None  # the actual's cell
    kuan_code: str | None = None  # code of the printed 款 name, where it resolves
    matched_by: str = ""  # how the table row was found: code | name | amount (see item_row)
    row_name: str = ""  # the linked row's name as the table prints it
    purpose: str = ""  # basic | project: what the text says the money is (基本支出 / 项目支出)
    # what a budget's item says besides its amount: "2023年当年预算执行数为B万元，2024年预算安排A万元，比2023年
    # 预算执行数减少C%" (a final's item may say the change too)
    text: str = ""  # the item's whole text
    again: Decimal | None = None  # this year's amount restated ("2024年预算安排A万元")
    again_places: int = 2
    again_year: int | None = None
    prior: Decimal | None = None  # the previous year's figure the change is measured against
    prior_places: int = 2
    prior_base: str = ""  # what that figure is: 预算执行数 | 执行数 | 预算 | 决算 …, as printed
    prior_year: int | None = None
    change_word: str = ""  # 增加 | 减少 | 增长 | 下降 | 持平 …
    change_base: str = ""  # the base the change names ("比2023年预算执行数…": 预算执行数)
    change_amount: Decimal | None = None
    change_places: int = 2
    change_percent: Decimal | None = None
    change_percent_places: int = 2


@dataclass(frozen=True, kw_only=True)
class Indicator(Claim):
    """"设备完好率≥X%", "项目总成本≤Y万元", "满意度达X%以上": a performance target's value."""

    subject: str
    comparator: str  # ≥ | ≤ | 达 | 不低于 …, as printed
    value: Decimal
    places: int
    unit: str  # % | 万元


@dataclass(frozen=True, kw_only=True)
class ChartLabel(Claim):
    """A percentage printed as a chart's data label ("收入预算X%一般公共预算拨款收入Y%…图1:收入预算"):
    the text tells which chart, not which slice, so it binds to the chart only."""

    subject: str  # the chart's caption
    value: Decimal
    places: int


@dataclass(frozen=True, kw_only=True)
class Statement(Claim):
    """A sentence-level fact rules need: direction of budget vs actual, "持平" statements."""

    subject: str
    comparison: str  # 大于 | 小于 | 持平
    budget: Decimal | None = None
    actual: Decimal | None = None


# -- text ---------------------------------------------------------------------------------------
_NUMBER = lazy(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?=\D|$)|\d+)(?:\.(\d+))?(亿元|万元|万|元|%|个|人次|辆|批次)")
#: A number, or "持平" (a change of zero) in group "flat".
_FIGURE = lazy(_NUMBER.pattern + r"|(?P<flat>(?<!基本)持平)")
_SENTENCE_END = "。\n"
_HEADING = lazy(r"^\(?[一二三四五六七八九十]+\)|^[一二三四五六七八九十]+、")
_ENUM_START = lazy(r"^(?:\(?[一二三四五六七八九十]+\)|\d+[、.](?!\d))")
_LEVEL = r"\((?:类|款|项)\)"
_NOT_LEVEL = rf"(?:(?!{_LEVEL})[^。\n])"
_ITEM = lazy(
    rf"(?:^|(?<=[。\n;]))(?:(?P<no>\d+)[.、])?(?P<cls>{_NOT_LEVEL}{{1,40}}?)\(类\)(?P<kuan>{_NOT_LEVEL}{{0,60}}?)\(款\)"
    rf"(?P<xiang>{_NOT_LEVEL}{{1,60}}?)\(项\)"
)
#: "决算数大于预算数", "决算数与预算数基本持平", "决算数等于预算数": the word, in [1] or [2].
_COMPARISON = lazy(r"决算数?(大于|小于|高于|低于|超过|少于|多于|等于)(?:年初)?预算|决算数?与(?:年初)?预算数?(基本持平|持平|一致|相等)")
COMPARISON_WORDS = {"高于": "大于", "超过": "大于", "多于": "大于", "低于": "小于", "少于": "小于", "一致": "持平",
                    "相等": "持平", "等于": "持平"}
_BUDGET_WORD = lazy(r"年初预算|预算数|预算为|预算是|预算金额|支出预算|经费预算|完成(?:全年|调整后?)?预算$")
_ACTUAL_WORD = lazy(r"决算")
_FUND_NAMES = lazy(r"一般公共预算|政府性?基金预算|国有资本经营预算")
UP_WORDS, DOWN_WORDS = ("增加", "增长", "上升", "提高", "增", "涨"), ("减少", "下降", "降低", "减", "降")
_CHANGE_AMOUNT = lazy(r"(增加|减少|增长|下降|上升|降低|增|减)了?$")
_CHANGE_PERCENT = lazy(r"(增长|下降|上升|降低|减少|增加|增幅|减幅|降幅|涨幅|没有变化|无变化|不变)了?(?:幅度)?(?:为|达)?$")
#: A target's comparator before its figure; 达/达到 only before a percentage ("总额达X万元" is an amount).
_COMPARATOR = lazy(r"(?:[≥≤<>=]|不低于|不高于|不少于|不多于|不超过|大于等于|小于等于)$")
_REACHES = lazy(r"达到?$")
#: "完成预算X万元的Y%": the words before the budget of a rate whose percentage follows it.
_RATE_LEAD = lazy(r"完成(?:年初|全年|调整后?)?预算(?:数)?$")
#: A chart's legend and data labels, extracted as text: percentages only, no verb between them, and a caption
#: ("图1", "…构成…", "[值]") or two percentages printed together ("X%Y%").
_CHART_MARK = lazy(r"图\d*[:.]?|构成|\[值\]|%\d")
_CHART_VERB = lazy(r"为|占|增|减|比|是|达|完成|较|,(?!\d)")  # "预留机动经费,X%": a label's comma
_CAPTION = lazy(r"图\d*[:.]?([^\d%]{2,24})$|^([^\d%]{0,24}构成[^\d%]{0,6})")
#: "比2025年年初预算数X万元增加…": the clause of a figure of the year compared with, not of this year.
_PRIOR_FIGURE = lazy(r"[比较](?:(?:19|20)\d{2}年度?|上年度?)")
#: A sentence that opens with a comparison speaks of what the sentence before stated ("…X万元。与上年相比增加…").
_COMPARED = lazy(r"^(?:与上年度?(?:预算|决算)?(?:数)?相比|比上年|较上年|同比)")
_RATE = lazy(r"完成(?:年初|全年|调整后?)?预算(?:数)?的?$|(?:预算)?完成率为?$|执行率为?$")
_SHARE = lazy(r"占(?:比)?$|占(?P<whole>.{1,30}?)(?:的)?(?:比[例重]为?)?$")
_NOISE = [
    lazy(p)
    for p in (
        r"(?:19|20)\d{2}年度?", r"\d{1,2}月\d{1,2}日", r"截[至止]", r"与.{0,12}相比", r"[比较]上年度?", r"^比", r"比$", r"同比",
        r"本部门|本单位|本局|全年|其中|分别|合计为", r"年初预算(?:数)?(?:为|是)?",
        r"(?:支出)?预算(?:数)?(?:为|是)", r"(?:支出)?决算(?:数)?(?:为|是)?", r"完成(?:年初|全年|调整后?)?预算(?:数)?的?$", r"[为是了:]$", r"主要用于以下方面",
        r"^\(?[一二三四五六七八九十]+[)、]", r"^[\d.、()]+", r"[“”\"'‘’]", r"^(?:其)?主要(?:原因)?(?:是|为)",
    )
]


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Half-width forms (NFKC), no spaces: "完 成年初预算的 ９９ ％" → "完成年初预算的99%"."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def direction(word: str) -> int:
    """+1 for 增加/增长…, −1 for 减少/下降…, 0 for 持平 or no word."""
    if any(word.startswith(w) for w in DOWN_WORDS):
        return -1
    if any(word.startswith(w) for w in UP_WORDS):
        return 1
    return 0


def number(match: re.Match) -> tuple[Decimal, int, str]:
    """(value in 万元 or as printed, decimals in that unit, unit) of a _NUMBER match."""
    whole, fraction, unit = match[1].replace(",", ""), match[2] or "", match[3]
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if unit == "元":
        return value.scaleb(-4), len(fraction) + 4, "万元"
    if unit == "亿元":
        return value.scaleb(4), len(fraction) - 4, "万元"
    return value, len(fraction), "万元" if unit == "万" else unit


@dataclass
class _Text:
    """A section's text, normalised and joined, with the paragraph of every character."""

    section: Section
    text: str = ""
    starts: list[int] = field(default_factory=list)
    kept: list = field(default_factory=list)  # the paragraphs with text, one per start

    @classmethod
    def of(cls, section: Section) -> _Text:
        built = cls(section)
        pieces, length = [], 0  # the running length keeps this linear in the number of paragraphs
        for paragraph in section.paragraphs:
            text = normalise(paragraph.text)
            if not text:
                continue
            if pieces:
                previous = pieces[-1]
                wrapped = paragraph.line is None and not previous.endswith(("。", ";", ":", "!", "?")) \
                    and not _HEADING.match(previous) and not _ENUM_START.match(text)
                pieces.append("" if wrapped else "\n")
                length += len(pieces[-1])
            built.starts.append(length)
            built.kept.append(paragraph)
            pieces.append(text)
            length += len(text)
        built.text = "".join(pieces)
        return built

    def where(self, position: int) -> tuple[int | None, int | None]:
        paragraphs = self.kept
        if not paragraphs:
            return self.section.line, self.section.page
        paragraph = paragraphs[max(0, bisect.bisect_right(self.starts, position) - 1)]
        return paragraph.line, paragraph.page

    def sentences(self) -> Iterator[tuple[int, str]]:
        start = 0
        for match in re.finditer(r"。(?!\))|\n", self.text + "\n"):  # "…1万元。)比上年…": one sentence
            if match.start() > start:
                yield start, self.text[start:match.start()]
            start = match.end()


def section_kind(title: str) -> str:
    """What a section is about, from its title words."""
    title = normalise(title)
    for kind, pattern in (
        ("three_public", r"三公"), ("basic", r"基本支出"), ("fund", r"政府性?基金"), ("state_capital", r"国有资本"),
        ("general", r"一般公共预算"), ("appropriation", r"财政拨款收入支出|财政拨款收支"),
        ("summary", r"收入支出决算总体|收支决算总体|收入支出决算总|总体情况"), ("income", r"收入决算"),
        ("expenditure", r"支出决算"), ("performance", r"绩效"), ("other", r"其他|重要事项"),
    ):
        if re.search(pattern, title):
            return kind
    return ""


@functools.lru_cache(maxsize=8192)
def subject_of(context: str, department: str | None) -> str:
    """The subject words of a clause: years, connectives, budget/actual words and the department dropped
    (clauses repeat: each is worked out once)."""
    text = context.replace(department, "") if department else context
    for pattern in _NOISE:
        text = pattern.sub("", text)
    text = _CHANGE_PERCENT.sub("", _CHANGE_AMOUNT.sub("", text))
    text = re.sub(r"^(?:共计|共|各|累计)|(?:各|比|共)$", "", text)
    if re.fullmatch(r"(?:年初|全年|调整后?)?(?:预算|决算)?(?:执行)?数?", text):
        return ""  # "比2025年预算增加": the base the change is against, not a subject
    return text.strip(",;:、") if re.search(r"[\u4e00-\u9fff]{2}", text) else ""


def basis_of(context: str) -> str:
    """Which budget a clause speaks of: initial (年初预算), final (全年预算, 调整预算), or "" (not said)."""
    if re.search(r"全年预算|调整后?预算|预算调整", context):
        return "final"
    return "initial" if "年初" in context else ""


def role_of(context: str) -> str:
    text = _FUND_NAMES.sub("", context)
    budget = [m.end() for m in _BUDGET_WORD.finditer(text)]
    actual = [m.end() for m in _ACTUAL_WORD.finditer(text)]
    return "budget" if budget and (not actual or max(budget) > max(actual)) else "actual"


# -- links to table cells -------------------------------------------------------------------------
class Target(NamedTuple):
    """A table cell a subject may restate: table kind, row (key, or "side:key"), column."""

    table: str
    row: str
    column: str


class LinkRule(NamedTuple):
    """A subject pattern and the cells it restates, tried in order (none: the subject is a stop word,
    e.g. 政府采购 amounts, which no table carries). `sections`: the section kinds where it applies (any
    if empty); `relation`: eq, or le (机关运行经费 ≤ 公用经费合计)."""

    pattern: str
    targets: tuple[Target, ...] = ()
    sections: tuple[str, ...] = ()
    relation: str = "eq"


def _to(table: str, row: str, column: str) -> tuple[Target, ...]:
    return (Target(table, row, column),)


#: The first rule whose pattern the subject matches decides; budget amounts link to 表七 only.
LINKS: tuple[LinkRule, ...] = (
    LinkRule(r"机关运行经费", _to("basic_expenditure", "public_total", "total"), relation="le"),
    LinkRule(r"人员经费", _to("basic_expenditure", "personnel_total", "total")),
    LinkRule(r"公用经费", _to("basic_expenditure", "public_total", "total")),
    LinkRule(r"外宾|国内公务接待|国内接待"),
    LinkRule(r"三公", _to("three_public", "total", "actual")),
    LinkRule(r"因公出国", _to("three_public", "abroad", "actual")),
    LinkRule(r"公务用车购置(?:及|和|与)运行|公务用车购置及运行维护", _to("three_public", "vehicle", "actual")),
    LinkRule(r"公务用车购置", _to("three_public", "vehicle_purchase", "actual")),
    LinkRule(r"公务用车运行", _to("three_public", "vehicle_running", "actual")),
    LinkRule(r"公务接待", _to("three_public", "reception", "actual")),
    LinkRule(r"政府采购|中小企业|小微企业|绩效|设备|车辆"),
    LinkRule(r"(?:政府性?)?基金.*收入", _to("government_fund", "grand_total", "income"), ("fund",)),
    LinkRule(r"(?:政府性?)?基金", _to("government_fund", "grand_total", "total"), ("fund",)),
    LinkRule(r"国有资本经营.*收入", _to("state_capital", "grand_total", "income"), ("state_capital",)),
    LinkRule(r"国有资本经营", _to("state_capital", "grand_total", "total"), ("state_capital",)),
    LinkRule(r"一般公共预算财政拨款基本支出", _to("general_budget", "grand_total", "basic")),
    LinkRule(r"一般公共预算财政拨款项目支出", _to("general_budget", "grand_total", "project")),
    LinkRule(r"一般公共预算财政拨款(?:支出)?$", _to("general_budget", "grand_total", "total")),
    # one fund's appropriation, where the 财政拨款收入支出总表 section speaks of it (not the total, which "财政拨款收入" is)
    LinkRule(r"一般公共预算财政拨款收入", _to("appropriation_summary", "income:general", "total"), ("appropriation",)),
    LinkRule(r"政府性基金预算财政拨款收入", _to("appropriation_summary", "income:fund", "total"), ("appropriation",)),
    LinkRule(r"国有资本经营预算财政拨款收入", _to("appropriation_summary", "income:state_capital", "total"), ("appropriation",)),
    LinkRule(r"政府性基金预算财政拨款支出", _to("appropriation_summary", "expenditure:expenditure_total", "fund"), ("appropriation",)),
    LinkRule(r"国有资本经营预算财政拨款支出", _to("appropriation_summary", "expenditure:expenditure_total", "state_capital"),
             ("appropriation",)),
    LinkRule(r"财政拨款收入支出总计|财政拨款收支总计", _to("appropriation_summary", "income:grand_total", "total")),
    LinkRule(r"财政拨款(?:总)?收入", _to("appropriation_summary", "income:income_total", "total"), ("appropriation",)),
    LinkRule(r"财政拨款(?:总)?支出", _to("appropriation_summary", "expenditure:expenditure_total", "total"), ("appropriation",)),
    LinkRule(r"收入支出总计|收支总计", _to("summary", "income:grand_total", "total")),
    LinkRule(r"本年收入(?:合计|总计)", _to("summary", "income:income_total", "total")),
    LinkRule(r"本年支出(?:合计|总计)", _to("expenditure", "grand_total", "total")),
    LinkRule(r"收入总计", _to("summary", "income:grand_total", "total")),
    LinkRule(r"支出总计", _to("summary", "expenditure:grand_total", "total")),
    LinkRule(r"财政拨款(?:收入)?$", (Target("income", "grand_total", "fiscal"), Target("summary", "income:fiscal", "total")),
             ("income",)),
    LinkRule(r"上级补助收入", _to("income", "grand_total", "superior")),
    LinkRule(r"经营收入", _to("income", "grand_total", "operating")),
    LinkRule(r"附属单位上缴收入", _to("income", "grand_total", "affiliated")),
    LinkRule(r"事业收入", _to("income", "grand_total", "business")),
    LinkRule(r"其他收入", _to("income", "grand_total", "other")),
    LinkRule(r"基本支出", _to("expenditure", "grand_total", "basic"), ("expenditure", "summary")),
    LinkRule(r"项目支出", _to("expenditure", "grand_total", "project"), ("expenditure", "summary")),
    LinkRule(r"经营支出", _to("expenditure", "grand_total", "operating")),
    LinkRule(r"上缴上级支出", _to("expenditure", "grand_total", "to_superior")),
    LinkRule(r"对附属单位补助支出", _to("expenditure", "grand_total", "subsidy")),
)
#: The table that carries the 类/项 rows a section speaks of.
SECTION_TABLE = {"general": "general_budget", "fund": "government_fund", "state_capital": "state_capital",
                 "expenditure": "expenditure", "summary": "expenditure", "appropriation": "appropriation_summary"}


def row_with(table: Table, selector: str) -> int | None:
    side, _, key = selector.rpartition(":")
    keys, sides = table.column("key"), table.column("side")
    return next((i for i, (k, s) in enumerate(zip(keys, sides)) if k == key and (not side or s == side)), None)


def link_for(report: Report, subject: str, role: str, kind: str) -> tuple[Link | None, str]:
    """The table cell a subject restates (budget amounts only for 表七), and the relation (eq | le)."""
    if not subject:
        return None, "eq"
    subject = re.sub(r"[“”\"']", "", subject)
    if re.search(r"\(类\)", subject):
        return class_link(report, subject, kind), "eq"
    found = next((r for r in LINKS if (not r.sections or kind in r.sections) and re.search(r.pattern, subject)), None)
    if found is None or not found.targets or (role == "budget" and found.targets[0].table != "three_public"):
        return None, "eq"
    for target in found.targets:
        table = report.tables.get(target.table)
        column = "budget" if role == "budget" and target.table == "three_public" else target.column
        if table is None or column not in table.columns:
            continue
        row = row_with(table, target.row)
        if row is not None:
            return (target.table, row, column), found.relation
    return None, "eq"


def class_link(report: Report, subject: str, kind: str) -> Link | None:
    """"一般公共服务（类）支出" → the 类 row of the section's table."""
    year = report.meta.year or 0
    name = subject.split("(类)")[0]
    name = re.split(r"[:,;、]|方面", name)[-1]
    code = codes.code_for_name(name, year, 1) or codes.code_for_name(name + "支出", year, 1)
    table = report.tables.get(SECTION_TABLE.get(kind, "general_budget"))
    if code is None or table is None:
        return None
    rows = [i for i, c in enumerate(table.column("code")) if c == code]
    return (table.kind, rows[0], "total") if rows and "total" in table.columns else None


def subject_code(subject: str, year: int) -> str | None:
    """The function code a subject names by its 类/款/项 names ("一般公共服务(类)支出" → its 类; "法院(款)行政运行
    (项)支出" → the 项 of that name under that 款), in that year's list; None when it names none or several."""
    pieces = re.split(r"\((类|款|项)\)", re.sub(r"[“”\"']", "", subject))
    names = {level: codes.normalise_name(name) for name, level in zip(pieces[::2], pieces[1::2])}
    if not names:
        return None
    found: list[str] | None = None
    for level, depth in (("类", 1), ("款", 2), ("项", 3)):
        if level not in names:
            continue
        named = [c for c in {*codes.codes_named(names[level], year), *codes.codes_named(names[level] + "支出", year)}
                 if codes.level(c) == depth]
        found = [c for c in named if found is None or any(c.startswith(f) for f in found)]
    return found[0] if found and len(found) == 1 else None


class RowMatch(NamedTuple):
    """The table row a quoted 项 restates, and how it was found: "code" (printed), "name", or "amount"
    (the stated actual equals a row of the same 款 whose name differs from the quoted one)."""

    row: int | None
    kuan_code: str | None
    by: str = ""


def _same_name(a: str, b: str) -> bool:
    return a == b or a.removesuffix("支出") == b.removesuffix("支出")


def item_row(report: Report, table: Table, class_name: str, kuan_name: str, item_name: str,
             actual: Decimal | None = None, printed_code: str | None = None) -> RowMatch:
    """The 项 row a "X（类）Y（款）Z（项）" names: by its printed code; else by the names in order (类, 款,
    then the 项 name, exact or closest: names are often misspelt, "行公务员医疗补助"), the stated actual
    choosing among equally named rows; where the closest name's row has another amount and exactly one row
    of the same 款 (or 类) has the stated amount, that row (the name is the text's mistake, not the amount)."""
    year = report.meta.year or 0
    class_code = codes.code_for_name(class_name, year, 1)
    kuan_code = codes.code_for_name(kuan_name, year, 2)
    code_of, label_of = table.column("code"), table.column("label")
    total_of = table.column("total") if "total" in table.columns else [None] * len(code_of)
    if printed_code and printed_code in code_of:
        return RowMatch(code_of.index(printed_code), kuan_code, "code")
    items = [i for i, code in enumerate(code_of) if code and codes.level(code) == 3]
    if class_code:
        items = [i for i in items if code_of[i].startswith(class_code)] or items
    siblings = [i for i in items if kuan_code and code_of[i].startswith(kuan_code)] or \
        ([i for i in items if code_of[i].startswith(class_code)] if class_code else [])
    wanted = codes.normalise_name(item_name)

    def states(i: int) -> bool:
        return actual is not None and to_decimal(total_of[i]) == actual

    exact = [i for i in items if _same_name(codes.normalise_name(label_of[i]), wanted)]
    if exact:
        return RowMatch(next((i for i in exact if states(i)), exact[0]), kuan_code, "name")
    best, score = None, 0.0
    for i in items:
        ratio = difflib.SequenceMatcher(None, wanted, codes.normalise_name(label_of[i])).ratio()
        if kuan_code and code_of[i].startswith(kuan_code):
            ratio += 1 / 100
        if ratio > score:
            best, score = i, ratio
    if best is not None and score >= 0.6 and (actual is None or states(best)):
        return RowMatch(best, kuan_code, "name")
    by_amount = [i for i in siblings if states(i)]
    if len(by_amount) == 1:
        return RowMatch(by_amount[0], kuan_code, "amount")
    return RowMatch(best if score >= 0.6 else None, kuan_code, "name")


# -- items ------------------------------------------------------------------------------------------
def opens_item(text: str) -> bool:
    """A paragraph that opens a 类/款/项 item ("1.X（类）Y（款）Z（项）…")."""
    return bool(_ITEM.match(normalise(text)))


#: What a figure of an item is, from the words before it in its clause.
_YEAR = lazy(r"((?:19|20)\d{2})年|(上)年")
_BASE_WORD = lazy(r"预算执行数|执行数|执行|决算数?|预算数?")
_CHANGE_BASE = lazy(r"[比较](?:(?:19|20)\d{2}年度?|上年度?)(?:当年)?(预算执行数|执行数|预算数?|决算数?)?")
_ITEM_FLAT = lazy(r"[比较与](?:(?:19|20)\d{2}年度?|上年度?)(?:当年)?(预算执行数|执行数|预算数?|决算数?)?(?:基本)?(?:持平|相同|一致|相等)")


@dataclass
class ItemTerms:
    """The figures of an item's text besides its 年初预算 / 决算 / 完成率 (read for finals as before): the
    opening amount, this year's amount restated, the prior year's figure, the change; with the positions
    (in the item's text) of the figures read."""

    opening: tuple[Decimal, int] | None = None
    budget: tuple[Decimal, int] | None = None
    again: tuple[Decimal, int, int | None] | None = None
    prior: tuple[Decimal, int, str, int | None] | None = None
    change_word: str = ""
    change_base: str = ""
    change_amount: tuple[Decimal, int] | None = None
    change_percent: tuple[Decimal, int] | None = None
    positions: list[int] = field(default_factory=list)


def item_terms(text: str, start: int, year: int | None) -> ItemTerms:
    """Read the figures of an item's text after its names (from `start`), each by the words of its clause:
    an amount right after the names is the item's; "…年预算(数/安排)…" of this year is this year's budget
    (again, if stated already); a figure of an earlier year (or 上年) is the prior figure, named by its base
    word; "增加/减少 X万元" and "增长/下降/增幅 Y%" are the change."""
    found = ItemTerms()
    previous = start
    for match in _NUMBER.finditer(text, start):
        unit, context = match[3], text[previous:match.start()]
        previous = match.end()
        if unit not in ("万元", "万", "元", "亿元", "%"):
            continue
        value, places, _ = number(match)
        local = re.split(r"[,;:。\n]", context)[-1]
        position = match.start()
        if unit == "%":
            word = _CHANGE_PERCENT.search(local)
            if word and found.change_percent is None and not re.search(r"完成|执行率", local):
                found.change_percent, found.change_word = (value, places), found.change_word or word[1]
                found.positions.append(position)
            continue
        change = _CHANGE_AMOUNT.search(local)
        named = _YEAR.search(local)
        said_year = int(named[1]) if named and named[1] else None
        earlier = bool(named) and (named[2] == "上" or (year is not None and said_year is not None and said_year < year))
        if change and found.change_amount is None:
            found.change_amount, found.change_word = (value, places), change[1]
        elif re.fullmatch(r"(?:支出|安排|预算)?(?:数)?(?:为|是)?", re.sub(r"[“”\"'‘’,]|科目|[()]", "", context)) \
                and found.opening is None and not found.positions:
            found.opening = (value, places)
        elif earlier and _BASE_WORD.search(local) and found.prior is None:
            found.prior = (value, places, _BASE_WORD.search(local)[0], said_year)
        elif not earlier and re.search(r"预算|安排", local) and not re.search(r"执行|决算", local):
            if found.opening is None and found.budget is None:
                found.budget = (value, places)
            elif found.again is None:
                found.again = (value, places, said_year)
            else:
                continue
        else:
            continue
        found.positions.append(position)
    base = _CHANGE_BASE.search(text, start)
    found.change_base = base[1] or "" if base else ""
    flat = _ITEM_FLAT.search(text, start)
    if flat and not found.change_word:
        found.change_word, found.change_base = "持平", flat[1] or ""
    return found


# -- extraction -----------------------------------------------------------------------------------
def claims(report: Report) -> list[Claim]:
    """Every statement with numbers in the narrative, in order."""
    found: list[Claim] = []
    index = _Index()
    for section in report.narrative:
        _Walker(report, section, found, index).run()
    return found


@dataclass
class _Index:
    """The amounts and counts found so far, indexed by what the walker looks them up by, so that linking a
    share, a change, a rate or a comparison to its amount costs the same however long the narrative is
    (rescanning every earlier claim made a numbers-dense narrative quadratic). Each value is the latest
    claim's index in the claims list, or the indices in order."""

    actual_subject: dict[str, int] = field(default_factory=dict)  # actual amounts, every section
    actual_link: dict[Link, list[int]] = field(default_factory=dict)
    section_subject: dict[tuple[str, str], int] = field(default_factory=dict)  # actual amounts by section
    section_link: dict[tuple[str, Link], int] = field(default_factory=dict)
    section_actual: dict[str, int] = field(default_factory=dict)  # the section's latest actual amount
    section_sentence: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # its actual amounts
    sentence_amounts: dict[str, list[int]] = field(default_factory=dict)  # every amount, by sentence text
    section_budget: dict[str, int] = field(default_factory=dict)  # the section's latest budget amount
    actual_after_budget: dict[str, int] = field(default_factory=dict)  # the first actual after it
    counts: set[tuple[str, str]] = field(default_factory=set)  # (sentence, key) of the counts
    links: dict[tuple[str, str, str], tuple] = field(default_factory=dict)  # link_for's answers

    def add(self, n: int, claim: Claim) -> None:
        if isinstance(claim, Count):
            self.counts.add((claim.sentence, claim.key))
        if not isinstance(claim, Amount):
            return
        section = claim.section
        self.sentence_amounts.setdefault(claim.sentence, []).append(n)
        if claim.role == "budget":
            self.section_budget[section] = n
            self.actual_after_budget.pop(section, None)
        if claim.role != "actual":
            return
        if section in self.section_budget:
            self.actual_after_budget.setdefault(section, n)
        self.actual_subject[claim.subject] = n
        self.section_subject[section, claim.subject] = n
        self.section_actual[section] = n
        self.section_sentence.setdefault((section, claim.sentence), []).append(n)
        if claim.link is not None:
            self.actual_link.setdefault(claim.link, []).append(n)
            self.section_link[section, claim.link] = n


@dataclass
class _Sentence:
    """What one sentence has said so far, as its numbers are read in order."""

    start: int  # offset of the sentence in the section text
    text: str
    previous_end: int = 0  # end of the previous number
    outer: str | None = None  # the running subject before an open bracket ("X万元(其中:A…;B…)比上年…": X)
    last_kind: str = ""  # what the previous number was (a "、" continues it)
    subject: str = ""  # the running subject
    pair: list[str] = field(default_factory=list)  # "收、支": the income and expenditure subjects
    amounts: list[int] = field(default_factory=list)  # claim indices of the latest amount group ("A万元、B万元")
    changes: list[int] = field(default_factory=list)  # claim indices of the latest change group
    change_parent: int | None = None  # the change the "其中" parts break down
    amount_whole: int | None = None  # the amount the "其中" parts are parts of
    lead: Amount | None = None  # the first amount: the implicit whole of the sentence's shares
    lead_used: bool = False  # a share was stated of the lead itself
    percent_word: str = ""  # the latest percentage's direction word


class _Figure(NamedTuple):
    """One number of a sentence with the words before it."""

    value: Decimal
    places: int
    unit: str
    context: str  # the text since the previous number
    local: str  # the clause it belongs to (after the last comma or 其中)
    own: str  # the subject its clause names ("" if none)
    continued: bool  # it follows a number of the same kind after "、"
    listed: bool  # "、" and another number follow
    position: int  # offset in the section text
    before: str  # the sentence up to the number


class _Walker:
    """Reads one section: items (项) first, then every number of every sentence in order."""

    def __init__(self, report: Report, section: Section, out: list[Claim], index: _Index):
        self.report, self.section, self.out, self.index = report, section, out, index
        self.text = _Text.of(section)
        self.kind = section_kind(section.title)
        self.department = report.meta.department
        self.previous: _Sentence | None = None
        self.heading = ""  # the subject a heading names ("(一)因公出国(境)费用。"), for the figures that follow it

    def where(self, position: int, *figures: int) -> dict:
        """Where a claim was made, and the positions of the numbers it states (the one at `position` if
        none are given)."""
        line, page = self.text.where(position)
        return {"section": self.section.number, "line": line, "page": page, "offset": position,
                "figures": figures or (position,)}

    def link(self, subject: str, role: str) -> tuple[Link | None, str]:
        """``link_for`` in this section's kind, each question answered once per report."""
        key = (subject, role, self.kind)
        if key not in self.index.links:
            self.index.links[key] = link_for(self.report, subject, role, self.kind)
        return self.index.links[key]

    def add(self, claim: Claim) -> int:
        """Append a claim (an amount or a change made with ``index=len(self.out)``); return its index."""
        self.out.append(claim)
        self.index.add(len(self.out) - 1, claim)
        return len(self.out) - 1

    def run(self) -> None:
        spans = self.items()
        for start, sentence in self.text.sentences():
            if any(a <= start < b for a, b in spans):
                continue
            self.sentence(start, sentence)

    # items ------------------------------------------------------------------------------------
    def items(self) -> list[tuple[int, int]]:
        text = self.text.text
        matches = list(_ITEM.finditer(text))
        spans = []
        table = self.report.tables.get(SECTION_TABLE.get(self.kind, "general_budget")) or self.report.tables.get("expenditure")
        for n, match in enumerate(matches):
            end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
            block = text[match.start():end]
            stop = re.search(r"\n(?:\(?[一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)", block)
            if stop:
                block, end = block[:stop.start()], match.start() + stop.start()
            spans.append((match.start(), end))
            self.item(match, block, table)
        return spans

    def item(self, match: re.Match, block: str, table: Table | None) -> None:
        figures = []

        def amount(pattern: str) -> tuple[Decimal | None, int]:
            found = re.search(pattern + r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万元|万|元)", block)
            if not found:
                return None, 2
            figures.append(match.start() + found.start(1))
            value, places, _ = number(_NUMBER.match(found[0][found.start(1) - found.start():]))
            return value, places

        budget, budget_places = amount(r"年初预算(?:数)?(?:为|是)?")
        actual, actual_places = amount(r"(?:支出)?决算(?:数)?(?:为|是)?")
        rate = re.search(r"完成(?:年初)?预算(?:数)?的?(\d+)(?:\.(\d+))?%", block)
        if rate:
            figures.append(match.start() + rate.start(1))
        comparison = _COMPARISON.search(block)
        reason = re.search(r"主要原因(?:是|为)?:?(.*?)(?:。|$)(.*?)(?:。|$)", block)
        reason_text = None
        if reason:
            reason_text = (reason[1] or reason[2]).strip() or None
        elif comparison and "持平" in (comparison[2] or ""):
            reason_text = comparison[0]
        terms = item_terms(block, match.end() - match.start(), self.report.meta.year)
        if budget is None and self.report.meta.kind == "budget":
            budget, budget_places = terms.opening or terms.budget or (None, 2)
        figures += [match.start() + p for p in terms.positions if match.start() + p not in figures]
        names = [codes.normalise_name(re.sub(r"^[\d.、]+", "", match[k])) for k in ("cls", "kuan", "xiang")]
        printed = re.search(r"(?<!\d)\d{7}(?!\d)", match[0])
        found = item_row(self.report, table, *names, actual=actual, printed_code=printed and printed[0]) \
            if table is not None else RowMatch(None, None)
        row = found.row
        link = (table.kind, row, "total") if row is not None and "total" in table.columns else None
        word = comparison[1] or comparison[2] if comparison else ""
        word = COMPARISON_WORDS.get(word, word)
        said = set(re.findall(r"基本支出|项目支出", block[match.end() - match.start():].split("年初预算")[0]))
        self.add(Item(
            number=match["no"] or "", name=f"{names[0]}（类）{names[1]}（款）{names[2]}（项）",
            class_name=names[0], kuan_name=names[1], item_name=names[2],
            code=table.value(row, "code") if row is not None else None,
            budget=budget, actual=actual, budget_places=budget_places, actual_places=actual_places,
            rate=Decimal(f"{rate[1]}.{rate[2]}") if rate and rate[2] else Decimal(rate[1]) if rate else None,
            rate_places=len(rate[2] or "") if rate else 2, comparison=word, reason=reason_text, link=link,
            kuan_code=found.kuan_code, matched_by=found.by, row_name=table.value(row, "label") if row is not None else "",
            purpose={"基本支出": "basic", "项目支出": "project"}[said.pop()] if len(said) == 1 else "",
            text=block, again=terms.again and terms.again[0], again_places=terms.again[1] if terms.again else 2,
            again_year=terms.again and terms.again[2], prior=terms.prior and terms.prior[0],
            prior_places=terms.prior[1] if terms.prior else 2, prior_base=terms.prior[2] if terms.prior else "",
            prior_year=terms.prior and terms.prior[3], change_word=terms.change_word, change_base=terms.change_base,
            change_amount=terms.change_amount and terms.change_amount[0],
            change_places=terms.change_amount[1] if terms.change_amount else 2,
            change_percent=terms.change_percent and terms.change_percent[0],
            change_percent_places=terms.change_percent[1] if terms.change_percent else 2,
            sentence=block[:300], **self.where(match.start(), *figures),
        ))

    # sentences --------------------------------------------------------------------------------
    def sentence(self, start: int, sentence: str) -> None:
        """Every number of a sentence in order, each read as what its clause says it is."""
        state = _Sentence(start, sentence)
        if sentence.startswith("其中") and self.previous is not None:
            # "…减少X万元。其中：A…": the parts of what the sentence before stated
            previous = self.previous
            state.subject, state.amounts, state.changes = previous.subject, previous.amounts, previous.changes
        elif _COMPARED.match(sentence) and self.previous is not None:
            state.subject, state.amounts = self.previous.subject, self.previous.amounts
        self.previous = state
        matches = list(_FIGURE.finditer(sentence))
        if not matches and len(sentence) <= 30:
            self.heading = subject_of(sentence, self.department)
        labels = self.chart_labels(sentence, matches)
        if labels:
            chart = sentence[:labels[-1].end()]
            caption = _CAPTION.search(sentence[labels[-1].end():]) or _CAPTION.search(chart)
            subject = (caption[1] or caption[2]) if caption else "图表"
            for match in labels:
                value, places, _ = number(match)
                self.add(ChartLabel(subject=subject, value=value, places=places, sentence=chart,
                                    **self.where(start + match.start())))
            rest = labels[-1].end()
            if rest < len(sentence):
                self.sentence(start + rest, sentence[rest:])
            return
        lead = ""
        for n, match in enumerate(matches):
            figure = self.figure(state, match, matches[n + 1] if n + 1 < len(matches) else None)
            kind = state.last_kind if figure.continued else self.classify(figure.local, figure.unit)
            if kind == "percent" and figure.local in ("的", "") and _RATE_LEAD.search(lead):
                kind = "rate"  # "完成预算X万元的Y%"
            elif kind == "percent" and figure.local.endswith("("):  # "减少X万元(Y%)", "没有变化(0%)"
                kind = self.classify(figure.local[:-1], "%")
                kind = "percent_change" if kind == "percent" and state.last_kind == "change" else kind
            lead = figure.local
            state.last_kind = kind
            handler = self.HANDLERS.get(kind)
            if handler is not None:
                handler(self, state, figure)
        self.comparison(sentence, start)

    @staticmethod
    def chart_labels(sentence: str, matches: list[re.Match]) -> list[re.Match]:
        """The chart data labels a sentence opens with: two or more percentages with no verb between them,
        marked as a chart (a caption, "构成", "[值]", or percentages printed together); [] if it does not."""
        labels, end = [], 0
        for match in matches:
            if match[3] != "%" or _CHART_VERB.search(sentence[end:match.start() + 1]):
                break
            labels.append(match)
            end = match.end()
        verb = _CHART_VERB.search(sentence, end)
        marked = _CHART_MARK.search(sentence[:verb.start() if verb else len(sentence)])
        return labels if len(labels) >= 2 and marked else []

    def figure(self, state: _Sentence, match: re.Match, upcoming: re.Match | None) -> _Figure:
        """A number with its clause; moves the sentence's running subject and "其中" whole along."""
        sentence = state.text
        context = sentence[state.previous_end:match.start()]
        state.previous_end = match.end()
        value, places, unit = (Decimal(0), 2, "持平") if match["flat"] else number(match)
        local = re.split(r"[,;:]|其中", context)[-1]
        if "其中" in context:
            if state.changes and unit != "%":
                state.change_parent = state.changes[0]
            if self.out and state.amounts:
                state.amount_whole = state.amounts[-1]
        if re.search(r";[^;,]*:", context):  # "收入包括…;支出包括:A…占X%": a new list, with its own whole
            state.lead, state.lead_used = None, False
        if state.outer is not None and ")" in context:
            state.subject, state.outer = state.outer, None
        elif context.rfind("(") > context.rfind(")"):
            state.outer = state.subject
        own = subject_of(local, self.department)
        if not own and not state.subject:
            # "1.小学教育(NNNNNNN),2023年度决算数为…": the subject is a clause before the number's own
            own = next(filter(None, (subject_of(clause, self.department)
                                     for clause in reversed(re.split(r"[,;:]", context)[:-1]))), self.heading)
        paired = re.search(r"收、支|收支(?!总)", local)
        if paired:
            prefix = subject_of(local[: paired.start()], self.department)
            state.pair = [prefix + "收入", prefix + "支出"]
            own = ""
        elif own:
            state.subject, state.pair = own, []
        return _Figure(
            value=value, places=places, unit=unit, context=context, local=local, own=own,
            continued=context.strip() == "、" and bool(state.last_kind),
            listed=upcoming is not None and sentence[match.end():upcoming.start()].strip() == "、",
            position=state.start + match.start(), before=sentence[: match.start()],
        )

    def classify(self, local: str, unit: str) -> str:
        if unit in ("%", "万元") and (_COMPARATOR.search(local) or unit == "%" and _REACHES.search(local)):
            return "indicator"
        if unit == "%":
            if _RATE.search(local):
                return "rate"
            if _CHANGE_PERCENT.search(local):
                return "percent_change"
            if _SHARE.search(local):
                return "share"
            return "percent"
        if unit == "持平":
            return "other" if "预算" in local else "flat"
        if unit == "万元":
            if re.search(r"节约|(?<!结转)(?<!拨款)结余|节省|超支", local):
                return "other"
            return "change" if _CHANGE_AMOUNT.search(local) else "amount"
        return "count"

    def on_amount(self, state: _Sentence, figure: _Figure) -> None:
        role = self.out[state.amounts[-1]].role if figure.continued else \
            "prior" if _PRIOR_FIGURE.match(figure.local) else role_of(figure.local)
        in_pair = len(state.amounts) if figure.continued else 0
        topic = state.pair[in_pair] if state.pair and in_pair < len(state.pair) else state.subject
        if role == "budget" and not figure.own:
            topic = state.subject
        link, relation = self.link(topic, role)
        basis = self.out[state.amounts[-1]].basis if figure.continued else basis_of(figure.local) if role == "budget" else ""
        index = self.add(Amount(subject=topic, value=figure.value, places=figure.places, role=role, basis=basis, link=link,
                                relation=relation, whole=None if state.outer is not None else state.amount_whole,
                                sentence=state.text, index=len(self.out),
                                **self.where(figure.position)))
        state.amounts = [*state.amounts, index] if figure.continued else [index]
        state.lead = state.lead or self.out[index]

    def on_change(self, state: _Sentence, figure: _Figure) -> None:
        """"比上年增加X万元"; "收、支分别减少X万元" is one change for each of the pair."""
        found = _CHANGE_AMOUNT.search(figure.local)
        word = found[1] if found else self.out[state.changes[-1]].word if state.changes else ""
        pair, continued = state.pair, figure.continued
        spread = ("分别" in figure.context or "各" in figure.context) and pair and not continued and not figure.listed
        targets = pair if spread else [None]
        new = []
        for n, target in enumerate(targets):
            topic = target or (pair[len(state.changes)] if continued and pair and len(state.changes) < len(pair)
                               else pair[0] if figure.listed and pair else figure.own or state.subject)
            base, base_places, link = self.base(topic, n if target else (len(state.changes) if continued else 0),
                                                bool(target) or bool(pair), state.amounts)
            new.append(self.add(Change(subject=topic, amount=figure.value, word=word, places=figure.places, base=base,
                                       base_places=base_places, parent=None if continued or state.outer is not None else state.change_parent,
                                       link=link, sentence=state.text, index=len(self.out),
                                       **self.where(figure.position))))
        state.changes = [*state.changes, *new] if continued else new

    def on_flat(self, state: _Sentence, figure: _Figure) -> None:
        """"与上年持平": a change of zero (its "其中" parts must add up to zero)."""
        index = self.add(Change(subject=figure.own or state.subject, amount=Decimal(0), word="持平",
                                parent=None if figure.continued else state.change_parent, sentence=state.text,
                                index=len(self.out), **self.where(figure.position)))
        state.changes = [index]

    def on_percent_change(self, state: _Sentence, figure: _Figure) -> None:
        """"下降X%": the percentage of the latest change without one (of the pair member it names)."""
        found = _CHANGE_PERCENT.search(figure.local)
        word = found[1] if found else state.percent_word
        state.percent_word = word
        targets = list(state.changes)
        if "收入" in figure.local and len(targets) == 2:
            targets = targets[:1]
        elif "支出" in figure.local and len(targets) == 2:
            targets = targets[1:]
        elif figure.continued:
            targets = targets[1:2]
        elif len(targets) > 1 and "分别" not in figure.local:
            targets = targets[:1]
        for index in targets:
            change = self.out[index]
            if isinstance(change, Change) and change.percent is None:
                self.out[index] = replace(change, percent=figure.value, percent_places=figure.places, percent_word=word,
                                          figures=(*change.figures, figure.position))
                return
        # "比上年下降X%" with no amount: a change known by its percentage only
        index = self.add(Change(subject=figure.own or state.subject, amount=None, word=word, percent=figure.value,
                                percent_places=figure.places, percent_word=word, sentence=state.text, index=len(self.out),
                                **self.where(figure.position)))
        state.changes = [index]

    def on_share(self, state: _Sentence, figure: _Figure) -> None:
        if state.lead is not None and state.amounts and state.amounts[-1] == state.lead.index:
            state.lead_used = True
        self.share(figure.local, figure.value, figure.places, None if state.lead_used else state.lead, state.amounts,
                   state.text, state.start, figure.position)

    def on_rate(self, state: _Sentence, figure: _Figure) -> None:
        self.rate(figure.value, figure.places, basis_of(figure.local), state.text, figure.position)

    def on_indicator(self, state: _Sentence, figure: _Figure) -> None:
        found = _COMPARATOR.search(figure.local) or _REACHES.search(figure.local)
        subject = subject_of(figure.local[:found.start()], self.department) or state.subject
        self.add(Indicator(subject=subject, comparator=found[0], value=figure.value, places=figure.places,
                           unit=figure.unit, sentence=state.text, **self.where(figure.position)))

    def on_count(self, state: _Sentence, figure: _Figure) -> None:
        self.count(figure.before, figure.local, figure.unit, figure.value, state.text, figure.position,
                   part="其中" in figure.before)

    HANDLERS: ClassVar[dict[str, Callable[..., None]]] = {"amount": on_amount, "change": on_change, "percent_change": on_percent_change, "share": on_share,
                "rate": on_rate, "count": on_count, "flat": on_flat, "indicator": on_indicator}

    def base(self, topic: str, n: int, paired: bool, last_amounts: list[int]) -> tuple[Decimal | None, int, Link | None]:
        """This year's value a change is measured against: the amount stated for the same subject, else
        the n-th amount of the latest group (a "收、支" pair), else the linked table cell."""
        link, _ = self.link(topic, "actual")
        section, index = self.section.number, self.index
        same = max(index.section_link.get((section, link), -1) if link else -1,
                   index.section_subject.get((section, topic), -1) if topic else -1)
        if same >= 0:
            claim = self.out[same]
            return claim.value, claim.places, claim.link
        if paired and len(last_amounts) > n:
            claim = self.out[last_amounts[n]]
            return claim.value, claim.places, claim.link
        this_year = [n for n in last_amounts if self.out[n].role != "prior"]
        if self.report.meta.kind == "budget" and this_year and not paired:
            claim = self.out[this_year[-1]]  # a budget's amounts are this year's, whatever the words
            return claim.value, claim.places, claim.link
        latest = self.out[index.section_actual[section]] if section in index.section_actual else None
        if paired and latest is not None:
            group = index.section_sentence[section, latest.sentence]
            if len(group) > n:
                claim = self.out[group[n]]
                return claim.value, claim.places, claim.link
        if not topic and latest is not None:
            return latest.value, latest.places, latest.link
        if link:
            value = to_decimal(self.report.tables[link[0]].value(link[1], link[2]))
            return value, 2, link
        return None, 2, None

    def share(self, local, value, places, lead, last_amounts, sentence, group, position) -> None:
        part = self.out[last_amounts[-1]] if last_amounts else None
        name = (_SHARE.search(local)["whole"] or "").strip()
        whole, whole_places, key = None, 2, ""
        if name and not name.startswith("比"):
            whole_subject = subject_of(re.sub(r"\([^)]{3,}\)", "", name), self.department)  # "(…除外)": a note, not the whole
            link, _ = self.link(whole_subject, "actual")
            named = max((n for subject, n in self.index.actual_subject.items() if whole_subject and subject
                         and (whole_subject in subject or subject in whole_subject)), default=-1)
            linked = self.index.actual_link.get(link, [-1])[-1] if link else -1
            if max(named, linked) >= 0:
                claim = self.out[max(named, linked)]
                whole, whole_places, key = claim.value, claim.places, f"amount:{claim.index}"
            if whole is None and link:
                whole, key = to_decimal(self.report.tables[link[0]].value(link[1], link[2])), f"cell:{link}"
        elif lead is not None and part is not None and lead is not part:
            whole, whole_places, key = lead.value, lead.places, f"amount:{lead.index}"
        else:
            head = subject_of(re.split(r"中[,:]", sentence)[0] if re.search(r"中[,:]", sentence) else "", self.department)
            link, _ = self.link(head, "actual")
            for n in reversed(self.index.actual_link.get(link, []) if link else []):
                claim = self.out[n]
                if claim is not part:
                    whole, whole_places, key = claim.value, claim.places, f"amount:{claim.index}"
                    break
            if whole is None and link:
                whole, key = to_decimal(self.report.tables[link[0]].value(link[1], link[2])), f"cell:{link}"
            name = head
        self.add(Share(subject=part.subject if part else "", percent=value, places=places,
                       part=part.value if part else None, part_places=part.places if part else 2, whole=whole,
                       whole_places=whole_places, whole_name=name, whole_key=key, group=group,
                       part_index=part.index if part else -1, sentence=sentence, **self.where(position)))

    def rate(self, value, places, basis, sentence, position) -> None:
        """"完成年初预算的X%": the sentence's latest actual against its budget of the same subject; where the
        rate names its budget (年初 or 全年/调整), the budget stated with that name."""
        amounts = [self.out[n] for n in self.index.sentence_amounts.get(sentence, [])]
        actual = next((c for c in reversed(amounts) if c.role == "actual"), None)
        budgets = [c for c in reversed(amounts) if c.role == "budget"
                   and (actual is None or c.subject == actual.subject or not c.subject)]
        named = [c for c in budgets if basis and c.basis == basis]
        budget = next(iter(named or budgets), None)
        budget_value, budget_places, from_table = (budget.value, budget.places, False) if budget else (None, 2, False)
        if budget is None and actual is not None and actual.link and actual.link[0] == "three_public":
            kind, row, _ = actual.link
            budget_value, from_table = to_decimal(self.report.tables[kind].value(row, "budget")), True
        self.add(Rate(subject=actual.subject if actual else "", percent=value, places=places, budget=budget_value, basis=basis,
                      actual=actual.value if actual else None, budget_places=budget_places,
                      actual_places=actual.places if actual else 2, budget_from_table=from_table,
                      actual_link=actual.link if actual else None, sentence=sentence, **self.where(position)))

    def count(self, before: str, local: str, unit: str, value: Decimal, sentence: str, position: int, part: bool) -> None:
        """A count, keyed by what it counts; a count of domestic or foreign guests only is keyed apart."""
        abroad, reception = before.rfind("出国"), max(before.rfind("接待"), before.rfind("来宾"), before.rfind("来访"))
        topic = "abroad" if abroad > reception else "reception" if reception >= 0 else ""
        key = "other"
        if unit == "辆":
            key = "vehicles" if re.search(r"保有量|共有车辆|车辆总数|车辆共", local) else "vehicle_detail"
        elif unit == "个" and "团组" in local:
            key = {"abroad": "trips", "reception": "receptions"}.get(topic, "other")
        elif unit == "批次":
            key = "receptions"
        elif unit == "人次":
            key = {"abroad": "people", "reception": "visitors"}.get(topic, "other")
        clause = re.split(r"[;。]", before)[-1]
        scope = "foreign" if re.search(r"外事|外宾|境外|国外|\(境\)外", clause) else "domestic" if "国内" in clause else ""
        scope = scope if key in ("receptions", "visitors") else ""
        part = part and (sentence, key) in self.index.counts
        self.add(Count(key=key, subject=subject_of(local, self.department) or local, value=int(value), part=part, scope=scope,
                       sentence=sentence, **self.where(position)))

    def comparison(self, sentence: str, start: int) -> None:
        """"决算数小于预算数" / "与预算数持平" outside the items: a statement about the latest budget and actual."""
        found = _COMPARISON.search(sentence)
        if not found:
            return
        word = found[1] or found[2]
        word = COMPARISON_WORDS.get(word, word)
        section = self.section.number
        if section not in self.index.section_budget:
            return
        budget = self.out[self.index.section_budget[section]]
        after = self.index.actual_after_budget.get(section)
        actual = self.out[after] if after is not None else None
        self.add(Statement(subject=budget.subject, comparison=word, budget=budget.value,
                           actual=actual.value if actual else None, sentence=sentence,
                           **(self.where(start) | {"figures": ()})))




# -- coverage ---------------------------------------------------------------------------------------
#: An amount of money or a percentage: what the narrative's coverage counts (counts of trips, cars or
#: people are not figures of the accounts).
_MONEY = lazy(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?=\D|$)|\d+)(?:\.\d+)?(?:亿元|万元|千元|元|%)")


@dataclass(frozen=True)
class Unbound:
    """A figure of the narrative that no claim states: where it is, and the sentence around it."""

    section: str
    title: str
    page: int | None
    line: int | None
    figure: str
    sentence: str

    def to_dict(self) -> dict:
        return {"section": self.section, "title": self.title, "page": self.page, "line": self.line,
                "figure": self.figure, "sentence": self.sentence}

    def excerpt(self, width: int = 24) -> str:
        """The figure marked 【】 with `width` characters of its sentence on either side."""
        at = self.sentence.find(self.figure)
        before, after = self.sentence[:at], self.sentence[at + len(self.figure):]
        return (("…" if len(before) > width else "") + before[-width:] + f"【{self.figure}】" + after[:width]
                + ("…" if len(after) > width else ""))


@dataclass(frozen=True)
class Coverage:
    """How much of the narrative's money and percentages the claims state (as table coverage is of the
    tables' numbers): every figure is bound (to a claim with a subject) or listed unbound."""

    sections: int
    amounts: int
    bound: int
    unbound: tuple[Unbound, ...]

    @property
    def share(self) -> float:
        return self.bound / self.amounts if self.amounts else 1.0

    def to_dict(self) -> dict:
        return {"sections": self.sections, "amounts": self.amounts, "bound": self.bound,
                "unbound": [u.to_dict() for u in self.unbound]}


def binds(claim: Claim) -> bool:
    """A claim binds its figures when it says what they are of: a subject (a 项, a table row, a concept),
    or for a share or a rate, the whole or the amounts it relates."""
    if isinstance(claim, Item):
        return True
    if isinstance(claim, Share):
        return bool(claim.subject or claim.whole_name or claim.whole is not None)
    if isinstance(claim, Rate):
        return bool(claim.subject or claim.actual is not None)
    if isinstance(claim, Amount):
        return bool(claim.subject or claim.link)
    return bool(getattr(claim, "subject", ""))


def coverage(report: Report) -> Coverage:
    """Every amount and percentage of the narrative, bound to a claim or listed unbound with its page and
    sentence."""
    out: list[Claim] = []
    index = _Index()
    amounts, bound, unbound = 0, 0, []
    for section in report.narrative:
        start = len(out)
        walker = _Walker(report, section, out, index)
        walker.run()
        stated = {position for claim in out[start:] if binds(claim) for position in claim.figures}
        text = walker.text
        for match in _MONEY.finditer(text.text):
            amounts += 1
            if match.start() in stated:
                bound += 1
                continue
            line, page = text.where(match.start())
            left = max(text.text.rfind("。", 0, match.start()), text.text.rfind("\n", 0, match.start())) + 1
            ends = [e for e in (text.text.find("。", match.end()), text.text.find("\n", match.end())) if e >= 0]
            right = min(ends, default=len(text.text))
            sentence = text.text[max(left, match.start() - 120):min(right + 1, match.end() + 120)]
            unbound.append(Unbound(section.number, section.title, page, line, match[0], sentence))
    return Coverage(len(report.narrative), amounts, bound, tuple(unbound))

"""The narrative (第三部分 情况说明): the statements with numbers it makes, and the rules that hold
them against the tables and against each other.

Extraction works on the template wording (上海 2024, 财预〔2016〕143号 templates) and tolerates the
usual variation: full-width or half-width punctuation, spaces inside words and numbers, 万元 or 元,
items numbered twice, lines of a PDF broken inside a number. Each statement becomes a frozen claim
keeping its sentence, section number and line (or page), and, where the statement restates a table
cell, a link to that cell (``Link``: table kind, row index, column).

Codes are permanent: FA-Nnnn.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Iterator

from finaudit import codes
from finaudit.findings import CellRef, Finding
from finaudit.model import Report, Section, Table, to_decimal
from finaudit.registry import Check, InsufficientData, NotApplicable, rule, tolerance

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
    role: str = "actual"  # actual | budget
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


@dataclass(frozen=True, kw_only=True)
class Statement(Claim):
    """A sentence-level fact rules need: direction of budget vs actual, "持平" statements."""

    subject: str
    comparison: str  # 大于 | 小于 | 持平
    budget: Decimal | None = None
    actual: Decimal | None = None


# -- text ---------------------------------------------------------------------------------------
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?=\D|$)|\d+)(?:\.(\d+))?(万元|万|元|%|个|人次|辆|批次)")
_SENTENCE_END = "。\n"
_HEADING = re.compile(r"^\(?[一二三四五六七八九十]+\)|^[一二三四五六七八九十]+、")
_ENUM_START = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)|\d+[、.](?!\d))")
_LEVEL = r"\((?:类|款|项)\)"
_NOT_LEVEL = rf"(?:(?!{_LEVEL})[^。\n])"
_ITEM = re.compile(
    rf"(?:^|(?<=[。\n;]))(?:(?P<no>\d+)[.、])?(?P<cls>{_NOT_LEVEL}{{1,40}}?)\(类\)(?P<kuan>{_NOT_LEVEL}{{0,60}}?)\(款\)"
    rf"(?P<xiang>{_NOT_LEVEL}{{1,60}}?)\(项\)"
)
_BUDGET_WORD = re.compile(r"年初预算|预算数|预算为|预算是|预算金额|支出预算|经费预算")
_ACTUAL_WORD = re.compile(r"决算")
_FUND_NAMES = re.compile(r"一般公共预算|政府性?基金预算|国有资本经营预算")
UP_WORDS, DOWN_WORDS = ("增加", "增长", "上升", "提高", "增"), ("减少", "下降", "降低", "减")
_CHANGE_AMOUNT = re.compile(r"(增加|减少|增长|下降|上升|降低|增|减)了?$")
_CHANGE_PERCENT = re.compile(r"(增长|下降|上升|降低|减少|增加)了?(?:幅度为?)?$")
_RATE = re.compile(r"完成(?:年初)?预算(?:数)?的?$|(?:预算)?完成率为?$|执行率为?$")
_SHARE = re.compile(r"占(?:比)?$|占(?P<whole>.{1,30}?)(?:的)?(?:比[例重]为?)?$")
_NOISE = [
    re.compile(p)
    for p in (
        r"(?:19|20)\d{2}年度?", r"\d{1,2}月\d{1,2}日", r"截[至止]", r"与.{0,12}相比", r"^比", r"比$", r"比上年", r"同比",
        r"本部门|本单位|本局|全年|其中|分别|合计为", r"年初预算(?:数)?(?:为|是)?",
        r"(?:支出)?预算(?:数)?(?:为|是)", r"(?:支出)?决算(?:数)?(?:为|是)?", r"[为是了:]$", r"主要用于以下方面",
        r"^[\d.、()]+", r"[“”\"'‘’]",
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
    return value, len(fraction), "万元" if unit == "万" else unit


@dataclass
class _Text:
    """A section's text, normalised and joined, with the paragraph of every character."""

    section: Section
    text: str = ""
    starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, section: Section) -> "_Text":
        built = cls(section)
        pieces = []
        for paragraph in section.paragraphs:
            text = normalise(paragraph.text)
            if not text:
                continue
            if pieces:
                previous = pieces[-1]
                wrapped = paragraph.line is None and not previous.endswith(("。", ";", ":", "!", "?")) \
                    and not _HEADING.match(previous) and not _ENUM_START.match(text)
                pieces.append("" if wrapped else "\n")
            built.starts.append(sum(len(p) for p in pieces))
            pieces.append(text)
        built.text = "".join(pieces)
        return built

    def where(self, position: int) -> tuple[int | None, int | None]:
        paragraphs = [p for p in self.section.paragraphs if normalise(p.text)]
        if not paragraphs:
            return self.section.line, self.section.page
        paragraph = paragraphs[max(0, bisect.bisect_right(self.starts, position) - 1)]
        return paragraph.line, paragraph.page

    def sentences(self) -> Iterator[tuple[int, str]]:
        start = 0
        for match in re.finditer(r"[。\n]", self.text + "\n"):
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


def subject_of(context: str, department: str | None) -> str:
    """The subject words of a clause: years, connectives, budget/actual words and the department dropped."""
    text = context.replace(department, "") if department else context
    for pattern in _NOISE:
        text = pattern.sub("", text)
    text = _CHANGE_AMOUNT.sub("", text)
    text = re.sub(r"^(?:共计|共|各|累计)|(?:各|比|共)$", "", text)
    return text.strip(",;:、") if re.search(r"[\u4e00-\u9fff]{2}", text) else ""


def role_of(context: str) -> str:
    text = _FUND_NAMES.sub("", context)
    budget = [m.end() for m in _BUDGET_WORD.finditer(text)]
    actual = [m.end() for m in _ACTUAL_WORD.finditer(text)]
    return "budget" if budget and (not actual or max(budget) > max(actual)) else "actual"


# -- links to table cells -------------------------------------------------------------------------
#: (subject pattern, section kinds where it applies ("" = any), table kind, row key or side:key, column, relation)
_THREE = ("three_public",)
LINKS: list[tuple[str, tuple[str, ...], str, str, str, str]] = [
    (r"机关运行经费", (), "basic_expenditure", "public_total", "total", "le"),
    (r"人员经费", (), "basic_expenditure", "personnel_total", "total", "eq"),
    (r"公用经费", (), "basic_expenditure", "public_total", "total", "eq"),
    (r"外宾|国内公务接待|国内接待", (), "", "", "", ""),
    (r"三公", (), "three_public", "total", "actual", "eq"),
    (r"因公出国", (), "three_public", "abroad", "actual", "eq"),
    (r"公务用车购置(?:及|和|与)运行|公务用车购置及运行维护", (), "three_public", "vehicle", "actual", "eq"),
    (r"公务用车购置", (), "three_public", "vehicle_purchase", "actual", "eq"),
    (r"公务用车运行", (), "three_public", "vehicle_running", "actual", "eq"),
    (r"公务接待", (), "three_public", "reception", "actual", "eq"),
    (r"政府采购|中小企业|小微企业|绩效|设备|车辆", (), "", "", "", ""),
    (r"(?:政府性?)?基金.*收入", ("fund",), "government_fund", "grand_total", "income", "eq"),
    (r"(?:政府性?)?基金", ("fund",), "government_fund", "grand_total", "total", "eq"),
    (r"国有资本经营.*收入", ("state_capital",), "state_capital", "grand_total", "income", "eq"),
    (r"国有资本经营", ("state_capital",), "state_capital", "grand_total", "total", "eq"),
    (r"一般公共预算财政拨款基本支出", (), "general_budget", "grand_total", "basic", "eq"),
    (r"一般公共预算财政拨款项目支出", (), "general_budget", "grand_total", "project", "eq"),
    (r"一般公共预算财政拨款(?:支出)?$", (), "general_budget", "grand_total", "total", "eq"),
    (r"财政拨款收入支出总计|财政拨款收支总计", (), "appropriation_summary", "income:grand_total", "total", "eq"),
    (r"财政拨款(?:总)?收入", ("appropriation",), "appropriation_summary", "income:income_total", "total", "eq"),
    (r"财政拨款(?:总)?支出", ("appropriation",), "appropriation_summary", "expenditure:expenditure_total", "total", "eq"),
    (r"收入支出总计|收支总计", (), "summary", "income:grand_total", "total", "eq"),
    (r"本年收入(?:合计|总计)", (), "summary|income", "income:income_total|grand_total", "total", "eq"),
    (r"本年支出(?:合计|总计)", (), "expenditure|summary", "grand_total|expenditure:expenditure_total", "total", "eq"),
    (r"收入总计", (), "summary", "income:grand_total", "total", "eq"),
    (r"支出总计", (), "summary", "expenditure:grand_total", "total", "eq"),
    (r"财政拨款(?:收入)?$", ("income",), "income|summary", "grand_total|income:fiscal", "fiscal|total", "eq"),
    (r"上级补助收入", (), "income", "grand_total", "superior", "eq"),
    (r"经营收入", (), "income", "grand_total", "operating", "eq"),
    (r"附属单位上缴收入", (), "income", "grand_total", "affiliated", "eq"),
    (r"事业收入", (), "income", "grand_total", "business", "eq"),
    (r"其他收入", (), "income", "grand_total", "other", "eq"),
    (r"基本支出", ("expenditure", "summary"), "expenditure", "grand_total", "basic", "eq"),
    (r"项目支出", ("expenditure", "summary"), "expenditure", "grand_total", "project", "eq"),
    (r"经营支出", (), "expenditure", "grand_total", "operating", "eq"),
    (r"上缴上级支出", (), "expenditure", "grand_total", "to_superior", "eq"),
    (r"对附属单位补助支出", (), "expenditure", "grand_total", "subsidy", "eq"),
]
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
    for pattern, kinds, tables, rows, columns, relation in LINKS:
        if kinds and kind not in kinds or not re.search(pattern, subject):
            continue
        if not tables:
            return None, "eq"
        if role == "budget" and tables != "three_public":
            return None, "eq"
        for table_kind, selector, column in zip(tables.split("|"), rows.split("|"), columns.split("|")):
            table = report.tables.get(table_kind)
            column = "budget" if role == "budget" and table_kind == "three_public" else column
            if table is None or column not in table.columns:
                continue
            row = row_with(table, selector)
            if row is not None:
                return (table_kind, row, column), relation
        return None, "eq"
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


def item_row(report: Report, table: Table, class_name: str, kuan_name: str, item_name: str) -> tuple[int | None, str | None]:
    """The 项 row a "X（类）Y（款）Z（项）" names: by the official codes of the names where they resolve,
    else the closest 项 name under that 类 (names are often misspelt: "行公务员医疗补助")."""
    year = report.meta.year or 0
    class_code = codes.code_for_name(class_name, year, 1)
    kuan_code = codes.code_for_name(kuan_name, year, 2)
    code_of, label_of = table.column("code"), table.column("label")
    items = [i for i, code in enumerate(code_of) if code and codes.level(code) == 3]
    if class_code:
        items = [i for i in items if code_of[i].startswith(class_code)] or items
    wanted = codes.normalise_name(item_name)
    best, score = None, 0.0
    for i in items:
        label = codes.normalise_name(label_of[i])
        ratio = 1.0 if label == wanted else difflib.SequenceMatcher(None, wanted, label).ratio()
        if kuan_code and code_of[i].startswith(kuan_code):
            ratio += 1 / 100
        if ratio > score:
            best, score = i, ratio
    return (best if score >= 0.6 else None), kuan_code


# -- extraction -----------------------------------------------------------------------------------
def claims(report: Report) -> list[Claim]:
    """Every statement with numbers in the narrative, in order."""
    found: list[Claim] = []
    for section in report.narrative:
        _Walker(report, section, found).run()
    return found


class _Walker:
    """Reads one section: items (项) first, then every number of every sentence in order."""

    def __init__(self, report: Report, section: Section, out: list[Claim]):
        self.report, self.section, self.out = report, section, out
        self.text = _Text.of(section)
        self.kind = section_kind(section.title)
        self.department = report.meta.department

    def where(self, position: int) -> dict:
        line, page = self.text.where(position)
        return {"section": self.section.number, "line": line, "page": page, "offset": position}

    def add(self, claim: Claim) -> int:
        if isinstance(claim, (Amount, Change)):
            claim = replace(claim, index=len(self.out))
        self.out.append(claim)
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
        def amount(pattern: str) -> tuple[Decimal | None, int]:
            found = re.search(pattern + r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万元|万|元)", block)
            if not found:
                return None, 2
            value, places, _ = number(re.match(_NUMBER, found[0][found.start(1) - found.start():]))
            return value, places

        budget, budget_places = amount(r"年初预算(?:数)?(?:为|是)?")
        actual, actual_places = amount(r"(?:支出)?决算(?:数)?(?:为|是)?")
        rate = re.search(r"完成(?:年初)?预算(?:数)?的?(\d+)(?:\.(\d+))?%", block)
        comparison = re.search(r"决算数?(大于|小于|高于|低于|超过|少于|多于)(?:年初)?预算|决算数?与(?:年初)?预算数?(基本持平|持平|一致|相等)", block)
        reason = re.search(r"主要原因(?:是|为)?:?(.*?)(?:。|$)(.*?)(?:。|$)", block)
        reason_text = None
        if reason:
            reason_text = (reason[1] or reason[2]).strip() or None
        elif comparison and "持平" in (comparison[2] or ""):
            reason_text = comparison[0]
        names = [codes.normalise_name(re.sub(r"^[\d.、]+", "", match[k])) for k in ("cls", "kuan", "xiang")]
        row, kuan_code = item_row(self.report, table, *names) if table is not None else (None, None)
        link = (table.kind, row, "total") if row is not None and "total" in table.columns else None
        word = comparison[1] or comparison[2] if comparison else ""
        word = {"高于": "大于", "超过": "大于", "多于": "大于", "低于": "小于", "少于": "小于", "一致": "持平", "相等": "持平"}.get(word, word)
        self.add(Item(
            number=match["no"] or "", name=f"{names[0]}（类）{names[1]}（款）{names[2]}（项）",
            class_name=names[0], kuan_name=names[1], item_name=names[2],
            code=table.value(row, "code") if row is not None else None,
            budget=budget, actual=actual, budget_places=budget_places, actual_places=actual_places,
            rate=Decimal(f"{rate[1]}.{rate[2]}") if rate and rate[2] else Decimal(rate[1]) if rate else None,
            rate_places=len(rate[2] or "") if rate else 2, comparison=word, reason=reason_text, link=link,
            kuan_code=kuan_code, sentence=block[:300], **self.where(match.start()),
        ))

    # sentences --------------------------------------------------------------------------------
    def sentence(self, start: int, sentence: str) -> None:
        group = start
        previous_end = 0
        lead: Amount | None = None  # the first amount of the sentence: the implicit whole of its shares
        last_kind = ""
        last_amounts: list[int] = []  # indices of the latest amount group ("A万元、B万元")
        last_changes: list[int] = []
        change_parent: int | None = None
        amount_whole: int | None = None
        subject = ""  # the running subject of the sentence
        pair: list[str] = []
        last_percent_word = ""
        lead_used = False
        matches = list(_NUMBER.finditer(sentence))
        for position_in_sentence, match in enumerate(matches):
            context = sentence[previous_end:match.start()]
            upcoming = matches[position_in_sentence + 1] if position_in_sentence + 1 < len(matches) else None
            listed = upcoming is not None and sentence[match.end():upcoming.start()].strip() == "、"
            previous_end = match.end()
            value, places, unit = number(match)
            local = re.split(r"[,;:]|其中", context)[-1]
            continued = context.strip() == "、" and last_kind
            position = start + match.start()
            if "其中" in context:
                if last_changes and unit != "%":
                    change_parent = last_changes[0]
                if self.out and last_amounts:
                    amount_whole = last_amounts[-1]
            own = subject_of(local, self.department)
            paired = re.search(r"收、支|收支(?!总计)", local)
            if paired:
                prefix = subject_of(local[: paired.start()], self.department)
                pair = [prefix + "收入", prefix + "支出"]
                own = ""
            elif own:
                subject, pair = own, []
            kind = last_kind if continued else self.classify(local, unit)
            last_kind = kind
            if kind == "amount":
                role = role_of(local) if not continued else self.out[last_amounts[-1]].role
                index_in_pair = len(last_amounts) if continued else 0
                topic = pair[index_in_pair] if pair and index_in_pair < len(pair) else subject
                if role == "budget" and not own:
                    topic = subject
                link, relation = link_for(self.report, topic, role, self.kind)
                claim = Amount(subject=topic, value=value, places=places, role=role, link=link, relation=relation,
                               whole=amount_whole, sentence=sentence, **self.where(position))
                index = self.add(claim)
                last_amounts = [*last_amounts, index] if continued else [index]
                lead = lead or self.out[index]
            elif kind == "change":
                found_word = _CHANGE_AMOUNT.search(local)
                word = found_word[1] if found_word else self.out[last_changes[-1]].word if last_changes else ""
                targets = pair if ("分别" in context or "各" in context) and pair and not continued and not listed else [None]
                new = []
                for n, target in enumerate(targets):
                    topic = target or (pair[len(last_changes)] if continued and pair and len(last_changes) < len(pair)
                                       else pair[0] if listed and pair else own or subject)
                    base, base_places, link = self.base(topic, n if target else (len(last_changes) if continued else 0),
                                                        bool(target) or bool(pair), last_amounts)
                    new.append(self.add(Change(subject=topic, amount=value, word=word, places=places, base=base,
                                               base_places=base_places, parent=change_parent if not continued else None,
                                               link=link, sentence=sentence, **self.where(position))))
                last_changes = [*last_changes, *new] if continued else new
                if len(targets) == 1 and not continued:
                    last_changes = new
            elif kind == "percent_change":
                found_word = _CHANGE_PERCENT.search(local)
                word = found_word[1] if found_word else last_percent_word
                last_percent_word = word
                targets = list(last_changes)
                if "收入" in local and len(targets) == 2:
                    targets = targets[:1]
                elif "支出" in local and len(targets) == 2:
                    targets = targets[1:]
                elif continued:
                    targets = targets[1:2]
                elif len(targets) > 1 and "分别" not in local:
                    targets = targets[:1]
                for index in targets:
                    change = self.out[index]
                    if isinstance(change, Change) and change.percent is None:
                        self.out[index] = replace(change, percent=value, percent_places=places, percent_word=word)
                        break
            elif kind == "share":
                if lead is not None and last_amounts and last_amounts[-1] == lead.index:
                    lead_used = True
                self.share(local, value, places, None if lead_used else lead, last_amounts, sentence, group, position)
            elif kind == "rate":
                self.rate(value, places, last_amounts, sentence, position)
            elif kind == "count":
                self.count(sentence[: match.start()], local, unit, value, sentence, position)
        self.comparison(sentence, start)

    def classify(self, local: str, unit: str) -> str:
        if unit == "%":
            if _RATE.search(local):
                return "rate"
            if _CHANGE_PERCENT.search(local):
                return "percent_change"
            if _SHARE.search(local):
                return "share"
            return "percent"
        if unit == "万元":
            if re.search(r"节约|结余|节省|超支", local):
                return "other"
            return "change" if _CHANGE_AMOUNT.search(local) else "amount"
        return "count"

    def base(self, topic: str, n: int, paired: bool, last_amounts: list[int]) -> tuple[Decimal | None, int, Link | None]:
        """This year's value a change is measured against: the amount stated for the same subject, else
        the n-th amount of the latest group (a "收、支" pair), else the linked table cell."""
        link, _ = link_for(self.report, topic, "actual", self.kind)
        amounts = [c for c in self.out if isinstance(c, Amount) and c.section == self.section.number and c.role == "actual"]
        for claim in reversed(amounts):
            if (link and claim.link == link) or (topic and claim.subject == topic):
                return claim.value, claim.places, claim.link
        if paired and len(last_amounts) > n:
            claim = self.out[last_amounts[n]]
            return claim.value, claim.places, claim.link
        if paired and amounts:
            group = [c for c in amounts if c.sentence == amounts[-1].sentence]
            if len(group) > n:
                return group[n].value, group[n].places, group[n].link
        if not topic and amounts:
            return amounts[-1].value, amounts[-1].places, amounts[-1].link
        if link:
            value = to_decimal(self.report.tables[link[0]].value(link[1], link[2]))
            return value, 2, link
        return None, 2, None

    def share(self, local, value, places, lead, last_amounts, sentence, group, position) -> None:
        part = self.out[last_amounts[-1]] if last_amounts else None
        name = (_SHARE.search(local)["whole"] or "").strip()
        whole, whole_places, key = None, 2, ""
        if name and not name.startswith("比"):
            whole_subject = subject_of(name, self.department)
            link, _ = link_for(self.report, whole_subject, "actual", self.kind)
            for claim in reversed([c for c in self.out if isinstance(c, Amount) and c.role == "actual"]):
                if (whole_subject and (whole_subject in claim.subject or claim.subject and claim.subject in whole_subject)) \
                        or (link and claim.link == link):
                    whole, whole_places, key = claim.value, claim.places, f"amount:{claim.index}"
                    break
            if whole is None and link:
                whole, key = to_decimal(self.report.tables[link[0]].value(link[1], link[2])), f"cell:{link}"
        elif lead is not None and part is not None and lead is not part:
            whole, whole_places, key = lead.value, lead.places, f"amount:{lead.index}"
        else:
            head = subject_of(re.split(r"中[,:]", sentence)[0] if re.search(r"中[,:]", sentence) else "", self.department)
            link, _ = link_for(self.report, head, "actual", self.kind)
            for claim in reversed([c for c in self.out if isinstance(c, Amount) and c.role == "actual"]):
                if link and claim.link == link and claim is not part:
                    whole, whole_places, key = claim.value, claim.places, f"amount:{claim.index}"
                    break
            if whole is None and link:
                whole, key = to_decimal(self.report.tables[link[0]].value(link[1], link[2])), f"cell:{link}"
            name = head
        self.add(Share(subject=part.subject if part else "", percent=value, places=places,
                       part=part.value if part else None, part_places=part.places if part else 2, whole=whole,
                       whole_places=whole_places, whole_name=name, whole_key=key, group=group,
                       part_index=part.index if part else -1, sentence=sentence, **self.where(position)))

    def rate(self, value, places, last_amounts, sentence, position) -> None:
        amounts = [c for c in self.out if isinstance(c, Amount) and c.sentence == sentence]
        actual = next((c for c in reversed(amounts) if c.role == "actual"), None)
        budget = next((c for c in reversed(amounts) if c.role == "budget"
                       and (actual is None or c.subject == actual.subject or not c.subject)), None)
        budget_value, budget_places, from_table = (budget.value, budget.places, False) if budget else (None, 2, False)
        if budget is None and actual is not None and actual.link and actual.link[0] == "three_public":
            kind, row, _ = actual.link
            budget_value, from_table = to_decimal(self.report.tables[kind].value(row, "budget")), True
        self.add(Rate(subject=actual.subject if actual else "", percent=value, places=places, budget=budget_value,
                      actual=actual.value if actual else None, budget_places=budget_places,
                      actual_places=actual.places if actual else 2, budget_from_table=from_table,
                      actual_link=actual.link if actual else None, sentence=sentence, **self.where(position)))

    def count(self, before: str, local: str, unit: str, value: Decimal, sentence: str, position: int) -> None:
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
        self.add(Count(key=key, subject=subject_of(local, self.department) or local, value=int(value),
                       sentence=sentence, **self.where(position)))

    def comparison(self, sentence: str, start: int) -> None:
        """"决算数小于预算数" / "与预算数持平" outside the items: a statement about the latest budget and actual."""
        found = re.search(r"决算数?(大于|小于|高于|低于)(?:年初)?预算|决算数?与(?:年初)?预算数?(基本持平|持平)", sentence)
        if not found:
            return
        word = {"高于": "大于", "低于": "小于"}.get(found[1], found[1]) if found[1] else found[2]
        amounts = [c for c in self.out if isinstance(c, Amount) and c.section == self.section.number]
        budget = next((c for c in reversed(amounts) if c.role == "budget"), None)
        if budget is None:
            return
        actual = next((c for c in amounts if c.index > budget.index and c.role == "actual"), None)
        self.add(Statement(subject=budget.subject, comparison=word, budget=budget.value,
                           actual=actual.value if actual else None, sentence=sentence, **self.where(start)))


# -- helpers for rules ------------------------------------------------------------------------------
def of_kind(found: list[Claim], kind: type) -> list:
    return [c for c in found if isinstance(c, kind)]


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


def percent_finding(check: Check, claim: Claim, stated: Decimal, places: int, allowed, computed: Decimal, what_zh: str,
                    what_en: str, cells=()) -> Finding | None:
    slip = percent_slip(stated, places, allowed)
    if slip == 0:
        return None
    severity = "warning" if slip <= SLIP else "error"
    return check.finding(
        claim.ref(stated),
        f"{what_zh}：文中为 {stated}%，按文中数字计算为 {computed}%（容许 {allowed[0]:.3f}%–{allowed[1]:.3f}%）：{claim.sentence[:80]}",
        f"{what_en}: stated {stated}%, computed {computed}% (allowed {allowed[0]:.3f}%–{allowed[1]:.3f}%)",
        cells=(claim.ref(stated), *cells), severity=severity, expected=computed, actual=stated,
        difference=stated - computed, tol=slip,
    )


def narrative_claims(check: Check) -> list[Claim]:
    """The report's claims, read once per audit run."""
    if not check.report.narrative:
        raise NotApplicable("no narrative")
    if "claims" not in check.memo:
        check.memo["claims"] = claims(check.report)
    return check.memo["claims"]


# -- rules ----------------------------------------------------------------------------------------
@rule("FA-N001", "error", "文中金额与表中数字不符", "Narrative amount differs from its table cell")
def amount_matches_table(check: Check) -> list[Finding]:
    """Every amount the narrative states for a table cell equals that cell: 收入/支出总计 (表一),
    本年收入合计 and its sources (表一/表二), 本年支出合计/基本/项目 (表三), 财政拨款收入/支出 (表四),
    一般公共预算财政拨款支出 and its 类 and 项 (表五), 人员经费/公用经费 (表六), "三公" 预算数 and
    决算数 (表七), 政府性基金 (表八). 机关运行经费 must not exceed 表六 公用经费合计 (equal when every unit is
    行政 or 参公). Tolerance: half a unit of the printed decimals of both numbers. A table cell left blank
    where the text says 0 is a note (a warning for a total line: blank is not zero). Basis: primer,
    "Narrative against tables"."""
    report = check.report
    findings = []
    for claim in narrative_claims(check):
        if isinstance(claim, Amount) and claim.link:
            stated, places, link, relation = claim.value, claim.places, claim.link, claim.relation
            what = claim.subject
        elif isinstance(claim, Item) and claim.link and claim.actual is not None:
            stated, places, link, relation, what = claim.actual, claim.actual_places, claim.link, "eq", claim.name
        else:
            continue
        cell = table_cell(check, link)
        where = f"{cell.source} {cell.row}/{report.tables[link[0]].columns.get(link[2], link[2])}"
        if cell.value is None:
            if stated == 0:
                key = report.tables[link[0]].value(link[1], "key")
                total = isinstance(key, str) and key.endswith("total") and link[2] in ("total", "actual", "budget")
                findings.append(check.finding(
                    claim.ref(stated), f"{what}：文中为 0，表中（{where}）为空（空白不等于零）",
                    f"{what}: the text says 0, the table cell ({cell.source}) is blank (blank is not zero)",
                    cells=(claim.ref(stated), cell), severity="warning" if total else "info", actual=stated))
                continue
            findings.append(check.finding(
                claim.ref(stated), f"{what}：文中为 {stated}，表中（{where}）为空", f"{what}: the text says {stated}, the table cell is blank",
                cells=(claim.ref(stated), cell), actual=stated))
            continue
        difference = stated - cell.value
        band = printed_band(places) + printed_band(2)
        if relation == "le" and difference <= band:
            if difference < -band:
                findings.append(check.finding(
                    claim.ref(stated), f"{what} {stated} 小于表六公用经费合计 {cell.value}（有事业单位时允许）",
                    f"{what} {stated} is less than 表六 public total {cell.value} (allowed where some units are not 行政/参公)",
                    cells=(claim.ref(stated), cell), severity="info", expected=cell.value, actual=stated, difference=difference))
            continue
        if difference == 0:
            continue
        if abs(difference) <= band:
            findings.append(check.finding(
                claim.ref(stated), f"{what}：文中 {stated} 与表中 {cell.value} 相差 {difference:+}，在舍入范围内",
                f"{what}: text {stated} vs table {cell.value}, within rounding", cells=(claim.ref(stated), cell),
                severity="info", expected=cell.value, actual=stated, difference=difference, tol=band))
            continue
        findings.append(check.finding(
            claim.ref(stated), f"{what}：文中为 {stated} 万元，表中（{where}）为 {cell.value} 万元，相差 {difference:+}",
            f"{what}: the text says {stated}, the table ({cell.source}) says {cell.value}, difference {difference:+}",
            cells=(claim.ref(stated), cell), expected=cell.value, actual=stated, difference=difference, tol=band))
    return findings


@rule("FA-N002", "error", "占比计算错误", "Share does not equal part ÷ whole")
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
                                  f"{claim.subject} 占比（{claim.part}÷{claim.whole}）", f"{claim.subject} share ({claim.part} / {claim.whole})")
        findings += [finding] if finding else []
    return findings


def rates(found: list[Claim]) -> Iterator[tuple[Claim, str, Decimal, int, Decimal | None, int, Decimal | None, int]]:
    """(claim, subject, stated %, places, budget, places, actual, places) of every 完成率, items included."""
    for claim in found:
        if isinstance(claim, Rate):
            yield claim, claim.subject, claim.percent, claim.places, claim.budget, claim.budget_places, claim.actual, claim.actual_places
        elif isinstance(claim, Item) and claim.rate is not None:
            yield claim, claim.name, claim.rate, claim.rate_places, claim.budget, claim.budget_places, claim.actual, claim.actual_places


@rule("FA-N003", "error", "完成率计算错误", "Completion rate does not equal actual ÷ budget")
def rate_arithmetic(check: Check) -> list[Finding]:
    """Every 完成（年初）预算的X% equals 决算 ÷ 年初预算 × 100 within interval arithmetic on the printed
    numbers (rounding or truncation of the stated rate allowed; a slip of at most a hundredth of a point beyond is a warning).
    The budget is the one stated in the sentence for the same subject, else (三公 items) the 表七 预算数.
    Basis: primer, "every 完成率 = 决算 ÷ 年初预算"."""
    findings = []
    for claim, subject, stated, places, budget, budget_places, actual, actual_places in rates(narrative_claims(check)):
        if not budget or actual is None:
            continue
        allowed = ratio_range(actual, printed_band(actual_places), budget, printed_band(budget_places))
        if allowed is None:
            continue
        finding = percent_finding(check, claim, stated, places, allowed, exact(actual, budget),
                                  f"{subject} 完成率（{actual}÷{budget}）", f"{subject} completion rate ({actual} / {budget})")
        findings += [finding] if finding else []
    return findings


@rule("FA-N004", "error", "对零预算陈述完成率", "Completion rate stated against a zero budget")
def rate_without_budget(check: Check) -> list[Finding]:
    """No "完成年初预算的X%" may be stated where the budget is 0 or blank: a zero budget has no rate.
    A warning when the actual is 0 too (0 ÷ 0 stated as 0% or 100%), an error otherwise.
    Basis: primer, "No 完成年初预算的X% against a zero budget"."""
    findings = []
    for claim, subject, stated, _, budget, _, actual, _ in rates(narrative_claims(check)):
        if budget:
            continue
        severity = "warning" if not actual else "error"
        findings.append(check.finding(
            claim.ref(stated), f"{subject}：年初预算为 {budget if budget is not None else '空'}，却陈述完成预算的 {stated}%（决算 {actual}）",
            f"{subject}: budget is {budget if budget is not None else 'blank'}, yet a rate of {stated}% is stated (actual {actual})",
            severity=severity, actual=stated))
    return findings


def change_range(change: Change) -> tuple[Decimal, Decimal] | None:
    amount, base = change.amount, change.base
    band = printed_band(change.places) + printed_band(change.base_places)
    prior = base - change.signed
    if prior - band <= 0:
        return None
    return max(amount - printed_band(change.places), Decimal(0)) / (prior + band) * HUNDRED, \
        (amount + printed_band(change.places)) / (prior - band) * HUNDRED


@rule("FA-N005", "error", "同比增减幅度计算错误", "Year-on-year percentage does not equal change ÷ prior year")
def year_on_year(check: Check) -> list[Finding]:
    """Every year-on-year percentage equals change ÷ (this year − change) × 100, this year's value being
    the amount stated for the same subject (or its table cell), within interval arithmetic on the printed
    numbers (rounding or truncation allowed; at most a hundredth of a point beyond is a warning). Basis: primer, "every
    year-on-year % = change ÷ (this year − change)"."""
    findings = []
    for claim in of_kind(narrative_claims(check), Change):
        if claim.percent is None or claim.amount is None or claim.base is None:
            continue
        allowed = change_range(claim)
        if allowed is None:
            continue
        prior = claim.base - claim.signed
        finding = percent_finding(check, claim, claim.percent, claim.percent_places, allowed, exact(claim.amount, prior),
                                  f"{claim.subject} 同比（{claim.amount}÷({claim.base}{'+' if claim.sign < 0 else '−'}{claim.amount})）",
                                  f"{claim.subject} year on year ({claim.amount} / prior {prior})")
        findings += [finding] if finding else []
    return findings


@rule("FA-N006", "error", "增减方向用词与数字不符", "Direction word contradicts the numbers")
def direction_words(check: Check) -> list[Finding]:
    """The words say what the numbers do: 增加 goes with 增长 and 减少 with 下降 in one change; "决算数大于
    （小于）预算数" matches the stated budget and actual; "持平" only where they are equal ("基本持平": within
    1%). Basis: primer, "增加/减少/持平 matches the sign"."""
    findings = []
    for claim in narrative_claims(check):
        if isinstance(claim, Change) and claim.percent_word and direction(claim.percent_word) != claim.sign:
            findings.append(check.finding(claim.ref(claim.amount), f"{claim.subject}：金额为“{claim.word}”，幅度却为“{claim.percent_word}”",
                                          f"{claim.subject}: amount '{claim.word}' but percentage '{claim.percent_word}'", actual=claim.amount))
        if isinstance(claim, Change) and claim.amount is not None and claim.amount != 0 and claim.sign == 0:
            findings.append(check.finding(claim.ref(claim.amount), f"{claim.subject}：称“{claim.word}”但变动 {claim.amount}",
                                          f"{claim.subject}: '{claim.word}' with a change of {claim.amount}"))
        if isinstance(claim, (Item, Statement)) and claim.comparison and claim.budget is not None and claim.actual is not None:
            budget, actual, word = claim.budget, claim.actual, claim.comparison
            wrong = (word == "大于" and actual <= budget) or (word == "小于" and actual >= budget) or \
                (word == "持平" and actual != budget) or (word == "基本持平" and abs(actual - budget) > abs(budget) / HUNDRED)
            if wrong:
                name = claim.name if isinstance(claim, Item) else claim.subject
                findings.append(check.finding(claim.ref(actual), f"{name}：文中称决算数{word}预算数，但决算 {actual}、预算 {budget}",
                                              f"{name}: says actual {word} budget, but actual {actual}, budget {budget}",
                                              expected=budget, actual=actual, difference=actual - budget))
    return findings


@rule("FA-N007", "error", "分项增减额之和不等于总增减额", "Parts of a change do not add up to it")
def change_parts(check: Check) -> list[Finding]:
    """Where a change is broken down ("…减少XXX万元，其中：A增加…；B减少…"), the signed parts add up to
    the signed whole within the rounding band (XBRL Calc 1.1: half a hundredth × (n + 1)). Basis: primer, "parts of a change add up to
    the change"."""
    found = narrative_claims(check)
    changes = of_kind(found, Change)
    findings = []
    for whole in changes:
        parts = [c for c in changes if c.parent == whole.index and c.signed is not None]
        if not parts or whole.signed is None:
            continue
        total = sum((p.signed for p in parts), Decimal(0))
        difference = whole.signed - total
        band = tolerance(len(parts))
        if difference == 0:
            continue
        severity = "info" if abs(difference) <= band else None
        findings.append(check.finding(
            whole.ref(whole.amount), f"{whole.subject}：总变动 {whole.signed:+}，各分项之和 {total:+}，相差 {difference:+}",
            f"{whole.subject}: change {whole.signed:+}, parts add up to {total:+}, difference {difference:+}",
            cells=(whole.ref(whole.amount), *(p.ref(p.amount) for p in parts)), severity=severity,
            expected=total, actual=whole.signed, difference=difference, tol=band))
    return findings


@rule("FA-N008", "error", "逐项预算、决算之和不等于总数", "Item budgets do not add up to the quoted total")
def item_totals(check: Check) -> list[Finding]:
    """In a section that quotes the total 年初预算 and 决算 and then each 项 one by one, the items' budgets
    add up to the quoted total budget and their actuals to the quoted total actual (rounding band half a hundredth × (n + 1)).
    Basis: primer, "Sums of the 项 budgets quoted one by one equal the quoted total budget"."""
    found = narrative_claims(check)
    findings = []
    for section in {c.section for c in found if isinstance(c, Item)}:
        in_section = sorted((c for c in found if c.section == section), key=lambda c: c.offset)
        items = [c for c in in_section if isinstance(c, Item)]
        before = [c for c in in_section if isinstance(c, Amount) and c.offset < items[0].offset]
        budget = next((c for c in reversed(before) if c.role == "budget"), None)
        if budget is None:
            continue
        actual = next((c for c in before if c.index > budget.index and c.role == "actual"), None)
        for total, attribute, zh, en in ((budget, "budget", "年初预算", "budgets"), (actual, "actual", "决算", "actuals")):
            values = [getattr(i, attribute) for i in items if getattr(i, attribute) is not None]
            if total is None or not values:
                continue
            added = sum(values, Decimal(0))
            difference = total.value - added
            band = tolerance(len(values))
            if difference == 0:
                continue
            findings.append(check.finding(
                total.ref(total.value), f"逐项{zh}之和 {added} 不等于文中总{zh} {total.value}，相差 {difference:+}（{len(values)} 项）",
                f"the {len(values)} items' {en} add up to {added}, the quoted total is {total.value}, difference {difference:+}",
                cells=(total.ref(total.value), *(i.ref(getattr(i, attribute)) for i in items)),
                severity="info" if abs(difference) <= band else None, expected=added, actual=total.value,
                difference=difference, tol=band))
    return findings


Predicate = Callable[[Amount], bool]


def _subject(pattern: str, exclude: str = "^$") -> Predicate:
    return lambda a: bool(re.search(pattern, a.subject)) and not re.search(exclude, a.subject)


def _linked(kind: str, key: str) -> Callable[[Report], Predicate]:
    def make(report: Report) -> Predicate:
        table = report.tables.get(kind)
        row = row_with(table, key) if table is not None else None
        return lambda a: a.link is not None and a.link[:2] == (kind, row) and a.role == "actual"
    return make


#: Wholes stated with their parts: (what, whole, parts). Predicates on amounts of one section.
STRUCTURES: list[tuple[str, str, Callable, list[Callable]]] = [
    ("政府采购总额 = 货物 + 工程 + 服务", "government procurement = goods + works + services",
     lambda r: _subject(r"政府采购.*(?:总额|金额)|政府采购支出$", r"货物|工程|服务|中小|小微"),
     [lambda r: _subject(r"货物", r"中小|小微"), lambda r: _subject(r"工程", r"中小|小微"), lambda r: _subject(r"服务", r"中小|小微")]),
    ("“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费", "三公 = abroad + vehicles + reception",
     _linked("three_public", "total"), [_linked("three_public", "abroad"), _linked("three_public", "vehicle"),
                                        _linked("three_public", "reception")]),
    ("公务用车购置及运行费 = 购置费 + 运行费", "vehicles = purchase + running",
     _linked("three_public", "vehicle"), [_linked("three_public", "vehicle_purchase"), _linked("three_public", "vehicle_running")]),
    ("公务接待费 = 国内公务接待 + 外宾接待", "reception = domestic + foreign guests",
     _linked("three_public", "reception"), [lambda r: _subject(r"国内"), lambda r: _subject(r"外宾|外事")]),
    ("基本支出 = 人员经费 + 公用经费", "basic = personnel + public",
     lambda r: _subject(r"基本支出", r"人员|公用"), [_linked("basic_expenditure", "personnel_total"),
                                                    _linked("basic_expenditure", "public_total")]),
]


@rule("FA-N009", "error", "文中分项之和不等于总数", "Stated parts do not add up to the stated whole")
def stated_parts(check: Check) -> list[Finding]:
    """Where the narrative states a whole and all its parts, they add up (rounding band half a hundredth × (n + 1)): 政府采购总额 =
    货物 + 工程 + 服务; "三公"经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费; 公务用车 = 购置 + 运行;
    公务接待 = 国内 + 外宾; 基本支出 = 人员经费 + 公用经费. Basis: primer, "政府采购 总额 = 货物 + 工程 + 服务"
    and the 表六/表七 identities restated in the text."""
    found = narrative_claims(check)
    amounts = of_kind(found, Amount)
    findings = []
    for zh, en, whole_of, parts_of in STRUCTURES:
        is_whole = whole_of(check.report)
        for whole in [a for a in amounts if is_whole(a)]:
            later = [a for a in amounts if a.section == whole.section and a.index > whole.index]
            parts = [next((a for a in later if p(check.report)(a)), None) for p in parts_of]
            if any(p is None for p in parts):
                continue
            added = sum((p.value for p in parts), Decimal(0))
            difference = whole.value - added
            band = tolerance(len(parts))
            if difference == 0:
                continue
            findings.append(check.finding(
                whole.ref(whole.value), f"{zh}：文中总数 {whole.value}，分项之和 {added}，相差 {difference:+}",
                f"{en}: stated {whole.value}, parts add up to {added}, difference {difference:+}",
                cells=(whole.ref(whole.value), *(p.ref(p.value) for p in parts)),
                severity="info" if abs(difference) <= band else None, expected=added, actual=whole.value,
                difference=difference, tol=band))
            break
    return findings


@rule("FA-N010", "error", "“其中”部分大于总数", "A 其中 part exceeds its whole")
def part_within_whole(check: Check) -> list[Finding]:
    """An amount stated after "其中" is a part of the amount stated just before it and cannot exceed it
    (e.g. 授予小微企业合同金额 within 授予中小企业合同金额). Basis: primer, "a 其中 part cannot exceed its whole"."""
    found = narrative_claims(check)
    amounts = {a.index: a for a in of_kind(found, Amount)}
    findings = []
    for part in amounts.values():
        whole = amounts.get(part.whole) if part.whole is not None else None
        if whole is None or part.value <= whole.value + printed_band(whole.places) + printed_band(part.places):
            continue
        if whole.role != part.role:
            continue
        findings.append(check.finding(
            part.ref(part.value), f"“其中”{part.subject} {part.value} 大于其总数 {whole.subject} {whole.value}",
            f"the 其中 part {part.subject} {part.value} exceeds its whole {whole.subject} {whole.value}",
            cells=(part.ref(part.value), whole.ref(whole.value)), expected=whole.value, actual=part.value,
            difference=part.value - whole.value))
    return findings


@rule("FA-N011", "warning", "同一数量前后不一致", "The same count stated twice with different values")
def counts_agree(check: Check) -> list[Finding]:
    """A count stated twice (车辆 in the 三公 section and in 国有资产; 团组, 人次, 接待批次) has one value.
    A warning: 公务用车保有量 (paid by appropriations) and 车辆 held may differ in scope — check which is meant.
    Basis: primer, "Counts … are present and consistent where stated twice"."""
    found = of_kind(narrative_claims(check), Count)
    findings = []
    for key in ("vehicles", "trips", "people", "receptions", "visitors"):
        stated = [c for c in found if c.key == key]
        if len({c.value for c in stated}) > 1:
            first = stated[0]
            values = "、".join(f"{c.value}（{c.section}，{c.subject}）" for c in stated)
            findings.append(check.finding(first.ref(Decimal(first.value)), f"{key} 数量前后不一致：{values}",
                                          f"{key} stated with different values: {', '.join(str(c.value) for c in stated)}",
                                          cells=tuple(c.ref(Decimal(c.value)) for c in stated)))
    return findings


@rule("FA-N012", "warning", "同一总数的各项占比之和不为100%", "Shares of one whole do not add up to 100%")
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
        if abs(total - HUNDRED) > band:
            findings.append(check.finding(
                shares[0].ref(total), f"各项占比之和为 {total}%（应约为100%）：{'、'.join(f'{s.subject} {s.percent}%' for s in shares)}",
                f"shares add up to {total}% (should be about 100%)", cells=tuple(s.ref(s.percent) for s in shares),
                expected=HUNDRED, actual=total, difference=total - HUNDRED, tol=band))
    return findings


_LEFTOVERS = re.compile(r"X{2,}|Ｘ{2,}|×{2,}|增加\(减少\)|减少\(增加\)|增长\(下降\)|下降\(增长\)|\(增长\)|\(下降\)|\(增加\)|\(减少\)"
                        r"|大于\(小于\)|小于\(大于\)|\(如持平作持平表述\)|\(不涉及的不列\)|主要原因[:：]?XX")
_MISSING_PERCENT = re.compile(r"(占比?|完成(?:年初)?预算的?|增长了?|下降了?)(\d+(?:\.\d+)?)(?![\d.%万元个辆人次批])")


@rule("FA-N013", "error", "模板文字残留或百分号缺失", "Template leftovers or missing % signs")
def template_leftovers(check: Check) -> list[Finding]:
    """The narrative carries no template placeholders (XX, XXXXXXXX), no unresolved alternatives
    ("增加（减少）", "（增长）", "大于（小于）") and no template instructions ("（如持平作持平表述）"); a share,
    rate or growth figure carries its % sign (missing % is a warning). Basis: primer, "no template
    leftovers; % signs present"."""
    if not check.report.narrative:
        raise NotApplicable("no narrative")
    findings = []
    for section in check.report.narrative:
        for paragraph in section.paragraphs:
            text = normalise(paragraph.text)
            ref = CellRef(None, "narrative", section.number or "—", None, None, line=paragraph.line, page=paragraph.page)
            for match in _LEFTOVERS.finditer(text):
                findings.append(check.finding(ref, f"模板文字残留“{match[0]}”：{text[max(0, match.start() - 20):match.end() + 20]}",
                                              f"template leftover {match[0]!r}"))
            for match in _MISSING_PERCENT.finditer(text):
                findings.append(check.finding(ref, f"“{match[0]}”缺少百分号", f"{match[0]!r}: % sign missing",
                                              severity="warning"))
    return findings


_UNIT_NAME = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:局|办公室|委员会|厅|中心|院|所|站|馆|部|处|队))(?:\(本级\))?(?=(?:19|20)\d{2}年度)")


@rule("FA-N014", "error", "年度或单位名称前后不一致", "Year or department name inconsistent")
def same_year_and_name(check: Check) -> list[Finding]:
    """The narrative speaks of the report's year throughout: "YYYY年度" is the report year or (in a
    comparison) the year before; "与YYYY年相比"/"比YYYY年" is the year before; "截至YYYY年12月31日" is the
    report year. A department named before "YYYY年度" is the report's department (a warning: it may be a
    unit of it). Basis: primer, "The same year, unit and department name throughout"."""
    report = check.report
    year = report.meta.year
    if not report.narrative:
        raise NotApplicable("no narrative")
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    department = normalise(report.meta.department or "")
    for section in report.narrative:
        for paragraph in section.paragraphs:
            text = normalise(paragraph.text)
            ref = CellRef(None, "narrative", section.number or "—", None, None, line=paragraph.line, page=paragraph.page)
            wrong = []
            for match in re.finditer(r"(?:与|比)((?:19|20)\d{2})年度?(?:相比|决算|同期)?", text):
                if int(match[1]) != year - 1:
                    wrong.append((match[0], year - 1))
            for match in re.finditer(r"截[至止]((?:19|20)\d{2})年12月31日", text):
                if int(match[1]) != year:
                    wrong.append((match[0], year))
            for match in re.finditer(r"(?<![与比\d])((?:19|20)\d{2})年度", text):
                if int(match[1]) not in (year, year - 1):
                    wrong.append((match[0], year))
            for found, expected in wrong:
                findings.append(check.finding(ref, f"年度不符：“{found}”，报告年度为 {year}（应为 {expected}）",
                                              f"year mismatch: {found!r}; report year {year} (expected {expected})"))
            for match in _UNIT_NAME.finditer(text):
                name = match[1]
                if department and name not in department and department not in name and not name.startswith(("本", "年度")):
                    findings.append(check.finding(ref, f"单位名称“{name}”与报告单位“{report.meta.department}”不同",
                                                  f"unit name {name!r} differs from the report's {report.meta.department!r}",
                                                  severity="warning"))
    return findings


@rule("FA-N015", "warning", "项目编号重复或跳号", "Item numbering repeats or skips")
def item_numbering(check: Check) -> list[Finding]:
    """The 项 quoted one by one ("1.…（项）", "2.…") are numbered 1, 2, 3 … without repeats or gaps, so that
    each can be cited. Basis: template layout (按上述格式依次说明到各项级科目)."""
    found = of_kind(narrative_claims(check), Item)
    findings = []
    for section in dict.fromkeys(i.section for i in found):
        items = [i for i in found if i.section == section and i.number.isdigit()]
        for expected, item in enumerate(items, start=int(items[0].number) if items else 1):
            if int(item.number) != expected:
                findings.append(check.finding(item.ref(), f"第{expected}项编号为“{item.number}.”：{item.name}",
                                              f"item {expected} is numbered {item.number}: {item.name}"))
                break
    return findings


@rule("FA-N016", "warning", "文中款名称与表中科目不符", "Quoted 款 name differs from the table's")
def item_names(check: Check) -> list[Finding]:
    """A 项 quoted as "X（类）Y（款）Z（项）" is found in the table by its names; where the 款 name Y is the
    official name of another 款 than the one the 项 sits under in the table, the text names the wrong 款.
    Basis: primer, code checks (names are those of that year's list)."""
    findings = []
    for item in of_kind(narrative_claims(check), Item):
        if item.code and item.kuan_code and not item.code.startswith(item.kuan_code):
            findings.append(check.finding(item.ref(item.actual), f"{item.name}：款名称对应 {item.kuan_code}，表中该项为 {item.code}",
                                          f"{item.name}: the 款 name is {item.kuan_code}, the table has the item as {item.code}",
                                          cells=(item.ref(item.actual), table_cell(check, item.link)) if item.link else ()))
    return findings

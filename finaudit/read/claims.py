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
from typing import Iterator

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
            pieces.append(text)
            length += len(text)
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



"""Words for a reader, in one place: the bilingual text type and the catalogue of load-warning codes.

A text meant for a reader is a ``Text`` (中文, English); a language switch is ``text.get(lang)``, a lookup.
Load-warning codes are one enumeration (``LoadCode``: each value is the stable string the loaders pass and
users filter on); each has its message in both languages here (``LOAD_MESSAGES``), filled from the warning's
own fields, so a Chinese message never carries the loader's English.

Which script a text may hold: a Chinese text holds no English word of its own (only figures, codes, units
such as %, and the document's content); an English text holds no Chinese character and no full-width
punctuation of its own. Chinese in an English text is the document's content — a name, a heading, a row label
or a sentence the document prints — which no translation may replace: it is cited as printed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

LANGS = ("zh", "en")


class Text(NamedTuple):
    """A text meant for a reader, in Chinese and in English: 表4 第717行 / Table 4 line 717."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """The text in `lang` ("zh" or "en")."""
        return getattr(self, lang)

    def format(self, **fields) -> Text:
        """Both templates filled: a field that is a ``Text`` reads in each template's language."""
        return Text(*(template.format(**{k: v[i] if isinstance(v, Text) else v for k, v in fields.items()})
                      for i, template in enumerate(self)))


def joined(items: list[Text]) -> Text:
    """Items one after another: 甲、乙 / a, b."""
    return Text("、".join(t.zh for t in items), ", ".join(t.en for t in items))


def listing(items: list[Text], limit: int = 8) -> Text:
    """Places or names in parentheses, at most `limit` of them: （第3页、第4页等） / (page 3, page 4, …); nothing for none."""
    if not items:
        return Text("", "")
    more = len(items) > limit
    shown = items[:limit]
    return Text(f"（{'、'.join(t.zh for t in shown)}{'等' if more else ''}）",
                f" ({', '.join(t.en for t in shown)}{', …' if more else ''})")


def quoted(content: str) -> Text:
    """The document's own words as a message quotes them: “本表无数据” / '本表无数据'; nothing for none."""
    return Text(f"“{content}”", f" '{content}'") if content else Text("", "")


#: What a narrative counts (``read.claims.Count.key``), and the kind of guests a count of them may be limited to.
COUNT_NAMES: dict[str, Text] = {
    "vehicles": Text("车辆", "vehicles"),
    "trips": Text("出国团组", "trips abroad"),
    "people": Text("出国人次", "people abroad"),
    "receptions": Text("接待批次", "receptions"),
    "visitors": Text("接待人次", "visitors"),
    "domestic": Text("（国内）", " (domestic)"),
    "foreign": Text("（外事）", " (foreign)"),
}


class LoadCode(StrEnum):
    """What a loader could not fit: permanent codes (users filter on them), one message each in ``LOAD_MESSAGES``."""

    AMOUNT_NOT_NUMERIC = "amount-not-numeric"
    AMOUNT_PRECISION = "amount-precision"
    AMOUNT_TOO_LARGE = "amount-too-large"
    CODE_PART_SHORT = "code-part-short"
    GLOSSARY_UNPARSED = "glossary-unparsed"
    HEADER_UNALIGNED = "header-unaligned"
    HEADER_UNRECOGNISED = "header-unrecognised"
    META_CONFLICT = "meta-conflict"
    META_FILE_NAME = "meta-file-name"
    META_MISSING = "meta-missing"
    NARRATIVE_MISSING = "narrative-missing"
    PAGE_NO_TEXT = "page-no-text"
    PAGE_OVERFLOW = "page-overflow"
    PAGE_SCANNED = "page-scanned"
    PAGE_UNREADABLE = "page-unreadable"
    ROW_EXTRA = "row-extra"
    ROW_MISALIGNED = "row-misaligned"
    ROW_NUMBER_INVALID = "row-number-invalid"
    TABLE_DUPLICATE = "table-duplicate"
    TABLE_NO_ROWS = "table-no-rows"
    TABLE_NO_RULES = "table-no-rules"
    TABLE_UNKNOWN = "table-unknown"
    TABLE_UNTITLED = "table-untitled"
    TABLES_ABSENT = "tables-absent"
    TEXT_OUTSIDE_ROWS = "text-outside-rows"


#: Each load-warning code's message; ``{subject}`` is the document text the warning is about, quoted (or nothing).
LOAD_MESSAGES: dict[LoadCode, Text] = {
    LoadCode.AMOUNT_NOT_NUMERIC: Text("金额栏的{subject}不是数字，按空白处理", "amount{subject} is not a number; left blank"),
    LoadCode.AMOUNT_PRECISION: Text("金额{subject}超过两位小数，按空白处理", "amount{subject} has more than two decimals; left blank"),
    LoadCode.AMOUNT_TOO_LARGE: Text("金额{subject}位数过多", "amount{subject} has too many digits"),
    LoadCode.CODE_PART_SHORT: Text("科目编码{subject}的款或项只印了一位数字，已按补0读取",
                                   "code{subject} prints a 2-digit part as one digit; read with a leading 0"),
    LoadCode.GLOSSARY_UNPARSED: Text("名词解释中的{subject}不是“名词：解释”的格式",
                                     "glossary line{subject} is not of the form 'term: definition'"),
    LoadCode.HEADER_UNALIGNED: Text("表头一行未能按表格左右两侧分开", "a header row does not split into the table's sides"),
    LoadCode.HEADER_UNRECOGNISED: Text("未能识别列标题{subject}，该列的数未能对应", "column header{subject} not recognised; its figures are not placed"),
    LoadCode.META_CONFLICT: Text("文件对自身的说法前后不一致{subject}，采用了先出现的说法",
                                 "the document describes itself in two ways{subject}; the first is kept"),
    LoadCode.META_FILE_NAME: Text("文件未写明部门或年度等信息，取自文件名{subject}",
                                  "the document does not name its department or year: taken from the file name{subject}"),
    LoadCode.META_MISSING: Text("未找到部门名称和年度", "department and year not found"),
    LoadCode.NARRATIVE_MISSING: Text("未找到第三部分情况说明", "no narrative part found"),
    LoadCode.PAGE_NO_TEXT: Text("该页没有文字，未读取", "the page has no text; nothing read from it"),
    LoadCode.PAGE_OVERFLOW: Text("该页只有空白的表格线（表格跨页），未读取", "the page holds only empty ruled rows (a table running over); nothing read from it"),
    LoadCode.PAGE_SCANNED: Text("该页是没有文字层的图片（扫描件？），未读取", "the page is an image without a text layer (scanned?); nothing read from it"),
    LoadCode.PAGE_UNREADABLE: Text("该页无法读取", "the page could not be read"),
    LoadCode.ROW_EXTRA: Text("“三公”经费表有不止一行数据，只读取了第一行", "the three public expenses table has more than one data row; the first is kept"),
    LoadCode.ROW_MISALIGNED: Text("该行的单元格数与表头的列数不符，已自左向右放置",
                                  "a row's cells do not match the header's columns; placed left to right"),
    LoadCode.ROW_NUMBER_INVALID: Text("行次{subject}不是数字", "row number{subject} is not a number"),
    LoadCode.TABLE_DUPLICATE: Text("同类表格出现第二张{subject}，只读取了第一张", "a second table of the same kind{subject}; the first is kept"),
    LoadCode.TABLE_NO_ROWS: Text("表格{subject}没有数据行，也没有“本表无数据”之类的说明",
                                 "table{subject} has no data rows and no statement that it is empty"),
    LoadCode.TABLE_NO_RULES: Text("表格标题下没有找到带线的表格，未读取其中的行", "no ruled table under the title; its rows are not read"),
    LoadCode.TABLE_UNKNOWN: Text("表格标题{subject}不属于任何已知表格", "table title{subject} matches no known table"),
    LoadCode.TABLE_UNTITLED: Text("表格标题之前有一张带线的表格，未读取", "a ruled table before any table title; not read"),
    LoadCode.TABLES_ABSENT: Text("本文件中没有报表，只读取情况说明；报表另行公开的，请同时读取两个文件",
                                 "no tables in this file: its narrative is read alone; if the tables are published as "
                                 "another file, read both together"),
    LoadCode.TEXT_OUTSIDE_ROWS: Text("表格内有一段不属于任何一行的文字{subject}", "text{subject} inside a table but outside its rows"),
}

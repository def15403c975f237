"""What a document is: 决算 (final) or 预算 (budget), 部门 (department) or 单位 (unit), its year,
department and unit names — read from every place that says so, and compared.

The signals, each with where it was printed:

- the cover or heading line: "上海市普陀区2025年区级部门预算", "XX局2017年部门决算", "…单位预算";
- the cover's "预算主管部门：…" (a department document) or "预算单位：…" (a unit document);
- each table's "编制部门：…" / "编制单位：…" line;
- the table titles: "2025年部门财务收支预算总表", "2025年预算单位收入预算总表", "…决算表".

A field takes the value of the first signal in that order (cover, then 编制 lines, then titles);
when two signals disagree (a 单位预算 whose tables say 编制部门, a 2025 cover over 2024 tables) the
document says two things, and ``settle`` returns a ``meta-conflict`` load warning naming both —
it does not pick one silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from finaudit.model import LoadWarning, Meta

_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
#: A name: it may hold digits ("第3中学", "2号仓库") but does not start with one (a page number or list
#: number run into the heading once whitespace is gone); the year is told apart by its 年.
_NAME = r"[^\s，。：:0-9][^\s，。：:]"
#: "XX局2017年部门决算", "上海市普陀区2025年区级部门预算", "2025年区级单位预算" (a whole short line).
_HEADLINE = re.compile(
    r"^(?P<prefix>(?:" + _NAME + r"{0,39}?)?)" + _YEAR + r"(?:区级|市级|县级|省级|州级|本级)?"
    r"(?P<scope>部门|单位)(?P<kind>决算|预算)(?:公开)?$"
)
#: "XX局2017年度部门决算" (or "XX中心2025年单位预算") inside a longer heading (a cover or 第二部分 line).
_FINAL_HEADING = re.compile(r"(?P<department>" + _NAME + r"{1,39}?)" + _YEAR + r"(?P<scope>部门|单位)(?P<kind>决算|预算)")
_SPACE = re.compile(r"[\s\u3000\xa0]")
_PART_NUMBER = re.compile(r"^第[一二三四五六七八九十]+部分[：:]?")
_COVER = re.compile(r"^预算(?P<role>主管部门|单位)[：:](?P<name>\S{2,60})$")
_PREPARER = re.compile(r"编制(?P<role>部门|单位)[：:](?P<name>[^\s：:]{2,60}?)(?=单位[：:]|金额单位|$)")
_TITLE = re.compile(r"^(?:" + _YEAR + r")?(?P<scope>部门|预算单位|单位)?.*?(?P<kind>决算|预算)(?:明细|总)?表$")
_SCOPE = {"部门": "department", "主管部门": "department", "单位": "unit", "预算单位": "unit"}
_KIND = {"决算": "final", "预算": "budget"}
_FIELD_ZH = {"kind": "文件类型", "scope": "部门/单位", "year": "年度", "department": "部门名称", "unit_name": "单位名称"}
_VALUE_ZH = {"final": "决算", "budget": "预算", "department": "部门", "unit": "单位"}


@dataclass(frozen=True)
class Signal:
    """One statement of a meta field: field, value, what said it (cover | preparer | title), where."""

    field: str
    value: object
    source: str
    text: str
    line: int | None = None
    page: int | None = None

    def where(self) -> str:
        return f"page {self.page}" if self.page else f"line {self.line}" if self.line else "?"


def signals(lines: Iterable[tuple[str, int | None, int | None]]) -> list[Signal]:
    """Every signal among the lines (text, line number, page); only short lines can be headings."""
    found: list[Signal] = []
    for raw, line, page in lines:
        text = _SPACE.sub("", raw)
        if not text or len(text) > 80:
            continue
        at = dict(text=raw.strip(), line=line, page=page)
        if len(text) <= 40 and not text.endswith("。"):
            headline = _HEADLINE.match(text)
            if headline:
                found += [Signal("year", int(headline["year"]), "cover", **at),
                          Signal("kind", _KIND[headline["kind"]], "cover", **at),
                          Signal("scope", _SCOPE[headline["scope"]], "cover", **at)]
                prefix = headline["prefix"]
                if headline["scope"] == "部门" and prefix and not prefix.endswith(("区", "市", "县", "省", "州")):
                    found.append(Signal("department", prefix, "cover", **at))
                continue
        cover = _COVER.match(text)
        if cover:
            role = _SCOPE[cover["role"]]
            found += [Signal("scope", role, "cover", **at),
                      Signal("department" if role == "department" else "unit_name", cover["name"], "cover", **at)]
            continue
        preparer = _PREPARER.search(text)
        if preparer:
            role = _SCOPE[preparer["role"]]
            found += [Signal("scope", role, "preparer", **at),
                      Signal("department" if role == "department" else "unit_name", preparer["name"], "preparer", **at)]
            continue
        if len(text) <= 50 and text.endswith("表") and "。" not in text:
            title = _TITLE.match(re.sub(r"^(?:表[一二三四五六七八九十\d]+[、.．:：]?|\d{1,2}[、.．:：])", "", text))
            if title:
                found.append(Signal("kind", _KIND[title["kind"]], "title", **at))
                if title["year"]:
                    found.append(Signal("year", int(title["year"]), "title", **at))
                if title["scope"]:
                    found.append(Signal("scope", _SCOPE[title["scope"]], "title", **at))
                continue
        heading = _FINAL_HEADING.search(_PART_NUMBER.sub("", text))
        if heading and len(text) <= 60 and not re.search(r"[，。、；,;]", text):
            scope = _SCOPE[heading["scope"]]
            found += [Signal("year", int(heading["year"]), "cover", **at),
                      Signal("kind", _KIND[heading["kind"]], "cover", **at),
                      Signal("scope", scope, "cover", **at),
                      Signal("department" if scope == "department" else "unit_name", heading["department"], "cover", **at)]
    return found


_ORDER = {"cover": 0, "preparer": 1, "title": 2}


def settle(meta: Meta, found: list[Signal]) -> list[LoadWarning]:
    """Fill the meta's kind, scope, year, department and unit name from the signals; a warning
    for every field the document states in two different ways."""
    warnings: list[LoadWarning] = []
    for name in ("kind", "scope", "year", "department", "unit_name"):
        said = sorted((s for s in found if s.field == name), key=lambda s: _ORDER[s.source])
        if not said:
            continue
        chosen = said[0]
        setattr(meta, name, chosen.value)
        other = next((s for s in said if s.value != chosen.value), None)
        if other is not None:
            show = lambda s: _VALUE_ZH.get(s.value, str(s.value))
            warnings.append(LoadWarning(
                "meta-conflict", other.line,
                f"{_FIELD_ZH[name]}（{name}）: {chosen.text!r} ({chosen.where()}) says {show(chosen)}, "
                f"{other.text!r} ({other.where()}) says {show(other)}; kept {show(chosen)}",
                page=other.page,
            ))
    return warnings

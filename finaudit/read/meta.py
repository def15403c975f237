"""What a document is: 决算 (final) or 预算 (budget), 部门 (department) or 单位 (unit), its year,
department and unit names — read from every place that says so, and compared.

The signals, each with where it was printed:

- the cover or a heading line: "上海市普陀区2025年区级部门预算", "XX局2017年部门决算", "…单位预算",
  "2026年广州市XX局部门预算", "XX局（汇总）2026年部门预算公开说明", "2026年度XX局（本级）单位预算公开"; a
  cover may break its title over two or three short lines ("北京市XX局" / "2026年度部门预算信息公开"),
  so the first lines of the cover are also read joined;
- the cover's "预算主管部门：…" (a department document) or "预算单位：…" (a unit document);
- each table's "编制部门：…" / "编制单位：…" / "部门：…" line;
- the table titles: "2025年部门财务收支预算总表", "2025年预算单位收入预算总表", "…决算表";
- last, for what the text does not say, the file's name ("…附件2：北京市XX局2026年度部门预算报表.pdf"):
  a ``meta-file-name`` load note says which fields came from it.

A name qualified "（汇总）" is a department document (it consolidates the department's units); one
qualified "（本级）" is the unit document of the department's own office: its department is the name
without the qualifier. A field takes the value of the first signal in the order cover, 编制 lines,
titles, file name; when two signals of the document disagree (a 单位预算 whose tables say 编制部门, a
2025 cover over 2024 tables) the document says two things, and ``settle`` returns a ``meta-conflict``
load warning naming both — it does not pick one silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from finaudit.read.patterns import lazy
from finaudit.model import LoadWarning, Meta

_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
#: A name: it may hold digits ("第3中学", "2号仓库") but does not start with one (a page number or list
#: number run into the heading once whitespace is gone); the year is told apart by its 年.
_NAME = r"[^\s，。：:、0-9][^\s，。：:、]"
_LEVEL = r"(?:区级|市级|县级|省级|州级|本级|乡级|镇级)?"
#: 部门/单位 (either may be left out: "XX法院预算公开"), 综合 ("部门综合预算"), 预算/决算.
_WHAT = r"(?P<scope>部门|单位)?(?:综合)?(?P<kind>决算|预算)"
#: What a document's title may say after the kind: "…部门预算信息公开", "…公开说明", "…情况说明", "…报表", "…公开表".
_SUFFIX = r"(?:信息)?(?:公开)?(?:情况)?(?:说明|文件|报表|表格|表)?"
#: A whole short line: "XX局2017年部门决算", "上海市普陀区2025年区级部门预算", "2025年区级单位预算",
#: "XX局部门2026年度部门预算信息公开", "XX办公室单位2026年度预算".
_HEADLINE = lazy(r"^(?P<name>" + _NAME + r"{0,39}?)?(?P<scope0>部门|单位)?" + _YEAR + _LEVEL + _WHAT + _SUFFIX + "$")
#: A whole short line, the year first: "2026年广州市XX局部门预算", "2018年度江苏省高级人民法院预算公开".
_YEAR_FIRST = lazy("^" + _YEAR + r"(?P<name>" + _NAME + r"{1,39}?)" + _LEVEL + _WHAT + _SUFFIX + "$")
#: A whole short line, the year last in brackets: "国家统计局部门预算（2026）", "XX局部门决算(2025年度)".
_YEAR_LAST = lazy(r"^(?P<name>" + _NAME + r"{1,39}?)" + _LEVEL + _WHAT + _SUFFIX
                  + r"[（(](?P<year>(?:19|20)\d{2})\s*(?:年度?)?[）)]$")
#: "XX局2017年度部门决算" (or "XX中心2025年单位预算") inside a longer heading (a cover or 第二部分 line).
_FINAL_HEADING = lazy(r"(?P<name>" + _NAME + r"{1,39}?)" + _YEAR + r"(?P<scope>部门|单位)(?P<kind>决算|预算)")
_SPACE = lazy(r"[\s\u3000\xa0]")
_PART_NUMBER = lazy(r"^第[一二三四五六七八九十]+部分[：:]?")
_ENUMERATION = lazy(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])")
_COVER = lazy(r"^预算(?P<role>主管部门|单位)[：:](?P<name>\S{2,60})$")
#: "编制单位：XX 单位：元", "部门：XX 单位：万元", "主管部门：XX", "单位名称：XX" (a form's filer: a department
#: or a unit, as the document's scope says).
_PREPARER = lazy(r"(?:^|(?<=编制|主管))(?P<role>部门|单位)(?P<label>名称)?[：:](?P<name>[^\s：:]{2,60}?)(?=(?:金额)?单位[：:]|$)")
_MONEY = lazy(r"^(?:人民币)?(?:元|万元|千元|亿元|百万元)")
_TITLE = lazy(r"^(?:" + _YEAR + r")?(?P<scope>部门|预算单位|单位)?.*?(?P<kind>决算|预算)(?:明细|总)?表$")
#: "（汇总）": the department's consolidated document; "（本级）": the unit document of its own office.
_QUALIFIER = lazy(r"[（(](?P<what>汇总|本级)[）)]$")
#: What a name is not: words of a sentence or a title (关于…的通知, 编制…), a list, an attachment label.
_NOT_A_NAME = lazy(r"关于|根据|按照|依据|编制|通知|目录|情况|说明|附件|附表|的|[，,；;。“”\"]|"
                         r"经费|支出|收入|拨款|资金|一般公共|政府性基金|国有资本|三公|^第[一二三四五六七八九十]+部分")
_REGION_END = ("区", "市", "县", "省", "州")
_CONTENTS = {"目", "录", "目录"}
_SCOPE = {"部门": "department", "主管部门": "department", "单位": "unit", "预算单位": "unit"}
_KIND = {"决算": "final", "预算": "budget"}
_FIELD_ZH = {"kind": "文件类型", "scope": "部门/单位", "year": "年度", "department": "部门名称", "unit_name": "单位名称"}
_VALUE_ZH = {"final": "决算", "budget": "预算", "department": "部门", "unit": "单位"}
#: The cover: at most this many lines before the table of contents or the first part are read joined.
_COVER_LINES = 8


@dataclass(frozen=True)
class Signal:
    """One statement of a meta field: field, value, what said it (cover | preparer | title | file), where."""

    field: str
    value: object
    source: str
    text: str
    line: int | None = None
    page: int | None = None

    def where(self) -> str:
        if self.source == "file":
            return "file name"
        return f"page {self.page}" if self.page else f"line {self.line}" if self.line else "?"


def signals(lines: Iterable[tuple[str, int | None, int | None]]) -> list[Signal]:
    """Every signal among the lines (text, line number, page): the cover's first lines read joined,
    then each short line (only short lines can be headings)."""
    lines = list(lines)
    found = cover_signals(lines)
    for raw, line, page in lines:
        text = _SPACE.sub("", raw)
        if not text or len(text) > 80:
            continue
        found += line_signals(text, dict(text=raw.strip(), line=line, page=page))
    return found


def cover_signals(lines: list[tuple[str, int | None, int | None]]) -> list[Signal]:
    """A title the cover breaks over two or three short lines ("北京市XX局" / "2026年度部门预算信息公开",
    "2026年" / "广州市XX局部门预算"): the first lines, before the contents or the first part, joined."""
    cover: list[tuple[str, int | None, int | None]] = []
    for raw, line, page in lines:
        text = _SPACE.sub("", raw)
        if text in _CONTENTS or text.startswith("目录") or _PART_NUMBER.match(text) or len(cover) >= _COVER_LINES:
            break
        if cover and page != cover[0][2]:
            break
        if text:
            cover.append((text, line, page))
    found: list[Signal] = []
    for width in (2, 3):
        for i in range(len(cover) - width + 1):
            joined = "".join(text for text, _, _ in cover[i : i + width])
            at = dict(text=" ".join(text for text, _, _ in cover[i : i + width]), line=cover[i][1], page=cover[i][2])
            if len(joined) <= 60:
                found += headline(joined, "cover", at)
    return found


def line_signals(text: str, at: dict) -> list[Signal]:
    """The signals of one line (without whitespace): a headline, a cover's 预算单位/主管部门 line, a
    编制/部门 line, a table title, or a heading naming the document inside a longer line."""
    names_kind = "决算" in text or "预算" in text  # what every signal but a preparer's line must say
    if names_kind and len(text) <= 40 and not text.endswith("。"):
        found = headline(_ENUMERATION.sub("", _PART_NUMBER.sub("", text)), "cover", at, bare=False)
        if found:
            return found
    cover = names_kind and _COVER.match(text)
    if cover:
        scope = _SCOPE[cover["role"]]
        return [Signal("scope", scope, "cover", **at), *named(scope, cover["name"], "cover", at)]
    preparer = ("：" in text or ":" in text) and _PREPARER.search(text)
    if preparer and not _MONEY.match(preparer["name"]):
        if preparer["role"] == "单位" and preparer["label"]:
            return [Signal("entity", preparer["name"], "preparer", **at)] if plausible(preparer["name"]) else []
        scope = _SCOPE[preparer["role"]]
        return [Signal("scope", scope, "preparer", **at), *named(scope, preparer["name"], "preparer", at)]
    if not names_kind:
        return []
    if len(text) <= 50 and text.endswith("表") and "。" not in text:
        title = _TITLE.match(re.sub(r"^(?:表[一二三四五六七八九十\d]+[、.．:：]?|\d{1,2}[、.．:：])", "", text))
        if title:
            found = [Signal("kind", _KIND[title["kind"]], "title", **at)]
            if title["year"]:
                found.append(Signal("year", int(title["year"]), "title", **at))
            if title["scope"]:
                found.append(Signal("scope", _SCOPE[title["scope"]], "title", **at))
            return found
    heading = len(text) <= 60 and _FINAL_HEADING.search(_PART_NUMBER.sub("", text))
    if heading and not re.search(r"[，。、；,;]", text):
        scope = _SCOPE[heading["scope"]]
        return [Signal("year", int(heading["year"]), "cover", **at),
                Signal("kind", _KIND[heading["kind"]], "cover", **at),
                Signal("scope", scope, "cover", **at),
                *named(scope, heading["name"], "cover", at)]
    return []


def headline(text: str, source: str, at: dict, bare: bool = True) -> list[Signal]:
    """A whole line (or joined cover lines) that names the document: year, kind, scope and the name.
    ``bare``: the year first and no 部门/单位 ("2018年度XX法院预算公开") is a headline too (on a cover, a
    file name: elsewhere such a line is a sentence's subject, "2026年一般公共预算…")."""
    match = _HEADLINE.match(text) or _YEAR_LAST.match(text)
    year_first = match is None
    match = match or _YEAR_FIRST.match(text)
    if not match or (not bare and year_first and not match["scope"]):
        return []
    found = [Signal("year", int(match["year"]), source, **at), Signal("kind", _KIND[match["kind"]], source, **at)]
    scope = match["scope"] or match.groupdict().get("scope0")
    name = match["name"] or ""
    if name.endswith(("部门", "单位")) and not scope:  # "2026年度部门预算": the name is the scope
        name, scope = name[:-2], name[-2:]
    if scope:
        found.append(Signal("scope", _SCOPE[scope], source, **at))
    if name and not name.endswith(_REGION_END):
        found += named(_SCOPE[scope] if scope else None, name, source, at)
    return found


def named(scope: str | None, name: str, source: str, at: dict) -> list[Signal]:
    """The signals of a name in a document of that scope (None: not stated): a department's name,
    a unit's, or — qualified （本级） — a unit's that names its department; （汇总） a department's."""
    name = name.strip()
    qualifier = _QUALIFIER.search(name)
    bare = name[: qualifier.start()] if qualifier else name
    if not plausible(bare):
        return []
    if qualifier and qualifier["what"] == "汇总":
        return [Signal("scope", "department", source, **at), Signal("department", bare, source, **at)]
    if qualifier:  # 本级: the department's own office, as a unit
        return [Signal("scope", "unit", source, **at), Signal("unit_name", name, source, **at),
                Signal("department", bare, source, **at)]
    if scope == "unit":
        return [Signal("unit_name", name, source, **at)]
    return [Signal("department", name, source, **at)]


def plausible(name: str) -> bool:
    """A department's or unit's name: two characters or more, not words of a sentence or a title."""
    return len(name) >= 2 and not _NOT_A_NAME.search(name) and name not in _SCOPE


def file_signals(path: str | PurePath) -> list[Signal]:
    """What the file's name says (the last resort): each part of the name ("北京__XX局_附件2：北京市XX局
    2026年度部门预算报表") read as a headline."""
    stem = PurePath(path).stem
    found: list[Signal] = []
    at = dict(text=PurePath(path).name, line=None, page=None)
    for part in re.split(r"[_\s：:、，,\-—]+", _SPACE.sub(" ", stem)):
        part = re.sub(r"^(?:附件|附表)[\d一二三四五六七八九十]*", "", part)
        part = _YEAR_WITHOUT_NIAN.sub(r"\1年", part)  # a name's year without its 年: "…2018度…", "…2018预算公开"
        found += headline(part, "file", at)
    return found


_YEAR_WITHOUT_NIAN = lazy(r"(?<!\d)((?:19|20)\d{2})(?=度|部门|单位|预算|决算)")


_ORDER = {"cover": 0, "preparer": 1, "title": 2, "file": 3}


def _agrees(a: object, b: object) -> bool:
    """The same value; for names, one inside the other (a 编制 line wrapped in a narrow cell, a heading
    that leaves out the province: "省委办公厅" in "江苏省委办公厅")."""
    if isinstance(a, str) and isinstance(b, str):
        return a in b or b in a
    return a == b


def settle(meta: Meta, found: list[Signal]) -> list[LoadWarning]:
    """Fill the meta's kind, scope, year, department and unit name from the signals; a warning
    for every field the document states in two different ways, and a note naming the fields that
    only the file's name gave."""
    warnings: list[LoadWarning] = []
    from_file = []
    for name in ("kind", "scope", "year", "department", "unit_name"):
        # a form's "单位名称" names the filer: the unit of a 单位 document, else the department
        filer = "unit_name" if meta.scope == "unit" else "department"
        said = sorted((s for s in found if s.field == name or (s.field == "entity" and name == filer)),
                      key=lambda s: _ORDER[s.source])
        if not said:
            continue
        chosen = said[0]
        setattr(meta, name, chosen.value)
        if chosen.source == "file":
            from_file.append(f"{_FIELD_ZH[name]} {_VALUE_ZH.get(chosen.value, chosen.value)}")
        other = next((s for s in said if s.source != "file" and not _agrees(s.value, chosen.value)), None)
        if other is not None:
            show = lambda s: _VALUE_ZH.get(s.value, str(s.value))
            warnings.append(LoadWarning(
                "meta-conflict", other.line,
                f"{_FIELD_ZH[name]}（{name}）: {chosen.text!r} ({chosen.where()}) says {show(chosen)}, "
                f"{other.text!r} ({other.where()}) says {show(other)}; kept {show(chosen)}",
                page=other.page, subject=other.text,
            ))
    if from_file:
        warnings.append(LoadWarning("meta-file-name", None, f"the document does not say its {', '.join(from_file)}: "
                                    f"taken from the file name {PurePath(meta.source or '').name!r}",
                                    subject=PurePath(meta.source or "").name))
    return warnings


def missing(meta: Meta) -> LoadWarning | None:
    """The load warning of a document that names neither its department (or unit) nor its year."""
    if meta.year is not None and meta.entity:
        return None
    return LoadWarning("meta-missing", None, f"department and year not found (expected e.g. "
                       f"'XX局2024年度部门{meta.kind_zh}')")


def read_meta(meta: Meta, lines: Iterable[tuple[str, int | None, int | None]]) -> tuple[list[Signal], list[LoadWarning]]:
    """Fill the meta from the document's lines (text, line, page), then from its file name for what
    they do not say; the signals found and the load warnings (conflicts, file-name note, missing)."""
    found = signals(lines)
    if meta.source:
        found += file_signals(meta.source)
    warnings = settle(meta, found)
    lacking = missing(meta)
    return found, warnings + ([lacking] if lacking else [])

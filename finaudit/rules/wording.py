"""The text checks that apply to every document kind (final accounts and budgets alike): a reason that
stops short, doubled punctuation, unbalanced quotes and brackets (FA-N020 …). They read the words, not
the numbers; codes are permanent.
"""

from __future__ import annotations

import re
from typing import Iterator

from finaudit.read.patterns import lazy
from finaudit.findings import CellRef, Finding
from finaudit.model import Paragraph
from finaudit.read.claims import normalise
from finaudit.rules.registry import BOTH, Check, NotApplicable, rule


def passages(check: Check) -> Iterator[tuple[CellRef, list[Paragraph]]]:
    """The overview (第一部分 概况), every narrative section (its title first) and the glossary (名词解释, each term
    with its definition), with the paragraphs and reference."""
    report = check.report
    if not report.narrative and not report.overview and not report.glossary:
        raise NotApplicable("no narrative")
    check.examined(len(report.narrative) + bool(report.overview) + bool(report.glossary))  # every passage is read
    if report.overview:
        first = report.overview[0]
        yield CellRef(None, "narrative", "概况", None, None, line=first.line, page=first.page), report.overview
    for section in report.narrative:
        title = Paragraph(section.line, section.title, section.page)  # a title may wrap into the text
        yield CellRef(None, "narrative", section.number or "—", None, None, line=section.line, page=section.page), \
            [title, *section.paragraphs]
    if report.glossary:
        terms = [Paragraph(d.line, f"{d.term}：{d.text}", d.page) for d in report.glossary.values()]
        yield CellRef(None, "narrative", "名词解释", None, None, line=terms[0].line, page=terms[0].page), terms


def at(ref: CellRef, paragraph: Paragraph) -> CellRef:
    return ref._replace(line=paragraph.line, page=paragraph.page)


def excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - 20):end + 20]


#: A reason announced: "主要原因是", "原因如下：", "主要原因为：" (after NFKC the colon is half-width).
_REASON = lazy(r"(?:主要)?原因(?:是|为|在于|如下|包括|主要有)?:?")


_HEADING = lazy(r"^[一二三四五六七八九十]+、")  # a new section ("（一）" may list the reasons)


@rule("FA-N020", "error", "原因说明有头无尾", "A stated reason stops short", messages={
    "empty": ("“{text}”之后没有说明原因：{excerpt}", "{text!r} is followed by no reason"),
    "stop": ("“{text}”之后误用“{mark}”，原因写在下一句：{excerpt}", "{text!r} is followed by {mark!r}; the reason is in the next sentence"),
}, documents=BOTH)
def reason_stops_short(check: Check) -> list[Finding]:
    """Where the text announces a reason ("主要原因是", "原因如下：") the reason follows. An announcing phrase
    followed by the end of the sentence and nothing more in its paragraph, the section, or before the next
    heading ("主要原因是。") is a template sentence left unfinished (an error); one followed by a full stop with
    the reason in the next sentence ("主要原因是。人员增加……") is a punctuation slip (a warning). A reason set out
    in the next paragraph, as a list, is complete; "……是主要原因。" announces nothing. Basis: 财预〔2016〕143号
    (changes and budget variances are explained); primer, no template leftovers."""
    findings = []
    for ref, paragraphs in passages(check):
        texts = [(p, t) for p in paragraphs if (t := normalise(p.text))]
        for n, (paragraph, text) in enumerate(texts):
            for match in _REASON.finditer(text):
                announced = match.group().endswith((":", "是", "为", "在于", "如下", "包括", "主要有"))
                mark = text[match.end():match.end() + 1]
                if not announced or mark not in ("", "。", ";"):
                    continue
                follows = bool(re.search(r"[\u4e00-\u9fff]", text[match.end():])) or \
                    (n + 1 < len(texts) and not _HEADING.match(texts[n + 1][1]))
                if follows and not mark:
                    continue  # the reason is the next paragraph
                findings.append(check.say(
                    "stop" if follows else "empty", at(ref, paragraph), severity="warning" if follows else None,
                    about=f"reason:{match.group()}", text=match.group(), mark=mark,
                    excerpt=excerpt(text, match.start(), match.end())))
    return findings


_DOUBLED = lazy(r"([。,;、:!?])\1+")  # exactly two: a longer run is a leader or an ellipsis


@rule("FA-N021", "warning", "标点重复", "Doubled punctuation", messages={
    "doubled": ("标点重复“{text}”：{excerpt}", "doubled punctuation {text!r}"),
}, documents=BOTH)
def doubled_punctuation(check: Check) -> list[Finding]:
    """No punctuation mark is doubled ("。。", "，，", "；；", "、、", "：："): each is a slip of editing that a
    published text should not carry. (An ellipsis, "……", is not a doubled mark.) Basis: GB/T 15834 标点符号用法."""
    findings = []
    for ref, paragraphs in passages(check):
        for paragraph in paragraphs:
            text = normalise(paragraph.text)
            for match in (m for m in _DOUBLED.finditer(text) if len(m[0]) == 2):
                findings.append(check.say("doubled", at(ref, paragraph), about=f"doubled:{match[0]}",
                                          text=match[0],
                                          excerpt=excerpt(text, match.start(), match.end())))
    return findings


#: Opening and closing marks that come in pairs (after NFKC: full-width brackets are half-width).
PAIRS = (("“", "”"), ("‘", "’"), ("(", ")"), ("[", "]"), ("【", "】"), ("《", "》"), ("「", "」"), ("『", "』"))
#: List markers that close a bracket they never opened: "1)", "一)" at the start of a clause.
_ENUMERATOR = lazy(r"(?:^|(?<=[\n。;:,]))\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[a-zA-Z])\)")


@rule("FA-N022", "warning", "引号或括号不配对", "Unbalanced quotes or brackets", messages={
    "unbalanced": ("{opening}{closing} 不配对：{opened} 个“{opening}”，{closed} 个“{closing}”",
                   "{opening}{closing} unbalanced: {opened} opening, {closed} closing"),
}, documents=BOTH)
def balanced_marks(check: Check) -> list[Finding]:
    """In each section, quotes and brackets pair up: as many “ as ”, ( as ), 《 as 》 (full- and half-width
    alike). Counted over the whole section, so a pair broken across lines or pages is not a finding; list
    markers such as "1)" are not closing brackets. Basis: GB/T 15834 标点符号用法."""
    findings = []
    for ref, paragraphs in passages(check):
        text = "\n".join(normalise(p.text) for p in paragraphs)
        text = _ENUMERATOR.sub("", text)
        for opening, closing in PAIRS:
            opened, closed = text.count(opening), text.count(closing)
            if opened != closed:
                findings.append(check.say("unbalanced", ref, about=f"pair:{opening}{closing}", opening=opening,
                                          closing=closing, opened=opened, closed=closed))
    return findings

"""Words for a reader read in their own language (the rule in ``finaudit.words``): a Chinese text holds no
English word of its own, an English text no Chinese character and no full-width punctuation of its own;
Chinese in an English text is the document's content, which these tests check by finding it in the document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finaudit import load
from finaudit.audit import audit
from finaudit.model import LoadWarning
from finaudit.words import LABELS, LOAD_MESSAGES, LoadCode, Text, tr

ROOT = Path(__file__).resolve().parent.parent
#: Chinese characters and full-width punctuation (CJK symbols, full-width forms).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]+")
FIELD = re.compile(r"\{[^{}]*\}")
QUOTES = re.compile(r"[“”‘’\"'\s]")
#: An English word of two letters or more (a Chinese text may hold figures, %, codes such as FA-T001).
ENGLISH = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z]{2,}(?![A-Za-z0-9])")
#: English a Chinese text may hold: the tool's name, the rule codes' prefix, file formats.
ENGLISH_ALLOWED = {"finaudit", "FA", "PDF", "pdf", "txt", "MB"}


def foreign_in_chinese(text: str, content: str = "") -> list[str]:
    """The English words of `text` that are neither allowed nor the document's own (found in `content`)."""
    return [w for w in ENGLISH.findall(text) if w not in ENGLISH_ALLOWED and w not in content]


def foreign_in_english(text: str, content: str = "") -> list[str]:
    """The runs of Chinese or full-width punctuation in `text` that are not the document's own (in `content`,
    quotation marks and spaces aside: a claim's subject is cited without the marks the document puts round 三公)."""
    bare = QUOTES.sub("", content)
    return [run for run in CHINESE.findall(text) if run not in content and QUOTES.sub("", run) not in bare]


@pytest.mark.parametrize("text, zh, en", [
    ("读取问题：金额栏的“x”不是数字", [], ["读取问题：金额栏的“", "”不是数字"]),
    ("列 label", ["label"], ["列"]),
    ("规则 FA-T001 见 finaudit 的 2017 年表", [], ["规则", "见", "的", "年表"]),
    ("Findings on this code（13）", ["Findings", "on", "this", "code"], ["（", "）"]),
    ("Findings on this code (13)", ["Findings", "on", "this", "code"], []),
])
def test_the_script_checks_can_fail(text, zh, en):
    assert foreign_in_chinese(text) == zh
    assert foreign_in_english(text) == en
    assert not foreign_in_english(text, content=text) and not foreign_in_chinese(text, content=text)


def test_every_load_code_has_its_message_in_each_language():
    assert set(LOAD_MESSAGES) == set(LoadCode)
    for code, message in LOAD_MESSAGES.items():
        rendered = message.format(subject=Text("", ""))
        assert not foreign_in_chinese(rendered.zh), (code, rendered.zh)
        assert not foreign_in_english(rendered.en), (code, rendered.en)


def test_a_load_warning_takes_its_code_from_the_enumeration():
    warning = LoadWarning("row-misaligned", 3, "row of 5 cells where the header has 6")
    assert warning.code is LoadCode.ROW_MISALIGNED and warning.code == "row-misaligned"
    with pytest.raises(ValueError):
        LoadWarning("row-crooked", 3, "no such code")
    assert LoadWarning("amount-not-numeric", 4, "amount '小计' …", subject="小计").text == Text(
        "金额栏的“小计”不是数字，按空白处理", "amount '小计' is not a number; left blank")


def content_of(report) -> str:
    """Everything the document prints that a message may cite: its meta, titles, headings, row labels, codes,
    narrative, glossary, and the names of finaudit's classification lists (a code's official name)."""
    parts = [str(v) for v in vars(report.meta).values() if isinstance(v, str)]
    for table in report.tables.values():
        parts += [table.title, table.statement or "", *map(str, table.columns.values())]
        parts += [cell for row in table.header or () for cell in row if isinstance(cell, str)]
        parts += [str(v) for row in table.records() for v in row.values() if isinstance(v, str)]
    parts += [s.title + "\n" + s.text() for s in report.narrative] + [p.text for p in report.overview or ()]
    parts += [f"{d.term}：{d.text}" for d in report.glossary.values()]
    parts += [w.subject for w in report.warnings]
    data = ROOT / "finaudit" / "data"
    return "\n".join(parts + [path.read_text(encoding="utf-8") for path in data.glob("*.csv")])


SAMPLES = sorted(p.name for p in (ROOT / "sample_data").iterdir() if p.suffix in (".txt", ".pdf"))


@pytest.mark.parametrize("name", SAMPLES)
def test_finding_messages_read_in_their_language(name):
    """Every finding on each bundled document: its Chinese message holds no English word the document does not
    print, its English message no Chinese the document does not print (a name, a heading, a row label, a sentence)."""
    report = load(ROOT / "sample_data" / name)
    content = content_of(report)
    for finding in audit(report).findings:
        assert not foreign_in_chinese(finding.message_zh, content), (finding.code, finding.message_zh)
        assert not foreign_in_english(finding.message_en, content), (finding.code, finding.message_en)


def templates():
    """Every message template and title of the rule catalogues (single documents and pairs)."""
    from finaudit.rules import REGISTRY
    from finaudit.rules.documents import CROSS_REGISTRY
    from finaudit.rules.documents import SHARED as PAIR_SHARED
    from finaudit.rules.registry import SHARED

    found = [(f"shared {key}", Text(m.zh, m.en)) for key, m in {**SHARED, **PAIR_SHARED}.items()]
    for registry in (REGISTRY, CROSS_REGISTRY):
        for code, rule in registry.items():
            found += [(f"{code} {key}", Text(m.zh, m.en)) for key, m in rule.messages.items()]
            found.append((f"{code} title", rule.title))
    return found


def test_every_rule_message_reads_in_its_language():
    for where, text in templates():
        zh, en = (FIELD.sub("", t) for t in text)  # a template's fields are filled in the language's own words
        assert not foreign_in_chinese(zh), (where, text.zh)
        assert not foreign_in_english(en), (where, text.en)


def test_every_label_reads_in_its_language():
    """The label catalogue of the dashboards, the workbook, the working paper, the published pages, the dossier
    board and the ledger: no English word in a Chinese label, no Chinese or full-width mark in an English one."""
    for key, text in LABELS.items():
        zh, en = (FIELD.sub("", t) for t in text)  # a template's fields are filled in the language's own words
        assert not foreign_in_chinese(zh), (key, text.zh)
        assert not foreign_in_english(en), (key, text.en)


def test_an_unknown_label_is_an_error_not_its_key():
    with pytest.raises(KeyError):
        tr("no_such_label")
    assert tr("status.excluded", "en") == "excluded" and tr("status.excluded") == "排除"


def test_the_dashboard_reads_in_its_language():
    """The dashboard on the sample in each language: every HTML it shows (header, cards, tabs, the detail of every
    finding, the findings grid, the drill-down's detail of the first 30 nodes) holds no word of the other language
    but the document's own (the trial's "[表3 line 383]", "Findings on this code（13）", 列 'label', 'vehicles')."""
    pytest.importorskip("ipywidgets")
    import html
    import ipywidgets as W

    from finaudit.views import charts, dashboard
    from finaudit.views.loading import load_report

    loaded = load_report(ROOT / "sample_data" / "liujiang-govt-office-2017-final.txt")
    content = content_of(loaded.report)
    board = dashboard.Dashboard(loaded)

    def shown(widget) -> list[str]:
        own = [widget.value] if isinstance(widget, W.HTML) else []
        return own + [text for child in getattr(widget, "children", ()) for text in shown(child)]

    for lang in ("zh", "en"):
        board.set_lang(lang)
        pages = shown(board.widget)
        for panel in board.panels:
            if isinstance(panel, dashboard.FindingsPanel):
                pages += [panel.finding_html(n) for n in range(len(panel.result.findings))]
                grid = panel.grid_frame(list(range(len(panel.result.findings))))
                pages += [" ".join(map(str, grid.columns)), *(" ".join(map(str, row)) for row in grid.values.tolist())]
            if isinstance(panel, dashboard.DrillDown):
                pages += [panel.detail_html(charts.node_detail(panel.report, panel.result, node, budget=loaded.budget,
                                                               tree=panel.tree, lang=lang))
                          for node in list(panel.tree["id"])[:30]]
        foreign = foreign_in_chinese if lang == "zh" else foreign_in_english
        for page in pages:
            text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", page, flags=re.S)))
            assert not foreign(text, content), (lang, foreign(text, content), text[:300])

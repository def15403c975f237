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


#: Every load-warning code finaudit has shipped: users filter on them, so this list may grow, never shrink.
SHIPPED_LOAD_CODES = {
    "amount-not-numeric", "amount-precision", "amount-too-large", "code-part-short", "glossary-unparsed",
    "header-unaligned", "header-unrecognised", "meta-conflict", "meta-file-name", "meta-missing", "narrative-missing",
    "page-no-text", "page-overflow", "page-scanned", "page-unreadable", "row-extra", "row-misaligned",
    "row-number-invalid", "table-duplicate", "table-no-rows", "table-no-rules", "table-unknown", "table-untitled",
    "tables-absent", "text-outside-rows",
}


def test_load_codes_never_disappear():
    """Load-warning codes are API as rule codes are: every shipped one is still a ``LoadCode``, and a new one is
    added to the shipped list on purpose."""
    assert {code.value for code in LoadCode} == SHIPPED_LOAD_CODES


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
    from finaudit.rules.registry import FRAGMENTS, SHARED

    found = [(f"shared {key}", Text(m.zh, m.en)) for key, m in {**SHARED, **PAIR_SHARED, **FRAGMENTS}.items()]
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


# -- no hand-composed pair of texts -----------------------------------------------------------------------------------
PACKAGE = ROOT / "finaudit"
#: A Chinese text: Chinese characters or full-width marks, and no English word of its own.
HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def composed(node) -> str | None:
    """The literal text of an expression that composes a text: an f-string, a literal joined with ``+`` or ``%``,
    ``"…".format(…)`` or ``"…".join(…)`` (the fields and the joined items left out); None for anything else."""
    import ast

    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        parts = [composed(side) or (side.value if isinstance(side, ast.Constant) and isinstance(side.value, str) else None)
                 for side in (node.left, node.right)]
        return "".join(p for p in parts if p) if any(p is not None for p in parts) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join") \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return node.func.value.value
    if isinstance(node, ast.IfExp):
        texts = [t for t in (composed(node.body), composed(node.orelse), *(
            n.value for n in (node.body, node.orelse) if isinstance(n, ast.Constant) and isinstance(n.value, str)))
            if t is not None]
        return "".join(texts) if texts and (composed(node.body) is not None or composed(node.orelse) is not None) else None
    return None


def literal(node) -> bool:
    """Whether an expression holds a text written in the code (a literal, an f-string, a composition of them)."""
    import ast

    return any(isinstance(n, (ast.Constant, ast.JoinedStr)) and (not isinstance(n, ast.Constant) or isinstance(n.value, str))
               for n in ast.walk(node))


def parallel(first, second) -> bool:
    """Whether two expressions build one text twice, from the Chinese (``.zh``) and from the English (``.en``) of
    the same values: an f-string, ``+`` or ``.join`` over each language's half."""
    import ast

    def halves(node) -> set[str]:
        return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and n.attr in ("zh", "en")}

    def builds(node) -> bool:
        return isinstance(node, (ast.JoinedStr, ast.BinOp)) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"))

    return "zh" in halves(first) and "en" in halves(second) and (builds(first) or builds(second))


def hand_composed_pairs(source: str) -> list[tuple[int, str]]:
    """Where `source` writes a Chinese text next to an English one by hand: two neighbouring arguments of a call or
    items of a tuple or list, a Chinese one then an English one, at least one of them composed (an f-string, ``+``,
    ``%``, ``.format``, ``.join``: a name spelled out twice, not a template of the catalogue), or one text built twice
    from the ``.zh`` and the ``.en`` of the same values; or keyword arguments ``x_zh=`` and ``x_en=`` of one call
    where either value is written in the code."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            sequences = [node.args]
            given = {k.arg: k.value for k in node.keywords if k.arg}
            found += [(node.lineno, f"{name}= / {name[:-3]}_en=") for name, value in given.items()
                      if name.endswith("_zh") and name[:-3] + "_en" in given
                      and (literal(value) or literal(given[name[:-3] + "_en"]))]
        elif isinstance(node, (ast.Tuple, ast.List)):
            sequences = [node.elts]
        else:
            continue
        for items in sequences:
            for first, second in zip(items, items[1:]):
                if parallel(first, second):
                    found.append((first.lineno, ast.unparse(first)[:60] + " | " + ast.unparse(second)[:60]))
                    continue
                texts = [composed(n) if composed(n) is not None else (n.value if isinstance(n, ast.Constant) and isinstance(
                    n.value, str) else None) for n in (first, second)]
                if None in texts or (composed(first) is None and composed(second) is None):
                    continue
                zh, en = texts
                both = composed(first) is not None and composed(second) is not None
                english = not HAN.search(en) and (both or (LATIN.search(en) and not en.isidentifier()))
                if HAN.search(zh) and not LATIN.search(zh) and english:
                    found.append((first.lineno, ast.unparse(first)[:60] + " | " + ast.unparse(second)[:60]))
    return found


@pytest.mark.parametrize("probe", [
    'Relation(total, parts, f"{t} 收入总计应等于支出总计", f"{t} income and expenditure totals must be equal")\n',
    'name = (f"表{n}", f"Table {n}")\n',
    'check.say("blank", cell, what_zh="合计", what_en=column)\n',
    'return Text("、".join(names), ", ".join(n.en for n in names)) if x else Text("（" + a + "）", " (" + a + ")")\n',
    'f(a, "第%d行" % n, "line %d" % n)\n',
    'PAIRS = [(NOT_A_PART + "收入预算", f"{kind} income budget")]\n',
    'said = {"place": Text(f"{cell.cited.zh} {cell.row}/{column[0]}", f"{cell.cited.en} {cell.row}/{column[1]}")}\n',
    'return Text(listed.zh + more, listed.en + more)\n',
])
def test_the_pair_reader_sees_a_hand_composed_pair(probe):
    assert hand_composed_pairs(probe), probe


@pytest.mark.parametrize("source", [
    'SUBJECTS = {"grand": Text("{table} 收入总计应等于支出总计", "{table} income and expenditure totals must be equal")}\n',
    'check.relation(Relation(a, (b,), subject("budget.balance", table=t)))\n',
    'Finding(code, severity, where, message_zh=zh, message_en=en)\n',
    'raise ReportFormatError(source, line, f"a recognisable {what} table, or the 情况说明", f"{why}, and no {lacking}")\n',
    'PATTERNS = [(NOT_A_PART + "收入预算(?:总额|总计)?", "summary")]\n',
    'return Text(cell.row, cell.row), joined(names, SUBJECTS["plus"])\n',
])
def test_the_pair_reader_lets_templates_and_data_pass(source):
    assert not hand_composed_pairs(source), source


def test_no_hand_composed_pair_of_texts_in_the_package():
    """Words for a reader are catalogue data (``words.LABELS``, a rule's ``messages=``, ``rules.subjects.SUBJECTS``,
    ``causes.WORDS``): no module writes a Chinese text next to its English by hand."""
    catalogue = PACKAGE / "words.py"  # the carrier's own joins (``joined``: 甲、乙 / a, b) are where the marks meet
    found = [f"{path.relative_to(ROOT)}:{line}: {what}" for path in sorted(PACKAGE.rglob("*.py")) if path != catalogue
             for line, what in hand_composed_pairs(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


def test_every_relation_name_reads_in_its_language():
    """The names of the relations and bounds the rules check (``rules.subjects.SUBJECTS``) and the words of the root
    causes (``causes.WORDS``)."""
    from finaudit.causes import WORDS
    from finaudit.rules.subjects import SUBJECTS

    for key, text in {**SUBJECTS, **{f"causes {k}": v for k, v in WORDS.items()}}.items():
        zh, en = (FIELD.sub("", t) for t in text)
        assert not foreign_in_chinese(zh), (key, text.zh)
        # 三公 in an English name is the document's own heading of the three public expenses, as printed
        assert not foreign_in_english(en, content="三公"), (key, text.en)


def test_every_column_of_the_templates_has_its_english_name():
    """A column's English name is catalogue data (``model.COLUMN_NAMES_EN``): no key of ``read/templates.toml``
    reaches an English screen as itself (project_net), and no English name holds Chinese."""
    import tomllib

    from finaudit.model import COLUMN_NAMES_EN

    def columns(node) -> set[str]:
        if isinstance(node, dict):
            own = set(node["columns"]) if isinstance(node.get("columns"), dict) else set()
            return own.union(*(columns(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(columns(v) for v in node))
        return set()

    keys = columns(tomllib.loads((PACKAGE / "read" / "templates.toml").read_text(encoding="utf-8")))
    assert keys and keys <= set(COLUMN_NAMES_EN), sorted(keys - set(COLUMN_NAMES_EN))
    assert not [name for name in COLUMN_NAMES_EN.values() if foreign_in_english(name)]

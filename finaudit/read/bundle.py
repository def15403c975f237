"""Documents in several files: a 情况说明 file and a 报表 file of one department, year and kind are one report.

Some places publish a disclosure as two files (北京: 附件1 情况说明 + 附件2 报表; 江苏: …公开文件 + …公开表格):
one holds the narrative and no tables, the other the tables and no narrative. Given the files of a folder
or of one command, ``group`` finds those halves by what each says — its kind, year, scope and department
(names compared loosely: "江苏省委办公厅" in "中国共产党江苏省委员会办公厅") — and ``merge`` makes them one
``Report``: the narrative, overview and glossary of the one, the tables and coverage of the other, the meta
of both (``Meta.files`` keeps which file each part came from, so a cited page can name its file). The file
names only break a tie (two candidate halves: the pair whose names differ least, 附件1/附件2).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from finaudit.model import Meta, Report, ReportFormatError
from finaudit.read.meta import missing

#: The short forms of party and government names ("中国共产党XX委员会办公厅" = "中共XX委办公厅").
_SHORT_FORMS = (("中国共产党", "中共"), ("委员会", "委"), ("人民政府", "政府"))
#: Load notes that a half has and the whole does not: what the other file supplies.
_HALF_NOTES = {"tables-absent", "narrative-missing", "meta-missing", "meta-file-name"}


def half(report: Report) -> str | None:
    """"narrative" for a report with a narrative and no tables, "tables" for one with tables and no
    narrative, None for a whole document."""
    if not report.tables and report.narrative:
        return "narrative"
    if report.tables and not report.narrative:
        return "tables"
    return None


def department_name(name: str | None) -> str:
    """A department's name for comparison: no spaces or brackets' qualifiers, short forms of party names."""
    text = re.sub(r"[\s\u3000]|[（(](?:汇总|本级)[)）]", "", name or "")
    for long, short in _SHORT_FORMS:
        text = text.replace(long, short)
    return text


def same_department(a: Meta, b: Meta) -> bool:
    """The two documents name one department (or unit): one name inside the other once both are in short
    form; a document that names none matches (the other's name and the other fields decide)."""
    x, y = department_name(a.entity), department_name(b.entity)
    return not x or not y or x in y or y in x


def belong_together(narrative: Report, tables: Report) -> bool:
    """A narrative half and a tables half of one document: same kind and year, no different scope, the
    same department."""
    a, b = narrative.meta, tables.meta
    return (a.kind == b.kind and a.year is not None and a.year == b.year
            and (a.scope is None or b.scope is None or a.scope == b.scope) and same_department(a, b))


def likeness(a: Report, b: Report) -> float:
    """How alike the two files' names are (0–1): the tie-breaker between candidate halves."""
    names = [Path(r.meta.source or "").stem for r in (a, b)]
    return difflib.SequenceMatcher(None, *names).ratio()


def group(reports: Sequence[Report]) -> list[list[Report]]:
    """Reports → documents, in the order of the first file of each: a narrative half joins the tables
    half it belongs with (the likeliest by file name when several do), the 情况说明 first, then its 报表;
    every other report is alone."""
    taken: dict[int, int] = {}  # tables half index → narrative half index
    narratives = [i for i, r in enumerate(reports) if half(r) == "narrative"]
    tables = [i for i, r in enumerate(reports) if half(r) == "tables"]
    pairs = sorted(((likeness(reports[n], reports[t]), n, t) for n in narratives for t in tables
                    if belong_together(reports[n], reports[t])), reverse=True)
    joined: set[int] = set()
    for _, n, t in pairs:
        if n not in joined and t not in joined:
            taken[t] = n
            joined |= {n, t}
    partner = {**taken, **{n: t for t, n in taken.items()}}
    documents, seen = [], set()
    for i, report in enumerate(reports):
        if i in seen:
            continue
        members = sorted({i, partner[i]}, key=lambda m: half(reports[m]) != "narrative") if i in partner else [i]
        seen.update(members)
        documents.append([reports[m] for m in members])
    return documents


def pairs(reports: Sequence[Report | None]) -> list[tuple[int, int]]:
    """The documents in two files among reports read one file each (None: a file not read), as ``group`` finds
    them: (index of the 情况说明, index of its 报表) for each."""
    halves = [i for i, report in enumerate(reports) if report is not None and half(report)]
    where = {id(reports[i]): i for i in halves}
    return [(where[id(members[0])], where[id(members[1])])
            for members in group([reports[i] for i in halves]) if len(members) == 2]


def merge(parts: Sequence[Report]) -> Report:
    """The halves of one document → one Report: narrative, overview and glossary from the narrative half,
    tables and coverage from the tables half; meta from the narrative half (its cover), completed from the
    tables half; ``Meta.files`` says which file holds which part; each load warning names its file."""
    if len(parts) == 1:
        return parts[0]
    narrative = next((p for p in parts if half(p) == "narrative"), None)
    tables = next((p for p in parts if half(p) == "tables"), None)
    if narrative is None or tables is None or len(parts) != 2:
        names = ", ".join(Path(p.meta.source or "?").name for p in parts)
        raise ReportFormatError(names, None, "the two files of one document: a 情况说明 without tables and a 报表 "
                                "without narrative", "files that are not such a pair")
    first, second = narrative.meta, tables.meta
    meta = replace(first, files={"narrative": first.source or "", "tables": second.source or ""},
                   source=second.source, unit=second.unit)
    for name in ("department", "year", "scope", "unit_name"):
        if getattr(meta, name) is None:
            setattr(meta, name, getattr(second, name))
    meta.sha256 = hashlib.sha256(" ".join(p.meta.sha256 or "" for p in (narrative, tables)).encode()).hexdigest()
    warnings = [replace(w, source=p.meta.source) for p in (narrative, tables) for w in p.warnings
                if w.code not in _HALF_NOTES]
    lacking = missing(meta)
    report = Report(meta=meta, tables=tables.tables, coverage_=tables.coverage_,
                    overview=narrative.overview or tables.overview, narrative=narrative.narrative,
                    glossary={**tables.glossary, **narrative.glossary},
                    warnings=warnings + ([lacking] if lacking else []))
    return report


def documents(paths: Sequence[str | Path], load: Callable[[Path], Report]) -> list[list[Path]]:
    """The documents among the files (groups of paths: a pair for a 情况说明 and its 报表, else one file),
    each file read once with ``load`` (``finaudit.load``: within the cost limits); a file that cannot be
    read is a document alone."""
    reports, alone = read_each(paths, load)
    found = {id(r): p for p, r in reports}
    groups = [[found[id(r)] for r in members] for members in group([r for _, r in reports])]
    order = {Path(p): i for i, p in enumerate(paths)}
    return sorted(groups + [[p] for p, _ in alone], key=lambda g: order[g[0]])


def read_each(paths: Sequence[str | Path], load: Callable[[Path], Report]
              ) -> tuple[list[tuple[Path, Report]], list[tuple[Path, ReportFormatError]]]:
    """(path, report) for each file that reads with ``load``, (path, error) for each that does not."""
    reports, errors = [], []
    for path in map(Path, paths):
        try:
            reports.append((path, load(path)))
        except ReportFormatError as error:
            errors.append((path, error))
    return reports, errors


def load_together(paths: Sequence[str | Path], load: Callable[[Path], Report]) -> Report:
    """The files of one document (a 情况说明 and its 报表) read as one Report; a ``ReportFormatError`` when
    they are not one document (or a file cannot be read)."""
    paths = [Path(p) for p in paths]
    parts = [load(p) for p in paths]
    groups = group(parts)
    if len(groups) != 1:
        names = ", ".join(p.name for p in paths)
        says = "; ".join(f"{Path(r.meta.source or '?').name}: {describe(r)}" for r in parts)
        raise ReportFormatError(names, None, "the files of one document (a 情况说明 without tables and a 报表 without "
                                "narrative, of the same department, year and kind)", says)
    return merge(groups[0])


def describe(report: Report) -> str:
    """A report in a few words: entity, year, kind, what it holds."""
    meta = report.meta
    holds = {"narrative": "narrative, no tables", "tables": "tables, no narrative"}.get(half(report) or "", "tables and narrative")
    return f"{meta.entity or '?'} {meta.year or '?'} 部门{meta.kind_zh} ({holds})"


def read_documents(paths: Sequence[str | Path], load: Callable[[Path], Report]
                   ) -> list[tuple[list[Path], Report | ReportFormatError]]:
    """Each document among the files, each read once with ``load`` (``finaudit.load``), in the order of its
    first file: (its files, its Report — the two halves of a document in two files merged) or (the file,
    why it cannot be read)."""
    reports, errors = read_each(paths, load)
    found = {id(r): p for p, r in reports}
    read = [([found[id(r)] for r in members], merge(members)) for members in group([r for _, r in reports])]
    order = {Path(p): i for i, p in enumerate(paths)}
    return sorted(read + [([p], e) for p, e in errors], key=lambda item: order[item[0][0]])

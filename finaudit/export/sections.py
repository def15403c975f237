"""What the working paper holds, whatever its format: the cover, the findings (errors first, with the
auditor's review), the marked cells, the narrative claims, budget against actual and 三公. Each section is
a list of headings (中文 / English) and rows of plain values: numbers as Decimal or int, never text."""

from __future__ import annotations

from typing import NamedTuple

from finaudit.model import Report
from finaudit.views.labels import location, sources, tr

SEVERITY_FILL = {"error": "F4B6B6", "warning": "FFE699", "info": "DDEBF7"}


class Column(NamedTuple):
    zh: str
    en: str
    kind: str = "text"  # text | amount (two places) | rate (per cent, two places) | int | cost (four places)
    width: int = 12

    @property
    def heading(self) -> str:
        return f"{self.zh} {self.en}"


class Section(NamedTuple):
    title: str  # sheet name
    columns: list[Column]
    rows: list[list]
    fills: tuple | list = ()  # per row: the severity whose colour marks it, or None
    note: str = ""  # one line shown above the table (e.g. why a section is empty)


def marks(report: Report, result) -> dict[str, dict[tuple[int, str], str]]:
    """table kind → (row index, column) → the comments of the findings involving that cell."""
    marked: dict[str, dict[tuple[int, str], list[str]]] = {}
    for finding in result.findings:
        for ref in finding.cells:
            if ref.kind in report.tables and ref.row_index is not None and ref.column:
                marked.setdefault(ref.kind, {}).setdefault((ref.row_index, ref.column), []).append(
                    f"{finding.code} {finding.severity}: {finding.message_zh}")
    return {kind: {key: "\n".join(dict.fromkeys(texts)) for key, texts in cells.items()} for kind, cells in marked.items()}


FINDING_COLUMNS = [
    Column("严重程度", "severity", width=10), Column("问题", "problem", width=8), Column("规则", "rule", width=9),
    Column("规则名称", "rule name", width=24),
    Column("表", "table", width=9), Column("位置", "location", width=24), Column("应为", "expected", "amount"),
    Column("实为", "actual", "amount"), Column("差额", "difference", "amount"), Column("容差", "tolerance", "amount", 9),
    Column("说明", "message", width=60), Column("Message", "(English)", width=50), Column("出处", "source", width=24),
    Column("原因说明", "cause", width=40), Column("复核状态", "review status", width=11),
    Column("排除理由", "reason", width=24), Column("备注", "note", width=30), Column("键", "key", width=30),
    Column("归因于", "caused by", width=30),
]


def findings_section(report: Report, result, entries: dict | None = None) -> Section:
    """One row per finding: the root causes in review order (errors, warnings, notes; each by table and
    position), each followed by the findings it explains ("3", "3.1", …), with the auditor's status,
    reason and note from the review ledger."""
    from finaudit.rules import REGISTRY

    entries = entries or {}
    rows, fills = [], []

    def add(finding, problem: str, cause: str) -> None:
        entry = entries.get(finding.key)
        rule = REGISTRY.get(finding.code)
        status = str(entry.status) if entry is not None else "pending"
        table = finding.table if isinstance(finding.table, int) else (tr("narrative") if finding.table == "narrative" else None)
        rows.append([
            f"{tr(finding.severity)} {finding.severity}", problem, finding.code, rule.title_zh if rule else None,
            table, location(report, finding), finding.expected, finding.actual, finding.difference, finding.tolerance,
            finding.message_zh, finding.message_en, "; ".join(sources(finding)), cause,
            f"{tr(f'status.{status}')} {status}", entry.reason if entry else None, entry.note if entry else None,
            finding.key, finding.caused_by or None,
        ])
        fills.append(str(finding.severity))

    problem = part = 0
    for number in result.review_order(grouped=True):
        finding = result.findings[number]
        if not finding.caused_by:
            problem, part = problem + 1, 0
            add(finding, str(problem), finding.cause_zh)
        else:
            part += 1
            add(finding, f"  {problem}.{part}", "")
    return Section("审计发现 findings", FINDING_COLUMNS, rows, fills)


#: Claim fields worth showing, with their names; everything else (places, links, indices) is internal.
CLAIM_FIELDS = {
    "value": "数值", "amount": "金额", "word": "增减", "percent": "百分比", "percent_word": "百分比增减",
    "base": "基数", "part": "部分", "whole": "整体", "budget": "预算数", "actual": "决算数", "comparison": "比较",
    "code": "编码", "key": "项目",
}


def _linked_cell(report: Report, link) -> str | None:
    """('summary', 11, 'total') → '表1 收入支出决算总表 / 本年收入合计 / 合计'."""
    if not link or len(link) != 3 or link[0] not in report.tables:
        return None
    table = report.tables[link[0]]
    row = table.data.at[link[1], "label"] if link[1] in table.data.index else link[1]
    return f"{table.label} / {row} / {table.columns.get(link[2], link[2])}"


def claim_rows(report: Report, result) -> list[dict]:
    """Every narrative claim with its values and the verdicts of the findings made at its line."""
    from finaudit.read.claims import claims

    verdicts: dict[tuple, list[str]] = {}
    for finding in result.findings:
        if finding.table != "narrative":
            continue
        ref = finding.cells[0] if finding.cells else None
        if ref is not None:
            verdicts.setdefault((ref.row, ref.line, ref.page), []).append(f"{finding.code} {finding.severity}")
    rows = []
    for claim in claims(report) if report.narrative else []:
        values = vars(claim)
        subject = values.get("subject") or values.get("name") or values.get("key", "")
        shown = [f"{name}={values[field]}" for field, name in CLAIM_FIELDS.items()
                 if values.get(field) not in (None, "", -1) and not (field == "key" and values[field] == subject)]
        found = verdicts.get((claim.section or "—", claim.line, claim.page), [])
        rows.append({
            "section": claim.section, "line": claim.line, "page": claim.page, "kind": claim.kind, "subject": subject,
            "values": "; ".join(shown),
            "linked": _linked_cell(report, values.get("link") or values.get("actual_link")),
            "verdict": ", ".join(dict.fromkeys(found)) or "ok", "sentence": claim.sentence[:200],
        })
    return rows


CLAIM_COLUMNS = [Column("节", "section", width=8), Column("行", "line", "int", 7), Column("页", "page", "int", 6),
                 Column("类型", "kind", width=10), Column("所述对象", "subject", width=30),
                 Column("数值", "values", width=44), Column("对应单元格", "linked cell", width=40),
                 Column("结论", "verdict", width=22), Column("原句", "sentence", width=80)]


def narrative_section(report: Report, result) -> Section:
    rows = claim_rows(report, result)
    keys = ["section", "line", "page", "kind", "subject", "values", "linked", "verdict", "sentence"]
    fills = ["error" if "error" in r["verdict"] else "warning" if "warning" in r["verdict"] else
             "info" if r["verdict"] != "ok" else None for r in rows]
    return Section("情况说明 narrative", CLAIM_COLUMNS, [[r[k] for k in keys] for r in rows], fills)


BUDGET_COLUMNS = [Column("来源", "source", width=10), Column("编码", "code", width=10), Column("项目", "item", width=40),
                  Column("预算数", "budget", "amount"), Column("决算数", "actual", "amount"),
                  Column("复算完成率", "recomputed rate", "rate"), Column("说明所称完成率", "stated rate", "rate"),
                  Column("超出阈值", "outside 80–120%", width=10), Column("说明原因", "stated reason", width=50),
                  Column("节", "section", width=7), Column("行", "line", "int", 7), Column("页", "page", "int", 6)]


def budget_section(report: Report) -> Section:
    """Every 年初预算 the report states against its 决算 (``finaudit.budget``), flagged outside 80–120%."""
    from finaudit import budget

    try:
        frame = budget.flag(budget.budget_vs_actual(report))
    except Exception as error:  # a narrative the parser cannot read: say so in the sheet, keep the paper
        return Section("预算与决算 budget", BUDGET_COLUMNS, [], note=f"{type(error).__name__}: {error}")
    rows = []
    for row in frame.itertuples():
        source = {"narrative": "情况说明 narrative", "three_public": "表七 三公"}.get(row.source, row.source)
        rows.append([source, row.code, row.name, row.budget, row.actual, row.rate, row.stated_rate,
                     "是 yes" if row.flagged else "否 no", row.reason, row.section, row.line, row.page])
    return Section("预算与决算 budget", BUDGET_COLUMNS, rows, ["warning" if r[7].startswith("是") else None for r in rows])


THREE_PUBLIC_COLUMNS = [
    Column("项目", "item", width=22), Column("预算数", "budget", "amount"), Column("决算数", "actual", "amount"),
    Column("完成率", "rate", "rate"), Column("说明所称增减", "stated change", "amount"),
    Column("上年数（推算）", "prior year (derived)", "amount"), Column("团组", "trips", "int"),
    Column("人次", "people", "int"), Column("车辆", "vehicles", "int"), Column("接待批次", "receptions", "int"),
    Column("接待人次", "visitors", "int"), Column("每团组（元）", "per trip (yuan)", "amount", 14),
    Column("每车（元）", "per vehicle (yuan)", "amount", 14), Column("每批次（元）", "per reception (yuan)", "amount", 14),
    Column("每人次（元）", "per visitor (yuan)", "amount", 14),
]


def three_public_section(report: Report) -> Section:
    """表七 by item with the narrative's counts and the unit costs they allow (in 元: a visitor costs
    well under a hundredth of a 万元)."""
    from finaudit import budget

    try:
        frame = budget.three_public(report)
    except Exception as error:  # as in budget_section
        return Section("三公经费 three public", THREE_PUBLIC_COLUMNS, [], note=f"{type(error).__name__}: {error}")
    rows = []
    for row in frame.itertuples():
        costs = list(budget.unit_costs_in_yuan(row._asdict()).values())
        rows.append([row.label, row.budget, row.actual, budget.rate(row.actual, row.budget), row.stated_change,
                     row.prior, row.trips, row.people, row.vehicles, row.receptions, row.visitors, *costs])
    note = "" if "three_public" in report.tables else "报告中没有表七 no 三公 table in the report"
    return Section("三公经费 three public", THREE_PUBLIC_COLUMNS, rows, note=note)


def cover_rows(report: Report, result) -> list[tuple[str, object]]:
    meta, manifest = report.meta, result.manifest
    counts = result.counts
    statuses = {o.status for o in result.outcomes.values()}
    count = {s: sum(o.status == s for o in result.outcomes.values()) for s in statuses}
    return [
        ("部门 department", meta.department_name), ("编制单位 entity", meta.entity), ("年度 year", meta.year), ("类型 kind", meta.kind),
        ("单位 unit", meta.unit), ("来源 source", meta.source), ("SHA-256 input", manifest.input_sha256),
        ("finaudit", manifest.finaudit_version), ("规则集 rule set", manifest.ruleset_version),
        ("开始时间 started (UTC)", manifest.started_at), ("用时 seconds", manifest.seconds),
        ("错误 errors", counts["error"]), ("警告 warnings", counts["warning"]), ("提示 notes", counts["info"]),
        ("通过 rules passed", count.get("pass", 0)), ("未通过 rules failed", count.get("fail", 0)),
        ("不适用 rules not applicable", count.get("not_applicable", 0)),
        ("数据不足 rules with insufficient data", count.get("insufficient_data", 0)),
        ("读取警告 load warnings", result.report_warnings), ("覆盖 coverage", report.coverage().summary()),
    ]

"""The dossier panel: a department's documents (预算/决算 × years, 部门/单位) and the findings between them, both
documents' cells side by side. HTML only (no widgets); everything the documents say is escaped."""

from __future__ import annotations

import html

from finaudit.dossier import Dossier, findings_frame, timeline
from finaudit.views.markup import CSS, frame_html

TIMELINE_HEADERS = {
    "zh": {"department": "部门", "year": "年度", "kind": "文件", "scope": "范围", "entity": "编制单位", "file": "文件名",
           "errors": "错误", "warnings": "警告", "notes": "提示", "unreadable": "无法读取"},
    "en": {"department": "Department", "year": "Year", "kind": "Kind", "scope": "Scope", "entity": "Entity", "file": "File",
           "errors": "Errors", "warnings": "Warnings", "notes": "Notes", "unreadable": "Unreadable"},
}
FINDING_HEADERS = {
    "zh": {"relation": "关系", "code": "规则", "severity": "级别", "message": "说明", "first": "文件一", "first_at": "位置",
           "second": "文件二", "second_at": "位置"},
    "en": {"relation": "Relation", "code": "Rule", "severity": "Severity", "message": "Message", "first": "First document",
           "first_at": "Where", "second": "Second document", "second_at": "Where"},
}
TITLES = {"zh": ("文件一览", "跨文件核对", "未发现跨文件问题"), "en": ("Documents", "Across documents", "No cross-document finding")}


def dossier_html(dossier: Dossier, findings=None, *, lang: str = "zh") -> str:
    """The documents of the dossier by department and year, then the cross-document findings."""
    documents, across, none = TITLES[lang]
    frame = timeline(dossier).sort_values(["department", "year", "kind", "scope"], na_position="last", kind="stable")
    found = findings_frame(dossier.cross() if findings is None else findings)
    parts = [CSS, f"<h4>{html.escape(documents)}</h4>", frame_html(frame, TIMELINE_HEADERS[lang]),
             f"<h4>{html.escape(across)}</h4>",
             frame_html(found, FINDING_HEADERS[lang]) if len(found) else f"<p>{html.escape(none)}</p>"]
    return "\n".join(parts)


__all__ = ["dossier_html"]

"""``finaudit publish``: the static pages name what the dashboard names, in its order."""

import re

import pytest

pytest.importorskip("plotly")

from conftest import SAMPLE  # noqa: E402

from finaudit import synthetic  # noqa: E402
from finaudit.export.publish import CSS, publish  # noqa: E402
from finaudit.findings import SEVERITY_RANK  # noqa: E402


@pytest.mark.parametrize("department, scope, unit_name, named", [
    ("某区甲局", None, None, "某区甲局"),
    (None, "unit", "某区乙局<b>", "某区乙局&lt;b&gt;"),  # a 单位 document naming no department: its unit
    ("某区丙局", "unit", "某区丙局机关", "某区丙局机关"),  # the dashboard's header names the unit
])
def test_pages_and_index_name_the_entity_the_dashboard_names(department, scope, unit_name, named, tmp_path):
    report = synthetic.generate(4)
    report.meta.department, report.meta.scope, report.meta.unit_name = department, scope, unit_name
    entries = publish([tmp_path / "r.txt"], tmp_path / "site", load=lambda _path: report)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    page = (tmp_path / "site" / entries[0]["page"]).read_text(encoding="utf-8")
    assert f">{named} {report.meta.year}</a>" in index and "? " not in index
    assert f"<h1>{named} {report.meta.year}" in page


def test_findings_are_listed_in_the_dashboards_review_order_severity_on_one_line(tmp_path):
    import finaudit
    from finaudit.audit import audit

    result = audit(finaudit.load(SAMPLE))
    assert {str(f.severity) for f in result.findings} == {"error", "warning", "info"}
    entries = publish([SAMPLE], tmp_path / "site")
    page = (tmp_path / "site" / entries[0]["page"]).read_text(encoding="utf-8")
    severities = re.findall(r"<tr class='(error|warning|info)'>", page)
    assert len(severities) == len(result.findings)
    assert severities == sorted(severities, key=SEVERITY_RANK.__getitem__) and severities[0] == "error"
    codes = re.findall(r"<tr class='(?:error|warning|info)'><td>[^<]*</td><td>([^<]*)</td>", page)
    assert codes == [result.findings[n].code for n in result.review_order(grouped=True)]
    assert "tr.error td:nth-child(-n+2),tr.warning td:nth-child(-n+2),tr.info td:nth-child(-n+2){white-space:nowrap}" in CSS

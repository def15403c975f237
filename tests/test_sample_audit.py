"""The table rules on the Liujiang sample: the genuine inconsistencies, and rounding as notes.

Each expected finding below was recomputed by hand from the published cells (see the issue note):
e.g. 表五 201: 682.64 + 407.35 = 1089.99 ≠ 1089.00; 表六 人员经费合计 888.41 ≠ 703.29 + 76.78 = 780.07.
"""

from decimal import Decimal

from finaudit.audit import audit

EXPECTED = {
    ("FA-T001", 5, "20103 / total"), ("FA-T001", 5, "20103 / basic"),
    ("FA-T003", 3, "合计 / basic"), ("FA-T003", 5, "合计 / total"),
    ("FA-T004", 3, "221 / total"), ("FA-T004", 3, "22102 / total"), ("FA-T004", 3, "2210201 / total"),
    ("FA-T004", 5, "合计 / total"), ("FA-T004", 5, "201 / total"), ("FA-T004", 5, "20103 / total"),
    ("FA-T004", 5, "2010302 / total"), ("FA-T004", 5, "2010306 / total"), ("FA-T004", 5, "2010307 / total"),
    ("FA-T004", 5, "2010399 / total"),
    ("FA-T010", 1, "支出总计 / total"),
    ("FA-T020", 4, "本年支出合计 / total"), ("FA-T020", 4, "合计 / total"), ("FA-T020", 4, "年初财政拨款结转和结余 / total"),
    ("FA-T030", 6, "人员经费合计 / total"), ("FA-T030", 6, "公用经费合计 / total"),
    ("FA-T050", 1, "本年支出合计 / total"), ("FA-T050", 5, "合计 / project"),
    ("FA-X003", 4, "本年支出合计 / total"),
    ("FA-X005", 5, "2010302 / basic"), ("FA-X005", 5, "2010306 / basic"), ("FA-X005", 5, "2010307 / basic"),
    ("FA-X005", 5, "2010399 / basic"), ("FA-X005", 5, "221 / basic"), ("FA-X005", 5, "22102 / basic"),
    ("FA-X005", 5, "2210201 / basic"),
    ("FA-X006", 5, "合计 / basic"),
    ("FA-C001", 8, "201208"), ("FA-C002", 8, "2120804"), ("FA-C002", 8, "2120899"),
}
ROUNDING_NOTES = {
    ("FA-T001", 2, "20805 / total"), ("FA-T001", 3, "21011 / total"), ("FA-T003", 3, "合计 / total"),
    ("FA-T010", 1, "收入总计 / total"), ("FA-T020", 4, "合计 / total"), ("FA-T031", 6, "301 / total"),
    ("FA-T031", 6, "302 / total"),
}


def table_findings(result, severity):
    return {(f.code, f.table, f.location) for f in result.findings if f.code[3] in "TXCPL" and f.severity == severity}


def test_sample_errors_are_the_genuine_ones(sample):
    result = audit(sample)
    assert table_findings(result, "error") == EXPECTED
    assert len(EXPECTED) > 10


def test_rounding_differences_are_notes(sample):
    notes = table_findings(audit(sample), "info")
    assert ROUNDING_NOTES <= notes
    for finding in audit(sample).findings:
        if finding.severity == "info" and finding.code[3] in "TX":  # notes on amounts (FA-C notes are on names)
            assert abs(finding.difference) <= finding.tolerance


def test_findings_carry_their_source_lines(sample):
    finding = next(f for f in audit(sample).findings if (f.code, f.location) == ("FA-T030", "人员经费合计 / total"))
    assert finding.lines == [906, 969, 1003]
    assert (finding.expected, finding.actual, finding.difference) == (Decimal("780.07"), Decimal("888.41"), Decimal("108.34"))
    assert "人员经费合计" in finding.message_zh and "Table 6 personnel total" in finding.message_en


def test_every_rule_ran_without_crashing(sample):
    assert not [o for o in audit(sample).outcomes.values() if o.status == "error"]

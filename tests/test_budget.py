"""Budget against actual: the Liujiang table item by item (each recomputed by hand), flags, 三公."""

from decimal import Decimal as D

import pytest

from finaudit.budget import COLUMNS, THREE_PUBLIC_COLUMNS, budget_vs_actual, flag, rate, three_public
from finaudit.synthetic import generate

#: (source, code, budget, actual, rate, stated_rate, section, line, flagged)
LIUJIANG = [
    ("narrative", "2010301", D("512.70"), D("675.92"), D("131.84"), D("131.84"), "五", 1192, True),
    ("narrative", "2010302", D("612.00"), D("308.08"), D("50.34"), D("50.33"), "五", 1194, True),
    ("narrative", "2010306", D("5.50"), D("3.83"), D("69.64"), D("69.64"), "五", 1196, True),
    ("narrative", "2010307", D("45.02"), D("45.03"), D("100.02"), D("100.02"), "五", 1198, False),
    ("narrative", "2010399", D("57.00"), D("57.13"), D("100.23"), D("100.23"), "五", 1200, False),
    ("narrative", "2080501", D("0.13"), D("9.32"), D("7169.23"), D("7169.23"), "五", 1202, True),
    ("narrative", "2080505", D("78.30"), D("78.30"), D("100.00"), D("100"), "五", 1204, False),
    ("narrative", "2101101", D("29.36"), D("29.36"), D("100.00"), D("100"), "五", 1206, False),
    ("narrative", "2101103", D("0"), D("24.34"), None, None, "五", 1208, True),
    ("narrative", "2210201", D("45.71"), D("64.44"), D("140.98"), D("140.97"), "五", 1210, True),
    ("narrative", "2120804", D("0"), D("10"), None, D("100"), "八", 1249, True),
    ("narrative", "2120899", D("100"), D("98.33"), D("98.33"), D("98.33"), "八", 1251, False),
    ("three_public", None, D("463.90"), D("149.84"), D("32.30"), D("31.73"), "七", 1062, True),
    ("three_public", None, None, D("3.50"), None, None, "七", 1063, True),
    ("three_public", None, D("13.60"), D("24.22"), D("178.09"), D("178.09"), "七", 1064, True),
    ("three_public", None, D("0.00"), None, None, None, "七", 1059, False),
    ("three_public", None, D("13.60"), D("24.22"), D("178.09"), None, "七", 1066, True),
    ("three_public", None, D("450.30"), D("122.12"), D("27.12"), D("26.61"), "七", 1067, True),
]


def test_liujiang_budget_vs_actual_item_by_item(sample):
    frame = flag(budget_vs_actual(sample))
    assert list(frame.columns) == [*COLUMNS, "flagged"]
    got = [(r.source, r.code, r.budget, r.actual, r.rate, r.stated_rate, r.section, r.line, r.flagged)
           for r in frame.itertuples(index=False)]
    assert got == LIUJIANG
    assert all(isinstance(v, D) for v in frame["budget"] if v is not None)
    reasons = frame.set_index("code")["reason"]
    assert reasons["2010306"] == "项目未完成和公共支出的减少"
    assert frame.iloc[12]["reason"].startswith("认真贯彻落实")
    assert frame["page"].isna().all()


def test_rate_and_flag_bounds():
    assert rate(D("24.22"), D("13.60")) == D("178.09")
    assert rate(D("1"), D("0")) is None and rate(None, D("1")) is None
    frame = budget_vs_actual(generate(0)).iloc[:0]
    assert list(flag(frame).columns) == [*COLUMNS, "flagged"]
    synthetic = flag(budget_vs_actual(generate(0)), low=D(0), high=D(10**9))
    assert set(synthetic["source"]) == {"three_public"} and len(synthetic) == 6


def test_liujiang_three_public(sample):
    frame = three_public(sample).set_index("key")
    assert list(frame.reset_index().columns) == THREE_PUBLIC_COLUMNS
    assert frame.loc["total", "stated_change"] == D("-342.20") and frame.loc["total", "prior"] == D("492.04")
    assert frame.loc["abroad", "stated_change"] == D("3.5") and frame.loc["abroad", "prior"] == D("0.00")
    assert (frame.loc["abroad", "trips"], frame.loc["abroad", "people"], frame.loc["abroad", "per_trip"]) == (1, 1, D("3.5000"))
    assert frame.loc["vehicle", "vehicles"] == 14 and frame.loc["vehicle", "per_vehicle"] == D("1.7300")  # 24.22 / 14
    reception = frame.loc["reception"]
    assert (reception["receptions"], reception["visitors"]) == (1200, 13000)
    assert reception["per_reception"] == D("0.1018") and reception["per_visitor"] == D("0.0094")  # 122.12/1200, /13000
    assert reception["prior"] == D("453.73")  # 122.12 + 331.61


@pytest.mark.parametrize("key", ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_running", "reception"])
def test_three_public_rows_without_narrative(key):
    report = generate(0)
    report.narrative = []
    row = three_public(report).set_index("key").loc[key]
    assert row["budget"] is not None and row["stated_change"] is None and row["trips"] is None

"""Tests for finaudit.codes: code levels, parents, per-year names and reverse lookup."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources

import pytest

from finaudit import codes
from finaudit.codes import ECONOMIC, FUNCTION


@pytest.mark.parametrize(
    ("code", "system", "expected"),
    [
        ("201", FUNCTION, 1),
        ("20103", FUNCTION, 2),
        ("2010301", FUNCTION, 3),
        (" 2010301 ", FUNCTION, 3),
        ("301", ECONOMIC, 1),
        ("30101", ECONOMIC, 2),
        ("3010101", ECONOMIC, None),
        ("20", FUNCTION, None),
        ("2010", FUNCTION, None),
        ("201030101", FUNCTION, None),
        ("201a3", FUNCTION, None),
        ("２０１", FUNCTION, None),
        ("201 03 01", FUNCTION, None),
        ("", FUNCTION, None),
    ],
)
def test_level(code: str, system: str, expected: int | None) -> None:
    assert codes.level(code, system) == expected


def test_level_names() -> None:
    assert codes.LEVEL_NAMES == {1: "类", 2: "款", 3: "项"}


def test_unknown_system_is_rejected() -> None:
    with pytest.raises(ValueError):
        codes.level("201", "budget")


@pytest.mark.parametrize(
    ("code", "system", "expected"),
    [
        ("2010301", FUNCTION, "20103"),
        ("20103", FUNCTION, "201"),
        ("201", FUNCTION, None),
        ("30101", ECONOMIC, "301"),
        ("301", ECONOMIC, None),
        ("2010", FUNCTION, None),
        ("2010301", ECONOMIC, None),
    ],
)
def test_parent(code: str, system: str, expected: str | None) -> None:
    assert codes.parent(code, system) == expected


@pytest.mark.parametrize(
    ("code", "year", "system", "expected"),
    [
        ("201", 2017, FUNCTION, "一般公共服务支出"),
        ("20103", 2024, FUNCTION, "政府办公厅（室）及相关机构事务"),
        ("2010301", 2017, FUNCTION, "行政运行"),
        ("2010399", 2017, FUNCTION, "其他政府办公厅（室）及相关机构事务支出"),
        ("210", 2018, FUNCTION, "医疗卫生与计划生育支出"),
        ("210", 2019, FUNCTION, "卫生健康支出"),
        ("207", 2018, FUNCTION, "文化体育与传媒支出"),
        ("207", 2024, FUNCTION, "文化旅游体育与传媒支出"),
        ("215", 2016, FUNCTION, "资源勘探信息等支出"),
        ("215", 2019, FUNCTION, "资源勘探工业信息等支出"),
        ("220", 2019, FUNCTION, "自然资源海洋气象等支出"),
        ("224", 2018, FUNCTION, None),
        ("224", 2019, FUNCTION, "灾害防治及应急管理支出"),
        ("20805", 2017, FUNCTION, "行政事业单位离退休"),
        ("20805", 2024, FUNCTION, "行政事业单位养老支出"),
        ("2080501", 2017, FUNCTION, "归口管理的行政单位离退休"),
        ("2080501", 2024, FUNCTION, "行政单位离退休"),
        ("2080599", 2024, FUNCTION, "其他行政事业单位养老支出"),
        ("21208", 2017, FUNCTION, "国有土地使用权出让收入及对应专项债务收入安排的支出"),
        ("2120899", 2017, FUNCTION, "其他国有土地使用权出让收入安排的支出"),
        ("2210201", 2024, FUNCTION, "住房公积金"),
        ("20115", 2019, FUNCTION, None),
        ("20138", 2019, FUNCTION, "市场监督管理事务"),
        ("2019999", 2020, FUNCTION, "其他一般公共服务支出"),
        ("20199", 2020, FUNCTION, "其他一般公共服务支出"),
        ("9999999", 2020, FUNCTION, None),
        ("2010", 2020, FUNCTION, None),
        ("309", 2017, ECONOMIC, "基本建设支出"),
        ("309", 2018, ECONOMIC, "资本性支出（基本建设）"),
        ("310", 2018, ECONOMIC, "资本性支出"),
        ("30104", 2017, ECONOMIC, "社会保障缴费"),
        ("30104", 2018, ECONOMIC, None),
        ("30106", 2017, ECONOMIC, "伙食补助费"),
        ("30113", 2017, ECONOMIC, None),
        ("30113", 2018, ECONOMIC, "住房公积金"),
        ("30212", 2024, ECONOMIC, "因公出国（境）费用"),
        ("30307", 2024, ECONOMIC, "医疗费补助"),
        ("30399", 2017, ECONOMIC, "其他对个人和家庭的补助支出"),
        ("30399", 2024, ECONOMIC, "其他对个人和家庭的补助"),
        ("31013", 2024, ECONOMIC, "公务用车购置"),
    ],
)
def test_name(code: str, year: int, system: str, expected: str | None) -> None:
    assert codes.name(code, year, system) == expected


@pytest.mark.parametrize(
    ("code", "system", "expected"),
    [
        ("210", FUNCTION, ["医疗卫生与计划生育支出", "卫生健康支出"]),
        ("20805", FUNCTION, ["行政事业单位离退休", "行政事业单位养老支出"]),
        ("201", FUNCTION, ["一般公共服务支出"]),
        ("9999999", FUNCTION, []),
        ("x", FUNCTION, []),
        ("310", ECONOMIC, ["其他资本性支出", "资本性支出"]),
    ],
)
def test_known_names(code: str, system: str, expected: list[str]) -> None:
    assert codes.known_names(code, system) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一般公共服务支出", "一般公共服务支出"),
        ("  一般公共服务支出\u3000", "一般公共服务支出"),
        ("一般公共\u3000服务 支出", "一般公共服务支出"),
        ("一、一般公共服务支出", "一般公共服务支出"),
        ("十九、住房保障支出", "住房保障支出"),
        ("二十二、灾害防治及应急管理支出", "灾害防治及应急管理支出"),
        ("（一）一般公共服务支出", "一般公共服务支出"),
        ("(一)一般公共服务支出", "一般公共服务支出"),
        ("1.一般公共服务支出", "一般公共服务支出"),
        ("1．一般公共服务支出", "一般公共服务支出"),
        ("3、教育支出", "教育支出"),
        ("①教育支出", "教育支出"),
        ("一般公共服务支出（类）", "一般公共服务支出"),
        ("一般公共服务支出(类)", "一般公共服务支出"),
        ("行政运行（项）", "行政运行"),
        ("政府办公厅（室）及相关机构事务", "政府办公厅(室)及相关机构事务"),
        ("政府办公厅(室)及相关机构事务（款）", "政府办公厅(室)及相关机构事务"),
        ("“一般公共服务支出（类）”", "一般公共服务支出"),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert codes.normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("query", "year", "level", "system", "expected"),
    [
        ("一般公共服务支出", 2017, None, FUNCTION, "201"),
        ("一般公共服务", 2017, None, FUNCTION, "201"),
        ("一、一般公共服务支出", 2024, 1, FUNCTION, "201"),
        ("十九、住房保障支出", 2024, None, FUNCTION, "221"),
        ("（八）社会保障和就业支出（类）", 2020, 1, FUNCTION, "208"),
        ("卫生健康支出", 2020, None, FUNCTION, "210"),
        ("医疗卫生与计划生育支出", 2017, None, FUNCTION, "210"),
        ("医疗卫生与计划生育支出", 2020, None, FUNCTION, "210"),  # old name kept by the writer
        ("卫生健康支出", 2017, None, FUNCTION, "210"),  # name of a later year
        ("文化体育与传媒支出", 2024, 1, FUNCTION, "207"),
        ("政府办公厅(室)及相关机构事务", 2017, None, FUNCTION, "20103"),
        ("行政事业单位离退休", 2024, 2, FUNCTION, "20805"),
        ("其他支出", 2020, 1, FUNCTION, "229"),
        ("其他支出", 2020, None, FUNCTION, None),  # 229 and 22999: ambiguous
        ("行政运行", 2020, None, FUNCTION, None),  # every 款 has one
        ("行政运行", 2020, 1, FUNCTION, None),
        ("一般公共服务支出", 2020, 2, FUNCTION, None),
        ("不存在的科目", 2020, None, FUNCTION, None),
        ("", 2020, None, FUNCTION, None),
        ("伙食补助费", 2020, None, ECONOMIC, "30106"),
        ("住房公积金", 2020, None, ECONOMIC, "30113"),
        ("住房公积金", 2016, None, ECONOMIC, "30311"),
        ("资本性支出（基本建设）", 2020, 1, ECONOMIC, "309"),
        ("因公出国(境)费用", 2020, None, ECONOMIC, "30212"),
    ],
)
def test_code_for_name(query: str, year: int, level: int | None, system: str, expected: str | None) -> None:
    assert codes.code_for_name(query, year, level=level, system=system) == expected


@pytest.mark.parametrize("system", [FUNCTION, ECONOMIC])
def test_data_files_are_consistent(system: str) -> None:
    """Header, well-formed codes, non-overlapping name periods, and a parent for every 款/项 in its years."""
    text = (resources.files("finaudit") / "data" / f"{system}_codes.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    assert reader.fieldnames == ["code", "name", "first_year", "last_year"]
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in reader:
        assert codes.level(row["code"], system) is not None, row
        assert row["name"] and row["name"] == row["name"].strip(), row
        spans[row["code"]].append((int(row["first_year"] or 0), int(row["last_year"] or 9999)))
    for code, periods in spans.items():
        periods.sort()
        assert all(a[1] < b[0] for a, b in zip(periods, periods[1:])), (code, periods)
        up = codes.parent(code, system)
        if up is not None:
            for year in {max(first, 2015) for first, _ in periods} | {min(last, 2025) for _, last in periods}:
                if codes.name(code, year, system) is not None:
                    assert codes.name(up, year, system) is not None, (code, year)


@pytest.mark.parametrize("year", range(2015, 2026))
def test_every_year_has_the_main_classes(year: int) -> None:
    for code in ("201", "205", "206", "207", "208", "210", "212", "213", "221", "229"):
        assert codes.name(code, year) is not None
    for code in ("301", "302", "303", "310", "399"):
        assert codes.name(code, year, ECONOMIC) is not None

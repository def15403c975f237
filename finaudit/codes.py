"""Official classification codes: 支出功能分类科目 and 支出经济分类科目 (部门预算 and 政府预算), per year.

The lists live in ``finaudit/data/function_codes.csv`` and ``economic_codes.csv`` (columns
``code,name,first_year,last_year``; an empty year is open-ended). A code whose name changed has one
row per name, with year ranges that do not overlap. They are loaded lazily, once. The economic list
holds both the 部门预算支出经济分类 (301–399) and, from 2018, the 政府预算支出经济分类 (501–599):
their codes never collide, though some names do (住房公积金 is 30113 and 50103).

What the lists are compiled from, and which year bounds are estimates, is in ``finaudit/data/README.md``.
They are not complete: every 类 and most 款 are there, and the 项 that department reports use most.
A code that is absent is "not in finaudit's list", not "not official".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

FUNCTION = "function"
ECONOMIC = "economic"
LEVEL_NAMES = {1: "类", 2: "款", 3: "项"}
#: Digits of a code at each level. The national economic classification has 类 (3) and 款 (5); some places
#: (北京's 部门支出经济分类: 3021101 差旅费, 3021503 三类会议费) extend a 款 by two digits of their own, a third level
#: under it, so a 7-digit economic code is well formed (its own name is the place's, not in the national list).
_LENGTHS = {FUNCTION: (3, 5, 7), ECONOMIC: (3, 5, 7)}


class _Entry(NamedTuple):
    name: str
    first: int | None
    last: int | None

    def valid_in(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.last is None or year <= self.last)


def _check_system(system: str) -> tuple[int, ...]:
    try:
        return _LENGTHS[system]
    except KeyError:
        raise ValueError(f"unknown classification system {system!r}; use {FUNCTION!r} or {ECONOMIC!r}") from None


@cache
def _table(system: str) -> dict[str, tuple[_Entry, ...]]:
    """code -> its entries sorted by first year, read from the package data once."""
    _check_system(system)
    base = resources.files(__package__) if __package__ else Path(__file__).parent
    text = (base / "data" / f"{system}_codes.csv").read_text(encoding="utf-8")
    table: dict[str, list[_Entry]] = {}
    for row in csv.DictReader(text.splitlines()):
        first, last = (int(row[k]) if row[k] else None for k in ("first_year", "last_year"))
        table.setdefault(row["code"], []).append(_Entry(row["name"], first, last))
    return {code: tuple(sorted(entries, key=lambda e: e.first or 0)) for code, entries in table.items()}


@cache
def level(code: str, system: str = FUNCTION) -> int | None:
    """1/2/3 for a well-formed code (3/5/7 digits; economic: 3/5, and 7 for a place's sub-item of a 款), None if
    malformed (wrong length, non-digits)."""
    lengths = _check_system(system)
    code = code.strip() if isinstance(code, str) else ""
    if not (code.isascii() and code.isdigit()) or len(code) not in lengths:
        return None
    return lengths.index(len(code)) + 1


def parent(code: str, system: str = FUNCTION) -> str | None:
    """The parent code (2010301 -> 20103 -> 201 -> None); None for a 类 or a malformed code."""
    lvl = level(code, system)
    return code.strip()[:-2] if lvl is not None and lvl > 1 else None


def name(code: str, year: int, system: str = FUNCTION) -> str | None:
    """The official name of the code in that year, None if the code is not in that year's list."""
    if level(code, system) is None:
        return None
    return next((e.name for e in _table(system).get(code.strip(), ()) if e.valid_in(year)), None)


def catalogue(year: int, system: str = FUNCTION) -> dict[str, str]:
    """Every code of that year's list with its name, in code order."""
    return {code: n for code in sorted(_table(system)) if (n := name(code, year, system))}


def known_names(code: str, system: str = FUNCTION) -> list[str]:
    """Every name the code has had in any year (for messages such as 'name of another year')."""
    if level(code, system) is None:
        return []
    return list(dict.fromkeys(e.name for e in _table(system).get(code.strip(), ())))


_CN_NUM = "一二三四五六七八九十廿卅百零〇"
_ENUM = re.compile(rf"^(?:\([{_CN_NUM}\d]+\)|[{_CN_NUM}]+[、.:]|\d+[、.:)]?)")
_LEVEL_SUFFIX = re.compile(r"\((?:类|款|项)\)$")
_QUOTES = "\"'“”‘’「」『』"


def normalise_name(name: str) -> str:
    """The normalisation above (also used by name comparisons in rules: full/half-width brackets, spaces).

    NFKC folds full-width forms (（）→(), ．→., U+3000 → space); all whitespace and surrounding quotes
    are dropped, then leading enumerations ('一、', '（一）', '1.', '十九、', '①', a bare number) and a
    trailing '(类)'/'(款)'/'(项)' are stripped. The result uses half-width brackets.
    """
    text = "".join(unicodedata.normalize("NFKC", name).split()).strip(_QUOTES)
    previous = None
    while text != previous:
        previous = text
        text = _ENUM.sub("", text).strip(_QUOTES)
        text = _LEVEL_SUFFIX.sub("", text).strip(_QUOTES)
    return text


def _strip_zhichu(text: str) -> str:
    return text[: -len("支出")] if text.endswith("支出") and len(text) > 2 else text


@cache
def _name_index(system: str) -> tuple[tuple[str, str, int, _Entry], ...]:
    """(normalised name, code, level, entry) for every row."""
    lengths = _check_system(system)
    return tuple(
        (normalise_name(e.name), code, lengths.index(len(code)) + 1, e)
        for code, entries in _table(system).items()
        for e in entries
    )


@cache
def _by_name(system: str, strip_zhichu: bool) -> dict[str, list[tuple[str, str, int, _Entry]]]:
    """The name index keyed by normalised name (without a trailing 支出 when asked)."""
    index: dict[str, list] = {}
    for row in _name_index(system):
        index.setdefault(_strip_zhichu(row[0]) if strip_zhichu else row[0], []).append(row)
    return index


def code_for_name(name: str, year: int, level: int | None = None, system: str = FUNCTION) -> str | None:
    """Reverse lookup used to recognise 表一/表四 expenditure lines printed by 类 name only, e.g. '一般公共服务支出' -> '201'.

    Normalise before comparing: strip whitespace (incl. U+3000), leading enumeration like '一、' '（一）' '1.' '十九、',
    suffixes '（类）'/'(类)', and full-width vs half-width parentheses. Accept the name with or without the trailing '支出'.
    If the name matches in another year only, still return the code (report writers keep old names). None if no match or ambiguous.

    Matching tries, in order: the exact normalised name in that year, then in any year; then the same two
    with a trailing '支出' ignored on both sides. The first step that finds codes decides: one code is the
    answer, several are ambiguous (None).
    """
    wanted = normalise_name(name)
    if not wanted:
        return None
    for stripped, target in ((False, wanted), (True, _strip_zhichu(wanted))):
        rows = [r for r in _by_name(system, stripped).get(target, ()) if level is None or r[2] == level]
        for in_year in (True, False):
            codes = {code for _, code, _, e in rows if e.valid_in(year) or not in_year}
            if codes:
                return codes.pop() if len(codes) == 1 else None
    return None


def codes_named(name: str, year: int, system: str = FUNCTION) -> list[str]:
    """Every code whose name in that year's list is `name` (normalised as above), in code order."""
    rows = _by_name(system, False).get(normalise_name(name), ())
    return sorted({code for _, code, _, entry in rows if entry.valid_in(year)})


def periods(code: str, system: str = FUNCTION) -> list[tuple[str, int | None, int | None]]:
    """(name, first year, last year) of each name the code has had, oldest first; [] if unknown."""
    if level(code, system) is None:
        return []
    return [(e.name, e.first, e.last) for e in _table(system).get(code.strip(), ())]

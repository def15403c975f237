"""Table templates (kinds, title aliases, header and row synonyms) read from ``data/templates.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.．]?|\d+[、.．](?!\d))"
)
_DROP = re.compile(r"[\s\u3000\xa0“”\"'‘’「」『』]")
_QUALIFIER = re.compile(r"\([^()]{1,24}\)$")  # "(功能科目)", "(按支出经济分类科目-不含上年结转)"
_WIDTH = str.maketrans("（）：，；", "():,;")


def normalise(text: str) -> str:
    """Text for matching: no whitespace or quotes, half-width brackets, no leading enumeration."""
    return _normalised(text) if len(text) <= 80 else _normalise(text)


@lru_cache(maxsize=8192)  # a document asks for the same short texts (cells, headers, labels) many times over
def _normalised(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    text = _DROP.sub("", text).translate(_WIDTH)
    return _ENUMERATION.sub("", text, count=1)


@dataclass(frozen=True)
class Kind:
    name: str  # the model's table kind (``Table.kind``)
    title: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    layout: str
    system: str
    columns: dict[str, re.Pattern]
    sides: dict[str, re.Pattern]
    rows: dict[str, dict[str, re.Pattern]]
    template: str = ""  # the entry in templates.toml (several entries may read into one kind)
    documents: tuple[str, ...] = ("final",)
    #: stub headers of further classification columns (kept per row in ``Table.details``, not the row's code)
    details: tuple[re.Pattern, ...] = ()
    #: the amount column of an item table whose headers name items only (a budget's 三公 table: 预算)
    item_column: str | None = None

    def is_detail(self, header: str) -> bool:
        text = normalise(header)
        return any(p.search(text) for p in self.details)

    def column_key(self, header_path: str) -> str | None:
        text = normalise(header_path)
        return next((key for key, pattern in self.columns.items() if pattern.search(text)), None)

    def side_key(self, header: str) -> str | None:
        text = normalise(header)
        return next((key for key, pattern in self.sides.items() if pattern.search(text)), None)

    def row_key(self, label: str, side: str = "") -> str | None:
        text = normalise(label)
        if not text:
            return None
        for patterns in (self.rows.get(side, {}), self.rows.get("*", {})):
            for key, pattern in patterns.items():
                if pattern.search(text):
                    return key
        return None


@dataclass(frozen=True)
class Family:
    """A template family with a table set of its own (the university template): known by its titles."""

    name: str
    titles: tuple[re.Pattern, ...]
    required: dict[str, tuple[str, ...]]  # document kind (final, budget) → the table kinds it requires


@dataclass(frozen=True)
class Templates:
    kinds: dict[str, Kind]  # by template entry, in file order
    stub: dict[str, re.Pattern]
    parts: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)  # stub_field's answers
    order: dict[str | None, list[Kind]] = field(default_factory=dict, compare=False, repr=False)  # in_order's answers
    headings: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)  # heading_part's answers
    families: tuple[Family, ...] = ()

    def family(self, titles) -> Family | None:
        """Given the titles of a document's tables, return the template family they belong to, if any."""
        texts = [normalise(t) for t in titles if t]
        return next((f for f in self.families if any(p.search(t) for p in f.titles for t in texts)), None)

    def required(self, titles, document: str) -> tuple[str, ...] | None:
        """Given a document's table titles and its kind (final, budget), return the table kinds its
        template family requires; None for the national set (the rules know it by year)."""
        family = self.family(titles)
        return family.required.get(document) if family else None

    def heading_part(self, line: str) -> str | None:
        """The part a heading line without "第N部分" opens (overview, glossary, narrative), if any."""
        if line in self.headings:
            return self.headings[line]
        text = _DROP.sub("", line)
        part = None
        if text and len(text) <= 40:
            text = text.translate(_WIDTH)  # (one character for one: the length stays)
            part = next((name for name, patterns in self.parts.items() if any(p.search(text) for p in patterns)), None)
        if len(self.headings) < 100_000:  # (a bound: a hostile document's lines are all different)
            self.headings[line] = part
        return part

    def kind_for_title(self, title: str, document: str | None = None) -> Kind | None:
        """The kind a title names, in a document of the given kind (final, budget; None: not known yet) the
        kinds of its own kind first (a final's "政府采购情况表" is a final's procurement table, its amounts
        决算); a title with its classification after it ("…支出预算表（功能科目）") that no kind names with it,
        by the title without it, of a kind of that classification (功能 → function codes, 经济 → economic)."""
        text = normalise(title)
        qualifier = _QUALIFIER.search(text)
        bare = text[:qualifier.start()] if qualifier else text
        systems = {"function", "economic"} - ({"function"} if qualifier and "经济" in qualifier.group()
                                              else {"economic"} if qualifier and "功能" in qualifier.group() else set())
        for candidate, allowed in ((text, {"function", "economic"}), (bare, systems)):
            for kind in self.in_order(document):
                if kind.system in allowed and any(p.search(candidate) for p in kind.title) \
                        and not any(p.search(candidate) for p in kind.exclude):
                    return kind
        return None

    def in_order(self, document: str | None) -> list[Kind]:
        """The kinds in file order, those of a document of the given kind first."""
        if document not in self.order:
            foreign = lambda kind: document is not None and document not in kind.documents  # noqa: E731
            self.order[document] = sorted(self.kinds.values(), key=foreign)
        return self.order[document]

    def stub_field(self, header: str) -> str | None:
        if header in self.seen:
            return self.seen[header]
        text = normalise(header)
        found = next((key for key, pattern in self.stub.items() if pattern.search(text)), None) if text else None
        if len(self.seen) < 100_000:  # every cell of a table asks (its amounts too): each text once
            self.seen[header] = found
        return found


def _compile(mapping: dict[str, str]) -> dict[str, re.Pattern]:
    return {key: re.compile(pattern) for key, pattern in mapping.items()}


@cache
def templates() -> Templates:
    raw = tomllib.loads(resources.files("finaudit.read").joinpath("templates.toml").read_text("utf-8"))
    kinds = {
        name: Kind(
            name=spec.get("table", name),
            template=name,
            documents=tuple(spec.get("documents", ["final"])),
            title=tuple(re.compile(p) for p in spec["title"]),
            exclude=tuple(re.compile(p) for p in spec.get("exclude", [])),
            layout=spec["layout"],
            system=spec.get("system", "function"),
            columns=_compile(spec.get("columns", {})),
            sides=_compile(spec.get("sides", {})),
            rows={side: _compile(patterns) for side, patterns in spec.get("rows", {}).items()},
            details=tuple(re.compile(p) for p in spec.get("details", [])),
            item_column=spec.get("item_column"),
        )
        for name, spec in raw["kinds"].items()
    }
    parts = {name: tuple(re.compile(p) for p in patterns) for name, patterns in raw.get("parts", {}).items()}
    families = tuple(
        Family(name=name, titles=tuple(re.compile(p) for p in spec["titles"]),
               required={document: tuple(spec[document]) for document in ("final", "budget") if document in spec})
        for name, spec in raw.get("families", {}).items()
    )
    return Templates(kinds=kinds, stub=_compile(raw["stub"]), parts=parts, families=families)

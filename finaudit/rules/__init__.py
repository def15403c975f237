"""The audit rules, registered here by explicit imports (never as a side effect elsewhere).

``registry`` holds the decorator, the run context (``Check``) and the rounding band; each family
module registers its permanent codes: ``tables`` (FA-T), ``cross`` (FA-X), ``budget`` and ``budget_narrative`` (FA-B,
budget documents), ``classification`` (FA-C), ``completeness`` (FA-P, FA-L), ``narrative`` (FA-N001–FA-N019) and
``wording`` (FA-N020 on: text checks for every document kind). ``documents`` (FA-D) registers the cross-document rules, which read two reports, in its own
``CROSS_REGISTRY``. Imports ``model``, ``findings``,
``codes`` and ``read``; never ``audit``, ``views`` or ``export``.
"""

from __future__ import annotations

import functools

from finaudit.rules import (
    budget,
    budget_narrative,
    classification,
    completeness,
    cross,
    documents,
    narrative,
    tables,
    wording,
)
from finaudit.rules.documents import CROSS_REGISTRY
from finaudit.rules.registry import REGISTRY, Rule

FAMILIES = (tables, cross, budget, budget_narrative, classification, completeness, narrative, wording)
CROSS_FAMILIES = (documents,)  # rules on a pair of reports (their own registry)
#: The order rules run and findings are listed in: inside a table, between tables, codes,
#: completeness, load problems, narrative; within a family, the order of definition.
ORDER = ("FA-T", "FA-X", "FA-B", "FA-C", "FA-P", "FA-L", "FA-N")


def in_order() -> list[Rule]:
    """Every registered rule, in run order (independent of the order modules were imported in)."""
    return [REGISTRY[code] for code in _run_order(tuple(REGISTRY))]


@functools.cache
def _run_order(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Registered codes (in the order of registration) in run order: by family, then as registered (sorted once
    per registry, not on every run: the root causes re-run the rules a hundred times)."""
    rank = {prefix: n for n, prefix in enumerate(ORDER)}
    return tuple(sorted(codes, key=lambda code: rank.get(code[:4], len(ORDER))))


__all__ = ["CROSS_REGISTRY", "FAMILIES", "ORDER", "REGISTRY", "in_order"]

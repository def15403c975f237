"""Regular expressions compiled on first use, not at import.

The claim parser, the meta reader and the narrative rules hold dozens of patterns; compiled at import
they cost tens of milliseconds on every ``finaudit`` command, even one that never reads a narrative.
``Pattern`` stands in for the ``re.Pattern`` until one of its methods is first called, then compiles
once and keeps the compiled pattern's bound methods (later calls cost what a plain pattern's do).
"""

from __future__ import annotations

import re


class Pattern:
    """A regular expression compiled on its first use: ``match``, ``search``, ``sub``… as ``re.Pattern``;
    ``pattern`` (its source) and ``flags`` without compiling."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str):
        # only for attributes not yet set: the first use of each method compiles (once) and keeps it
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("compiled") or re.compile(self.pattern, self.flags)
        self.__dict__["compiled"] = compiled
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> Pattern:
    """A ``Pattern`` compiled on first use (``re.compile`` with the same arguments, deferred)."""
    return Pattern(pattern, flags)

"""Start a command under an address-space ceiling: ``python -m finaudit.views.ceiling MB -- ARGV…``.

The dashboards' server launches every kernel through it (``server.CeilingKernelSpecManager``): RLIMIT_AS is
inherited by everything the kernel forks (the bounded read's worker and its PDFium page workers), so no page
can take more than its share of the machine, whatever it uploads. Past the ceiling an allocation fails
(``MemoryError``), which the read reports as the ``memory_mb`` limit; the kernel and the server live on.
"""

from __future__ import annotations

import os
import resource
import sys


def limit(ceiling_mb: int) -> None:
    """Given a ceiling in MB, lower this process's RLIMIT_AS to it (never raise it above the hard limit)."""
    ceiling = ceiling_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        sys.exit("usage: python -m finaudit.views.ceiling MB -- COMMAND [ARG…]")
    limit(int(argv[0]))
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    main(sys.argv[1:])

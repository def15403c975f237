"""Time loading the bundled 25-page Putuo 2024 PDF: median of several runs (target ≤ 3 s on 2 cores)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from finaudit.read.pdf import load_pdf

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf"


def main(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_pdf(SAMPLE)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"load_pdf({SAMPLE.name}): median {median:.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f})")
    return median


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

"""Time a dossier of all bundled reports against auditing them one by one (target: dossier < 1.2×).

    python -m benchmarks.dossier [RUNS]

One by one: ``batch.check_many`` (load + audit each file, as ``finaudit check --no-cross``). Dossier:
``dossier.dossier`` (load + audit each file once) then ``cross()`` (pairing and the FA-D rules). The runs
alternate so that a busy machine slows both alike; the figures are medians, and the cross-document step
alone (on the loaded reports) is timed too.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from finaudit.batch import check_many, discover
from finaudit.dossier import dossier

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def main(runs: int = 1) -> tuple[float, float]:
    files = discover([SAMPLES])
    alone, together, cross = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        check_many(files, 1, as_json=True)
        alone.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = dossier(files)
        middle = time.perf_counter()
        findings = found.cross()
        together.append(time.perf_counter() - start)
        cross.append(time.perf_counter() - middle)
    a, b, c = statistics.median(alone), statistics.median(together), statistics.median(cross)
    print(f"{len(files)} reports, {len(found.pairs())} pairs, {len(findings)} cross-document findings")
    print(f"one by one {a:.2f} s; dossier {b:.2f} s (cross-document step {c:.3f} s); ratio {b / a:.3f} over {runs} runs")
    return a, b


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)

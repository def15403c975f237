"""Time a dossier of all bundled reports against auditing them one by one (target: dossier < 1.2×).

    python -m benchmarks.dossier [RUNS] [FOLDER …]

FOLDER: where the documents are (default the bundled sample_data; e.g. sample_data and
../shared/reports/national for the acceptance figure of issue 24).

One by one: ``batch.check_many`` (load + audit each file, as ``finaudit check --no-cross``). Dossier:
``dossier.dossier`` (load + audit each file once) then ``cross()`` (pairing and the FA-D rules). The runs
alternate so that a busy machine slows both alike; the figures are medians, and the cross-document step
alone (on the loaded reports) is timed too, and so is the CPU time of each (this process and its forked PDF
readers), the steadier figure on a shared machine.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from finaudit.batch import check_many
from finaudit.dossier import dossier
from finaudit.read.sources import discover

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (the PDF reader's forked workers):
    on a shared machine a steadier figure than the wall clock."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(runs: int = 1, folders: list[Path] | None = None) -> tuple[float, float]:
    files = discover(folders or [SAMPLES]).documents
    alone, together, cross, alone_cpu, together_cpu = [], [], [], [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu()
        check_many(files, 1, as_json=True)
        alone.append(time.perf_counter() - start)
        alone_cpu.append(cpu() - start_cpu)
        start, start_cpu = time.perf_counter(), cpu()
        found = dossier(files)
        middle = time.perf_counter()
        findings = found.cross()
        together.append(time.perf_counter() - start)
        together_cpu.append(cpu() - start_cpu)
        cross.append(time.perf_counter() - middle)
    a, b, c = statistics.median(alone), statistics.median(together), statistics.median(cross)
    a_cpu, b_cpu = statistics.median(alone_cpu), statistics.median(together_cpu)
    print(f"{len(files)} reports, {len(found.pairs())} pairs, {len(findings)} cross-document findings")
    print(f"wall: one by one {a:.2f} s; dossier {b:.2f} s (cross-document step {c:.3f} s); ratio {b / a:.3f} over {runs} runs")
    print(f"cpu:  one by one {a_cpu:.2f} s; dossier {b_cpu:.2f} s; ratio {b_cpu / a_cpu:.3f}")
    return a, b


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1, [Path(p) for p in sys.argv[2:]] or None)

"""PDF speed: the PDFium floor, finaudit's load and audit against it (in this process, in the guarded
child, through ``finaudit.load``), pages over worker processes, the dashboard's upload, and batch
throughput over every bundled PDF. Each figure is the median of N runs (default 5).

    python -m benchmarks.pdf_load [N]            # the figures for the 25-page Putuo 2024 report
    python -m benchmarks.pdf_load national [N]   # every PDF of ../shared/reports/national: load + audit against the floor
"""

from __future__ import annotations

import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf"
SHARED = next((p for p in (ROOT.parent / "shared" / "reports", Path("/work/shared/reports")) if p.is_dir()), None)


def bundled_pdfs() -> list[Path]:
    """The PDFs that come with the project, and the budget PDFs shared beside it where they are."""
    found = {p.name: p for p in [*ROOT.glob("sample_data/*.pdf"), *ROOT.glob("tests/data/*.pdf")]}
    for path in sorted(SHARED.glob("*.pdf")) if SHARED else []:
        found.setdefault(path.name, path)
    return sorted(found.values())


def floor(path: Path = SAMPLE) -> None:
    """What any reader must get from PDFium: every page and its text page, each character's box and
    the whole text, and every page object with its type."""
    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(str(path).encode(), None)
    box = pdfium_c.FS_RECTF()
    for index in range(pdfium_c.FPDF_GetPageCount(document)):
        page = pdfium_c.FPDF_LoadPage(document, index)
        text = pdfium_c.FPDFText_LoadPage(page)
        count = pdfium_c.FPDFText_CountChars(text)
        pdfium_c.FPDFText_GetText(text, 0, count, (ctypes.c_ushort * (count + 1))())
        for i in range(count):
            pdfium_c.FPDFText_GetLooseCharBox(text, i, box)
        for i in range(pdfium_c.FPDFPage_CountObjects(page)):
            pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i))
        pdfium_c.FPDFText_ClosePage(text)
        pdfium_c.FPDF_ClosePage(page)
    pdfium_c.FPDF_CloseDocument(document)


def median_times(actions: dict, runs: int) -> dict:
    """Each action's median time over ``runs`` rounds (after one unmeasured round); a round runs every
    action once, so that a busy neighbour slows them alike and the ratios hold."""
    for action in actions.values():
        action()
    times = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _some_pages(path: str, numbers: list[int]) -> list:
    import pypdfium2.raw as pdfium_c

    from finaudit.read import pdfium

    document = pdfium_c.FPDF_LoadDocument(path.encode(), None)
    try:
        return [pdfium._read_page(document, n, pdfium_c) for n in numbers]
    finally:
        pdfium_c.FPDF_CloseDocument(document)


def pages_over_workers(path: Path, pool: ProcessPoolExecutor, workers: int) -> list:
    """The pages read by ``workers`` processes, alternating pages (the experiment, not the library)."""
    count = _page_count(path)
    chunks = [list(range(i, count, workers)) for i in range(workers)]
    parts = list(pool.map(_some_pages, [str(path)] * workers, chunks))
    pages: dict[int, object] = {}
    for chunk, part in zip(chunks, parts):
        pages.update(zip(chunk, part))
    return [pages[n] for n in range(count)]


def _page_count(path: Path) -> int:
    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(str(path).encode(), None)
    try:
        return pdfium_c.FPDF_GetPageCount(document)
    finally:
        pdfium_c.FPDF_CloseDocument(document)


def batch_rate(paths: list[Path], jobs: int = 2, runs: int = 5) -> float:
    """Documents per second: ``finaudit check`` over a folder holding ``paths``, with ``--jobs``; the
    median of ``runs``."""
    with tempfile.TemporaryDirectory() as directory:
        for path in paths:
            (Path(directory) / path.name).symlink_to(path)
        command = [str(Path(sys.executable).parent / "finaudit"), "check", directory, "--format", "json",
                   "--jobs", str(jobs), "--output", os.devnull]
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=False, cwd=ROOT, capture_output=True)
            times.append(time.perf_counter() - start)
        return len(paths) / statistics.median(times)


def upload(path: Path = SAMPLE) -> dict:
    """The dashboard's upload of a PDF, from the bytes as the browser sends them: to the report loaded
    and audited (``ReportPicker.load_upload``), and on to the report in the dashboard's panels
    (``ReportPicker._uploaded`` with the dashboard's ``set_report``; the browser's drawing aside).
    No actions without the dashboard extra."""
    try:
        from finaudit.views.dashboard import Dashboard
    except ImportError:
        return {}
    dashboard = Dashboard()
    content = path.read_bytes()
    item = {"name": path.name, "content": memoryview(content)}
    return {"upload": lambda: dashboard.picker.load_upload(path.name, content),
            "shown": lambda: dashboard.picker._uploaded({"new": (item,)})}


def rows(runs: int = 5) -> list[tuple[str, str, str]]:
    """The PDF figures as (what, value, note) rows: medians of ``runs``."""
    import finaudit
    from finaudit.audit import audit
    from finaudit.read import pdfium
    from finaudit.read.pdf import load_pdf

    audit(finaudit.load(SAMPLE))  # warm: imports, code lists, templates
    with ProcessPoolExecutor(2) as pool:
        t = median_times({
            "floor": lambda: floor(SAMPLE),
            "read": lambda: pdfium.read_pages(SAMPLE),
            "split": lambda: pages_over_workers(SAMPLE, pool, 2),
            "load": lambda: load_pdf(SAMPLE, engine="pdfium-unguarded"),
            "both": lambda: audit(load_pdf(SAMPLE, engine="pdfium-unguarded")),
            "guarded": lambda: audit(load_pdf(SAMPLE)),
            "bounded": lambda: audit(finaudit.load(SAMPLE)),
            **upload(),
        }, runs)
    pdfs = bundled_pdfs()
    rate = batch_rate(pdfs, runs=runs)
    base = t["floor"]
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    times = lambda name: f"{t[name] / base:.2f}× floor"  # noqa: E731
    return [
        ("PDFium floor: 25-page Putuo PDF, chars + boxes + page objects", ms(base), "raw pypdfium2"),
        ("  finaudit page reader (chars, edges, sizes), one process", ms(t["read"]), times("read")),
        ("  the same over 2 worker processes (alternate pages)", ms(t["split"]),
         f"{'saves' if t['split'] < t['read'] else 'costs'} {ms(abs(t['read'] - t['split']))}; not used"),
        ("  finaudit load, PDFium in this process", ms(t["load"]), times("load")),
        ("  finaudit load + full audit, in this process", ms(t["both"]), times("both") + " (target ≤ 3×)"),
        ("  load + audit, PDFium in a guarded child (load_pdf)", ms(t["guarded"]),
         times("guarded") + "; pages laid out while the child reads on"),
        ("  load + audit through finaudit.load (cost-bounded worker)", ms(t["bounded"]),
         times("bounded") + "; what the CLI and the dashboard call"),
        *([("  dashboard upload of the PDF → loaded and audited", ms(t["upload"]), "ReportPicker.load_upload"),
           ("  dashboard upload of the PDF → report in the panels", ms(t["shown"]), "in-process, the browser's drawing aside")]
          if "upload" in t else []),
        (f"PDF batch, all {len(pdfs)} bundled PDFs, --jobs 2", f"{rate:.1f} PDFs/s", "whole process, JSON out"),
    ]


def national(runs: int = 3) -> None:
    """Load + audit of every national PDF in this process, against the PDFium floor of the same files (medians of
    ``runs``, summed over the files; target ≤ 3×)."""
    import finaudit
    from finaudit.audit import audit
    from finaudit.read.pdf import load_pdf

    folder = (SHARED / "national") if SHARED else None
    paths = sorted(folder.rglob("*.pdf")) if folder and folder.is_dir() else []
    if not paths:
        print("no national sample beside the checkout (../shared/reports/national)")
        return
    audit(finaudit.load(SAMPLE))  # warm: imports, code lists, templates
    actions = {}
    for path in paths:
        actions[f"floor {path}"] = lambda path=path: floor(path)
        actions[f"both {path}"] = lambda path=path: audit(load_pdf(path, engine="pdfium-unguarded"))
        actions[f"load {path}"] = lambda path=path: audit(finaudit.load(path))
    t = median_times(actions, runs)
    base, both, load = (sum(v for k, v in t.items() if k.startswith(what)) for what in ("floor", "both", "load"))
    worst = max(paths, key=lambda p: t[f"both {p}"] / t[f"floor {p}"])
    print(f"  national PDFs: {len(paths)}; PDFium floor {base:.2f} s; load + audit in this process {both:.2f} s "
          f"= {both / base:.2f}× floor (target ≤ 3×); worst file {worst.name}: "
          f"{t[f'both {worst}'] / t[f'floor {worst}']:.2f}×")
    print(f"  through finaudit.load (what the CLI and the dashboard call: a bounded worker, PDFium in a guarded child "
          f"that reads on while the pages are laid out; two processes at once): {load:.2f} s = {load / base:.2f}× floor")


def main(runs: int = 5) -> None:
    for name, value, note in rows(runs):
        print(f"  {name:<66}  {value:>12}  {note}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["national"]:
        national(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

"""PDF speed: the PDFium floor, finaudit's load and audit against it, pages over worker processes,
and batch throughput over every bundled PDF.

    python -m benchmarks.pdf_load          # the figures for the 25-page Putuo 2024 report
"""

from __future__ import annotations

import ctypes
import os
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


def best_time(action, runs: int) -> float:
    """The fastest of ``runs`` (on a shared machine the others measure the neighbours)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


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


def batch_rate(paths: list[Path], jobs: int = 2) -> float:
    """Documents per second: ``finaudit check`` over a folder holding ``paths``, with ``--jobs``."""
    with tempfile.TemporaryDirectory() as directory:
        for path in paths:
            (Path(directory) / path.name).symlink_to(path)
        command = [str(Path(sys.executable).parent / "finaudit"), "check", directory, "--format", "json",
                   "--jobs", str(jobs), "--output", os.devnull]
        start = time.perf_counter()
        subprocess.run(command, check=False, cwd=ROOT, capture_output=True)
        return len(paths) / (time.perf_counter() - start)


def rows(runs: int = 7) -> list[tuple[str, str, str]]:
    """The PDF figures as (what, value, note) rows."""
    import finaudit
    from finaudit.audit import audit
    from finaudit.read import pdfium
    from finaudit.read.pdf import load_pdf

    audit(finaudit.load(SAMPLE))  # warm: imports, code lists, templates
    base = best_time(lambda: floor(SAMPLE), runs)
    read = best_time(lambda: pdfium.read_pages(SAMPLE), runs)
    load = best_time(lambda: load_pdf(SAMPLE), runs)
    unguarded = best_time(lambda: load_pdf(SAMPLE, engine="pdfium-unguarded"), runs)
    both = best_time(lambda: audit(load_pdf(SAMPLE)), runs)
    with ProcessPoolExecutor(2) as pool:
        pages_over_workers(SAMPLE, pool, 2)
        split = best_time(lambda: pages_over_workers(SAMPLE, pool, 2), runs)
    pdfs = bundled_pdfs()
    rate = batch_rate(pdfs)
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    return [
        ("PDFium floor: 25-page Putuo PDF, chars + boxes + page objects", ms(base), "raw pypdfium2"),
        ("  finaudit page reader (chars, edges, sizes), one process", ms(read), f"{read / base:.2f}× floor"),
        ("  the same over 2 worker processes (alternate pages)", ms(split),
         f"{'saves' if split < read else 'costs'} {ms(abs(read - split))}; not used"),
        ("  finaudit load, PDFium in a guarded child", ms(load), f"{load / base:.2f}× floor"),
        ("  finaudit load, PDFium in this process", ms(unguarded), f"{unguarded / base:.2f}× floor"),
        ("  finaudit load + full audit", ms(both), f"{both / base:.2f}× floor (target ≤ 3×)"),
        (f"PDF batch, all {len(pdfs)} bundled PDFs, --jobs 2", f"{rate:.1f} PDFs/s", "whole process, JSON out"),
    ]


def main(runs: int = 7) -> None:
    for name, value, note in rows(runs):
        print(f"  {name:<66}  {value:>12}  {note}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)

"""A cost bound per document: reading runs in a worker process under limits, whatever the engine.

A published report is a few hundred KB of text or a few MB of PDF, read in seconds. A hostile or
broken file can cost far more than its size suggests (a 7 KB PDF whose forty pages share one
compressed stream of 100,000 glyphs; a text report of millions of short paragraphs), so
``load_bounded`` — the ``finaudit.load`` that the CLI, the workbook and the dashboard call — reads
it in a forked worker process:

=====================  ===========  ====================================================================
limit                  default      what it bounds
=====================  ===========  ====================================================================
``seconds``            120          wall time of the whole read (and audit); the worker and its page workers are killed
``memory_mb``          1536         address space the worker may add (RLIMIT_AS, per process)
``text_mb``            20           size of a text report
``pdf_mb``             100          size of a PDF
``pages``              500          pages of a PDF
``glyphs_per_page``    20000        characters on one PDF page (real pages: under 1,500)
``glyphs``             1000000      characters in a whole PDF
``inline_kb``          256          a text report up to this size is read in-process, without a worker
=====================  ===========  ====================================================================

Text reports are read in time and memory linear in their size (a 4 MB one in well under a second), so
one of up to ``inline_kb`` — every real one seen is 30–300 KB — is read in the caller's process, where a
fork would cost more than the read (tens of milliseconds); the size, digit and exception checks still
apply. Larger text, every PDF and every package directory go to the worker.

The bound covers a document's whole processing, not only its read: ``process_bounded`` runs the work
that follows the read (``finaudit.audit.audited``: the rules and the root causes; the dashboard's frames)
in the same worker, under the same time and memory, and sends back the report with the work's result.
Every entry point (check, batch, dossier, corpus build, publish, the dashboard) processes a document this
way; a document whose audit would run for minutes ends at the bound with a message, like a costly read.

PDF pages are counted when PDFium opens the file, and glyphs as each page is read (PDFium's count
of the page's characters, before they are laid out). Past a limit the read ends with a ``ReportFormatError`` that names the limit
and how to raise it; the caller (a CLI, a notebook kernel) keeps its memory and state, because the
cost was paid in the worker. Any other exception of a reader becomes a ``ReportFormatError`` too.

Override a limit with an environment variable ``FINAUDIT_LIMIT_<NAME>`` (e.g.
``FINAUDIT_LIMIT_SECONDS=300``), ``finaudit --limit seconds=300 …`` on the command line, or pass
``Limits(...)`` to ``load_bounded``. ``seconds=0`` reads in-process with no worker and no time or
memory bound (for debugging).
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable, TypeVar

from finaudit.model import Report, ReportFormatError

ENV_PREFIX = "FINAUDIT_LIMIT_"
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one document may cost to read (see the module docstring for each limit)."""

    seconds: float = 120
    memory_mb: int = 1536  # real documents add tens of MB; a hostile one stops well under 2 GB in all
    text_mb: float = 20
    pdf_mb: float = 100
    pages: int = 500
    glyphs_per_page: int = 20_000
    glyphs: int = 1_000_000
    inline_kb: float = 256

    def __post_init__(self):
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"limit {item.name} must not be negative")

    @classmethod
    def from_env(cls, environ=os.environ) -> "Limits":
        """The defaults, overridden by FINAUDIT_LIMIT_<NAME> variables."""
        return cls().with_settings({item.name: environ[ENV_PREFIX + item.name.upper()]
                                    for item in fields(cls) if ENV_PREFIX + item.name.upper() in environ})

    def with_settings(self, settings: dict[str, str]) -> "Limits":
        """A copy with some limits given as text (``{"seconds": "300"}``); ValueError on an unknown name."""
        types = {item.name: item.type for item in fields(self)}
        values = {}
        for name, text in settings.items():
            if name not in types:
                raise ValueError(f"unknown limit {name!r}; known: {', '.join(types)}")
            values[name] = (int if types[name] == "int" else float)(text)
        return replace(self, **values)


_configured: Limits | None = None


def configure(limits: Limits | None) -> None:
    """Set the limits for this process (and the processes it forks); None returns to the environment's."""
    global _configured
    _configured = limits


def current() -> Limits:
    return _configured or Limits.from_env()


class _LimitExceeded(Exception):
    def __init__(self, name: str, value, found: str):
        super().__init__(name, value, found)
        self.limit, self.value, self.found = name, value, found


def _exceeded(source: str, name: str, value, found: str) -> ReportFormatError:
    return ReportFormatError(source, None, f"a document within the {name} limit ({value}; "
                                           f"raise it with FINAUDIT_LIMIT_{name.upper()} or --limit {name}=N)", found)


def check_size(path: Path, limits: Limits) -> bool:
    """Refuse a file larger than its kind's size limit (before anything is read); True for a PDF."""
    if not path.is_file():
        return False
    size = path.stat().st_size
    with path.open("rb") as handle:
        is_pdf = handle.read(5) == b"%PDF-"
    name, limit = ("pdf_mb", limits.pdf_mb) if is_pdf else ("text_mb", limits.text_mb)
    if size > limit * 2**20:
        raise _LimitExceeded(name, limit, f"{size / 2**20:.1f} MB")
    return is_pdf


def read_checked(path: Path, limits: Limits) -> Report:
    """The engine's read after the size check, a PDF's pages and glyphs counted as they are read; any
    surprise becomes a ReportFormatError."""
    from finaudit.read import load

    try:
        if check_size(path, limits):
            report = _read_pdf(path, limits)
        else:
            report = load(path)  # a text report or a package: the PDF reader is not even imported
    except (ReportFormatError, _LimitExceeded):
        raise
    except MemoryError:
        raise _LimitExceeded("memory_mb", limits.memory_mb, "the reader ran out of memory") from None
    except RecursionError:
        raise ReportFormatError(str(path), None, "a readable report", "nesting too deep to read") from None
    except Exception as error:  # a parser surprise is the document's fault, not a crash of the caller
        raise ReportFormatError(str(path), None, "a readable report", f"{type(error).__name__}: {error}") from None
    oversized = next((w for w in report.warnings if w.code == "amount-too-large"), None)
    if oversized:
        from finaudit.read.tables import MAX_AMOUNT_DIGITS

        digits = max(len(run) for run in re.findall(r"\d+", oversized.message.replace(",", "")))
        raise ReportFormatError(str(path), oversized.line, f"amounts of at most {MAX_AMOUNT_DIGITS} digits",
                                f"a number of {digits} digits", page=oversized.page)
    return report


def _read_pdf(path: Path, limits: Limits) -> Report:
    """A PDF, its pages and glyphs counted as they are read."""
    from finaudit.read.pdf import load_pdf
    from finaudit.read.pdfium import Bound, PdfTooCostly

    try:
        return load_pdf(path, bound=Bound(limits.pages, limits.glyphs_per_page, limits.glyphs))
    except PdfTooCostly as error:
        raise _LimitExceeded(error.limit, error.value, error.found) from None


def load_bounded(path: str | Path | Sequence[str | Path], limits: Limits | None = None) -> Report:
    """Load a report (``finaudit.read.load``) within `limits` (default: ``current()``), in a worker process;
    several paths: the files of one document (a 情况说明 and its 报表), read and joined in that worker."""
    return process_bounded(path, None, limits)[0]


def process_bounded(path: str | Path | Sequence[str | Path], work: Callable[[Report], T] | None,
                    limits: Limits | None = None) -> tuple[Report, T | None]:
    """Given a document (a file, or the files of one document in two) and the work to do on its report (the
    audit, its root causes, what a view derives), return the report and the work's result, both done under one
    bound: `limits` (default ``current()``) of time and memory for the read and the work together, in one worker
    process. Without work, a small text report is read in this process (see the module docstring)."""
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    limits = limits or current()
    for one in paths:
        _import_engines(one)  # once in this process, not in every worker
    source = " + ".join(map(str, paths))
    if not limits.seconds or not hasattr(os, "fork") or (work is None and len(paths) == 1
                                                           and _small_text(paths[0], limits)):
        return _outcome(source, _attempt(paths, limits, work))
    return _outcome(source, _in_worker(paths, limits, work))


def _small_text(path: Path, limits: Limits) -> bool:
    try:
        if not path.is_file() or path.stat().st_size > limits.inline_kb * 1024:
            return False
        with path.open("rb") as handle:
            return handle.read(5) != b"%PDF-" and path.suffix.lower() != ".pdf"
    except OSError:
        return False


def _import_engines(path: Path) -> None:
    """The PDF reader and its engines, imported once in this process before a worker forks (a text
    report does not need them: ``read_checked`` imports them itself for a PDF by another name)."""
    if path.suffix.lower() == ".pdf":
        import finaudit.read.pdf  # noqa: F401

        for engine in ("pypdfium2", "pdfplumber"):
            try:
                __import__(engine)
            except ImportError:
                pass


def _attempt(paths: list[Path], limits: Limits, work: Callable[[Report], T] | None = None) -> tuple:
    """("report", (Report, work's result)) | ("format", error fields) | ("limit", name, value, found); the
    files of a document in two are read each and joined (``read.bundle.load_together``)."""
    try:
        if len(paths) == 1:
            report = read_checked(paths[0], limits)
        else:
            from finaudit.read.bundle import load_together

            report = load_together(paths, lambda one: read_checked(Path(one), limits))
        return ("report", (report, work(report) if work else None))
    except _LimitExceeded as error:
        return ("limit", error.limit, error.value, error.found)
    except ReportFormatError as error:
        return ("format", (error.source, error.line, error.expected, error.found, error.page))


def _outcome(source: str, outcome: tuple) -> tuple:
    if outcome[0] == "report":
        return outcome[1]
    if outcome[0] == "limit":
        raise _exceeded(source, *outcome[1:])
    source_, line, expected, found, page = outcome[1]
    raise ReportFormatError(source_, line, expected, found, page=page)


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _in_worker(paths: list[Path], limits: Limits, work: Callable[[Report], T] | None = None) -> tuple:
    """Fork; the child reads under RLIMIT_AS and sends the pickled outcome back; the parent waits at most
    `limits.seconds`, then kills the child's process group (the child and its page workers)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        status = 1
        try:
            os.close(read_end)
            os.setpgid(0, 0)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if limits.memory_mb:
                import resource

                ceiling = _address_space() + limits.memory_mb * 2**20
                _, inherited = resource.getrlimit(resource.RLIMIT_AS)  # a kernel's ceiling (views.ceiling)
                if inherited != resource.RLIM_INFINITY:
                    ceiling = min(ceiling, inherited)
                resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
            try:
                data = pickle.dumps(_attempt(paths, limits, work), protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                data = pickle.dumps(("limit", "memory_mb", limits.memory_mb, f"{_doing(work)} ran out of memory"))
            except Exception as error:  # a result that cannot be sent back: say so, not "out of memory"
                data = pickle.dumps(("format", (str(paths[0]), None, "a readable report", f"{type(error).__name__}: {error}",
                                                None)))
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.seconds
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    _kill(pid)
                    return ("limit", "seconds", limits.seconds, f"still {_doing(work)} after {limits.seconds:g} s")
                ready, _, _ = select.select([pipe], [], [], min(left, 1.0))
                if ready:
                    chunk = pipe.read(1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    _, status = os.waitpid(pid, 0)
    if not chunks:
        signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        found = (f"{_doing(work)} was stopped by signal {signalled}" if signalled
                 else f"{_doing(work)} exited with {status >> 8}")
        return ("limit", "memory_mb", limits.memory_mb, found + " (most likely out of memory)")
    return pickle.loads(b"".join(chunks))


def _doing(work) -> str:
    """What the worker does, in words for a message."""
    return "reading and auditing" if work else "reading"


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except ProcessLookupError:
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass

"""Which files are documents: the one rule that check, batch, dossier, corpus, publish and the
dashboard's picker follow.

A document is a regular ``.txt`` or ``.pdf`` file (a link to one included), or a package directory (one
holding ``report.json``, ``finaudit.read.package.INDEX``). Never a document: a hidden file or folder
(``.name``), Jupyter's checkpoint copies (``.ipynb_checkpoints/``, ``name-checkpoint.txt``), and anything
that is not a regular file — a FIFO, a device, a socket, a link to one of them or to nothing — which
could block a reader or feed it without end. Walking a folder, such a file with a document's suffix is
*refused* (kept with the reason, so the caller can show it), the others are passed over in silence.

A path given explicitly (not found by walking) is the user's choice: its name is not judged, but it
must still be a regular file or a package directory.

``open_regular`` is the one way a document's bytes are opened: without blocking (a FIFO that appeared
after the walk), and only when what was opened is a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, NamedTuple

from finaudit.model import ReportFormatError
from finaudit.read.package import INDEX

#: The suffixes of a document file.
SUFFIXES = (".txt", ".pdf")

#: Jupyter's folder of checkpoint copies, and the mark in a checkpoint copy's name (``report-checkpoint.txt``).
CHECKPOINTS = ".ipynb_checkpoints"
CHECKPOINT_MARK = "-checkpoint"


class Discovered(NamedTuple):
    """The documents found under some paths, in a stable order, and what was refused, with the reason (which
    does not repeat the path)."""

    documents: list[Path]
    refused: list[tuple[Path, str]]


def is_hidden(name: str) -> bool:
    """Given a file or folder name, return whether it is never a document's: hidden, or a Jupyter checkpoint."""
    return name.startswith(".") or name == CHECKPOINTS or Path(name).stem.endswith(CHECKPOINT_MARK)


def kind_of(mode: int) -> str:
    """Given a stat mode, return what the file is, in words ("a FIFO", "a character device", …)."""
    for test, words in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "not a regular file"


def irregular(path: Path) -> str | None:
    """Given a path, return None when it is a regular file or a folder (after links), else what it is."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a link to nothing" if path.is_symlink() else "nothing at that path"
    except OSError as error:
        return f"not readable ({error.strerror or error})"
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else kind_of(mode)


def is_package(path: Path) -> bool:
    """Given a path, return whether it is a package directory (a folder holding a regular report.json)."""
    return path.is_dir() and (path / INDEX).is_file()


def is_document(path: Path) -> bool:
    """Given a path found by walking, return whether it is a document (see the module docstring)."""
    path = Path(path)
    if is_hidden(path.name) or irregular(path):
        return False
    return is_package(path) if path.is_dir() else path.suffix.lower() in SUFFIXES


def discover(paths: Iterable[Path | str]) -> Discovered:
    """Given files and folders, return the documents they are or hold (a folder walked, hidden and checkpoint
    folders passed over, links to folders not followed) and what was refused: a file with a document's suffix
    that is not a regular file, a folder that cannot be listed, a given path that is no document."""
    documents: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for path in map(Path, paths):
        problem = irregular(path)
        if problem:
            refused.append((path, f"expected a regular file or a folder; found {problem}"))
        elif path.is_dir() and not is_package(path):
            _walk(path, documents, refused)
        else:
            documents.append(path)
    return Discovered(sorted(dict.fromkeys(documents)), sorted(dict.fromkeys(refused)))


def _walk(root: Path, documents: list[Path], refused: list[tuple[Path, str]]) -> None:
    def failed(error: OSError) -> None:
        where = Path(error.filename or root)
        refused.append((where, f"cannot list the folder ({error.strerror or error})"))

    for directory, folders, files in os.walk(root, onerror=failed):
        here = Path(directory)
        folders[:] = sorted(name for name in folders if not is_hidden(name))
        for name in list(folders):
            if is_package(here / name):
                folders.remove(name)
                documents.append(here / name)
        for name in sorted(files):
            file = here / name
            if is_hidden(name) or file.suffix.lower() not in SUFFIXES:
                continue
            problem = irregular(file)
            if problem:
                refused.append((file, f"expected a regular file; found {problem} (not read)"))
            else:
                documents.append(file)


def open_regular(path: Path):
    """Given a document's path, return it opened for reading in binary, or raise ReportFormatError naming what
    it is when it is not a regular file; never blocks (a FIFO is opened non-blocking, then refused)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReportFormatError(str(path), None, "an existing file or package directory", "nothing at that path") from None
    except IsADirectoryError:
        raise ReportFormatError(str(path), None, "a report file or a package directory",
                                f"a folder without {INDEX}") from None
    except OSError as error:
        raise ReportFormatError(str(path), None, "a readable file", error.strerror or str(error)) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ReportFormatError(str(path), None, "a regular file", f"{kind_of(mode)} (not read)")
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")

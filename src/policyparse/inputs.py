"""The inputs of a run: found under the arguments (directories walked), and read safely one by one.

    >>> [i.path for i in discover(["samples"])][:1]
    ['samples/000_d7f5d53e4e07740e.txt']
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass

from .errors import PolicyparseError
from .readers import MAX_BYTES, SUFFIXES


@dataclass(frozen=True)
class Input:
    """One input: a path (``-`` = stdin), where it sits under its directory argument."""

    path: str
    rel: str | None = None  # path relative to the directory argument it was found under
    data: bytes | None = None  # stdin's bytes, read once by the parent
    error: tuple[str, str] | None = None  # (code, message) known before reading


def discover(args: list[str], globs: list[str] | None = None) -> list[Input]:
    """Inputs in order: each argument in turn; a directory's files sorted by path.

    A directory is walked recursively (hidden entries and symbolic links to
    directories are skipped); its files are kept when their name ends in one of
    ``readers.SUFFIXES``, or matches one of ``globs`` (shell patterns, matched
    against the name, or against the relative path when they hold a ``/``).
    """
    out: list[Input] = []
    for arg in args:
        if arg != "-" and os.path.isdir(arg):
            found = _walk(arg, globs)
            if not found:
                kinds = ", ".join(globs) if globs else " ".join(SUFFIXES)
                found = [Input(arg, error=("not-found", f"no input files ({kinds}) in this directory"))]
            out.extend(found)
        else:
            out.append(Input(arg))
    return out


def _walk(root: str, globs: list[str] | None) -> list[Input]:
    found: list[Input] = []

    def unlisted(exc: OSError) -> None:
        path = exc.filename or root
        rel = os.path.relpath(path, root)
        found.append(Input(path, rel, error=("unreadable", f"cannot list the directory ({exc.strerror})")))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if _wanted(name, rel, globs):
                found.append(Input(path, rel))
    return sorted(found, key=lambda i: i.rel.split(os.sep))


def _wanted(name: str, rel: str, globs: list[str] | None) -> bool:
    if not globs:
        return name.lower().endswith(SUFFIXES)
    return any(fnmatch.fnmatchcase(rel if "/" in g else name, g) for g in globs)


def read_input(path: str) -> bytes:
    """The bytes of a regular file, or a PolicyparseError that says why not.

    Never blocks: a FIFO or device is refused before it is opened.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        why = "dangling symbolic link" if os.path.islink(path) else "no such file"
        raise PolicyparseError("not-found", why, path) from None
    except OSError as exc:
        raise PolicyparseError("unreadable", exc.strerror or str(exc), path) from None
    if stat.S_ISDIR(st.st_mode):
        raise PolicyparseError("unreadable", "is a directory", path)
    if not stat.S_ISREG(st.st_mode):
        kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "device or socket"
        raise PolicyparseError("unreadable", f"not a regular file ({kind}); pipe it to stdin with -", path)
    if st.st_size > MAX_BYTES:
        raise PolicyparseError("too-large", f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except PermissionError:
        raise PolicyparseError("unreadable", "permission denied", path) from None
    except OSError as exc:
        raise PolicyparseError("unreadable", exc.strerror or str(exc), path) from None
    if len(data) > MAX_BYTES:  # grew while we looked
        raise PolicyparseError("too-large", f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", path)
    return data

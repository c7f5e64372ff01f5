"""Read a legacy .doc / .wps (OLE compound file) by converting it to .docx with LibreOffice.

This is the one place policyparse runs another program: ``soffice --headless
--convert-to docx`` into a private temporary folder, with its own throw-away
user profile (so parallel runs do not share a lock) and a time limit after which
the whole process group is killed.  Without ``soffice`` on PATH the file is
refused with one clear line.

    >>> ole_kind(b"\\xd0\\xcf\\x11\\xe0" + "WordDocument".encode("utf-16-le"))
    'word'
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import PolicyparseError
from . import RawText

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT = 120.0  # seconds LibreOffice may take for one file
NEEDS_SOFFICE = "legacy .doc/.wps needs LibreOffice (soffice) to convert; or save it as .docx"

# stream names in the compound file's directory (stored as UTF-16LE)
_STREAMS = (
    ("EncryptedPackage", "encrypted"),  # a password-protected .docx/.xlsx
    ("WordDocument", "word"),
    ("Workbook", "spreadsheet"),
    ("Book", "spreadsheet"),
    ("PowerPoint Document", "presentation"),
)


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file holds: word, encrypted, spreadsheet, presentation, or None."""
    if not data.startswith(OLE_MAGIC[:4]):
        return None
    for stream, kind in _STREAMS:
        if stream.encode("utf-16-le") in data:
            return kind
    return None


def soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy(data: bytes, *, name: str | None = None, timeout: float = TIMEOUT) -> RawText:
    """Convert a legacy Word/WPS file to .docx with LibreOffice and read that."""
    kind = ole_kind(data)
    if kind == "encrypted":
        raise PolicyparseError("encrypted", "the document is password-protected", name)
    if kind in ("spreadsheet", "presentation"):
        raise PolicyparseError("unsupported", f"not a text document (an old Office {kind})", name)
    exe = soffice()
    if exe is None:
        raise PolicyparseError("unsupported", NEEDS_SOFFICE, name)
    suffix = Path(name or "").suffix.lower()
    fmt = "wps" if suffix in (".wps", ".wpt") else "doc"
    with tempfile.TemporaryDirectory(prefix="policyparse-") as tmp:
        src = Path(tmp) / f"input.{fmt}"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        profile = (Path(tmp) / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx", "--outdir", str(out_dir), str(src)]
        err = _run(cmd, timeout, name)
        produced = sorted(out_dir.glob("*.docx"))
        if not produced:
            last = err.strip().splitlines()[-1] if err.strip() else "no output"
            raise PolicyparseError("damaged", f"LibreOffice could not convert the file ({last})", name)
        from .docx import read_docx

        raw = read_docx(produced[0].read_bytes(), name=name)
    raw.format = fmt
    return raw


def _run(cmd: list[str], timeout: float, name: str | None) -> str:
    """Run the converter in its own process group; kill the group when time runs out."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as exc:
        raise PolicyparseError("unsupported", f"cannot run LibreOffice ({exc.strerror or exc})", name) from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts helpers: end them all
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.communicate()
        raise PolicyparseError("timeout", f"LibreOffice did not convert the file within {timeout:g} s", name) from None
    return err.decode("utf-8", errors="replace")

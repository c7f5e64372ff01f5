"""Exit codes, the error codes a failed input carries, and the one exception type.

    >>> int(ExitCode.SOME_FAILED)
    1
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status the CLI can return (documented in the README)."""

    OK = 0
    SOME_FAILED = 1  # at least one input could not be processed
    USAGE = 2  # bad arguments or options
    RULES = 3  # a rules file failed to load or validate
    INTERRUPTED = 130  # Ctrl-C


# The stable ``error.code`` values of a failed input, with what each means.  The
# README's "Errors and exit codes" table is this dict; tests check they agree.
ERROR_CODES: dict[str, str] = {
    "empty": "the file is empty or holds only white space",
    "not-text": "binary data (image, archive, executable, ...), not a document",
    "no-text-layer": "a PDF whose pages carry no text (scanned images); OCR it first",
    "encrypted": "a PDF that needs a password",
    "damaged": "a PDF that cannot be parsed (truncated or corrupt)",
    "decode": "the text encoding cannot be determined (try --encoding)",
    "too-large": "the input is larger than the size limit",
    "unreadable": "a directory, FIFO, device, or a file without read permission",
    "not-found": "no such file (or a dangling symbolic link)",
    "unsupported": "a kind of document this build cannot read",
    "timeout": "processing took longer than --timeout seconds",
    "unwritable": "the output file could not be written (-o DIR)",
    "internal": "a bug in policyparse: please report it with the input",
}


class PolicyparseError(Exception):
    """A failure tied to one input, with a stable machine-readable ``code``.

    ``code`` is one of ``ERROR_CODES``.

    >>> str(PolicyparseError("empty", "file is empty", path="a.txt"))
    'a.txt: file is empty'
    """

    def __init__(self, code: str, message: str, path: str | None = None):
        self.code = code
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class RulesError(Exception):
    """A rules file that does not load or validate; names file, rule and line."""

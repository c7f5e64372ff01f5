"""Exit codes and the one exception type that carries a stable error code.

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


class PolicyparseError(Exception):
    """A failure tied to one input, with a stable machine-readable ``code``.

    Codes: empty, not-text, no-text-layer, encrypted, damaged, decode,
    too-large, unreadable, not-found, unsupported, timeout, internal.

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

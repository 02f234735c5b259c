"""The exit statuses of `mutuals`: one table from the engine's error classes to codes, and the
few statuses the command line itself gives. README.md and docs/cli.md list the same codes
(tests/test_cli_contract.py compares them)."""

from __future__ import annotations

from typing import Final

from mutuals.base.errors import (
    Conflict,
    DatabaseUnavailable,
    Expired,
    InvalidInput,
    MissingExtra,
    MutualsError,
    NotAllowed,
    NotFound,
    QueryError,
    ReadOnly,
)

# error class -> exit status; the most specific class of an error wins (Blocked is a NotAllowed: 4)
ERRORS: Final[dict[type[MutualsError], int]] = {
    MutualsError: 1,
    InvalidInput: 2,
    MissingExtra: 2,  # an option that needs an extra not installed: a usage error
    NotFound: 3,
    NotAllowed: 4,
    Conflict: 5,
    ReadOnly: 6,
    QueryError: 7,
    Expired: 8,
    DatabaseUnavailable: 69,
}

CHECK_FAILED: Final = 1  # `db status` when stopped, `doctor` with violations
USAGE: Final = 2  # a missing argument, a bad option value (Click's own status)
REFUSED: Final = ERRORS[NotAllowed]  # a refusal by the rules, as an Outcome or as NotAllowed
BUG: Final = 70  # an unexpected exception (EX_SOFTWARE)
INTERRUPTED: Final = 130  # Ctrl-C

# every status the command can end with, for the documentation test
ALL: Final = frozenset({0, *ERRORS.values(), CHECK_FAILED, USAGE, BUG, INTERRUPTED})


def code_for(error: MutualsError) -> int:
    """The exit status of ``error``: that of the first class of its MRO in the table."""
    for cls in type(error).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return ERRORS[MutualsError]

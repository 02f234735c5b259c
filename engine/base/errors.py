"""The one error hierarchy of mutuals.

Every error the engine raises is a :class:`MutualsError`. Driver errors are translated by
their Neo4j status code in :func:`translate` and chained (``raise ... from e``), so a caller
never has to import the driver to handle a failure. The engine knows no exit codes: the CLI maps
these classes to its exit statuses in one table (``mutuals.cli.exits``).
"""

from __future__ import annotations

from typing import Final


class MutualsError(Exception):
    """Root of every error mutuals raises."""


class InvalidInput(MutualsError, ValueError):
    """A value given to the engine breaks a rule; the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class NotFound(MutualsError, LookupError):
    """An account, post or report named in the request does not exist."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.ident = ident
        super().__init__(f"{kind} not found: {ident}")


class NotAllowed(MutualsError):
    """The rules refuse the action (an interaction the matching check denies). ``outcome`` is the
    refusal in one word, as an :class:`Outcome` would say it; ``reasons`` says why, in words."""

    outcome: str = "not_allowed"

    def __init__(self, message: str, reasons: tuple[str, ...] = (), public_reason: str = "") -> None:
        self.reasons = reasons
        self.public_reason = public_reason  # the text safe to show the actor (rules.public)
        super().__init__(message)


class Blocked(NotAllowed):
    """The action is refused because a block exists between the two accounts."""

    outcome = "blocked"


class Conflict(MutualsError):
    """A concurrent change made the request impossible to apply as asked."""


class Expired(MutualsError):
    """A position (an events cursor) is older than what is retained: some events were pruned unread."""


class ReadOnly(MutualsError):
    """A write was attempted where only reads are allowed (a report, or `query` without --write)."""


class QueryError(MutualsError):
    """A Cypher statement given by the user was refused by the database (syntax, types...)."""


class MissingExtra(MutualsError, ImportError):
    """A feature needs an optional extra that is not installed (``pip install 'mutuals[analysts]'``)."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(f"{feature} needs {module}, from the {extra!r} extra: pip install 'mutuals[{extra}]'")
        self.name = module


class DatabaseUnavailable(MutualsError):
    """Neo4j cannot be reached, refused the credentials, or could not be started."""


class AuthenticationFailed(DatabaseUnavailable):
    """Neo4j refused the username or password."""


class TransactionTooLarge(DatabaseUnavailable):
    """A transaction needed more memory than Neo4j allows it (its transaction memory pool): no
    retry cures that, so it is never retried; the message says what to do instead."""


# a transaction over the server's memory pool: Transient for the driver, but retrying it cannot help
MEMORY_CODES: Final = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.TransactionMemoryLimit",
        "Neo.TransientError.General.OutOfMemoryError",
    }
)
TOO_LARGE_ADVICE: Final = (
    "write in smaller transactions: `mutuals db reset` to empty the database, "
    "`CALL (n) { ... } IN TRANSACTIONS OF 10000 ROWS` with `mutuals query --write`, "
    "or give Neo4j more memory (the embedded server's heap: MUTUALS_HEAP, e.g. MUTUALS_HEAP=4g; "
    "another server: dbms.memory.transaction.total.max and server.memory.heap.max_size)"
)


def never_retried(error: BaseException) -> bool:
    """Whether this driver error is one that no retry cures though the driver would retry it
    (a transaction over the memory pool)."""
    return (getattr(error, "code", None) or "") in MEMORY_CODES


_READ_ONLY_CODES: Final = frozenset(
    {
        "Neo.ClientError.Statement.AccessMode",
        "Neo.ClientError.Cluster.NotALeader",
        "Neo.ClientError.Security.Forbidden",
    }
)


def failure_of(error: Exception) -> Exception:
    """The failure itself. A result read after its transaction failed on another message (the
    BEGIN the driver pipelines with the first statement, say) raises ``ResultFailedError``, which
    the driver never retries, with the transaction's failure (a deadlock: transient) as its cause."""
    import neo4j.exceptions as neo  # here, not at import: `mutuals --help` needs no driver

    cause = error.__cause__
    if isinstance(error, neo.ResultFailedError) and isinstance(cause, (neo.Neo4jError, neo.DriverError, OSError)):
        return cause
    return error


def translate(error: Exception) -> MutualsError:
    """Turn a driver exception into the matching :class:`MutualsError` (message kept to one line)."""
    if isinstance(error, MutualsError):
        return error
    import neo4j.exceptions as neo  # here, not at import: `mutuals --help` needs no driver

    failure = failure_of(error)
    if failure is not error:
        return translate(failure)
    # a server's error carries its message; an error of the driver itself (a pool timeout, a
    # protocol error) says what happened in str(), its `message` being only GQL's generic
    # "50N42: Unexpected error has occurred" placeholder
    raw = getattr(error, "message", None) if isinstance(error, neo.Neo4jError) else None
    message = one_line(raw or str(error) or type(error).__name__)
    if isinstance(error, neo.IncompleteCommit):
        return DatabaseUnavailable(
            "the connection to Neo4j dropped before the commit was confirmed; "
            f"it may or may not have been applied: {message}"
        )
    if isinstance(error, neo.AuthError):
        return AuthenticationFailed("Neo4j refused the credentials (check NEO4J_USERNAME / NEO4J_PASSWORD)")
    if isinstance(error, (neo.ServiceUnavailable, neo.SessionExpired)):
        return DatabaseUnavailable(f"Neo4j is unreachable: {message}")
    if isinstance(error, neo.ConfigurationError):
        return DatabaseUnavailable(f"bad Neo4j configuration: {message}")
    code = getattr(error, "code", None) or ""
    if code in _READ_ONLY_CODES or "AccessMode" in code:
        return ReadOnly(f"refused: this runs read-only ({message})")
    if code == "Neo.ClientError.Schema.ConstraintValidationFailed":
        return Conflict(message)
    if code == "Neo.TransientError.Transaction.BookmarkTimeout":
        return DatabaseUnavailable(
            "this server has not applied the write of the consistency token yet (after=); "
            "retry, or read from the leader"
        )
    if code in MEMORY_CODES:
        return TransactionTooLarge(
            f"the transaction needs more memory than Neo4j allows ({message}): {TOO_LARGE_ADVICE}"
        )
    if isinstance(error, neo.TransientError):
        return DatabaseUnavailable(f"Neo4j is busy, try again: {message}")
    if isinstance(error, (neo.CypherSyntaxError, neo.CypherTypeError)) or code.startswith(
        ("Neo.ClientError.Statement", "Neo.ClientError.Procedure", "Neo.ClientError.Request")
    ):
        return QueryError(message)
    if isinstance(error, (neo.DriverError, neo.Neo4jError, OSError)):
        return DatabaseUnavailable(f"Neo4j failed ({code or type(error).__name__}): {message}")
    return MutualsError(message)


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace so the text fits on one line, cut to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

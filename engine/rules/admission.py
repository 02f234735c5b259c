"""Follow admission in one place: what a follow of B by A does, given the state of the pair.

`follow`, the online import and the offline import all ask :func:`admit` and write what it says,
so the three give the same outcome and the same rejection text for the same row. An imported
follow loads existing state: it is already approved (``approved=True``), so a follow of a
private account is a follow there, not a request, and a pending request of the pair is consumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import Final

#: The outcomes that write a follow, a request, or nothing.
FOLLOW: Final = ("followed", "became_friends")
REQUEST: Final = ("requested",)
UNCHANGED: Final = ("already_following", "already_requested")
REFUSED: Final = ("blocked", "unknown_account")


@dataclass(frozen=True, slots=True)
class Pair:
    """The state of follower ``a`` and followee ``b``, read under their locks (or, offline, as
    the rows are taken). ``a_found``/``b_found``: whether each account exists."""

    a: str
    b: str
    a_found: bool = True
    b_found: bool = True
    b_private: bool = False
    a_follows_b: bool = False
    b_follows_a: bool = False
    a_requested_b: bool = False
    a_blocks_b: bool = False
    b_blocks_a: bool = False


@dataclass(frozen=True, slots=True)
class Admission:
    """The decision: the outcome word, the rejection code and text when refused (else empty),
    and whether a pending request of the pair is consumed by the follow written."""

    outcome: str
    reason: str = ""
    detail: str = ""
    consumes_request: bool = False

    @property
    def refused(self) -> bool:
        return self.outcome in REFUSED

    @property
    def writes_follow(self) -> bool:
        return self.outcome in FOLLOW

    @property
    def writes_request(self) -> bool:
        return self.outcome in REQUEST


def admit(s: Pair, *, approved: bool = False) -> Admission:
    """follow(A, B): refused for an unknown account or across a block either way; nothing to do
    when A already follows B (or, to a private B, already asked); a request to a private B
    unless the follow is ``approved`` (an import of existing state); else a follow, which makes
    friends when B follows A."""
    missing = s.a if not s.a_found else s.b if not s.b_found else None
    if missing is not None:
        return Admission("unknown_account", "unknown_account", f"account not found: {missing}")
    if s.b_blocks_a:
        return Admission("blocked", "blocked_pair", f"{s.b} has blocked {s.a}")
    if s.a_blocks_b:
        return Admission("blocked", "blocked_pair", f"{s.a} has blocked {s.b}")
    if s.a_follows_b:
        return Admission("already_following")
    if s.b_private and not approved:
        return Admission("already_requested" if s.a_requested_b else "requested")
    return Admission("became_friends" if s.b_follows_a else "followed", consumes_request=s.a_requested_b)


# -- the Cypher fragment of the import ----------------------------------------------------
_FLAGS: Final = ("follows", "requested", "blocks", "blocked_by")
_VALUE: Final = re.compile(r"[a-z_][A-Za-z0-9_]*")


def fragment(**inputs: str) -> str:
    """Whether :func:`admit` writes an imported (``approved``) follow, as a Cypher boolean over
    the statement's flags ``follows`` (a follows b), ``requested``, ``blocks`` (a blocks b) and
    ``blocked_by``: the truth table of :func:`admit` itself, over every state of the pair, so
    the statement that applies the rule in bulk cannot say otherwise. ValueError when the
    decision would depend on a fact the flags do not carry."""
    if set(inputs) != set(_FLAGS) or not all(_VALUE.fullmatch(value) for value in inputs.values()):
        raise ValueError(f"admits_imported_follow needs the variables {', '.join(_FLAGS)}; got {inputs}")
    rows: set[tuple[bool, ...]] = set()
    for state in product((False, True), repeat=len(_FLAGS)):
        follows, requested, blocks, blocked_by = state
        answers = {
            admit(
                Pair(
                    "a",
                    "b",
                    b_private=private,
                    a_follows_b=follows,
                    b_follows_a=back,
                    a_requested_b=requested,
                    a_blocks_b=blocks,
                    b_blocks_a=blocked_by,
                ),
                approved=True,
            ).writes_follow
            for private in (False, True)
            for back in (False, True)
        }
        if len(answers) != 1:
            raise ValueError("an imported follow's admission depends on more than the flags")
        if answers.pop():
            rows.add(state)
    listed = ", ".join("[" + ", ".join("true" if flag else "false" for flag in row) + "]" for row in sorted(rows))
    return f"([{', '.join(inputs[name] for name in _FLAGS)}] IN [{listed}])"


# -- the Cypher fragment of a single follow -------------------------------------------------
_PAIR_FLAGS: Final = ("b_private", "a_follows_b", "b_follows_a", "a_requested_b", "a_blocks_b", "b_blocks_a")


def _word(text: str) -> str:
    assert re.fullmatch(r"[a-z_]+", text), text
    return f"'{text}'"


def follow_fragment(**inputs: str) -> str:
    """What :func:`admit` decides for follow(a, b) of two existing accounts, as a Cypher map
    ``{outcome: WORD, write: 'follow' | 'request' | null}`` over the statement's boolean
    variables ``b_private``, ``a_follows_b``, ``b_follows_a``, ``a_requested_b``, ``a_blocks_b``
    and ``b_blocks_a``: the truth table of :func:`admit` itself over every state of the pair, one
    branch per decision, so the one-statement follow (``follow_apply``) cannot decide otherwise
    (and the engine checks the outcome it answers against :func:`admit` again)."""
    if set(inputs) != set(_PAIR_FLAGS) or not all(_VALUE.fullmatch(value) for value in inputs.values()):
        raise ValueError(f"follow_admission needs the variables {', '.join(_PAIR_FLAGS)}; got {inputs}")
    groups: dict[tuple[str, str | None], list[tuple[bool, ...]]] = {}
    for state in product((False, True), repeat=len(_PAIR_FLAGS)):
        flags = dict(zip(_PAIR_FLAGS, state, strict=True))
        decision = admit(Pair("a", "b", **flags))
        write = "follow" if decision.writes_follow else "request" if decision.writes_request else None
        groups.setdefault((decision.outcome, write), []).append(state)
    variables = "[" + ", ".join(inputs[name] for name in _PAIR_FLAGS) + "]"
    branches = []
    for (outcome, write), states in sorted(groups.items(), key=lambda item: item[0][0]):
        listed = ", ".join("[" + ", ".join("true" if flag else "false" for flag in st) + "]" for st in states)
        value = f"{{outcome: {_word(outcome)}, write: {_word(write) if write else 'null'}}}"
        branches.append(f"WHEN {variables} IN [{listed}] THEN {value}")
    return "CASE " + " ".join(branches) + " END"

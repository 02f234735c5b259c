"""The permission rules of DESIGN.md as pure functions over facts read from the graph.

Each rule returns a :class:`Decision`: allowed or not, and the reason that decided in words a
support agent can read. The same functions serve every check, batch check and runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer of a check: allowed or not, the rule that decided (a stable code) and why."""

    allowed: bool
    rule: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "reasons": list(self.reasons), "rule": self.rule}


def _yes(rule: str, reason: str) -> Decision:
    return Decision(True, rule, (reason,))


def _no(rule: str, reason: str) -> Decision:
    return Decision(False, rule, (reason,))


def message(
    sender: str,
    recipient: str,
    *,
    sender_blocks: bool,
    recipient_blocks: bool,
    dm_policy: str,
    friends: bool,
) -> Decision:
    """can_message(A, B): A differs from B, no block either way, and B's dm_policy allows A."""
    if sender == recipient:
        return _no("self", f"{sender} cannot message themselves")
    if recipient_blocks:
        return _no("blocked_by_target", f"{recipient} has blocked {sender}")
    if sender_blocks:
        return _no("blocking_target", f"{sender} has blocked {recipient}; unblock them to send messages")
    if dm_policy == "everyone":
        return _yes("dm_everyone", f"{recipient} accepts messages from everyone")
    if dm_policy == "nobody":
        return _no("dm_nobody", f"{recipient} does not accept messages from anyone")
    if friends:
        return _yes(
            "dm_friends", f"{recipient} accepts messages from friends, and {sender} and {recipient} are friends"
        )
    return _no(
        "dm_friends_only",
        f"{recipient} accepts messages only from friends, and {sender} and {recipient} are not friends "
        "(both must follow each other)",
    )

"""The permission rules of docs/rules.md as pure functions over facts read from the graph.

Each rule returns a :class:`Decision`: allowed or not, and the reason that decided in words a
support agent can read. The same functions serve every check, batch check and runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mutuals.rules import visibility
from mutuals.rules.public import public_reason


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer of a check: allowed or not, the rule that decided (a stable code), why in
    words a support agent can read (``reasons``), and ``public_reason``: the text safe to show
    the actor (never a block or mute by the other party, never that a hidden post exists;
    :mod:`mutuals.rules.public`). Left empty, it is derived from the rule code."""

    allowed: bool
    rule: str
    reasons: tuple[str, ...]
    public_reason: str = ""

    def __post_init__(self) -> None:
        if not self.public_reason:
            object.__setattr__(self, "public_reason", public_reason(self.rule, self.allowed))

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": list(self.reasons),
            "rule": self.rule,
            "public_reason": self.public_reason,
        }

    def for_viewer(self) -> dict[str, Any]:
        """The answer to show the actor: ``allowed`` and ``public_reason`` only (no rule code,
        which would tell a hidden post from a missing one, or a block from a policy)."""
        return {"allowed": self.allowed, "public_reason": self.public_reason}


def _yes(rule: str, reason: str) -> Decision:
    return Decision(True, rule, (reason,))


def _no(rule: str, reason: str) -> Decision:
    return Decision(False, rule, (reason,))


def no_such_post(post: str) -> Decision:
    """The denial for a post that does not exist: its viewer-facing text is the very text of a
    post the viewer may not see."""
    return _no("no_such_post", f"there is no post {post}")


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


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the rules need to know about one post and one viewer (None: logged out)."""

    post: str
    author: str
    visibility: str
    author_private: bool
    comment_policy: str
    duet_policy: str
    stitch_policy: str
    viewer: str | None = None
    viewer_follows_author: bool = False
    author_follows_viewer: bool = False
    viewer_blocks_author: bool = False
    author_blocks_viewer: bool = False
    viewer_close_friend: bool = False  # the author has the viewer on their close-friends list

    @property
    def friends(self) -> bool:
        return self.viewer_follows_author and self.author_follows_viewer


def view(f: PostFacts) -> Decision:
    """can_view(V, P), in the order of docs/rules.md, decided by the table of :mod:`mutuals.rules.visibility`."""
    allowed, rule, reason = visibility.decide(f)
    return Decision(allowed, rule, (reason,))


def _policy(kind: str, policy: str, f: PostFacts, verb: str) -> Decision:
    """Whether the author's (or post's) ``kind`` policy lets the viewer ``verb``."""
    v, a = f.viewer, f.author
    if v == a:
        return _yes("author", f"{v} is the author")
    if policy == "everyone":
        return _yes(f"{kind}_everyone", f"{a} lets everyone {verb}")
    if policy == "friends":
        if f.friends:
            return _yes(f"{kind}_friends", f"{a} lets friends {verb}, and {v} and {a} are friends")
        return _no(
            f"{kind}_friends_only",
            f"{a} lets only friends {verb}, and {v} and {a} are not friends ({visibility.missing_follows(f)})",
        )
    if policy == "nobody":
        return _no(f"{kind}_nobody", f"{a} does not let anyone {verb}")
    return _no(f"{kind}_only_me", f"{a} does not let anyone else {verb} this post")


def _both(first: Decision, second: Decision) -> Decision:
    if not first.allowed:
        return first
    return Decision(second.allowed, second.rule, first.reasons + second.reasons)


def comment(f: PostFacts) -> Decision:
    """can_comment(A, P): can_view and the author's comment_policy allows A (the author always may)."""
    if f.viewer is None:
        return _no("anonymous", "a logged-out viewer cannot comment")
    return _both(view(f), _policy("comment", f.comment_policy, f, "comment"))


def duet(f: PostFacts) -> Decision:
    """can_duet(A, P): can_view and the post's effective duet policy allows A."""
    if f.viewer is None:
        return _no("anonymous", "a logged-out viewer cannot duet")
    return _both(view(f), _policy("duet", f.duet_policy, f, "duet"))


def stitch(f: PostFacts) -> Decision:
    """can_stitch(A, P): can_view and the post's effective stitch policy allows A."""
    if f.viewer is None:
        return _no("anonymous", "a logged-out viewer cannot stitch")
    return _both(view(f), _policy("stitch", f.stitch_policy, f, "stitch"))

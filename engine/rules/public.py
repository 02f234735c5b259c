"""What the actor may be told: each rule code of the checks mapped to a text safe to show them.

``reasons`` are for a support agent and may say "A has blocked B"; ``public_reason`` is what a
service shows the actor. It never reveals that the other party blocked or muted them, nor that a
post they may not see exists: every denied view (a hidden post, a post of a private account, a
block either way, a missing post) reads :data:`NOT_AVAILABLE`, and a block by the recipient of a
message reads like the recipient's refusal of messages (:data:`CANNOT_MESSAGE`). A code missing
from the table is denied with the safe text (when in doubt, deny quietly).
"""

from __future__ import annotations

from typing import Final

NOT_AVAILABLE: Final = "This content isn't available"
CANNOT_MESSAGE: Final = "You can't message this account"
ALLOWED: Final = "Allowed"

# every denial of can_view: the same text, so a hidden post, a block and a missing post look alike
VIEW_DENIALS: Final = (
    "blocked_by_author",
    "blocking_author",  # the viewer's own block; still not a hint that a post exists
    "private_author",
    "not_follower",
    "not_friends",
    "only_me",
    "not_close_friend",
    "unknown_visibility",
    "anonymous_private_author",
    "anonymous_not_public",
    "no_such_post",
)

DENIED: Final[dict[str, str]] = {
    **dict.fromkeys(VIEW_DENIALS, NOT_AVAILABLE),
    # can_message: a block by the recipient reads exactly like the recipient refusing messages
    "blocked_by_target": CANNOT_MESSAGE,
    "dm_nobody": CANNOT_MESSAGE,
    "dm_friends_only": CANNOT_MESSAGE,
    "blocking_target": "You have blocked this account; unblock them to send messages",
    "self": "You can't message yourself",
    # the author's policies, once the actor may see the post
    "anonymous": "Log in to do this",
    "comment_friends_only": "Only the author's friends can comment on this post",
    "comment_nobody": "Comments are turned off for this post",
    "duet_friends_only": "Only the author's friends can duet this post",
    "duet_only_me": "Duets are turned off for this post",
    "stitch_friends_only": "Only the author's friends can stitch this post",
    "stitch_only_me": "Stitches are turned off for this post",
}


def public_reason(rule: str, allowed: bool) -> str:
    """The actor-safe text of a decision by ``rule``."""
    if allowed:
        return ALLOWED
    return DENIED.get(rule, NOT_AVAILABLE)

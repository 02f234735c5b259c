"""The SpiceDB schema for mutuals' visibility rules, and the translation of the graph into tuples.

The rules (docs of the domain, can_view, in order): the author sees their own post; a block
between viewer and author in either direction denies; ``only_me`` denies; ``close_friends`` ->
the viewer is on the author's list; ``friends`` -> mutual follow; ``followers`` -> the viewer
follows the author; ``public`` -> if the author is private, the viewer follows the author, else
yes. An anonymous viewer sees only public posts of public accounts.

SpiceDB's best schema for them (its documentation's advice: subject sets rather than wildcard
flags or caveats): each post has one ``audience`` tuple pointing at the subject set that may see
it (``user:A#follower``, ``user:A#friend``, ``user:A#close_friend``, or the wildcard ``user:*``
for a public post of a public account; none for ``only_me``), so a check reads the post's
audience and at most one membership. A follow is stored from both ends (``follower`` on the
followee, ``following`` on the follower) so that ``friend`` is an intersection, and a block is
stored on both accounts so that "either direction" is one exclusion.

What this costs on write (the caveats of docs/performance.md): a follow is 2 tuples, a block 2,
a post 1 or 2; making an account private or public rewrites the audience tuple of every public
post of the account; a pending follow request grants nothing and is not stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

SCHEMA = """\
definition user {
    relation follower: user
    relation following: user
    relation blocked: user
    relation close_friend: user

    permission friend = follower & following
}

definition post {
    relation author: user
    relation audience: user:* | user#follower | user#friend | user#close_friend

    permission view = author + (audience - author->blocked)
    permission following_feed = author->follower & view
}
"""

# SpiceDB object ids allow [a-zA-Z0-9/_|\-=+]; account and post ids allow [A-Za-z0-9_.-]: the dot
# becomes "|" (never in an id, so the mapping is one to one) and the anonymous viewer is a user
# id no account can have.
ANONYMOUS = "=anonymous"
_OBJECT_ID = re.compile(r"^[a-zA-Z0-9/_|\-=+]{1,1024}$")


def object_id(id: str) -> str:
    """The SpiceDB object id of an account or post id."""
    out = id.replace(".", "|")
    if not _OBJECT_ID.match(out):
        raise ValueError(f"not an account or post id: {id!r}")
    return out


def viewer_id(viewer: str | None) -> str:
    """The subject of a check: the account, or the anonymous user for a logged-out viewer."""
    return ANONYMOUS if viewer is None else object_id(viewer)


@dataclass(frozen=True, order=True)
class Tuple:
    """One relationship: ``resource_type:resource_id#relation@subject_type:subject_id[#subject_relation]``."""

    resource_type: str
    resource_id: str
    relation: str
    subject_type: str
    subject_id: str
    subject_relation: str = ""

    def __str__(self) -> str:
        tail = f"#{self.subject_relation}" if self.subject_relation else ""
        return f"{self.resource_type}:{self.resource_id}#{self.relation}@{self.subject_type}:{self.subject_id}{tail}"


def follow_tuples(follower: str, followee: str) -> list[Tuple]:
    """A follow, stored from both ends (friends = follower & following)."""
    a, b = object_id(follower), object_id(followee)
    return [Tuple("user", b, "follower", "user", a), Tuple("user", a, "following", "user", b)]


def block_tuples(blocker: str, blocked: str) -> list[Tuple]:
    """A block, stored on both accounts ("a block either way denies" is one exclusion)."""
    a, b = object_id(blocker), object_id(blocked)
    return [Tuple("user", a, "blocked", "user", b), Tuple("user", b, "blocked", "user", a)]


def close_friend_tuples(owner: str, member: str) -> list[Tuple]:
    return [Tuple("user", object_id(owner), "close_friend", "user", object_id(member))]


def audience(author: str, visibility: str, private: bool) -> Tuple | None:
    """The subject set a post's ``audience`` points at (None: only the author, ``only_me``)."""
    a = object_id(author)
    if visibility == "only_me":
        return None
    if visibility == "public" and not private:
        return Tuple("post", "", "audience", "user", "*")
    subject = {"public": "follower", "followers": "follower", "friends": "friend", "close_friends": "close_friend"}
    if visibility not in subject:
        raise ValueError(f"unknown visibility: {visibility!r}")
    return Tuple("post", "", "audience", "user", a, subject[visibility])


def post_tuples(post: str, author: str, visibility: str, private: bool) -> list[Tuple]:
    """A post: its author, and its audience unless only the author may see it."""
    p = object_id(post)
    out = [Tuple("post", p, "author", "user", object_id(author))]
    seen = audience(author, visibility, private)
    if seen is not None:
        out.append(Tuple("post", p, "audience", seen.subject_type, seen.subject_id, seen.subject_relation))
    return out


def graph_tuples(
    private: Mapping[str, bool],
    follows: Iterable[tuple[str, str]],
    blocks: Iterable[tuple[str, str]],
    posts: Iterable[tuple[str, str, str]],
) -> Iterator[tuple[str, list[Tuple]]]:
    """(kind, tuples of one row) for every row of a graph: follows, blocks, then posts
    (``private``: account id -> the private flag; a post's audience depends on it)."""
    for a, b in follows:
        yield "follows", follow_tuples(a, b)
    for a, b in blocks:
        yield "blocks", block_tuples(a, b)
    for pid, author, visibility in posts:
        yield "posts", post_tuples(pid, author, visibility, private[author])

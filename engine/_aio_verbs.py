"""The verbs of ``AsyncEngine``: GENERATED from engine/core.py by tools/unasync.py. Do not edit."""

# ruff: noqa
from __future__ import annotations
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from mutuals import bulk
from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput
from mutuals.base.models import (
    Audience,
    Event,
    FeedItem,
    Outcome,
    Page,
    Post,
    Preview,
    Profile,
    Relationship,
    SegmentCounts,
    Suggestion,
    ViewerProfile,
)
from mutuals.base.values import plain
from mutuals.io import tokens
from mutuals.io.config import Config
from mutuals.io.connection import Connection
from mutuals.io.cursor import Cursors
from mutuals.ops import (
    accounts,
    checks,
    close_friends,
    feeds,
    follows,
    interactions,
    lists,
    mutes,
    posts,
    preview,
    schema,
    social,
)
from mutuals.ops import events as outbox
from mutuals.ops import reset as emptying
from mutuals.rules import Decision
from mutuals.views import charts, reports
from mutuals.views import demo as demo_module
from mutuals.views.doctor import DoctorReport
from mutuals.views.doctor import doctor as doctor_plan
from mutuals.views.ego import DEFAULT_LIMIT as EGO_LIMIT
from mutuals.views.ego import EgoPicture, ego_network, picture
from mutuals.io.aio_connection import AsyncConnection


class AsyncVerbs:
    """Every single-plan verb of ``Engine``, awaitable; the plans are the same objects."""

    _conn: AsyncConnection
    _cursors: Cursors

    async def user_add(
        self,
        id: str,
        *,
        private: bool = False,
        dm_policy: str | None = None,
        comment_policy: str | None = None,
        duet_policy: str | None = None,
        stitch_policy: str | None = None,
        followers_visibility: str | None = None,
        following_visibility: str | None = None,
    ) -> Outcome:
        """Create an account (``created`` or ``already_exists``; an existing account is left as it is)."""
        return await self._conn.write(
            accounts.user_add(
                id,
                private=private,
                dm_policy=dm_policy,
                comment_policy=comment_policy,
                duet_policy=duet_policy,
                stitch_policy=stitch_policy,
                followers_visibility=followers_visibility,
                following_visibility=following_visibility,
            )
        )

    async def user_set(
        self,
        id: str,
        *,
        private: bool | None = None,
        dm_policy: str | None = None,
        comment_policy: str | None = None,
        duet_policy: str | None = None,
        stitch_policy: str | None = None,
        followers_visibility: str | None = None,
        following_visibility: str | None = None,
    ) -> Outcome:
        """Change an account's settings (``updated`` or ``unchanged``); going public approves pending requests."""
        return await self._conn.write(
            accounts.user_set(
                id,
                private=private,
                dm_policy=dm_policy,
                comment_policy=comment_policy,
                duet_policy=duet_policy,
                stitch_policy=stitch_policy,
                followers_visibility=followers_visibility,
                following_visibility=following_visibility,
            )
        )

    async def user_show(self, id: str, *, after: str | None = None) -> Profile:
        """An account's settings with its follower, following and friend counts."""
        return await self._conn.read(accounts.user_show(id), after=tokens.checked(after))

    async def profiles(self, ids: list[str], *, viewer: str | None = None, after: str | None = None) -> list[Profile]:
        """``user_show`` for many accounts (up to 500) in one round trip, in the order given; for a
        ``viewer``, the counts are None across an active block."""
        return await self._conn.read(accounts.profiles(ids, viewer), after=tokens.checked(after))

    async def user_delete(self, id: str) -> Outcome:
        """Delete an account and all its relationships (``deleted`` or ``not_found``)."""
        return await self._conn.write(accounts.user_delete(id))

    async def follow(self, follower: str, followee: str) -> Outcome:
        """Follow, or request to follow a private account; refused (``blocked``) across a block."""
        return await self._conn.write(follows.follow(follower, followee))

    async def unfollow(self, follower: str, followee: str) -> Outcome:
        """Stop following, or withdraw a pending request."""
        return await self._conn.write(follows.unfollow(follower, followee))

    async def approve(self, owner: str, requester: str) -> Outcome:
        """Turn the requester's pending request into a follow of the owner."""
        return await self._conn.write(follows.approve(owner, requester))

    async def deny(self, owner: str, requester: str) -> Outcome:
        """Delete the requester's pending request to the owner."""
        return await self._conn.write(follows.deny(owner, requester))

    async def remove_follower(self, owner: str, follower: str) -> Outcome:
        """Make the follower stop following the owner."""
        return await self._conn.write(follows.remove_follower(owner, follower))

    async def block(self, blocker: str, blocked: str, *, until: datetime | str | None = None) -> Outcome:
        """Block (until ``until``: ISO-8601 or a duration such as ``7d``; None: until unblocked):
        every follow and request between the two, both ways, is deleted."""
        return await self._conn.write(follows.block(blocker, blocked, until))

    async def unblock(self, blocker: str, blocked: str) -> Outcome:
        """Remove the block (nothing it deleted is restored)."""
        return await self._conn.write(follows.unblock(blocker, blocked))

    async def mute(self, muter: str, muted: str, *, until: datetime | str | None = None) -> Outcome:
        """Mute (until ``until``, or until unmuted): the muted account's posts leave the muter's
        feeds and it leaves the muter's suggestions; no check changes and no one is told."""
        return await self._conn.write(mutes.mute(muter, muted, until))

    async def unmute(self, muter: str, muted: str) -> Outcome:
        """Lift a mute (``unmuted`` or ``not_muted``)."""
        return await self._conn.write(mutes.unmute(muter, muted))

    async def muted(
        self, user: str, *, limit: int = lists.DEFAULT_LIMIT, cursor: str | None = None, after: str | None = None
    ) -> Page[str]:
        """Accounts the user mutes (active mutes), by id."""
        return await self._list("muted", user, limit, cursor, tokens.checked(after))

    async def close_friends_add(self, owner: str, member: str) -> Outcome:
        """Put MEMBER on OWNER's close-friends list (any account but one blocked either way)."""
        return await self._conn.write(close_friends.close_friends_add(owner, member))

    async def close_friends_remove(self, owner: str, member: str) -> Outcome:
        """Take MEMBER off OWNER's close-friends list."""
        return await self._conn.write(close_friends.close_friends_remove(owner, member))

    async def close_friends(
        self, owner: str, *, limit: int = lists.DEFAULT_LIMIT, cursor: str | None = None, after: str | None = None
    ) -> Page[str]:
        """OWNER's close-friends list, by id; ``total`` holds its size."""
        return await self._conn.read(
            close_friends.close_friends(owner, limit=limit, cursor=cursor, cursors=self._cursors),
            after=tokens.checked(after),
        )

    async def friends(
        self,
        user: str,
        *,
        viewer: str | None = None,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """Accounts the user follows that follow back, by id; with ``viewer``, only if the viewer may see it
        (else NotAllowed)."""
        return await self._list("friends", user, limit, cursor, tokens.checked(after), viewer)

    async def followers(
        self,
        user: str,
        *,
        viewer: str | None = None,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """Accounts that follow the user, by id; with ``viewer``, only if the viewer may see it
        (else NotAllowed)."""
        return await self._list("followers", user, limit, cursor, tokens.checked(after), viewer)

    async def following(
        self,
        user: str,
        *,
        viewer: str | None = None,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """Accounts the user follows, by id; with ``viewer``, only if the viewer may see it
        (else NotAllowed)."""
        return await self._list("following", user, limit, cursor, tokens.checked(after), viewer)

    async def segment(
        self,
        user: str,
        name: str,
        *,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """One segment of the user's audience (``friends``, ``followers-only``, ``requests-in``...), by id."""
        return await self._list(lists.segment_name(name), user, limit, cursor, tokens.checked(after))

    async def _list(
        self, name: str, user: str, limit: int, cursor: str | None, after: str | None, viewer: str | None = None
    ) -> Page[str]:
        return await self._conn.read(
            lists.id_list(name, user, limit=limit, cursor=cursor, cursors=self._cursors, viewer=viewer), after=after
        )

    async def segments(self, user: str, *, after: str | None = None) -> SegmentCounts:
        """The size of every segment, from degree counts where a count will do."""
        return await self._conn.read(accounts.segments(user), after=tokens.checked(after))

    async def relationship(self, a: str, b: str, *, after: str | None = None) -> Relationship:
        """Everything about how ``a`` relates to ``b``, read at once."""
        return await self._conn.read(social.relationship(a, b), after=tokens.checked(after))

    async def suggest(
        self,
        user: str,
        *,
        follow_back: bool = False,
        close_friends: bool = False,
        limit: int = social.DEFAULT_SUGGEST,
        after: str | None = None,
    ) -> list[Suggestion]:
        """People you may know, or (``follow_back``) followers you do not follow back, or
        (``close_friends``) top friends not yet on the close-friends list."""
        return await self._conn.read(
            social.suggest(user, follow_back=follow_back, close_friends=close_friends, limit=limit),
            after=tokens.checked(after),
        )

    async def known_followers(
        self,
        viewer: str,
        target: str,
        *,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """Accounts the viewer follows that follow the target ("followed by x, y and 3 others");
        ``total`` holds the full count. Empty when the viewer may not see the target's followers."""
        return await self._conn.read(
            social.known_followers(viewer, target, limit=limit, cursor=cursor, cursors=self._cursors),
            after=tokens.checked(after),
        )

    async def profile_for(self, viewer: str | None, user: str, *, after: str | None = None) -> ViewerProfile:
        """The profile of ``user`` as shown to ``viewer`` (None: logged out): counts and how the
        viewer relates to the account; a block by ``user`` looks like a missing account
        (``available`` false, nothing else), never ``blocked_by``. For a service's pages."""
        return await self._conn.read(social.profile_for(viewer, user), after=tokens.checked(after))

    async def relationships(self, a: str, others: list[str], *, after: str | None = None) -> list[Relationship]:
        """``relationship(a, b)`` for many accounts (up to 500) in one round trip, in the order given."""
        return await self._conn.read(social.relationships(a, others), after=tokens.checked(after))

    async def post_add(
        self,
        id: str,
        author: str,
        visibility: str,
        *,
        created_at: datetime | str | None = None,
        duet_policy: str | None = None,
        stitch_policy: str | None = None,
    ) -> Outcome:
        """A new post (``created`` or ``already_exists``); duet/stitch policies override the author's."""
        return await self._conn.write(
            posts.post_add(
                id, author, visibility, created_at=created_at, duet_policy=duet_policy, stitch_policy=stitch_policy
            )
        )

    async def post_show(self, id: str, *, after: str | None = None) -> Post:
        """A post with its like, comment, duet and stitch counts."""
        return await self._conn.read(posts.post_show(id), after=tokens.checked(after))

    async def post_set_visibility(self, id: str, visibility: str) -> Outcome:
        """Change who can see a post; every later check, feed and audience sees it at once."""
        return await self._conn.write(posts.post_set_visibility(id, visibility))

    async def post_delete(self, id: str) -> Outcome:
        """Delete a post and the interactions it received."""
        return await self._conn.write(posts.post_delete(id))

    async def audience(
        self,
        post: str,
        *,
        as_author: bool = False,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Audience:
        """Who can view a post: a page of account ids, or everyone except accounts blocked either
        way. ``as_author``: as shown to the author, whose exceptions name only the author's blocks."""
        return await self._conn.read(
            posts.audience(post, limit=limit, cursor=cursor, cursors=self._cursors, as_author=as_author),
            after=tokens.checked(after),
        )

    async def preview_change(
        self,
        change: preview.WhatIf,
        *,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Preview:
        """Who would gain and who would lose access to which posts and lists if ``change``
        (``WhatIf.user_set("ann", private=True)``...) were made: the real verb's plan runs in one
        write transaction that is rolled back, so nothing changes. A page holds at most ``limit``
        entries (an item, or an account it gains or loses); ``next_cursor`` resumes."""
        return await self._conn.write(
            preview.preview_change(change, limit=limit, cursor=cursor, cursors=self._cursors),
            rollback=True,
            after=tokens.checked(after),
        )

    async def can_view(self, viewer: str | None, post: str, *, after: str | None = None) -> Decision:
        """May ``viewer`` (None: logged out) see ``post``? With the rule that decided, in words."""
        return await self._conn.read(checks.post_check("view", viewer, post), after=tokens.checked(after))

    async def can_view_many(
        self, viewer: str | None, posts: list[str], *, after: str | None = None
    ) -> dict[str, Decision]:
        """can_view for a page of posts (up to 500) in one round trip; unknown posts are denied."""
        return await self._conn.read(checks.can_view_many(viewer, posts), after=tokens.checked(after))

    async def can_comment(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the author's comment policy (None, a logged-out actor, is always denied)."""
        return await self._conn.read(checks.post_check("comment", actor, post), after=tokens.checked(after))

    async def can_duet(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the post's effective duet policy (None, a logged-out actor, is always denied)."""
        return await self._conn.read(checks.post_check("duet", actor, post), after=tokens.checked(after))

    async def can_stitch(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the post's effective stitch policy (None, a logged-out actor, is always denied)."""
        return await self._conn.read(checks.post_check("stitch", actor, post), after=tokens.checked(after))

    async def can_message(self, sender: str, recipient: str, *, after: str | None = None) -> Decision:
        """No block either way and the recipient's dm policy allows the sender."""
        return await self._conn.read(checks.can_message(sender, recipient), after=tokens.checked(after))

    async def interact(self, kind: str, actor: str, target: str, *, at: datetime | str | None = None) -> Outcome:
        """like / comment / duet / stitch a post, or message an account; refused (NotAllowed, Blocked)
        when the matching check denies, with the reason."""
        return await self._conn.write(interactions.interact(kind, actor, target, at=at))

    async def feed(
        self,
        viewer: str,
        *,
        tab: str = "following",
        limit: int = feeds.DEFAULT_FEED_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[FeedItem]:
        """A page of ``following``, ``friends`` or ``for_you``: only posts the viewer may view."""
        return await self._conn.read(
            feeds.feed(viewer, tab=tab, limit=limit, cursor=cursor, cursors=self._cursors), after=tokens.checked(after)
        )

    async def doctor(self, *, after: str | None = None) -> DoctorReport:
        """Check every invariant of the graph (no duplicate follow, no follow across a block, ...)."""
        return await self._conn.read(doctor_plan, after=tokens.checked(after))

    async def reset(
        self,
        *,
        batch_size: int = emptying.DEFAULT_BATCH,
        progress: Callable[[emptying.ResetProgress], None] | None = None,
    ) -> emptying.ResetSummary:
        """Empty the database, whatever its size: every relationship, then every node, in
        transactions of at most ``batch_size`` (halved when one still exceeds the server's memory
        pool); the schema stays. ``progress`` is called after each transaction. Irreversible."""
        return await self._conn.execute(emptying.reset(self._conn.runner, batch_size=batch_size, progress=progress))

    async def events(self, after: int = 0, limit: int = outbox.DEFAULT_READ) -> tuple[Event, ...]:
        """Relationship events with ``seq > after``, in order, at most ``limit``: store the last ``seq``
        you handled and ask again (``after`` is that seq, not a consistency token). Changes committed
        since the last read are numbered by this read (docs/services.md, "Events")."""
        return await self._conn.execute(outbox.poll(self._conn.runner, after, limit))

    async def events_prune(self, older_than_days: float = outbox.DEFAULT_RETENTION_DAYS) -> outbox.Pruned:
        """Delete events older than the retention, oldest first (a batch per call)."""
        return await self._conn.write(outbox.prune(older_than_days))

    async def import_(
        self,
        kind: str,
        file: Path | str,
        *,
        format: str | None = None,
        batch_size: int = bulk.DEFAULT_BATCH,
        rejects: Path | str | None = None,
        checks: bool = True,
        progress: Callable[[bulk.ImportProgress], None] | None = None,
    ) -> bulk.ImportSummary:
        """Import a CSV or JSON Lines file of ``users``, ``follows``, ``blocks``, ``requests``,
        ``posts`` or ``interactions``, one transaction per batch, keeping every rule of the single
        operations. Refused rows go to the rejects file with their reason; re-running changes
        nothing. ``checks=False`` skips the interaction checks (restoring an export)."""
        return await self._conn.execute(
            bulk.run(
                self._conn.runner,
                kind,
                file,
                format=format,
                batch_size=batch_size,
                rejects=rejects,
                checks=checks,
                progress=progress,
            )
        )

    async def export(self, directory: Path | str, *, format: str = "csv") -> bulk.ExportSummary:
        """Write every kind of row to ``directory`` in the import's columns (CSV or JSON Lines)."""
        return await self._conn.execute(bulk.export(self._conn.runner, directory, format))

"""``Engine``: the verbs of docs/rules.md for a Python service. Each method validates its input,
builds a plan (the rules live in the plan modules) and runs it in one transaction."""

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

T = TypeVar("T")


# the largest page of each paginated list (lists.MAX_LIMIT where not named)
PAGE_MAX: dict[str, int] = {"feed": feeds.MAX_FEED_LIMIT}


def walk_arguments(engine: object, method: Any, page_size: Any, kwargs: dict[str, Any]) -> int:
    """Check what ``walk`` was given (a paginated list of this very engine, a page size, no
    ``limit``/``cursor`` of its own) and return the page size: at most the list's own largest page
    (``walk(engine.feed, ...)`` reads pages of 200 whatever ``page_size`` says)."""
    paginated = getattr(method, "__self__", None) is engine and {"limit", "cursor"} <= set(
        inspect.signature(method).parameters
    )
    if not paginated or not str(inspect.signature(method).return_annotation).startswith("Page"):
        raise InvalidInput(
            "method", f"must be a paginated list of this engine (friends, followers...), got {v.shown(method)}"
        )
    size = v.limit("page_size", page_size)
    for taken in {"limit", "cursor"} & set(kwargs):
        raise InvalidInput(taken, "is set by walk itself (use page_size)")
    return min(size, PAGE_MAX.get(method.__name__, lists.MAX_LIMIT))


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The columns and rows (JSON-ready dicts) of a user's Cypher statement, and ``counters``: what
    it changed (``nodes_created``, ``relationships_deleted``, ``properties_set``... every counter
    of the database's summary, zeros included; all zero for a read)."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> dict[str, int]:
        """The counters that are not zero."""
        return {name: n for name, n in self.counters.items() if n}


class Engine:
    """The relationship engine over one Neo4j database. Thread-safe; use as a context manager.

    >>> with Engine.from_env() as engine:          # doctest: +SKIP
    ...     engine.follow("alice", "bob").outcome
    'followed'
    """

    def __init__(self, config: Config | None = None, *, apply_schema: bool = True) -> None:
        self.config = config or Config.from_env()
        self._conn = Connection(self.config)
        self._cursors = Cursors(self._conn.cursor_secret)
        if apply_schema:
            try:
                self.apply_schema()
            except BaseException:
                self._conn.close()
                raise

    @classmethod
    def from_env(cls, **overrides: Any) -> Engine:
        """An engine configured from ``NEO4J_URI``, ``NEO4J_USERNAME``, ... (see :class:`Config`)."""
        return cls(Config.from_env(**overrides))

    def close(self) -> None:
        """Close the driver (the embedded server keeps running)."""
        self._conn.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def uri(self) -> str:
        """The Bolt URI in use, without credentials."""
        from mutuals.io.config import redact_uri

        return redact_uri(self._conn.uri)

    # -- set-up ---------------------------------------------------------------------------
    def apply_schema(self) -> list[str]:
        """Create the constraints and indexes that are missing; returns their names."""
        todo = schema.missing(self._conn.read(schema.existing_names))
        for name in todo:
            self._conn.write(partial(schema.apply_one, name))
        if todo:
            self._conn.read(schema.await_indexes)
        return [name.removeprefix("schema/") for name in todo]

    def ping(self) -> float:
        """Seconds for one round trip to the database."""
        return self._conn.ping()

    # -- accounts -------------------------------------------------------------------------
    def user_add(
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
        return self._conn.write(
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

    def user_set(
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
        return self._conn.write(
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

    def user_show(self, id: str, *, after: str | None = None) -> Profile:
        """An account's settings with its follower, following and friend counts."""
        return self._conn.read(accounts.user_show(id), after=tokens.checked(after))

    def profiles(self, ids: list[str], *, viewer: str | None = None, after: str | None = None) -> list[Profile]:
        """``user_show`` for many accounts (up to 500) in one round trip, in the order given; for a
        ``viewer``, the counts are None across an active block."""
        return self._conn.read(accounts.profiles(ids, viewer), after=tokens.checked(after))

    def user_delete(self, id: str) -> Outcome:
        """Delete an account and all its relationships (``deleted`` or ``not_found``)."""
        return self._conn.write(accounts.user_delete(id))

    # -- relationships --------------------------------------------------------------------
    def follow(self, follower: str, followee: str) -> Outcome:
        """Follow, or request to follow a private account; refused (``blocked``) across a block."""
        return self._conn.write(follows.follow(follower, followee))

    def unfollow(self, follower: str, followee: str) -> Outcome:
        """Stop following, or withdraw a pending request."""
        return self._conn.write(follows.unfollow(follower, followee))

    def approve(self, owner: str, requester: str) -> Outcome:
        """Turn the requester's pending request into a follow of the owner."""
        return self._conn.write(follows.approve(owner, requester))

    def deny(self, owner: str, requester: str) -> Outcome:
        """Delete the requester's pending request to the owner."""
        return self._conn.write(follows.deny(owner, requester))

    def remove_follower(self, owner: str, follower: str) -> Outcome:
        """Make the follower stop following the owner."""
        return self._conn.write(follows.remove_follower(owner, follower))

    def block(self, blocker: str, blocked: str, *, until: datetime | str | None = None) -> Outcome:
        """Block (until ``until``: ISO-8601 or a duration such as ``7d``; None: until unblocked):
        every follow and request between the two, both ways, is deleted."""
        return self._conn.write(follows.block(blocker, blocked, until))

    def unblock(self, blocker: str, blocked: str) -> Outcome:
        """Remove the block (nothing it deleted is restored)."""
        return self._conn.write(follows.unblock(blocker, blocked))

    def mute(self, muter: str, muted: str, *, until: datetime | str | None = None) -> Outcome:
        """Mute (until ``until``, or until unmuted): the muted account's posts leave the muter's
        feeds and it leaves the muter's suggestions; no check changes and no one is told."""
        return self._conn.write(mutes.mute(muter, muted, until))

    def unmute(self, muter: str, muted: str) -> Outcome:
        """Lift a mute (``unmuted`` or ``not_muted``)."""
        return self._conn.write(mutes.unmute(muter, muted))

    def muted(
        self, user: str, *, limit: int = lists.DEFAULT_LIMIT, cursor: str | None = None, after: str | None = None
    ) -> Page[str]:
        """Accounts the user mutes (active mutes), by id."""
        return self._list("muted", user, limit, cursor, tokens.checked(after))

    # -- the close-friends list (curated by its owner) ------------------------------------
    def close_friends_add(self, owner: str, member: str) -> Outcome:
        """Put MEMBER on OWNER's close-friends list (any account but one blocked either way)."""
        return self._conn.write(close_friends.close_friends_add(owner, member))

    def close_friends_remove(self, owner: str, member: str) -> Outcome:
        """Take MEMBER off OWNER's close-friends list."""
        return self._conn.write(close_friends.close_friends_remove(owner, member))

    def close_friends(
        self, owner: str, *, limit: int = lists.DEFAULT_LIMIT, cursor: str | None = None, after: str | None = None
    ) -> Page[str]:
        """OWNER's close-friends list, by id; ``total`` holds its size."""
        return self._conn.read(
            close_friends.close_friends(owner, limit=limit, cursor=cursor, cursors=self._cursors),
            after=tokens.checked(after),
        )

    # -- lists ----------------------------------------------------------------------------
    def friends(
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
        return self._list("friends", user, limit, cursor, tokens.checked(after), viewer)

    def followers(
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
        return self._list("followers", user, limit, cursor, tokens.checked(after), viewer)

    def following(
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
        return self._list("following", user, limit, cursor, tokens.checked(after), viewer)

    def segment(
        self,
        user: str,
        name: str,
        *,
        limit: int = lists.DEFAULT_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[str]:
        """One segment of the user's audience (``friends``, ``followers-only``, ``requests-in``...), by id."""
        return self._list(lists.segment_name(name), user, limit, cursor, tokens.checked(after))

    def _list(
        self, name: str, user: str, limit: int, cursor: str | None, after: str | None, viewer: str | None = None
    ) -> Page[str]:
        return self._conn.read(
            lists.id_list(name, user, limit=limit, cursor=cursor, cursors=self._cursors, viewer=viewer), after=after
        )

    def segments(self, user: str, *, after: str | None = None) -> SegmentCounts:
        """The size of every segment, from degree counts where a count will do."""
        return self._conn.read(accounts.segments(user), after=tokens.checked(after))

    def walk(self, method: Callable[..., Page[T]], *args: Any, page_size: int = 500, **kwargs: Any) -> Iterator[T]:
        """Every item of a paginated list, page after page: ``engine.walk(engine.friends, "alice")``."""
        size = walk_arguments(self, method, page_size, kwargs)
        return self._walk(method, args, size, kwargs)

    def _walk(self, method: Callable[..., Page[T]], args: Any, size: int, kwargs: dict[str, Any]) -> Iterator[T]:
        cursor: str | None = None
        while True:
            page = method(*args, limit=size, cursor=cursor, **kwargs)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    # -- pairs and neighbourhoods ---------------------------------------------------------
    def relationship(self, a: str, b: str, *, after: str | None = None) -> Relationship:
        """Everything about how ``a`` relates to ``b``, read at once."""
        return self._conn.read(social.relationship(a, b), after=tokens.checked(after))

    def suggest(
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
        return self._conn.read(
            social.suggest(user, follow_back=follow_back, close_friends=close_friends, limit=limit),
            after=tokens.checked(after),
        )

    def known_followers(
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
        return self._conn.read(
            social.known_followers(viewer, target, limit=limit, cursor=cursor, cursors=self._cursors),
            after=tokens.checked(after),
        )

    def profile_for(self, viewer: str | None, user: str, *, after: str | None = None) -> ViewerProfile:
        """The profile of ``user`` as shown to ``viewer`` (None: logged out): counts and how the
        viewer relates to the account; a block by ``user`` looks like a missing account
        (``available`` false, nothing else), never ``blocked_by``. For a service's pages."""
        return self._conn.read(social.profile_for(viewer, user), after=tokens.checked(after))

    def relationships(self, a: str, others: list[str], *, after: str | None = None) -> list[Relationship]:
        """``relationship(a, b)`` for many accounts (up to 500) in one round trip, in the order given."""
        return self._conn.read(social.relationships(a, others), after=tokens.checked(after))

    # -- posts ----------------------------------------------------------------------------
    def post_add(
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
        return self._conn.write(
            posts.post_add(
                id, author, visibility, created_at=created_at, duet_policy=duet_policy, stitch_policy=stitch_policy
            )
        )

    def post_show(self, id: str, *, after: str | None = None) -> Post:
        """A post with its like, comment, duet and stitch counts."""
        return self._conn.read(posts.post_show(id), after=tokens.checked(after))

    def post_set_visibility(self, id: str, visibility: str) -> Outcome:
        """Change who can see a post; every later check, feed and audience sees it at once."""
        return self._conn.write(posts.post_set_visibility(id, visibility))

    def post_delete(self, id: str) -> Outcome:
        """Delete a post and the interactions it received."""
        return self._conn.write(posts.post_delete(id))

    def audience(
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
        return self._conn.read(
            posts.audience(post, limit=limit, cursor=cursor, cursors=self._cursors, as_author=as_author),
            after=tokens.checked(after),
        )

    def preview_change(
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
        return self._conn.write(
            preview.preview_change(change, limit=limit, cursor=cursor, cursors=self._cursors),
            rollback=True,
            after=tokens.checked(after),
        )

    # -- checks ---------------------------------------------------------------------------
    def can_view(self, viewer: str | None, post: str, *, after: str | None = None) -> Decision:
        """May ``viewer`` (None: logged out) see ``post``? With the rule that decided, in words."""
        return self._conn.read(checks.post_check("view", viewer, post), after=tokens.checked(after))

    def can_view_many(self, viewer: str | None, posts: list[str], *, after: str | None = None) -> dict[str, Decision]:
        """can_view for a page of posts (up to 500) in one round trip; unknown posts are denied."""
        return self._conn.read(checks.can_view_many(viewer, posts), after=tokens.checked(after))

    def can_comment(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the author's comment policy (None, a logged-out actor, is always denied)."""
        return self._conn.read(checks.post_check("comment", actor, post), after=tokens.checked(after))

    def can_duet(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the post's effective duet policy (None, a logged-out actor, is always denied)."""
        return self._conn.read(checks.post_check("duet", actor, post), after=tokens.checked(after))

    def can_stitch(self, actor: str | None, post: str, *, after: str | None = None) -> Decision:
        """can_view and the post's effective stitch policy (None, a logged-out actor, is always denied)."""
        return self._conn.read(checks.post_check("stitch", actor, post), after=tokens.checked(after))

    def can_message(self, sender: str, recipient: str, *, after: str | None = None) -> Decision:
        """No block either way and the recipient's dm policy allows the sender."""
        return self._conn.read(checks.can_message(sender, recipient), after=tokens.checked(after))

    # -- interactions and feeds -----------------------------------------------------------
    def interact(self, kind: str, actor: str, target: str, *, at: datetime | str | None = None) -> Outcome:
        """like / comment / duet / stitch a post, or message an account; refused (NotAllowed, Blocked)
        when the matching check denies, with the reason."""
        return self._conn.write(interactions.interact(kind, actor, target, at=at))

    def feed(
        self,
        viewer: str,
        *,
        tab: str = "following",
        limit: int = feeds.DEFAULT_FEED_LIMIT,
        cursor: str | None = None,
        after: str | None = None,
    ) -> Page[FeedItem]:
        """A page of ``following``, ``friends`` or ``for_you``: only posts the viewer may view."""
        return self._conn.read(
            feeds.feed(viewer, tab=tab, limit=limit, cursor=cursor, cursors=self._cursors), after=tokens.checked(after)
        )

    # -- admin ----------------------------------------------------------------------------
    def doctor(self, *, after: str | None = None) -> DoctorReport:
        """Check every invariant of the graph (no duplicate follow, no follow across a block, ...)."""
        return self._conn.read(doctor_plan, after=tokens.checked(after))

    def reset(
        self,
        *,
        batch_size: int = emptying.DEFAULT_BATCH,
        progress: Callable[[emptying.ResetProgress], None] | None = None,
    ) -> emptying.ResetSummary:
        """Empty the database, whatever its size: every relationship, then every node, in
        transactions of at most ``batch_size`` (halved when one still exceeds the server's memory
        pool); the schema stays. ``progress`` is called after each transaction. Irreversible."""
        return self._conn.execute(emptying.reset(self._conn.runner, batch_size=batch_size, progress=progress))

    # -- events ---------------------------------------------------------------------------
    def events(self, after: int = 0, limit: int = outbox.DEFAULT_READ) -> tuple[Event, ...]:
        """Relationship events with ``seq > after``, in order, at most ``limit``: store the last ``seq``
        you handled and ask again (``after`` is that seq, not a consistency token). Changes committed
        since the last read are numbered by this read (docs/services.md, "Events")."""
        return self._conn.execute(outbox.poll(self._conn.runner, after, limit))

    def events_follow(
        self,
        after: int = 0,
        *,
        poll: float = 1.0,
        limit: int = outbox.DEFAULT_READ,
        stop: threading.Event | None = None,
    ) -> Iterator[Event]:
        """Every event with ``seq > after``, then each new one as it comes: reads ``limit`` at a time
        and, when none is new, waits ``poll`` seconds. Ends when ``stop`` is set (checked between
        reads; the wait ends at once); without ``stop`` it runs until the caller stops iterating.
        The loop of a worker: ``for event in engine.events_follow(last_seq, stop=shutdown): ...``
        (keep each handled ``seq`` to resume after a restart)."""
        outbox.read(after, limit)  # the arguments are checked now, not at the first iteration
        pause = outbox.poll_seconds(poll)
        return self._events_follow(after, pause, limit, stop)

    def _events_follow(self, after: int, pause: float, limit: int, stop: threading.Event | None) -> Iterator[Event]:
        while stop is None or not stop.is_set():
            found = self.events(after, limit)
            yield from found
            if found:
                after = found[-1].seq
            elif stop is not None:
                stop.wait(pause)
            else:
                time.sleep(pause)

    def events_prune(self, older_than_days: float = outbox.DEFAULT_RETENTION_DAYS) -> outbox.Pruned:
        """Delete events older than the retention, oldest first (a batch per call)."""
        return self._conn.write(outbox.prune(older_than_days))

    def demo(self, *, force: bool = False) -> Iterator[demo_module.Step]:
        """The guided tour: (re)loads a sample community and yields each step with its result.
        Refused (Conflict) on a database holding accounts it did not create, unless ``force``;
        it deletes only the accounts it created (labelled ``DemoAccount``)."""
        return demo_module.tour(self, self._conn, force=v.flag("force", force))

    def query(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False, after: str | None = None
    ) -> QueryResult:
        """Run your own Cypher with parameters; read-only (the database refuses writes) unless ``write``."""
        text = v.statement_text("cypher", cypher)
        values = v.parameters("params", {} if params is None else params)
        columns, rows, counters = self._conn.run_text(
            text, values, write=v.flag("write", write), after=tokens.checked(after)
        )
        return QueryResult(tuple(columns), tuple({k: plain(val) for k, val in row.items()} for row in rows), counters)

    # -- analysts: reports and pictures ---------------------------------------------------
    def report_list(self) -> list[reports.Report]:
        """Every report: the built-in ones (``cypher/reports/``) and the analyst's own
        (``MUTUALS_REPORTS_DIR``), read afresh at each call, by name."""
        return reports.load_all(self.config.reports_dir)

    def report_show(self, name: str) -> reports.Report:
        """A report's declaration and its runnable Cypher (``.text``: the rule fragments inlined),
        to run from any Neo4j client with the report's parameters (docs/reports.md)."""
        return reports.find(name, self.config.reports_dir)

    def report_run(
        self, name: str, params: dict[str, Any] | None = None, *, chart: Path | str | None = None
    ) -> reports.ReportResult:
        """Run a report in a read transaction (the database refuses any write) with its parameters
        checked against its declaration; with ``chart``, also draw its label/value rows as a PNG."""
        out = None if chart is None else charts.target(chart, "chart")
        report, bound = reports.prepare(name, params, self.config.reports_dir)
        bound = reports.with_clock(report.text, bound)
        columns, rows, _ = self._conn.run_text(report.text, bound, write=False)
        return reports.finish(report, bound, columns, rows, out)

    def draw(self, user: str, out: Path | str, *, limit: int = EGO_LIMIT) -> EgoPicture:
        """A PNG of the user's ego network: friends, followers-only and following-only accounts in
        their colours (at most ``limit`` of them, shared between the segments; the picture says when more exist)."""
        path = charts.target(out)
        network = self._conn.read(ego_network(user, limit))
        return picture(network, path)

    # -- bulk data ------------------------------------------------------------------------
    def import_(
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
        return self._conn.execute(
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

    def export(self, directory: Path | str, *, format: str = "csv") -> bulk.ExportSummary:
        """Write every kind of row to ``directory`` in the import's columns (CSV or JSON Lines)."""
        return self._conn.execute(bulk.export(self._conn.runner, directory, format))

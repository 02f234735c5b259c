"""Posts: add, show, set visibility, delete; and who can view one (its audience)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mutuals.base import validate as v
from mutuals.base.errors import Conflict, NotFound
from mutuals.base.models import Audience, Outcome, Post
from mutuals.io.cursor import Cursors
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.events import Change, emit
from mutuals.ops.lists import after_key, page_of
from mutuals.rules import PostFacts, visibility
from mutuals.rules.visibility import effective_audience

COUNT_FIELDS = {"like": "likes", "comment": "comments", "duet": "duets", "stitch": "stitches"}


def native(value: Any) -> Any:
    """A driver temporal value as a Python datetime (anything else unchanged)."""
    return value.to_native() if value is not None and hasattr(value, "to_native") else value


def post_from(row: dict[str, Any], counts: list[list[Any]] | None = None) -> Post:
    by_kind = {kind: n for kind, n in (counts or []) if kind in COUNT_FIELDS}
    return Post(
        id=row["id"],
        author=row["author"],
        visibility=row["visibility"],
        created_at=native(row["created_at"]),
        duet_policy=row.get("duet_policy"),
        stitch_policy=row.get("stitch_policy"),
        **{COUNT_FIELDS[kind]: n for kind, n in by_kind.items()},
    )


def post_add(
    post_id: Any,
    author: Any,
    visibility: Any,
    *,
    created_at: Any = None,
    duet_policy: Any = None,
    stitch_policy: Any = None,
) -> PlanFactory[Outcome]:
    """A new post: ``created``, or ``already_exists`` when the author already has a post of this id
    (left unchanged); a post of this id by another author is a :class:`Conflict` (the import's
    ``post_conflict``), whether it existed before or was created by a concurrent call."""
    pid = v.ident("id", post_id)
    aid = v.ident("author", author)
    props: dict[str, Any] = {
        "visibility": v.choice("visibility", visibility, v.VISIBILITIES),
        "created_at": datetime.now(UTC) if created_at is None else v.timestamp("created_at", created_at),
    }
    if duet_policy is not None:
        props["duet_policy"] = v.choice("duet_policy", duet_policy, v.MEDIA_POLICIES)
    if stitch_policy is not None:
        props["stitch_policy"] = v.choice("stitch_policy", stitch_policy, v.MEDIA_POLICIES)

    def plan() -> Plan[Outcome]:
        locked = yield Run("post_lock_author", {"author": aid, "id": pid})
        row = locked.one()
        if row is None:
            raise NotFound("account", aid)
        author = row["post_author"]
        if author is None:
            created = yield Run("post_create", {"id": pid, "author": aid, "props": props})
            if created.nodes_created:
                effective = effective_audience(props["visibility"], bool(row["account"].get("private")))
                yield from emit(Change("post_created", aid, post=pid, detail=effective))
                return Outcome("created")
            existing = yield Run("post_get", {"id": pid})  # a concurrent call created it first
            author = existing.rows[0]["post"]["author"] if existing.rows else aid
        if author != aid:
            raise Conflict(f"post {pid} exists, by {author}")
        return Outcome("already_exists")

    return plan


def post_show(post_id: Any) -> PlanFactory[Post]:
    """A post with its interaction counts."""
    pid = v.ident("post", post_id)

    def plan() -> Plan[Post]:
        result = yield Run("post_get", {"id": pid})
        row = result.one()
        if row is None:
            raise NotFound("post", pid)
        return post_from(row["post"], row["counts"])

    return plan


def post_set_visibility(post_id: Any, visibility: Any) -> PlanFactory[Outcome]:
    """Change a post's visibility: ``updated`` or ``unchanged``. Every later check, feed and
    audience sees the change at once (it is one committed write)."""
    pid = v.ident("post", post_id)
    wanted = v.choice("visibility", visibility, v.VISIBILITIES)

    def plan() -> Plan[Outcome]:
        result = yield Run("lock_post", {"id": pid})
        row = result.one()
        if row is None:
            raise NotFound("post", pid)
        if row["post"].get("visibility") == wanted:
            return Outcome("unchanged")
        yield Run("post_update", {"id": pid, "changes": {"visibility": wanted}})
        (f,) = yield from facts(None, [pid])
        effective = effective_audience(wanted, f.author_private)
        yield from emit(Change("visibility_changed", f.author, post=pid, detail=effective))
        return Outcome("updated")

    return plan


def post_delete(post_id: Any) -> PlanFactory[Outcome]:
    """Delete a post and the interactions it received: ``deleted`` or ``not_found``."""
    pid = v.ident("post", post_id)

    def plan() -> Plan[Outcome]:
        result = yield Run("post_delete", {"id": pid})
        if not result.nodes_deleted:
            return Outcome("not_found")
        yield from emit(Change("post_deleted", post=pid))
        return Outcome("deleted")

    return plan


def facts_from(row: dict[str, Any], viewer: str | None) -> PostFacts:
    """PostFacts from a row of ``view_facts``."""
    return PostFacts(
        post=row["post"],
        author=row["author"],
        visibility=row["visibility"],
        author_private=row["author_private"],
        comment_policy=row["comment_policy"],
        duet_policy=row["duet_policy"],
        stitch_policy=row["stitch_policy"],
        viewer=viewer,
        viewer_follows_author=bool(row["viewer_follows_author"]),
        author_follows_viewer=bool(row["author_follows_viewer"]),
        viewer_blocks_author=bool(row["viewer_blocks_author"]),
        author_blocks_viewer=bool(row["author_blocks_viewer"]),
        viewer_close_friend=bool(row["viewer_close_friend"]),
    )


def facts(viewer: str | None, post_ids: list[str]) -> Plan[list[PostFacts]]:
    """The facts of each post for this viewer, in order; NotFound for a missing viewer or post."""
    result = yield Run("view_facts", {"viewer": viewer, "posts": post_ids})
    for row in result.rows:
        if viewer is not None and not row["viewer_found"]:
            raise NotFound("account", viewer)
        if not row["found"]:
            raise NotFound("post", row["post"])
    return [facts_from(row, viewer) for row in result.rows]


def grant_of(f: PostFacts) -> str | None:
    """Which list may view the post (``"everyone"``, a statement's name, or None): the table's answer."""
    return visibility.audience_grant(f.visibility, f.author_private)


def audience_ids(author: str, grant: str | None, *, after: str, limit: int, as_author: bool = False) -> Plan[list[str]]:
    """The ids of an audience, by id after ``after``, at most ``limit``: for ``"everyone"`` the
    exceptions (accounts blocked either way with the author, or with ``as_author`` only those the
    author blocks: the author is never told who blocked them), else the accounts that may view,
    the author included. Shared by ``audience`` and ``preview_change``."""
    params = {"user": author, "after": after, "limit": limit}
    if grant == "everyone":
        result = yield Run("list_blocked" if as_author else "list_blocked_either", params)
        row = result.one()
        assert row is not None
        return list(row["ids"])
    ids: list[str] = []
    if grant is not None:
        result = yield Run(grant, params)
        row = result.one()
        assert row is not None
        ids = list(row["ids"])
    if author > after:  # the author always sees their post: merge it into the id order
        ids = sorted([*ids, author])
    return ids[:limit]


def audience(
    post_id: Any, *, limit: Any, cursor: Any, cursors: Cursors, as_author: Any = False
) -> PlanFactory[Audience]:
    """Who can view a post: a page of ids, or everyone except the accounts blocked either way;
    which list it is comes from the table of :mod:`mutuals.rules.visibility`. ``as_author``: the
    audience as shown to the author, whose exceptions name only the author's own blocks."""
    pid = v.ident("post", post_id)
    size = v.limit("limit", limit)
    shown = v.flag("as_author", as_author)
    scope = f"audience:{pid}" + (":author" if shown else "")
    after = after_key(cursors, scope, cursor)

    def plan() -> Plan[Audience]:
        (f,) = yield from facts(None, [pid])
        grant = grant_of(f)
        ids = yield from audience_ids(f.author, grant, after=after, limit=size + 1, as_author=shown)
        return Audience(pid, grant == "everyone", page_of(ids, size, cursors, scope))

    return plan

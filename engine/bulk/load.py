"""The batch plans of an import: one write transaction per batch, keeping every invariant the
single operations keep.

Each plan locks what it touches in the same global order as the single operations (posts, then
accounts, each sorted by id), so a concurrent follow, block or visibility change either happens
before the batch reads the state or waits for it to commit. Then it reads, for every row at once,
the state the rules need (one UNWIND statement), decides each row in Python with the same rules
as the single operations (:mod:`mutuals.rules`), and writes what is new with one UNWIND per kind
of write. Rows are never MERGEd one by one: the read already says what exists. Each batch ends
by appending the changes it made to the event outbox, as one change set: a consumer reads an
event per change (``followed``, ``became_friends``, ``account_created``...), as if the rows had
been written one by one in file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from mutuals import rules
from mutuals.base import validate as v
from mutuals.base.errors import MutualsError
from mutuals.bulk.rows import InteractionRow, PairRow, PostRow, Row, UserRow
from mutuals.io.plan import Plan, PlanFactory, Run
from mutuals.ops.accounts import account_from, updated_detail
from mutuals.ops.events import Change, emit
from mutuals.ops.interactions import BLOCK_RULES, CHECK, PAST
from mutuals.ops.posts import facts_from, native
from mutuals.rules.admission import Pair, admit
from mutuals.rules.visibility import effective_audience


@dataclass
class Batch:
    """What a batch did: rows written, rows that changed nothing, and the rows refused (with why)."""

    written: int = 0
    unchanged: int = 0
    rejects: list[tuple[Row, str, str]] = field(default_factory=list)

    def reject(self, row: Row, reason: str, detail: str) -> None:
        self.rejects.append((row, reason, detail))


def iso(moment: datetime | None) -> str | None:
    """Times travel as ISO-8601 text (``datetime()`` in Cypher reads it): a driver DateTime per
    row costs more to send than the whole rest of the row."""
    return None if moment is None else moment.isoformat()


def batch(kind: str, rows: Sequence[Row], now: datetime, *, checks: bool = True) -> PlanFactory[Batch]:
    """The plan of one batch of ``kind`` rows (each of the kind's row type, as :mod:`.rows` parsed it)."""
    if kind == "users":
        return users(cast(Sequence[UserRow], rows), now)
    if kind == "posts":
        return posts(cast(Sequence[PostRow], rows), now)
    if kind == "interactions":
        return interactions(cast(Sequence[InteractionRow], rows), now, checks=checks)
    pairs = cast(Sequence[PairRow], rows)
    return {"follows": follows, "requests": requests, "blocks": blocks}[kind](pairs, now)


def _pairs(rows: Sequence[PairRow], now: datetime) -> dict[str, Any]:
    return {"a": [r.a for r in rows], "b": [r.b for r in rows], "at": [iso(r.at) for r in rows], "now": now}


def _locked_accounts(ids: set[str]) -> Plan[tuple[set[str], set[str]]]:
    """Lock the accounts (sorted); return (found, private)."""
    result = yield Run("bulk/lock_accounts", {"ids": sorted(ids)})
    row = result.one()
    assert row is not None
    return set(row["found"]), set(row["private"])


def _known(rows: Sequence[PairRow], found: set[str], out: Batch) -> list[PairRow]:
    """The rows whose two accounts exist; the others are rejected."""
    live: list[PairRow] = []
    for r in rows:
        missing = next((uid for uid in (r.a, r.b) if uid not in found), None)
        if missing is None:
            live.append(r)
        else:
            out.reject(r, "unknown_account", f"account not found: {missing}")
    return live


def _existing_pairs(
    rows: Sequence[PairRow], found: set[str], out: Batch
) -> Plan[tuple[list[PairRow], dict[int, dict[str, Any]]]]:
    """Reject rows naming an unknown account; read the state of the others (index -> flags)."""
    live = _known(rows, found, out)
    if not live:
        return live, {}
    result = yield Run("bulk/pair_states", {"a": [r.a for r in live], "b": [r.b for r in live]})
    return live, _links(result.rows)


def _block_detail(r: PairRow, state: dict[str, Any]) -> str:
    if state["blocked_by"]:
        return f"{r.b} has blocked {r.a}"
    return f"{r.a} has blocked {r.b}"


def _links(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """index -> flags, from the ``[type, outgoing]`` links of bulk/pair_states."""
    states: dict[int, dict[str, Any]] = {}
    for row in rows:
        links = {(kind, outgoing) for kind, outgoing in row["links"]}
        states[row["i"]] = {
            "follows": ("FOLLOWS", True) in links,
            "requested": ("REQUESTED", True) in links,
            "blocks": ("BLOCKS", True) in links,
            "blocked_by": ("BLOCKS", False) in links,
            "followed_by": ("FOLLOWS", False) in links,
        }
    return states


def follows(rows: Sequence[PairRow], now: datetime) -> PlanFactory[Batch]:
    """Follows, as :func:`mutuals.rules.admission.admit` decides an imported (already approved)
    follow: refused across a block; a follow of a private account is loaded as a follow (the
    import loads existing state); a pending request of the same pair is consumed.

    One statement reads the state of every pair and writes (bulk/follows_apply, whose write
    condition is the truth table of the same function: it saves a statement and a second pass
    over the rows); each row is then decided here from the state it returns, and the number of
    follows the statement created must equal the rows admitted (else the batch is rolled back
    with an error)."""

    def plan() -> Plan[Batch]:
        out = Batch()
        found, private = yield from _locked_accounts({r.a for r in rows} | {r.b for r in rows})
        live: list[PairRow] = []
        for r in rows:
            missing = admit(Pair(r.a, r.b, a_found=r.a in found, b_found=r.b in found))
            if missing.refused:
                out.reject(r, missing.reason, missing.detail)
            else:
                live.append(r)
        if not live:
            return out
        result = yield Run("bulk/follows_apply", _pairs(live, now))
        states = {row["i"]: row for row in result.rows}
        made: set[tuple[str, str]] = set()  # the follows this batch writes, in row order
        changes: list[Change] = []
        for i, r in enumerate(live):
            state = states.get(i) or {}
            decision = admit(
                Pair(
                    r.a,
                    r.b,
                    b_private=r.b in private,
                    a_follows_b=bool(state.get("follows")),
                    b_follows_a=bool(state.get("followed_by")) or (r.b, r.a) in made,
                    a_requested_b=bool(state.get("requested")),
                    a_blocks_b=bool(state.get("blocks")),
                    b_blocks_a=bool(state.get("blocked_by")),
                ),
                approved=True,
            )
            if decision.refused:
                out.reject(r, decision.reason, decision.detail)
            elif decision.writes_follow:
                out.written += 1
                made.add((r.a, r.b))
                changes.append(Change(decision.outcome, r.a, r.b))
            else:
                out.unchanged += 1
        if result.relationships_created != out.written:  # rolls the batch back
            raise MutualsError(
                f"bulk/follows_apply created {result.relationships_created} follows where the rule allows {out.written}"
            )
        yield from emit(*changes)
        return out

    return plan


def requests(rows: Sequence[PairRow], now: datetime) -> PlanFactory[Batch]:
    """Pending requests: only to private accounts, never across a block, never when already following."""

    def plan() -> Plan[Batch]:
        out = Batch()
        found, private = yield from _locked_accounts({r.a for r in rows} | {r.b for r in rows})
        live, states = yield from _existing_pairs(rows, found, out)
        create: list[PairRow] = []
        for i, r in enumerate(live):
            state = states.get(i)
            if r.b not in private:
                out.reject(r, "target_public", f"{r.b} is public: a request to a public account would be a follow")
            elif state is not None and (state["blocks"] or state["blocked_by"]):
                out.reject(r, "blocked_pair", _block_detail(r, state))
            elif state is not None and state["follows"]:
                out.reject(r, "already_following", f"{r.a} already follows {r.b}")
            elif state is not None and state["requested"]:
                out.unchanged += 1
            else:
                create.append(r)
        if create:
            yield Run("bulk/requests_create", _pairs(create, now))
            yield from emit(*(Change("requested", r.a, r.b) for r in create))
        out.written = len(create)
        return out

    return plan


def blocks(rows: Sequence[PairRow], now: datetime) -> PlanFactory[Batch]:
    """Blocks: as ``block``, every follow and request between the pair, both ways, is deleted."""

    def plan() -> Plan[Batch]:
        out = Batch()
        found, _ = yield from _locked_accounts({r.a for r in rows} | {r.b for r in rows})
        live, states = yield from _existing_pairs(rows, found, out)
        create: list[PairRow] = []
        for i, r in enumerate(live):
            state = states.get(i)
            if state is not None and state["blocks"]:
                out.unchanged += 1
            else:
                create.append(r)
        if create:
            yield Run("bulk/pairs_unlink", _pairs(create, now))
            yield Run("bulk/blocks_create", _pairs(create, now))
            yield from emit(*_block_changes(create, live, states))
        out.written = len(create)
        return out

    return plan


def _block_changes(create: list[PairRow], live: list[PairRow], states: dict[int, dict[str, Any]]) -> list[Change]:
    """``blocked`` for each block written, and ``friendship_ended`` when the pair were friends
    before the batch (once per pair: the batch's first block of it unlinks them)."""
    before = {(r.a, r.b): states.get(i) or {} for i, r in enumerate(live)}
    ended: set[frozenset[str]] = set()
    changes: list[Change] = []
    for r in create:
        changes.append(Change("blocked", r.a, r.b))
        state = before.get((r.a, r.b), {})
        pair = frozenset((r.a, r.b))
        if state.get("follows") and state.get("followed_by") and pair not in ended:
            ended.add(pair)
            changes.append(Change("friendship_ended", r.a, r.b))
    return changes


def users(rows: Sequence[UserRow], now: datetime) -> PlanFactory[Batch]:
    """Accounts: created with the row's settings (defaults for the rest), or brought to the row's
    settings; going public approves pending requests, as ``user set`` does."""

    def plan() -> Plan[Batch]:
        out = Batch()
        locked = yield Run("bulk/lock_users", {"ids": sorted({r.id for r in rows})})
        found = {row["account"]["id"]: account_from(row["account"]) for row in locked.rows}
        create: list[dict[str, Any]] = []
        update: list[dict[str, Any]] = []
        going_public: list[str] = []
        turned: dict[str, bool] = {}  # accounts whose privacy changed, and to what
        changes: dict[str, list[Change]] = {}  # each row's changes (a row's account once a batch)
        for r in rows:
            wanted: dict[str, Any] = dict(r.policies)
            if r.private is not None:
                wanted["private"] = r.private
            current = found.get(r.id)
            if current is None:
                props = {"private": False, **v.DEFAULT_POLICIES, **wanted}
                create.append({"id": r.id, "props": props, "created_at": iso(r.created_at)})
                changes[r.id] = [Change("account_created", r.id)]
                continue
            changed = {k: value for k, value in wanted.items() if getattr(current, k) != value}
            if not changed:
                out.unchanged += 1
                continue
            update.append({"id": r.id, "changes": changed})
            changes[r.id] = [Change("account_updated", r.id, detail=updated_detail(changed))]
            if "private" in changed:
                turned[r.id] = changed["private"]
            if current.private and changed.get("private") is False:
                going_public.append(r.id)
        if create:
            yield Run("bulk/users_create", {"rows": create, "now": now})
        if update:
            yield Run("bulk/users_update", {"rows": update})
        if turned:  # the effective audience of their public posts changed with them (as user_set says)
            result = yield Run("posts_by_author", {"authors": sorted(turned)})
            for row in result.rows:
                if row["visibility"] == "public":
                    word = effective_audience("public", turned[row["author"]])
                    changes[row["author"]].append(
                        Change("visibility_changed", row["author"], post=row["id"], detail=word)
                    )
        for uid in going_public:
            result = yield Run("requests_approve_all", {"id": uid})
            for row in result.rows:
                changes[uid].append(Change("approved", uid, row["requester"]))
                if row["mutual"]:
                    changes[uid].append(Change("became_friends", uid, row["requester"]))
        yield from emit(*(change for row_changes in changes.values() for change in row_changes))
        out.written = len(create) + len(update)
        return out

    return plan


def posts(rows: Sequence[PostRow], now: datetime) -> PlanFactory[Batch]:
    """Posts: created, or (same author) brought to the row's visibility, time and policies."""

    def plan() -> Plan[Batch]:
        out = Batch()
        result = yield Run("bulk/lock_posts", {"ids": sorted({r.id for r in rows})})
        existing = {row["post"]["id"]: row["post"] for row in result.rows}
        found, private = yield from _locked_accounts({r.author for r in rows})
        create: list[dict[str, Any]] = []
        update: list[dict[str, Any]] = []
        changes: list[Change] = []
        for r in rows:
            given: dict[str, Any] = {"visibility": r.visibility}
            for name in ("duet_policy", "stitch_policy"):
                if getattr(r, name) is not None:
                    given[name] = getattr(r, name)
            current = existing.get(r.id)
            if r.author not in found:
                out.reject(r, "unknown_account", f"account not found: {r.author}")
            elif current is None:
                create.append({"id": r.id, "author": r.author, "props": given, "created_at": iso(r.created_at)})
                word = effective_audience(r.visibility, r.author in private)
                changes.append(Change("post_created", r.author, post=r.id, detail=word))
            elif current["author"] != r.author:
                out.reject(r, "post_conflict", f"post {r.id} exists, by {current['author']}")
            else:
                changed = {k: value for k, value in given.items() if current.get(k) != value}
                moved = r.created_at is not None and native(current.get("created_at")) != r.created_at
                if changed or moved:
                    update.append({"id": r.id, "changes": changed, "created_at": iso(r.created_at) if moved else None})
                    if "visibility" in changed:
                        word = effective_audience(r.visibility, r.author in private)
                        changes.append(Change("visibility_changed", r.author, post=r.id, detail=word))
                else:
                    out.unchanged += 1
        if create:
            yield Run("bulk/posts_create", {"rows": create, "now": now})
        if update:
            yield Run("bulk/posts_update", {"rows": update})
        yield from emit(*changes)
        out.written = len(create) + len(update)
        return out

    return plan


def interactions(rows: Sequence[InteractionRow], now: datetime, *, checks: bool = True) -> PlanFactory[Batch]:
    """Likes, comments, duets, stitches and messages, each only when its check allows it (unless
    ``checks`` is off: restoring an export of this engine, whose rows were checked when made)."""
    on_posts = [r for r in rows if r.kind != "message"]
    messages = [r for r in rows if r.kind == "message"]

    def plan() -> Plan[Batch]:
        out = Batch()
        authors: dict[str, str] = {}
        if on_posts:
            result = yield Run("bulk/lock_post_authors", {"ids": sorted({r.target for r in on_posts})})
            authors = {row["id"]: row["author"] for row in result.rows}
        ids = {r.actor for r in rows} | set(authors.values()) | {r.target for r in messages}
        found, _ = yield from _locked_accounts(ids)
        live_posts: list[InteractionRow] = []
        for r in on_posts:
            if r.target not in authors:
                out.reject(r, "unknown_post", f"post not found: {r.target}")
            elif r.actor not in found:
                out.reject(r, "unknown_account", f"account not found: {r.actor}")
            else:
                live_posts.append(r)
        live_messages: list[InteractionRow] = []
        for r in messages:
            missing = next((uid for uid in (r.actor, r.target) if uid not in found), None)
            if missing is None:
                live_messages.append(r)
            else:
                out.reject(r, "unknown_account", f"account not found: {missing}")
        changes: list[tuple[int, Change]] = []  # (line, change): in file order at the end
        out.written = (yield from _post_interactions(live_posts, now, checks, out, authors, changes)) + (
            yield from _messages(live_messages, now, checks, out, changes)
        )
        yield from emit(*(change for _, change in sorted(changes, key=lambda item: item[0])))
        return out

    return plan


def _refuse(r: InteractionRow, decision: rules.Decision, out: Batch) -> None:
    reason = "blocked_pair" if decision.rule in BLOCK_RULES else "not_allowed"
    out.reject(r, reason, f"{r.kind} refused: {'; '.join(decision.reasons)}")


def _unanswered(rows: list[InteractionRow], answered: set[int], out: Batch) -> None:
    """Rows the facts statement found nothing for (an author account gone missing): refused, never dropped."""
    for i, r in enumerate(rows):
        if i not in answered:
            out.reject(r, "unknown_account", f"the author of post {r.target} was not found")


def _post_interactions(
    rows: list[InteractionRow],
    now: datetime,
    checks: bool,
    out: Batch,
    authors: dict[str, str],
    changes: list[tuple[int, Change]],
) -> Plan[int]:
    if not rows:
        return 0
    params: dict[str, list[Any]] = {
        "actor": [r.actor for r in rows],
        "post": [r.target for r in rows],
        "kind": [r.kind for r in rows],
        "at": [iso(r.at or now) for r in rows],
    }
    result = yield Run("bulk/post_interaction_facts", params)
    create: list[int] = []
    for row in result.rows:
        r = rows[row["i"]]
        if row["recorded"]:
            out.unchanged += 1
            continue
        decision = CHECK[r.kind](facts_from(row, r.actor))
        if checks and not decision.allowed:
            _refuse(r, decision, out)
        else:
            create.append(row["i"])
    _unanswered(rows, {row["i"] for row in result.rows}, out)
    if create:
        yield Run(
            "bulk/post_interactions_create", {name: [values[i] for i in create] for name, values in params.items()}
        )
        for i in create:
            r = rows[i]
            changes.append((r.line, Change(PAST[r.kind], r.actor, authors[r.target], post=r.target)))
    return len(create)


def _messages(
    rows: list[InteractionRow], now: datetime, checks: bool, out: Batch, changes: list[tuple[int, Change]]
) -> Plan[int]:
    if not rows:
        return 0
    params: dict[str, list[Any]] = {
        "actor": [r.actor for r in rows],
        "recipient": [r.target for r in rows],
        "at": [iso(r.at or now) for r in rows],
    }
    result = yield Run("bulk/message_facts", params)
    create: list[int] = []
    for row in result.rows:
        r = rows[row["i"]]
        if row["recorded"]:
            out.unchanged += 1
            continue
        decision = rules.message(
            r.actor,
            r.target,
            sender_blocks=row["sender_blocks"],
            recipient_blocks=row["recipient_blocks"],
            dm_policy=row["dm_policy"],
            friends=row["friends"],
        )
        if checks and not decision.allowed:
            _refuse(r, decision, out)
        else:
            create.append(row["i"])
    _unanswered(rows, {row["i"] for row in result.rows}, out)
    if create:
        yield Run("bulk/messages_create", {name: [values[i] for i in create] for name, values in params.items()})
        changes.extend((rows[i].line, Change("messaged", rows[i].actor, rows[i].target)) for i in create)
    return len(create)

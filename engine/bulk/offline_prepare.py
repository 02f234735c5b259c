"""The rules of an offline load: the rows of DIR checked in Python under the rules of the online
import, as if imported in that order (follows by :func:`mutuals.rules.admission.admit`,
interactions by the checks, unless ``checks=False``: restoring an export, whose interactions
were allowed when they were made), and the accepted ones written as the batch importer's input.
A refused row goes to the rejects file as the online import writes it: the file's own columns
with the row's values, then ``_line``, ``_reason``, ``_detail``, ``_raw``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mutuals import rules
from mutuals.base import validate as v
from mutuals.bulk.offline_files import GROUPS, HEADERS, Writer, csv_rows, header
from mutuals.bulk.rows import KINDS, ORDER, InteractionRow, PostRow, RowError, UserRow, parse
from mutuals.bulk.run import _Rejects
from mutuals.ops.interactions import CHECK
from mutuals.rules.admission import Pair, admit


@dataclass
class Tally:
    """The counts of a preparation, as the rows are taken."""

    read: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0
    rejects_files: dict[str, str] = field(default_factory=dict)


class _State:
    """What the rules need, as the rows are taken in import order (accounts as small ints)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.follows: set[int] = set()
        self.requests: set[int] = set()
        self.blocked: set[int] = set()  # both directions of every block
        self.directed: set[int] = set()  # blocker -> blocked

    def code(self, a: str, b: str) -> int:
        return self.index[a] << 32 | self.index[b]


class Preparer:
    """Checks the rows of DIR under the import's rules and writes the batch importer's files."""

    def __init__(
        self, source: Path, work: Path, now: datetime, rejects: Path | None = None, *, checks: bool = True
    ) -> None:
        self.source, self.work, self.now = source, work, now.isoformat()
        self.rejects = rejects or work
        self.checks = checks
        self.state = _State()
        self.summary = Tally()
        self.writers = {name: Writer(work, name) for name in HEADERS}

    def run(self) -> Tally:
        steps: dict[str, Callable[[Path, _Rejects], None]] = {
            "users": self._users,
            "posts": self._posts,
            "follows": self._follows,
            "requests": self._requests,
            "blocks": self._blocks,
            "interactions": self._interactions,
        }
        for kind in ORDER:
            path = self.source / f"{kind}.csv"
            if not path.is_file():
                continue
            columns = header(path, kind)
            rejects_file = self.rejects / f"{kind}.rejects.csv"
            rejects_file.unlink(missing_ok=True)
            sink = _Rejects(rejects_file, "csv", columns)
            try:
                steps[kind](path, sink)
            finally:
                sink.close()
            self.summary.rejected[kind] = sum(sink.reasons.values())
            if sink.writer is not None:
                self.summary.rejects_files[kind] = str(rejects_file)
        self._flush()
        for w in self.writers.values():
            w.handle.close()
        self.summary.nodes = self.writers["accounts"].rows + self.writers["posts"].rows
        self.summary.relationships = sum(w.rows for n, w in self.writers.items() if GROUPS[n][0] == "relationships")
        return self.summary

    def _count(self, kind: str, written: int = 0) -> None:
        self.summary.read[kind] = self.summary.read.get(kind, 0) + 1
        self.summary.written[kind] = self.summary.written.get(kind, 0) + written

    def _parsed(self, kind: str, path: Path, sink: _Rejects) -> Iterator[tuple[dict[str, str], Any]]:
        """The rows that parse, each with its fields (what a reject of it shows)."""
        spec = KINDS[kind]
        for number, fields in csv_rows(path):
            try:
                yield fields, parse(spec, number, fields)
            except RowError as e:
                self._count(kind)
                sink.add(number, fields, e.reason, e.detail)

    # -- nodes ----------------------------------------------------------------------------
    def _users(self, path: Path, sink: _Rejects) -> None:
        for _, r in self._parsed("users", path, sink):
            assert isinstance(r, UserRow)
            changes: dict[str, Any] = dict(r.policies)
            if r.private is not None:
                changes["private"] = r.private
            current = self.state.users.get(r.id)
            if current is None:
                self.state.index[r.id] = len(self.state.index)
                self.state.users[r.id] = {"private": False, **v.DEFAULT_POLICIES, **changes, "created_at": r.created_at}
                self._count("users", 1)
                continue
            written = any(current[k] != value for k, value in changes.items())
            current.update(changes)
            self._count("users", int(written))

    def _posts(self, path: Path, sink: _Rejects) -> None:
        for fields, r in self._parsed("posts", path, sink):
            assert isinstance(r, PostRow)
            current = self.state.posts.get(r.id)
            if r.author not in self.state.users:
                self._count("posts")
                sink.add(r.line, fields, "unknown_account", f"account not found: {r.author}")
            elif current is not None and current["author"] != r.author:
                self._count("posts")
                sink.add(r.line, fields, "post_conflict", f"post {r.id} exists, by {current['author']}")
            else:
                post = current or {"author": r.author, "created_at": r.created_at}
                post["visibility"] = r.visibility
                post["created_at"] = r.created_at or post["created_at"]
                for name in ("duet_policy", "stitch_policy"):
                    if getattr(r, name) is not None:
                        post[name] = getattr(r, name)
                self.state.posts[r.id] = post
                self._count("posts", 1)

    # -- relationships between accounts ---------------------------------------------------
    def _pairs(
        self, kind: str, path: Path, sink: _Rejects
    ) -> Iterator[tuple[int, dict[str, str], str, str, str | None]]:
        """Rows of a pair kind with both accounts known: (line, fields, a, b, at or None). The common
        row (two known ids, no time) takes a fast path; anything else is parsed in full."""
        spec, index = KINDS[kind], self.state.index
        first, second, at_name = spec.columns
        for number, fields in csv_rows(path):
            a, b = fields.get(first, ""), fields.get(second, "")
            if a in index and b in index and a != b and not fields.get(at_name) and len(fields) == 2:
                yield number, fields, a, b, None
                continue
            try:
                row = parse(spec, number, fields)
            except RowError as e:
                self._count(kind)
                sink.add(number, fields, e.reason, e.detail)
                continue
            assert not isinstance(row, (UserRow, PostRow, InteractionRow))
            missing = next((uid for uid in (row.a, row.b) if uid not in index), None)
            if missing is not None:
                self._count(kind)
                sink.add(number, fields, "unknown_account", f"account not found: {missing}")
                continue
            yield number, fields, row.a, row.b, None if row.at is None else row.at.isoformat()

    def _read_blocks(self) -> None:
        """The blocks of blocks.csv, read before the follows: a block deletes the follows and
        requests of its pair (rows that cannot be imported are refused later, by ``_blocks``)."""
        path, index = self.source / "blocks.csv", self.state.index
        if not path.is_file():
            return
        for _, fields in csv_rows(path):
            a, b = fields.get("blocker", ""), fields.get("blocked", "")
            if a in index and b in index and a != b:
                self.state.directed.add(self.state.code(a, b))
                self.state.blocked.update((self.state.code(a, b), self.state.code(b, a)))

    def _follows(self, path: Path, sink: _Rejects) -> None:
        self._read_blocks()
        state = self.state
        follows, code = state.follows, state.code
        for number, fields, a, b, at in self._pairs("follows", path, sink):
            c = code(a, b)
            decision = admit(
                Pair(
                    a,
                    b,
                    b_private=bool(state.users[b]["private"]),
                    a_follows_b=c in follows,
                    b_follows_a=code(b, a) in follows,
                    a_requested_b=c in state.requests,
                    a_blocks_b=c in state.directed,
                    b_blocks_a=code(b, a) in state.directed,
                ),
                approved=True,
            )
            if decision.refused:
                self._count("follows")
                sink.add(number, fields, decision.reason, decision.detail)
            elif decision.writes_follow:
                follows.add(c)
                state.requests.discard(c)
                self.writers["follows"].write(a, b, a, b, at or self.now)
                self._count("follows", 1)
            else:
                self._count("follows")

    def _requests(self, path: Path, sink: _Rejects) -> None:
        state = self.state
        for number, fields, a, b, at in self._pairs("requests", path, sink):
            c = state.code(a, b)
            if not state.users[b]["private"]:
                reason, detail = "target_public", f"{b} is public: a request to a public account would be a follow"
            elif c in state.blocked:
                blocker, blocked = (b, a) if state.code(b, a) in state.directed else (a, b)
                reason, detail = "blocked_pair", f"{blocker} has blocked {blocked}"
            elif c in state.follows:
                reason, detail = "already_following", f"{a} already follows {b}"
            elif c in state.requests:
                self._count("requests")
                continue
            else:
                state.requests.add(c)
                self.writers["requests"].write(a, b, a, b, at or self.now)
                self._count("requests", 1)
                continue
            self._count("requests")
            sink.add(number, fields, reason, detail)

    def _blocks(self, path: Path, sink: _Rejects) -> None:
        seen: set[int] = set()
        for _, _, a, b, at in self._pairs("blocks", path, sink):
            c = self.state.code(a, b)
            if c in seen:
                self._count("blocks")
                continue
            seen.add(c)
            self.writers["blocks"].write(a, b, a, b, at or self.now)
            self._count("blocks", 1)

    # -- interactions ---------------------------------------------------------------------
    def _interactions(self, path: Path, sink: _Rejects) -> None:
        state, seen = self.state, set()
        for fields, r in self._parsed("interactions", path, sink):
            assert isinstance(r, InteractionRow)
            key = r.key
            if key in seen:
                self._count("interactions")
                continue
            at = (r.at or datetime.fromisoformat(self.now)).isoformat()
            if r.actor not in state.users:
                reason, detail = "unknown_account", f"account not found: {r.actor}"
            elif r.kind == "message":
                decision = self._message(r) if self.checks else rules.Decision(True, "unchecked", ())
                if r.target not in state.users:
                    reason, detail = "unknown_account", f"account not found: {r.target}"
                elif decision.allowed:
                    seen.add(key)
                    self.writers["messages"].write(r.actor, r.target, "message", r.actor, r.target, at)
                    self._count("interactions", 1)
                    continue
                else:
                    reason, detail = _refusal(r, decision)
            elif r.target not in state.posts:
                reason, detail = "unknown_post", f"post not found: {r.target}"
            else:
                post = state.posts[r.target]
                allowed = not self.checks or CHECK[r.kind](self._facts(r.actor, r.target, post)).allowed
                if allowed:
                    seen.add(key)
                    self.writers["post_interactions"].write(
                        r.actor, r.target, r.kind, r.actor, post["author"], r.target, at
                    )
                    self._count("interactions", 1)
                    continue
                reason, detail = _refusal(r, CHECK[r.kind](self._facts(r.actor, r.target, post)))
            self._count("interactions")
            sink.add(r.line, fields, reason, detail)

    def _facts(self, viewer: str, pid: str, post: dict[str, Any]) -> rules.PostFacts:
        state, author = self.state, post["author"]
        owner = state.users[author]
        return rules.PostFacts(
            post=pid,
            author=author,
            visibility=post["visibility"],
            author_private=bool(owner["private"]),
            comment_policy=owner["comment_policy"],
            duet_policy=post.get("duet_policy") or owner["duet_policy"],
            stitch_policy=post.get("stitch_policy") or owner["stitch_policy"],
            viewer=viewer,
            viewer_follows_author=state.code(viewer, author) in state.follows,
            author_follows_viewer=state.code(author, viewer) in state.follows,
            viewer_blocks_author=self._blocks_dir(viewer, author),
            author_blocks_viewer=self._blocks_dir(author, viewer),
        )

    def _blocks_dir(self, a: str, b: str) -> bool:
        return self.state.code(a, b) in self.state.directed

    def _message(self, r: InteractionRow) -> rules.Decision:
        state = self.state
        if r.target not in state.users:
            return rules.Decision(False, "unknown", ())
        return rules.message(
            r.actor,
            r.target,
            sender_blocks=self._blocks_dir(r.actor, r.target),
            recipient_blocks=self._blocks_dir(r.target, r.actor),
            dm_policy=state.users[r.target]["dm_policy"],
            friends=state.code(r.actor, r.target) in state.follows and state.code(r.target, r.actor) in state.follows,
        )

    # -- the nodes, once every update is known ---------------------------------------------
    def _flush(self) -> None:
        accounts, posts, posted = self.writers["accounts"], self.writers["posts"], self.writers["posted"]
        for uid, u in self.state.users.items():
            created = u["created_at"].isoformat() if u["created_at"] else self.now
            accounts.write(
                uid, uid, "true" if u["private"] else "false", u["dm_policy"], u["comment_policy"],
                u["duet_policy"], u["stitch_policy"], created,
            )  # fmt: skip
        for pid, p in self.state.posts.items():
            created = p["created_at"].isoformat() if p["created_at"] else self.now
            posts.write(pid, pid, p["author"], p["visibility"], created, p.get("duet_policy"), p.get("stitch_policy"))
            posted.write(p["author"], pid)


def _refusal(r: InteractionRow, decision: rules.Decision) -> tuple[str, str]:
    from mutuals.ops.interactions import BLOCK_RULES

    reason = "blocked_pair" if decision.rule in BLOCK_RULES else "not_allowed"
    return reason, f"{r.kind} refused: {'; '.join(decision.reasons)}"

"""The offline preparation of interactions.csv: each checked by the rules, row by row in the
general lane, in the fast lane once per distinct key (the facts without the ids).
"""

from __future__ import annotations

import operator
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from mutuals.bulk.offline_columns import Bools, _member, _Out, _taken
from mutuals.bulk.offline_files import Lines, Records, joined
from mutuals.bulk.offline_lane import Lane
from mutuals.bulk.offline_tables import _KIND_NUMBER, _KINDS, _PAST, _refusal
from mutuals.bulk.rows import InteractionRow
from mutuals.bulk.run import _Rejects
from mutuals.ops.interactions import CHECK, PAST
from mutuals.ops.interactions import KINDS as INTERACTION_KINDS


class Interactions(Lane):
    """The rows of interactions.csv."""

    # -- interactions -------------------------------------------------------------------------
    def _interactions(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        seen: set[tuple[int, int, int, str | None]] = set()
        self._post_table()  # before the reader starts: it reads with it
        for chunk, read in self._read("interactions", path, columns, self._read_interactions):
            out = _Out()
            if read is not None:
                assert isinstance(chunk, Lines)
                self._interactions_run(chunk, columns, read, seen, sink, out)
            else:
                for number, row_fields in self._rows(chunk, columns):
                    self._interaction(number, row_fields, seen, sink, out)
            self.writers["post_interactions"].write_lines("".join(out.post_rows), out.written)
            self.writers["messages"].write_lines("".join(out.rows), out.messages)
            self._count("interactions", out.read, out.written + out.messages)
            self.events.extend(out.types, out.actors, out.subjects, out.posts)

    def _key(self, kind: str, actor: str, target: str, at: str | None) -> tuple[int, int, int, str | None] | None:
        """What makes an interaction the same as another (numbers: kind, actor, target post or
        account; the time but for a like), or None when an id is unknown (it cannot be written)."""
        posts = self._post_table()
        x = self.state.index.get(actor, -1)
        t = (self.state.index if kind == "message" else posts.number).get(target, -1)
        if x < 0 or t < 0:
            return None
        return _KIND_NUMBER[kind], x, t, None if kind == "like" else at

    def _interaction(
        self,
        number: int,
        row_fields: dict[str, str],
        seen: set[tuple[int, int, int, str | None]],
        sink: _Rejects,
        out: _Out,
    ) -> None:
        """The general lane: one interaction, checked unless ``checks`` is off."""
        state = self.state
        r = self._parse("interactions", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, InteractionRow)
        at = None if r.at is None else r.at.isoformat()
        key = self._key(r.kind, r.actor, r.target, at)
        out.read += 1
        if key in seen:
            return
        at = at or self.now
        if r.actor not in state.users:
            reason, detail = "unknown_account", f"account not found: {r.actor}"
        elif r.kind == "message":
            decision = self._message(r.actor, r.target) if r.target in state.users else None
            if decision is None:
                reason, detail = "unknown_account", f"account not found: {r.target}"
            elif not self.checks or decision.allowed:
                assert key is not None
                seen.add(key)
                out.rows.append(f"{r.actor},{r.target},message,{r.actor},{r.target},{at}\n")
                out.messages += 1
                out.types.append("messaged")
                out.actors.append(r.actor)
                out.subjects.append(r.target)
                out.posts.append("")
                return
            else:
                reason, detail = _refusal(r.kind, decision)
        elif r.target not in state.posts:
            reason, detail = "unknown_post", f"post not found: {r.target}"
        else:
            post = state.posts[r.target]
            decision = CHECK[r.kind](self._facts(r.actor, r.target, post))
            if not self.checks or decision.allowed:
                assert key is not None
                seen.add(key)
                author = post["author"]
                out.post_rows.append(f"{r.actor},{r.target},{r.kind},{r.actor},{author},{r.target},{at}\n")
                out.written += 1
                out.types.append(PAST[r.kind])
                out.actors.append(r.actor)
                out.subjects.append(author)
                out.posts.append(r.target)
                return
            reason, detail = _refusal(r.kind, decision)
        sink.add(number, row_fields, reason, detail)

    def _read_interactions(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of interactions (in the reader process): each row's
        kind, actor, target (a post's or an account's number), the other party (the author or the
        recipient), the facts of its check but the pair's, time for the importer, and whether it
        is odd (an unknown kind or id, a message to oneself, a missing time or one that does not
        parse: the general lane refuses it). None: the general lane takes the chunk."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        state, posts = self.state, self._post_table()
        kinds, actors, targets = (values[columns.index(name)] for name in ("kind", "actor", "target"))
        n = len(kinds)
        times = self._times(values[columns.index("at")]) if "at" in columns else [""] * n
        kind = np.fromiter(map(_KIND_NUMBER.get, kinds, repeat(-1)), np.int64, n)
        x = np.fromiter(map(state.index.get, actors, repeat(-1)), np.int64, n)
        message, like = kind == _KIND_NUMBER["message"], kind == _KIND_NUMBER["like"]
        post = np.fromiter(map(posts.number.get, targets, repeat(-1)), np.int64, n)
        account = np.full(n, -1, np.int64)
        to = np.flatnonzero(message)
        account[to] = np.fromiter(map(state.index.get, _taken(targets, to, n), repeat(-1)), np.int64, len(to))
        timed = np.fromiter(map(operator.is_not, times, repeat("")), np.bool_, n)
        bad = np.fromiter(map(operator.is_, times, repeat(None)), np.bool_, n)
        known = np.where(message, (account >= 0) & (account != x), post >= 0)
        odd = (kind < 0) | (x < 0) | bad | ~(timed | like) | ~known
        post, account = np.where(odd | message, 0, post), np.where(odd | ~message, 0, account)
        y = np.where(message, account, posts.author[post])
        facts = np.where(message, posts.dm[account], posts.facts[post])
        target = np.where(message, account, post)
        return {"kind": kind, "x": x, "y": y, "target": target, "facts": facts, "times": times, "odd": odd}

    def _interactions_run(
        self,
        chunk: Lines,
        columns: list[str],
        read: dict[str, Any],
        seen: set[tuple[int, int, int, str | None]],
        sink: _Rejects,
        out: _Out,
    ) -> None:
        """The fast lane of a chunk of interactions: rows of a known kind, actor and target, and a
        time that parses (or a like without one), checked at once by their facts without the ids
        (the rule asked once per distinct key); the others, all refused, through the general lane,
        and the refusals written in the order of the file."""
        state, posts = self.state, self._post_table()
        kind, x, y, target, facts, times, odd = (read[k] for k in ("kind", "x", "y", "target", "facts", "times", "odd"))
        n = len(kind)
        message, like = kind == _KIND_NUMBER["message"], kind == _KIND_NUMBER["like"]
        ahead, behind = x << 32 | y, y << 32 | x
        directed = np.sort(np.fromiter(state.directed, np.int64, len(state.directed)))
        flags = (state.follows.contains(ahead), state.follows.contains(behind), _member(directed, ahead),
                 _member(directed, behind))  # fmt: skip
        allowed: Bools = np.ones(n, np.bool_)
        if self.checks:  # the rule, once per distinct key (the facts without the ids)
            key = kind * posts.width + facts
            for part in (x == y, *flags):
                key = key * 2 + part
            distinct, where = np.unique(np.where(odd, -1, key), return_inverse=True)
            answers = [k >= 0 and self._check(k, posts) for k in distinct.tolist()]
            allowed = np.array(answers, np.bool_)[where.reshape(-1)]
        # a row whose key (kind, actor, target, time but for a like) was written before changes
        # nothing; a refused one is refused again
        rows = np.flatnonzero(~odd)
        when = np.array(times, object)
        key_times = when[rows]
        key_times[like[rows]] = None  # a like is the same like at any time
        keys = list(zip(kind[rows].tolist(), x[rows].tolist(), target[rows].tolist(), key_times.tolist(), strict=True))
        places = rows.tolist()
        first = dict(zip(reversed(keys), reversed(places), strict=True))
        again = np.zeros(n, np.bool_)
        again[rows] = np.fromiter(map(operator.ne, map(first.__getitem__, keys), places), np.bool_, len(rows))
        again[rows] |= np.fromiter(map(seen.__contains__, keys), np.bool_, len(rows))
        taken = ~odd & allowed & ~again
        seen.update(key for key, take in zip(keys, taken[rows].tolist(), strict=True) if take)
        written = np.flatnonzero(taken)
        out.read += len(rows)  # the odd rows are counted by the general lane
        # the rows written, and their changes in the order of the file
        when[when == ""] = self.now
        actor = self._ids[x[written]]
        other = self._ids[y[written]]
        on_post = ~message[written]
        target_id = np.where(on_post, posts.pids[np.where(on_post, target[written], 0)], other)
        out.types.extend(_PAST[kind[written]].tolist())
        out.actors.extend(actor.tolist())
        out.subjects.extend(other.tolist())
        out.posts.extend(np.where(on_post, target_id, "").tolist())
        if on_post.any():
            a, t, by = actor[on_post].tolist(), target_id[on_post].tolist(), other[on_post].tolist()
            words = _KINDS[kind[written][on_post]].tolist()
            out.post_rows.append(joined([a, t, words, a, by, t, when[written[on_post]].tolist()], len(a)))
            out.written += len(a)
        if (~on_post).any():
            a, t = actor[~on_post].tolist(), other[~on_post].tolist()
            out.rows.append(joined([a, t, "message", a, t, when[written[~on_post]].tolist()], len(a)))
            out.messages += len(a)
        for i in np.flatnonzero(odd | ~allowed).tolist():
            number, row_fields = chunk.number(i), chunk.fields(i, columns)
            if odd[i]:
                before = out.written + out.messages
                self._interaction(number, row_fields, seen, sink, out)
                assert out.written + out.messages == before, "a row the fast lane leaves is refused"
            elif message[i]:
                actor_id, target_id_ = str(self._ids[x[i]]), str(self._ids[y[i]])
                sink.add(number, row_fields, *_refusal("message", self._message(actor_id, target_id_)))
            else:
                word, actor_id, pid = INTERACTION_KINDS[int(kind[i])], str(self._ids[x[i]]), str(posts.pids[target[i]])
                facts_ = self._facts(actor_id, pid, state.posts[pid])
                sink.add(number, row_fields, *_refusal(word, CHECK[word](facts_)))

"""The offline preparation of follows, requests and blocks: follows decided by :func:`admit`,
row by row in the general lane, at once (numpy over pair codes) in the fast lane.
"""

from __future__ import annotations

import operator
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from mutuals.bulk.offline_columns import _member, _Out, _taken
from mutuals.bulk.offline_files import Lines, Records, joined
from mutuals.bulk.offline_lane import Lane
from mutuals.bulk.rows import KINDS
from mutuals.bulk.run import _Rejects
from mutuals.rules.admission import Pair, admit


class Pairs(Lane):
    """The rows of follows.csv, requests.csv and blocks.csv."""

    def _follows(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        self._read_blocks()
        bulk = self._follows_bulk_holds() and not self.state.requests
        users = self.state.users
        self._private = np.fromiter((users[uid]["private"] for uid in self.state.index), np.bool_, len(users))
        self._ids = np.array(list(self.state.index) or [""], object)
        # the outcome of a written follow, by (b_private, b_follows_a)
        self._follow_words = np.array(
            [self.admissions[(bool(p), False, bool(b), False, False, False)].outcome for p in (0, 1) for b in (0, 1)],
            dtype=object,
        )
        for chunk, read in self._read("follows", path, columns, self._read_follows if bulk else None):
            out = _Out()
            if read is not None and bulk:
                assert isinstance(chunk, Lines)
                self._follows_run(chunk, columns, read, sink, out)
            else:
                for number, row_fields, a, b, at in self._pairs("follows", columns, chunk, sink):
                    self._follow(number, row_fields, a, b, at, sink, out)
            self.writers["follows"].write_lines("".join(out.rows), out.written)
            self._count("follows", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _follows_bulk_holds(self) -> bool:
        """Whether :func:`admit` decides the rows of a chunk the way the fast lane does: across a
        block, refused whatever else; else a pair followed already is unchanged; else written,
        ``became_friends`` or ``followed`` by whether the reverse pair is followed."""
        table = self.admissions
        for private, follows, back, blocks, blocked in np.ndindex(2, 2, 2, 2, 2):
            d = table[(bool(private), bool(follows), bool(back), False, bool(blocks), bool(blocked))]
            if blocks or blocked:
                if not d.refused:
                    return False
            elif follows:
                if d.refused or d.writes_follow:
                    return False
            elif not d.writes_follow or d.consumes_request:
                return False
        return True

    def _read_follows(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of follows (in the reader process): each row's
        account numbers, pair code (``a << 32 | b``) and its reverse, time for the importer, and
        whether it is odd (an unknown or repeated account, a time that does not parse: the
        general lane refuses it) or across a block. None: the general lane takes the chunk."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        state = self.state
        first, second, at_name = KINDS["follows"].columns
        a_ids, b_ids = values[columns.index(first)], values[columns.index(second)]
        n = len(a_ids)
        x = np.fromiter(map(state.index.get, a_ids, repeat(-1)), np.int64, n)
        y = np.fromiter(map(state.index.get, b_ids, repeat(-1)), np.int64, n)
        odd = (x < 0) | (y < 0) | (x == y)
        times = None
        if at_name in columns:
            times = self._times(values[columns.index(at_name)])
            odd |= np.fromiter(map(operator.is_, times, repeat(None)), np.bool_, n)
        code, back = x << 32 | y, y << 32 | x
        blocked = ~odd & _member(np.sort(np.fromiter(state.blocked, np.int64, len(state.blocked))), code)
        return {"y": y, "code": code, "back": back, "times": times, "odd": odd, "blocked": blocked}

    def _follows_run(self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, out: _Out) -> None:
        """The fast lane of a chunk of follows: the rows of two known, distinct accounts and a time
        that parses, decided at once (numpy over pair codes); the others, all refused, through the
        general lane, and the refusals written in the order of the file."""
        state, follows = self.state, self.state.follows
        y, code, back_code, times, odd, blocked = (read[k] for k in ("y", "code", "back", "times", "odd", "blocked"))
        n = len(code)
        live = np.flatnonzero(~odd & ~blocked)
        if len(live):
            codes, backs = code[live], back_code[live]
            position = np.arange(len(live))
            # the first row of each pair; a later row of it, or of a pair followed before, changes nothing
            order = np.argsort(codes, kind="stable")
            ordered = codes[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            unique, first_row = ordered[starts], order[starts]
            again = (first_row[np.searchsorted(unique, codes)] != position) | follows.contains(codes)
            # b follows a before this row: before the chunk, or in an earlier row of it
            at = np.minimum(np.searchsorted(unique, backs), len(unique) - 1)
            back = follows.contains(backs) | ((unique[at] == backs) & (first_row[at] < position))
            rows = live[~again]
            words = self._follow_words[self._private[y[rows]] * 2 + back[~again]].tolist()
            follows.extend(codes[~again])
            k = len(rows)
            written = code[rows]
            a_written, b_written = self._ids[written >> 32].tolist(), self._ids[written & 0xFFFFFFFF].tolist()
            when = self.now if times is None else [t or self.now for t in _taken(times, rows, n)]
            out.rows.append(joined([a_written, b_written, a_written, b_written, when], k))
            out.types.extend(words)
            out.actors.extend(a_written)
            out.subjects.extend(b_written)
            out.written += k
        out.read += n - int(odd.sum())  # the odd rows are counted by the general lane
        for i in np.flatnonzero(odd | blocked).tolist():
            number, row_fields = chunk.number(i), chunk.fields(i, columns)
            if odd[i]:
                known = self._pair("follows", number, row_fields, sink)
                assert known is None, "a row the fast lane leaves is refused"
                continue
            a, b = self._ids[code[i] >> 32], self._ids[code[i] & 0xFFFFFFFF]
            decision = admit(
                Pair(a, b, b_private=bool(self._private[y[i]]), a_blocks_b=int(code[i]) in state.directed,
                     b_blocks_a=int(back_code[i]) in state.directed),
                approved=True,
            )  # fmt: skip
            sink.add(number, row_fields, decision.reason, decision.detail)

    def _follow(
        self, number: int, row_fields: dict[str, str], a: str, b: str, at: str, sink: _Rejects, out: _Out
    ) -> None:
        """The general lane: one follow of two known, distinct accounts, as :func:`admit` decides it."""
        state = self.state
        c, back = state.code(a, b), state.code(b, a)
        decision = admit(
            Pair(a, b, b_private=bool(state.users[b]["private"]), a_follows_b=c in state.follows,
                 b_follows_a=back in state.follows, a_requested_b=c in state.requests, a_blocks_b=c in state.directed,
                 b_blocks_a=back in state.directed),
            approved=True,
        )  # fmt: skip
        out.read += 1
        if decision.refused:
            sink.add(number, row_fields, decision.reason, decision.detail)
        elif decision.writes_follow:
            state.follows.add(c)
            if decision.consumes_request:
                state.requests.discard(c)
            out.rows.append(f"{a},{b},{a},{b},{at}\n")
            out.written += 1
            out.types.append(decision.outcome)
            out.actors.append(a)
            out.subjects.append(b)

    def _requests(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        state = self.state
        for chunk, _ in self._chunks(path, columns):
            out = _Out()
            for number, row_fields, a, b, at in self._pairs("requests", columns, chunk, sink):
                c = state.code(a, b)
                out.read += 1
                if not state.users[b]["private"]:
                    reason, detail = "target_public", f"{b} is public: a request to a public account would be a follow"
                elif c in state.blocked:
                    blocker, blocked = (b, a) if state.code(b, a) in state.directed else (a, b)
                    reason, detail = "blocked_pair", f"{blocker} has blocked {blocked}"
                elif c in state.follows:
                    reason, detail = "already_following", f"{a} already follows {b}"
                elif c in state.requests:
                    continue
                else:
                    state.requests.add(c)
                    out.rows.append(f"{a},{b},{a},{b},{at}\n")
                    out.written += 1
                    out.types.append("requested")
                    out.actors.append(a)
                    out.subjects.append(b)
                    continue
                sink.add(number, row_fields, reason, detail)
            self.writers["requests"].write_lines("".join(out.rows), out.written)
            self._count("requests", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

    def _blocks(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        seen: set[int] = set()
        for chunk, _ in self._chunks(path, columns):
            out = _Out()
            for _, _, a, b, at in self._pairs("blocks", columns, chunk, sink):
                c = self.state.code(a, b)
                out.read += 1
                if c in seen:
                    continue
                seen.add(c)
                out.rows.append(f"{a},{b},{a},{b},{at}\n")
                out.written += 1
                out.types.append("blocked")
                out.actors.append(a)
                out.subjects.append(b)
                # no friendship_ended: a follow across a block of blocks.csv was refused, so the
                # pair were never friends in this load (the online import writes it, then unlinks)
                assert not (c in self.state.follows and self.state.code(b, a) in self.state.follows)
            self.writers["blocks"].write_lines("".join(out.rows), out.written)
            self._count("blocks", out.read, out.written)
            self.events.extend(out.types, out.actors, out.subjects)

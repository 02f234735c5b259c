"""The offline preparation of users.csv and posts.csv: accounts and posts created in bulk by the
fast lane, any other row (a repeat, an odd value) through the general lane in its place.
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from mutuals.base import validate as v
from mutuals.bulk.offline_columns import _first, _merge, _Out, _parses, _taken
from mutuals.bulk.offline_files import Lines, Records
from mutuals.bulk.offline_lane import Lane
from mutuals.bulk.offline_tables import _iso
from mutuals.bulk.rows import PostRow, UserRow
from mutuals.bulk.run import _Rejects
from mutuals.ops.accounts import updated_detail


class Accounts(Lane):
    """The rows of users.csv and posts.csv."""

    # -- accounts ----------------------------------------------------------------------------
    def _users(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        for chunk, read in self._read("users", path, columns, self._read_users):
            changes = _Out()
            if read is None:
                for number, row_fields in self._rows(chunk, columns):
                    self._user(number, row_fields, sink, changes)
            else:
                assert isinstance(chunk, Lines)
                self._users_chunk(chunk, columns, read, sink, changes)
            self.events.extend(changes.types, changes.actors, details=changes.details)

    def _read_users(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of users.csv (in a reader process): the ids, the
        parsed values of the other columns (a time as ISO text), and which rows parse."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        ids = values[columns.index("id")]
        names = [name for name in ("private", *v.POLICY_CHOICES, "created_at") if name in columns]
        parsed = [self._column_of(name, values[columns.index(name)]) for name in names]
        ok = _parses(ids, [column_ok for _, column_ok in parsed])
        return {"ids": ids, "ok": ok, "parsed": {name: column for name, (column, _) in zip(names, parsed, strict=True)}}

    def _users_chunk(
        self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, changes: _Out
    ) -> None:
        """The fast lane: the first row of each new account whose values all parse creates it
        from them; any other row (a repeat, an odd value: none of them creates an account)
        through the general lane, after them, its change in its place."""
        users, index = self.state.users, self.state.index
        ids, parsed = read["ids"], read["parsed"]
        n = len(ids)
        simple = read["ok"] & ~np.fromiter(map(users.__contains__, ids), np.bool_, n)
        simple &= _first(ids, simple)
        rows = np.flatnonzero(simple).tolist()
        taken = np.array(rows, np.int64)
        created = _taken(ids, taken, n)
        made = [{"private": False, **v.DEFAULT_POLICIES, "created_at": None} for _ in rows]
        for name, column in parsed.items():
            for settings, value in zip(made, _taken(column, taken, n), strict=True):
                if value is not None:
                    settings[name] = value
        users.update(zip(created, made, strict=True))
        index.update(zip(created, range(len(index), len(index) + len(rows)), strict=True))
        self._count("users", len(rows), len(rows))
        general = _Out()
        for i in np.flatnonzero(~simple).tolist():
            before = len(general.types)
            self._user(chunk.number(i), chunk.fields(i, columns), sink, general)
            general.places.extend([i] * (len(general.types) - before))
        _merge(changes, rows, ["account_created"] * len(rows), list(created), None, None, [""] * len(rows), general)

    def _user(self, number: int, row_fields: dict[str, str], sink: _Rejects, changes: _Out) -> None:
        """The general lane: one account row."""
        state = self.state
        r = self._parse("users", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, UserRow)
        wanted: dict[str, Any] = dict(r.policies)
        if r.private is not None:
            wanted["private"] = r.private
        current = state.users.get(r.id)
        if current is None:
            state.index[r.id] = len(state.index)
            state.users[r.id] = {"private": False, **v.DEFAULT_POLICIES, **wanted, "created_at": _iso(r.created_at)}
            self._count("users", 1, 1)
            changes.types.append("account_created")
            changes.actors.append(r.id)
            changes.details.append("")
            return
        changed = {k: value for k, value in wanted.items() if current[k] != value}
        current.update(wanted)
        self._count("users", 1, int(bool(changed)))
        if changed:
            changes.types.append("account_updated")
            changes.actors.append(r.id)
            changes.details.append(updated_detail(changed))

    # -- posts -------------------------------------------------------------------------------
    def _posts(self, path: Path, columns: list[str], sink: _Rejects) -> None:
        for chunk, read in self._read("posts", path, columns, self._read_posts):
            changes = _Out()
            if read is None:
                for number, row_fields in self._rows(chunk, columns):
                    self._post(number, row_fields, sink, changes)
            else:
                assert isinstance(chunk, Lines)
                self._posts_chunk(chunk, columns, read, sink, changes)
            self.events.extend(changes.types, changes.actors, posts=changes.posts, details=changes.details)

    def _read_posts(self, chunk: Lines | Records, columns: list[str]) -> dict[str, Any] | None:
        """What the fast lane reads of a chunk of posts.csv (in a reader process): the ids, authors
        and visibilities, the parsed values of the other columns (a time as ISO text), and which
        rows parse with a known author."""
        values = chunk.split() if isinstance(chunk, Lines) else None
        if values is None:
            return None
        pids, authors, visibilities = (values[columns.index(name)] for name in ("id", "author", "visibility"))
        n = len(pids)
        names = [name for name in ("created_at", "duet_policy", "stitch_policy") if name in columns]
        parsed = [self._column_of(name, values[columns.index(name)]) for name in names]
        ok = _parses(pids, [column_ok for _, column_ok in parsed])
        ok &= np.fromiter(map(self.state.users.__contains__, authors), np.bool_, n)
        ok &= np.fromiter(map(set(v.VISIBILITIES).__contains__, visibilities), np.bool_, n)
        return {"ids": pids, "authors": authors, "visibilities": visibilities, "ok": ok,
                "parsed": {name: column for name, (column, _) in zip(names, parsed, strict=True)}}  # fmt: skip

    def _posts_chunk(
        self, chunk: Lines, columns: list[str], read: dict[str, Any], sink: _Rejects, changes: _Out
    ) -> None:
        """The fast lane: the first row of each new post of a known account whose values all
        parse creates it from them; any other row (a repeat, an odd value: none of them creates a
        post) through the general lane, after them, its change in its place."""
        state = self.state
        users, posts = state.users, state.posts
        pids, authors, visibilities, given = read["ids"], read["authors"], read["visibilities"], read["parsed"]
        n = len(pids)
        simple = read["ok"] & ~np.fromiter(map(posts.__contains__, pids), np.bool_, n)
        simple &= _first(pids, simple)
        rows = np.flatnonzero(simple).tolist()
        taken = np.array(rows, np.int64)
        by, ids, seen = _taken(authors, taken, n), _taken(pids, taken, n), _taken(visibilities, taken, n)
        created = _taken(given["created_at"], taken, n) if "created_at" in given else repeat(None)
        made = [{"author": a, "created_at": c, "visibility": w} for a, c, w in zip(by, created, seen, strict=False)]
        for name in ("duet_policy", "stitch_policy"):
            for post, value in zip(made, _taken(given.get(name, ()), taken, n) if name in given else (), strict=False):
                if value is not None:
                    post[name] = value
        posts.update(zip(ids, made, strict=True))
        audience = {(w, p): self._audience(w, p) for w in v.VISIBILITIES for p in (False, True)}
        words = list(map(audience.__getitem__, zip(seen, (bool(users[a]["private"]) for a in by), strict=True)))
        self._count("posts", len(rows), len(rows))
        general = _Out()
        for i in np.flatnonzero(~simple).tolist():
            before = len(general.types)
            self._post(chunk.number(i), chunk.fields(i, columns), sink, general)
            general.places.extend([i] * (len(general.types) - before))
        _merge(changes, rows, ["post_created"] * len(rows), list(by), None, list(ids), words, general)

    def _post(self, number: int, row_fields: dict[str, str], sink: _Rejects, changes: _Out) -> None:
        """The general lane: one post row."""
        state = self.state
        r = self._parse("posts", number, row_fields, sink)
        if r is None:
            return
        assert isinstance(r, PostRow)
        current = state.posts.get(r.id)
        if r.author not in state.users:
            self._count("posts")
            sink.add(number, row_fields, "unknown_account", f"account not found: {r.author}")
            return
        if current is not None and current["author"] != r.author:
            self._count("posts")
            sink.add(number, row_fields, "post_conflict", f"post {r.id} exists, by {current['author']}")
            return
        given: dict[str, Any] = {"visibility": r.visibility}
        for name in ("duet_policy", "stitch_policy"):
            if getattr(r, name) is not None:
                given[name] = getattr(r, name)
        if current is None:
            state.posts[r.id] = {"author": r.author, "created_at": _iso(r.created_at), **given}
            self._count("posts", 1, 1)
            changes.types.append("post_created")
        else:  # as the online import: written when a value changes, unchanged otherwise
            changed = {k: value for k, value in given.items() if current.get(k) != value}
            moved = r.created_at is not None and current["created_at"] != _iso(r.created_at)
            current.update(given)
            if moved:
                current["created_at"] = _iso(r.created_at)
            self._count("posts", 1, int(bool(changed or moved)))
            if "visibility" not in changed:
                return
            changes.types.append("visibility_changed")
        changes.actors.append(r.author)
        changes.posts.append(r.id)
        changes.details.append(self._audience(r.visibility, bool(state.users[r.author]["private"])))

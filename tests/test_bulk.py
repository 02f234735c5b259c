"""Bulk import and export against the real database: every reject reason, the rules of the single
operations, idempotent re-runs, an interrupted import completed by a re-run, and the round trip."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import follows, people, wipe
from typer.testing import CliRunner

from mutuals import Engine, InvalidInput
from mutuals.bulk import ORDER, ImportProgress
from mutuals.cli.main import app


def write_csv(path: Path, header: str, *lines: str) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, *lines: Any) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def rejects(path: str | None) -> list[dict[str, str]]:
    assert path is not None
    if path.endswith(".jsonl"):
        return [json.loads(line) for line in Path(path).read_text().splitlines()]
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def reasons(path: str | None) -> list[tuple[int, str]]:
    return [(int(row["_line"]), row["_reason"]) for row in rejects(path)]


def graph(engine: Engine) -> dict[str, Any]:
    """Everything in the database that an export must carry, in a comparable form."""
    accounts = engine.query(
        "MATCH (a:Account) RETURN a.id AS id, a.private AS private, a.dm_policy AS dm, a.comment_policy AS cm,"
        " a.duet_policy AS du, a.stitch_policy AS st, toString(a.created_at) AS created ORDER BY id"
    ).rows
    edges = engine.query(
        "MATCH (a:Account)-[r:FOLLOWS|REQUESTED|BLOCKS]->(b:Account)"
        " RETURN type(r) AS type, a.id AS a, b.id AS b, r.src AS src, r.dst AS dst,"
        " toString(coalesce(r.since, r.at)) AS at ORDER BY type, a, b"
    ).rows
    posts = engine.query(
        "MATCH (a:Account)-[:POSTED]->(p:Post) RETURN p.id AS id, a.id AS by, p.author AS author,"
        " p.visibility AS visibility, toString(p.created_at) AS created, p.duet_policy AS du,"
        " p.stitch_policy AS st ORDER BY id"
    ).rows
    interactions = engine.query(
        "MATCH (a:Account)-[i:INTERACTED]->(t) RETURN i.kind AS kind, a.id AS actor, t.id AS target,"
        " properties(i) AS props ORDER BY kind, actor, target, toString(i.at)"
    ).rows
    return {"accounts": accounts, "edges": edges, "posts": posts, "interactions": interactions}


def test_users_import_creates_updates_and_rejects(engine: Engine, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "users.csv",
        "id,private,dm_policy,comment_policy,duet_policy,stitch_policy",
        "ann,,,,,",
        "ben,true,everyone,friends,only_me,friends",
        "bad id,,,,,",
        "cat,maybe,,,,",
        "dan,,sometimes,,,",
        "eve,false,,,,,",
        "",
        "fay,yes,,,,",
    )
    summary = engine.import_("users", source)
    assert (summary.read, summary.written, summary.unchanged, summary.rejected) == (7, 3, 0, 4)
    assert summary.reasons == {"bad_id": 1, "bad_policy": 1, "bad_value": 1, "malformed": 1}
    assert reasons(summary.rejects_file) == [(4, "bad_id"), (5, "bad_value"), (6, "bad_policy"), (7, "malformed")]
    ben = engine.user_show("ben").account
    assert (ben.private, ben.dm_policy, ben.comment_policy, ben.duet_policy, ben.stitch_policy) == (
        True,
        "everyone",
        "friends",
        "only_me",
        "friends",
    )
    assert engine.user_show("ann").account.dm_policy == "friends"  # the default
    assert engine.user_show("fay").account.private is True
    again = engine.import_("users", source)
    assert (again.written, again.unchanged, again.rejected) == (0, 3, 4)


def test_a_user_made_public_by_import_approves_pending_requests(engine: Engine, tmp_path: Path) -> None:
    people(engine, "ann", "pia", private=("pia",))
    assert engine.follow("ann", "pia").outcome == "requested"
    summary = engine.import_("users", write_csv(tmp_path / "u.csv", "id,private", "pia,false", "pia,true"))
    assert (summary.written, summary.batches) == (2, 2)  # the same account twice: applied in file order
    assert engine.followers("pia").items == ("ann",)
    assert engine.user_show("pia").account.private is True
    assert engine.doctor().ok


def test_follows_import_keeps_the_rules(engine: Engine, tmp_path: Path) -> None:
    people(engine, "ann", "ben", "cat", "pia", "zed", private=("pia",))
    engine.block("zed", "ann")
    engine.follow("cat", "pia")  # a pending request, consumed by the imported follow
    source = write_csv(
        tmp_path / "follows.csv",
        "follower,followee,since",
        "ann,ben,2026-01-02T03:04:05Z",
        "ben,ann,",
        "ann,ben,",
        "ann,ann,",
        "ann,ghost,",
        "ann,zed,",
        "zed,ann,",
        "ann,pia,",
        "cat,pia,",
        "ann,b@d,",
        "ann,cat,yesterday",
        "ann,cat",
    )
    summary = engine.import_("follows", source, batch_size=4)
    assert (summary.read, summary.written, summary.unchanged, summary.rejected) == (12, 4, 1, 7)
    assert reasons(summary.rejects_file) == [
        (5, "self_follow"),
        (6, "unknown_account"),
        (7, "blocked_pair"),
        (8, "blocked_pair"),
        (11, "bad_id"),
        (12, "bad_timestamp"),
        (13, "malformed"),
    ]
    details = {int(row["_line"]): row["_detail"] for row in rejects(summary.rejects_file)}
    assert details[6] == "account not found: ghost" and details[7] == "zed has blocked ann"
    assert engine.friends("ann").items == ("ben",)
    assert engine.followers("pia").items == ("ann", "cat")  # a private account's follows load as follows
    assert engine.segment("pia", "requests-in").items == ()
    since = engine.query("MATCH ()-[r:FOLLOWS {src: 'ann', dst: 'ben'}]->() RETURN toString(r.since) AS s").rows
    assert since == ({"s": "2026-01-02T03:04:05Z"},)
    assert engine.doctor().ok
    again = engine.import_("follows", source, batch_size=4)
    assert (again.written, again.unchanged, again.rejected) == (0, 5, 7)


def test_requests_and_blocks_import(engine: Engine, tmp_path: Path) -> None:
    people(engine, "ann", "ben", "pia", "pat", private=("pia", "pat"))
    follows(engine, "ann<>ben")
    engine.follow("ben", "pia")
    engine.approve("pia", "ben")
    requests = engine.import_(
        "requests",
        write_csv(
            tmp_path / "r.csv", "requester,target,at", "ann,pia,", "ann,ben,", "ben,pia,", "pia,pia,", "pat,pia,"
        ),
    )
    assert reasons(requests.rejects_file) == [(3, "target_public"), (4, "already_following"), (5, "self_request")]
    assert requests.written == 2
    assert engine.segment("pia", "requests-in").items == ("ann", "pat")
    blocks = engine.import_(
        "blocks", write_csv(tmp_path / "b.csv", "blocker,blocked", "pia,ann", "ben,ann", "ben,ben", "ben,nobody")
    )
    assert reasons(blocks.rejects_file) == [(4, "self_block"), (5, "unknown_account")]
    assert blocks.written == 2
    rel = engine.relationship("ann", "ben")
    assert rel.blocked_by and not rel.following and not rel.followed_by  # the block deleted both follows
    assert engine.segment("pia", "requests-in").items == ("pat",)  # and ann's request
    refused = engine.import_("requests", write_csv(tmp_path / "r2.csv", "requester,target", "ann,pia"))
    assert reasons(refused.rejects_file) == [(2, "blocked_pair")]
    again = engine.import_("blocks", tmp_path / "b.csv")
    assert (again.written, again.unchanged) == (0, 2)
    assert engine.doctor().ok


def test_posts_import(engine: Engine, tmp_path: Path) -> None:
    people(engine, "ann", "ben")
    source = write_csv(
        tmp_path / "posts.csv",
        "id,author,visibility,created_at,duet_policy,stitch_policy",
        "p1,ann,public,2026-03-01T10:00:00Z,,",
        "p2,ann,friends,,friends,only_me",
        "p3,ann,secret,,,",
        "p4,ghost,public,,,",
        "p5,ann,public,soon,,",
        "p6,ann,public,,sometimes,",
        "p1,ben,public,,,",
        "p1,ann,followers,,,",
    )
    summary = engine.import_("posts", source)
    assert reasons(summary.rejects_file) == [
        (4, "bad_visibility"),
        (5, "unknown_account"),
        (6, "bad_timestamp"),
        (7, "bad_policy"),
        (8, "post_conflict"),
    ]
    assert summary.written == 3  # p1, p2, then p1's new visibility
    p1 = engine.post_show("p1")
    assert (p1.visibility, p1.created_at) == ("followers", datetime(2026, 3, 1, 10, tzinfo=UTC))
    assert (engine.post_show("p2").duet_policy, engine.post_show("p2").stitch_policy) == ("friends", "only_me")
    again = engine.import_("posts", source)
    assert (again.written, again.unchanged) == (2, 1)  # p1 back to public, then to followers: file order
    assert engine.post_show("p1").visibility == "followers"


@pytest.fixture
def social(engine: Engine) -> Engine:
    people(engine, "au", "fr", "fo", "st", "bl", "nob")
    follows(engine, "au<>fr", "fo>au")
    engine.user_set("nob", dm_policy="nobody")
    engine.block("au", "bl")
    engine.post_add("pub", "au", "public")
    engine.post_add("fri", "au", "friends")
    return engine


def test_interactions_import_passes_the_checks(social: Engine, tmp_path: Path) -> None:
    at = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    source = write_jsonl(
        tmp_path / "interactions.jsonl",
        {"kind": "like", "actor": "fo", "target": "pub"},
        {"kind": "like", "actor": "fo", "target": "pub", "at": at},
        {"kind": "comment", "actor": "fr", "target": "fri", "at": at},
        {"kind": "message", "actor": "fr", "target": "au", "at": at},
        {"kind": "like", "actor": "fo", "target": "fri"},
        {"kind": "like", "actor": "bl", "target": "pub"},
        {"kind": "message", "actor": "fo", "target": "nob", "at": at},
        {"kind": "poke", "actor": "fo", "target": "pub"},
        {"kind": "comment", "actor": "fo", "target": "pub"},
        {"kind": "like", "actor": "fo", "target": "gone"},
        {"kind": "like", "actor": "ghost", "target": "pub"},
        {"kind": "message", "actor": "fo", "target": "fo", "at": at},
        "{not json",
        [1, 2],
        {"kind": "like", "actor": "fo", "target": "pub", "color": "red"},
        {"kind": "duet", "actor": "fr", "target": "pub", "at": at},
    )
    summary = social.import_("interactions", source)
    assert reasons(summary.rejects_file) == [
        (5, "not_allowed"),
        (6, "blocked_pair"),
        (7, "not_allowed"),
        (8, "bad_kind"),
        (9, "missing_field"),
        (10, "unknown_post"),
        (11, "unknown_account"),
        (12, "self_message"),
        (13, "malformed"),
        (14, "malformed"),
        (15, "unknown_field"),
    ]
    assert (summary.written, summary.unchanged) == (4, 1)
    detail = {int(r["_line"]): r["_detail"] for r in rejects(summary.rejects_file)}
    assert "not friends" in detail[5] and "does not accept messages" in detail[7]
    assert rejects(summary.rejects_file)[-1]["color"] == "red"  # the rejected row as it was
    post = social.post_show("pub")
    assert (post.likes, post.duets) == (1, 1)
    assert social.relationship("fr", "au").interactions_out.get("message") == 1
    again = social.import_("interactions", source)
    assert (again.written, again.unchanged, again.rejected) == (0, 5, 11)
    trusted = social.import_("interactions", source, checks=False, rejects=tmp_path / "r.jsonl")
    assert trusted.written == 3  # the three rows only the checks refused
    assert social.post_show("fri").likes == 1


def test_imported_interactions_are_stored_like_the_engine_stores_them(social: Engine, tmp_path: Path) -> None:
    at = datetime(2026, 5, 1, 12, tzinfo=UTC)
    social.import_(
        "interactions",
        write_csv(
            tmp_path / "i.csv",
            "kind,actor,target,at",
            f"comment,fr,fri,{at.isoformat()}",
            f"message,fr,au,{at.isoformat()}",
            "like,fo,pub,",
        ),
    )
    assert social.interact("comment", "fr", "fri", at=at).outcome == "already_recorded"
    assert social.interact("message", "fr", "au", at=at).outcome == "already_recorded"
    assert social.interact("like", "fo", "pub").outcome == "already_liked"
    stored = social.query("MATCH ()-[i:INTERACTED {kind: 'comment'}]->() RETURN properties(i) AS p").rows[0]["p"]
    assert set(stored) == {"kind", "src", "dst", "post", "at"}
    assert (stored["src"], stored["dst"], stored["post"]) == ("fr", "au", "fri")


def test_header_and_argument_errors(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown column 'followe'"):
        engine.import_("follows", write_csv(tmp_path / "a.csv", "follower,followe", "a,b"))
    with pytest.raises(InvalidInput, match="lacks the column 'followee'"):
        engine.import_("follows", write_csv(tmp_path / "b.csv", "follower", "a"))
    with pytest.raises(InvalidInput) as caught:
        engine.import_("likes", tmp_path / "b.csv")
    assert caught.value.field == "kind"
    with pytest.raises(InvalidInput) as caught:
        engine.import_("follows", write_csv(tmp_path / "c.txt", "follower,followee", "a,b"))
    assert caught.value.field == "format"
    assert engine.import_("follows", tmp_path / "c.txt", format="csv").rejects_file == str(tmp_path / "c.rejects.csv")
    with pytest.raises(InvalidInput) as caught:
        engine.import_("follows", tmp_path / "missing.csv")
    assert caught.value.field == "file"
    with pytest.raises(InvalidInput) as caught:
        engine.import_("follows", tmp_path / "c.txt", format="csv", batch_size=0)
    assert caught.value.field == "batch_size"


def test_byte_order_marks_and_windows_line_ends_are_read(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "u.csv").write_bytes("\ufeffid,private\r\nann,true\r\nben,\r\n".encode())
    (tmp_path / "u.jsonl").write_bytes('\ufeff{"id": "cat"}\r\n{"id": "dan"}\r\n'.encode())
    assert engine.import_("users", tmp_path / "u.csv").written == 2
    assert engine.import_("users", tmp_path / "u.jsonl").written == 2
    assert engine.user_show("ann").account.private is True


def test_rejects_can_be_fixed_and_imported_again(engine: Engine, tmp_path: Path) -> None:
    people(engine, "ann", "ben")
    first = engine.import_("follows", write_csv(tmp_path / "f.csv", "follower,followee", "ann,ben", "ann,cat"))
    assert first.rejected == 1 and first.rejects_file == str(tmp_path / "f.rejects.csv")
    engine.user_add("cat")
    fixed = engine.import_("follows", first.rejects_file)  # the _line, _reason... columns are ignored
    assert (fixed.written, fixed.rejected) == (1, 0)
    clean = engine.import_("follows", tmp_path / "f.csv")
    assert clean.rejected == 0 and clean.rejects_file is None
    assert not (tmp_path / "f.rejects.csv").exists()  # a stale rejects file does not linger


def test_an_interrupted_import_is_completed_by_running_it_again(engine: Engine, tmp_path: Path) -> None:
    ids = [f"u{i:02d}" for i in range(12)]
    people(engine, *ids)
    pairs = [(a, b) for a in ids for b in ids if a != b][:60]
    source = write_csv(tmp_path / "f.csv", "follower,followee", *(f"{a},{b}" for a, b in pairs))
    seen: list[ImportProgress] = []

    def interrupt(step: ImportProgress) -> None:
        seen.append(step)
        if len(seen) == 2:
            raise KeyboardInterrupt  # as Ctrl-C between two rounds of batches

    with pytest.raises(KeyboardInterrupt):
        engine.import_("follows", source, batch_size=10, progress=interrupt)
    half = engine.query("MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS n").rows[0]["n"]
    assert 20 <= half < 60 and seen[-1].written == half  # a round is one batch or two
    done = engine.import_("follows", source, batch_size=10)
    assert (done.written, done.unchanged, done.rejected) == (60 - half, half, 0)
    assert engine.query("MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS n").rows[0]["n"] == 60
    assert engine.doctor().ok


def test_the_token_of_an_import_of_many_rounds_is_a_token(engine: Engine, tmp_path: Path) -> None:
    """The summary's token stays one round's bookmarks however many rounds there were (a union of
    every batch's outgrew the token's bound on a 2M-follow import)."""
    ids = [f"t{i:02d}" for i in range(30)]
    users = write_csv(tmp_path / "u.csv", "id", *ids)
    assert engine.import_("users", users).written == 30
    pairs = [f"{a},{b}" for a in ids for b in ids if a != b]
    rounds: list[ImportProgress] = []
    done = engine.import_(
        "follows", write_csv(tmp_path / "f.csv", "follower,followee", *pairs), batch_size=2, progress=rounds.append
    )
    assert done.written == len(pairs) == 870 and len(rounds) >= 200
    assert done.token is not None and len(done.token) < 1024
    assert engine.query("MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS n", after=done.token).rows == ({"n": 870},)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_then_import_into_an_empty_database_rebuilds_the_graph(engine: Engine, tmp_path: Path, fmt: str) -> None:
    now = datetime.now(UTC).replace(microsecond=123456)
    people(engine, "ann", "ben", "cat", "dan", "pia", private=("pia",))
    engine.user_set("ben", dm_policy="everyone", comment_policy="friends", duet_policy="only_me")
    follows(engine, "ann<>ben", "ann<>cat", "dan>ann", "ben>cat")
    engine.follow("dan", "pia")  # a pending request
    engine.block("cat", "dan")
    engine.post_add("p1", "ann", "friends", created_at=now - timedelta(days=3), duet_policy="friends")
    engine.post_add("p2", "ben", "public", created_at=now - timedelta(days=1))
    engine.interact("like", "ben", "p1", at=now)
    engine.interact("comment", "cat", "p1", at=now - timedelta(hours=1))
    engine.interact("stitch", "ann", "p2", at=now - timedelta(hours=2))
    engine.interact("message", "ann", "ben", at=now - timedelta(hours=3))
    before = graph(engine)
    summary = engine.export(tmp_path / "out", format=fmt)
    assert summary.rows == {"users": 5, "posts": 2, "follows": 6, "requests": 1, "blocks": 1, "interactions": 4}
    assert sorted(Path(p).name for p in summary.files.values()) == sorted(f"{k}.{fmt}" for k in ORDER)
    wipe(engine)
    for kind in ORDER:
        result = engine.import_(kind, summary.files[kind])
        assert (result.rejected, result.written) == (0, summary.rows[kind]), kind
    assert graph(engine) == before
    assert engine.doctor().ok
    again = [engine.import_(kind, summary.files[kind]).written for kind in ORDER]
    assert again == [0] * len(ORDER)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_import_and_export(engine: Engine, env: dict[str, str], tmp_path: Path) -> None:
    users = write_jsonl(tmp_path / "users.jsonl", {"id": "ann"}, {"id": "ben", "private": True}, {"id": "bad id"})
    code, out, err = cli("import", "users", str(users))
    assert code == 0, err
    assert "written" in out and "bad_id" in out and "users.rejects.jsonl" in err
    assert engine.user_show("ben").account.private is True
    follows_file = write_csv(tmp_path / "f.csv", "follower,followee", "ann,ben", "ann,ann")
    code, out, err = cli("import", "follows", str(follows_file), "--batch-size", "1", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {k: summary[k] for k in ("read", "written", "unchanged", "rejected")} == {
        "read": 2,
        "written": 1,
        "unchanged": 0,
        "rejected": 1,
    }
    assert summary["reasons"] == {"self_follow": 1} and summary["rejects_file"].endswith("f.rejects.csv")
    assert engine.followers("ben").items == ("ann",)
    code, out, err = cli("export", str(tmp_path / "dump"), "--json")
    assert code == 0, err
    exported = json.loads(out)
    assert exported["rows"]["users"] == 2 and exported["rows"]["follows"] == 1
    assert (tmp_path / "dump" / "follows.csv").read_text().splitlines()[0] == "follower,followee,since"
    code, out, _ = cli("export", str(tmp_path / "dump2"), "--format", "jsonl")
    assert code == 0 and "interactions" in out
    exported_users = [json.loads(line) for line in (tmp_path / "dump2" / "users.jsonl").read_text().splitlines()]
    assert {u["id"]: u["private"] for u in exported_users} == {"ann": False, "ben": True}  # in any order
    code, _, err = cli("import", "likes", str(follows_file))
    assert code == 2
    code, _, err = cli("import", "follows", str(tmp_path / "nope.csv"))
    assert code == 2 and err.startswith("error: file:")

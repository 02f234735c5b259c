"""Many threads on the same pairs: every write is one transaction and the invariants hold; a block or a
post made private cannot be raced past."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from pathlib import Path

import pytest
from figures import record
from helpers import join_all, people, start_all
from typer.testing import CliRunner

from mutuals import Blocked, Conflict, Engine, NotAllowed, NotFound
from mutuals.cli.main import app

ENGINE_FLAVORS = ("sync", "async")

USERS = [f"c{i}" for i in range(6)]


def _hammer(engine: Engine, seed: int, rounds: int, errors: list[BaseException], outcomes: Counter[str]) -> None:
    rng = random.Random(seed)
    ops = ["follow", "follow", "follow", "unfollow", "approve", "block", "unblock", "remove_follower"]
    try:
        for _ in range(rounds):
            a, b = rng.sample(USERS[:3], 2) if rng.random() < 0.7 else rng.sample(USERS, 2)
            op = rng.choice(ops)
            if rng.random() < 0.05:
                outcomes[engine.user_set(a, private=rng.random() < 0.5).outcome] += 1
                continue
            outcomes[getattr(engine, op)(a, b).outcome] += 1
    except BaseException as e:  # collected and asserted on below
        errors.append(e)


def test_sixteen_threads_on_overlapping_pairs_keep_every_invariant(engine: Engine) -> None:
    people(engine, *USERS, private=("c5",))
    errors: list[BaseException] = []
    outcomes: Counter[str] = Counter()
    threads = [threading.Thread(target=_hammer, args=(engine, seed, 40, errors, outcomes)) for seed in range(16)]
    start_all(threads)
    join_all(threads)
    assert errors == []
    assert sum(outcomes.values()) == 16 * 40
    report = engine.doctor()
    assert report.ok, report.to_dict()
    assert {"followed", "blocked"} <= set(outcomes)


def test_concurrent_follows_of_one_pair_create_one_edge(engine: Engine) -> None:
    people(engine, "a", "b")
    results: list[str] = []
    barrier = threading.Barrier(16)

    def go() -> None:
        barrier.wait()
        results.append(engine.follow("a", "b").outcome)

    threads = [threading.Thread(target=go) for _ in range(16)]
    start_all(threads)
    join_all(threads)
    assert sorted(results) == ["already_following"] * 15 + ["followed"]
    rows = engine.query("MATCH (:Account {id:'a'})-[r:FOLLOWS]->(:Account {id:'b'}) RETURN count(r) AS n").rows
    assert rows[0]["n"] == 1


def test_concurrent_mutual_follows_report_one_friendship(engine: Engine) -> None:
    for round_ in range(10):
        a, b = f"x{round_}", f"y{round_}"
        people(engine, a, b)
        results: list[str] = []
        barrier = threading.Barrier(2)

        def go(x: str, y: str, barrier: threading.Barrier, results: list[str]) -> None:
            barrier.wait()
            results.append(engine.follow(x, y).outcome)

        threads = [
            threading.Thread(target=go, args=(a, b, barrier, results)),
            threading.Thread(target=go, args=(b, a, barrier, results)),
        ]
        start_all(threads)
        join_all(threads)
        assert sorted(results) == ["became_friends", "followed"]
        assert engine.friends(a).items == (b,)


# -- every kind of write at once, checked by `mutuals doctor` ---------------------------------------

MIXED_USERS = [f"m{i}" for i in range(8)]
MIXED_THREADS = 24
MIXED_ROUNDS = 60


def _mixed(engine: Engine, seed: int, errors: list[BaseException], tally: Counter[str]) -> None:
    """Random writes on a few accounts and posts; refusals and missing accounts are answers, not errors."""
    rng = random.Random(seed)
    pair_ops = ["follow", "follow", "unfollow", "approve", "deny", "remove_follower", "block", "unblock"]
    for _ in range(MIXED_ROUNDS):
        a, b = rng.sample(MIXED_USERS[:4] if rng.random() < 0.6 else MIXED_USERS, 2)
        post = f"post-{rng.choice(MIXED_USERS)}-{rng.randrange(3)}"
        roll = rng.random()
        try:
            if roll < 0.50:
                op = rng.choice(pair_ops)
                tally[f"{op}:{getattr(engine, op)(a, b).outcome}"] += 1
            elif roll < 0.58:
                settings = {"private": rng.random() < 0.5, "dm_policy": rng.choice(["everyone", "friends", "nobody"])}
                tally[f"user_set:{engine.user_set(a, **settings).outcome}"] += 1
            elif roll < 0.66:
                author = post.split("-")[1] if rng.random() < 0.7 else a  # two authors may race for one id
                visibility = rng.choice(["public", "followers", "friends", "only_me"])
                tally[f"post_add:{engine.post_add(post, author, visibility).outcome}"] += 1
            elif roll < 0.72:
                visibility = rng.choice(["public", "followers", "friends", "only_me"])
                tally[f"post_set_visibility:{engine.post_set_visibility(post, visibility).outcome}"] += 1
            elif roll < 0.74:
                tally[f"post_delete:{engine.post_delete(post).outcome}"] += 1
            elif roll < 0.92:
                kind = rng.choice(["like", "comment", "duet", "stitch", "message"])
                target = b if kind == "message" else post
                tally[f"interact:{engine.interact(kind, a, target).outcome}"] += 1
            elif roll < 0.96:
                tally[f"user_delete:{engine.user_delete(rng.choice(MIXED_USERS[4:])).outcome}"] += 1
            else:
                tally[f"user_add:{engine.user_add(rng.choice(MIXED_USERS)).outcome}"] += 1
        except NotAllowed as e:  # the rules refused an interaction (a block, a policy, visibility)
            tally[f"refused:{type(e).__name__}"] += 1
        except NotFound as e:  # the account or post was deleted (or not yet created) by another thread
            tally[f"not_found:{e.kind}"] += 1
        except Conflict:  # post_add of an id another author's post holds
            tally["post_add:conflict"] += 1
        except BaseException as e:  # anything else is a failure, asserted on below
            errors.append(e)
            return


@pytest.mark.reliability
def test_mixed_writes_from_24_threads_keep_every_invariant(engine: Engine, env: dict[str, str]) -> None:
    people(engine, *MIXED_USERS, private=("m3", "m7"))
    errors: list[BaseException] = []
    tally: Counter[str] = Counter()
    threads = [threading.Thread(target=_mixed, args=(engine, seed, errors, tally)) for seed in range(MIXED_THREADS)]
    start_all(threads)
    join_all(threads)
    assert errors == [], [(e, e.__cause__, getattr(e.__cause__, "__cause__", None)) for e in errors]
    assert sum(tally.values()) == MIXED_THREADS * MIXED_ROUNDS
    result = CliRunner().invoke(app, ["doctor", "--json"])  # the checker an admin runs
    report = json.loads(result.stdout)
    violations = sum(check["violations"] for check in report["checks"].values())
    record(
        "concurrency",
        "make reliability  # or: pytest tests/test_concurrency.py",
        threads=MIXED_THREADS,
        operations=sum(tally.values()),
        refused=sum(n for k, n in tally.items() if k.startswith("refused")),
        not_found=sum(n for k, n in tally.items() if k.startswith("not_found")),
        errors=len(errors),
        invariants_checked=len(report["checks"]),
        violations=violations,
    )
    assert result.exit_code == 0 and report["ok"], report
    assert violations == 0
    kinds = {key.split(":")[0] for key in tally}
    assert {"follow", "block", "interact", "post_add", "user_set", "refused"} <= kinds, tally


# -- privacy under races: once a block or an only_me is committed, nothing gets through -------------


@pytest.mark.reliability
def test_nothing_slips_past_a_block_or_a_post_made_private(engine: Engine) -> None:
    """Fans like, comment and message an author while the author blocks some of them and makes a
    post only_me at a random moment. Each fan's answers must be monotonic: after the first refusal
    caused by the block (or the only_me), every later attempt is refused too, and afterwards no
    check, feed or audience shows the fan the author's posts."""
    fans = [f"fan{i}" for i in range(16)]
    people(engine, "star", *fans)
    for fan in fans:
        engine.follow(fan, "star")
        engine.follow("star", fan)
    engine.post_add("open", "star", "public", created_at="2026-01-01T00:00:00Z")
    engine.post_add("soon-private", "star", "friends", created_at="2026-01-02T00:00:00Z")
    blocked = set(fans[::2])
    start = threading.Barrier(len(fans) + 2)
    errors: list[BaseException] = []
    leaks: list[str] = []
    attempts = Counter[str]()

    def fan_loop(fan: str, seed: int) -> None:
        rng = random.Random(seed)
        refused_by_block = refused_private = False
        start.wait()
        for n in range(25):
            kind = rng.choice(["like", "comment", "message"])
            target = {"like": "open", "comment": "open", "message": "star"}[kind]
            try:
                engine.interact(kind, fan, target, at=f"2026-02-01T00:00:{n:02d}Z")
                attempts["allowed"] += 1
                if refused_by_block:
                    leaks.append(f"{fan} {kind} after being blocked")
            except Blocked:
                refused_by_block = True
                attempts["refused_block"] += 1
            except NotAllowed:
                attempts["refused_other"] += 1
            try:
                allowed = engine.can_view(fan, "soon-private").allowed
                if allowed and refused_private:
                    leaks.append(f"{fan} saw soon-private after it became only_me")
                refused_private = refused_private or not allowed
                attempts["checks"] += 1
            except BaseException as e:
                errors.append(e)
                return

    def star_loop() -> None:
        rng = random.Random(99)
        start.wait()
        order = sorted(blocked)
        rng.shuffle(order)
        for i, fan in enumerate(order):
            engine.block("star", fan)
            if i == len(order) // 2:
                engine.post_set_visibility("soon-private", "only_me")

    threads = [threading.Thread(target=fan_loop, args=(fan, i)) for i, fan in enumerate(fans)]
    threads.append(threading.Thread(target=star_loop))
    start_all(threads)
    start.wait()
    join_all(threads)
    assert errors == []
    assert leaks == []
    for fan in fans:
        assert not engine.can_view(fan, "soon-private").allowed
        assert engine.can_view(fan, "open").allowed == (fan not in blocked)
        assert ("open" in {item.id for item in engine.feed(fan).items}) == (fan not in blocked)
    audience = engine.audience("open")
    assert set(audience.accounts.items) == blocked  # public post: everyone except the blocked
    assert engine.audience("soon-private").accounts.items == ("star",)
    assert engine.doctor().ok
    record(
        "privacy_races",
        "make reliability  # or: pytest tests/test_concurrency.py",
        threads=len(threads),
        interactions_tried=attempts["allowed"] + attempts["refused_block"] + attempts["refused_other"],
        checks=attempts["checks"],
        refused_by_block=attempts["refused_block"],
        leaks=len(leaks),
    )


# -- races that once went wrong ------------------------------------------------------------------


def test_racing_authors_for_one_post_id_create_it_once(engine: Engine) -> None:
    """Was a constraint error for all but one; now the others find the post, by another author:
    a clean Conflict (post add's answer to another author's post id), never a constraint error."""
    authors = [f"au{i}" for i in range(16)]
    people(engine, *authors)
    for round_ in range(3):
        barrier = threading.Barrier(len(authors))
        outcomes: list[str] = []

        def add(author: str, post: str, barrier: threading.Barrier, outcomes: list[str]) -> None:
            barrier.wait()
            try:
                outcomes.append(engine.post_add(post, author, "public").outcome)
            except Conflict:  # the post exists, by another author (the import's post_conflict)
                outcomes.append("conflict")

        post = f"contested{round_}"
        threads = [threading.Thread(target=add, args=(a, post, barrier, outcomes)) for a in authors]
        start_all(threads)
        join_all(threads)
        # was already_exists for the 15 other authors; a post of another author is now a Conflict
        assert sorted(outcomes) == ["conflict"] * 15 + ["created"]
        shown = engine.post_show(post)
        assert engine.query(
            "MATCH (a:Account)-[:POSTED]->(:Post {id: $p}) RETURN collect(a.id) AS by", {"p": post}
        ).rows == ({"by": [shown.author]},)
    assert engine.doctor().ok


def test_deleting_an_account_while_others_act_on_it(engine: Engine) -> None:
    """Was a KeyError (an account deleted while a writer waited for its lock came back as an empty
    map) and a post left without an author (posted while the account was being deleted)."""
    friends_ = [f"pal{i}" for i in range(6)]
    people(engine, *friends_)
    errors: list[BaseException] = []
    for round_ in range(6):
        doomed = f"doomed{round_}"
        people(engine, doomed)
        engine.post_add(f"{doomed}-first", doomed, "public")
        barrier = threading.Barrier(9)

        def act(seed: int, doomed: str, barrier: threading.Barrier) -> None:
            rng = random.Random(seed)
            barrier.wait()
            for n in range(12):
                pal = rng.choice(friends_)
                action, *args = rng.choice(
                    [
                        (engine.post_add, f"{doomed}-{seed}-{n}", doomed, "public"),
                        (engine.follow, pal, doomed),
                        (engine.follow, doomed, pal),
                        (engine.interact, "like", pal, f"{doomed}-first"),
                        (engine.interact, "message", doomed, pal),
                        (engine.block, pal, doomed),
                    ]
                )
                try:
                    action(*args)
                except (NotFound, NotAllowed):
                    pass
                except BaseException as e:
                    errors.append(e)

        def delete(doomed: str, barrier: threading.Barrier) -> None:
            barrier.wait()
            engine.user_delete(doomed)

        threads = [threading.Thread(target=act, args=(seed, doomed, barrier)) for seed in range(8)]
        threads.append(threading.Thread(target=delete, args=(doomed, barrier)))
        start_all(threads)
        join_all(threads)
        engine.user_delete(doomed)  # whatever was re-created after the delete (nothing can be: no user_add)
        left = engine.query("MATCH (p:Post) WHERE p.author = $a RETURN count(p) AS n", {"a": doomed}).rows
        assert left == ({"n": 0},)
    assert errors == []
    assert engine.doctor().ok


def test_imports_racing_single_operations_keep_every_invariant(engine: Engine, tmp_path: Path) -> None:
    """Follow and request imports while other threads block, unblock, follow and change privacy:
    the batches lock like the single operations, so no follow or request ever crosses a block,
    no request sits beside a follow or on a public account, and no edge is doubled."""
    ids = [f"m{i}" for i in range(8)]
    people(engine, *ids, private=("m6", "m7"))
    pairs = [f"{a},{b}" for a in ids for b in ids if a != b]
    (tmp_path / "follows.csv").write_text("follower,followee\n" + "\n".join(pairs) + "\n")
    (tmp_path / "requests.csv").write_text("requester,target\n" + "\n".join(pairs) + "\n")
    errors: list[BaseException] = []

    def imports() -> None:
        try:
            for _ in range(3):
                for kind in ("requests", "follows"):
                    summary = engine.import_(kind, tmp_path / f"{kind}.csv", batch_size=7, rejects=tmp_path / "r.csv")
                    assert summary.read == summary.written + summary.unchanged + summary.rejected
        except BaseException as e:  # collected and asserted on below
            errors.append(e)

    def singles(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(60):
                a, b = rng.sample(ids, 2)
                op = rng.choice(["block", "unblock", "unblock", "follow", "unfollow", "set"])
                if op == "set":
                    engine.user_set(a, private=rng.random() < 0.5)
                else:
                    getattr(engine, op)(a, b)
        except BaseException as e:  # collected and asserted on below
            errors.append(e)

    threads = [threading.Thread(target=imports)] + [threading.Thread(target=singles, args=(s,)) for s in range(3)]
    start_all(threads)
    join_all(threads)
    assert errors == []
    report = engine.doctor()
    assert report.ok, report.to_dict()

"""mutuals and SpiceDB side by side on the same graph and the same machine.

    python -m bench.peers.spicedb --size S                 # what `make bench-peers` runs
    python -m bench.peers.spicedb --size XS --seconds 0.2  # a quick try

1. Load the benchmark's graph (bench/generate.py, seed 42) into a fresh embedded Neo4j through
   ``Engine.import_`` and into SpiceDB (a throw-away PostgreSQL cluster, fsync on) through
   ``WriteRelationships`` (TOUCH, as idempotent as ``mutuals import``), timing both.
2. Check that both answer the same: a few thousand random (viewer, post) pairs (random viewers,
   followers of the author, the author, anonymous, both ends of blocks), pages of 50 posts and
   following-feed pages. Any disagreement stops the run (exit 1) before anything is measured.
3. Measure in alternating slices (bench.latency): one can_view against CheckPermission (fully
   consistent, and minimize_latency), a page of 50 against CheckBulkPermissions, a following
   feed page against LookupResources of the same posts (sorted by the client: SpiceDB knows no
   time), each next to its transport floor (Bolt ``RETURN 1``; gRPC health check), at 1, 4 and
   16 client threads.
4. Merge the figures into bench/results/bench.json under ``peers.spicedb``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import neo4j
from authzed.api.v1 import (
    CheckBulkPermissionsRequest,
    CheckBulkPermissionsRequestItem,
    CheckPermissionRequest,
    CheckPermissionResponse,
    Consistency,
    LookupResourcesRequest,
    ObjectReference,
    PermissionsServiceStub,
    Relationship,
    RelationshipUpdate,
    SchemaServiceStub,
    SubjectReference,
    WriteRelationshipsRequest,
    WriteSchemaRequest,
)

from mutuals import Engine

from ... import latency
from ...load import engine_import
from ...run import DATA, RESULTS, data_for, log, machine, sample
from ...server import running
from . import schema, server

HAS = CheckPermissionResponse.PERMISSIONSHIP_HAS_PERMISSION
WRITE_BATCH = 1000  # tuples per WriteRelationships (SpiceDB's default limit per call)
FEED = 20


# -- the graph -----------------------------------------------------------------------------------
class Graph:
    """The rows of a generated graph, as both sides need them."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.private = {r[0]: r[1] == "true" for r in _rows(data / "users.csv")}
        self.follows = [(r[0], r[1]) for r in _rows(data / "follows.csv")]
        self.blocks = [(r[0], r[1]) for r in _rows(data / "blocks.csv")]
        self.posts = [(r[0], r[1], r[2]) for r in _rows(data / "posts.csv")]
        self.created = {r[0]: r[3] for r in _rows(data / "posts.csv")}  # ISO strings sort as times
        self.author = {p: a for p, a, _ in self.posts}
        self.followers: dict[str, list[str]] = {}
        for a, b in self.follows:
            self.followers.setdefault(b, []).append(a)

    def tuples(self) -> Iterator[tuple[str, list[schema.Tuple]]]:
        return schema.graph_tuples(self.private, self.follows, self.blocks, self.posts)


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


# -- the SpiceDB side ----------------------------------------------------------------------------
def _obj(kind: str, id: str) -> ObjectReference:
    return ObjectReference(object_type=kind, object_id=id)


def _subject(t: schema.Tuple) -> SubjectReference:
    return SubjectReference(object=_obj(t.subject_type, t.subject_id), optional_relation=t.subject_relation)


def _user(viewer: str | None) -> SubjectReference:
    return SubjectReference(object=_obj("user", schema.viewer_id(viewer)))


FULL = Consistency(fully_consistent=True)
MINIMIZE = Consistency(minimize_latency=True)


class Spice:
    """The calls the benchmark makes, through the official client's stubs (``authzed``) on one
    plaintext loopback channel shared by every thread, the key sent as call metadata: the
    cheapest way to call it (its ``insecure_bearer_token_credentials`` and ``InsecureClient`` add
    a credentials plugin or an interceptor to every call)."""

    def __init__(self, target: str, key: str) -> None:
        self.channel = grpc.insecure_channel(target)
        self.permissions = PermissionsServiceStub(self.channel)
        self.schemas = SchemaServiceStub(self.channel)
        self.auth = (("authorization", f"Bearer {key}"),)
        self._health = self.channel.unary_unary("/grpc.health.v1.Health/Check")

    def close(self) -> None:
        self.channel.close()

    def floor(self) -> bytes:
        """The transport floor: a gRPC health check (empty request), one round trip, no datastore."""
        return bytes(self._health(b"", timeout=10))

    def write_schema(self) -> None:
        self.schemas.WriteSchema(WriteSchemaRequest(schema=schema.SCHEMA), metadata=self.auth)

    def write(self, tuples: list[schema.Tuple]) -> None:
        updates = [
            RelationshipUpdate(
                operation=RelationshipUpdate.Operation.OPERATION_TOUCH,
                relationship=Relationship(
                    resource=_obj(t.resource_type, t.resource_id), relation=t.relation, subject=_subject(t)
                ),
            )
            for t in tuples
        ]
        self.permissions.WriteRelationships(WriteRelationshipsRequest(updates=updates), metadata=self.auth)

    def can_view(self, viewer: str | None, post: str, consistency: Consistency) -> bool:
        response = self.permissions.CheckPermission(
            CheckPermissionRequest(
                resource=_obj("post", schema.object_id(post)),
                permission="view",
                subject=_user(viewer),
                consistency=consistency,
            ),
            metadata=self.auth,
        )
        return bool(response.permissionship == HAS)

    def can_view_many(self, viewer: str | None, posts: list[str], consistency: Consistency) -> dict[str, bool]:
        subject = _user(viewer)
        response = self.permissions.CheckBulkPermissions(
            CheckBulkPermissionsRequest(
                consistency=consistency,
                items=[
                    CheckBulkPermissionsRequestItem(
                        resource=_obj("post", schema.object_id(p)), permission="view", subject=subject
                    )
                    for p in posts
                ],
            ),
            metadata=self.auth,
        )
        out: dict[str, bool] = {}
        for post, pair in zip(posts, response.pairs, strict=True):
            if pair.HasField("error"):
                raise RuntimeError(f"CheckBulkPermissions: {pair.error}")
            out[post] = pair.item.permissionship == HAS
        return out

    def feed(self, viewer: str, created: dict[str, str], consistency: Consistency, limit: int = FEED) -> list[str]:
        """The following feed: every post of ``following_feed`` (LookupResources streams them in no
        particular order), sorted newest first by the application (SpiceDB stores no time)."""
        stream = self.permissions.LookupResources(
            LookupResourcesRequest(
                consistency=consistency,
                resource_object_type="post",
                permission="following_feed",
                subject=_user(viewer),
            ),
            metadata=self.auth,
        )
        ids = [r.resource_object_id.replace("|", ".") for r in stream]
        ids.sort(key=lambda p: (created[p], p), reverse=True)
        return ids[:limit]


# -- load ----------------------------------------------------------------------------------------
def load_spicedb(spice: Spice, graph: Graph) -> dict[str, Any]:
    """Every tuple through WriteRelationships, WRITE_BATCH at a time (rows never split across calls)."""
    out: dict[str, Any] = {}
    spice.write_schema()
    by_kind: dict[str, list[list[schema.Tuple]]] = {}
    for kind, tuples in graph.tuples():
        by_kind.setdefault(kind, []).append(tuples)
    for kind, rows in by_kind.items():
        start = time.perf_counter()
        batch: list[schema.Tuple] = []
        written = 0
        for tuples in rows:
            if len(batch) + len(tuples) > WRITE_BATCH:
                spice.write(batch)
                written += len(batch)
                batch = []
            batch.extend(tuples)
        if batch:
            spice.write(batch)
            written += len(batch)
        seconds = time.perf_counter() - start
        out[kind] = {
            "rows": len(rows),
            "tuples": written,
            "seconds": round(seconds, 3),
            "rows_per_second": round(len(rows) / seconds, 1),
            "tuples_per_second": round(written / seconds, 1),
        }
        log(f"  load spicedb {kind:8} {len(rows):>9,} rows {written:>9,} tuples {len(rows) / seconds:>9,.0f} rows/s")
    return out


def load_mutuals(engine: Engine, data: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, file in (("accounts", "users"), ("follows", "follows"), ("requests", "requests")):
        out[kind] = engine_import(engine, data, file)
    out["blocks"] = engine_import(engine, data, "blocks")
    out["posts"] = engine_import(engine, data, "posts")
    for kind, f in out.items():
        log(f"  load mutuals {kind:8} {f['rows']:>9,} rows {f['rows_per_second']:>9,.0f} rows/s")
    return out


# -- agreement -----------------------------------------------------------------------------------
def check_pairs(graph: Graph, n: int, rng: random.Random) -> list[tuple[str | None, str]]:
    """(viewer, post) pairs that reach every rule: random viewers, followers of the author, the
    author, anonymous viewers, and both ends of a block against the other's posts."""
    accounts = sorted(graph.private)
    posts_by: dict[str, list[str]] = {}
    for p, a, _ in graph.posts:
        posts_by.setdefault(a, []).append(p)
    pairs: list[tuple[str | None, str]] = []
    blocked = [(a, b) for a, b in graph.blocks if posts_by.get(b)] + [
        (b, a) for a, b in graph.blocks if posts_by.get(a)
    ]
    while len(pairs) < n:
        post, author, _ = graph.posts[rng.randrange(len(graph.posts))]
        roll = rng.random()
        if roll < 0.35:
            pairs.append((accounts[rng.randrange(len(accounts))], post))
        elif roll < 0.75 and graph.followers.get(author):
            fans = graph.followers[author]
            pairs.append((fans[rng.randrange(len(fans))], post))
        elif roll < 0.8:
            pairs.append((author, post))
        elif roll < 0.9:
            pairs.append((None, post))
        elif blocked:
            viewer, owner = blocked[rng.randrange(len(blocked))]
            pairs.append((viewer, rng.choice(posts_by[owner])))
    return pairs


def agreement(engine: Engine, spice: Spice, graph: Graph, s: latency.Sample, pairs: int, pages: int) -> dict[str, Any]:
    rng = random.Random(11)
    out: dict[str, Any] = {}
    wrong: list[str] = []
    checked = check_pairs(graph, pairs, rng)
    allowed = 0
    for i in range(0, len(checked), 100):
        chunk = checked[i : i + 100]
        for viewer, post in chunk:
            ours = engine.can_view(viewer, post).allowed
            theirs = spice.can_view(viewer, post, FULL)
            allowed += ours
            if ours != theirs:
                wrong.append(f"can_view({viewer}, {post}): mutuals {ours}, spicedb {theirs}")
    out["checks"] = {"pairs": len(checked), "allowed": allowed, "disagreements": len(wrong)}
    log(f"  agree: {len(checked):,} single checks ({allowed:,} allowed), {len(wrong)} disagreements")
    accounts = sorted(graph.private)
    all_posts = [p for p, _, _ in graph.posts]
    page_wrong = 0
    for _ in range(pages):
        viewer = accounts[rng.randrange(len(accounts))] if rng.random() < 0.9 else None
        page = rng.sample(all_posts, 50)  # random posts: about 45 % of them are not public
        ours_many = {p: d.allowed for p, d in engine.can_view_many(viewer, page).items()}
        theirs_many = spice.can_view_many(viewer, page, FULL)
        bad = [p for p in page if ours_many[p] != theirs_many[p]]
        page_wrong += len(bad)
        wrong += [f"page of {viewer}: {p}: mutuals {ours_many[p]}, spicedb {theirs_many[p]}" for p in bad]
    out["pages"] = {"pages": pages, "posts": pages * 50, "disagreements": page_wrong}
    log(f"  agree: {pages} pages of 50, {page_wrong} disagreements")
    viewers = [*s.ordinary, *s.hubs, *rng.sample(sorted({a for a, _ in graph.follows}), 50)]
    feed_wrong = 0
    nonempty = 0
    for viewer in viewers:
        ours_feed = [item.id for item in engine.feed(viewer, tab="following", limit=FEED)]
        theirs_feed = spice.feed(viewer, graph.created, FULL)
        nonempty += bool(ours_feed)
        if ours_feed != theirs_feed:
            feed_wrong += 1
            wrong.append(f"feed of {viewer}: mutuals {ours_feed[:5]}..., spicedb {theirs_feed[:5]}...")
    out["feeds"] = {"viewers": len(viewers), "non_empty": nonempty, "disagreements": feed_wrong}
    log(f"  agree: {len(viewers)} following-feed pages of {FEED} ({nonempty} non-empty), {feed_wrong} disagreements")
    out["disagreements"] = len(wrong)
    out["examples"] = wrong[:20]
    return out


# -- latency -------------------------------------------------------------------------------------
def cells(
    engine: Engine, spice: Spice, graph: Graph, s: latency.Sample, floor: Callable[[], Any]
) -> dict[str, dict[str, dict[str, list[Callable[[], Any]]]]]:
    """operation -> variant -> path -> calls; the same arguments on every path."""
    rng = random.Random(7)

    def posts_of(authors: list[str]) -> list[str]:
        return [p for a in authors for p in s.posts_by.get(a, [])[:5]] or s.any_posts[:5]

    out: dict[str, dict[str, dict[str, list[Callable[[], Any]]]]] = {}
    o, h = s.ordinary, s.hubs
    created = graph.created
    for variant, users in (("ordinary", o), ("hub", h)):
        targets = posts_of(users)[:5]
        pairs = [(v, p) for v in o[:8] for p in targets]
        out.setdefault("can_view", {})[variant] = {
            "mutuals": [lambda v=v, p=p: engine.can_view(v, p) for v, p in pairs],
            "spicedb_full": [lambda v=v, p=p: spice.can_view(v, p, FULL) for v, p in pairs],
            "spicedb_min": [lambda v=v, p=p: spice.can_view(v, p, MINIMIZE) for v, p in pairs],
        }
        pages = [(v, rng.sample(s.any_posts, 50)) for v in users[:10]]
        out.setdefault("can_view_many", {})[variant] = {
            "mutuals": [lambda v=v, ps=ps: engine.can_view_many(v, ps) for v, ps in pages],
            "spicedb_full": [lambda v=v, ps=ps: spice.can_view_many(v, ps, FULL) for v, ps in pages],
            "spicedb_min": [lambda v=v, ps=ps: spice.can_view_many(v, ps, MINIMIZE) for v, ps in pages],
        }
        out.setdefault("feed_following", {})[variant] = {
            "mutuals": [lambda u=u: engine.feed(u, tab="following", limit=FEED) for u in users],
            "spicedb_full": [lambda u=u: spice.feed(u, created, FULL) for u in users],
            "spicedb_min": [lambda u=u: spice.feed(u, created, MINIMIZE) for u in users],
        }
    for variants in out.values():
        for paths in variants.values():
            paths["floor_bolt"] = [floor]
            paths["floor_grpc"] = [spice.floor]
    return out


def measure(
    engine: Engine,
    spice: Spice,
    graph: Graph,
    s: latency.Sample,
    floor: Callable[[], Any],
    seconds: float,
    clients: Iterable[int],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for op, variants in cells(engine, spice, graph, s, floor).items():
        for variant, paths in variants.items():
            cell: dict[str, Any] = {}
            for c in clients:
                for path, figures in latency.measure_side_by_side(paths, c, seconds).items():
                    cell.setdefault(path, {})[str(c)] = figures
            out.setdefault(op, {})[variant] = cell
            m, f, n = (cell[k]["1"]["p50_ms"] for k in ("mutuals", "spicedb_full", "spicedb_min"))
            log(f"  {op:15} {variant:8} p50 mutuals {m:7.2f} | spicedb full {f:7.2f}, minimize {n:7.2f} ms")
    return out


# -- the whole run -------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    data = data_for(args.size, args.seed)
    graph = Graph(data)
    s = sample(data)
    summary = json.loads((data / "summary.json").read_text())
    logs = DATA / "servers" / f"{args.size}-peers"
    logs.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "size": args.size,
        "graph": summary,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "command": f"python -m bench.peers.spicedb --size {args.size} --seconds {args.seconds} "
        f"--clients {','.join(map(str, args.clients))}",
        "sample": {"ordinary": s.ordinary, "hubs": s.hubs},
    }
    with (
        running(args.size, logs / "neo4j-home") as bench,
        Engine(bench.config) as engine,
        neo4j.GraphDatabase.driver(bench.config.uri or "", auth=("neo4j", bench.password)) as driver,
        server.postgres(logs / "postgres.log") as pg,
        server.spicedb(pg, logs / "spicedb.log") as sdb,
    ):
        result["spicedb"] = {"version": sdb.version, "flags": sdb.flags, "postgres": pg.version, "pg": pg.settings}
        spice = Spice(sdb.target, sdb.key)
        try:
            log(f"{args.size}: load ({summary['accounts']:,} accounts, {summary['follows']:,} follows)")
            result["load"] = {"mutuals": load_mutuals(engine, data), "spicedb": load_spicedb(spice, graph)}
            log(f"{args.size}: agreement")
            agreed = agreement(engine, spice, graph, s, args.pairs, args.pages)
            result["agreement"] = agreed
            if agreed["disagreements"]:
                for line in agreed["examples"]:
                    log("  DISAGREE " + line)
                raise SystemExit(f"{agreed['disagreements']} disagreements between mutuals and SpiceDB: stopped")
            floor = latency.floors(driver)["return1_autocommit"]
            log(f"{args.size}: latency ({args.seconds}s per cell, clients {args.clients})")
            result["latency"] = measure(engine, spice, graph, s, floor, args.seconds, args.clients)
        finally:
            spice.close()
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="S", help="XS, S or M (bench/generate.py)")
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per latency cell and path")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=list(latency.CLIENTS))
    parser.add_argument("--pairs", type=int, default=3000, help="single checks compared before measuring")
    parser.add_argument("--pages", type=int, default=100, help="pages of 50 compared before measuring")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    started = time.perf_counter()
    figures = run(args)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.is_file() else {}
    results.setdefault("peers", {}).setdefault("spicedb", {})[args.size] = figures
    results.setdefault("machine", machine())
    results["peers"]["spicedb"][args.size]["machine"] = machine()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    tmp.replace(args.out)
    log(f"{args.size}: done in {figures['seconds']}s -> {args.out} (peers.spicedb.{args.size})")

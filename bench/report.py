"""Charts and the table of docs/performance.md, from the benchmark's results file.

    python -m bench.report                                   # print the tables
    python -m bench.report --write docs/performance.md       # replace the marked section
    python -m bench.report --charts bench/results            # latency.png and load.png

Every figure comes from the results file (``bench/results/bench.json``, written by bench.run);
the targets of the performance issue are judged here, from the same figures.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
HOT = ("relationship", "can_view", "can_message")
PAGES = ("friends_page", "followers_only_page", "segments")


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _ms(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def cell_floor(size: dict[str, Any], cell: dict[str, Any], clients: str = "1") -> float:
    """The round trip a cell is judged against: ``RETURN 1`` as one auto-commit query, measured in
    the same slices as the cell (older results: the graph's floor)."""
    if "floor" in cell:
        return float(cell["floor"][clients]["p50_ms"])
    return floor_ms(size)


def floor_ms(size: dict[str, Any], kind: str = "return1_autocommit") -> float:
    """The graph's round trip: ``RETURN 1`` as one auto-commit query, the median of the cells'
    floors when they have one (else the one measured before the operations)."""
    cells = [c for vs in size["latency"]["operations"].values() for c in vs.values() if "floor" in c]
    if cells and kind == "return1_autocommit":
        values = sorted(float(c["floor"]["1"]["p50_ms"]) for c in cells)
        return values[len(values) // 2]
    return float(size["latency"]["floor"][kind]["1"]["p50_ms"])


def targets(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, met) for each target of the issue, on the largest graph measured."""
    sizes = results["sizes"]
    lat = next((s for s in ("M", "S", "XS") if "latency" in sizes.get(s, {})), None)
    out: list[tuple[str, str, str]] = []
    if lat is not None:
        size = sizes[lat]
        ops = size["latency"]["operations"]
        for name in HOT:
            for variant, cell in ops.get(name, {}).items():
                p50, p99 = cell["engine"]["1"]["p50_ms"], cell["engine"]["1"]["p99_ms"]
                floor = cell_floor(size, cell)
                ok = p50 <= 2 * floor and p99 <= 5 * floor
                out.append(
                    (
                        f"{lat}: {name} ({variant}): p50 ≤ 2×, p99 ≤ 5× the round trip ({_ms(floor)} ms)",
                        f"p50 {_ms(p50)} ms ({p50 / floor:.1f}×), p99 {_ms(p99)} ms ({p99 / floor:.1f}×)",
                        "met" if ok else "not met",
                    )
                )
        for variant, cell in ops.get("can_view_many", {}).items():
            p50, floor = cell["engine"]["1"]["p50_ms"], cell_floor(size, cell)
            out.append(
                (
                    f"{lat}: can_view_many of 50 ({variant}): one round trip, p50 ≤ 3× the round trip",
                    f"{cell.get('statements', '?')} statement(s); p50 {_ms(p50)} ms ({p50 / floor:.1f}×)",
                    "met" if p50 <= 3 * floor and cell.get("statements") == 1 else "not met",
                )
            )
        for name in PAGES:
            for variant, cell in ops.get(name, {}).items():
                p50, p99 = cell["engine"]["1"]["p50_ms"], cell["engine"]["1"]["p99_ms"]
                if variant == "hub":
                    hub = size["sample"]["hubs"][0]
                    degree = size["sample"]["in_degree"][hub]
                    what = f"{lat}: {name} of hubs (top: {degree:,} followers): p99 < 50 ms"
                    out.append((what, f"p99 {_ms(p99)} ms", "met" if p99 < 50 else "not met"))
                else:
                    what = f"{lat}: {name} of ordinary accounts: p50 ≤ 3× the round trip"
                    floor = cell_floor(size, cell)
                    out.append(
                        (what, f"p50 {_ms(p50)} ms ({p50 / floor:.1f}×)", "met" if p50 <= 3 * floor else "not met")
                    )
        worst = max(
            (
                (c["engine"]["1"]["p50_ms"] / c["raw"]["1"]["p50_ms"] - 1, f"{n} ({v})")
                for n, vs in ops.items()
                for v, c in vs.items()
            ),
            default=(0.0, "-"),
        )
        within = sum(
            1 for vs in ops.values() for c in vs.values() if c["engine"]["1"]["p50_ms"] <= 1.1 * c["raw"]["1"]["p50_ms"]
        )
        total = sum(len(vs) for vs in ops.values())
        out.append(
            (
                f"{lat}: engine overhead over the same Cypher on the raw driver ≤ 10% (p50, 1 client)",
                f"{within} of {total} operations within 10%; worst {worst[1]} +{worst[0] * 100:.0f}%",
                "met" if within == total else "not met",
            )
        )
    loads = [s for s in ("M", "L") if "load" in sizes.get(s, {})] or [
        s for s in ("S", "XS") if "load" in sizes.get(s, {})
    ][:1]
    for load in loads:
        figures = sizes[load]["load"]
        engine = figures["engine"]["follows"]["rows_per_second"]
        merge = figures["raw_unwind_merge"]["follows"]["rows_per_second"]
        create = figures["raw_unwind_create"]["follows"]["rows_per_second"]
        naive = figures["naive_per_row"]["follows"]["rows_per_second"]
        out.append(
            (
                f"{load}: online import ≥ 100,000 follows/s",
                f"{_n(engine)} follows/s",
                "met" if engine >= 100_000 else "not met",
            )
        )
        out.append(
            (
                f"{load}: online import ≥ 0.9× the raw UNWIND pattern",
                f"{engine / merge:.2f}× UNWIND+MERGE ({_n(merge)}/s); "
                f"{engine / create:.2f}× UNWIND+CREATE ({_n(create)}/s)",
                "met" if engine >= 0.9 * merge else "not met",
            )
        )
        out.append(
            (
                f"{load}: far ahead of one transaction per row",
                f"{engine / naive:.0f}× ({_n(naive)} rows/s)",
                "met" if engine >= 10 * naive else "not met",
            )
        )
    wr = next((s for s in ("M", "S", "XS") if "writes" in sizes.get(s, {})), None)
    if wr is not None:
        w = sizes[wr]["writes"]
        keys = sorted(w["follow"]["engine"], key=int)
        top = keys[-1]
        mid = "4" if "4" in keys[:-1] else keys[max(0, len(keys) - 2)]
        e16, r16 = w["follow"]["engine"][top]["ops_per_second"], w["follow"]["raw"][top]["ops_per_second"]
        out.append(
            (
                f"{wr}: follow at {top} clients ≥ 0.8× the raw driver's same change",
                f"{_n(e16)}/s vs {_n(r16)}/s ({e16 / r16:.2f}×)" if r16 else "-",
                "met" if r16 and e16 >= 0.8 * r16 else "not met",
            )
        )

        def rate(op: str, clients: str) -> float:
            return float(w[op]["engine"][clients]["ops_per_second"])

        flat = [op for op in w if rate(op, top) < rate(op, mid)]
        out.append(
            (
                f"{wr}: engine write throughput at {top} clients ≥ at {mid}, for every write",
                ", ".join(f"{op} {_n(rate(op, mid))} → {_n(rate(op, top))}/s" for op in w),
                "met" if not flat else f"not met ({', '.join(flat)})",
            )
        )
    off = next((s for s in ("L", "M", "S", "XS") if "offline" in sizes.get(s, {})), None)
    if off is not None:
        o = sizes[off]["offline"]
        out.append(
            (
                f"{off}: offline load ≥ 1,000,000 relationships/s",
                f"{_n(o['relationships_per_second'])}/s in the batch importer; "
                f"{_n(o['end_to_end_relationships_per_second'])}/s"
                f" with the checks in Python; doctor {'clean' if o.get('doctor_ok') else 'NOT clean'}",
                "met" if o["relationships_per_second"] >= 1_000_000 else "not met",
            )
        )
    for off in [s for s in ("M", "L") if "offline" in sizes.get(s, {})]:
        o = sizes[off]["offline"]
        total = o["prepare_seconds"] + o["import_seconds"]
        ratio = o["end_to_end_relationships_per_second"] / o["relationships_per_second"] if total else 0.0
        out.append(
            (
                f"{off}: offline load end to end ≥ 0.8× the batch importer's own rate",
                f"{_n(o['end_to_end_relationships_per_second'])}/s against {_n(o['relationships_per_second'])}/s "
                f"({ratio:.2f}×: checks in Python {o['prepare_seconds']:.1f} s, importer {o['import_seconds']:.1f} s)",
                "met" if ratio >= 0.8 else "not met",
            )
        )
    return out


def tables(results: dict[str, Any]) -> str:
    lines: list[str] = []
    m = results.get("machine", {})
    lines += [
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB; Python {m.get('python')}, "
        f"driver {m.get('driver')} (neo4j-rust-ext: {'yes' if m.get('rust_ext') else 'no'}).",
        "",
        "### Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {v} | {'✅' if ok == 'met' else '❌'} {ok} |" for t, v, ok in targets(results)]
    for name, size in results["sizes"].items():
        g = size["graph"]
        lines += [
            "",
            f"### {name}: {g['accounts']:,} accounts, {g['follows']:,} follows, {g['posts']:,} posts "
            f"(reciprocity {g['reciprocal_share']:.0%}, top hub {g['hubs'][0][1]:,} followers)",
            "",
            f"Neo4j {size.get('neo4j', '?')}, heap {size['server']['heap']}, "
            f"page cache {size['server']['page_cache']}; "
            f"load average {size['load_average_before']} before, {size['load_average_after']} after; "
            f"{size.get('seconds', 0):,.0f} s in all.",
        ]
        if "load" in size:
            load = size["load"]
            lines += [
                "",
                "| load (rows/s) | mutuals import | raw UNWIND+MERGE | raw UNWIND+CREATE | one tx per row (sample) |",
                "|---|---:|---:|---:|---:|",
            ]
            for kind in ("accounts", "follows", "posts", "requests", "blocks", "interactions", "follows_rerun"):
                if kind not in load["engine"]:
                    continue
                cells = [load.get(w, {}).get(kind) for w in ("raw_unwind_merge", "raw_unwind_create", "naive_per_row")]
                shown = [f"{_n(c['rows_per_second'])} ({c['rows']:,} rows)" if c else "" for c in cells]
                e = load["engine"][kind]
                lines.append(
                    f"| {kind} | {_n(e['rows_per_second'])} ({e['rows']:,} rows) | " + " | ".join(shown) + " |"
                )
        if "offline" in size:
            o = size["offline"]
            lines += [
                "",
                "| offline load | relationships | nodes | checks in Python | batch importer | rel/s (importer) "
                "| rel/s (end to end) | first start | schema built | doctor |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
                f"| `mutuals import --offline` | {o['relationships']:,} | {o['nodes']:,} "
                f"| {o['prepare_seconds']:.1f} s | {o['import_seconds']:.1f} s "
                f"| {_n(o['relationships_per_second'])} | {_n(o['end_to_end_relationships_per_second'])} "
                f"| {o.get('first_start_seconds', 0):.1f} s "
                f"| {o.get('schema_seconds', 0):.1f} s | {'clean' if o.get('doctor_ok') else 'violations'} |",
            ]
        if "latency" in size:
            lat = size["latency"]
            fl = lat["floor"]
            lines += [
                "",
                "| floor: RETURN 1 | p50 ms (1 client) | p99 ms | ops/s at 1 / 4 / 16 clients |",
                "|---|---:|---:|---:|",
            ]
            for kind, label in (
                ("return1_autocommit", "one auto-commit query: the round trip (the floor)"),
                ("return1_managed", "a managed read transaction (BEGIN+RUN, then COMMIT)"),
            ):
                c = fl[kind]
                lines.append(
                    f"| {label} | {_ms(c['1']['p50_ms'])} | {_ms(c['1']['p99_ms'])} | "
                    + " / ".join(_n(c[k]["ops_per_second"]) for k in sorted(c, key=int))
                    + " |"
                )
            lines += [
                "",
                "| operation | accounts | engine p50 / p99 ms | floor p50 ms | × floor | raw driver p50 / p99 ms "
                "| engine overhead | engine ops/s at 1 / 4 / 16 clients |",
                "|---|---|---:|---:|---:|---:|---:|---:|",
            ]
            for op, variants in lat["operations"].items():
                for variant, cell in variants.items():
                    e, r, floor = cell["engine"], cell["raw"], cell_floor(size, cell)
                    over = e["1"]["p50_ms"] / r["1"]["p50_ms"] - 1
                    lines.append(
                        f"| {op} | {variant} | {_ms(e['1']['p50_ms'])} / {_ms(e['1']['p99_ms'])} "
                        f"| {_ms(floor)} | {e['1']['p50_ms'] / floor:.1f} "
                        f"| {_ms(r['1']['p50_ms'])} / {_ms(r['1']['p99_ms'])} | {over * 100:+.0f}% | "
                        + " / ".join(_n(e[k]["ops_per_second"]) for k in sorted(e, key=int))
                        + " |"
                    )
        if "writes" in size:
            lines += [
                "",
                "| write | engine ops/s at 1 / 4 / 16 clients | raw ops/s at 1 / 4 / 16 | engine / raw at each "
                "| engine p50 / p99 ms (1 client) | raw p50 / p99 ms |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            for op, cell in size["writes"].items():
                e, r = cell["engine"], cell["raw"]
                keys = sorted(e, key=int)
                lines.append(
                    f"| {op} | "
                    + " / ".join(_n(e[k]["ops_per_second"]) for k in keys)
                    + " | "
                    + " / ".join(_n(r[k]["ops_per_second"]) for k in keys)
                    + " | "
                    + " / ".join(
                        f"{e[k]['ops_per_second'] / r[k]['ops_per_second']:.2f}×" if r[k]["ops_per_second"] else "-"
                        for k in keys
                    )
                    + f" | {_ms(e[keys[0]]['p50_ms'])} / {_ms(e[keys[0]]['p99_ms'])}"
                    + f" | {_ms(r[keys[0]]['p50_ms'])} / {_ms(r[keys[0]]['p99_ms'])} |"
                )
            if "writes_measured" in size:
                before, after = size.get("writes_load_average", [[], []])
                lines += [
                    "",
                    f"The writes were measured on {size['writes_measured']} (`--writes-only`, a graph loaded afresh "
                    f"by the engine's import), load average {before} before, {after} after, "
                    f"{size.get('writes_seconds', 0):,.0f} s in all.",
                ]
        if "driver" in size:
            lines += ["", "| neo4j-rust-ext (1 client) | p50 with | p50 without |", "|---|---:|---:|"]
            for name, d in size["driver"].items():
                lines.append(f"| {name} | {_ms(d['rust_ext']['p50_ms'])} ms | {_ms(d['pure_python']['p50_ms'])} ms |")
    for small, large in (("S", "M"), ("M", "L")):
        if not all("latency" in results["sizes"].get(s, {}) for s in (small, large)):
            continue
        a, b = (results["sizes"][s]["latency"]["operations"] for s in (small, large))
        fa, fb = (floor_ms(results["sizes"][s]) for s in (small, large))
        lines += [
            "",
            f"### From {small} to {large} (engine p50, 1 client; the round trip {_ms(fa)} / {_ms(fb)} ms)",
            "",
            f"| operation | accounts | {small} ms | {large} ms | {large} / {small} | "
            f"{large} / {small}, each against its round trip |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for op, variants in b.items():
            for variant, cell in variants.items():
                if op in a and variant in a[op]:
                    x, y = a[op][variant]["engine"]["1"]["p50_ms"], cell["engine"]["1"]["p50_ms"]
                    fx, fy = (
                        cell_floor(results["sizes"][small], a[op][variant]),
                        cell_floor(results["sizes"][large], cell),
                    )
                    lines.append(
                        f"| {op} | {variant} | {_ms(x)} | {_ms(y)} | {y / x:.1f} | {(y / fy) / (x / fx):.1f} |"
                    )
    lines += peer_tables(results)
    return "\n".join(lines) + "\n"


PEER_OPS = (
    ("can_view", "one can_view / CheckPermission"),
    ("can_view_many", "a page of 50 / CheckBulkPermissions"),
    ("feed_following", "following feed page of 20 / LookupResources + sort"),
)
SPICE_PATHS = (("spicedb_full", "fully consistent"), ("spicedb_min", "minimize_latency"))


def peer_targets(peer: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The peer goals: mutuals at most half SpiceDB's p50 on single checks and pages of 50, and
    ahead of it in throughput at 16 clients (each against both of SpiceDB's consistency modes)."""
    lat = peer["latency"]
    out: list[tuple[str, str, str]] = []
    size = peer["size"]
    for op, label in (("can_view", "single check"), ("can_view_many", "page of 50")):
        for variant, cell in lat.get(op, {}).items():
            m = cell["mutuals"]["1"]["p50_ms"]
            for path, mode in SPICE_PATHS:
                theirs = cell[path]["1"]["p50_ms"]
                out.append(
                    (
                        f"{size}: {label} ({variant} accounts), p50 at most half SpiceDB's ({mode})",
                        f"mutuals {_ms(m)} ms, SpiceDB {_ms(theirs)} ms: {m / theirs:.2f}×",
                        "met" if m <= 0.5 * theirs else "not met",
                    )
                )
    for op, label in (("can_view", "single checks"), ("can_view_many", "pages of 50")):
        for variant, cell in lat.get(op, {}).items():
            top = max(cell["mutuals"], key=int)
            m = cell["mutuals"][top]["ops_per_second"]
            for path, mode in SPICE_PATHS:
                theirs = cell[path][top]["ops_per_second"]
                out.append(
                    (
                        f"{size}: {label} ({variant}), throughput at {top} clients ahead of SpiceDB ({mode})",
                        f"mutuals {_n(m)}/s, SpiceDB {_n(theirs)}/s: {m / theirs:.2f}×",
                        "met" if m > theirs else "not met",
                    )
                )
    return out


def peer_tables(results: dict[str, Any]) -> list[str]:
    """The leading peer, side by side (bench/peers/spicedb): targets, latency, throughput, load."""
    lines: list[str] = []
    for size, peer in results.get("peers", {}).get("spicedb", {}).items():
        g, sp = peer["graph"], peer["spicedb"]
        a = peer["agreement"]
        lines += [
            "",
            f"### The leading peer: SpiceDB, {size} graph ({g['accounts']:,} accounts, {g['follows']:,} follows, "
            f"{g['posts']:,} posts)",
            "",
            f"`{peer['command']}`: SpiceDB {sp['version']} on {sp['postgres']} (fsync {sp['pg']['fsync']}), "
            f"mutuals on an embedded Neo4j, on the same machine; load average {peer['load_average_before']} "
            f"before, {peer['load_average_after']} after; {peer.get('seconds', 0):,.0f} s in all.",
            "",
            f"Agreement, checked before measuring (fully consistent): {a['checks']['pairs']:,} single checks "
            f"({a['checks']['allowed']:,} allowed), {a['pages']['pages']} pages of 50, "
            f"{a['feeds']['viewers']} following-feed pages ({a['feeds']['non_empty']} non-empty): "
            f"**{a['disagreements']} disagreements**.",
            "",
            "| goal | measured | |",
            "|---|---|---|",
        ]
        lines += [f"| {t} | {v} | {'✅' if ok == 'met' else '❌'} {ok} |" for t, v, ok in peer_targets(peer)]
        lat = peer["latency"]
        lines += [
            "",
            "| operation | accounts | mutuals p50 / p99 ms | SpiceDB fully consistent p50 / p99 ms "
            "| SpiceDB minimize_latency p50 / p99 ms | floors p50 ms: Bolt / gRPC | mutuals ÷ SpiceDB (full, min) |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for op, label in PEER_OPS:
            for variant, cell in lat.get(op, {}).items():
                m, f, n = (cell[k]["1"] for k in ("mutuals", "spicedb_full", "spicedb_min"))
                bolt, rpc = cell["floor_bolt"]["1"]["p50_ms"], cell["floor_grpc"]["1"]["p50_ms"]
                lines.append(
                    f"| {label} | {variant} | {_ms(m['p50_ms'])} / {_ms(m['p99_ms'])} "
                    f"| {_ms(f['p50_ms'])} / {_ms(f['p99_ms'])} | {_ms(n['p50_ms'])} / {_ms(n['p99_ms'])} "
                    f"| {_ms(bolt)} / {_ms(rpc)} "
                    f"| {m['p50_ms'] / f['p50_ms']:.2f} / {m['p50_ms'] / n['p50_ms']:.2f} |"
                )
        clients = sorted(next(iter(next(iter(lat.values())).values()))["mutuals"], key=int)
        lines += [
            "",
            f"| throughput (calls/s) at {' / '.join(clients)} clients | accounts | mutuals "
            "| SpiceDB fully consistent | SpiceDB minimize_latency | Bolt RETURN 1 | gRPC health |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for op, label in PEER_OPS:
            for variant, cell in lat.get(op, {}).items():
                shown = [
                    " / ".join(_n(cell[k][c]["ops_per_second"]) for c in clients)
                    for k in ("mutuals", "spicedb_full", "spicedb_min", "floor_bolt", "floor_grpc")
                ]
                lines.append(f"| {label} | {variant} | " + " | ".join(shown) + " |")
        load = peer["load"]
        lines += [
            "",
            "| load | rows | mutuals import rows/s | SpiceDB WriteRelationships rows/s | tuples per row | tuples/s |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind in ("accounts", "follows", "requests", "blocks", "posts"):
            m = load["mutuals"].get(kind)
            t = load["spicedb"].get(kind)
            if m is None:
                continue
            if t is None:
                lines.append(f"| {kind} | {m['rows']:,} | {_n(m['rows_per_second'])} | no tuples | 0 | |")
                continue
            lines.append(
                f"| {kind} | {m['rows']:,} | {_n(m['rows_per_second'])} | {_n(t['rows_per_second'])} "
                f"| {t['tuples'] / max(1, t['rows']):.2f} | {_n(t['tuples_per_second'])} |"
            )
    return lines


def write_doc(doc: Path, text: str) -> None:
    content = doc.read_text()
    name = doc.relative_to(ROOT) if doc.is_relative_to(ROOT) else doc
    note = f"<!-- generated by `python -m bench.report --write {name}` from bench/results/bench.json: do not edit -->"
    block = f"{START}\n{note}\n\n{text}\n{END}"
    if START in content and END in content:
        content = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, content, flags=re.DOTALL)
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(content)


def charts(results: dict[str, Any], out: Path) -> list[Path]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sizes = [s for s in ("XS", "S", "M", "L") if "latency" in results["sizes"].get(s, {})]
    if sizes:
        ops = list(results["sizes"][sizes[-1]]["latency"]["operations"])
        fig = Figure(figsize=(13, 6), dpi=100)
        FigureCanvasAgg(fig)
        for k, variant in enumerate(("ordinary", "hub")):
            ax = fig.add_subplot(1, 2, k + 1)
            width = 0.8 / len(sizes)
            for j, s in enumerate(sizes):
                lat = results["sizes"][s]["latency"]
                vals = [
                    lat["operations"].get(op, {}).get(variant, {}).get("engine", {}).get("1", {}).get("p50_ms", 0)
                    for op in ops
                ]
                ax.barh([i + j * width for i in range(len(ops))], vals, height=width, label=f"{s} p50")
                ax.axvline(floor_ms(results["sizes"][s]), linestyle="--", linewidth=1, color=f"C{j}")
            ax.set_yticks([i + 0.4 - width / 2 for i in range(len(ops))], ops)
            ax.set_xscale("log")
            ax.set_xlabel("ms (log); dashed: the RETURN 1 round trip")
            ax.set_title(f"engine latency, {variant} accounts, 1 client")
            ax.invert_yaxis()
            ax.legend(fontsize=8)
        fig.tight_layout()
        path = out / "latency.png"
        fig.savefig(path)
        written.append(path)
    loads = [s for s in ("XS", "S", "M", "L") if "load" in results["sizes"].get(s, {})]
    if loads:
        fig = Figure(figsize=(10, 5), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        methods = (
            ("engine", "mutuals import"),
            ("raw_unwind_merge", "raw UNWIND+MERGE"),
            ("raw_unwind_create", "raw UNWIND+CREATE"),
            ("naive_per_row", "one tx per row"),
        )
        groups = [(s, kind) for s in loads for kind in ("accounts", "follows", "posts")]
        width = 0.8 / len(methods)
        for j, (key, label) in enumerate(methods):
            vals = [
                results["sizes"][s]["load"].get(key, {}).get(kind, {}).get("rows_per_second", 0) for s, kind in groups
            ]
            ax.bar([i + j * width for i in range(len(groups))], vals, width=width, label=label)
        offline = [
            (s, results["sizes"][s]["offline"]["relationships_per_second"])
            for s in loads
            if "offline" in results["sizes"][s]
        ]
        for s, rate in offline:
            ax.axhline(rate, linestyle="--", color="k", linewidth=1)
            ax.text(0, rate * 1.1, f"{s} offline batch importer: {rate:,.0f} rel/s", fontsize=8)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))], [f"{s} {k}" for s, k in groups], rotation=30)
        ax.set_yscale("log")
        ax.set_ylabel("rows/s (log)")
        ax.set_title("load rates")
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = out / "load.png"
        fig.savefig(path)
        written.append(path)
    wsizes = [s for s in ("XS", "S", "M") if "writes" in results["sizes"].get(s, {})]
    if wsizes:
        w = results["sizes"][wsizes[-1]]["writes"]
        fig = Figure(figsize=(12, 4.5), dpi=100)
        FigureCanvasAgg(fig)
        for k, op in enumerate(w):
            ax = fig.add_subplot(1, len(w), k + 1)
            for path, style in (("engine", "-o"), ("raw", "--s")):
                keys = sorted(w[op][path], key=int)
                ax.plot([int(c) for c in keys], [w[op][path][c]["ops_per_second"] for c in keys], style, label=path)
            ax.set_xscale("log", base=2)
            ax.set_xticks([int(c) for c in sorted(w[op]["engine"], key=int)], sorted(w[op]["engine"], key=int))
            ax.set_title(op)
            ax.set_xlabel("clients")
            if k == 0:
                ax.set_ylabel(f"{wsizes[-1]}: ops/s")
                ax.legend(fontsize=8)
        fig.tight_layout()
        path = out / "writes.png"
        fig.savefig(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "bench.json")
    parser.add_argument("--write", type=Path, help="replace the marked section of this Markdown file")
    parser.add_argument("--charts", type=Path, help="write latency.png and load.png into this directory")
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    text = tables(results)
    if args.write:
        write_doc(args.write.resolve(), text)
    else:
        print(text)
    if args.charts:
        for path in charts(results, args.charts):
            print("chart:", path)


if __name__ == "__main__":
    main()

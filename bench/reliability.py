"""The figures table of docs/reliability.md, from what the tests recorded.

    make reliability                       # runs the tests, then this with --write
    python -m bench.reliability            # prints the table of the last run
    python -m bench.reliability --write docs/reliability.md

The tests (``pytest -m reliability``) write ``bench/results/reliability.json``; this turns it
into a Markdown table and, with ``--write``, replaces the table between the ``figures`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
SECTIONS = ("fuzz", "concurrency", "privacy_races", "soak", "faults", "lost_acknowledgements")


def results_file() -> Path:
    return Path(os.environ.get("MUTUALS_RELIABILITY_FILE") or ROOT / "bench" / "results" / "reliability.json")


def rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(area, what was tried, how many, how it ended, command) for each recorded section."""
    out: list[tuple[str, str, str, str, str]] = []
    fuzz = data.get("fuzz")
    if fuzz:
        cmd = "`pytest tests/test_fuzz.py`"
        out.append(
            (
                "bad input: engine",
                f"one hostile argument at a time, all {fuzz['engine_methods']} public methods",
                f"{fuzz['engine_validation_tried']:,}",
                f"{fuzz['engine_validation_handled']:,} handled correctly "
                f"({fuzz.get('engine_validation_invalid_input', 0):,} refused naming the field, "
                "none reached the database); data unchanged",
                cmd,
            )
        )
        out.append(
            (
                "bad input: engine reads",
                "plausible and hostile values mixed, against a small graph",
                f"{fuzz['engine_reads_tried']:,}",
                f"{fuzz['engine_reads_handled']:,} handled correctly ({fuzz.get('engine_reads_result', 0):,} answers, "
                f"{fuzz.get('engine_reads_invalid_input', 0):,} refused, "
                f"{fuzz.get('engine_reads_NotFound', 0):,} not found); data unchanged",
                cmd,
            )
        )
        exits = ", ".join(
            f"{fuzz[k]:,}× exit {k.removeprefix('cli_exit_')}" for k in sorted(fuzz) if k.startswith("cli_exit_")
        )
        out.append(
            (
                "bad input: CLI",
                f"every command ({fuzz['cli_commands']}), one hostile argument or option",
                f"{fuzz['cli_tried']:,}",
                f"{fuzz['cli_handled']:,} handled correctly ({exits}); one line on stderr, "
                "no traceback, no raw escape; data unchanged",
                cmd,
            )
        )
    c = data.get("concurrency")
    if c:
        out.append(
            (
                "concurrency",
                f"{c['threads']} threads: follow, unfollow, approve, deny, remove, block, unblock, settings, "
                "posts, interactions, deletes on 8 accounts",
                f"{c['operations']:,} operations",
                f"**{c['violations']} invariant violations** ({c['invariants_checked']} invariants, "
                f"`mutuals doctor`); {c['errors']} errors; {c['refused']:,} refused by the rules",
                "`pytest tests/test_concurrency.py`",
            )
        )
    p = data.get("privacy_races")
    if p:
        out.append(
            (
                "privacy races",
                f"{p['threads']} threads: fans interact while blocked / the post is made only_me",
                f"{p['interactions_tried']:,} interactions, {p['checks']:,} checks",
                f"**{p['leaks']} leaks** ({p['refused_by_block']:,} refused by the block)",
                "`pytest tests/test_concurrency.py`",
            )
        )
    s = data.get("soak")
    if s:
        out.append(
            (
                "soak",
                f"{s['threads']} threads, 70% reads / 30% writes, {s['seconds']:.0f} s",
                f"{s['operations']:,} operations",
                f"**{s['errors']} errors**, {s['violations']} violations; engine connections at most "
                f"{s.get('engine_sockets_max_first_half', '?')} in the first half, "
                f"{s.get('engine_sockets_max_second_half', '?')} in the second (last {s['engine_sockets_last']}); "
                f"**{s['client_sockets_leaked']} client / {s['server_connections_leaked']} server connections "
                f"leaked**, {s['open_transactions_after']} transactions left open",
                "`pytest tests/test_soak.py`; longer: `python -m bench.soak --minutes 10`",
            )
        )
    f = data.get("faults")
    if f:
        out.append(
            (
                "faults",
                f"{f['faults_injected']} faults ({' then '.join(f['faults'])}) in a write load of 4 threads",
                f"{f['writes_attempted']:,} writes",
                f"**{f['writes_lost']} lost**, {f['writes_applied_twice']} applied twice, {f['writes_failed']} failed; "
                f"{f['writes_acknowledged']:,} acknowledged after {f['transactions_retried']} retried transactions "
                f"({f.get('commits_unconfirmed_and_replayed', 0)} of them unconfirmed commits, replayed); "
                f"CLI while down: exit {', '.join(map(str, f['cli_exit_while_down']))}, one line",
                "`pytest tests/test_faults.py`",
            )
        )
    a = data.get("lost_acknowledgements")
    if a:
        out.append(
            (
                "lost acknowledgements",
                "a proxy cuts the connection after the server answers COMMIT (follow, comment, like, block, "
                "user add; then a query)",
                f"{a['commits_cut']} commits cut",
                f"**{a['applied_twice']} applied twice**: {a['replayed_plans']} operations replayed to "
                "`already_...`; the query is not replayed and says it may or may not have been applied",
                "`pytest tests/test_faults.py`",
            )
        )
    return out


def summary(data: dict[str, Any]) -> list[str]:
    """The three headline figures, when every section is recorded."""
    if any(section not in data for section in SECTIONS):
        return []
    fz, c, p, s, f, a = (data[k] for k in SECTIONS)
    tried = fz["engine_validation_tried"] + fz["engine_reads_tried"] + fz["cli_tried"]
    handled = fz["engine_validation_handled"] + fz["engine_reads_handled"] + fz["cli_handled"]
    races = p["interactions_tried"] + p["checks"]
    violations = c["violations"] + p["leaks"] + s["violations"] + s["errors"]
    lost = f["writes_lost"] + f["writes_applied_twice"] + a["applied_twice"]
    return [
        "| figure | measured | command |",
        "|---|---|---|",
        f"| bad inputs tried / handled correctly | **{tried:,} / {handled:,}** | `pytest tests/test_fuzz.py` |",
        f"| concurrent operations run / invariant violations (and leaks, errors) found | "
        f"**{c['operations'] + races + s['operations']:,} / {violations}** ({c['operations']:,} mixed writes, "
        f"{races:,} in privacy races, {s['operations']:,} in the soak) | "
        "`pytest tests/test_concurrency.py tests/test_soak.py` |",
        f"| faults injected / acknowledged operations lost or applied twice | "
        f"**{f['faults_injected'] + a['commits_cut']} / {lost}** ({' and '.join(f['faults'])} under "
        f"{f['writes_attempted']} writes, {a['commits_cut']} commit answers cut) | `pytest tests/test_faults.py` |",
        "",
    ]


def table(data: dict[str, Any]) -> str:
    lines = [
        *summary(data),
        "| area | what was tried | count | result | command |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in rows(data)),
    ]
    missing = [s for s in SECTIONS if s not in data]
    if missing:
        lines.append(f"\n(not recorded yet: {', '.join(missing)})")
    stamps = sorted(str(section.get("recorded_at", "")) for section in data.values() if isinstance(section, dict))
    if stamps:
        lines.append(f"\nMeasured {stamps[0][:10]} by `make reliability` (all of it) or the command of each row.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="replace the table between the figures markers of this file")
    args = parser.parse_args(argv)
    path = results_file()
    if not path.exists():
        print(f"no figures yet ({path}); run `make reliability`", file=sys.stderr)
        return 1
    text = table(json.loads(path.read_text()))
    if args.write:
        doc = args.write.read_text()
        if START not in doc or END not in doc:
            print(f"{args.write} has no {START} ... {END} markers", file=sys.stderr)
            return 1
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
        args.write.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", doc))
        print(f"updated {args.write}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

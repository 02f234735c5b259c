"""Every report over a world full of private activity: messages, only_me posts, posts of private
accounts. Reports never read direct messages, and activity their subject could not see is never
shown (tests/test_leaks.py checks the structural guard on report text)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import follows, people

from mutuals import Engine
from mutuals.views import reports

OLD = datetime.now(UTC) - timedelta(days=400)


def world(engine: Engine) -> None:
    people(engine, "pub", "fan", "pal", "priv", private=("priv",))
    follows(engine, "fan>pub", "pal<>pub", "fan>priv")
    engine.approve("priv", "fan")
    engine.post_add("open", "pub", "public", created_at=OLD)
    engine.post_add("hush", "fan", "only_me")  # fan's only recent post: private
    engine.post_add("inner", "priv", "public")  # a public post of a private account
    engine.interact("like", "fan", "inner")  # activity on a private account's post
    engine.post_add("was_open", "pub", "public", created_at=OLD)
    engine.interact("comment", "fan", "was_open")
    engine.post_set_visibility("was_open", "only_me")  # activity on what is now only_me
    for n in range(30):  # a flood of messages between friends: never read by a report
        engine.interact("message", "pal", "pub", at=datetime.now(UTC) - timedelta(minutes=n))
        engine.interact("message", "pub", "pal", at=datetime.now(UTC) - timedelta(minutes=n, seconds=30))


def params_for(report: reports.Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in report.params:
        if p.type == "id" and p.required:
            out[p.name] = "pub"
        if p.name == "weights":
            out[p.name] = {"like": 1, "comment": 1, "message": 100, "duet": 1, "stitch": 1}  # asks for messages
        if p.name == "top_points":
            out[p.name] = 1
        if p.name == "min_followers":
            out[p.name] = 0
    return out


def test_every_report_over_private_activity(engine: Engine) -> None:
    world(engine)
    results = {}
    for report in engine.report_list():
        result = engine.report_run(report.name, params_for(report))
        results[report.name] = result
        text = json.dumps([dict(r) if isinstance(r, dict) else r for r in result.rows], default=str)
        assert "hush" not in text and "inner" not in text, report.name  # nobody else's hidden posts
    dormant = {r["follower"]: r for r in results["dormant_followers"].rows}
    # fan's only activity is private (an only_me post, a like on a private account's post, a
    # comment on what is now only_me): no timestamp of it is shown
    assert dormant["fan"]["last_active"] is None
    breakdown = {r["segment"]: r["accounts"] for r in results["audience_breakdown"].rows}
    assert breakdown["top_friends"] == 0  # pal and pub only message each other
    assert engine.segments("pub").top_friends == 1  # while the depth of segments counts messages

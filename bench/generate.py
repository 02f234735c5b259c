"""A deterministic generator of realistic follower graphs, written as import files.

    python -m bench.generate --size S --out bench/data/S      # CSV files in `mutuals import` formats

The same seed and size always give the same files. The shape:
- in-degree follows a power law: followees are drawn with probability ~ 1/(rank + 1)^ALPHA, so a
  few hubs gather a large share, and account 0 is followed by every other account (on M that
  is 99,999 followers, as many as 100k accounts allow);
- out-degree is skewed too (lognormal activity), and nobody follows themselves;
- reciprocity: a follow is returned with probability ~0.40 between ordinary accounts and ~0.01
  towards hubs, which lands the graph at about 30-40% reciprocal follows;
- 10% of accounts are private; follows of a private account exist (approved) and pending
  requests to private accounts are added; blocks between random pairs remove any follow or
  request between them;
- posts of every visibility (public 55%, followers 20%, friends 18%, only_me 7%) by active
  authors over the last 60 days, and likes/comments on posts by accounts that follow their
  author (so they pass the permission checks), plus messages between friends.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Size:
    name: str
    accounts: int
    follows: int
    posts: int
    interactions: int


SIZES = {
    "XS": Size("XS", 1_000, 8_000, 2_000, 4_000),
    "S": Size("S", 10_000, 100_000, 20_000, 40_000),
    "M": Size("M", 100_000, 2_000_000, 200_000, 400_000),
    "L": Size("L", 1_000_000, 20_000_000, 1_000_000, 2_000_000),
}
ALPHA = 1.0
PRIVATE_SHARE = 0.10
HUB_COUNT = 10
NOW = datetime(2026, 11, 1, tzinfo=UTC)  # a fixed "now" keeps the files identical run to run


def account_id(i: int) -> str:
    return f"u{i:07d}"


@dataclass
class Summary:
    size: str
    seed: int
    accounts: int
    follows: int
    reciprocal_share: float
    private: int
    requests: int
    blocks: int
    posts: int
    interactions: int
    hubs: list[tuple[str, int]]


def _follow_pairs(size: Size, rng: np.random.Generator) -> np.ndarray:
    """Unique (follower, followee) pairs as int64 codes follower * N + followee."""
    n = size.accounts
    weights = 1.0 / np.power(np.arange(1, n + 1, dtype=np.float64), ALPHA)
    weights /= weights.sum()
    activity = rng.lognormal(0.0, 1.0, n)
    activity /= activity.sum()
    base_target = int(size.follows / 1.22)  # returned follows add ~24% on top; the excess is trimmed
    codes = np.empty(0, dtype=np.int64)
    while codes.size < base_target:
        need = int((base_target - codes.size) * 1.15) + 1000
        a = rng.choice(n, size=need, p=activity)
        b = rng.choice(n, size=need, p=weights)
        keep = a != b
        codes = np.unique(np.concatenate([codes, a[keep].astype(np.int64) * n + b[keep]]))
    codes = rng.permutation(codes)[:base_target]
    # the celebrity: every other account follows account 0, so on M its audience is as large as
    # the graph allows (99,999) and the hub targets of the benchmark are met head-on
    everyone = np.arange(1, n, dtype=np.int64)
    codes = np.unique(np.concatenate([codes, everyone * n]))
    followers, followees = codes // n, codes % n
    hub_rank = followees < HUB_COUNT * 10
    p_back = np.where(hub_rank, 0.01, 0.40)
    back = rng.random(codes.size) < p_back
    reverse = followees[back].astype(np.int64) * n + followers[back]
    codes = np.unique(np.concatenate([codes, reverse]))
    if codes.size > size.follows:  # trim the excess, never from the celebrity's audience
        celebrity = codes[codes % n == 0]
        others = codes[codes % n != 0]
        codes = np.sort(
            np.concatenate([celebrity, rng.choice(others, size=size.follows - celebrity.size, replace=False)])
        )
    return codes


def generate(size: Size, out: Path, seed: int = 42) -> Summary:
    """Write users.csv, follows.csv, requests.csv, blocks.csv, posts.csv, interactions.csv."""
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    n = size.accounts
    private = rng.random(n) < PRIVATE_SHARE
    private[:HUB_COUNT] = False  # hubs are public figures
    codes = _follow_pairs(size, rng)

    blocks: set[int] = set()
    for _ in range(max(10, n // 200)):
        a, b = pyrng.randrange(n), pyrng.randrange(n)
        if a != b:
            blocks.add(a * n + b)
    blocked_pairs = blocks | {(c % n) * n + c // n for c in blocks}
    codes = codes[~np.isin(codes, np.fromiter(blocked_pairs, dtype=np.int64, count=len(blocked_pairs)))]
    follow_set = set(codes.tolist())

    requests: list[tuple[int, int]] = []
    private_ids = np.flatnonzero(private)
    for _ in range(max(10, n // 50)):
        target = int(private_ids[pyrng.randrange(len(private_ids))])
        asker = pyrng.randrange(n)
        code = asker * n + target
        if asker != target and code not in follow_set and code not in blocked_pairs:
            requests.append((asker, target))
    requests = sorted(set(requests))

    reciprocal = sum(1 for c in follow_set if (c % n) * n + c // n in follow_set)
    _write_users(out / "users.csv", n, private, rng)
    _write_pairs(out / "follows.csv", ("follower", "followee"), ((c // n, c % n) for c in codes.tolist()))
    _write_pairs(out / "requests.csv", ("requester", "target"), iter(requests))
    _write_pairs(out / "blocks.csv", ("blocker", "blocked"), ((c // n, c % n) for c in sorted(blocks)))

    in_degree = np.bincount((codes % n).astype(np.int64), minlength=n)
    posts = _write_posts(out / "posts.csv", size, in_degree, rng)
    interactions = _write_interactions(out / "interactions.csv", size, codes, posts, follow_set, rng)
    top = np.argsort(-in_degree)[:HUB_COUNT]
    summary = Summary(
        size=size.name,
        seed=seed,
        accounts=n,
        follows=int(codes.size),
        reciprocal_share=round(reciprocal / max(1, len(follow_set)), 3),
        private=int(private.sum()),
        requests=len(requests),
        blocks=len(blocks),
        posts=len(posts),
        interactions=interactions,
        hubs=[(account_id(int(i)), int(in_degree[i])) for i in top],
    )
    (out / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n")
    return summary


def _write_users(path: Path, n: int, private: np.ndarray, rng: np.random.Generator) -> None:
    dm = rng.choice(["everyone", "friends", "nobody"], size=n, p=[0.2, 0.7, 0.1])
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "private", "dm_policy"])
        for i in range(n):
            writer.writerow([account_id(i), "true" if private[i] else "false", dm[i]])


def _write_pairs(path: Path, header: tuple[str, str], pairs: Iterator[tuple[int, int]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for a, b in pairs:
            writer.writerow([account_id(int(a)), account_id(int(b))])


def _write_posts(path: Path, size: Size, in_degree: np.ndarray, rng: np.random.Generator) -> list[tuple[str, int, str]]:
    weights = np.log1p(in_degree.astype(np.float64)) + 0.1
    weights /= weights.sum()
    authors = rng.choice(size.accounts, size=size.posts, p=weights)
    visibility = rng.choice(["public", "followers", "friends", "only_me"], size=size.posts, p=[0.55, 0.2, 0.18, 0.07])
    minutes = rng.integers(0, 60 * 24 * 60, size=size.posts)
    posts = []
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "author", "visibility", "created_at"])
        for i in range(size.posts):
            at = NOW - timedelta(minutes=int(minutes[i]))
            posts.append((f"p{i:08d}", int(authors[i]), str(visibility[i])))
            writer.writerow([f"p{i:08d}", account_id(int(authors[i])), visibility[i], at.isoformat()])
    return posts


def _write_interactions(
    path: Path,
    size: Size,
    codes: np.ndarray,
    posts: list[tuple[str, int, str]],
    follow_set: set[int],
    rng: np.random.Generator,
) -> int:
    """Likes and comments by followers of the author on posts they may see, and friends' messages."""
    n = size.accounts
    followers_of: dict[int, list[int]] = {}
    for c in codes[: min(codes.size, 5_000_000)].tolist():
        followers_of.setdefault(c % n, []).append(c // n)
    written = 0
    seen: set[tuple[str, int]] = set()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "actor", "target", "at"])
        attempts = 0
        while written < size.interactions and attempts < size.interactions * 20:
            attempts += 1
            pid, author, visibility = posts[int(rng.integers(len(posts)))]
            fans = followers_of.get(author)
            if not fans or visibility == "only_me":
                continue
            actor = fans[int(rng.integers(len(fans)))]
            friends = author * n + actor in follow_set
            if visibility == "friends" and not friends:
                continue
            at = (NOW - timedelta(minutes=int(rng.integers(0, 60 * 24 * 30)))).isoformat()
            roll = rng.random()
            if roll < 0.1 and friends:
                writer.writerow(["message", account_id(actor), account_id(author), at])
            elif roll < 0.4:
                writer.writerow(["comment", account_id(actor), pid, at])
            else:
                if (pid, actor) in seen:
                    continue
                seen.add((pid, actor))
                writer.writerow(["like", account_id(actor), pid, at])
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    summary = generate(SIZES[args.size], args.out, args.seed)
    print(json.dumps(asdict(summary), indent=2))


if __name__ == "__main__":
    main()

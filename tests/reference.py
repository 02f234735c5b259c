"""A reference model of docs/rules.md over plain sets, for the property-based tests."""

from __future__ import annotations

from dataclasses import dataclass, field

USERS = ["u0", "u1", "u2", "u3", "u4"]


@dataclass
class Model:
    """The rules of docs/rules.md over plain sets."""

    private: dict[str, bool]
    follows: set[tuple[str, str]] = field(default_factory=set)
    requests: set[tuple[str, str]] = field(default_factory=set)
    blocks: set[tuple[str, str]] = field(default_factory=set)
    close: set[tuple[str, str]] = field(default_factory=set)  # (owner, member): the curated list
    mutes: set[tuple[str, str]] = field(default_factory=set)  # (muter, muted): active mutes only
    # owner -> (followers_visibility, following_visibility); absent: both "everyone"
    list_settings: dict[str, tuple[str, str]] = field(default_factory=dict)

    def blocked(self, a: str, b: str) -> bool:
        return (a, b) in self.blocks or (b, a) in self.blocks

    def follow(self, a: str, b: str) -> str:
        if self.blocked(a, b):
            return "blocked"
        if (a, b) in self.follows:
            return "already_following"
        if self.private[b]:
            if (a, b) in self.requests:
                return "already_requested"
            self.requests.add((a, b))
            return "requested"
        self.follows.add((a, b))
        return "became_friends" if (b, a) in self.follows else "followed"

    def unfollow(self, a: str, b: str) -> str:
        if (a, b) in self.follows:
            self.follows.discard((a, b))
            return "unfollowed"
        if (a, b) in self.requests:
            self.requests.discard((a, b))
            return "request_cancelled"
        return "not_following"

    def approve(self, owner: str, requester: str) -> str:
        if (requester, owner) not in self.requests:
            return "no_request"
        self.requests.discard((requester, owner))
        self.follows.add((requester, owner))
        return "approved"

    def deny(self, owner: str, requester: str) -> str:
        if (requester, owner) not in self.requests:
            return "no_request"
        self.requests.discard((requester, owner))
        return "denied"

    def remove_follower(self, owner: str, follower: str) -> str:
        if (follower, owner) not in self.follows:
            return "not_following"
        self.follows.discard((follower, owner))
        return "removed"

    def block(self, a: str, b: str) -> str:
        if (a, b) in self.blocks:
            return "already_blocked"
        for rel in (self.follows, self.requests, self.close):
            rel.discard((a, b))
            rel.discard((b, a))
        self.blocks.add((a, b))
        return "blocked"

    def unblock(self, a: str, b: str) -> str:
        if (a, b) not in self.blocks:
            return "not_blocked"
        self.blocks.discard((a, b))
        return "unblocked"

    def expire_block(self, a: str, b: str) -> str:
        """a's block of b reaches its ``until``: it stops applying, and restores nothing."""
        if (a, b) not in self.blocks:
            return "not_blocked"
        self.blocks.discard((a, b))
        return "expired"

    # -- mutes (docs/rules.md "Mute"): they change no check, only feeds and suggestions --------
    def mute(self, v: str, u: str) -> str:
        if (v, u) in self.mutes:
            return "already_muted"
        self.mutes.add((v, u))
        return "muted"

    def unmute(self, v: str, u: str) -> str:
        if (v, u) not in self.mutes:
            return "not_muted"
        self.mutes.discard((v, u))
        return "unmuted"

    def expire_mute(self, v: str, u: str) -> str:
        if (v, u) not in self.mutes:
            return "not_muted"
        self.mutes.discard((v, u))
        return "expired"

    def muted(self, v: str) -> list[str]:
        return sorted(u for m, u in self.mutes if m == v)

    # -- who may see my lists (docs/rules.md "Who may see my lists") ---------------------------
    def set_lists(self, owner: str, followers: str, following: str) -> None:
        self.list_settings[owner] = (followers, following)

    def sees_list(self, v: str, o: str, name: str) -> bool:
        if v == o:
            return True
        if self.blocked(v, o):
            return False
        if self.private[o] and (v, o) not in self.follows:
            return False
        followers, following = self.list_settings.get(o, ("everyone", "everyone"))
        setting = followers if name == "followers" else following
        if setting == "everyone":
            return True
        if setting == "friends":
            return (v, o) in self.follows and (o, v) in self.follows
        return False

    def reveals(self, v: str, x: str, y: str) -> bool:
        """The follow x→y may be shown to v."""
        return self.sees_list(v, x, "following") or self.sees_list(v, y, "followers")

    def known_followers(self, v: str, t: str) -> list[str]:
        reachable = v == t or (not self.blocked(v, t) and (not self.private[t] or (v, t) in self.follows))
        if not reachable:
            return []
        return sorted(k for k in USERS if (v, k) in self.follows and (k, t) in self.follows and self.reveals(v, k, t))

    # -- the close-friends list (docs/rules.md "Close friends") -------------------------------
    def close_friends_add(self, owner: str, member: str) -> str:
        if self.blocked(owner, member):
            return "blocked"
        if (owner, member) in self.close:
            return "already_close_friend"
        self.close.add((owner, member))
        return "added"

    def close_friends_remove(self, owner: str, member: str) -> str:
        if (owner, member) not in self.close:
            return "not_close_friend"
        self.close.discard((owner, member))
        return "removed"

    def close_friends(self, owner: str) -> list[str]:
        return sorted(m for o, m in self.close if o == owner)

    def set_private(self, u: str, value: bool) -> str:
        if self.private[u] == value:
            return "unchanged"
        self.private[u] = value
        if not value:
            for a, b in sorted(self.requests):
                if b == u:
                    self.requests.discard((a, b))
                    self.follows.add((a, b))
        return "updated"

    # -- queries
    def friends(self, u: str) -> list[str]:
        return sorted(b for a, b in self.follows if a == u and (b, u) in self.follows)

    def followers(self, u: str) -> list[str]:
        return sorted(a for a, b in self.follows if b == u)

    def following(self, u: str) -> list[str]:
        return sorted(b for a, b in self.follows if a == u)

    def segment(self, u: str, name: str) -> list[str]:
        friends = set(self.friends(u))
        return {
            "friends": sorted(friends),
            "followers_only": [x for x in self.followers(u) if x not in friends],
            "following_only": [x for x in self.following(u) if x not in friends],
            "requests_in": sorted(a for a, b in self.requests if b == u),
            "requests_out": sorted(b for a, b in self.requests if a == u),
            "blocked": sorted(b for a, b in self.blocks if a == u),
        }[name]

    def _evidence(self, u: str, w: str) -> list[str]:
        """u's friends who are friends of w, by friendships whose two follows u may see."""
        return sorted(
            f for f in set(self.friends(u)) & set(self.friends(w)) if self.reveals(u, f, w) and self.reveals(u, w, f)
        )

    def suggestions(self, u: str) -> list[tuple[str, int, tuple[str, ...]]]:
        found = []
        for w in USERS:
            if w == u or (u, w) in self.follows or (u, w) in self.requests or self.blocked(u, w):
                continue
            if (u, w) in self.mutes:
                continue
            mutual = self._evidence(u, w)
            if mutual:
                found.append((w, len(mutual), tuple(mutual[:3])))
        return sorted(found, key=lambda s: (-s[1], s[0]))

    def follow_back(self, u: str) -> list[tuple[str, int]]:
        found = [(w, len(self._evidence(u, w))) for w in self.segment(u, "followers_only") if (u, w) not in self.mutes]
        return sorted(found, key=lambda s: (-s[1], s[0]))


@dataclass(frozen=True)
class RefPost:
    id: str
    author: str
    visibility: str
    created_at: int  # minutes; larger is newer
    duet: str | None = None
    stitch: str | None = None


@dataclass
class World:
    """Accounts, their relationships and policies, and posts: the rules written as docs/rules.md says them."""

    graph: Model
    posts: dict[str, RefPost] = field(default_factory=dict)
    policies: dict[str, dict[str, str]] = field(default_factory=dict)

    def friends(self, a: str, b: str) -> bool:
        return (a, b) in self.graph.follows and (b, a) in self.graph.follows

    def can_view(self, v: str | None, pid: str) -> bool:
        p = self.posts[pid]
        a = p.author
        if v is None:
            return p.visibility == "public" and not self.graph.private[a]
        if v == a:
            return True
        if self.graph.blocked(v, a):
            return False
        if p.visibility == "only_me":
            return False
        if p.visibility == "close_friends":
            return (a, v) in self.graph.close
        if p.visibility == "friends":
            return self.friends(v, a)
        if p.visibility == "followers":
            return (v, a) in self.graph.follows
        if self.graph.private[a]:
            return (v, a) in self.graph.follows
        return True

    def _allows(self, policy: str, actor: str, author: str) -> bool:
        if actor == author:
            return True
        if policy == "everyone":
            return True
        if policy == "friends":
            return self.friends(actor, author)
        return False  # nobody, only_me

    def can_comment(self, v: str, pid: str) -> bool:
        p = self.posts[pid]
        return self.can_view(v, pid) and self._allows(self.policies[p.author]["comment_policy"], v, p.author)

    def can_duet(self, v: str, pid: str) -> bool:
        p = self.posts[pid]
        policy = p.duet or self.policies[p.author]["duet_policy"]
        return self.can_view(v, pid) and self._allows(policy, v, p.author)

    def can_stitch(self, v: str, pid: str) -> bool:
        p = self.posts[pid]
        policy = p.stitch or self.policies[p.author]["stitch_policy"]
        return self.can_view(v, pid) and self._allows(policy, v, p.author)

    def can_message(self, a: str, b: str) -> bool:
        if a == b or self.graph.blocked(a, b):
            return False
        policy = self.policies[b]["dm_policy"]
        return policy == "everyone" or (policy == "friends" and self.friends(a, b))

    def feed(self, v: str, friends_only: bool) -> list[str]:
        shown = [
            p
            for p in self.posts.values()
            if (v, p.author) in self.graph.follows
            and (v, p.author) not in self.graph.mutes
            and (not friends_only or self.friends(v, p.author))
            and self.can_view(v, p.id)
        ]
        return [p.id for p in sorted(shown, key=lambda p: (p.created_at, p.id), reverse=True)]

    def audience(self, pid: str, users: list[str]) -> tuple[bool, list[str]]:
        p = self.posts[pid]
        if p.visibility == "public" and not self.graph.private[p.author]:
            return True, sorted(u for u in users if u != p.author and self.graph.blocked(u, p.author))
        return False, sorted(u for u in users if self.can_view(u, pid))


# -- for-you membership, with discovery (docs/rules.md "Feeds", docs/ranking.md "Discovery") --------
def for_you_members(world: World, v: str, in_window: set[str], interacted: set[str]) -> set[str]:
    """Which posts of the window (``in_window``) the for-you feed of ``v`` holds, whatever their
    order: the posts v may view by accounts v follows, and the discovered public posts of public
    accounts v does not follow, with no block either way, by a friend of a friend of v or with an
    interaction in the window (``interacted``). The candidate bounds never bind in such small worlds."""
    g = world.graph
    friends_of_v = {f for f in USERS if f != v and world.friends(v, f)}
    fof = {a for f in friends_of_v for a in USERS if a not in (v, f) and world.friends(f, a)}
    found = set()
    for pid in in_window:
        p = world.posts[pid]
        a = p.author
        if (v, a) in g.mutes:
            continue
        if (v, a) in g.follows:
            if world.can_view(v, pid):
                found.add(pid)
        elif (
            a != v
            and p.visibility == "public"
            and not g.private[a]
            and not g.blocked(v, a)
            and (a in fof or pid in interacted)
        ):
            found.add(pid)
    return found

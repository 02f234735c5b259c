"""A small FastAPI service over ``AsyncEngine`` (run: ``uvicorn examples.service.app:app``).

Who is asking comes from the ``X-User`` header (a real service takes it from its auth). The
consistency token of the last write travels back to the client in the ``X-Mutuals-Token``
header and a cookie; reads pass it as ``after=`` so a user always sees their own follow, even
when reads are served by a cluster's secondaries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Cookie, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mutuals import AsyncEngine, DatabaseUnavailable, InvalidInput, MutualsError, NotAllowed, NotFound

TOKEN_HEADER = "X-Mutuals-Token"
TOKEN_COOKIE = "mutuals_token"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with AsyncEngine.from_env() as engine:
        app.state.engine = engine
        yield


app = FastAPI(title="mutuals example", lifespan=lifespan)

STATUS = {NotFound: 404, InvalidInput: 422, NotAllowed: 403, DatabaseUnavailable: 503}


@app.exception_handler(MutualsError)
async def mutuals_error(request: Request, error: MutualsError) -> JSONResponse:
    status = next((code for cls, code in STATUS.items() if isinstance(error, cls)), 500)
    return JSONResponse({"error": str(error)}, status_code=status)


def engine_of(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def consistency(header: str | None, cookie: str | None) -> str | None:
    """The token to read after: the header wins over the cookie."""
    return header or cookie or None


TokenHeader = Annotated[str | None, Header(alias=TOKEN_HEADER)]
TokenCookie = Annotated[str | None, Cookie(alias=TOKEN_COOKIE)]
Viewer = Annotated[str | None, Header(alias="X-User")]


@app.get("/profiles/{user}")
async def profile(
    user: str, request: Request, viewer: Viewer = None, token: TokenHeader = None, cookie: TokenCookie = None
) -> Any:
    """A profile page: counts, how the viewer relates to the account, and "followed by x, y".
    Read with ``profile_for``: an account that blocked the viewer answers exactly like a missing
    one (404 "not available"), never with its counts, a follow button or ``blocked_by``."""
    engine = engine_of(request)
    after = consistency(token, cookie)
    shown = await engine.profile_for(viewer or None, user, after=after)
    if not shown.available or shown.profile is None:
        return JSONResponse({"error": f"account {user} isn't available"}, status_code=404)
    page: dict[str, Any] = shown.profile.to_dict()
    if viewer and viewer != user:
        known = await engine.known_followers(viewer, user, limit=3, after=after)
        page["relationship"] = {k: v for k, v in shown.to_dict().items() if k not in {"profile", "available"}}
        page["followed_by"] = {"ids": list(known.items), "total": known.total}
        page["button"] = "following" if shown.following else "requested" if shown.requested else "follow"
    return page


@app.get("/feed")
async def feed(
    request: Request,
    viewer: Viewer,
    tab: str = "following",
    cursor: str | None = None,
    token: TokenHeader = None,
    cookie: TokenCookie = None,
) -> dict[str, Any]:
    """A feed page for the viewer (only what they may see)."""
    if not viewer:
        raise InvalidInput("X-User", "who is asking? (send the X-User header)")
    page = await engine_of(request).feed(viewer, tab=tab, cursor=cursor, after=consistency(token, cookie))
    return {"items": [item.to_dict() for item in page.items], "next_cursor": page.next_cursor}


class FollowBody(BaseModel):
    followee: str


@app.post("/follow")
async def follow(body: FollowBody, request: Request, response: Response, viewer: Viewer) -> dict[str, Any]:
    """The follow button: follows (or requests), and hands back the consistency token."""
    if not viewer:
        raise InvalidInput("X-User", "who is asking? (send the X-User header)")
    outcome = await engine_of(request).follow(viewer, body.followee)
    if outcome.token:
        response.headers[TOKEN_HEADER] = outcome.token
        response.set_cookie(TOKEN_COOKIE, outcome.token, httponly=True, samesite="lax")
    return outcome.to_dict()

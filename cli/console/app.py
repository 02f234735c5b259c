"""The support console: a small read-only web app over the engine's public API.

Every page is server-rendered HTML (Jinja2, autoescaped) and works without JavaScript: each
lookup is a GET form. The app only parses the request, calls one or a few engine reads and
renders the answer; the engine validates every value and decides every rule (a check's
explanation is its ``Decision.reasons``). Nothing here writes.

Access: every request needs the console's token, as ``Authorization: Bearer TOKEN`` or as the
session cookie the login form sets (a value derived from the token, compared in constant time);
without it the answer is 401 with the login form. Only ``POST /login`` is reachable without it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import logging
import tempfile
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.exceptions import HTTPException

from mutuals import (
    AuthenticationFailed,
    DatabaseUnavailable,
    Decision,
    Engine,
    Event,
    Expired,
    InvalidInput,
    MutualsError,
    NotAllowed,
    NotFound,
    SegmentCounts,
)

HERE: Final = Path(__file__).parent
COOKIE: Final = "mutuals_console"
AUDIENCE_PAGE: Final = 50
SEGMENT_PAGE: Final = 100
EGO_LIMIT: Final = 120
RECENT_EVENTS: Final = 50  # the last this many events of the account are shown...
EVENTS_BATCH: Final = 1000  # ... read in batches of this many ...
EVENTS_SCAN: Final = 20_000  # ... at most this many per page (the page links to the next stretch)
CHECKS: Final = ("view", "comment", "duet", "stitch")
STATUS: Final[tuple[tuple[type[MutualsError], int], ...]] = (
    (InvalidInput, 400),
    (NotFound, 404),
    (NotAllowed, 403),
    (Expired, 410),
    (AuthenticationFailed, 503),
    (DatabaseUnavailable, 503),
)

log = logging.getLogger("mutuals.console")


def session_value(token: str) -> str:
    """The cookie's value: derived from the token, so the cookie is not the token itself."""
    return hmac.new(token.encode(), b"mutuals-console-session", hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def segment_names() -> list[str]:
    """The segments, in the order ``SegmentCounts`` declares them."""
    return [f.name for f in dataclasses.fields(SegmentCounts)]


def create_app(engine: Engine, token: str) -> FastAPI:
    """The console over ``engine``, open to holders of ``token``."""
    if not token:
        raise ValueError("the console needs a token")
    session = session_value(token)
    css = (HERE / "static" / "console.css").read_text()
    css_hash = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    # No script at all, inline styles only from our own stylesheet (by its hash), pictures from here.
    policy = (
        "default-src 'none'; img-src 'self' data:; "
        f"style-src 'sha256-{css_hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped, whatever the template's name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals.update(css=Markup(css), checks=CHECKS)

    app = FastAPI(title="mutuals console", docs_url=None, redoc_url=None, openapi_url=None)

    def render(template: str, code: int = 200, /, **context: Any) -> HTMLResponse:
        html = templates.get_template(template).render(**context)
        return HTMLResponse(html, status_code=code)

    def error(status: int, title: str, message: str) -> HTMLResponse:
        return render("error.html", status, title=title, message=message, status=status)

    def authorised(request: Request) -> bool:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return _same(credentials.strip(), token)
        cookie = request.cookies.get(COOKIE)
        return cookie is not None and _same(cookie, session)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path == "/login" and request.method == "POST":
            response = await call_next(request)
        elif not authorised(request):
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = render("login.html", 401, failed=False, next=_local(here))
            response.headers["WWW-Authenticate"] = 'Bearer realm="mutuals console"'
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"  # support data is private
        return response

    @app.exception_handler(MutualsError)
    async def engine_error(request: Request, e: Exception) -> HTMLResponse:
        status = next((code for kind, code in STATUS if isinstance(e, kind)), 400)
        return error(status, type(e).__name__, str(e))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, e: Exception) -> HTMLResponse:
        return error(400, "Bad request", "the request's parameters could not be read")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, e: Exception) -> HTMLResponse:
        status = e.status_code if isinstance(e, HTTPException) else 500
        detail = e.detail if isinstance(e, HTTPException) else ""
        return error(status, "Not found" if status == 404 else "Error", str(detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception) -> HTMLResponse:
        log.exception("console: unexpected error on %s", request.url.path)
        return error(500, "Unexpected error", f"unexpected {type(e).__name__} (the console's log has the details)")

    @app.post("/login", response_model=None)
    async def login(request: Request) -> Response:
        form = await request.form()
        given = form.get("token")
        target = _local(str(form.get("next") or "/"))
        if not isinstance(given, str) or not _same(given.strip(), token):
            response: Response = render("login.html", 401, failed=True, next=target)
            response.headers["WWW-Authenticate"] = 'Bearer realm="mutuals console"'
            return response
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
        return response

    @app.post("/logout", response_model=None)
    def logout() -> Response:
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return render("home.html", uri=engine.uri)

    @app.get("/account", response_class=HTMLResponse)
    def account(id: str = "", other: str = "") -> HTMLResponse:
        profile = engine.user_show(id)
        counts = engine.segments(id)
        relationship = engine.relationship(id, other) if other else None
        message: Decision | None = engine.can_message(id, other) if other else None
        return render(
            "account.html",
            id=id,
            other=other,
            profile=profile,
            segments=[(name, getattr(counts, name)) for name in segment_names()],
            relationship=relationship,
            fields=[f.name for f in dataclasses.fields(relationship)] if relationship else [],
            message=message,
        )

    @app.get("/segment", response_class=HTMLResponse)
    def segment(id: str = "", name: str = "", cursor: str = "") -> HTMLResponse:
        page = engine.segment(id, name, limit=SEGMENT_PAGE, cursor=cursor or None)
        return render("segment.html", id=id, name=name, page=page)

    @app.get("/ego.png", response_model=None)
    def ego(id: str = "") -> Response:
        with tempfile.TemporaryDirectory(prefix="mutuals-console-") as directory:
            picture = engine.draw(id, Path(directory) / "ego.png", limit=EGO_LIMIT)
            data = Path(picture.path).read_bytes()
        return Response(data, media_type="image/png")

    @app.get("/post", response_class=HTMLResponse)
    def post(
        id: str = "", viewer: str = "", check: str = "view", logged_out: str = "", cursor: str = ""
    ) -> HTMLResponse:
        if check not in CHECKS:
            raise InvalidInput("check", f"must be one of {', '.join(CHECKS)}")
        shown = engine.post_show(id)
        audience = engine.audience(id, limit=AUDIENCE_PAGE, cursor=cursor or None)
        who: str | None = None if logged_out else viewer
        decision: Decision | None = None
        if logged_out or viewer:
            methods = {
                "view": engine.can_view,
                "comment": engine.can_comment,
                "duet": engine.can_duet,
                "stitch": engine.can_stitch,
            }
            decision = methods[check](who, id)
        return render(
            "post.html",
            id=id,
            viewer=viewer,
            check=check,
            logged_out=bool(logged_out),
            post=shown,
            audience=audience,
            decision=decision,
            who=who,
        )

    @app.get("/events", response_class=HTMLResponse)
    def events(id: str = "", after: int = 0) -> HTMLResponse:
        try:
            engine.user_show(id)  # the engine checks the id; a deleted account still has its events
            exists = True
        except NotFound:
            exists = False
        found: deque[Event] = deque(maxlen=RECENT_EVENTS)
        position, scanned = after, 0
        while scanned < EVENTS_SCAN:
            batch = engine.events(position, EVENTS_BATCH)
            found.extend(e for e in batch if id in (e.actor, e.subject))
            scanned += len(batch)
            if batch:
                position = batch[-1].seq
            if len(batch) < EVENTS_BATCH:
                break
        more = scanned >= EVENTS_SCAN
        return render(
            "events.html",
            id=id,
            after=after,
            exists=exists,
            events=list(reversed(found)),
            position=position,
            more=more,
            scanned=scanned,
        )

    @app.get("/reports", response_class=HTMLResponse)
    def reports() -> HTMLResponse:
        return render("reports.html", reports=engine.report_list())

    @app.get("/report", response_class=HTMLResponse)
    def report(request: Request, name: str = "") -> HTMLResponse:
        given = {key[2:]: value for key, value in request.query_params.items() if key.startswith("p.") and value}
        found = {r.name: r for r in engine.report_list()}
        if name not in found:
            raise NotFound("report", name)
        note = ""
        with tempfile.TemporaryDirectory(prefix="mutuals-console-") as directory:
            try:
                result = engine.report_run(name, given, chart=Path(directory) / "chart.png")
            except InvalidInput as e:
                if e.field != "chart":
                    raise
                note = str(e)  # rows that are not label/value pairs: shown without a chart
                result = engine.report_run(name, given)
            chart = base64.b64encode(Path(result.chart).read_bytes()).decode() if result.chart else None
        return render("report.html", report=found[name], given=given, result=result, chart=chart, note=note, cell=_cell)

    return app


def _local(path: str) -> str:
    """A path on this site to go back to after the login ("/" for anything else)."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path and path != "/login":
        return path
    return "/"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return str(value)

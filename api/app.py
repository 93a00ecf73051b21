"""The HTTP application: GraphQL at ``/graphql``, ``/healthz`` and ``/readyz``.
Built by ``create_app``; nothing is created at import time.

Strawberry's own GraphiQL page is off: it loads its scripts from a CDN into a
page that holds a bearer token. Every request passes the size limits
(``api.http_limits``) and every response carries the security headers
(``api.security_headers``); each caller is rate-limited (``api.rate_limits``).

The caller owns ``journeys`` and closes it after the server stops. The views
(``api.bootstrap.Views``) are built at startup unless given, and kept current from
this process where the settings say so (by default on SQLite and in memory).
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread
import orjson
from cross_web import HTTPException
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette import status
from starlette.exceptions import WebSocketException
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET, UnsetType

from api.auth import (
    AuthenticationFailed,
    Principal,
    TokenVerifier,
    check_token_settings,
)
from api.bootstrap import Views, build_policy, build_rule_book, build_views
from api.downloads import ExportDownloads
from api.graphql import WaymarkContext, build_schema
from api.graphql.cursors import ListingCursors
from api.graphql.direct_execution import DirectExecution
from api.graphql.documents import DocumentChecks
from api.http_limits import RequestLimits
from api.logs import escape_log_records
from api.rate_limits import RateLimited, RateLimiter
from api.security_headers import SecurityHeaders
from api.settings import Settings
from api.store_threads import StoreThreads
from api.workspace import identity_provider_origins, mount_workspace
from domain.application import CaseJourneys
from projections.chronology import ChronologyReader
from projections.deadlines import DeadlinesReader

logger = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"
#: Answers that must never be cached (they hold case data, or the server's state).
NO_STORE_PATHS = (GRAPHQL_PATH, "/healthz", "/readyz")
#: Threads for resolvers' and downloads' store calls (``api.store_threads``);
#: beyond it requests queue. Sized to the PostgreSQL pool (5) plus its overflow
#: (10), and one to spare. Checking a new token and /readyz run in anyio's
#: threads, as many again at most (``store_limiter``).
STORE_THREADS = 16
#: How long /readyz waits for the store before calling it unavailable.
READY_TIMEOUT_SECONDS = 2.0


class WaymarkGraphQL(GraphQL[WaymarkContext, None]):
    """Strawberry's ASGI app, on a plain route: FastAPI's router would solve
    dependencies on every request, a third of a small mutation's HTTP cost.
    Encodes and decodes JSON with orjson. A well-formed POST of a checked
    document is answered the short way (``api.graphql.direct_execution``);
    with ``direct`` None every request goes through Strawberry's view."""

    def __init__(
        self,
        journeys: CaseJourneys,
        chronologies: ChronologyReader,
        settings: Settings,
    ) -> None:
        checks = DocumentChecks(introspection=settings.introspection)
        schema = build_schema(introspection=settings.introspection, checks=checks)
        super().__init__(schema, graphql_ide=None, subscription_protocols=())
        self.direct: DirectExecution | None = DirectExecution(schema, checks)
        self.journeys = journeys
        self.chronologies = chronologies
        self.deadlines = DeadlinesReader(journeys)
        self.tokens = TokenVerifier(settings)
        self.rates = RateLimiter(settings.rate_per_second, settings.rate_burst)
        self.cursors = ListingCursors(settings.cursor_key_bytes())
        self.rules = build_rule_book(settings)
        self.policy = build_policy(settings)

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: WaymarkContext | UnsetType = UNSET,
        root_value: UnsetType | None = UNSET,
    ) -> Response | WebSocket:
        if self.direct is not None and isinstance(request, Request):
            prepared = self.direct.prepare(
                request.method,
                request.headers.get("content-type"),
                request.headers.get("accept"),
                await request.body() if request.method == "POST" else b"",
            )
            if prepared is not None:
                answer = await self.direct.answer(
                    prepared, await self.get_context(request, None)
                )
                return Response(self.encode_json(answer), media_type="application/json")
        # Starlette keeps the body it read, so Strawberry reads it again.
        return await super().run(request, context, root_value)  # type: ignore[arg-type]

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> WaymarkContext:
        if not isinstance(request, Request):
            raise WebSocketException(
                status.WS_1008_POLICY_VIOLATION, "no subscriptions"
            )
        principal = await self.caller(request)
        views: Views = request.app.state.views
        return WaymarkContext(
            self.journeys,
            self.chronologies,
            principal,
            request.app.state.store_threads,
            caseload=views.caseload,
            rules=self.rules,
            evaluation=views.evaluation,
            cursors=self.cursors,
            policy=self.policy,
            audit=views.audit,
            deadlines=self.deadlines,
        )

    async def caller(self, request: Request) -> Principal:
        """Who is asking (``Unauthenticated`` if nobody usable), within their
        rate (``RateLimited``): for GraphQL and the downloads alike."""
        header = request.headers.get("authorization")
        # A token seen before is answered from memory; a new one is checked in
        # a thread, since checking may fetch an identity provider's keys.
        principal = self.tokens.remembered(header)
        if principal is None:
            try:
                principal = await anyio.to_thread.run_sync(
                    self.tokens.authenticate,
                    header,
                    limiter=request.app.state.store_limiter,
                )
            except AuthenticationFailed as error:
                raise Unauthenticated(error.reason) from None
        self.rates.take(principal.subject)
        return principal

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        decoded = orjson.loads(data)  # orjson.JSONDecodeError is a json one
        # Strawberry reads a body that is a bare string or number as an object
        # and fails (a 500): refused here, as it refuses a body it cannot parse.
        if not isinstance(decoded, (dict, list)):
            raise HTTPException(400, "The JSON must be an object (or a list).")
        return decoded


def json_response(data: Any, status_code: int = 200, **headers: str) -> Response:
    return Response(
        orjson.dumps(data),
        status_code=status_code,
        media_type="application/json",
        headers=headers or None,
    )


class Unauthenticated(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def create_app(
    journeys: CaseJourneys,
    settings: Settings,
    views: Views | None = None,
    *,
    demo: bool = False,
) -> FastAPI:
    check_token_settings(settings)
    escape_log_records()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store_limiter = anyio.CapacityLimiter(STORE_THREADS)
        app.state.store_threads = StoreThreads(STORE_THREADS)
        built = (
            views
            if views is not None
            else await anyio.to_thread.run_sync(build_views, settings, journeys)
        )
        app.state.views = built
        built.start()
        logger.info("Waymark API serving GraphQL at %s", GRAPHQL_PATH)
        try:
            yield
        finally:
            # Calls already handed over finish (they may read the views) before
            # the views close, and before the caller closes the store.
            await anyio.to_thread.run_sync(app.state.store_threads.close)
            await anyio.to_thread.run_sync(built.stop if views else built.close)

    app = FastAPI(
        title="Waymark",
        summary="The case journey record for independent modern slavery advocates.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    graphql = WaymarkGraphQL(journeys, ChronologyReader(journeys), settings)
    app.router.routes.append(
        Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"], include_in_schema=False)
    )
    downloads = ExportDownloads(journeys, graphql.caller, graphql.policy)
    app.router.routes.extend(downloads.routes())
    # The last added runs first: sizes are checked before anything else.
    app.add_middleware(
        SecurityHeaders,
        no_store_paths=NO_STORE_PATHS,
        connect_origins=identity_provider_origins(settings),
    )
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, error: Unauthenticated) -> Response:
        return json_response(
            {
                "errors": [
                    {
                        "message": error.reason,
                        "extensions": {"code": "UNAUTHENTICATED"},
                    }
                ]
            },
            status_code=401,
            **{"WWW-Authenticate": 'Bearer realm="waymark"'},
        )

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, error: RateLimited) -> Response:
        return json_response(
            {
                "errors": [
                    {"message": str(error), "extensions": {"code": "RATE_LIMITED"}}
                ]
            },
            status_code=429,
            **{"Retry-After": str(max(1, math.ceil(error.retry_after)))},
        )

    @app.get("/healthz", summary="The process is alive.")
    async def healthz() -> Response:
        return json_response({"status": "alive"})

    @app.get("/readyz", summary="The store answers.")
    async def readyz(request: Request) -> Response:
        try:
            with anyio.fail_after(READY_TIMEOUT_SECONDS):
                position = await anyio.to_thread.run_sync(
                    journeys.log_position,
                    abandon_on_cancel=True,
                    limiter=request.app.state.store_limiter,
                )
        except Exception as error:  # any failure means "not ready"; say which
            logger.warning("readiness check failed: %r", error)
            return json_response(
                {"status": "unavailable", "reason": type(error).__name__},
                status_code=503,
            )
        return json_response({"status": "ready", "position": position})

    mount_workspace(app, settings, demo=demo)  # last: the page answers what is left
    return app

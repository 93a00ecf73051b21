"""The web workspace: the single-page application built into ``web/dist``, served
by the API's own process, with the little the page needs to start.

- ``/`` and every path the API does not answer: the workspace's ``index.html``
  (the page routes itself); ``/assets/...``: its hashed, cacheable files.
- ``/workspace-config.json``: how to sign in (the embedded demo's users, or the
  organisation's OpenID Connect provider) and whether GraphiQL is on.
- ``POST /workspace/demo-token``: a short-lived token for one demo user, only when
  serving the demo (``waymark serve --demo``); otherwise 404, as if absent.
- ``/graphiql``: GraphiQL, bundled from the ``graphiql`` package (no CDN), only
  when ``WAYMARK_GRAPHIQL`` is on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from api.auth import mint_token
from api.identity_provider import issuer_origin
from api.security_headers import GRAPHIQL_CONTENT_SECURITY_POLICY
from api.settings import Settings
from demo.users import DEMO_USERS

#: Where ``npm run build`` (run by bin/install) writes the workspace.
WORKSPACE_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
#: A demo sign-in lasts a working session, not a day.
DEMO_TOKEN_TTL = timedelta(hours=1)
#: Paths that are the API's, never the page's: a mistyped one is a 404, not HTML.
API_PATHS = ("/graphql", "/healthz", "/readyz", "/workspace/", "/assets/")
#: Tokens and sign-in settings are never kept by a cache.
NO_STORE = {"Cache-Control": "no-store"}
NOT_BUILT = (
    "The web workspace is not built. Run bin/install (it runs npm ci and "
    "npm run build in web/), then restart the server."
)


def identity_provider_origins(settings: Settings) -> tuple[str, ...]:
    """The origins the page must fetch from to sign in: the OpenID Connect
    issuer's (discovery, token endpoint), when one is configured. A provider
    whose endpoints lie on other origins than its issuer's is not supported."""
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return ()
    return (issuer_origin(settings.oidc_issuer),)


def mount_workspace(
    app: FastAPI, settings: Settings, *, demo: bool, dist: Path | None = None
) -> None:
    """Adds the workspace's routes after the API's, so the API's win."""
    dist = dist or settings.workspace_dir or WORKSPACE_DIST

    async def config(request: Request) -> Response:
        oidc = None
        if settings.oidc_issuer and settings.oidc_client_id:
            oidc = {
                "issuer": settings.oidc_issuer,
                "clientId": settings.oidc_client_id,
            }
        users = [
            {
                "key": user.key,
                "role": user.role,
                "subject": user.subject,
                "organisationId": user.organisation_id,
                "description": user.description,
            }
            for user in DEMO_USERS.values()
        ]
        return _json(
            {
                "demo": {"users": users}
                if _mints_demo_tokens(settings, demo)
                else None,
                "oidc": oidc,
                "graphiql": settings.graphiql,
            },
            headers=NO_STORE,
        )

    async def demo_token(request: Request) -> Response:
        if not _mints_demo_tokens(settings, demo):
            return _json({"error": "not found"}, status_code=404)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            body = None
        key = body.get("user") if isinstance(body, dict) else None
        user = DEMO_USERS.get(key) if isinstance(key, str) else None
        if user is None:
            known = ", ".join(DEMO_USERS)
            return _json(
                {"error": f"name one demo user as 'user': {known}"}, status_code=422
            )
        token = mint_token(
            settings,
            subject=user.subject,
            role=user.role,
            organisation_id=user.organisation_id,
            ttl=DEMO_TOKEN_TTL,
        )
        expires = datetime.now(UTC) + DEMO_TOKEN_TTL
        return _json(
            {"token": token, "expiresAt": expires.isoformat()},
            headers=NO_STORE,
        )

    async def graphiql(request: Request) -> Response:
        page = dist / "graphiql.html"
        if not settings.graphiql:
            return _json({"error": "GraphiQL is off (WAYMARK_GRAPHIQL)"}, 404)
        if not page.is_file():
            return Response(NOT_BUILT, status_code=503, media_type="text/plain")
        return FileResponse(
            page,
            headers={
                "Cache-Control": "no-cache",
                "Content-Security-Policy": GRAPHIQL_CONTENT_SECURITY_POLICY,
            },
        )

    async def page(request: Request) -> Response:
        if request.url.path.startswith(API_PATHS):
            return _json({"error": "not found"}, status_code=404)
        index = dist / "index.html"
        if not index.is_file():
            return Response(NOT_BUILT, status_code=503, media_type="text/plain")
        # The page names its hashed assets: always ask for the current one.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    routes = app.router.routes
    routes.append(Route("/workspace-config.json", config, methods=["GET"]))
    routes.append(Route("/workspace/demo-token", demo_token, methods=["POST"]))
    routes.append(Route("/graphiql", graphiql, methods=["GET"]))
    routes.append(
        Mount(
            "/assets",
            app=ImmutableStaticFiles(directory=dist / "assets", check_dir=False),
        )
    )
    routes.append(Route("/{path:path}", page, methods=["GET", "HEAD"]))


class ImmutableStaticFiles(StaticFiles):
    """The build names each asset by its content's hash, so it never changes."""

    def file_response(self, *args: object, **kwargs: object) -> Response:
        response = super().file_response(*args, **kwargs)  # type: ignore[arg-type]
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _mints_demo_tokens(settings: Settings, demo: bool) -> bool:
    """Only the embedded demo, signing its own tokens, offers its users: a
    deployment trusting a provider could not verify a token minted here."""
    return demo and not settings.trusts_identity_provider


def _json(
    data: object, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(data),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )

"""Headers every response carries, unless the route set its own (an ASGI
middleware around every route):

- ``Content-Security-Policy``: everything from this origin only, no inline
  script, no framing; inline styles allowed (a Vite-built workspace's
  components set them); GraphiQL's page sets its own, which also lets fonts
  come as ``data:`` URLs;
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
  ``X-Frame-Options: DENY`` (older browsers' frame-ancestors),
  ``Cross-Origin-Opener-Policy: same-origin``;
- ``Cache-Control: no-store`` on the API's own paths: a GraphQL answer holds a
  survivor's record and must not stay in any cache.
"""

from __future__ import annotations

from api.http_limits import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(
    *, font_src: str = "'self'", connect_origins: tuple[str, ...] = ()
) -> str:
    """The policy; ``connect_origins`` are origins besides this one the page
    may fetch from (the identity provider's, for an OpenID Connect sign-in:
    its discovery document and token endpoint)."""
    connect_src = " ".join(("'self'", *connect_origins))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src {font_src}; connect-src {connect_src}; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


CONTENT_SECURITY_POLICY = content_security_policy()
#: GraphiQL's page: the graphiql package's stylesheet inlines its fonts as
#: ``data:`` URLs, which the workspace's policy refuses (the page then draws
#: with fallback fonts and the console reports every refusal).
GRAPHIQL_CONTENT_SECURITY_POLICY = content_security_policy(font_src="'self' data:")
OTHER_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    def __init__(
        self,
        app: ASGIApp,
        *,
        no_store_paths: tuple[str, ...],
        connect_origins: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.no_store_paths = no_store_paths
        policy = content_security_policy(connect_origins=connect_origins)
        self.always = ((b"content-security-policy", policy.encode()), *OTHER_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        always = self.always
        extra = (*always, NO_STORE) if scope["path"] in self.no_store_paths else always

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

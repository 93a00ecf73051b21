"""Bounds on what one HTTP request can make the server hold, checked before the
application reads it (an ASGI middleware around every route):

- the request target (path and query string): ``MAX_TARGET_BYTES``, else 414;
- all header names and values together: ``MAX_HEADER_BYTES``, else 431;
- the body: ``Settings.max_body_bytes`` (``WAYMARK_MAX_BODY_BYTES``), else 413.
  A declared ``Content-Length`` over it is refused before a byte is read; a
  body sent without one is counted as it arrives and refused once it passes
  the bound, so no more than the bound (and one chunk) is ever held.

Refusals are JSON in GraphQL's error shape with a typed ``extensions.code``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The request line's target: path and query string, in bytes.
MAX_TARGET_BYTES = 8 * 1024
#: Every header's name and value, together, in bytes.
MAX_HEADER_BYTES = 16 * 1024


class BodyTooLarge(Exception):
    pass


async def refuse(send: Send, status: int, code: str, message: str) -> None:
    body = orjson.dumps(
        {"errors": [{"message": message, "extensions": {"code": code}}]}
    )
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_header_bytes: int = MAX_HEADER_BYTES,
        max_target_bytes: int = MAX_TARGET_BYTES,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.max_target_bytes = max_target_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string", b"")
        )
        if target > self.max_target_bytes:
            await refuse(
                send,
                414,
                "URI_TOO_LONG",
                f"the request's path and query are over {self.max_target_bytes} bytes",
            )
            return
        headers = scope["headers"]
        if (
            sum(len(name) + len(value) for name, value in headers)
            > self.max_header_bytes
        ):
            await refuse(
                send,
                431,
                "HEADERS_TOO_LARGE",
                f"the request's headers are over {self.max_header_bytes} bytes",
            )
            return
        declared = next((v for k, v in headers if k == b"content-length"), None)
        if declared is not None and (
            not declared.isdigit() or int(declared) > self.max_body_bytes
        ):
            await self._too_large(send)
            return
        await self._limited(scope, receive, send)

    async def _limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        await refuse(
            send,
            413,
            "REQUEST_TOO_LARGE",
            f"the request's body is over {self.max_body_bytes} bytes",
        )

"""uvicorn's HTTP/1.1 protocol (httptools), with the request head bounded as it
is read: httptools gathers a request line and headers in full before the
application sees them, so without this one endless header could fill memory.

A connection whose request head (request line and headers) is still incomplete
after ``MAX_HEAD_BYTES`` is answered 431 and closed. Bytes are counted per
read from the one where a request begins until its head is complete, so a
pipelined request that begins in the same read as the end of the previous
one's body may be counted a little high; no head within the bound is ever
refused otherwise. Once the head is complete,
``api.http_limits`` checks its parts, and the body, in detail.
"""

from __future__ import annotations

import asyncio

import orjson

from api.http_limits import MAX_HEADER_BYTES, MAX_TARGET_BYTES

#: The request line and every header, together, with room for their framing.
MAX_HEAD_BYTES = MAX_TARGET_BYTES + MAX_HEADER_BYTES + 1024

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools not installed: uvicorn's h11 bounds the head
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


def _refusal() -> bytes:
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": f"the request's head is over {MAX_HEAD_BYTES} bytes",
                    "extensions": {"code": "HEADERS_TOO_LARGE"},
                }
            ]
        }
    )
    return (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        b"content-type: application/json\r\nconnection: close\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


if HttpToolsProtocol is not None:

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        _head_bytes = 0
        _in_head = False

        def on_message_begin(self) -> None:
            self._in_head, self._head_bytes = True, 0
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if not self._in_head or self.transport.is_closing():
                return
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self.transport.write(_refusal())
                self.transport.close()


def http_protocol() -> type[asyncio.Protocol] | str:
    """For ``uvicorn.Config(http=...)``: the bounded httptools protocol, else h11
    (bounded by ``h11_max_incomplete_event_size``)."""
    if HttpToolsProtocol is None:
        return "h11"
    return BoundedHttpToolsProtocol

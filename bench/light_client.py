"""A load generator's HTTP client: one kept-alive connection, JSON in and out.

On a 2-core machine the benchmark's clients share the cores with the API server
and PostgreSQL, and at one client whatever the client spends lies on the path of
every request measured. httpx spent about 1.3 ms of CPU a ``recordStep`` here,
the standard library's ``http.client`` 0.2 ms (most of it parsing the response's
headers with the ``email`` package); this client, which writes each request in
one piece and reads only what it needs of the answer (its status, its length,
whether the server will close), a fraction of that: as a real load generator
(wrk, k6 on another machine) would leave the server alone.

It speaks only what it needs of HTTP/1.1: answers with a ``Content-Length``
(the API's are), and refuses any other framing rather than misread it.
"""

from __future__ import annotations

import select
import socket
from typing import Any

import orjson

#: The most of an answer's head read before it is called malformed.
MAX_HEAD_BYTES = 64 * 1024


class HttpError(Exception):
    """The server's answer could not be read."""


class LightClient:
    """POSTs JSON on one connection, reopened when the server has closed it
    (uvicorn closes one idle for 5 s, as between a level's rounds)."""

    def __init__(self, host: str, port: int, headers: dict[str, str], timeout: float):
        self._address = (host, port)
        self._timeout = timeout
        fixed = {
            "Host": f"{host}:{port}",
            **headers,
            "Content-Type": "application/json",
        }
        self._head_fields = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode()
        self._socket: socket.socket | None = None
        self._buffer = b""

    def _open(self) -> socket.socket:
        sock = self._socket
        if sock is not None:
            # A kept-alive connection has nothing to read unless the server
            # closed it: then it is readable (at its end) and is replaced.
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return sock
            self.close()
        sock = socket.create_connection(self._address, timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket, self._buffer = sock, b""
        return sock

    def post_json(self, path: str, body: object) -> tuple[int, Any]:
        """(status, decoded JSON body) of one POST."""
        content = orjson.dumps(body)
        sock = self._open()
        sock.sendall(
            b"POST %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s"
            % (path.encode(), self._head_fields, len(content), content)
        )
        try:
            status, length, closes = self._read_head(sock)
            answer = self._read_exactly(sock, length)
        except BaseException:
            self.close()  # a half-read answer leaves the connection unusable
            raise
        if closes:
            self.close()
        return status, orjson.loads(answer) if answer else None

    def _read_head(self, sock: socket.socket) -> tuple[int, int, bool]:
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            if len(self._buffer) > MAX_HEAD_BYTES:
                raise HttpError("the answer's head is too long")
            self._receive(sock)
        head, self._buffer = self._buffer[:end], self._buffer[end + 4 :]
        status_line, *fields = head.split(b"\r\n")
        version, _, rest = status_line.partition(b" ")
        if not version.startswith(b"HTTP/1."):
            raise HttpError(f"not an HTTP/1 answer: {status_line[:80]!r}")
        status = int(rest[:3])
        length: int | None = None
        closes = version == b"HTTP/1.0"
        for field in fields:
            name, _, value = field.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise HttpError(f"unsupported transfer-encoding {value!r}")
            elif name == b"connection":
                closes = value == b"close"
        if length is None:
            raise HttpError("an answer without a Content-Length")
        return status, length, closes

    def _read_exactly(self, sock: socket.socket, length: int) -> bytes:
        while len(self._buffer) < length:
            self._receive(sock)
        answer, self._buffer = self._buffer[:length], self._buffer[length:]
        return answer

    def _receive(self, sock: socket.socket) -> None:
        chunk = sock.recv(65536)
        if not chunk:
            raise HttpError("the server closed the connection mid-answer")
        self._buffer += chunk

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
            self._buffer = b""

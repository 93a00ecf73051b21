"""The request head is bounded while uvicorn reads it: an endless header is cut
off at the bound, not gathered whole for the application to refuse."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from api.http_protocol import MAX_HEAD_BYTES, http_protocol


async def echo_length(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        echo_length, http=http_protocol(), lifespan="off", log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    try:
        yield sock.getsockname()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def exchange(address: tuple[str, int], request: bytes) -> bytes:
    with socket.create_connection(address, timeout=10) as connection:
        # Refused mid-send, the answer is already waiting.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_a_head_over_the_bound_is_refused_as_it_is_read(
    address: tuple[str, int],
) -> None:
    endless = b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * (4 * MAX_HEAD_BYTES)

    answer = exchange(address, endless)

    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"HEADERS_TOO_LARGE" in answer


def test_a_large_body_sent_with_its_head_is_not_counted_as_head(
    address: tuple[str, int],
) -> None:
    body = b"b" * (3 * MAX_HEAD_BYTES)
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )

    answer = exchange(address, request)

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"\r\n" + str(len(body)).encode() + b"\r\n" in answer

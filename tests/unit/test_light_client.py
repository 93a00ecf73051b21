"""The benchmarks' HTTP client: JSON in and out on one kept-alive connection,
reopened when the server closes it, and no answer misread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import orjson
import pytest

from bench.light_client import HttpError, LightClient


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: ClassVar[set[tuple[str, int]]] = set()
    mode: ClassVar[str] = "json"

    def do_POST(self) -> None:
        Handler.connections.add(self.client_address[:2])
        sent = orjson.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = orjson.dumps(
            {"sent": sent, "auth": self.headers["Authorization"], "path": self.path}
        )
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        if Handler.mode == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(answer), answer))
            return
        if Handler.mode == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def client() -> Iterator[LightClient]:
    Handler.connections, Handler.mode = set(), "json"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    light = LightClient(str(host), int(port), {"Authorization": "Bearer t"}, 5.0)
    try:
        yield light
    finally:
        light.close()
        server.shutdown()
        server.server_close()


def test_json_goes_and_comes_back_on_one_connection(client: LightClient) -> None:
    for n in range(5):
        status, body = client.post_json("/graphql", {"n": n, "text": "é" * n})
        assert status == 201
        assert body == {
            "sent": {"n": n, "text": "é" * n},
            "auth": "Bearer t",
            "path": "/graphql",
        }
    assert len(Handler.connections) == 1


def test_a_connection_the_server_closes_is_reopened(client: LightClient) -> None:
    Handler.mode = "close"
    for n in range(3):
        assert client.post_json("/x", {"n": n})[1]["sent"] == {"n": n}
    assert len(Handler.connections) == 3


def test_an_answer_in_another_framing_is_refused_not_misread(
    client: LightClient,
) -> None:
    Handler.mode = "chunked"
    with pytest.raises(HttpError, match="transfer-encoding"):
        client.post_json("/x", {})
    Handler.mode = "json"
    assert client.post_json("/x", {"again": True})[1]["sent"] == {"again": True}

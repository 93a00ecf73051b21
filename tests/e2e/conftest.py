"""The API over real HTTP: uvicorn on 127.0.0.1, called with httpx.

One server runs per test module; each test mounts a fresh application on it
(``create_app`` with that test's store), runs the application's lifespan, and
unmounts it afterwards. So tests share the server's start-up cost but nothing
else, and run on the in-memory, SQLite and PostgreSQL stores alike.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import mint_token
from api.bootstrap import ProjectionSettings, build_views
from api.settings import Settings
from domain.application import CaseJourneys

ASGIApp = Any


class Switchboard:
    """An ASGI app that passes each request to whichever app is mounted."""

    def __init__(self) -> None:
        self.mounted: ASGIApp | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.loop = asyncio.get_running_loop()
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if self.mounted is None:
            raise RuntimeError("no application is mounted")
        await self.mounted(scope, receive, send)


class Lifespan:
    """Drives an ASGI app's lifespan (startup, then shutdown) by its protocol."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.create_task(
            self.app(scope, self.to_app.get, self.from_app.put)
        )
        await self.to_app.put({"type": "lifespan.startup"})
        message = await self.from_app.get()
        assert message["type"] == "lifespan.startup.complete", message

    async def shutdown(self) -> None:
        await self.to_app.put({"type": "lifespan.shutdown"})
        message = await self.from_app.get()
        assert message["type"] == "lifespan.shutdown.complete", message
        assert self.task is not None
        await self.task


@dataclass
class Server:
    url: str
    switchboard: Switchboard

    def run(self, coroutine: Any) -> Any:
        assert self.switchboard.loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self.switchboard.loop)
        return future.result(timeout=10)

    @contextmanager
    def mounted(self, app: ASGIApp) -> Iterator[httpx.Client]:
        """The app started and served here, with a client of it, until the end
        of the block (then shut down)."""
        lifespan = Lifespan(app)
        self.run(lifespan.startup())
        self.switchboard.mounted = app
        try:
            with httpx.Client(base_url=self.url, timeout=10) as http:
                yield http
        finally:
            self.switchboard.mounted = None
            self.run(lifespan.shutdown())


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    switchboard = Switchboard()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: no 40 ms Nagle and delayed-ACK stalls.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        switchboard, lifespan="on", log_level="warning", access_log=False
    )
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(
        target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True
    )
    thread.start()
    for _ in range(500):
        if uvicorn_server.started:
            break
        threading.Event().wait(0.01)
    else:
        raise RuntimeError("uvicorn did not start")
    try:
        yield Server(f"http://127.0.0.1:{port}", switchboard)
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class GraphQLErrors(AssertionError):
    pass


@dataclass
class Api:
    """A client of the mounted application, with tokens for any caller."""

    http: httpx.Client
    settings: Settings
    journeys: CaseJourneys

    def token(
        self,
        role: str = "advocate",
        organisation_id: str | None = "org-north",
        subject: str = "advocate-1",
    ) -> str:
        return mint_token(
            self.settings, subject=subject, role=role, organisation_id=organisation_id
        )

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )

    def call(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        **caller: Any,
    ) -> dict[str, Any]:
        """The operation's data; fails the test on any HTTP or GraphQL error."""
        response = self.post(query, variables, token=token or self.token(**caller))
        assert response.status_code == 200, response.text
        body = response.json()
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        return body["data"]


@pytest.fixture
def api(server: Server, journeys: CaseJourneys, settings: Settings) -> Iterator[Api]:
    # The server keeps every store's views current itself (as `waymark serve`
    # does on SQLite), so queries reading them (cases, caseload) answer on
    # PostgreSQL too.
    views = build_views(settings, journeys, ProjectionSettings(in_process=True))
    try:
        with server.mounted(create_app(journeys, settings, views)) as http:
            yield Api(http, settings, journeys)
    finally:
        views.close()

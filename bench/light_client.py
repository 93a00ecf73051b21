"""A load generator's HTTP client: one kept-alive connection, JSON in and out.

On a 2-core machine the benchmark's clients share the cores with the API server
and PostgreSQL, so whatever the clients spend a request is taken from the server
being measured. httpx spent about 1.3 ms of CPU a ``recordStep`` here; the
standard library's ``http.client`` with orjson spends a fraction of that, as a
real load generator (wrk, k6 on another machine) would leave the server alone.
"""

from __future__ import annotations

import http.client
import select
from typing import Any

import orjson


class LightClient:
    """POSTs JSON on one connection, reopened when the server has closed it
    (uvicorn closes one idle for 5 s, as between a level's rounds)."""

    def __init__(self, host: str, port: int, headers: dict[str, str], timeout: float):
        self._address = (host, port)
        self._timeout = timeout
        self._headers = {**headers, "Content-Type": "application/json"}
        self._connection: http.client.HTTPConnection | None = None

    def _open(self) -> http.client.HTTPConnection:
        connection = self._connection
        if connection is not None and connection.sock is not None:
            # A kept-alive connection has nothing to read unless the server
            # closed it: then it is readable (at its end) and is replaced.
            readable, _, _ = select.select([connection.sock], [], [], 0)
            if not readable:
                return connection
            connection.close()
        host, port = self._address
        self._connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
        return self._connection

    def post_json(self, path: str, body: object) -> tuple[int, Any]:
        """(status, decoded JSON body) of one POST."""
        connection = self._open()
        connection.request("POST", path, body=orjson.dumps(body), headers=self._headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, orjson.loads(content) if content else None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

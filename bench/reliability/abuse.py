"""The abuse cases of issue 10, each against one API worker of its own while
/healthz on that worker is probed every 50 ms.

Each must be answered within ``ANSWER_BOUND`` with a typed refusal (a 4xx, a
GraphQL error that is not the masked unexpected one, or a typed failure of the
mutation), record nothing, and leave /healthz answering within
``HEALTHZ_BOUND``. An answer is waited for up to ``WAIT`` so a slow one can be
told from none; a worker that stops answering is killed and restarted before
the next case.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

ANSWER_BOUND = 2.0
HEALTHZ_BOUND = 1.0
WAIT = 20.0
FRAGMENT_LEVELS = 25
PADDING = 32 * 1024
COMMENT_BYTES = 1024 * 1024
LONG_YEAR = "Y" + "9" * 40
SET_ELEMENTS = 2000
BODY_BYTES = 100 * 1024 * 1024
CHUNK = 64 * 1024

VIEWER = "{ viewer { role } }"
RECORD_STEP = """
mutation($input: RecordStepInput!) { recordStep(input: $input) {
  __typename ... on Failure { message } ... on ValidationFailed { field } } }"""


@dataclass
class Answer:
    status: int | None
    body: str
    seconds: float
    sent: int | None = None


@dataclass
class AbuseResult:
    name: str
    passed: bool
    seconds: float | None
    answer: str
    healthz_worst: float | None
    healthz_probes: int
    problems: list[str] = field(default_factory=list)


class HealthProbe:
    """Asks /healthz every 50 ms in a thread; keeps the worst latency seen (an
    unanswered probe counts as its timeout)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="healthz", daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                with contextlib.suppress(httpx.HTTPError):
                    client.get(f"{self.url}/healthz")
                self.latencies.append(time.monotonic() - started)
                self._stop.wait(0.05)


def _post(url: str, token: str, payload: dict[str, Any], **headers: str) -> Answer:
    started = time.monotonic()
    try:
        response = httpx.post(
            f"{url}/graphql",
            json=payload,
            headers={"Authorization": f"Bearer {token}", **headers},
            timeout=WAIT,
        )
    except httpx.TimeoutException:
        return Answer(
            None, f"no answer within {WAIT:.0f} s", time.monotonic() - started
        )
    except httpx.TransportError as error:
        return Answer(None, f"connection failed: {error!r}", time.monotonic() - started)
    return Answer(response.status_code, response.text, time.monotonic() - started)


def _graphql_refused(answer: Answer) -> bool:
    """A 4xx, or GraphQL errors (not the masked one) and no data."""
    if answer.status is None:
        return False
    if 400 <= answer.status < 500:
        return True
    if answer.status != 200 or "Unexpected error." in answer.body:
        return False
    try:
        body = httpx.Response(200, content=answer.body).json()
    except ValueError:
        return False
    return bool(body.get("errors")) and not body.get("data")


def _step_refused(answer: Answer, field_name: str) -> bool:
    """The mutation answered with a typed failure naming the field (or a 4xx)."""
    if answer.status is not None and 400 <= answer.status < 500:
        return True
    if answer.status != 200 or "Unexpected error." in answer.body:
        return False
    try:
        body = httpx.Response(200, content=answer.body).json()
        result = body["data"]["recordStep"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(
        result
        and result.get("__typename") in {"ValidationFailed", "Refused"}
        and result.get("field", field_name) == field_name
    )


def fan_out_fragments(levels: int = FRAGMENT_LEVELS) -> str:
    fragments = [f"fragment F{levels} on Query {{ viewer {{ role }} }}"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    ]
    return "query { ...F0 }\n" + "\n".join(fragments)


def big_set(elements: int = SET_ELEMENTS) -> str:
    first = date(2001, 1, 1)
    return (
        "["
        + ", ".join((first + timedelta(days=i)).isoformat() for i in range(elements))
        + "]"
    )


def huge_body(url: str, token: str, total: int = BODY_BYTES) -> Answer:
    """Streams a valid-looking request of ``total`` bytes; stops sending as soon
    as the server answers. ``sent`` says how much it had taken by then."""
    host, port = url.removeprefix("http://").split(":")
    prefix = b'{"query": "{ viewer { role } }", "variables": {"pad": "'
    suffix = b'"}}'
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {total}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.monotonic()
    sent = 0
    received = b""
    pad = total - len(prefix) - len(suffix)
    chunk = b"x" * CHUNK
    with socket.create_connection((host, int(port)), timeout=WAIT) as sock:
        sock.sendall(head + prefix)
        sock.setblocking(False)
        remaining, pending, suffix_queued = pad, b"", False
        while time.monotonic() - started < WAIT:
            if not pending and remaining:
                pending = chunk[: min(CHUNK, remaining)]
                remaining -= len(pending)
            elif not pending and not suffix_queued:
                pending, suffix_queued = suffix, True
            readable, writable, _ = select.select(
                [sock], [sock] if pending else [], [], 0.5
            )
            if readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    break
                received += data
                if not data or b"\r\n\r\n" in received:
                    break
            elif writable:
                try:
                    written = sock.send(pending)
                except OSError:
                    with contextlib.suppress(OSError):
                        received += sock.recv(65536)
                    break
                sent += written
                pending = pending[written:]
    seconds = time.monotonic() - started
    status = None
    if received.startswith(b"HTTP/"):
        with contextlib.suppress(ValueError, IndexError):
            status = int(received.split(b" ", 2)[1])
    text = received.decode(errors="replace")[:300] or "the connection closed unanswered"
    return Answer(status, text, seconds, sent=len(prefix) + sent)


def run_abuse(
    url: str,
    token: str,
    case_id: str,
    log_position: Callable[[], int],
    restart: Callable[[], None],
    progress: Callable[[str], None],
) -> list[AbuseResult]:
    def step(occurred: str, key: str) -> Callable[[], Answer]:
        fields = {
            "caseId": case_id,
            "kind": "engagement.contact",
            "occurred": occurred,
            "summary": "Met the survivor.",
            "details": {"mode": "in_person"},
            "idempotencyKey": key,
        }
        return lambda: _post(
            url, token, {"query": RECORD_STEP, "variables": {"input": fields}}
        )

    cases: list[tuple[str, Callable[[], Answer], Callable[[Answer], bool]]] = [
        (
            f"nested fragment spreads doubling ({FRAGMENT_LEVELS} levels)",
            lambda: _post(url, token, {"query": fan_out_fragments()}),
            _graphql_refused,
        ),
        (
            f"Authorization padded with {PADDING // 1024} KiB of spaces",
            lambda: _post(
                url,
                "",
                {"query": VIEWER},
                Authorization="Bearer" + " " * PADDING + token,
            ),
            _graphql_refused,
        ),
        (
            f"a query with a {COMMENT_BYTES // 1024 // 1024} MiB comment",
            lambda: _post(url, token, {"query": VIEWER + "\n#" + "x" * COMMENT_BYTES}),
            _graphql_refused,
        ),
        (
            f"an EDTF date with a {len(LONG_YEAR) - 1}-digit year",
            step(LONG_YEAR, "abuse-long-year"),
            lambda a: _step_refused(a, "occurred"),
        ),
        (
            f"an EDTF set of {SET_ELEMENTS} elements",
            step(big_set(), "abuse-big-set"),
            lambda a: _step_refused(a, "occurred"),
        ),
        (
            f"a {BODY_BYTES // 1024 // 1024} MB body, streamed",
            lambda: huge_body(url, token),
            lambda a: a.status == 413 and (a.sent or 0) < BODY_BYTES,
        ),
    ]
    results = []
    for name, send, refused in cases:
        before = log_position()
        with HealthProbe(url) as probe:
            time.sleep(0.2)
            answer = send()
            time.sleep(0.2)
        after = log_position()
        problems = []
        if answer.status is None and answer.sent is None:
            problems.append(answer.body)
        elif not refused(answer):
            shown = " ".join(answer.body.split())[:160]
            problems.append(f"not a typed refusal: {answer.status} {shown}")
        if answer.seconds > ANSWER_BOUND:
            problems.append(
                f"answered in {answer.seconds:.1f} s (bound {ANSWER_BOUND} s)"
            )
        if answer.sent is not None and answer.sent >= BODY_BYTES:
            problems.append("the server read the whole body before answering")
        if after != before:
            problems.append(f"recorded: the log moved {before} -> {after}")
        worst = max(probe.latencies) if probe.latencies else None
        if worst is None or worst > HEALTHZ_BOUND:
            problems.append(
                "/healthz "
                + (f"took {worst:.2f} s" if worst else "never answered")
                + f" (bound {HEALTHZ_BOUND} s)"
            )
        status = f"HTTP {answer.status}" if answer.status else "no status"
        shown = f"{status}: {' '.join(answer.body.split())[:120]}"
        if answer.status is not None and answer.sent is not None:
            shown = f"HTTP {answer.status}"
        if answer.sent is not None:
            shown += f" (sent {answer.sent / 1024 / 1024:.1f} MB)"
        results.append(
            AbuseResult(
                name,
                not problems,
                answer.seconds,
                shown,
                worst,
                len(probe.latencies),
                problems,
            )
        )
        progress(f"abuse: {name}: {'ok' if not problems else '; '.join(problems)}")
        if not _healthy(url):
            progress(
                f"abuse: the worker stopped answering after {name!r}; restarting it"
            )
            restart()
    return results


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False

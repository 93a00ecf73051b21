"""The load: clients recording, correcting and reading chronologies through the
API workers for a bounded time.

Each command carries an idempotency key and is retried with the same key, on
the next worker in turn, after a transport error, a 5xx or a
``TOO_MANY_CONCURRENT_WRITES`` refusal, until it is acknowledged or its retry
deadline passes. Every key sent, and what became of it, is kept for the checks.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench import samples

ORGANISATIONS = 4
CASES_PER_CLIENT = 2
#: Out of 20 operations: 12 recordings, 3 corrections, 5 chronology reads.
MIX = ("record",) * 12 + ("correct",) * 3 + ("read",) * 5
REQUEST_TIMEOUT = 30.0
RETRYABLE_REFUSAL = "TOO_MANY_CONCURRENT_WRITES"

OPEN_CASE = """
mutation($input: OpenCaseInput!) { openCase(input: $input) {
  __typename ... on CaseOpened { caseId replayed }
  ... on Failure { message } ... on Refused { reason } } }"""
RECORD_STEP = """
mutation($input: RecordStepInput!) { recordStep(input: $input) {
  __typename ... on StepRecorded { stepId replayed }
  ... on Failure { message } ... on Refused { reason } } }"""
CORRECT_STEP = """
mutation($input: CorrectStepInput!) { correctStep(input: $input) {
  __typename ... on StepCorrected { stepId replayed }
  ... on Failure { message } ... on Refused { reason } } }"""
GIVE_CONSENT = """
mutation($input: GiveConsentInput!) { giveConsent(input: $input) {
  __typename ... on ConsentGiven { caseId replayed }
  ... on Failure { message } ... on Refused { reason } } }"""
CHRONOLOGY = """
query($caseId: UUID!) { chronology(caseId: $caseId) {
  __typename ... on Chronology { caseVersion chainHead rows { stepId when summary } }
  ... on Failure { message } } }"""
SUCCESS = {
    "openCase": "CaseOpened",
    "giveConsent": "ConsentGiven",
    "recordStep": "StepRecorded",
    "correctStep": "StepCorrected",
}
RESULT_ID = {
    "openCase": "caseId",
    "giveConsent": "caseId",
    "recordStep": "stepId",
    "correctStep": "stepId",
}
#: Consents given on opening: the evaluation view holds only consenting cases,
#: and counsel read only cases shared with them.
CONSENTS = ("EVALUATION", "SHARING_WITH_COUNSEL")


@dataclass
class Command:
    """A command as a client sent it, and what became of it."""

    key: str
    name: str
    client: int
    attempts: int = 0
    #: acknowledged, refused (a typed failure, final), or gave_up.
    outcome: str = "pending"
    result_id: str | None = None
    replayed: bool = False
    seconds: float = 0.0
    #: What the attempts met: transport errors, 5xx, retryable refusals.
    problems: list[str] = field(default_factory=list)
    answer: dict[str, Any] | None = None


@dataclass
class Tally:
    commands: list[Command] = field(default_factory=list)
    read_seconds: list[float] = field(default_factory=list)
    read_failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, command: Command) -> None:
        with self.lock:
            self.commands.append(command)


class Servers:
    """The API workers' addresses, handed out in turn (client-side balancing)."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self._next = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._next = (self._next + 1) % len(self.urls)
            return self.urls[self._next]


class Client:
    def __init__(
        self,
        index: int,
        run: str,
        token: str,
        servers: Servers,
        tally: Tally,
        retry_until: Callable[[], float],
    ) -> None:
        self.index = index
        self.run = run
        self.servers = servers
        self.tally = tally
        self.retry_until = retry_until
        self.http = httpx.Client(
            timeout=REQUEST_TIMEOUT, headers={"Authorization": f"Bearer {token}"}
        )
        self.random = random.Random(index)
        self.sent = 0
        self.cases: list[str] = []
        #: Steps recorded, with the input that recorded them, by case.
        self.steps: list[tuple[str, str, dict[str, Any]]] = []

    def close(self) -> None:
        self.http.close()

    def key(self) -> str:
        self.sent += 1
        return f"{self.run}-c{self.index}-{self.sent}"

    def command(self, name: str, document: str, fields: dict[str, Any]) -> Command:
        command = Command(self.key(), name, self.index)
        self.tally.add(command)
        variables = {"input": {**fields, "idempotencyKey": command.key}}
        started = time.monotonic()
        pause = 0.05
        while True:
            command.attempts += 1
            problem = self._attempt(command, document, variables)
            if problem is None:
                break
            command.problems.append(problem)
            if time.monotonic() + pause > self.retry_until():
                command.outcome = "gave_up"
                break
            time.sleep(pause * (0.5 + self.random.random()))
            pause = min(pause * 2, 1.0)
        command.seconds = time.monotonic() - started
        return command

    def _attempt(
        self, command: Command, document: str, variables: dict[str, Any]
    ) -> str | None:
        """One try; None when the command's outcome is settled, else the
        retryable problem it met."""
        try:
            response = self.http.post(
                f"{self.servers.next()}/graphql",
                json={"query": document, "variables": variables},
            )
        except httpx.TransportError as error:
            return type(error).__name__
        if response.status_code >= 500:
            return f"HTTP {response.status_code}"
        try:
            body = response.json()
            answer = body["data"][command.name]
        except (ValueError, KeyError, TypeError):
            command.outcome = "refused"
            command.answer = {
                "status": response.status_code,
                "body": response.text[:300],
            }
            return None
        command.answer = answer
        if answer.get("__typename") == SUCCESS[command.name]:
            command.outcome = "acknowledged"
            command.result_id = answer[RESULT_ID[command.name]]
            command.replayed = command.replayed or bool(answer.get("replayed"))
            return None
        if answer.get("reason") == RETRYABLE_REFUSAL:
            return RETRYABLE_REFUSAL
        command.outcome = "refused"
        return None

    def open_cases(self) -> None:
        for number in range(CASES_PER_CLIENT):
            command = self.command(
                "openCase",
                OPEN_CASE,
                {
                    "reference": f"REL-{self.run[-6:]}-{self.index}-{number}",
                    "jurisdiction": "ENGLAND_AND_WALES",
                },
            )
            if command.outcome != "acknowledged" or not command.result_id:
                continue
            self.cases.append(command.result_id)
            for purpose in CONSENTS:
                self.command(
                    "giveConsent",
                    GIVE_CONSENT,
                    {"caseId": command.result_id, "purpose": purpose},
                )

    def step(self) -> None:
        """One operation of the mix."""
        if not self.cases:
            self.open_cases()
            return
        kind = self.random.choice(MIX)
        case_id = self.random.choice(self.cases)
        if kind == "correct" and self.steps:
            step_case, step_id, fields = self.random.choice(self.steps)
            corrected = {
                **fields,
                "summary": f"{fields['summary']} Corrected {self.sent}.",
            }
            self.command(
                "correctStep",
                CORRECT_STEP,
                {
                    **corrected,
                    "caseId": step_case,
                    "stepId": step_id,
                    "reason": "The advocate's notes were read again.",
                },
            )
        elif kind == "read":
            self.read(case_id)
        else:
            fields = samples.graphql_input(samples.step_input(self.sent + self.index))
            command = self.command(
                "recordStep", RECORD_STEP, {**fields, "caseId": case_id}
            )
            if command.outcome == "acknowledged" and command.result_id:
                self.steps.append((case_id, command.result_id, fields))

    def read(self, case_id: str) -> None:
        started = time.monotonic()
        try:
            response = self.http.post(
                f"{self.servers.next()}/graphql",
                json={"query": CHRONOLOGY, "variables": {"caseId": case_id}},
            )
        except httpx.TransportError as error:
            self.tally.read_failures.append(type(error).__name__)
            return
        if response.status_code != 200:
            self.tally.read_failures.append(f"HTTP {response.status_code}")
            return
        answer = (response.json().get("data") or {}).get("chronology") or {}
        if answer.get("__typename") != "Chronology":
            self.tally.read_failures.append(str(answer)[:200])
            return
        self.tally.read_seconds.append(time.monotonic() - started)


class Stop:
    """When the load ends: set by the run once its time is up and every fault
    has been injected; commands in flight then retry for ``grace`` more."""

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self._at: float | None = None
        self._lock = threading.Lock()

    def now(self) -> None:
        with self._lock:
            self._at = time.monotonic()

    def is_set(self) -> bool:
        return self._at is not None

    def retry_until(self) -> float:
        """No retry after this moment (until the load ends: never)."""
        at = self._at
        return float("inf") if at is None else at + self.grace


def run_clients(
    count: int,
    run: str,
    tokens: Sequence[str],
    servers: Servers,
    stop: Stop,
) -> tuple[Tally, list[threading.Thread]]:
    """Starts ``count`` client threads; each works until ``stop`` is set."""
    tally = Tally()

    def work(index: int) -> None:
        client = Client(index, run, tokens[index], servers, tally, stop.retry_until)
        try:
            client.open_cases()
            while not stop.is_set():
                client.step()
        finally:
            client.close()

    threads = [
        threading.Thread(
            target=work, args=(index,), name=f"client-{index}", daemon=True
        )
        for index in range(count)
    ]
    for thread in threads:
        thread.start()
    return tally, threads

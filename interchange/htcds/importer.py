"""A case created from an HTCDS record: every row checked first, and the case
recorded whole (one save) or, if any row cannot be read, not at all, with each
problem named by its row and field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import orjson

from domain.application import CaseJourneys, CommandResult, ImportRefused
from domain.case import ConsentPurpose, Jurisdiction
from domain.commands import (
    AssignAdvocate,
    CaseCommand,
    CloseCase,
    GiveConsent,
    RecordDateOfBirth,
    RecordStep,
    StepInput,
)
from domain.errors import CommandRefused
from interchange.htcds.export import HtcdsRecord
from interchange.htcds.files import read_record

#: Where a domain field's refusal points in the file.
_STEP_FIELDS = {
    "kind": "wmk_Kind",
    "occurred": "wmk_Occurred",
    "summary": "wmk_Summary",
    "details": "wmk_Details",
    "sources": "wmk_Sources",
    "order": "wmk_Order",
}
MAX_STEPS = 10_000


@dataclass(frozen=True)
class Problem:
    #: The record, and in CSV its file row: ``CaseComment[2] (row 5)``.
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}, {self.field}: {self.message}"


class HtcdsImportRefused(Exception):
    """Nothing was imported; ``problems`` says why, row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


Command = Callable[[UUID], CaseCommand]


def import_htcds(
    journeys: CaseJourneys,
    data: bytes,
    *,
    organisation_id: str,
    recorded_by: str,
    idempotency_key: str | None = None,
) -> CommandResult:
    """Raises ``HtcdsImportRefused`` (or ``UnreadableFile``) and records nothing
    when the file cannot be imported whole."""
    record, rows = read_record(data)
    plan = _Plan(record, rows, journeys)
    if plan.problems:
        raise HtcdsImportRefused(plan.problems)
    try:
        return journeys.import_case(
            reference=plan.reference,
            organisation_id=organisation_id,
            jurisdiction=plan.jurisdiction,
            local_authority=plan.local_authority,
            opened_on=plan.opened_on,
            commands=[command for command, _ in plan.commands],
            recorded_by=recorded_by,
            idempotency_key=idempotency_key,
        )
    except ImportRefused as refused:
        where, field = plan.commands[refused.index][1]
        raise HtcdsImportRefused([Problem(where, field, refused.message)]) from None
    except CommandRefused as refused:
        raise HtcdsImportRefused(
            [Problem(plan.where("Case"), refused.field or "Case", refused.message)]
        ) from None


class _Plan:
    """The commands a record becomes, or the problems that stop it."""

    def __init__(
        self, record: HtcdsRecord, rows: Mapping[str, int], journeys: CaseJourneys
    ) -> None:
        self.rows = rows
        self.today = journeys.today()
        self.problems: list[Problem] = []
        #: Each command, with the row and field a refusal of it points at.
        self.commands: list[tuple[Command, tuple[str, str]]] = []
        case = _object(record.get("Case"))
        self.reference = self._required(case, "Case", "wmk_Reference")
        self.jurisdiction = self._choice(
            case, "Case", "wmk_Jurisdiction", [j.value for j in Jurisdiction]
        )
        self.local_authority = _text(case.get("wmk_LocalAuthority"))
        self.opened_on = self._day(case, "Case", "wmk_OpenedOn")
        self._person(_object(record.get("Person")))
        self._consents(_object(record.get("Consent")))
        self._owner(case)
        self._steps(record)
        self._closure(case)

    def where(self, name: str) -> str:
        line = self.rows.get(name)
        return f"{name} (row {line})" if line else name

    def _person(self, person: Mapping[str, Any]) -> None:
        born = _text(person.get("wmk_BirthdateEdtf")) or _text(
            person.get("prs_Birthdate")
        )
        if born:
            field = (
                "wmk_BirthdateEdtf"
                if person.get("wmk_BirthdateEdtf")
                else "prs_Birthdate"
            )
            self._add(lambda case_id: RecordDateOfBirth(case_id, born), "Person", field)

    def _consents(self, consent: Mapping[str, Any]) -> None:
        named = _text(consent.get("wmk_Consents"))
        purposes = named.split() if named else []
        if not named and consent.get("con_Consent") is True:
            purposes = [ConsentPurpose.RECORD_KEEPING.value]
        known = {purpose.value for purpose in ConsentPurpose}
        for purpose in purposes:
            if purpose not in known:
                self._problem(
                    "Consent", "wmk_Consents", f"no consent purpose {purpose!r}"
                )
                continue
            self._add(_consent(purpose), "Consent", "wmk_Consents")

    def _owner(self, case: Mapping[str, Any]) -> None:
        owner = _text(case.get("cas_CaseOwner"))
        if owner:
            self._add(
                lambda case_id: AssignAdvocate(case_id, owner), "Case", "cas_CaseOwner"
            )

    def _steps(self, record: HtcdsRecord) -> None:
        comments = record.get("CaseComment") or []
        events = record.get("HistoricTraffickingEvent") or []
        if not isinstance(comments, list) or not isinstance(events, list):
            self._problem("Case", "CaseComment", "a list of records")
            return
        if len(comments) + len(events) > MAX_STEPS:
            self._problem("Case", "CaseComment", f"at most {MAX_STEPS} steps")
            return
        for index, comment in enumerate(comments):
            self._step(f"CaseComment[{index}]", _object(comment))
        # A Waymark export's incidents are among its comments already; a file
        # from elsewhere may hold them only as historic trafficking events.
        if not any(_object(c).get("wmk_Kind") == "harm.incident" for c in comments):
            for index, event in enumerate(events):
                self._incident(f"HistoricTraffickingEvent[{index}]", _object(event))

    def _step(self, name: str, comment: Mapping[str, Any]) -> None:
        if not _text(comment.get("wmk_Kind")):
            self._problem(
                name,
                "wmk_Kind",
                "a case comment without a Waymark step kind cannot become a step",
            )
            return
        try:
            step = StepInput(
                kind=str(comment["wmk_Kind"]),
                occurred=_text(comment.get("wmk_Occurred")),
                summary=str(comment.get("wmk_Summary") or ""),
                details=_json(comment.get("wmk_Details"), dict),
                sources=_json(comment.get("wmk_Sources"), list),
                order=_whole(comment.get("wmk_Order")),
            )
        except ValueError as error:
            field = str(error.args[1]) if len(error.args) > 1 else "wmk_Details"
            self._problem(name, field, str(error.args[0]))
            return
        self._check_and_add(name, step)

    def _incident(self, name: str, event: Mapping[str, Any]) -> None:
        step = StepInput(
            kind="harm.incident",
            occurred=_text(event.get("hte_Date")),
            summary=str(event.get("hte_Description") or ""),
            details={
                "offences": [str(event.get("hte_Type") or "exploitation").lower()]
            },
        )
        self._check_and_add(
            name, step, fields={"occurred": "hte_Date", "summary": "hte_Description"}
        )

    def _check_and_add(
        self, name: str, step: StepInput, fields: Mapping[str, str] | None = None
    ) -> None:
        fields = fields or _STEP_FIELDS
        try:
            step.reading(self.today)
        except CommandRefused as refused:
            domain_field = (refused.field or "details").split(".")[0].split("[")[0]
            self._problem(
                name, fields.get(domain_field, "wmk_Details"), refused.message
            )
            return
        self._add(
            lambda case_id: RecordStep(case_id, step),
            name,
            fields.get("kind", "wmk_Kind"),
        )

    def _closure(self, case: Mapping[str, Any]) -> None:
        status = _text(case.get("cas_Status")) or "Active"
        if status not in ("Active", "FollowUp", "Closed", "ClosedReferred"):
            self._problem("Case", "cas_Status", f"no status {status!r}")
        elif status.startswith("Closed"):
            reason = (
                _text(case.get("cas_ReasonForCaseClosure"))
                or "Closed in the system the case came from."
            )
            self._add(lambda case_id: CloseCase(case_id, reason), "Case", "cas_Status")

    def _required(self, record: Mapping[str, Any], name: str, field: str) -> str:
        value = _text(record.get(field))
        if not value:
            self._problem(name, field, "required")
        return value or ""

    def _choice(
        self, record: Mapping[str, Any], name: str, field: str, choices: list[str]
    ) -> str:
        value = self._required(record, name, field)
        if value and value not in choices:
            self._problem(name, field, f"one of {', '.join(choices)}")
        return value

    def _day(self, record: Mapping[str, Any], name: str, field: str) -> date | None:
        value = _text(record.get(field))
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self._problem(name, field, "a day, YYYY-MM-DD")
            return None

    def _add(self, command: Command, name: str, field: str) -> None:
        self.commands.append((command, (self.where(name), field)))

    def _problem(self, name: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.where(name), field, message))


def _consent(purpose: str) -> Command:
    return lambda case_id: GiveConsent(case_id, purpose)


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _whole(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("a whole number", "wmk_Order") from None


def _json(value: Any, kind: type) -> Any:
    field = "wmk_Details" if kind is dict else "wmk_Sources"
    if value is None or value == "":
        return None
    if isinstance(value, kind):
        return value
    try:
        parsed = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        raise ValueError("not valid JSON", field) from None
    if not isinstance(parsed, kind):
        raise ValueError(f"a JSON {'object' if kind is dict else 'list'}", field)
    return parsed

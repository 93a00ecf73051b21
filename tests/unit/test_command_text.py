"""Every text a command records is checked by one rule: no control characters
(newline and tab only in free text), no unpaired surrogates, no bidirectional
controls or invisible format characters, and a bound on its length. A refusal
names the field and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from domain.application import CaseJourneys, StepInput
from domain.errors import InvalidField
from domain.text import (
    CODE_LIMIT,
    IDENTIFIER_LIMIT,
    KEY_LIMIT,
    LABEL_LIMIT,
    PLACE_LIMIT,
    PROSE_LIMIT,
    REFERENCE_LIMIT,
    SOURCES_LIMIT,
    TextKind,
    checked_text,
)

BY = "advocate-elm"

#: What no identifier or short text may hold.
POISONS = [
    "\x00",  # NUL: PostgreSQL text cannot hold it
    "\x1b[31m",  # an ANSI escape, to colour a log line
    "\x85",  # C1: next line
    "\x7f",
    "\ud800",  # an unpaired surrogate
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200f",  # right-to-left mark
    "\ufeff",  # zero-width no-break space
    "\u2028",  # line separator
    "\U000e0041",  # a tag character: invisible text
]

Command = Callable[[CaseJourneys, UUID, UUID, str], Any]


def _step(summary: str = "Referred", **fields: Any) -> StepInput:
    return StepInput(
        kind=fields.pop("kind", "nrm.referred"),
        occurred="2019-06",
        summary=summary,
        **fields,
    )


def _open(field: str) -> Command:
    def command(j: CaseJourneys, case_id: UUID, step_id: UUID, value: str) -> Any:
        given = {
            "reference": "TX-2",
            "organisation_id": "org-north",
            "jurisdiction": "scotland",
            "local_authority": "Glasgow",
            field: value,
        }
        return j.open_case(**given, recorded_by="advocate-elm")

    return command


#: (the field a refusal names, its bound, its kind, a command carrying it).
FIELDS: list[tuple[str, int, TextKind, Command]] = [
    ("reference", REFERENCE_LIMIT, TextKind.IDENTIFIER, _open("reference")),
    ("organisationId", IDENTIFIER_LIMIT, TextKind.IDENTIFIER, _open("organisation_id")),
    ("localAuthority", PLACE_LIMIT, TextKind.LINE, _open("local_authority")),
    (
        "idempotencyKey",
        KEY_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.close_case(
            c, reason="Ended", idempotency_key=v, recorded_by=BY
        ),
    ),
    (
        "recordedBy",
        LABEL_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.close_case(c, reason="Ended", recorded_by=v),
    ),
    (
        "kind",
        IDENTIFIER_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.record_step(c, _step(kind=v), recorded_by=BY),
    ),
    (
        "summary",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.record_step(c, _step(v), recorded_by=BY),
    ),
    (
        "sources[0].document",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.record_step(
            c, _step(sources=[{"document": v}]), recorded_by=BY
        ),
    ),
    (
        "sources[0].pin",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.record_step(
            c,
            _step(sources=[{"document": "Witness statement", "pin": v}]),
            recorded_by=BY,
        ),
    ),
    (
        "details.crime_reference",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.record_step(
            c,
            _step(
                kind="criminal_justice.crime_reported", details={"crime_reference": v}
            ),
            recorded_by=BY,
        ),
    ),
    (
        "details.local_authority",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.record_step(
            c,
            _step(kind="transition.moved_area", details={"local_authority": v}),
            recorded_by=BY,
        ),
    ),
    (
        "details.offences",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.record_step(
            c,
            _step(kind="harm.incident", details={"offences": ["assault", v]}),
            recorded_by=BY,
        ),
    ),
    (
        "reason",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.correct_step(c, s, _step(), reason=v, recorded_by=BY),
    ),
    (
        "reason",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.retract_step(c, s, reason=v, recorded_by=BY),
    ),
    (
        "disputedBy",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.dispute_step(
            c, s, disputed_by=v, other_version="Later", recorded_by=BY
        ),
    ),
    (
        "otherVersion",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.dispute_step(
            c, s, disputed_by="the respondent", other_version=v, recorded_by=BY
        ),
    ),
    (
        "title",
        LABEL_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.attach_evidence(
            c, title=v, document_kind="witness_statement", recorded_by=BY
        ),
    ),
    (
        "documentKind",
        CODE_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.attach_evidence(
            c, title="Statement", document_kind=v, recorded_by=BY
        ),
    ),
    (
        "bundleRef",
        CODE_LIMIT,
        TextKind.LINE,
        lambda j, c, s, v: j.attach_evidence(
            c,
            title="Statement",
            document_kind="witness_statement",
            bundle_ref=v,
            recorded_by=BY,
        ),
    ),
    (
        "note",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.give_consent(c, "evaluation", note=v, recorded_by=BY),
    ),
    (
        "note",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.withdraw_consent(
            c, "record_keeping", note=v, recorded_by=BY
        ),
    ),
    (
        "advocateId",
        IDENTIFIER_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.assign_advocate(c, v, recorded_by=BY),
    ),
    (
        "note",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.assign_advocate(c, "advocate-oak", note=v, recorded_by=BY),
    ),
    (
        "toOrganisationId",
        IDENTIFIER_LIMIT,
        TextKind.IDENTIFIER,
        lambda j, c, s, v: j.transfer_case(c, v, reason="Moved", recorded_by=BY),
    ),
    (
        "reason",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.transfer_case(c, "org-south", reason=v, recorded_by=BY),
    ),
    (
        "reason",
        PROSE_LIMIT,
        TextKind.PROSE,
        lambda j, c, s, v: j.close_case(c, reason=v, recorded_by=BY),
    ),
]
FIELD_IDS = [f"{command_field}-{i}" for i, (command_field, *_) in enumerate(FIELDS)]


@pytest.fixture
def case(memory_journeys: CaseJourneys) -> tuple[UUID, UUID]:
    opened = memory_journeys.open_case(
        reference="TX-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        recorded_by="advocate-elm",
    )
    memory_journeys.give_consent(opened.id, "record_keeping", recorded_by=BY)
    step = memory_journeys.record_step(opened.id, _step(), recorded_by=BY)
    return opened.id, step.id


def _refused(
    journeys: CaseJourneys, case: tuple[UUID, UUID], command: Command, value: str
) -> InvalidField:
    before = journeys.log_position()
    with pytest.raises(InvalidField) as refusal:
        command(journeys, *case, value)
    assert journeys.log_position() == before, "a refused command recorded something"
    return refusal.value


@pytest.mark.parametrize(("field", "limit", "kind", "command"), FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("poison", POISONS, ids=ascii)
def test_a_control_or_invisible_character_in_any_field_is_refused_by_name(
    memory_journeys: CaseJourneys,
    case: tuple[UUID, UUID],
    field: str,
    limit: int,
    kind: TextKind,
    command: Command,
    poison: str,
) -> None:
    refusal = _refused(memory_journeys, case, command, f"Alpha{poison}beta")
    assert refusal.field == field
    assert f"U+{ord(poison[0]):04X}" in refusal.message
    assert poison not in refusal.message  # never echoed


@pytest.mark.parametrize(("field", "limit", "kind", "command"), FIELDS, ids=FIELD_IDS)
def test_every_field_is_bounded_and_the_bound_is_taken_exactly(
    memory_journeys: CaseJourneys,
    case: tuple[UUID, UUID],
    field: str,
    limit: int,
    kind: TextKind,
    command: Command,
) -> None:
    refusal = _refused(memory_journeys, case, command, "a" * (limit + 1))
    assert refusal.field == field
    assert refusal.message.startswith(f"{field}: at most {limit} characters")
    assert checked_text("a" * limit, field, limit, kind) == "a" * limit


def test_free_text_keeps_its_newlines_and_tabs_and_reads_windows_line_ends_as_newlines(
    memory_journeys: CaseJourneys, case: tuple[UUID, UUID]
) -> None:
    case_id, _ = case
    summary = "Met at the office.\r\nSaid:\t\u201cnot yet\u201d.\rNext week."
    memory_journeys.record_step(case_id, _step(summary), recorded_by=BY)
    recorded = memory_journeys.case_events(case_id)[-1]
    assert recorded.reading["summary"] == (  # type: ignore[attr-defined]
        "Met at the office.\nSaid:\t\u201cnot yet\u201d.\nNext week."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Merhaba \u00e7ocuk",
        "\u0645\u0631\u062d\u0628\u0627",  # Arabic, written right to left
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a ZWNJ
        "\u0928\u092e\u0938\u094d\u200d\u0924\u0947",  # Devanagari, with a ZWJ
        "\U0001f469\u200d\U0001f467",  # an emoji sequence
    ],
)
def test_text_in_any_script_with_the_joiners_it_needs_is_taken(text: str) -> None:
    assert checked_text(text, "title", LABEL_LIMIT, TextKind.LINE) == text


def test_an_identifier_refuses_even_the_joiners_that_free_text_may_need() -> None:
    with pytest.raises(InvalidField, match="U\\+200D"):
        checked_text("org\u200dnorth", "organisationId", 100, TextKind.IDENTIFIER)


def test_a_step_cites_a_bounded_number_of_sources(
    memory_journeys: CaseJourneys, case: tuple[UUID, UUID]
) -> None:
    sources = [{"document": f"Statement {i}"} for i in range(SOURCES_LIMIT + 1)]
    refusal = _refused(
        memory_journeys,
        case,
        lambda j, c, s, v: j.record_step(c, _step(sources=sources), recorded_by=BY),
        "",
    )
    assert refusal.field == "sources"
    memory_journeys.record_step(case[0], _step(sources=sources[:-1]), recorded_by=BY)

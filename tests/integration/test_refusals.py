"""Every refusal names its rule, and a refused command leaves the log untouched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.application import CaseJourneys, CommandResult, StepInput
from domain.errors import (
    CaseIsClosed,
    CaseIsOpen,
    CaseNotFound,
    CommandRefused,
    IdempotencyKeyReused,
    InvalidField,
    NothingToChange,
    StepIsRetracted,
    StepNotFound,
    VersionConflict,
)

ADVOCATE = "advocate-7"
REFERRED = StepInput("nrm.referred", "2019-06~", "Referred into the NRM by police")


def open_case(app: CaseJourneys) -> CommandResult:
    return app.open_case(
        reference="CASE-R1",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    )


def refused_and_nothing_recorded(
    app: CaseJourneys, refusal: type[CommandRefused], command: Callable[[], Any]
) -> CommandRefused:
    before = app.log_position()
    with pytest.raises(refusal) as refused:
        command()
    assert app.log_position() == before, "a refused command recorded something"
    return refused.value


@pytest.fixture
def app(journeys: CaseJourneys) -> CaseJourneys:
    """On every store: a refusal must leave each kind of log untouched."""
    return journeys


@pytest.fixture
def case_id(app: CaseJourneys) -> UUID:
    return open_case(app).case_id


@pytest.fixture
def step_id(app: CaseJourneys, case_id: UUID) -> UUID:
    return app.record_step(case_id, REFERRED, recorded_by=ADVOCATE).id


def test_a_correction_must_name_an_existing_step(
    app: CaseJourneys, case_id: UUID
) -> None:
    refusal = refused_and_nothing_recorded(
        app,
        StepNotFound,
        lambda: app.correct_step(
            case_id, uuid4(), REFERRED, reason="typo", recorded_by=ADVOCATE
        ),
    )
    assert refusal.field == "stepId"


def test_a_retracted_step_cannot_be_corrected_disputed_or_retracted_again(
    app: CaseJourneys, case_id: UUID, step_id: UUID
) -> None:
    app.retract_step(
        case_id, step_id, reason="recorded on the wrong case", recorded_by=ADVOCATE
    )
    refused_and_nothing_recorded(
        app,
        StepIsRetracted,
        lambda: app.correct_step(
            case_id, step_id, REFERRED, reason="x", recorded_by=ADVOCATE
        ),
    )
    refused_and_nothing_recorded(
        app,
        StepIsRetracted,
        lambda: app.dispute_step(
            case_id,
            step_id,
            disputed_by="survivor",
            other_version="x",
            recorded_by=ADVOCATE,
        ),
    )
    refused_and_nothing_recorded(
        app,
        StepIsRetracted,
        lambda: app.retract_step(
            case_id, step_id, reason="again", recorded_by=ADVOCATE
        ),
    )


def test_nothing_is_recorded_on_a_closed_case_until_it_is_reopened(
    app: CaseJourneys, case_id: UUID, step_id: UUID
) -> None:
    app.close_case(case_id, reason="support ended by agreement", recorded_by=ADVOCATE)
    commands: list[Callable[[], Any]] = [
        lambda: app.record_step(case_id, REFERRED, recorded_by=ADVOCATE),
        lambda: app.correct_step(
            case_id, step_id, REFERRED, reason="x", recorded_by=ADVOCATE
        ),
        lambda: app.retract_step(case_id, step_id, reason="x", recorded_by=ADVOCATE),
        lambda: app.dispute_step(
            case_id,
            step_id,
            disputed_by="survivor",
            other_version="x",
            recorded_by=ADVOCATE,
        ),
        lambda: app.attach_evidence(
            case_id, title="Letter", document_kind="letter", recorded_by=ADVOCATE
        ),
        lambda: app.give_consent(case_id, "evaluation", recorded_by=ADVOCATE),
        lambda: app.assign_advocate(case_id, "advocate-9", recorded_by=ADVOCATE),
        lambda: app.transfer_case(
            case_id, "org-south", reason="moved", recorded_by=ADVOCATE
        ),
        lambda: app.close_case(case_id, reason="again", recorded_by=ADVOCATE),
    ]
    for command in commands:
        refused_and_nothing_recorded(app, CaseIsClosed, command)

    app.reopen_case(case_id, reason="survivor re-referred", recorded_by=ADVOCATE)
    assert app.record_step(case_id, REFERRED, recorded_by=ADVOCATE).version == 5


def test_consent_can_be_withdrawn_from_a_closed_case(
    app: CaseJourneys, case_id: UUID
) -> None:
    app.give_consent(case_id, "evaluation", recorded_by=ADVOCATE)
    app.close_case(case_id, reason="support ended by agreement", recorded_by=ADVOCATE)
    withdrawn = app.withdraw_consent(case_id, "evaluation", recorded_by=ADVOCATE)
    assert withdrawn.version == app.case_summary(case_id).version
    assert "evaluation" not in app.case_summary(case_id).consents


def test_an_open_case_cannot_be_reopened(app: CaseJourneys, case_id: UUID) -> None:
    refused_and_nothing_recorded(
        app,
        CaseIsOpen,
        lambda: app.reopen_case(case_id, reason="x", recorded_by=ADVOCATE),
    )


@pytest.mark.parametrize(
    ("step", "field"),
    [
        (StepInput("nrm.referred", "2027-01", "Referred"), "occurred"),
        (StepInput("nrm.referred", "June 2019", "Referred"), "occurred"),
        (StepInput("nrm.sorted", "2019", "Referred"), "kind"),
        (StepInput("nrm.referred", "2019", "   "), "summary"),
        (
            StepInput("nrm.reasonable_grounds_decision", "2019", "RG decision", {}),
            "details.outcome",
        ),
        (
            StepInput(
                "nrm.reasonable_grounds_decision", "2019", "RG", {"outcome": "unclear"}
            ),
            "details.outcome",
        ),
        (
            StepInput("nrm.referred", "2019", "Referred", sources=[{"pin": "p. 2"}]),
            "sources[0].document",
        ),
        (StepInput("nrm.referred", "2019", "Referred", order=-1), "order"),
    ],
)
def test_a_bad_step_is_refused_naming_the_field_at_fault(
    app: CaseJourneys, case_id: UUID, step: StepInput, field: str
) -> None:
    refusal = refused_and_nothing_recorded(
        app, InvalidField, lambda: app.record_step(case_id, step, recorded_by=ADVOCATE)
    )
    assert refusal.field == field


def test_a_bad_correction_is_refused_like_a_bad_step(
    app: CaseJourneys, case_id: UUID, step_id: UUID
) -> None:
    refusal = refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.correct_step(
            case_id,
            step_id,
            StepInput("nrm.referred", "2030", "Referred"),
            reason="date",
            recorded_by=ADVOCATE,
        ),
    )
    assert refusal.field == "occurred"


def test_a_command_on_a_case_that_does_not_exist_is_refused(app: CaseJourneys) -> None:
    refused_and_nothing_recorded(
        app,
        CaseNotFound,
        lambda: app.record_step(uuid4(), REFERRED, recorded_by=ADVOCATE),
    )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("reference", {"reference": " "}),
        ("organisationId", {"organisation_id": ""}),
        ("jurisdiction", {"jurisdiction": "wales_only"}),
    ],
)
def test_a_case_cannot_be_opened_without_its_facts(
    app: CaseJourneys, field: str, kwargs: dict[str, str]
) -> None:
    command = {
        "reference": "CASE-R2",
        "organisation_id": "org-north",
        "jurisdiction": "scotland",
        **kwargs,
    }
    refusal = refused_and_nothing_recorded(
        app, InvalidField, lambda: app.open_case(**command, recorded_by=ADVOCATE)
    )
    assert refusal.field == field


def test_a_stale_expected_version_is_a_typed_conflict(
    app: CaseJourneys, case_id: UUID
) -> None:
    refusal = refused_and_nothing_recorded(
        app,
        VersionConflict,
        lambda: app.record_step(
            case_id, REFERRED, recorded_by=ADVOCATE, expected_version=7
        ),
    )
    assert isinstance(refusal, VersionConflict)
    assert (refusal.expected, refusal.actual) == (7, 1)
    assert (
        app.record_step(
            case_id, REFERRED, recorded_by=ADVOCATE, expected_version=1
        ).version
        == 2
    )


def test_a_retried_command_returns_its_first_result_and_records_nothing_new(
    app: CaseJourneys, case_id: UUID
) -> None:
    first = app.record_step(
        case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="k-1"
    )
    position = app.log_position()
    retry = app.record_step(
        case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="k-1"
    )
    assert (retry.id, retry.version, retry.replayed) == (first.id, first.version, True)
    assert app.log_position() == position


def test_an_idempotency_key_cannot_be_reused_for_a_different_command(
    app: CaseJourneys, case_id: UUID
) -> None:
    app.record_step(case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="k-2")
    other = StepInput("nrm.referred", "2019-07", "Referred into the NRM by the council")
    refused_and_nothing_recorded(
        app,
        IdempotencyKeyReused,
        lambda: app.record_step(
            case_id, other, recorded_by=ADVOCATE, idempotency_key="k-2"
        ),
    )


def test_a_retried_open_returns_the_same_case(app: CaseJourneys) -> None:
    facts = {
        "reference": "CASE-R3",
        "organisation_id": "org-north",
        "jurisdiction": "northern_ireland",
    }
    first = app.open_case(**facts, recorded_by=ADVOCATE, idempotency_key="open-1")
    retry = app.open_case(**facts, recorded_by=ADVOCATE, idempotency_key="open-1")
    assert retry.case_id == first.case_id and retry.replayed
    assert list(app.case_ids()) == [first.case_id]
    refused_and_nothing_recorded(
        app,
        IdempotencyKeyReused,
        lambda: app.open_case(
            **{**facts, "reference": "CASE-R4"},
            recorded_by=ADVOCATE,
            idempotency_key="open-1",
        ),
    )


def test_consent_and_advocacy_changes_that_change_nothing_are_refused(
    app: CaseJourneys, case_id: UUID
) -> None:
    app.give_consent(case_id, "evaluation", recorded_by=ADVOCATE)
    refused_and_nothing_recorded(
        app,
        NothingToChange,
        lambda: app.give_consent(case_id, "evaluation", recorded_by=ADVOCATE),
    )
    refused_and_nothing_recorded(
        app,
        NothingToChange,
        lambda: app.withdraw_consent(case_id, "nrm_referral", recorded_by=ADVOCATE),
    )
    refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.give_consent(case_id, "marketing", recorded_by=ADVOCATE),
    )
    app.assign_advocate(case_id, "advocate-9", recorded_by=ADVOCATE)
    refused_and_nothing_recorded(
        app,
        NothingToChange,
        lambda: app.assign_advocate(case_id, "advocate-9", recorded_by=ADVOCATE),
    )
    refused_and_nothing_recorded(
        app,
        NothingToChange,
        lambda: app.transfer_case(
            case_id, "org-north", reason="x", recorded_by=ADVOCATE
        ),
    )


def test_evidence_with_a_malformed_digest_is_refused(
    app: CaseJourneys, case_id: UUID
) -> None:
    refusal = refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.attach_evidence(
            case_id,
            title="Letter",
            document_kind="letter",
            sha256="abc",
            recorded_by=ADVOCATE,
        ),
    )
    assert refusal.field == "sha256"


def test_a_command_for_another_organisation_finds_no_case_and_records_nothing(
    app: CaseJourneys, case_id: UUID
) -> None:
    refused_and_nothing_recorded(
        app,
        CaseNotFound,
        lambda: app.record_step(
            case_id,
            REFERRED,
            recorded_by="advocate-elsewhere",
            on_behalf_of="org-south",
        ),
    )
    app.transfer_case(
        case_id, "org-south", reason="The survivor moved south", recorded_by=ADVOCATE
    )
    refused_and_nothing_recorded(
        app,
        CaseNotFound,
        lambda: app.record_step(
            case_id, REFERRED, recorded_by=ADVOCATE, on_behalf_of="org-north"
        ),
    )
    assert (
        app.record_step(
            case_id,
            REFERRED,
            recorded_by="advocate-elsewhere",
            on_behalf_of="org-south",
        ).version
        == 3
    )


def test_an_overlong_idempotency_key_is_refused_naming_its_field(
    app: CaseJourneys, case_id: UUID
) -> None:
    refusal = refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.record_step(
            case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="k" * 201
        ),
    )
    assert refusal.field == "idempotencyKey"


def test_a_retried_open_with_a_padded_key_names_the_same_case(
    app: CaseJourneys,
) -> None:
    facts = {
        "reference": "CASE-R5",
        "organisation_id": "org-north",
        "jurisdiction": "scotland",
        "recorded_by": ADVOCATE,
    }
    first = app.open_case(**facts, idempotency_key="open-5")
    retry = app.open_case(**facts, idempotency_key=" open-5 ")
    assert (retry.case_id, retry.replayed) == (first.case_id, True)


def test_a_date_of_birth_must_be_a_past_edtf_date_and_a_change(
    app: CaseJourneys, case_id: UUID
) -> None:
    for born, field in [("2030-01", "born"), ("", "born"), ("17/4/2003", "born")]:
        refusal = refused_and_nothing_recorded(
            app,
            InvalidField,
            lambda born=born: app.record_date_of_birth(
                case_id, born, recorded_by=ADVOCATE
            ),
        )
        assert refusal.field == field
    app.record_date_of_birth(case_id, "2003-04", recorded_by=ADVOCATE)
    refused_and_nothing_recorded(
        app,
        NothingToChange,
        lambda: app.record_date_of_birth(case_id, "2003-04", recorded_by=ADVOCATE),
    )
    assert app.case_summary(case_id).born == "2003-04"


def test_the_days_a_case_opened_and_consent_was_given_or_withdrawn_are_bounded(
    app: CaseJourneys,
) -> None:
    """Each is an exact day the survivor's story can have had: not after today
    (26 November 2026 in tests), not before 2000 (a mistyped year), a consent
    not before its case opened, a withdrawal not before its consent."""
    for day, why in ((date(2026, 11, 27), "in the future"), (date(202, 5, 1), "2000")):
        refusal = refused_and_nothing_recorded(
            app,
            InvalidField,
            lambda day=day: app.open_case(
                reference="CASE-D1",
                organisation_id="org-north",
                jurisdiction="england_and_wales",
                opened_on=day,
                recorded_by=ADVOCATE,
            ),
        )
        assert isinstance(refusal, InvalidField) and refusal.field == "openedOn"
        assert why in str(refusal)
    case_id = app.open_case(
        reference="CASE-D2",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        opened_on=date(2024, 3, 4),
        recorded_by=ADVOCATE,
    ).case_id
    refusal = refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.give_consent(
            case_id, "evaluation", given_on=date(2024, 3, 3), recorded_by=ADVOCATE
        ),
    )
    assert "2024-03-04" in str(refusal)
    app.give_consent(
        case_id, "evaluation", given_on=date(2024, 3, 4), recorded_by=ADVOCATE
    )
    refusal = refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.withdraw_consent(
            case_id, "evaluation", withdrawn_on=date(2024, 3, 1), recorded_by=ADVOCATE
        ),
    )
    assert isinstance(refusal, InvalidField) and refusal.field == "withdrawnOn"
    refused_and_nothing_recorded(
        app,
        InvalidField,
        lambda: app.withdraw_consent(
            case_id, "evaluation", withdrawn_on=date(2026, 12, 1), recorded_by=ADVOCATE
        ),
    )
    app.withdraw_consent(
        case_id, "evaluation", withdrawn_on=date(2025, 1, 6), recorded_by=ADVOCATE
    )
    summary = app.case_summary(case_id)
    assert (summary.opened_on, summary.consents) == (date(2024, 3, 4), ())
    # The log still says when the opening was entered: later than the day.
    assert summary.opened_at.date() > summary.opened_on

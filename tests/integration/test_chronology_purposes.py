"""A chronology made for a purpose states its selection, and leaves nothing out silently.

Counsel, CICA, the tribunal and the other side in a criminal trial each read the
chronology served on them for what it leaves out. On the in-memory, SQLite and
PostgreSQL stores. Every fact here is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from domain.application import CaseJourneys, StepInput
from projections.chronology import (
    NO_SOURCE_RECORDED,
    Chronology,
    LeftOutReason,
    Purpose,
    chronology_of,
)

ADVOCATE = "adv-south-04"

#: A survivor's journey across every area a purpose might leave out or keep:
#: (kind, occurred, summary, details).
JOURNEY: tuple[tuple[str, str, str, Mapping[str, Any] | None], ...] = (
    (
        "harm.incident",
        "2019-01/2019-06",
        "Reported being made to work without pay and assaulted at a car wash.",
        {"offences": ["forced labour", "assault"]},
    ),
    (
        "harm.injury",
        "2019-01/2019-06",
        "Reported a fractured wrist from the assaults.",
        {"nature": "physical"},
    ),
    (
        "own_conviction.convicted",
        "2019-05-02",
        "Convicted of working under a false identity; sentenced to a fine.",
        {"sentence": "fine"},
    ),
    (
        "criminal_justice.crime_reported",
        "2019-08",
        "Reported forced labour to the police.",
        {"crime_reference": "CR-PURPOSE-01"},
    ),
    ("nrm.referred", "2019-08", "Referred into the NRM by the police.", None),
    (
        "nrm.conclusive_grounds_decision",
        "2020-02-03",
        "Positive conclusive grounds decision.",
        {"outcome": "positive"},
    ),
    (
        "immigration.advice_accessed",
        "2019-09",
        "Saw an immigration adviser about her status.",
        None,
    ),
    ("immigration.asylum_claim_lodged", "2019-10-01", "Asylum claim lodged.", None),
    (
        "immigration.decision",
        "2021-04-12",
        "Granted humanitarian protection.",
        {"outcome": "humanitarian_protection"},
    ),
    (
        "criminal_justice.cooperation_stopped",
        "2020-06",
        "Told the police she would not continue, saying she had been threatened.",
        {"reason": "reported threats"},
    ),
    (
        "criminal_justice.verdict",
        "2021-09-20",
        "Defendant convicted of a forced labour offence.",
        {"outcome": "convicted", "trafficking_offence": True},
    ),
    (
        "health.diagnosis",
        "2020-11-02",
        "Diagnosed with post-traumatic stress disorder.",
        {
            "condition": "post-traumatic stress disorder",
            "diagnosed_by": "psychiatrist",
        },
    ),
    (
        "compensation.loss",
        "2019-01/2019-06",
        "Unpaid earnings for the months at the car wash.",
        {"kind": "earnings", "amount": "3100.00"},
    ),
    (
        "compensation.cica_application_submitted",
        "2021-10-04",
        "CICA application submitted.",
        None,
    ),
    ("housing.advocacy", "2019-09", "Advocacy with the council on housing.", None),
    ("benefits.claim_made", "2019-10", "Universal Credit claim made.", None),
    ("legal.legal_aid_secured", "2019-11", "Legal aid granted.", None),
    ("engagement.contact", "2019-12-02", "Met her advocate.", {"mode": "in_person"}),
    (
        "transition.service_ended",
        "2020-03",
        "Support from the safe house ended.",
        {"service": "safe house"},
    ),
)


def open_journey(journeys: CaseJourneys) -> UUID:
    case_id = journeys.open_case(
        reference="PURPOSE-T1",
        organisation_id="org-south",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    for kind, occurred, summary, details in JOURNEY:
        journeys.record_step(
            case_id, StepInput(kind, occurred, summary, details), recorded_by=ADVOCATE
        )
    return case_id


def chronology(
    journeys: CaseJourneys, case_id: UUID, purpose: Purpose, **options: Any
) -> Chronology:
    return chronology_of(journeys.case_events(case_id), purpose=purpose, **options)


def left_out_by_reason(chronology: Chronology) -> dict[LeftOutReason, int]:
    return {entry.reason: entry.steps for entry in chronology.selection.left_out}


def kinds(chronology: Chronology) -> set[str]:
    return {row.current.kind for row in chronology.rows}


@pytest.mark.parametrize("purpose", list(Purpose))
def test_every_purpose_states_its_selection_and_accounts_for_every_step(
    journeys: CaseJourneys, purpose: Purpose
) -> None:
    case_id = open_journey(journeys)

    served = chronology(journeys, case_id, purpose)

    statement = served.selection
    assert statement.purpose is purpose and statement.includes
    # Every step is either on the chronology or counted under a stated reason.
    assert len(served.rows) + statement.steps_left_out == len(JOURNEY)
    for entry in statement.left_out:
        assert entry.why.endswith(".") and (entry.areas or entry.kinds)
    shown_areas = {row.area for row in served.rows}
    assert shown_areas <= set(statement.included_areas)


def test_the_full_chronology_leaves_nothing_out(journeys: CaseJourneys) -> None:
    case_id = open_journey(journeys)

    full = chronology(journeys, case_id, Purpose.FULL)

    assert len(full.rows) == len(JOURNEY)
    assert full.selection.left_out == ()
    assert full.selection.includes == (
        "Every step on record, in every area of the journey."
    )


def test_the_cica_chronology_carries_what_the_claim_rests_on_own_convictions_too(
    journeys: CaseJourneys,
) -> None:
    case_id = open_journey(journeys)

    cica = chronology(journeys, case_id, Purpose.CICA)

    assert {
        "harm.incident",
        "harm.injury",
        "health.diagnosis",
        "compensation.loss",
        "criminal_justice.crime_reported",
        "criminal_justice.cooperation_stopped",
        "criminal_justice.verdict",
        # Her own conviction can reduce or bar an award: the claim rests on it.
        "own_conviction.convicted",
        "nrm.conclusive_grounds_decision",
        "immigration.decision",
        "compensation.cica_application_submitted",
    } <= kinds(cica)
    assert left_out_by_reason(cica) == {
        LeftOutReason.RECOVERY_SUPPORT: 3,
        LeftOutReason.LEGAL_ADVICE: 2,
        LeftOutReason.ADVOCATE_CONTACT: 1,
    }
    assert "survivor's own too" in cica.selection.includes


def test_a_criminal_trial_chronology_keeps_immigration_and_names_what_it_leaves_out(
    journeys: CaseJourneys,
) -> None:
    case_id = open_journey(journeys)

    trial = chronology(journeys, case_id, Purpose.CRIMINAL_TRIAL)

    # The defence may say a claim for status or money bears on motive.
    assert {
        "immigration.asylum_claim_lodged",
        "immigration.decision",
        "compensation.cica_application_submitted",
        "criminal_justice.cooperation_stopped",
        "own_conviction.convicted",
    } <= kinds(trial)
    assert "motive and credibility" in trial.selection.includes
    # The immigration advice itself is privileged: left out, and said so.
    assert "immigration.advice_accessed" not in kinds(trial)
    (legal,) = [
        entry
        for entry in trial.selection.left_out
        if entry.reason is LeftOutReason.LEGAL_ADVICE
    ]
    assert legal.steps == 2
    assert legal.kinds == ("immigration.advice_accessed",)
    assert "privileged" in legal.why


def test_an_immigration_chronology_keeps_the_advice_and_the_police_cooperation(
    journeys: CaseJourneys,
) -> None:
    case_id = open_journey(journeys)

    immigration = chronology(journeys, case_id, Purpose.IMMIGRATION)

    assert {
        "immigration.advice_accessed",
        "criminal_justice.cooperation_stopped",
        "compensation.cica_application_submitted",
    } <= kinds(immigration)
    assert left_out_by_reason(immigration)[LeftOutReason.LEGAL_ADVICE] == 1


def test_what_changed_since_counts_only_the_changed_steps_it_leaves_out(
    journeys: CaseJourneys,
) -> None:
    case_id = open_journey(journeys)
    served_at = journeys.case_events(case_id)[-1].timestamp
    journeys.record_step(
        case_id,
        StepInput(
            "housing.accommodation_secured",
            "2021-11",
            "Moved.",
            {"tenure": "permanent"},
        ),
        recorded_by=ADVOCATE,
    )

    changed = chronology(journeys, case_id, Purpose.CICA, changed_since=served_at)

    assert changed.rows == ()
    assert left_out_by_reason(changed)[LeftOutReason.RECOVERY_SUPPORT] == 1
    assert changed.selection.steps_left_out == 1


def test_a_row_or_other_version_without_a_source_says_no_source_recorded(
    journeys: CaseJourneys,
) -> None:
    case_id = journeys.open_case(
        reference="SOURCE-T1",
        organisation_id="org-south",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    letter = journeys.attach_evidence(
        case_id,
        title="Home Office CG decision letter",
        document_kind="letter",
        bundle_ref="B/20",
        recorded_by=ADVOCATE,
    ).id
    unsourced = journeys.record_step(
        case_id,
        StepInput("nrm.referred", "2020-01", "Referred into the NRM."),
        recorded_by=ADVOCATE,
    ).id
    journeys.record_step(
        case_id,
        StepInput(
            "nrm.conclusive_grounds_decision",
            "2020-09-01",
            "Positive conclusive grounds decision.",
            {"outcome": "positive"},
            [
                {"document": str(letter), "pin": "p. 2"},
                {"document": "First responder's note", "pin": None},
            ],
        ),
        recorded_by=ADVOCATE,
    )
    journeys.dispute_step(
        case_id,
        unsourced,
        disputed_by="The first responder",
        other_version="The referral was made in February 2020.",
        recorded_by=ADVOCATE,
    )

    referred, decided = chronology(journeys, case_id, Purpose.FULL).rows

    assert NO_SOURCE_RECORDED == "No source recorded"
    assert referred.current.citation == "No source recorded"
    assert referred.disputes[0].citation == "No source recorded"
    assert decided.current.citation == (
        "Home Office CG decision letter, p. 2 [B/20]; First responder's note"
    )


def test_a_chronology_as_at_a_past_moment_states_the_selection_as_it_stood(
    journeys: CaseJourneys,
) -> None:
    case_id = open_journey(journeys)
    before: datetime = journeys.case_events(case_id)[-1].timestamp
    journeys.record_step(
        case_id,
        StepInput("engagement.contact", "2021-12-01", "Phoned.", {"mode": "phone"}),
        recorded_by=ADVOCATE,
    )

    then = chronology_of(
        journeys.case_events(case_id, until=before),
        purpose=Purpose.CICA,
        as_at=before,
    )
    now = chronology(journeys, case_id, Purpose.CICA)

    assert left_out_by_reason(then)[LeftOutReason.ADVOCATE_CONTACT] == 1
    assert left_out_by_reason(now)[LeftOutReason.ADVOCATE_CONTACT] == 2

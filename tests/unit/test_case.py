from copy import deepcopy
from datetime import date

from domain.case import CASE_EVENTS, Provenance, SurvivorCase
from domain.steps import StepReading


def test_a_case_copy_shares_no_mutable_state_with_the_original() -> None:
    case = SurvivorCase.open(
        reference="COPY-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        local_authority=None,
        opened_on=date(2026, 11, 2),
        by=Provenance("advocate-elm"),
    )
    clone = deepcopy(case)
    reading = StepReading.from_input(
        kind="nrm.referred",
        occurred="2019",
        summary="Referred",
        details={},
        sources=[],
        order=None,
        today=date(2026, 11, 26),
    )
    clone.record_step(reading, Provenance("advocate-elm"))
    clone.give_consent(
        "evaluation", None, date(2026, 11, 3), Provenance("advocate-elm")
    )
    assert (case.steps, case.consents, case.version) == ({}, set(), 1)
    assert case.consent_days == {}
    assert len(case.pending_events) == 1 and len(clone.pending_events) == 3


def test_every_case_event_is_stored_under_the_topic_that_names_it() -> None:
    # Topics are persisted contracts: a class may move or be renamed, its
    # topic may not; this pins today's names so a rename shows in review.
    assert {event.TOPIC for event in CASE_EVENTS} == {
        f"waymark.case:{name}"
        for name in (
            "CaseOpened",
            "DateOfBirthRecorded",
            "AdvocateAssigned",
            "ConsentGiven",
            "ConsentWithdrawn",
            "StepRecorded",
            "StepCorrected",
            "StepRetracted",
            "StepDisputed",
            "EvidenceAttached",
            "CaseTransferred",
            "CaseClosed",
            "CaseReopened",
            "BundleVersionRecorded",
            "ChronologyServed",
            "StepSensitivityMarked",
            "CounselShared",
            "ShareRevoked",
        )
    }
    assert SurvivorCase.TOPIC == "waymark.case:SurvivorCase"  # type: ignore[attr-defined]

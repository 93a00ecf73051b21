"""The deadlines reader's warm folds, and what they were judged into, always
equal a fold of the whole stream judged afresh."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from domain.application import CaseJourneys, StepInput
from domain.clocks import DEFAULT_RULES
from domain.errors import CaseNotFound
from projections.deadlines import DeadlinesReader, deadlines_of
from tests.conftest import TODAY

ADVOCATE = "advocate-rowan"
ERASURE_GROUND = "erasure_request"


def opened(
    journeys: CaseJourneys, reference: str, jurisdiction: str = "england_and_wales"
) -> UUID:
    return journeys.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction=jurisdiction,
        recorded_by=ADVOCATE,
    ).case_id


def test_warm_clocks_pick_up_every_later_change(journeys: CaseJourneys) -> None:
    reader = DeadlinesReader(journeys, warm_cases=1)
    case_id = opened(journeys, "CLOCKS-1")
    journeys.record_step(
        case_id,
        StepInput(
            "harm.incident",
            "2019",
            "Assaulted by the person who exploited her",
            {"offences": ["assault occasioning actual bodily harm"]},
        ),
        recorded_by=ADVOCATE,
    )
    first = reader.deadlines(case_id, TODAY)
    assert first == deadlines_of(journeys.case_events(case_id), TODAY)
    assert reader.deadlines(case_id, TODAY) is first  # unchanged: not judged again
    before_application = datetime.now(UTC)

    journeys.record_step(
        case_id,
        StepInput(
            "compensation.cica_application_submitted",
            "2022-03-10",
            "Application made to CICA with her advocate",
        ),
        recorded_by=ADVOCATE,
    )
    warm = reader.deadlines(case_id, TODAY)
    assert warm != first
    assert warm == deadlines_of(journeys.case_events(case_id), TODAY)
    earlier = date(2020, 6, 1)
    assert reader.deadlines(case_id, earlier) == deadlines_of(
        journeys.case_events(case_id), earlier
    )
    assert reader.deadlines(case_id, TODAY, as_at=before_application) == first
    assert reader.deadlines(case_id, TODAY, rules=DEFAULT_RULES) == warm

    # Another case pushes this one out of the warm set; it is folded afresh.
    other = opened(journeys, "CLOCKS-2", "scotland")
    reader.deadlines(other, TODAY)
    assert reader.deadlines(case_id, TODAY) == warm


def test_the_clocks_of_a_case_that_does_not_exist_are_not_found(
    journeys: CaseJourneys,
) -> None:
    with pytest.raises(CaseNotFound):
        DeadlinesReader(journeys).deadlines(uuid4(), TODAY)


def test_an_erased_cases_fold_is_dropped_at_the_next_read(
    journeys: CaseJourneys,
) -> None:
    """Nothing is served after erasure in any case (its events cannot be read):
    the decrypted fold itself must not stay in memory until evicted."""
    reader = DeadlinesReader(journeys)
    case_id = opened(journeys, "CLOCKS-3")
    reader.deadlines(case_id, TODAY)
    assert case_id in reader._folds._folds

    journeys.erase_case(case_id, ERASURE_GROUND, erased_by="manager-1")

    with pytest.raises(CaseNotFound):
        reader.deadlines(case_id, TODAY)
    assert case_id not in reader._folds._folds

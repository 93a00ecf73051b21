"""The reader's warm folds always equal a fold of the whole stream."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.application import CaseJourneys, StepInput
from domain.errors import CaseNotFound
from projections.chronology import ChronologyReader, Purpose, chronology_of

ADVOCATE = "advocate-birch"


def test_a_warm_chronology_picks_up_every_later_change(journeys: CaseJourneys) -> None:
    reader = ChronologyReader(journeys, warm_cases=1)
    case_id = journeys.open_case(
        reference="READER-1",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    referred = journeys.record_step(
        case_id, StepInput("nrm.referred", "2019", "Referred"), recorded_by=ADVOCATE
    ).id
    first = reader.chronology(case_id)
    assert [row.current.summary for row in first.rows] == ["Referred"]
    assert reader.chronology(case_id) is first  # unchanged: not frozen again
    before_correction = datetime.now(UTC)

    journeys.correct_step(
        case_id,
        referred,
        StepInput("nrm.referred", "2018-12", "Referred by police"),
        reason="The referral form is dated December 2018",
        recorded_by=ADVOCATE,
    )
    journeys.record_step(
        case_id,
        StepInput(
            "engagement.contact",
            "2020-01-06",
            "Met at the office",
            {"mode": "in_person"},
        ),
        recorded_by=ADVOCATE,
    )
    warm = reader.chronology(case_id)
    assert warm != first
    assert warm == chronology_of(journeys.case_events(case_id))
    assert reader.chronology(case_id, purpose=Purpose.CICA) == chronology_of(
        journeys.case_events(case_id), purpose=Purpose.CICA
    )
    assert reader.chronology(case_id, as_at=before_correction).rows == first.rows

    # Another case pushes this one out of the warm set; it is folded afresh.
    other = journeys.open_case(
        reference="READER-2",
        organisation_id="org-north",
        jurisdiction="scotland",
        recorded_by=ADVOCATE,
    ).case_id
    reader.chronology(other)
    assert reader.chronology(case_id) == warm


def test_the_chronology_of_a_case_that_does_not_exist_is_not_found(
    journeys: CaseJourneys,
) -> None:
    with pytest.raises(CaseNotFound):
        ChronologyReader(journeys).chronology(uuid4())

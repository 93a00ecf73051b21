"""The caseload projection's handlers: what each case event changes, read from the
event alone (in-memory store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.application import CaseJourneys, StepInput
from domain.case import CaseEvent
from domain.dates import uk_day
from domain.vocabulary import STEP_KINDS
from projections.caseload import CaseloadProjection
from projections.caseload.clocks import StoredStep, fact_of, summarise
from projections.caseload.view import (
    AdvocateChanged,
    AreaForgotten,
    AreaNoted,
    BornNoted,
    CaseAdded,
    ContactForgotten,
    ContactNoted,
    MarkedClosed,
    MarkedReopened,
    OrganisationChanged,
    StepForgotten,
    StepNoted,
    clocked,
    touched,
)
from projections.tracking.rounds import in_rounds

BY = "adv-north-01"


class NoView:
    """The handlers never touch the view."""


@pytest.fixture
def projection() -> CaseloadProjection:
    return CaseloadProjection(NoView())  # type: ignore[arg-type]


#: The day advocacy began, a week before the case was entered.
BEGAN = date(2026, 11, 19)


def opened(journeys: CaseJourneys) -> UUID:
    return journeys.open_case(
        reference="UNIT-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        local_authority="Glasgow",
        opened_on=BEGAN,
        recorded_by=BY,
    ).case_id


def last_event(journeys: CaseJourneys, case_id: UUID) -> CaseEvent:
    return journeys.case_events(case_id)[-1]


def step(
    journeys: CaseJourneys,
    case_id: UUID,
    kind: str,
    occurred: str | None,
    **details: Any,
) -> CaseEvent:
    journeys.record_step(
        case_id, StepInput(kind, occurred, "Summary", details or None), recorded_by=BY
    )
    return last_event(journeys, case_id)


def test_opening_a_case_adds_its_row_from_the_day_advocacy_began(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    case_id = opened(memory_journeys)
    event = last_event(memory_journeys, case_id)

    (added,) = projection.case_changes(event)

    assert added == CaseAdded(
        case_id,
        "UNIT-1",
        "org-north",
        "scotland",
        "Glasgow",
        event.timestamp,
        BEGAN,
    )


def test_case_level_facts_become_their_changes(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    case_id = opened(memory_journeys)
    journeys = memory_journeys
    journeys.assign_advocate(case_id, "adv-7", recorded_by=BY)
    assigned = last_event(journeys, case_id)
    journeys.transfer_case(case_id, "org-south", reason="Moved.", recorded_by=BY)
    transferred = last_event(journeys, case_id)
    journeys.close_case(case_id, reason="Ended.", recorded_by=BY)
    closed = last_event(journeys, case_id)
    journeys.reopen_case(case_id, reason="Back.", recorded_by=BY)
    reopened = last_event(journeys, case_id)

    assert projection.case_changes(assigned) == [
        AdvocateChanged(case_id, "adv-7", assigned.timestamp)
    ]
    assert projection.case_changes(transferred) == [
        OrganisationChanged(case_id, "org-south", "org-north", transferred.timestamp)
    ]
    assert projection.case_changes(closed) == [MarkedClosed(case_id, closed.timestamp)]
    assert projection.case_changes(reopened) == [
        MarkedReopened(case_id, uk_day(reopened.timestamp))
    ]


def test_facts_a_caseload_does_not_show_change_nothing(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    journeys = memory_journeys
    case_id = opened(journeys)
    journeys.give_consent(case_id, "evaluation", recorded_by=BY)
    journeys.attach_evidence(
        case_id, title="Letter", document_kind="letter", recorded_by=BY
    )
    referred = step(journeys, case_id, "nrm.referred", "2024-03")
    journeys.dispute_step(
        case_id,
        referred.step_id,  # type: ignore[attr-defined]
        disputed_by="the Home Office",
        other_version="Referred in April.",
        recorded_by=BY,
    )

    for event in journeys.case_events(case_id)[1:]:
        assert list(projection.case_changes(event)) == []


def test_a_contact_counts_from_its_earliest_possible_day(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    case_id = opened(memory_journeys)
    cases = {
        "2026-03-14": date(2026, 3, 14),
        "2026-03": date(2026, 3, 1),
        "2025-21": date(2025, 3, 1),  # spring 2025
        "2026-02/2026-03": date(2026, 2, 1),
        "../2026-03-14": None,  # no earliest day: not a last contact
        None: None,
    }
    for occurred, expected in cases.items():
        event = step(
            memory_journeys, case_id, "engagement.contact", occurred, mode="video"
        )
        (noted,) = projection.case_changes(event)
        assert noted == ContactNoted(
            case_id,
            event.step_id,
            expected,
            event.timestamp,  # type: ignore[attr-defined]
        ), occurred


def test_a_move_counts_from_its_earliest_day_else_its_latest_else_when_recorded(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    case_id = opened(memory_journeys)
    dated = step(
        memory_journeys,
        case_id,
        "transition.moved_area",
        "2026-04",
        local_authority="Leeds",
        jurisdiction="england_and_wales",
    )
    open_start = step(
        memory_journeys,
        case_id,
        "transition.moved_area",
        "../2026-05-02",
        local_authority="Bradford",
    )
    undated = step(
        memory_journeys, case_id, "transition.moved_area", None, local_authority="York"
    )

    (to_leeds,) = projection.case_changes(dated)
    (to_bradford,) = projection.case_changes(open_start)
    (to_york,) = projection.case_changes(undated)

    assert isinstance(to_leeds, AreaNoted)
    assert (to_leeds.on, to_leeds.local_authority, to_leeds.jurisdiction) == (
        date(2026, 4, 1),
        "Leeds",
        "england_and_wales",
    )
    assert to_leeds.version == dated.originator_version
    assert isinstance(to_bradford, AreaNoted)
    assert (to_bradford.on, to_bradford.jurisdiction) == (date(2026, 5, 2), None)
    assert isinstance(to_york, AreaNoted)
    assert to_york.on == uk_day(undated.timestamp)


def test_a_move_stored_before_moves_could_name_a_jurisdiction_is_read_upgraded(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    case_id = opened(memory_journeys)
    event = step(
        memory_journeys,
        case_id,
        "transition.moved_area",
        "2020",
        local_authority="Leeds",
    )
    reading = dict(event.reading)  # type: ignore[attr-defined]
    reading["kind_version"] = 1
    reading["details"] = {"local_authority": "Leeds"}
    old = replace(event, reading=reading)  # type: ignore[type-var]

    (noted,) = projection.case_changes(old)

    assert isinstance(noted, AreaNoted)
    assert (noted.local_authority, noted.jurisdiction) == ("Leeds", None)


def test_a_correction_or_retraction_replaces_what_the_step_was(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    journeys = memory_journeys
    case_id = opened(journeys)
    recorded = step(journeys, case_id, "engagement.contact", "2026-01-05", mode="phone")
    step_id = recorded.step_id  # type: ignore[attr-defined]
    journeys.correct_step(
        case_id,
        step_id,
        StepInput(
            "transition.moved_area", "2026-01-05", "Moved", {"local_authority": "Hull"}
        ),
        reason="It was the move, not a call.",
        recorded_by=BY,
    )
    corrected = last_event(journeys, case_id)
    journeys.retract_step(case_id, step_id, reason="Wrong case.", recorded_by=BY)
    retracted = last_event(journeys, case_id)

    forget_contact, note_move = projection.case_changes(corrected)
    assert forget_contact == ContactForgotten(case_id, step_id)
    assert isinstance(note_move, AreaNoted) and note_move.local_authority == "Hull"
    assert projection.case_changes(retracted) == [
        ContactForgotten(case_id, step_id),
        AreaForgotten(case_id, step_id),
    ]
    assert touched(
        [*projection.case_changes(corrected), *projection.case_changes(retracted)]
    ) == [case_id]


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["contact", "forget", "move"])),
        max_size=40,
    )
)
def test_changes_grouped_for_writing_keep_each_cases_order(
    script: list[tuple[int, str]],
) -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    made = {
        "contact": lambda case, n: ContactNoted(case, UUID(int=n), None, moment),
        "forget": lambda case, n: ContactForgotten(case, UUID(int=n)),
        "move": lambda case, n: AreaForgotten(case, UUID(int=n)),
    }
    changes = [
        made[kind](UUID(int=1000 + case), n) for n, (case, kind) in enumerate(script)
    ]

    groups = in_rounds(changes)

    written = [change for _, batch in groups for change in batch]
    assert sorted(written, key=changes.index) == changes
    for kind, batch in groups:
        assert all(type(change) is kind for change in batch)
    for case in {change.case_id for change in changes}:
        assert [c for c in written if c.case_id == case] == [
            c for c in changes if c.case_id == case
        ]


# What the legal clocks need: every step's kind, the clock steps' readings, the
# date of birth; the view judges the clocks from them.


def test_each_step_is_noted_for_the_clocks_and_warnings_read_from_the_event(
    memory_journeys: CaseJourneys, projection: CaseloadProjection
) -> None:
    journeys = memory_journeys
    case_id = opened(journeys)
    contact = step(journeys, case_id, "engagement.contact", "2026-01-05", mode="phone")
    referred = step(journeys, case_id, "nrm.referred", "2026-01")
    journeys.record_date_of_birth(case_id, "2009-05", recorded_by=BY)
    born = last_event(journeys, case_id)
    journeys.retract_step(
        case_id,
        referred.step_id,  # type: ignore[attr-defined]
        reason="Wrong case.",
        recorded_by=BY,
    )
    retracted = last_event(journeys, case_id)

    (not_a_clock,) = projection.clock_changes(contact)
    assert not_a_clock == StepNoted(
        case_id,
        contact.step_id,  # type: ignore[attr-defined]
        "engagement.contact",
        contact.originator_version,
        None,
    )
    (noted,) = projection.clock_changes(referred)
    assert isinstance(noted, StepNoted) and noted.kind == "nrm.referred"
    assert noted.fact is not None and '"earliest": "2026-01-01"' in noted.fact
    (birth,) = projection.clock_changes(born)
    assert isinstance(birth, BornNoted) and '"edtf": "2009-05"' in birth.born
    assert projection.clock_changes(retracted) == [
        StepForgotten(case_id, referred.step_id)  # type: ignore[attr-defined]
    ]
    assert clocked([*projection.changes(referred), *projection.changes(retracted)]) == [
        case_id
    ]


def test_a_case_with_nothing_stopped_keeps_its_deadlines_open_and_counts_warnings() -> (
    None
):
    case_id, decision, granted = uuid4(), uuid4(), uuid4()

    def stored(
        step_id: UUID, kind: str, day: str, sequence: int, **details: Any
    ) -> StoredStep:
        reading = {
            "kind": kind,
            "kind_version": STEP_KINDS[kind].version,
            "occurred": {
                "edtf": day,
                "earliest": date.fromisoformat(day),
                "latest": date.fromisoformat(day),
                "display": day,
            },
            "summary": "s",
            "details": details,
            "sources": [],
            "order": None,
        }
        return StoredStep(step_id, kind, sequence, False, fact_of(reading))

    steps = [
        stored(
            decision,
            "compensation.cica_review_decision",
            "2026-01-05",
            1,
            outcome="refused",
            amount=None,
        ),
        stored(
            granted,
            "compensation.tribunal_extension_granted",
            "2026-05-01",
            2,
            until="2026-06-30",
        ),
    ]

    clocks, summary = summarise(case_id, "england_and_wales", None, steps)

    (appeal,) = clocks
    assert (appeal.clock, appeal.due_on, appeal.extended, appeal.deadline) == (
        "tribunal_appeal",
        date(2026, 6, 30),
        True,
        True,
    )
    assert (summary.next_deadline_on, summary.next_deadline_clock) == (
        date(2026, 6, 30),
        "tribunal_appeal",
    )
    # A review decision with no review request on record, and a grant with no
    # request for it: one warning each, as the chronology would show.
    assert summary.open_warnings == 2

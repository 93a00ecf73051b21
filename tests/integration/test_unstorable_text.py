"""Nothing the log holds stops a view: an old event with a NUL in its text.

Commands refuse control characters now, but an older release took them, and
the log keeps what it took. PostgreSQL ``text`` cannot hold a NUL, so such an
event once stopped the PostgreSQL caseload view at every catch-up and rebuild.
Views store it with U+FFFD in the NUL's place, on every store alike; the log
itself is untouched. Every case is synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest

from api.bootstrap import ProjectionSettings, Views, build_views
from api.settings import Settings
from domain.application import CaseJourneys
from domain.case import (
    AdvocateAssigned,
    CaseEvent,
    CaseOpened,
    ConsentGiven,
    Provenance,
    StepRecorded,
    SurvivorCase,
)
from domain.hashchain import GENESIS
from tests.conftest import TODAY

BY = Provenance("adv-north-01")
NUL = "\x00"


def _as_an_old_release_recorded(journeys: CaseJourneys) -> UUID:
    """Saves, past every command's checks, a case whose text holds NULs."""
    case = SurvivorCase._create(
        CaseOpened,
        id=uuid4(),
        reference=f"OLD{NUL}1",
        organisation_id="org-north",
        jurisdiction="scotland",
        local_authority=f"Glas{NUL}gow",
        opened_on=TODAY,
        recorded_by=BY.recorded_by,
        previous_hash=GENESIS,
        idempotency_key=None,
        command_digest=None,
    )
    trigger = case._trigger

    trigger(ConsentGiven, BY, purpose="evaluation", note=f"said{NUL}so", given_on=TODAY)
    trigger(
        AdvocateAssigned,
        BY,
        advocate_id=f"adv{NUL}north",
        previous_advocate_id=None,
        note=None,
    )
    trigger(
        StepRecorded,
        BY,
        step_id=uuid4(),
        reading={
            "kind": "transition.moved_area",
            "kind_version": 2,
            "occurred": None,
            "summary": f"Moved{NUL}",
            "details": {"local_authority": f"Fi{NUL}fe", "jurisdiction": None},
            "sources": [],
            "order": None,
        },
    )
    journeys.save(case)
    return case.id


@pytest.fixture
def views(settings: Settings, journeys: CaseJourneys) -> Iterator[Views]:
    views = build_views(settings, journeys, ProjectionSettings(in_process=False))
    try:
        yield views
    finally:
        views.close()


def test_an_old_event_with_a_nul_neither_stops_a_view_nor_its_rebuild(
    journeys: CaseJourneys, views: Views
) -> None:
    old = _as_an_old_release_recorded(journeys)
    later = journeys.open_case(
        reference="NEW-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        recorded_by=BY.recorded_by,
    )
    log = journeys.log_position()

    for rebuilding in (False, True):
        for worker in views.workers:
            (worker.rebuild if rebuilding else worker.catch_up)()
            assert worker.position() == log, (worker.name, rebuilding)
        rows = {
            entry.case_id: entry
            for entry in views.caseload.caseload(organisation_id="org-north")
        }
        assert set(rows) == {old, later.id}
        assert rows[old].reference == "OLD\ufffd1"
        assert rows[old].advocate_id == "adv\ufffdnorth"
        assert rows[old].local_authority == "Fi\ufffdfe"
        assert views.evaluation.snapshot(fresh=True).position == log

    # The log keeps what it holds.
    opened = journeys.case_events(old)[0]
    assert isinstance(opened, CaseEvent) and isinstance(opened, CaseOpened)
    assert opened.reference == f"OLD{NUL}1"

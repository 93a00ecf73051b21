"""The caseload, materialised with exactly-once tracking, on the in-memory, SQLite
and PostgreSQL stores.

An advocate's caseload follows cases through hand-overs, transfers between
organisations and moves of area, and shows which have drifted: open cases with no
contact for N days. The view resumes from its own position, never processes a
notification twice, and rebuilt from scratch equals the live one.

"Today" in these tests is 400 days after the cases were opened (the log's own
timestamps are real), so a case can have been quiet for longer than the drift
window. Every case and fact is synthetic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from api.bootstrap import ProjectionSettings, Views, build_views
from api.settings import Settings
from domain.application import CaseJourneys, CommandResult, StepInput
from domain.case import Jurisdiction
from domain.clocks import ClockStatus, is_working_day
from domain.clocks.calendar import next_working_day
from domain.dates import UK
from projections.caseload import (
    CaseloadEntry,
    CaseloadProjection,
    CaseloadReader,
    NotYetProjected,
)
from projections.caseload.view import CaseAdded, MarkedClosed, MarkedReopened
from projections.chronology import chronology_of
from projections.deadlines import deadlines_of
from projections.tracking import ProjectionWorker, store_kind

DAY = datetime.now(UK).date() + timedelta(days=400)
BY = "adv-north-01"


#: How long a read-your-writes query may wait in these tests: generous, so a busy
#: machine slows the tests rather than failing them.
PATIENCE = 15.0


@pytest.fixture
def today() -> Callable[[], date]:
    return lambda: DAY


@pytest.fixture
def views(settings: Settings, journeys: CaseJourneys) -> Iterator[Views]:
    views = build_views(
        settings, journeys, ProjectionSettings(in_process=True, wait_seconds=PATIENCE)
    )
    try:
        yield views
    finally:
        views.close()


@pytest.fixture
def caseload(views: Views) -> CaseloadReader:
    return views.caseload


@pytest.fixture
def worker(views: Views) -> ProjectionWorker:
    return views.workers[0]


def ago(days: int) -> str:
    return (DAY - timedelta(days=days)).isoformat()


def open_case(
    journeys: CaseJourneys,
    reference: str,
    *,
    organisation_id: str = "org-north",
    jurisdiction: str = "england_and_wales",
    local_authority: str | None = "Northtown",
    advocate_id: str | None = BY,
) -> UUID:
    case_id = journeys.open_case(
        reference=reference,
        organisation_id=organisation_id,
        jurisdiction=jurisdiction,
        local_authority=local_authority,
        # Advocacy began 400 days before the tests' today: on the real today.
        opened_on=DAY - timedelta(days=400),
        recorded_by=BY,
    ).case_id
    if advocate_id is not None:
        journeys.assign_advocate(case_id, advocate_id, recorded_by=BY)
    return case_id


def contact(
    journeys: CaseJourneys, case_id: UUID, occurred: str | None, mode: str = "phone"
) -> CommandResult:
    return journeys.record_step(
        case_id,
        StepInput(
            "engagement.contact", occurred, "Spoke with the survivor", {"mode": mode}
        ),
        recorded_by=BY,
    )


def move(
    journeys: CaseJourneys,
    case_id: UUID,
    occurred: str | None,
    local_authority: str,
    jurisdiction: str | None = None,
) -> CommandResult:
    details: dict[str, Any] = {"local_authority": local_authority}
    if jurisdiction is not None:
        details["jurisdiction"] = jurisdiction
    return journeys.record_step(
        case_id,
        StepInput("transition.moved_area", occurred, "Moved to new housing", details),
        recorded_by=BY,
    )


def entry(
    caseload: CaseloadReader, journeys: CaseJourneys, case_id: UUID
) -> CaseloadEntry:
    caseload.position(at_least=journeys.log_position())
    found = caseload.view.entry(case_id)
    assert found is not None
    return found


def references(entries: Sequence[CaseloadEntry]) -> list[str]:
    return [e.reference for e in entries]


def everything(caseload: CaseloadReader) -> list[CaseloadEntry]:
    return sorted(
        caseload.view.caseload(include_closed=True), key=lambda e: str(e.case_id)
    )


# Caseloads


def test_an_organisations_caseload_lists_its_open_cases_longest_quiet_first(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    quiet = open_case(journeys, "NORTH-QUIET")
    contact(journeys, quiet, ago(60))
    busy = open_case(journeys, "NORTH-BUSY", advocate_id="adv-north-02")
    contact(journeys, busy, ago(40))
    contact(journeys, busy, ago(3))
    never = open_case(journeys, "NORTH-NEVER")
    open_case(
        journeys, "SOUTH-1", organisation_id="org-south", advocate_id="adv-south-01"
    )
    caseload.position(at_least=journeys.log_position())

    north = caseload.caseload(organisation_id="org-north")

    assert references(north) == ["NORTH-NEVER", "NORTH-QUIET", "NORTH-BUSY"]
    by_reference = {e.reference: e for e in north}
    assert by_reference["NORTH-BUSY"].last_contact_on == DAY - timedelta(days=3)
    assert caseload.days_since(by_reference["NORTH-BUSY"].last_contact_on) == 3
    assert by_reference["NORTH-QUIET"].last_contact_on == DAY - timedelta(days=60)
    assert by_reference["NORTH-NEVER"].last_contact_on is None
    assert by_reference["NORTH-NEVER"].quiet_since == DAY - timedelta(days=400)
    assert caseload.days_since(by_reference["NORTH-NEVER"].last_contact_on) is None
    assert references(caseload.caseload(advocate_id=BY)) == [
        "NORTH-NEVER",
        "NORTH-QUIET",
    ]
    assert {e.case_id for e in north} == {quiet, busy, never}
    noted = by_reference["NORTH-BUSY"]
    assert noted.last_contact_recorded_at is not None
    assert noted.last_contact_recorded_at >= noted.opened_at
    assert (noted.organisation_id, noted.jurisdiction, noted.local_authority) == (
        "org-north",
        "england_and_wales",
        "Northtown",
    )


def test_a_contact_known_only_to_the_month_counts_from_its_first_day_and_an_undated_one_not_at_all(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "JIN-C1")
    month = (DAY - timedelta(days=90)).strftime("%Y-%m")
    contact(journeys, case_id, month)
    contact(journeys, case_id, None)

    found = entry(caseload, journeys, case_id)

    assert found.last_contact_on == date.fromisoformat(f"{month}-01")


def test_a_corrected_or_retracted_contact_changes_the_last_contact(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "MAUREEN-C1")
    contact(journeys, case_id, ago(30))
    latest = contact(journeys, case_id, ago(2)).id
    assert entry(caseload, journeys, case_id).last_contact_on == DAY - timedelta(days=2)
    first_recorded = entry(caseload, journeys, case_id).last_contact_recorded_at

    journeys.correct_step(
        case_id,
        latest,
        StepInput("engagement.contact", ago(5), "Spoke by phone", {"mode": "phone"}),
        reason="The call log gives the date.",
        recorded_by=BY,
    )
    corrected = entry(caseload, journeys, case_id)
    assert corrected.last_contact_on == DAY - timedelta(days=5)
    assert corrected.last_contact_recorded_at == first_recorded

    journeys.correct_step(
        case_id,
        latest,
        StepInput("housing.advocacy", ago(5), "Called the housing officer"),
        reason="It was a call about the survivor, not with her.",
        recorded_by=BY,
    )
    assert entry(caseload, journeys, case_id).last_contact_on == DAY - timedelta(
        days=30
    )

    older = [
        r for r in journeys.case_events(case_id) if type(r).__name__ == "StepRecorded"
    ]
    journeys.retract_step(
        case_id, older[0].step_id, reason="Recorded on the wrong case.", recorded_by=BY
    )
    gone = entry(caseload, journeys, case_id)
    assert gone.last_contact_on is None
    assert gone.last_contact_recorded_at is None


# Continuity


def test_a_hand_over_moves_the_case_to_the_new_advocate_with_its_last_contact(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "JIN-H1")
    contact(journeys, case_id, ago(12))

    journeys.assign_advocate(
        case_id, "adv-north-07", note="Caseload rebalanced", recorded_by=BY
    )
    caseload.position(at_least=journeys.log_position())

    assert caseload.caseload(advocate_id=BY) == []
    (handed,) = caseload.caseload(advocate_id="adv-north-07")
    assert handed.case_id == case_id
    assert handed.last_contact_on == DAY - timedelta(days=12)
    assert (
        handed.advocate_since is not None and handed.advocate_since > handed.opened_at
    )


def test_a_transferred_case_joins_the_new_organisations_caseload_with_its_history(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "FORT-T1")
    contact(journeys, case_id, ago(20))

    journeys.transfer_case(
        case_id, "org-south", reason="The survivor moved south.", recorded_by=BY
    )
    caseload.position(at_least=journeys.log_position())

    assert caseload.caseload(organisation_id="org-north") == []
    (moved,) = caseload.caseload(organisation_id="org-south")
    assert moved.case_id == case_id
    assert moved.transferred_from == "org-north"
    assert moved.transferred_at is not None
    assert moved.last_contact_on == DAY - timedelta(days=20)
    assert moved.opened_at == journeys.case_summary(case_id).opened_at

    journeys.assign_advocate(case_id, "adv-south-03", recorded_by=BY)
    contact(journeys, case_id, ago(1))
    caseload.position(at_least=journeys.log_position())
    (kept,) = caseload.caseload(organisation_id="org-south", advocate_id="adv-south-03")
    assert kept.last_contact_on == DAY - timedelta(days=1)


def test_a_move_of_area_changes_the_local_authority_and_a_named_jurisdiction(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(
        journeys, "JIN-M1", jurisdiction="scotland", local_authority="Glasgow"
    )
    to_leeds = move(journeys, case_id, ago(100), "Leeds", "england_and_wales").id
    moved = entry(caseload, journeys, case_id)
    assert (moved.jurisdiction, moved.local_authority) == ("england_and_wales", "Leeds")

    move(journeys, case_id, ago(50), "Bradford")  # within England: names none
    within = entry(caseload, journeys, case_id)
    assert (within.jurisdiction, within.local_authority) == (
        "england_and_wales",
        "Bradford",
    )

    move(journeys, case_id, ago(200), "Dundee", "scotland")  # disclosed late
    earlier = entry(caseload, journeys, case_id)
    assert (earlier.jurisdiction, earlier.local_authority) == (
        "england_and_wales",
        "Bradford",
    )

    journeys.retract_step(
        case_id, to_leeds, reason="The move to Leeds fell through.", recorded_by=BY
    )
    back = entry(caseload, journeys, case_id)
    assert (back.jurisdiction, back.local_authority) == ("scotland", "Bradford")

    journeys.correct_step(
        case_id,
        next(
            e.step_id
            for e in journeys.case_events(case_id)
            if type(e).__name__ == "StepRecorded"
            and e.reading["details"].get("local_authority") == "Bradford"
        ),
        StepInput(
            "transition.moved_area",
            ago(50),
            "Moved to new housing",
            {"local_authority": "Belfast", "jurisdiction": "northern_ireland"},
        ),
        reason="The tenancy was in Belfast.",
        recorded_by=BY,
    )
    corrected = entry(caseload, journeys, case_id)
    assert (corrected.jurisdiction, corrected.local_authority) == (
        "northern_ireland",
        "Belfast",
    )


# Drift


def test_a_case_drifts_on_exactly_the_nth_day_without_contact(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    on_the_day = open_case(journeys, "DRIFT-28")
    contact(journeys, on_the_day, ago(28))
    a_day_short = open_case(journeys, "DRIFT-27")
    contact(journeys, a_day_short, ago(27))
    never = open_case(journeys, "DRIFT-NEVER")
    caseload.position(at_least=journeys.log_position())

    assert caseload.drift_days == 28
    drifting = caseload.drift(organisation_id="org-north")
    assert references(drifting) == ["DRIFT-NEVER", "DRIFT-28"]
    assert references(caseload.drift(organisation_id="org-north", within=27)) == [
        "DRIFT-NEVER",
        "DRIFT-28",
        "DRIFT-27",
    ]
    assert references(caseload.drift(organisation_id="org-north", within=29)) == [
        "DRIFT-NEVER"
    ]
    assert references(caseload.drift(advocate_id=BY, within=400)) == ["DRIFT-NEVER"]
    assert caseload.drift(advocate_id=BY, within=401) == []
    entries = {e.case_id: e for e in caseload.caseload(organisation_id="org-north")}
    assert caseload.is_drifting(entries[on_the_day])
    assert not caseload.is_drifting(entries[a_day_short])
    assert caseload.is_drifting(entries[never])


def test_closed_cases_leave_the_caseload_and_drift_and_return_when_reopened(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "MAUREEN-X1")
    contact(journeys, case_id, ago(90))

    journeys.close_case(case_id, reason="Support ended.", recorded_by=BY)
    caseload.position(at_least=journeys.log_position())
    assert caseload.caseload(organisation_id="org-north") == []
    assert caseload.drift(organisation_id="org-north") == []
    (closed,) = caseload.caseload(organisation_id="org-north", include_closed=True)
    assert closed.closed and closed.closed_at is not None

    journeys.reopen_case(case_id, reason="Re-referred.", recorded_by=BY)
    caseload.position(at_least=journeys.log_position())
    (reopened,) = caseload.caseload(organisation_id="org-north")
    assert not reopened.closed and reopened.closed_at is None
    assert reopened.last_contact_on == DAY - timedelta(days=90)


def test_cases_are_listed_in_the_order_opened_page_by_page_from_a_position(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    ids = [open_case(journeys, f"ORDER-{n}") for n in range(5)]
    elsewhere = open_case(journeys, "ORDER-S", organisation_id="org-south")
    journeys.close_case(ids[2], reason="Support ended.", recorded_by=BY)
    caseload.position(at_least=journeys.log_position())

    first = caseload.in_order_opened(limit=2, organisation_id="org-north")
    rest = caseload.in_order_opened(
        limit=10,
        after=(first[-1].opened_at, first[-1].case_id),
        organisation_id="org-north",
    )
    closed = caseload.in_order_opened(limit=10, closed=True)
    everyone = caseload.in_order_opened(limit=10)

    assert [e.case_id for e in first + rest] == ids
    assert [e.case_id for e in closed] == [ids[2]]
    assert [e.case_id for e in everyone] == [*ids, elsewhere]
    assert (
        caseload.in_order_opened(
            limit=10, after=(everyone[-1].opened_at, everyone[-1].case_id)
        )
        == []
    )


def test_reopening_restarts_the_drift_count_from_the_day_reopened(
    caseload: CaseloadReader,
) -> None:
    view = caseload.view
    case_id = UUID(int=7)
    opened = datetime(2024, 1, 10, 9, tzinfo=UK)
    view.apply(
        [
            CaseAdded(
                case_id,
                "OLD-1",
                "org-north",
                "scotland",
                None,
                opened,
                date(2024, 1, 10),
            ),
            MarkedClosed(case_id, opened + timedelta(days=30)),
        ],
        Tracking("elsewhere", 1),
    )
    view.apply(
        [MarkedReopened(case_id, DAY - timedelta(days=5))], Tracking("elsewhere", 2)
    )

    reopened = view.entry(case_id)
    assert reopened is not None
    assert reopened.quiet_since == DAY - timedelta(days=5)
    assert not caseload.is_drifting(reopened)
    assert caseload.is_drifting(reopened, within=5)


# Exactly once, resuming, rebuilding


def test_reprocessing_a_notification_changes_nothing(
    journeys: CaseJourneys, caseload: CaseloadReader, worker: ProjectionWorker
) -> None:
    case_id = open_case(journeys, "ONCE-1")
    contact(journeys, case_id, ago(10))
    worker.catch_up()
    before = everything(caseload)
    last = journeys.recorder.select_notifications(journeys.log_position(), limit=1)[0]
    event = journeys.mapper.to_domain_event(last)
    tracking = Tracking(journeys.name, last.id)

    with pytest.raises(IntegrityError):
        worker.projection.process_event(event, tracking)
    with pytest.raises(IntegrityError):
        worker.projection.process_batch([event], tracking, after=last.id - 1)
    page = journeys.recorder.select_notifications(
        0, limit=100, inclusive_of_start=False
    )
    with pytest.raises(IntegrityError):
        worker.projection.process_batch(
            [journeys.mapper.to_domain_event(n) for n in page],
            Tracking(journeys.name, page[-1].id),
            after=0,
        )

    assert everything(caseload) == before
    assert worker.position() == journeys.log_position()
    assert worker.catch_up() == 0


def test_a_restarted_worker_resumes_from_the_views_own_position(
    settings: Settings, journeys: CaseJourneys, views: Views
) -> None:
    first = open_case(journeys, "RESUME-1")
    contact(journeys, first, ago(10))
    views.workers[0].catch_up()
    reached = views.workers[0].position()
    second = open_case(journeys, "RESUME-2")
    contact(journeys, second, ago(4))
    added = journeys.log_position() - reached
    options = ProjectionSettings(in_process=True, wait_seconds=PATIENCE)
    in_memory = store_kind(settings.persistence) == "memory"
    if in_memory:  # the view lives in this process: a new worker on it
        restarted = ProjectionWorker(
            journeys, CaseloadProjection(views.workers[0].projection.view)
        )
    else:  # a new process: new views on the same store
        views.close()
        views = build_views(settings, journeys, options)
        restarted = views.workers[0]
    try:
        assert restarted.position() == reached
        assert restarted.catch_up() == added
        assert references(views.caseload.caseload(organisation_id="org-north")) == [
            "RESUME-1",
            "RESUME-2",
        ]
    finally:
        if not in_memory:
            views.close()


def test_the_view_rebuilt_from_scratch_equals_the_live_one(
    journeys: CaseJourneys, caseload: CaseloadReader, worker: ProjectionWorker
) -> None:
    # Live: the view follows each command as it is recorded.
    cases = [open_case(journeys, f"LIVE-{n}") for n in range(4)]
    for n, case_id in enumerate(cases):
        caseload.position(at_least=journeys.log_position())
        contact(journeys, case_id, ago(5 + n))
        move(journeys, case_id, ago(30 + n), f"Town {n}", "scotland" if n % 2 else None)
        caseload.position(at_least=journeys.log_position())
    journeys.assign_advocate(cases[0], "adv-north-09", recorded_by=BY)
    journeys.transfer_case(cases[1], "org-south", reason="Moved.", recorded_by=BY)
    journeys.close_case(cases[2], reason="Ended.", recorded_by=BY)
    retracted = contact(journeys, cases[3], ago(1)).id
    caseload.position(at_least=journeys.log_position())
    journeys.retract_step(cases[3], retracted, reason="Wrong case.", recorded_by=BY)
    caseload.position(at_least=journeys.log_position())
    live = everything(caseload)

    assert worker.rebuild() == journeys.log_position()
    assert everything(caseload) == live

    one_by_one = ProjectionWorker(journeys, worker.projection, batch_size=1)
    assert one_by_one.rebuild() == journeys.log_position()
    assert everything(caseload) == live
    assert one_by_one.position() == journeys.log_position()


def test_two_workers_on_one_view_write_each_notification_once(
    settings: Settings, journeys: CaseJourneys, views: Views
) -> None:
    for n in range(12):
        case_id = open_case(journeys, f"RACE-{n:02}", advocate_id=None)
        for days in (40, 20, n + 1):
            contact(journeys, case_id, ago(days))
        journeys.assign_advocate(case_id, f"adv-{n % 3}", recorded_by=BY)
    view = views.workers[0].projection.view
    others = (
        None
        if store_kind(settings.persistence) == "memory"
        else build_views(
            settings,
            journeys,
            ProjectionSettings(in_process=False, wait_seconds=PATIENCE),
        )
    )
    other_view = others.workers[0].projection.view if others else view
    racers = [
        ProjectionWorker(journeys, CaseloadProjection(view), batch_size=5),
        ProjectionWorker(journeys, CaseloadProjection(other_view), batch_size=7),
    ]
    errors: list[BaseException] = []

    def race(worker: ProjectionWorker) -> None:
        try:
            worker.catch_up()
        except BaseException as error:
            errors.append(error)

    try:
        threads = [threading.Thread(target=race, args=(w,)) for w in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert racers[0].position() == journeys.log_position()
        raced = everything(views.caseload)
        views.workers[0].rebuild()
        assert everything(views.caseload) == raced
    finally:
        if others:
            others.close()


# Read-your-writes


def test_a_query_waits_for_the_position_its_write_returned(
    journeys: CaseJourneys, views: Views
) -> None:
    views.start()  # as `waymark serve` does on SQLite: a background worker
    case_id = open_case(journeys, "RYW-1")
    written = contact(journeys, case_id, ago(2))

    position = views.caseload.position(at_least=written.position)

    assert position >= written.position
    (found,) = views.caseload.caseload(organisation_id="org-north")
    assert found.last_contact_on == DAY - timedelta(days=2)


def test_a_worker_elsewhere_keeps_the_view_current_for_a_waiting_query(
    settings: Settings, journeys: CaseJourneys
) -> None:
    # The API's views do not project: its reader only polls the view's
    # position. A separate worker (`waymark project`) follows the log: by
    # subscription on PostgreSQL, by polling on SQLite and in memory.
    options = ProjectionSettings(
        in_process=False, poll_seconds=0.05, wait_seconds=PATIENCE
    )
    api_views = build_views(settings, journeys, options)
    view = api_views.workers[0].projection.view
    reader = CaseloadReader(
        view,
        ProjectionWorker(journeys, CaseloadProjection(view), in_process=False),
        today=journeys.today,
        wait_seconds=PATIENCE,
    )
    if store_kind(settings.persistence) == "memory":
        project_views = api_views
        worker = ProjectionWorker(journeys, CaseloadProjection(view), poll_seconds=0.05)
    else:
        project_views = build_views(settings, journeys, options)
        worker = project_views.workers[0]
    stop = threading.Event()
    failures: list[BaseException] = []

    def project() -> None:
        try:
            worker.run(stop)
        except BaseException as error:
            failures.append(error)

    running = threading.Thread(target=project)
    running.start()
    try:
        case_id = open_case(journeys, "RYW-2")
        written = contact(journeys, case_id, ago(6))
        assert reader.position(at_least=written.position) >= written.position
        (found,) = reader.caseload(organisation_id="org-north")
        assert found.last_contact_on == DAY - timedelta(days=6)
        later = contact(journeys, case_id, ago(1))
        assert reader.position(at_least=later.position) >= later.position
    finally:
        stop.set()
        running.join(timeout=10)
        if project_views is not api_views:
            project_views.close()
        api_views.close()
    assert failures == []
    assert not running.is_alive()


def test_a_query_for_a_position_not_yet_projected_says_so(
    settings: Settings, journeys: CaseJourneys
) -> None:
    # No worker runs: the reader only polls the view's position.
    views = build_views(
        settings, journeys, ProjectionSettings(in_process=False, wait_seconds=PATIENCE)
    )
    view = views.workers[0].projection.view
    worker = ProjectionWorker(journeys, CaseloadProjection(view), in_process=False)
    reader = CaseloadReader(view, worker, today=journeys.today, wait_seconds=0.2)
    try:
        open_case(journeys, "RYW-3")
        position = journeys.log_position()

        with pytest.raises(NotYetProjected) as refused:
            reader.position(at_least=position)

        assert (refused.value.requested, refused.value.position) == (position, 0)
        worker.catch_up()
        assert reader.position(at_least=position) == position
    finally:
        views.close()


# The legal clocks: next deadline, upcoming, overdue and open warnings


def step(
    journeys: CaseJourneys,
    case_id: UUID,
    kind: str,
    occurred: str | None,
    details: dict[str, Any] | None = None,
) -> UUID:
    found = journeys.record_step(
        case_id, StepInput(kind, occurred, f"A {kind} step", details), recorded_by=BY
    )
    return found.id


def retract(journeys: CaseJourneys, case_id: UUID, step_id: UUID) -> None:
    journeys.retract_step(case_id, step_id, reason="Recorded in error.", recorded_by=BY)


def clocks_on(caseload: CaseloadReader, journeys: CaseJourneys, case_id: UUID) -> Any:
    caseload.position(at_least=journeys.log_position())
    return caseload.view.open_clocks(case_id)


def everything_with_clocks(caseload: CaseloadReader) -> list[Any]:
    return [
        (entry, caseload.view.open_clocks(entry.case_id))
        for entry in everything(caseload)
    ]


def test_a_decision_sets_the_next_deadline_which_moves_when_met_and_goes_on_retraction(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "CLOCK-1")
    assert entry(caseload, journeys, case_id).next_deadline_on is None
    assert entry(caseload, journeys, case_id).open_warnings == 0
    step(journeys, case_id, "compensation.cica_application_submitted", ago(200))

    # A CICA decision ten days ago: a review must be asked for within 56 days.
    decision = step(
        journeys,
        case_id,
        "compensation.cica_decision",
        ago(10),
        {"outcome": "refused", "amount": None},
    )
    review_due = DAY - timedelta(days=10) + timedelta(days=56)
    found = entry(caseload, journeys, case_id)
    assert (found.next_deadline_on, found.next_deadline_clock) == (
        review_due,
        "cica_review_request",
    )
    (upcoming,) = caseload.upcoming(days=46, organisation_id="org-north")
    assert (upcoming.entry.reference, upcoming.clock.due_on) == ("CLOCK-1", review_due)
    assert upcoming.clock.started_by == decision
    assert upcoming.clock.rule_id.startswith("cica")
    assert "2012" in upcoming.clock.citation  # the Scheme's citation
    assert caseload.upcoming(days=45, organisation_id="org-north") == []
    assert caseload.overdue(organisation_id="org-north") == []

    # The day after its due day it is overdue (the query's day; no rewrite).
    late = review_due + timedelta(days=1)
    (overdue,) = caseload.overdue(as_of=late, organisation_id="org-north")
    assert overdue.clock == upcoming.clock
    assert caseload.overdue(as_of=review_due, organisation_id="org-north") == []
    assert caseload.upcoming(as_of=late, organisation_id="org-north") == []

    # Met: the review is asked for; the review decision starts the appeal clock.
    requested = step(journeys, case_id, "compensation.cica_review_requested", ago(5))
    assert entry(caseload, journeys, case_id).next_deadline_on is None
    assert caseload.overdue(as_of=late, organisation_id="org-north") == []
    review_decision = step(
        journeys,
        case_id,
        "compensation.cica_review_decision",
        ago(2),
        {"outcome": "refused", "amount": None},
    )
    found = entry(caseload, journeys, case_id)
    # 90 days after it; a time ending on a weekend or bank holiday runs to the
    # next working day (Tribunal Procedure Rules r.12(2)).
    appeal_ends = DAY - timedelta(days=2) + timedelta(days=90)
    england = Jurisdiction.ENGLAND_AND_WALES
    assert (found.next_deadline_on, found.next_deadline_clock) == (
        appeal_ends
        if is_working_day(appeal_ends, england)
        else next_working_day(appeal_ends, england),
        "tribunal_appeal",
    )

    # Retractions: the review decision (its appeal clock goes), then the review
    # request (the review clock is open, and overdue after its day, again).
    retract(journeys, case_id, review_decision)
    assert clocks_on(caseload, journeys, case_id) == []
    assert entry(caseload, journeys, case_id).next_deadline_on is None
    retract(journeys, case_id, requested)
    (again,) = clocks_on(caseload, journeys, case_id)
    assert again == upcoming.clock
    assert entry(caseload, journeys, case_id).next_deadline_on == review_due
    assert caseload.overdue(as_of=late, organisation_id="org-north") == [overdue]
    # The decision retracted: its clock disappears.
    retract(journeys, case_id, decision)
    assert clocks_on(caseload, journeys, case_id) == []
    found = entry(caseload, journeys, case_id)
    assert (found.next_deadline_on, found.next_deadline_clock) == (None, None)


def test_the_open_clocks_are_the_deadlines_projections_unstopped_ones(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "CLOCK-2")
    journeys.record_date_of_birth(case_id, "2008-03-01", recorded_by=BY)
    step(journeys, case_id, "harm.incident", ago(300), {"offences": ["assault"]})
    step(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        ago(290),
        {"crime_reference": "NT/0001"},
    )
    step(journeys, case_id, "nrm.referred", ago(60))
    step(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        ago(20),
        {"outcome": "positive"},
    )

    judged = deadlines_of(journeys.case_events(case_id), DAY)
    expected = {
        (c.kind.value, c.due_on, c.rule.id)
        for c in judged.clocks
        if not c.stopped_by
        and c.status in (ClockStatus.RUNNING, ClockStatus.EXTENDED, ClockStatus.MISSED)
    }
    kept = clocks_on(caseload, journeys, case_id)
    assert {(c.clock, c.due_on, c.rule_id) for c in kept} == expected
    # The late reasonable grounds decision stopped its clock (missed, closed).
    assert {c.clock for c in kept} == {"cica_application", "recovery_period"}
    # A referral with no decision: its target, missed, stands open: overdue.
    waiting = open_case(journeys, "CLOCK-3")
    step(journeys, waiting, "nrm.referred", ago(30))
    caseload.position(at_least=journeys.log_position())
    overdue = caseload.overdue(organisation_id="org-north")
    assert [(d.entry.reference, d.clock.clock) for d in overdue] == [
        ("CLOCK-3", "reasonable_grounds_decision")
    ]
    # The recovery period is a period of protection: upcoming while it runs,
    # never overdue.
    (recovery,) = [c for c in kept if c.clock == "recovery_period"]
    (application,) = [c for c in kept if c.clock == "cica_application"]
    assert not recovery.deadline
    upcoming = caseload.upcoming(days=3653, organisation_id="org-north")
    assert "recovery_period" in [d.clock.clock for d in upcoming]
    after = caseload.overdue(
        as_of=recovery.due_on + timedelta(days=1), organisation_id="org-north"
    )
    assert "recovery_period" not in [d.clock.clock for d in after]
    # The next deadline is the earliest open deadline, not the period's end.
    assert recovery.due_on < application.due_on
    assert entry(caseload, journeys, case_id).next_deadline_on == application.due_on


def test_open_warnings_are_the_chronologys_warnings_counted(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    case_id = open_case(journeys, "WARN-1")
    step(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        ago(20),
        {"outcome": "positive"},
    )
    step(journeys, case_id, "compensation.cica_review_requested", ago(10))

    def chronology_warnings() -> int:
        rows = chronology_of(journeys.case_events(case_id)).rows
        return sum(len(row.warnings) for row in rows)

    assert (
        entry(caseload, journeys, case_id).open_warnings == 2 == chronology_warnings()
    )
    referral = step(journeys, case_id, "nrm.referred", ago(30))
    assert (
        entry(caseload, journeys, case_id).open_warnings == 1 == chronology_warnings()
    )
    retract(journeys, case_id, referral)
    assert (
        entry(caseload, journeys, case_id).open_warnings == 2 == chronology_warnings()
    )


def test_closed_cases_and_other_organisations_have_no_deadlines_here(
    journeys: CaseJourneys, caseload: CaseloadReader
) -> None:
    mine = open_case(journeys, "MINE-1")
    theirs = open_case(journeys, "THEIRS-1", organisation_id="org-south")
    closed = open_case(journeys, "CLOSED-1")
    for case_id in (mine, theirs, closed):
        step(journeys, case_id, "nrm.referred", ago(1))
    journeys.close_case(closed, reason="Ended.", recorded_by=BY)
    caseload.position(at_least=journeys.log_position())

    found = caseload.upcoming(organisation_id="org-north")
    assert [d.entry.reference for d in found] == ["MINE-1"]
    assert [d.entry.reference for d in caseload.upcoming(advocate_id=BY)] == [
        "MINE-1",
        "THEIRS-1",
    ]


def test_the_clocks_rebuilt_from_scratch_equal_the_live_ones(
    journeys: CaseJourneys, caseload: CaseloadReader, worker: ProjectionWorker
) -> None:
    cases = [open_case(journeys, f"CLOCKS-{n}") for n in range(3)]
    journeys.record_date_of_birth(cases[0], "2007", recorded_by=BY)
    step(journeys, cases[0], "harm.incident", ago(500), {"offences": ["assault"]})
    decision = step(
        journeys,
        cases[1],
        "compensation.cica_decision",
        ago(40),
        {"outcome": "award", "amount": "1000.00"},
    )
    review = step(
        journeys,
        cases[1],
        "compensation.cica_review_decision",
        ago(100),
        {"outcome": "refused", "amount": None},
    )
    step(journeys, cases[1], "compensation.tribunal_extension_granted", ago(3))
    move(journeys, cases[2], ago(90), "Glasgow", "scotland")
    step(journeys, cases[2], "nrm.referred", ago(80))
    caseload.position(at_least=journeys.log_position())
    journeys.correct_step(
        cases[1],
        decision,
        StepInput(
            "compensation.cica_decision",
            ago(30),
            "Decision",
            {"outcome": "refused", "amount": None},
        ),
        reason="Wrong date.",
        recorded_by=BY,
    )
    retract(journeys, cases[1], review)
    caseload.position(at_least=journeys.log_position())
    live = everything_with_clocks(caseload)
    assert any(clocks for _, clocks in live)

    assert worker.rebuild() == journeys.log_position()
    assert everything_with_clocks(caseload) == live
    one_by_one = ProjectionWorker(journeys, worker.projection, batch_size=1)
    assert one_by_one.rebuild() == journeys.log_position()
    assert everything_with_clocks(caseload) == live


def test_a_childs_window_not_yet_opened_is_nothing_overdue_and_opens_with_the_report(
    journeys: CaseJourneys, caseload: CaseloadReader, worker: ProjectionWorker
) -> None:
    # Harmed at 14; no report to the police yet (CICA 2012 Scheme para 88(1)(b)).
    case_id = open_case(journeys, "CHILD-WINDOW")
    journeys.record_date_of_birth(case_id, "2008-09-30", recorded_by=BY)
    step(journeys, case_id, "harm.incident", "2023-02", {"offences": ["assault"]})

    assert clocks_on(caseload, journeys, case_id) == []
    assert entry(caseload, journeys, case_id).next_deadline_on is None
    assert caseload.overdue(organisation_id="org-north") == []

    # First reported at 18: two years from the report.
    step(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2026-10-05",
        {"crime_reference": "CR/2026/1005"},
    )
    (opened,) = clocks_on(caseload, journeys, case_id)
    assert (opened.clock, opened.rule_id, opened.due_on) == (
        "cica_application",
        "cica-2012-para-88-1-b",
        date(2028, 10, 5),
    )
    live = everything_with_clocks(caseload)
    assert worker.rebuild() == journeys.log_position()
    assert everything_with_clocks(caseload) == live

"""For random cohorts and random requests, on the in-memory store: no published
count is below the threshold, every published count equals the brute-force
recomputation from the log for its cell, and no suppressed count can be
recovered from a breakdown's published cells by subtraction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import CaseJourneys
from domain.commands import StepInput
from projections.evaluation import evaluation_view
from projections.evaluation.figures import Dimension, Request, Table
from projections.evaluation.metrics import Metric
from projections.evaluation.periods import Period
from projections.evaluation.projection import EvaluationProjection
from projections.evaluation.reader import EvaluationReader
from projections.tracking import ProjectionWorker
from storage.settings import persistence_env
from tests.evaluation_oracle import CaseTruth, answer, cell_of, truths
from tests.time_machine import TimeMachine

START = date(2022, 1, 3)
KINDS = [
    ("housing.advocacy", None),
    ("housing.accommodation_secured", {"tenure": "permanent"}),
    ("benefits.claim_made", None),
    ("immigration.advice_accessed", None),
    ("employment.employment_gained", None),
    ("safety.re_exploited", None),
    ("criminal_justice.witness_called", None),
    ("criminal_justice.trial_attended", None),
    ("criminal_justice.verdict", {"outcome": "convicted", "trafficking_offence": True}),
    # Verdicts naming prosecutions and defendants many cases share.
    *(
        (
            "criminal_justice.verdict",
            {
                "outcome": outcome,
                "trafficking_offence": trafficking,
                "prosecution_ref": prosecution,
                "defendant_ref": defendant,
            },
        )
        for prosecution, defendant, outcome, trafficking in (
            ("OP-A", "D-1", "convicted", True),
            ("OP-A", "D-2", "convicted", False),
            ("OP-A", "D-3", "acquitted", False),
            ("OP-B", "D-1", "acquitted", False),
            ("OP-C", "D-1", "hung_jury", False),
        )
    ),
    ("housing.accommodation_lost", None),
    ("engagement.contact", {"mode": "phone"}),
    ("engagement.disengaged", None),
    ("engagement.re_engaged", None),
    ("nrm.referred", None),
    ("nrm.conclusive_grounds_decision", {"outcome": "positive"}),
]

case_plans = st.lists(
    st.tuples(
        st.integers(0, 500),  # opened, days after START
        st.sampled_from(["org-a", "org-b", "org-c"]),
        st.sampled_from(["Leeds", "Bradford", "Camden", "Cardiff"]),
        st.booleans() | st.just(True),  # consents (mostly)
        st.integers(0, 40),  # days advocacy began before the case was entered
        st.sampled_from([None, "1990", "2005-03", "1970-06-15"]),
        st.lists(
            st.tuples(st.integers(0, 400), st.integers(0, len(KINDS) - 1)),
            max_size=6,
        ),
        st.integers(0, 3),  # closed: 0 never, else after n hundred days
    ),
    min_size=10,
    max_size=50,
)
requests = st.tuples(
    st.integers(0, 700),  # period start, days after START
    st.integers(0, 400),  # its length
    st.lists(st.sampled_from(list(Dimension)), max_size=2, unique=True),
    st.integers(3, 8),  # threshold
)


@pytest.fixture
def machine() -> TimeMachine:
    return TimeMachine(START)


def record(machine: TimeMachine, plans: list[tuple]) -> Iterator[object]:
    store = persistence_env(
        {"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path=""
    )
    journeys = CaseJourneys(env=dict(store), today=machine.today)
    view = evaluation_view(store)
    worker = ProjectionWorker(journeys, EvaluationProjection.of(journeys, view))
    actions: list[tuple[date, int, str, object]] = []
    with machine.running():
        for n, plan in enumerate(plans):
            opened, organisation, area, consents, early, born, steps, closed = plan
            day = START + timedelta(days=opened)
            began = day - timedelta(days=early)
            actions.append(
                (day, n, "open", (organisation, area, consents, began, born))
            )
            for offset, kind in steps:
                actions.append((day + timedelta(days=offset), n, "step", kind))
            if closed:
                actions.append(
                    (day + timedelta(days=100 * closed + 401), n, "close", None)
                )
        actions.sort(key=lambda a: (a[0], a[1], a[2] != "open"))
        ids: dict[int, UUID] = {}
        for day, n, action, detail in actions:
            machine.on(day)
            if action == "open":
                organisation, area, consents, began, born = detail  # type: ignore[misc]
                ids[n] = journeys.open_case(
                    reference=f"EV-{n:03}",
                    organisation_id=organisation,
                    jurisdiction="england_and_wales",
                    local_authority=area,
                    opened_on=began,
                    recorded_by="advocate-1",
                ).case_id
                if consents:
                    journeys.give_consent(
                        ids[n], "evaluation", given_on=began, recorded_by="advocate-1"
                    )
                if born:
                    journeys.record_date_of_birth(
                        ids[n], born, recorded_by="advocate-1"
                    )
            elif action == "step":
                kind, details = KINDS[detail]  # type: ignore[index]
                journeys.record_step(
                    ids[n],
                    StepInput(kind, day.isoformat(), "Synthetic step", details),
                    recorded_by="advocate-1",
                )
            else:
                journeys.close_case(ids[n], reason="ended", recorded_by="advocate-1")
    worker.catch_up()
    yield journeys, view
    view.close()
    journeys.close()


def check(
    table: Table, cases: dict[UUID, CaseTruth], period: Period, threshold: int
) -> None:
    for row in table.rows:
        members = {
            case_id
            for case_id, case in cases.items()
            if case.consenting and case.open_between(period.first, period.last)
            if row.dimension is None
            or cell_of(case, row.dimension.value, period.last) == row.value
        }
        for figure in row.figures:
            truth = answer(cases, period.first, period.last, figure.metric.value)
            counts = [(figure.numerator, truth.numerator)]
            if figure.denominator is not None and truth.denominator is not None:
                counts.append((figure.denominator, truth.denominator))
            for count, true_set in counts:
                true_count = len([i for i in true_set if i in members])
                if count.value is not None:
                    assert count.value >= threshold, (row, figure)
                    assert count.value == true_count, (row.value, figure.metric)


def check_partitions(
    table: Table, cases: dict[UUID, CaseTruth], period: Period, threshold: int
) -> None:
    """A breakdown's suppressed clients never number exactly one cell, nor sum to
    fewer than the threshold, when the total is published."""
    total = table.rows[0]
    clients_total = next(f for f in total.figures if f.metric is Metric.CLIENTS)
    if clients_total.numerator.value is None:
        return
    for dimension in {r.dimension for r in table.rows if r.dimension}:
        group = [r for r in table.rows if r.dimension is dimension]
        hidden = [
            r
            for r in group
            if next(f for f in r.figures if f.metric is Metric.CLIENTS).numerator.value
            is None
        ]
        if not hidden:
            continue
        assert len(hidden) >= 2
        shown = sum(
            next(f for f in r.figures if f.metric is Metric.CLIENTS).numerator.value
            or 0
            for r in group
        )
        assert clients_total.numerator.value - shown >= threshold


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=case_plans, request_=requests)
def test_published_figures_are_true_and_never_small(
    machine: TimeMachine, plans: list[tuple], request_: tuple
) -> None:
    machine.on(START)
    start, length, by, threshold = request_
    period = Period(
        START + timedelta(days=start), START + timedelta(days=start + length)
    )
    for journeys, view in record(machine, plans):  # type: ignore[misc]
        reader = EvaluationReader(
            view, journeys.name, threshold=threshold, pseudonym_key=b"k" * 32
        )
        table = reader.evaluation(Request(period, by=tuple(by)))
        cases = truths(journeys)
        check(table, cases, period, threshold)
        check_partitions(table, cases, period, threshold)

"""Evaluation statistics on every store: a synthetic cohort counted exactly, the
consent gate, disclosure control, each metric's boundaries, corrections, and
the rebuild.

Cohorts are recorded on the days they happened (``tests.time_machine``), with
pseudonymous references only. Truth comes from ``tests.evaluation_oracle``, which
recomputes every metric from the log without the projection's code.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.application import CaseJourneys
from domain.commands import StepInput
from projections.evaluation import evaluation_view
from projections.evaluation import view as view_module
from projections.evaluation.figures import (
    Dimension,
    Figure,
    Request,
    Row,
    Table,
)
from projections.evaluation.metrics import Metric
from projections.evaluation.periods import Period, named_period
from projections.evaluation.projection import EvaluationProjection
from projections.evaluation.reader import EvaluationReader
from projections.evaluation.rebuild import rebuild_evaluation
from projections.evaluation.view import DefinitionsChanged
from projections.tracking import ProjectionWorker
from tests.evaluation_oracle import answer, truths
from tests.time_machine import TimeMachine

ADVOCATE = "advocate-1"
FY = named_period("2023/24")


@dataclass
class Cohorts:
    """Records cases on given days and counts them."""

    journeys: CaseJourneys
    machine: TimeMachine
    worker: ProjectionWorker
    persistence: dict[str, str]
    references: int = 0
    readers: list[EvaluationReader] = field(default_factory=list)

    def open(
        self,
        on: date,
        *,
        organisation: str = "org-north",
        local_authority: str | None = "Leeds",
        jurisdiction: str = "england_and_wales",
        consent: bool = True,
        began: date | None = None,
    ) -> UUID:
        """A case entered ``on`` that day; ``began``: the day advocacy began,
        when earlier (the consent is dated to it too)."""
        self.references += 1
        with self.machine.on(on).running():
            case_id = self.journeys.open_case(
                reference=f"EV-{self.references:04}",
                organisation_id=organisation,
                jurisdiction=jurisdiction,
                local_authority=local_authority,
                opened_on=began,
                recorded_by=ADVOCATE,
            ).case_id
            if consent:
                self.journeys.give_consent(
                    case_id, "evaluation", given_on=began, recorded_by=ADVOCATE
                )
        return case_id

    def step(
        self,
        case_id: UUID,
        kind: str,
        on: date | str | None,
        details: dict[str, Any] | None = None,
        *,
        recorded: date | None = None,
    ) -> UUID:
        occurred = on.isoformat() if isinstance(on, date) else on
        day = recorded or (on if isinstance(on, date) else self.machine.day)
        with self.machine.on(max(day, self.machine.day)).running():
            return self.journeys.record_step(
                case_id,
                StepInput(kind, occurred, f"Synthetic {kind}", details),
                recorded_by=ADVOCATE,
            ).id

    def do(self, on: date, command: str, *args: Any, **kwargs: Any) -> Any:
        with self.machine.on(on).running():
            return getattr(self.journeys, command)(
                *args, recorded_by=ADVOCATE, **kwargs
            )

    def reader(self, threshold: int = 3) -> EvaluationReader:
        self.worker.catch_up()
        reader = EvaluationReader(
            self.worker.projection.view,
            self.journeys.name,
            threshold=threshold,
            pseudonym_key=b"test-key-" + b"k" * 23,
        )
        return reader

    def table(self, request: Request, threshold: int = 3) -> Table:
        return self.reader(threshold).evaluation(request)


@pytest.fixture
def cohorts(store: dict[str, str]) -> Iterator[Cohorts]:
    machine = TimeMachine(date(2022, 1, 10))
    journeys = CaseJourneys(env=dict(store), today=machine.today)
    view = evaluation_view(store)
    worker = ProjectionWorker(journeys, EvaluationProjection.of(journeys, view))
    try:
        yield Cohorts(journeys, machine, worker, store)
    finally:
        view.close()
        journeys.close()


def figure(row: Row, metric: Metric) -> Figure:
    (found,) = [f for f in row.figures if f.metric is metric]
    return found


def total(table: Table) -> Row:
    return table.rows[0]


def cell(table: Table, dimension: Dimension, value: str) -> Row:
    (found,) = [r for r in table.rows if r.dimension is dimension and r.value == value]
    return found


# A synthetic cohort, counted exactly


KINDS: list[tuple[str, dict[str, Any] | None]] = [
    ("housing.advocacy", None),
    ("housing.accommodation_lost", None),
    ("engagement.re_engaged", None),
    ("immigration.appeal_decided", {"outcome": "allowed"}),
    ("immigration.decision", {"outcome": "other_leave", "asylum_claim": False}),
    ("compensation.cica_decision", {"outcome": "award", "amount": None}),
    (
        "criminal_justice.verdict",
        {
            "outcome": "convicted",
            "trafficking_offence": True,
            "prosecution_ref": "OP-A",
            "defendant_ref": "D-1",
        },
    ),
    (
        "criminal_justice.verdict",
        {
            "outcome": "acquitted",
            "trafficking_offence": False,
            "prosecution_ref": "OP-B",
            "defendant_ref": "D-1",
        },
    ),
    (
        "criminal_justice.verdict",
        {"outcome": "hung_jury", "trafficking_offence": False},
    ),
    ("housing.accommodation_secured", {"tenure": "permanent"}),
    ("housing.accommodation_secured", {"tenure": "temporary"}),
    ("benefits.claim_made", None),
    ("immigration.advice_accessed", None),
    ("employment.employment_gained", None),
    ("immigration.decision", {"outcome": "refugee_status"}),
    ("immigration.decision", {"outcome": "refused"}),
    ("compensation.award_received", {"amount": "1250.50", "source": "cica"}),
    ("own_conviction.conviction_overturned", None),
    ("safety.re_exploited", None),
    ("criminal_justice.witness_called", None),
    ("criminal_justice.trial_attended", None),
    (
        "criminal_justice.verdict",
        {"outcome": "convicted", "trafficking_offence": True},
    ),
    (
        "criminal_justice.verdict",
        {"outcome": "convicted", "trafficking_offence": False},
    ),
    ("engagement.contact", {"mode": "phone"}),
    ("engagement.disengaged", None),
    ("nrm.referred", None),
    ("nrm.conclusive_grounds_decision", {"outcome": "positive"}),
    ("immigration.asylum_claim_lodged", None),
    ("compensation.cica_application_submitted", None),
    ("compensation.cica_decision", {"outcome": "award", "amount": "5000.00"}),
]


def record_random_cohort(cohorts: Cohorts, seed: int, cases: int) -> None:
    """Cases opened across 2022-2024 in three organisations and four areas (a
    few entered weeks after advocacy began), each with a dozen steps of every
    kind the metrics read, some closed."""
    rng = random.Random(seed)
    start = date(2022, 1, 10)
    opened: list[tuple[UUID, date]] = []
    days = sorted(start + timedelta(days=rng.randrange(30, 700)) for _ in range(cases))
    for day in days:
        late = rng.random() < 0.25
        case_id = cohorts.open(
            day,
            organisation=rng.choice(["org-north", "org-south", "org-west"]),
            local_authority=rng.choice(["Leeds", "Bradford", "Camden", None]),
            consent=rng.random() < 0.85,
            began=day - timedelta(days=rng.randrange(1, 30)) if late else None,
        )
        opened.append((case_id, day))
    # Steps in order of recording, across cases, so the clock only moves on.
    planned: list[tuple[date, UUID, str, dict[str, Any] | None]] = []
    for case_id, day in opened:
        for _ in range(rng.randrange(4, 14)):
            kind, details = rng.choice(KINDS)
            planned.append(
                (day + timedelta(days=rng.randrange(0, 500)), case_id, kind, details)
            )
    planned.sort(key=lambda p: (p[0], str(p[1])))
    for on, case_id, kind, details in planned:
        cohorts.step(case_id, kind, on, details)
    closing = [case for case in opened if rng.random() < 0.3]
    last_day = max(on for on, *_ in planned)
    for case_id, day in closing:
        cohorts.do(
            max(last_day, day) + timedelta(days=1),
            "close_case",
            case_id,
            reason="support ended",
        )


def assert_matches_the_log(cohorts: Cohorts, table: Table, period: Period) -> int:
    """Every published figure of the total row equals the oracle's; returns how
    many were compared."""
    cases = truths(cohorts.journeys)
    compared = 0
    for f in total(table).figures:
        truth = answer(cases, period.first, period.last, f.metric.value)
        if f.numerator.value is not None:
            assert f.numerator.value == len(truth.numerator), f.metric
            compared += 1
        if f.denominator is not None and f.denominator.value is not None:
            assert truth.denominator is not None
            assert f.denominator.value == len(truth.denominator), f.metric
            compared += 1
        if f.total_amount is not None:
            assert f.total_amount * 100 == truth.amount_pence
        if f.days is not None:
            assert f.days.median == pytest.approx(_median(truth.days))
    return compared


def _median(values: tuple[int, ...]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def test_a_synthetic_cohort_reproduces_the_figures_recomputed_from_the_log(
    cohorts: Cohorts,
) -> None:
    record_random_cohort(cohorts, seed=7, cases=60)
    period = Period(date(2022, 7, 1), date(2023, 12, 31))
    table = cohorts.table(Request(period), threshold=3)
    compared = assert_matches_the_log(cohorts, table, period)
    assert compared >= 20  # most figures were published, and all were right
    cases = truths(cohorts.journeys)
    clients = answer(cases, period.first, period.last, "clients").numerator
    assert figure(total(table), Metric.CLIENTS).numerator.value == len(clients) > 30


def test_the_hand_counted_cohort(cohorts: Cohorts) -> None:
    """Twelve clients counted by hand: every one gets housing advocacy, eight of
    them accommodation, four of it permanent; three get a job."""
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(12)]
    for n, case_id in enumerate(cases):
        cohorts.step(case_id, "housing.advocacy", date(2023, 5, 2))
        if n < 8:
            tenure = "permanent" if n < 4 else "supported"
            cohorts.step(
                case_id,
                "housing.accommodation_secured",
                date(2023, 6, 1),
                {"tenure": tenure},
            )
        if n < 3:
            cohorts.step(case_id, "employment.employment_gained", date(2023, 7, 3))
    table = cohorts.table(Request(FY), threshold=3)
    row = total(table)
    assert figure(row, Metric.CLIENTS).numerator.value == 12
    assert figure(row, Metric.ADVOCACY_HOUSING).numerator.value == 12
    permanent = figure(row, Metric.PERMANENT_ACCOMMODATION)
    assert (permanent.numerator.value, permanent.share) == (4, round(4 / 12, 4))
    assert figure(row, Metric.EMPLOYMENT_GAINED).numerator.value == 3
    # With the default threshold, the same figures are suppressed, not zero.
    strict = total(cohorts.table(Request(FY), threshold=10))
    employed = figure(strict, Metric.EMPLOYMENT_GAINED)
    assert employed.numerator.value is None and employed.numerator.suppressed
    assert employed.share is None


# Consent


def test_only_consenting_cases_count_and_a_withdrawal_removes_a_case_from_every_later_figure(
    cohorts: Cohorts,
) -> None:
    consenting = [cohorts.open(date(2023, 4, 3)) for _ in range(5)]
    never = cohorts.open(date(2023, 4, 3), consent=False)
    for case_id in [*consenting, never]:
        cohorts.step(case_id, "benefits.advocacy", date(2023, 5, 2))
    q1 = named_period("2023/24-Q1")
    before = total(cohorts.table(Request(q1)))
    assert figure(before, Metric.CLIENTS).numerator.value == 5
    assert figure(before, Metric.ADVOCACY_BENEFITS).numerator.value == 5

    # Mid-year, one survivor withdraws: gone from the quarter it counted in too.
    cohorts.do(date(2023, 10, 2), "withdraw_consent", consenting[0], "evaluation")
    for period in (q1, FY):
        after = total(cohorts.table(Request(period)))
        assert figure(after, Metric.CLIENTS).numerator.value == 4
        assert figure(after, Metric.ADVOCACY_BENEFITS).numerator.value == 4

    # ... and from a rebuilt view.
    rebuild_evaluation(
        cohorts.journeys, cohorts.persistence, live=cohorts.worker.projection.view
    )
    rebuilt = total(cohorts.table(Request(q1)))
    assert figure(rebuilt, Metric.CLIENTS).numerator.value == 4


def test_consent_given_late_counts_the_whole_journey(cohorts: Cohorts) -> None:
    cases = [cohorts.open(date(2023, 4, 3), consent=False) for _ in range(4)]
    for case_id in cases:
        cohorts.step(case_id, "immigration.advice_accessed", date(2023, 5, 2))
    assert (
        figure(total(cohorts.table(Request(FY))), Metric.CLIENTS).numerator.value
        is None
    )
    for case_id in cases:
        cohorts.do(date(2023, 9, 1), "give_consent", case_id, "evaluation")
    row = total(cohorts.table(Request(FY)))
    assert figure(row, Metric.CLIENTS).numerator.value == 4
    assert figure(row, Metric.ADVOCACY_IMMIGRATION_ADVICE).numerator.value == 4


def test_consent_withdrawn_from_a_closed_case_still_removes_it(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    cohorts.do(date(2023, 6, 1), "close_case", cases[0], reason="support ended")
    assert (
        figure(total(cohorts.table(Request(FY))), Metric.CLIENTS).numerator.value == 4
    )
    cohorts.do(date(2023, 7, 1), "withdraw_consent", cases[0], "evaluation")
    assert (
        figure(total(cohorts.table(Request(FY))), Metric.CLIENTS).numerator.value == 3
    )


# Disclosure control


def test_a_slice_that_would_reveal_one_survivor_by_difference_is_suppressed(
    cohorts: Cohorts,
) -> None:
    """Leeds holds 12 clients, Bradford 1, both in Yorkshire; Camden 12 in London.
    Asked by region and local authority together, Yorkshire (13) less Leeds (12)
    would be the one survivor in Bradford: Leeds is withheld too."""
    for _ in range(12):
        cohorts.open(date(2023, 4, 3), local_authority="Leeds")
        cohorts.open(date(2023, 4, 3), local_authority="Camden")
    cohorts.open(date(2023, 4, 3), local_authority="Bradford")
    table = cohorts.table(
        Request(FY, by=(Dimension.REGION, Dimension.LOCAL_AUTHORITY)), threshold=10
    )

    def clients(dimension: Dimension, value: str) -> int | None:
        return figure(cell(table, dimension, value), Metric.CLIENTS).numerator.value

    assert figure(total(table), Metric.CLIENTS).numerator.value == 25
    assert clients(Dimension.REGION, "Yorkshire and The Humber") == 13
    assert clients(Dimension.REGION, "London") == 12
    assert clients(Dimension.LOCAL_AUTHORITY, "Bradford") is None
    assert clients(Dimension.LOCAL_AUTHORITY, "Leeds") is None
    assert clients(Dimension.LOCAL_AUTHORITY, "Camden") == 12


def test_one_small_cell_of_a_breakdown_takes_another_with_it(cohorts: Cohorts) -> None:
    for organisation, count in (("org-a", 20), ("org-b", 15), ("org-c", 2)):
        for _ in range(count):
            cohorts.open(date(2023, 4, 3), organisation=organisation)
    table = cohorts.table(Request(FY, by=(Dimension.ORGANISATION,)), threshold=10)
    shown = {
        r.value: figure(r, Metric.CLIENTS).numerator.value
        for r in table.rows
        if r.dimension
    }
    assert shown == {"org-a": 20, "org-b": None, "org-c": None}
    assert figure(total(table), Metric.CLIENTS).numerator.value == 37


def test_a_numerator_that_leaves_out_fewer_than_the_threshold_is_suppressed(
    cohorts: Cohorts,
) -> None:
    """14 of 15 clients in housing: the one without would be known."""
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(15)]
    for case_id in cases[:14]:
        cohorts.step(case_id, "housing.advocacy", date(2023, 5, 2))
    row = total(cohorts.table(Request(FY), threshold=10))
    housing = figure(row, Metric.ADVOCACY_HOUSING)
    assert housing.numerator.suppressed and housing.share is None
    assert housing.denominator is not None and housing.denominator.value == 15


# Boundaries


def test_a_contact_exactly_six_months_after_opening_counts_and_a_day_earlier_does_not(
    cohorts: Cohorts,
) -> None:
    on_time = [cohorts.open(date(2023, 1, 10)) for _ in range(4)]
    early = [cohorts.open(date(2023, 1, 10)) for _ in range(3)]
    for case_id in on_time:
        cohorts.step(
            case_id, "engagement.contact", date(2023, 7, 10), {"mode": "phone"}
        )
    for case_id in early:
        cohorts.step(case_id, "engagement.contact", date(2023, 7, 9), {"mode": "phone"})
    july = Period(date(2023, 7, 1), date(2023, 7, 31))
    engaged = figure(total(cohorts.table(Request(july))), Metric.ENGAGED_6_MONTHS)
    assert (engaged.numerator.value, engaged.denominator) == (4, engaged.denominator)
    assert engaged.denominator is not None and engaged.denominator.value == 7

    # The six-month mark must have passed by the period's last day.
    to_ninth = Period(date(2023, 7, 1), date(2023, 7, 9))
    early_period = figure(
        total(cohorts.table(Request(to_ninth))), Metric.ENGAGED_6_MONTHS
    )
    assert early_period.denominator is not None
    assert early_period.denominator.value is None  # nobody is due yet: zero


def test_a_disengagement_before_six_months_rules_out_engagement(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 1, 31)) for _ in range(6)]
    for case_id in cases:
        # 31 January + six months is 31 July.
        cohorts.step(
            case_id, "engagement.contact", date(2023, 7, 31), {"mode": "video"}
        )
    for case_id in cases[:3]:
        cohorts.step(case_id, "engagement.disengaged", date(2023, 7, 30))
    row = total(cohorts.table(Request(named_period("2023/24"))))
    engaged = figure(row, Metric.ENGAGED_6_MONTHS)
    assert engaged.numerator.value == 3
    assert engaged.denominator is not None and engaged.denominator.value == 6


def test_a_step_on_the_periods_last_day_counts_in_it_and_not_in_the_next(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2024, 1, 8)) for _ in range(4)]
    for case_id in cases:
        cohorts.step(case_id, "safety.re_exploited", date(2024, 3, 31))
    this_year = total(cohorts.table(Request(named_period("2023/24"))))
    next_year = total(cohorts.table(Request(named_period("2024/25"))))
    assert figure(this_year, Metric.RE_EXPLOITED).numerator.value == 4
    assert figure(next_year, Metric.RE_EXPLOITED).numerator.value is None


def test_a_case_closed_on_the_periods_first_day_is_a_client_of_it(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 1, 9)) for _ in range(4)]
    for case_id in cases:
        cohorts.do(date(2023, 4, 1), "close_case", case_id, reason="support ended")
    assert (
        figure(total(cohorts.table(Request(FY))), Metric.CLIENTS).numerator.value == 4
    )
    earlier = Period(date(2023, 4, 2), date(2023, 6, 30))
    assert (
        figure(total(cohorts.table(Request(earlier))), Metric.CLIENTS).numerator.value
        is None
    )


def test_corrected_and_retracted_steps_count_as_they_stand(cohorts: Cohorts) -> None:
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(12)]
    steps = [
        cohorts.step(
            case_id,
            "housing.accommodation_secured",
            date(2023, 5, 2),
            {"tenure": "permanent"},
        )
        for case_id in cases
    ]
    temporary = StepInput(
        "housing.accommodation_secured",
        "2023-05-02",
        "Synthetic",
        {"tenure": "temporary"},
    )
    for case_id, step_id in zip(cases[:3], steps[:3], strict=True):
        cohorts.do(
            date(2023, 6, 1),
            "correct_step",
            case_id,
            step_id,
            temporary,
            reason="it was temporary",
        )
    for case_id, step_id in zip(cases[3:6], steps[3:6], strict=True):
        cohorts.do(date(2023, 6, 1), "retract_step", case_id, step_id, reason="mistake")
    row = total(cohorts.table(Request(FY)))
    assert figure(row, Metric.PERMANENT_ACCOMMODATION).numerator.value == 6
    assert figure(row, Metric.ADVOCACY_HOUSING).numerator.value == 9


def test_a_step_marked_sensitive_is_not_evaluated_until_marked_otherwise(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(20)]
    steps = [
        cohorts.step(
            case_id,
            "housing.accommodation_secured",
            date(2023, 5, 2),
            {"tenure": "permanent"},
        )
        for case_id in cases
    ]

    def mark(case_id: UUID, step_id: UUID, sensitive: bool) -> None:
        cohorts.do(
            date(2023, 6, 1),
            "mark_step_sensitivity",
            case_id,
            step_id,
            sensitive=sensitive,
            reason="Safe-house address.",
        )

    for case_id, step_id in zip(cases[:6], steps[:6], strict=True):
        mark(case_id, step_id, True)
    # A correction while marked brings nothing back.
    temporary = StepInput(
        "housing.accommodation_secured",
        "2023-05-02",
        "Synthetic",
        {"tenure": "temporary"},
    )
    for case_id, step_id in zip(cases[:3], steps[:3], strict=True):
        cohorts.do(
            date(2023, 6, 2),
            "correct_step",
            case_id,
            step_id,
            temporary,
            reason="it was temporary",
        )
    marked = total(cohorts.table(Request(FY)))
    assert figure(marked, Metric.PERMANENT_ACCOMMODATION).numerator.value == 14
    assert figure(marked, Metric.ADVOCACY_HOUSING).numerator.value == 14

    # Marked otherwise, each counts as it now stands (three as corrected).
    for case_id, step_id in zip(cases[:6], steps[:6], strict=True):
        mark(case_id, step_id, False)
    unmarked = total(cohorts.table(Request(FY)))
    assert figure(unmarked, Metric.PERMANENT_ACCOMMODATION).numerator.value == 17
    rebuild_evaluation(
        cohorts.journeys, cohorts.persistence, live=cohorts.worker.projection.view
    )
    rebuilt = total(cohorts.table(Request(FY)))
    assert figure(rebuilt, Metric.PERMANENT_ACCOMMODATION).numerator.value == 17


def test_the_organisation_and_area_are_where_the_case_stood_at_the_periods_end(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 4, 3), organisation="org-a") for _ in range(4)]
    for case_id in cases:
        cohorts.do(date(2023, 9, 1), "transfer_case", case_id, "org-b", reason="moved")
        cohorts.step(
            case_id,
            "transition.moved_area",
            date(2023, 9, 1),
            {"local_authority": "Camden"},
        )
    by = (Dimension.ORGANISATION, Dimension.REGION)
    q1 = cohorts.table(Request(named_period("2023/24-Q1"), by=by))
    year = cohorts.table(Request(FY, by=by))
    assert [r.value for r in q1.rows if r.dimension] == [
        "org-a",
        "Yorkshire and The Humber",
    ]
    assert [r.value for r in year.rows if r.dimension] == ["org-b", "London"]


# Rebuild and cohort


def test_the_view_rebuilt_from_scratch_gives_the_same_tables(cohorts: Cohorts) -> None:
    record_random_cohort(cohorts, seed=3, cases=25)
    request = Request(
        Period(date(2022, 1, 1), date(2023, 12, 31)), by=(Dimension.ORGANISATION,)
    )
    live = cohorts.table(request)
    rebuilt = rebuild_evaluation(
        cohorts.journeys, cohorts.persistence, live=cohorts.worker.projection.view
    )
    assert rebuilt.position == cohorts.journeys.log_position()
    again = cohorts.table(request)
    assert again.rows == live.rows
    # The live worker resumes on the rebuilt view.
    case_id = cohorts.open(date(2024, 2, 1))
    cohorts.worker.catch_up()
    assert cohorts.worker.position() == cohorts.journeys.log_position()
    del case_id


def test_a_cohort_export_is_pseudonymous_coarse_and_per_evaluator(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(12)]
    for case_id in cases:
        cohorts.step(case_id, "housing.advocacy", date(2023, 5, 2))
    reader = cohorts.reader(threshold=3)
    first = reader.cohort(Request(FY), "evaluator-a")
    second = reader.cohort(Request(FY), "evaluator-b")
    assert len(first.rows) == 12 and not first.withheld
    assert {r["pseudonym"] for r in first.rows}.isdisjoint(
        r["pseudonym"] for r in second.rows
    )
    text = first.as_csv() + first.as_json_lines()
    for case_id in cases:
        assert str(case_id) not in text
    assert "EV-" not in text and "Leeds" not in text
    assert {r["opened_quarter"] for r in first.rows} == {"2023-Q2"}
    assert all(r["advocacy_housing"] is True for r in first.rows)
    # Fewer than the threshold: nothing is released.
    assert reader.cohort(Request(named_period("2022/23")), "evaluator-a").withheld


def test_breakdowns_by_organisation_and_age_band_at_opening(
    cohorts: Cohorts,
) -> None:
    young = [cohorts.open(date(2023, 4, 3), organisation="org-a") for _ in range(4)]
    older = [cohorts.open(date(2023, 4, 3), organisation="org-a") for _ in range(5)]
    elsewhere = [cohorts.open(date(2023, 4, 3), organisation="org-b") for _ in range(6)]
    for case_id in young:
        cohorts.do(date(2023, 4, 3), "record_date_of_birth", case_id, "2004-05")
    for case_id in older:
        # Born in 1980: 42 or 43 when the case opened, 35-44 either way.
        cohorts.do(date(2023, 4, 3), "record_date_of_birth", case_id, "1980")
    del elsewhere
    table = cohorts.table(Request(FY, by=(Dimension.ORGANISATION, Dimension.AGE_BAND)))

    def clients(dimension: Dimension, value: str) -> int | None:
        return figure(cell(table, dimension, value), Metric.CLIENTS).numerator.value

    assert figure(total(table), Metric.CLIENTS).numerator.value == 15
    assert clients(Dimension.ORGANISATION, "org-a") == 9
    assert clients(Dimension.ORGANISATION, "org-b") == 6
    assert clients(Dimension.AGE_BAND, "18-24") == 4
    assert clients(Dimension.AGE_BAND, "35-44") == 5
    assert clients(Dimension.AGE_BAND, "unknown") == 6
    # Age bands in their own order, not alphabetically.
    bands = [r.value for r in table.rows if r.dimension is Dimension.AGE_BAND]
    assert bands == ["18-24", "35-44", "unknown"]


def test_a_cell_is_suppressed_alike_whichever_rows_are_asked_for(
    cohorts: Cohorts,
) -> None:
    """Asked for alone, a region's figure could otherwise be published where,
    beside its local authorities, it was withheld (or the other way round), and
    one answer set against another would recover what each hides."""
    record_random_cohort(cohorts, seed=11, cases=60)
    period = Period(date(2022, 4, 1), date(2023, 9, 30))
    reader = cohorts.reader(threshold=5)
    alone = reader.evaluation(Request(period, by=(Dimension.REGION,)))
    beside = reader.evaluation(
        Request(period, by=(Dimension.LOCAL_AUTHORITY, Dimension.REGION))
    )
    everything = reader.evaluation(Request(period, by=tuple(Dimension)))

    def region_rows(table: Table) -> list[Row]:
        return [r for r in table.rows if r.dimension in (None, Dimension.REGION)]

    assert region_rows(alone) == region_rows(beside) == region_rows(everything)
    narrower = reader.evaluation(
        Request(period, by=(Dimension.REGION,), metrics=(Metric.CLIENTS,))
    )
    assert [figure(r, Metric.CLIENTS) for r in narrower.rows] == [
        figure(r, Metric.CLIENTS) for r in alone.rows
    ]


def test_a_refreshed_snapshot_equals_one_loaded_afresh(cohorts: Cohorts) -> None:
    """The reader reloads only the cases changed since its snapshot: new cases,
    new steps, corrections, withdrawals and closures must all come through."""
    record_random_cohort(cohorts, seed=5, cases=30)
    reader = cohorts.reader(threshold=3)
    reader.refresh_seconds = 0
    period = Period(date(2022, 1, 1), date(2024, 12, 31))
    request = Request(period, by=(Dimension.ORGANISATION, Dimension.REGION))
    before = reader.evaluation(request)

    journeys = cohorts.journeys
    case_ids = [i for i in journeys.case_ids() if not journeys.case_summary(i).closed]
    late = date(2024, 6, 3)
    cohorts.do(late, "withdraw_consent", case_ids[0], "evaluation")
    for case_id in case_ids[1:4]:
        cohorts.step(case_id, "employment.employment_gained", late, recorded=late)
    for _ in range(4):
        cohorts.open(late, organisation="org-east", local_authority="Cardiff")
    cohorts.worker.catch_up()

    refreshed = reader.evaluation(request)
    afresh = cohorts.table(request, threshold=3)
    assert refreshed.position == afresh.position > before.position
    assert refreshed.rows == afresh.rows


# Definitions as evaluators read them: each test failed on the first reading.


def test_a_case_entered_late_counts_from_the_day_advocacy_began(
    cohorts: Cohorts,
) -> None:
    """Four cases whose advocacy began in March 2023 were entered in April: they
    are clients of 2022/23, and their six months run from March."""
    cases = [cohorts.open(date(2023, 4, 12), began=date(2023, 3, 20)) for _ in range(4)]
    for case_id in cases:
        cohorts.step(
            case_id, "engagement.contact", date(2023, 9, 20), {"mode": "phone"}
        )
    last_year = total(cohorts.table(Request(named_period("2022/23"))))
    assert figure(last_year, Metric.CLIENTS).numerator.value == 4
    september = Period(date(2023, 9, 1), date(2023, 9, 30))
    engaged = figure(total(cohorts.table(Request(september))), Metric.ENGAGED_6_MONTHS)
    assert engaged.numerator.value == 4
    assert engaged.denominator is not None and engaged.denominator.value == 4
    # The cohort export's opening quarter is the quarter advocacy began.
    export = cohorts.reader().cohort(Request(named_period("2022/23")), "evaluator-a")
    assert {r["opened_quarter"] for r in export.rows} == {"2023-Q1"}


def test_a_re_engagement_ends_a_disengagement(cohorts: Cohorts) -> None:
    """Seven survivors disengaged at three months; four re-engaged at four
    months. All seven had a contact at seven months: the four count as engaged."""
    cases = [cohorts.open(date(2023, 1, 9)) for _ in range(7)]
    for n, case_id in enumerate(cases):
        cohorts.step(case_id, "engagement.disengaged", date(2023, 4, 11))
        if n < 4:
            cohorts.step(case_id, "engagement.re_engaged", date(2023, 5, 9))
        cohorts.step(case_id, "engagement.contact", date(2023, 8, 7), {"mode": "phone"})
    engaged = figure(total(cohorts.table(Request(FY))), Metric.ENGAGED_6_MONTHS)
    assert engaged.numerator.value == 4
    assert engaged.denominator is not None and engaged.denominator.value == 7


def test_a_disengagement_after_six_months_counts_until_a_re_engagement(
    cohorts: Cohorts,
) -> None:
    """Disengaged at seven months, in contact at eight: not engaged then, until
    the three who re-engaged at nine months are in contact again at ten."""
    cases = [cohorts.open(date(2023, 1, 9)) for _ in range(6)]
    for case_id in cases:
        cohorts.step(case_id, "engagement.disengaged", date(2023, 8, 9))
        cohorts.step(
            case_id, "engagement.contact", date(2023, 9, 8), {"mode": "letter"}
        )
    for case_id in cases[:3]:
        cohorts.step(case_id, "engagement.re_engaged", date(2023, 10, 9))
        cohorts.step(
            case_id, "engagement.contact", date(2023, 11, 8), {"mode": "phone"}
        )
    to_october = Period(date(2023, 4, 1), date(2023, 10, 31))
    before = figure(total(cohorts.table(Request(to_october))), Metric.ENGAGED_6_MONTHS)
    assert before.numerator.value is None  # none engaged: zero, suppressed
    after = figure(total(cohorts.table(Request(FY))), Metric.ENGAGED_6_MONTHS)
    assert after.numerator.value == 3


def test_accommodation_lost_is_not_housing_advocacy(cohorts: Cohorts) -> None:
    lost = [cohorts.open(date(2023, 4, 3)) for _ in range(5)]
    helped = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    for case_id in lost:
        cohorts.step(case_id, "housing.accommodation_lost", date(2023, 5, 2))
    for case_id in helped:
        cohorts.step(case_id, "housing.advocacy", date(2023, 5, 2))
    housing = figure(total(cohorts.table(Request(FY))), Metric.ADVOCACY_HOUSING)
    assert housing.numerator.value == 4
    assert housing.denominator is not None and housing.denominator.value == 9


def test_each_call_to_give_evidence_is_paired_with_an_attendance_once_its_trial_is_held(
    cohorts: Cohorts,
) -> None:
    """Four survivors each called twice and attending once count two calls of
    which one was attended; an attendance before a call is not its attendance;
    a call whose trial is next year is not yet counted."""
    twice = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    for case_id in twice:
        cohorts.step(case_id, "criminal_justice.witness_called", date(2023, 5, 2))
        cohorts.step(case_id, "criminal_justice.trial_attended", date(2023, 6, 5))
        cohorts.step(case_id, "criminal_justice.witness_called", date(2023, 9, 4))
        cohorts.step(
            case_id,
            "criminal_justice.verdict",
            date(2023, 11, 6),
            {"outcome": "acquitted", "trafficking_offence": False},
        )
    pending = [cohorts.open(date(2023, 4, 3)) for _ in range(3)]
    for case_id in pending:
        cohorts.step(case_id, "criminal_justice.witness_called", date(2024, 2, 5))
        cohorts.step(case_id, "criminal_justice.trial_attended", date(2024, 5, 7))
    year = figure(total(cohorts.table(Request(FY))), Metric.ATTENDED_WHEN_CALLED)
    assert year.denominator is not None and year.denominator.value == 8
    assert year.numerator.value == 4
    # In the cohort, a client attended when called if every call of the
    # period whose trial has taken place was attended.
    export = cohorts.reader().cohort(Request(FY), "evaluator-a")
    flags = sorted(
        (str(r["attended_when_called"]), r["witness_called"]) for r in export.rows
    )
    assert flags == [("False", True)] * 4 + [("None", True)] * 3
    # Counted over the two years, the pending calls' trial has been held.
    both = Period(date(2023, 4, 1), date(2025, 3, 31))
    later = figure(total(cohorts.table(Request(both))), Metric.ATTENDED_WHEN_CALLED)
    assert later.denominator is not None and later.denominator.value == 11
    assert later.numerator.value == 7


def verdict(
    prosecution: str, defendant: str, outcome: str, trafficking: bool
) -> dict[str, Any]:
    return {
        "outcome": outcome,
        "trafficking_offence": trafficking,
        "prosecution_ref": prosecution,
        "defendant_ref": defendant,
    }


def test_one_offender_convicted_with_many_survivor_witnesses_counts_once(
    cohorts: Cohorts,
) -> None:
    """Twelve survivors were witnesses in OP-FORT against six defendants, two
    survivors' cases recording each one's verdict: D-1 to D-3 were convicted of
    a trafficking offence, D-4 and D-5 of other offences, D-6 acquitted. Seven
    other prosecutions ended in three convictions (not of trafficking), three
    acquittals and a hung jury."""
    fort = [cohorts.open(date(2023, 4, 3)) for _ in range(12)]
    for n, case_id in enumerate(fort):
        defendant = n % 6 + 1
        outcome = "acquitted" if defendant == 6 else "convicted"
        cohorts.step(
            case_id,
            "criminal_justice.verdict",
            date(2023, 10, 2),
            verdict("OP-FORT", f"D-{defendant}", outcome, defendant <= 3),
        )
    outcomes = ["convicted"] * 3 + ["acquitted"] * 3 + ["hung_jury"]
    for n, outcome in enumerate(outcomes):
        case_id = cohorts.open(date(2023, 4, 3))
        cohorts.step(
            case_id,
            "criminal_justice.verdict",
            date(2023, 11, 6),
            verdict(f"OP-{n + 2}", "D-1", outcome, False),
        )
    table = cohorts.table(Request(FY))
    convictions = figure(total(table), Metric.CONVICTIONS)
    assert convictions.denominator is not None
    assert convictions.denominator.value == 8  # OP-FORT's five, three others'
    assert convictions.numerator.value == 3
    rate = figure(total(table), Metric.CONVICTION_RATE)
    assert rate.denominator is not None
    assert rate.denominator.value == 7  # a hung jury is no verdict
    assert rate.numerator.value == 4 and rate.share == round(4 / 7, 4)
    assert assert_matches_the_log(cohorts, table, FY) >= 4


def test_an_immigration_appeal_allowed_is_status_granted(cohorts: Cohorts) -> None:
    granted = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    for case_id in granted:
        cohorts.step(
            case_id,
            "immigration.appeal_decided",
            date(2023, 8, 1),
            {"outcome": "allowed"},
        )
    dismissed = [cohorts.open(date(2023, 4, 3)) for _ in range(3)]
    for case_id in dismissed:
        cohorts.step(
            case_id,
            "immigration.appeal_decided",
            date(2023, 8, 1),
            {"outcome": "dismissed"},
        )
    status = figure(total(cohorts.table(Request(FY))), Metric.STATUS_GRANTED)
    assert status.numerator.value == 4


def test_the_wait_for_an_asylum_decision_ends_at_the_asylum_decision(
    cohorts: Cohorts,
) -> None:
    """Decided first on another application (leave of another kind), then, 200
    days after the claim, on the asylum claim itself."""
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    for case_id in cases:
        cohorts.step(case_id, "immigration.asylum_claim_lodged", date(2023, 4, 10))
        cohorts.step(
            case_id,
            "immigration.decision",
            date(2023, 6, 1),
            {"outcome": "other_leave", "asylum_claim": False},
        )
        cohorts.step(
            case_id,
            "immigration.decision",
            date(2023, 10, 27),
            {"outcome": "refused", "asylum_claim": True},
        )
    wait = figure(total(cohorts.table(Request(FY))), Metric.ASYLUM_CLAIM_TO_DECISION)
    assert wait.numerator.value == 4
    assert wait.days is not None and wait.days.median == 200


def test_the_wait_for_compensation_ends_at_an_award_with_an_amount(
    cohorts: Cohorts,
) -> None:
    cases = [cohorts.open(date(2023, 4, 3)) for _ in range(4)]
    for case_id in cases:
        cohorts.step(
            case_id, "compensation.cica_application_submitted", date(2023, 4, 10)
        )
        cohorts.step(
            case_id,
            "compensation.cica_decision",
            date(2023, 7, 3),
            {"outcome": "award", "amount": None},
        )
        cohorts.step(
            case_id,
            "compensation.cica_review_decision",
            date(2023, 12, 1),
            {"outcome": "award", "amount": "11000.00"},
        )
    wait = figure(total(cohorts.table(Request(FY))), Metric.CICA_APPLICATION_TO_AWARD)
    assert wait.numerator.value == 4
    assert wait.days is not None
    assert wait.days.median == (date(2023, 12, 1) - date(2023, 4, 10)).days


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
@pytest.mark.parametrize(
    "outdated",
    [
        "UPDATE {version} SET definitions = 1",  # written under the first definitions
        "DROP TABLE {version}",  # written before views were stamped
    ],
)
def test_a_view_written_under_other_definitions_is_written_again_from_the_log(
    cohorts: Cohorts, outdated: str
) -> None:
    record_random_cohort(cohorts, seed=13, cases=12)
    request = Request(Period(date(2022, 1, 1), date(2023, 12, 31)))
    live = cohorts.table(request)
    old = cohorts.worker.projection.view
    with old.writing() as cursor:
        cursor.execute(old.statement(outdated))

    reopened = evaluation_view(cohorts.persistence)
    try:
        assert reopened.position(cohorts.journeys.name) == 0
        with reopened.reading() as reading:
            rows = reading.rows(reopened.statement("SELECT COUNT(*) FROM {facts}"))
        assert rows == [(0,)]
        worker = ProjectionWorker(
            cohorts.journeys, EvaluationProjection.of(cohorts.journeys, reopened)
        )
        worker.catch_up()
        reader = EvaluationReader(
            reopened, cohorts.journeys.name, threshold=3, pseudonym_key=b"k" * 32
        )
        assert reader.evaluation(request).rows == live.rows
    finally:
        reopened.close()


def _rows(view: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the view's tables but ``changed`` (which says which page
    last touched a case), sorted."""
    columns = {"cases": "case_id, consented, opened_on, six_months_on, engaged_on"}
    found = {}
    with view.reading() as reading:
        for name in ("cases", "spells", "places", "facts", "version"):
            text = f"SELECT {columns.get(name, '*')} FROM {{{name}}}"
            found[name] = sorted(reading.rows(view.statement(text)), key=repr)
    return found


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_worker_of_older_definitions_writes_nothing_once_newer_code_stamped_the_view(
    cohorts: Cohorts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rolling upgrade: the projection worker still runs the older code when a
    process of the newer code opens the view, empties it and stamps it. The
    older worker must not write the view again under its own definitions (the
    stamp would then name definitions the rows do not follow, and the newer
    worker would never write them again): it stops, writing nothing."""
    record_random_cohort(cohorts, seed=21, cases=6)
    older = cohorts.worker
    older.catch_up()
    assert older.position() == cohorts.journeys.log_position()

    monkeypatch.setattr(view_module, "VERSION", view_module.VERSION + 1)
    newer_view = evaluation_view(cohorts.persistence)  # empties and stamps it
    try:
        assert newer_view.position(cohorts.journeys.name) == 0
        cohorts.step(cohorts.open(date(2024, 3, 4)), "benefits.claim_made", None)

        with pytest.raises(Exception, match="definitions"):
            older.catch_up()
        assert newer_view.position(cohorts.journeys.name) == 0
        assert _rows(newer_view)["facts"] == []

        newer = ProjectionWorker(
            cohorts.journeys, EvaluationProjection.of(cohorts.journeys, newer_view)
        )
        newer.catch_up()
        assert newer.position() == cohorts.journeys.log_position()
        assert _rows(newer_view)["version"] == [(1, view_module.VERSION)]
    finally:
        newer_view.close()


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_older_code_opening_a_view_stamped_with_newer_definitions_leaves_it_as_it_is(
    cohorts: Cohorts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other half of a rolling upgrade: an API worker of the older code
    restarting after the newer code wrote the view must not empty it (nor stamp
    it as its own), or the two versions would take turns writing it again."""
    record_random_cohort(cohorts, seed=22, cases=6)
    older_version = view_module.VERSION
    monkeypatch.setattr(view_module, "VERSION", older_version + 1)
    newer_view = evaluation_view(cohorts.persistence)
    try:
        newer = ProjectionWorker(
            cohorts.journeys, EvaluationProjection.of(cohorts.journeys, newer_view)
        )
        newer.catch_up()
        written = _rows(newer_view)
        assert written["facts"] and written["version"] == [(1, older_version + 1)]

        monkeypatch.setattr(view_module, "VERSION", older_version)
        evaluation_view(cohorts.persistence).close()  # the older code starts

        assert newer.position() == cohorts.journeys.log_position()
        assert _rows(newer_view) == written
    finally:
        newer_view.close()


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_older_code_can_neither_rebuild_nor_empty_a_view_stamped_newer(
    cohorts: Cohorts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older release's `waymark rebuild` (or a worker's forget) would stamp
    the view back to its definitions, and the newer workers would then write
    nothing more to it: both are refused, and the view is left as it is."""
    record_random_cohort(cohorts, seed=23, cases=5)
    older_version = view_module.VERSION
    monkeypatch.setattr(view_module, "VERSION", older_version + 1)
    newer_view = evaluation_view(cohorts.persistence)
    try:
        ProjectionWorker(
            cohorts.journeys, EvaluationProjection.of(cohorts.journeys, newer_view)
        ).catch_up()
        written = _rows(newer_view)

        monkeypatch.setattr(view_module, "VERSION", older_version)
        older_view = evaluation_view(cohorts.persistence)
        try:
            with pytest.raises(DefinitionsChanged):
                rebuild_evaluation(
                    cohorts.journeys, cohorts.persistence, live=older_view
                )
            with pytest.raises(DefinitionsChanged):
                older_view.forget(cohorts.journeys.name)
        finally:
            older_view.close()

        assert _rows(newer_view) == written
    finally:
        newer_view.close()


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_worker_stops_for_good_on_a_view_of_newer_code(
    cohorts: Cohorts, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Retrying cannot help (only newer code may write the view), so the
    polling worker logs why and ends, rather than fail every 30 s for ever."""
    worker = cohorts.worker
    calls: list[int] = []

    def newer_code_stamped_it() -> int:
        calls.append(1)
        raise DefinitionsChanged(view_module.VERSION + 1, view_module.VERSION)

    monkeypatch.setattr(worker, "catch_up", newer_code_stamped_it)
    worker._keep_current()  # returns: it would otherwise loop until stopped

    assert calls == [1]
    assert "evaluation projection stopped" in caplog.text.lower()

"""Property: replaying the log of any sequence of commands gives the same case and chronology.

Commands are drawn at random, valid and invalid alike. A refused command must leave
the log untouched; an accepted one must change the chronology as a simple model says.
Replaying the stored events into a fresh application must reproduce both exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import CaseJourneys, StepInput
from domain.errors import CommandRefused
from projections.chronology import RowStatus, chronology_of
from storage.settings import persistence_env
from tests.conftest import TODAY

KINDS = {
    "nrm.referred": {},
    "nrm.reasonable_grounds_decision": {"outcome": "positive"},
    "engagement.contact": {"mode": "phone"},
    "housing.accommodation_secured": {"tenure": "permanent"},
    "account.disclosure": {"to_whom": "police"},
}
DATES = [None, "2018", "2019-06~", "2018-03/2018-05", "../2016", "2020-02-29", "2031"]

step_inputs = st.builds(
    StepInput,
    kind=st.sampled_from([*KINDS, "nrm.unknown"]),
    occurred=st.sampled_from(DATES),
    summary=st.sampled_from(["Referred", "Contact by phone", "", "Decision received"]),
    order=st.one_of(st.none(), st.integers(min_value=-1, max_value=3)),
).map(
    lambda step: StepInput(
        step.kind, step.occurred, step.summary, KINDS.get(step.kind), order=step.order
    )
)

commands = st.lists(
    st.one_of(
        st.tuples(st.just("record"), step_inputs),
        st.tuples(st.just("correct"), st.integers(0, 5), step_inputs),
        st.tuples(st.just("retract"), st.integers(0, 5)),
        st.tuples(st.just("dispute"), st.integers(0, 5)),
        st.tuples(st.just("close")),
        st.tuples(st.just("reopen")),
    ),
    max_size=12,
)


@dataclass
class Model:
    """What the chronology should say, kept by hand."""

    steps: dict[UUID, tuple[str, RowStatus]] = field(default_factory=dict)
    order: list[UUID] = field(default_factory=list)

    def pick(self, index: int) -> UUID | None:
        return self.order[index % len(self.order)] if self.order else None


def new_app() -> CaseJourneys:
    env = persistence_env({"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path="")
    return CaseJourneys(env=env, today=lambda: TODAY)


def apply(app: CaseJourneys, case_id: UUID, command: tuple, model: Model) -> None:  # type: ignore[type-arg]
    by = {"recorded_by": "advocate-prop"}
    name = command[0]
    if name == "record":
        step_id = app.record_step(case_id, command[1], **by).id
        model.steps[step_id] = (command[1].summary, RowStatus.CURRENT)
        model.order.append(step_id)
        return
    if name == "close":
        app.close_case(case_id, reason="closing", **by)
        return
    if name == "reopen":
        app.reopen_case(case_id, reason="reopening", **by)
        return
    target = model.pick(command[1])
    if target is None:
        return
    summary, status = model.steps[target]
    if name == "correct":
        app.correct_step(case_id, target, command[2], reason="corrected", **by)
        new_status = status if status is RowStatus.DISPUTED else RowStatus.CORRECTED
        model.steps[target] = (command[2].summary, new_status)
    elif name == "retract":
        app.retract_step(case_id, target, reason="retracted", **by)
        model.steps[target] = (summary, RowStatus.RETRACTED)
    else:
        app.dispute_step(
            case_id, target, disputed_by="survivor", other_version="Otherwise", **by
        )
        model.steps[target] = (summary, RowStatus.DISPUTED)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands)
def test_replaying_any_sequence_of_commands_yields_the_same_case_and_chronology(
    sequence: list[tuple],  # type: ignore[type-arg]
) -> None:
    app = new_app()
    case_id = app.open_case(
        reference="PROP-1",
        organisation_id="org-prop",
        jurisdiction="england_and_wales",
        recorded_by="advocate-prop",
    ).case_id
    model = Model()
    for command in sequence:
        before = app.log_position()
        try:
            apply(app, case_id, command, model)
        except CommandRefused:
            assert app.log_position() == before

    live = chronology_of(app.case_events(case_id))
    assert {row.step_id: (row.current.summary, row.status) for row in live.rows} == (
        model.steps
    )

    replayed_app = new_app()
    stored = app.recorder.select_notifications(start=None, limit=10_000)
    replayed_app.recorder.insert_events(list(stored))
    assert replayed_app.case_summary(case_id) == app.case_summary(case_id)
    assert chronology_of(replayed_app.case_events(case_id)) == live
    assert replayed_app.verify_chain(case_id).intact

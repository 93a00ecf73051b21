"""The demo cases and the ``waymark`` command line.

The demo runs on the in-memory, SQLite and PostgreSQL stores; the command line on a
SQLite file in a temporary directory, as a newcomer would run it. Every case and
every fact here is synthetic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.auth import Role, authenticate
from api.cli import app
from api.settings import Settings
from demo.cases import (
    DEMO_ADVOCATE,
    DEMO_COUNSEL,
    DEMO_ORGANISATION,
    DEMO_SHARED_CASE,
    DemoSummary,
    load_demo,
)
from domain.application import CaseJourneys
from domain.case import CounselShared
from domain.clocks import ClockKind
from domain.dates import uk_day
from projections.chronology import (
    Chronology,
    ChronologyRow,
    LeftOutReason,
    Purpose,
    RowStatus,
    chronology_of,
)
from projections.deadlines import deadlines_of
from tests.conftest import TODAY

SECRET = "cli-test-secret-" + "y" * 32


@pytest.fixture
def demo(journeys: CaseJourneys) -> DemoSummary:
    return load_demo(journeys)


def chronology(journeys: CaseJourneys, demo: DemoSummary, reference: str) -> Chronology:
    return chronology_of(journeys.case_events(demo.case_id(reference)))


def rows_of(chronology: Chronology, kind: str) -> list[ChronologyRow]:
    return [row for row in chronology.rows if row.current.kind == kind]


# The demo


def test_the_demo_loads_maureen_jin_and_five_prosecution_witnesses(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    references = [case.reference for case in demo.cases]
    assert references == [
        "MAUREEN-D1",
        "JIN-D1",
        *(f"FORT-D{n}" for n in range(1, 6)),
    ]
    assert list(journeys.case_ids()) == [case.case_id for case in demo.cases]
    assert demo.recorded > 0 and demo.already_present == 0
    assert demo.position == journeys.log_position()
    for case in demo.cases:
        summary = journeys.case_summary(case.case_id)
        assert summary.advocate_id is not None
        assert {"record_keeping", "evaluation"} <= set(summary.consents)
    maureen = journeys.case_summary(demo.case_id("MAUREEN-D1"))
    assert maureen.organisation_id == DEMO_ORGANISATION
    assert maureen.advocate_id == DEMO_ADVOCATE


def test_the_demo_holds_what_compensation_claims_and_their_clocks_rest_on(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    assert journeys.case_summary(demo.case_id("JIN-D1")).born == "2000-03"
    for reference in ("FORT-D3", "FORT-D4"):
        events = journeys.case_events(demo.case_id(reference))
        kinds = {row.current.kind for row in chronology_of(events).rows}
        assert {
            "harm.incident",
            "harm.injury",
            "health.diagnosis",
            "compensation.loss",
        } <= kinds
        clocks = deadlines_of(journeys.case_events(demo.case_id(reference)), TODAY)
        application = [
            clock for clock in clocks.clocks if clock.kind is ClockKind.CICA_APPLICATION
        ]
        assert len(application) == 1 and application[0].needs


def test_loading_the_demo_twice_records_nothing_new(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    again = load_demo(journeys)

    assert again.recorded == 0
    assert again.already_present == demo.recorded
    assert again.position == demo.position == journeys.log_position()
    assert again.cases == demo.cases
    assert len(list(journeys.case_ids())) == len(demo.cases)


def test_the_demo_counsel_has_a_cica_share_of_one_case_leaving_out_its_diagnosis(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    shared = [
        case.reference
        for case in demo.cases
        if journeys.case_access(case.case_id).live_shares(DEMO_COUNSEL)
    ]
    assert shared == [DEMO_SHARED_CASE]
    case_id = demo.case_id(DEMO_SHARED_CASE)
    (share,) = journeys.case_access(case_id).live_shares(DEMO_COUNSEL)
    assert (share.purpose, share.include_sensitive) == ("cica", False)
    events = journeys.case_events(case_id)
    cica = chronology_of(events, purpose=Purpose.CICA, include_sensitive=False)
    # The clinical psychologist's diagnosis is mental-health content.
    assert cica.sensitive_left_out == 1
    assert "health.diagnosis" not in {row.current.kind for row in cica.rows}


def test_every_demo_case_chain_verifies(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    for case in demo.cases:
        report = journeys.verify_chain(case.case_id)
        assert report.intact, case.reference
        assert report.events == journeys.case_summary(case.case_id).version


def test_maureens_chronology_shows_both_accounts_and_when_each_was_given(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    accounts = rows_of(chronology(journeys, demo, "MAUREEN-D1"), "account.disclosure")

    assert [(row.current.when, row.current.details["to_whom"]) for row in accounts] == [
        ("c. March 2016", "first responder"),
        ("15 August 2017", "immigration enforcement, with her advocate"),
    ]
    assert "differs from the account given in March 2016" in accounts[1].current.summary
    assert accounts[0].current.sources[0].cite == "NRM referral form, section 3 [B/3]"


def test_maureens_negative_rg_decision_is_disputed_with_both_versions(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    decisions = rows_of(
        chronology(journeys, demo, "MAUREEN-D1"), "nrm.reasonable_grounds_decision"
    )

    negative, positive = decisions
    assert negative.current.details == {"outcome": "negative"}
    assert negative.status is RowStatus.DISPUTED
    assert negative.current.summary.startswith("Negative reasonable grounds decision")
    assert negative.current.sources[0].cite == (
        "Home Office RG decision letter, p. 2, paras 6-9 [B/12]"
    )
    (dispute,) = negative.disputes
    assert dispute.disputed_by == "Maureen, through her advocate"
    assert dispute.other_occurred is not None
    assert dispute.other_occurred.display == negative.current.when == "12 April 2016"
    assert "prepared for her by the person she was working for" in (
        dispute.other_version
    )
    assert [cite.cite for cite in dispute.sources][-1] == (
        "Request for reconsideration of RG decision, para 4 [B/40]"
    )
    assert positive.current.details == {"outcome": "positive"}
    assert positive.status is RowStatus.CURRENT


def test_uncertain_dates_print_honestly_and_undated_steps_come_last(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    maureen = chronology(journeys, demo, "MAUREEN-D1")
    jin = chronology(journeys, demo, "JIN-D1")
    when = {row.current.kind: row.current.when for row in maureen.rows}

    assert when["nrm.conclusive_grounds_decision"] == "between March and May 2018"
    assert when["immigration.decision"] == "c. June 2019"
    assert when["health.gp_registered"] == "undated"
    assert maureen.rows[-1].current.kind == "health.gp_registered"
    assert jin.rows[0].current.when == "on or before 2016"
    assert rows_of(jin, "safety.risk_identified")[0].current.when == "c. June 2019"


def test_the_demo_shows_a_correction_a_retraction_and_a_hand_over(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    maureen = chronology(journeys, demo, "MAUREEN-D1")
    jin = chronology(journeys, demo, "JIN-D1")

    (witness,) = rows_of(maureen, "criminal_justice.witness_called")
    assert witness.status is RowStatus.CORRECTED
    assert [version.when for version in witness.history] == [
        "February 2019",
        "11 February 2019",
    ]
    (disengaged,) = rows_of(jin, "engagement.disengaged")
    assert disengaged.status is RowStatus.RETRACTED
    assert disengaged.retraction is not None
    assert disengaged.retraction.reason.startswith("Entered in error")
    handed_over = [
        event
        for event in journeys.case_events(demo.case_id("MAUREEN-D1"))
        if type(event).__name__ == "AdvocateAssigned"
    ]
    assert [
        (event.previous_advocate_id, event.advocate_id)  # type: ignore[attr-defined]
        for event in handed_over
    ] == [(None, "adv-north-03"), ("adv-north-03", DEMO_ADVOCATE)]


def test_jins_re_trafficking_risk_and_the_long_wait_for_asylum_are_on_record(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    jin = chronology(journeys, demo, "JIN-D1")
    kinds = [row.current.kind for row in jin.rows if row.retraction is None]

    assert kinds.index("transition.turned_18") < kinds.index("account.disclosure")
    (risk,) = rows_of(jin, "safety.risk_identified")
    assert "cannabis farm" in risk.current.summary
    (claim,) = rows_of(jin, "immigration.asylum_claim_lodged")
    (decision,) = rows_of(jin, "immigration.decision")
    assert claim.current.occurred is not None and decision.current.occurred is not None
    claim_day, decision_day = (
        claim.current.occurred.earliest,
        decision.current.occurred.earliest,
    )
    assert claim_day is not None and decision_day is not None
    assert 4.5 < (decision_day - claim_day).days / 365.25 < 5
    assert decision.current.details == {
        "outcome": "refugee_status",
        "asylum_claim": True,
    }
    homes = [
        row.current.details["tenure"]
        for row in rows_of(jin, "housing.accommodation_secured")
    ]
    assert homes == ["supported", "permanent"]


def test_the_prosecution_witnesses_gave_evidence_at_three_trials_and_some_claims_run_on(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    verdict_years: set[str] = set()
    awaiting_cica = []
    for n in range(1, 6):
        case = chronology(journeys, demo, f"FORT-D{n}")
        kinds = [row.current.kind for row in case.rows]
        for kind in (
            "criminal_justice.crime_reported",
            "criminal_justice.abe_interview",
            "criminal_justice.witness_called",
            "criminal_justice.trial_listed",
            "criminal_justice.trial_attended",
            "criminal_justice.evidence_given",
            "criminal_justice.verdict",
        ):
            assert kind in kinds, (n, kind)
        assert kinds.count("criminal_justice.witness_called") == kinds.count(
            "criminal_justice.trial_attended"
        )
        verdict_years.update(
            row.current.when[-4:] for row in rows_of(case, "criminal_justice.verdict")
        )
        if kinds and kinds[-1] in {
            "compensation.cica_application_submitted",
            "compensation.cica_review_requested",
        }:
            awaiting_cica.append(n)
        assert all(row.warnings == () for row in case.rows), n
    assert verdict_years == {"2019", "2021", "2024"}
    assert len(awaiting_cica) >= 2


def test_the_demo_is_recorded_on_the_days_of_its_journeys_across_the_years(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    years: set[int] = set()
    for case in demo.cases:
        events = journeys.case_events(case.case_id)
        moments = [event.timestamp for event in events]
        # Each case's events keep their order in time, and its chain still holds.
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        assert journeys.verify_chain(case.case_id).intact, case.reference
        # The counsel share runs from the day the demo is loaded.
        years.update(
            event.timestamp.year
            for event in events
            if not isinstance(event, CounselShared)
        )
        for row in chronology_of(events).rows:
            occurred = row.history[0].occurred
            if occurred is not None and occurred.earliest is not None:
                # Never recorded before the earliest day it can have happened.
                assert uk_day(row.first_recorded_at) >= occurred.earliest, row.label
    assert min(years) == 2015 and max(years) == 2024
    maureen = journeys.case_summary(demo.case_id("MAUREEN-D1"))
    assert (maureen.opened_at.year, maureen.modified_at.year) == (2016, 2019)


def test_a_newcomer_sees_late_disclosure_and_corrections_as_they_happened(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    maureen_id = demo.case_id("MAUREEN-D1")

    def maureen_as_at(moment: datetime) -> Chronology:
        events = journeys.case_events(maureen_id, until=moment)
        return chronology_of(events, as_at=moment)

    # At the start of 2017 the record held only the account her exploiter shaped.
    early = maureen_as_at(datetime(2017, 1, 1, tzinfo=UTC))
    assert len(rows_of(early, "account.disclosure")) == 1
    (negative,) = rows_of(early, "nrm.reasonable_grounds_decision")
    assert negative.status is RowStatus.CURRENT
    # By October 2017 her own account was on record and the decision disputed.
    later = maureen_as_at(datetime(2017, 10, 1, tzinfo=UTC))
    assert len(rows_of(later, "account.disclosure")) == 2
    assert rows_of(later, "nrm.reasonable_grounds_decision")[0].status is (
        RowStatus.DISPUTED
    )
    # The witness date was corrected weeks later, when the letter came.
    (witness,) = rows_of(
        chronology(journeys, demo, "MAUREEN-D1"), "criminal_justice.witness_called"
    )
    first, corrected = (uk_day(version.recorded_at) for version in witness.history)
    assert (corrected - first).days >= 7
    # Jin's childhood was entered in 2018, from his account and the council's records.
    jin = chronology(journeys, demo, "JIN-D1")
    (found,) = rows_of(jin, "safety.safeguarding_referral")
    assert found.current.when == "on or before 2016"
    assert found.first_recorded_at.year == 2018


def test_the_demo_reports_what_may_be_disputed_as_reported_never_as_fact(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    for case in demo.cases:
        for row in chronology(journeys, demo, case.reference).rows:
            if row.current.kind in {"harm.incident", "harm.injury"}:
                assert row.current.summary.startswith("Reported"), row.current.summary
            assert "below" not in row.current.summary, row.current.summary
            for dispute in row.disputes:
                assert dispute.other_version.startswith("She says"), case.reference
    (reported,) = rows_of(
        chronology(journeys, demo, "MAUREEN-D1"), "criminal_justice.crime_reported"
    )
    assert reported.current.summary.startswith("Reported to the police that")


def test_a_witness_cica_chronology_carries_her_harm_losses_and_own_conviction(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    def cica(reference: str) -> set[str]:
        events = journeys.case_events(demo.case_id(reference))
        served = chronology_of(events, purpose=Purpose.CICA)
        return {row.current.kind for row in served.rows}

    assert {
        "harm.incident",
        "harm.injury",
        "health.diagnosis",
        "compensation.loss",
        "criminal_justice.crime_reported",
        "criminal_justice.verdict",
        "compensation.cica_application_submitted",
    } <= cica("FORT-D3")
    # The conviction CICA cited for its nil award is on the chronology it reads.
    assert {"own_conviction.convicted", "compensation.cica_decision"} <= cica("FORT-D2")


def test_jins_criminal_trial_chronology_names_what_it_leaves_out(
    journeys: CaseJourneys, demo: DemoSummary
) -> None:
    events = journeys.case_events(demo.case_id("JIN-D1"))
    trial = chronology_of(events, purpose=Purpose.CRIMINAL_TRIAL)

    kinds = {row.current.kind for row in trial.rows}
    assert {"immigration.asylum_claim_lodged", "immigration.decision"} <= kinds
    left_out = {entry.reason: entry.steps for entry in trial.selection.left_out}
    assert left_out == {
        # Two homes, the guardian service ending, and his job.
        LeftOutReason.RECOVERY_SUPPORT: 4,
        # The appointment with his immigration adviser.
        LeftOutReason.LEGAL_ADVICE: 1,
        # The disengagement entered in error (retracted, still counted).
        LeftOutReason.ADVOCATE_CONTACT: 1,
    }
    assert len(trial.rows) + trial.selection.steps_left_out == len(
        chronology_of(events).rows
    )


# The command line


@pytest.fixture
def cli_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """A newcomer's working directory, with the default SQLite file in it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WAYMARK_DATABASE_URL", raising=False)
    monkeypatch.delenv("WAYMARK_TOKEN_PUBLIC_KEY", raising=False)
    monkeypatch.delenv("WAYMARK_TOKEN_SECRET", raising=False)
    yield {"WAYMARK_TOKEN_SECRET": SECRET}


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, result.output


def test_the_token_command_prints_a_token_the_api_accepts(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, output = cli(
        cli_env,
        "token",
        "--role",
        "manager",
        "--organisation",
        "org-south",
        "--subject",
        "mgr-south-01",
    )

    assert code == 0
    settings = Settings.from_environ(cli_env, workdir=tmp_path)
    principal = authenticate(settings, f"Bearer {output.strip()}")
    assert principal.role is Role.MANAGER
    assert principal.organisation_id == "org-south"
    assert principal.subject == "mgr-south-01"


def test_the_token_command_refuses_an_advocate_without_an_organisation(
    cli_env: dict[str, str],
) -> None:
    code, output = cli(cli_env, "token", "--role", "advocate")

    assert code == 2
    assert "must name their organisation" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("hours", ["0.5", "169", "1e9", "nan"])
def test_the_token_command_refuses_a_lifetime_beyond_a_week_in_one_line(
    cli_env: dict[str, str], hours: str
) -> None:
    code, output = cli(cli_env, "token", "--role", "evaluator", "--hours", hours)

    assert code == 2
    assert output.strip() == "Error: --hours must be from 1 to 168 (a week)"


def test_the_token_command_refuses_a_subject_with_control_characters(
    cli_env: dict[str, str],
) -> None:
    code, output = cli(cli_env, "token", "--role", "evaluator", "--subject", "ev\x1b1")

    assert code == 2
    assert output.strip().startswith("Error: --subject: contains U+001B")
    assert "\x1b" not in output


def test_without_a_configured_secret_tokens_are_signed_with_one_kept_beside_the_db(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, output = cli({}, "token", "--role", "evaluator")

    assert code == 0
    assert (tmp_path / ".waymark-secret").exists()
    principal = authenticate(
        Settings.from_environ({}, workdir=tmp_path), f"Bearer {output.strip()}"
    )
    assert principal.role is Role.EVALUATOR


def test_loading_the_demo_twice_from_the_command_line_records_nothing_new(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    first_code, first = cli(cli_env, "demo")
    second_code, second = cli(cli_env, "demo")

    assert (first_code, second_code) == (0, 0)
    assert "7 synthetic cases" in first and "new records" in first
    assert "nothing new recorded" in second
    assert first.rsplit("Log position", 1)[1] == second.rsplit("Log position", 1)[1]
    assert (tmp_path / "waymark.db").exists()


def test_verify_reports_every_chain_intact(cli_env: dict[str, str]) -> None:
    cli(cli_env, "demo")

    code, output = cli(cli_env, "verify")

    assert code == 0
    # The seven stories and the 400 cases of the evaluation cohort.
    assert "Checked 407 cases" in output and "every chain is intact" in output


def test_verify_names_a_tampered_case_and_exits_1(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli(cli_env, "demo", "--cohort", "0")
    tampered_case = tamper_with_a_step(tmp_path / "waymark.db")

    code, output = cli(cli_env, "verify")

    assert code == 1
    # A sealed event cannot be altered unnoticed: it no longer opens at all.
    (unreadable,) = [
        line for line in output.splitlines() if line.startswith("UNREADABLE")
    ]
    assert str(tampered_case) in unreadable and "integrity check" in unreadable
    assert "0 broken, 1 unreadable, 6 intact" in output
    assert "Traceback" not in output


def test_verify_on_another_database_url_reads_that_store(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "w.db"
    elsewhere.parent.mkdir()
    env = {**cli_env, "WAYMARK_DATABASE_URL": f"sqlite:///{elsewhere}"}
    cli(env, "demo", "--cohort", "0")

    code, output = cli(env, "verify")

    assert code == 0 and "Checked 7 cases" in output
    assert elsewhere.exists() and not (tmp_path / "waymark.db").exists()


def test_an_unsupported_database_url_is_a_clear_error_not_a_traceback(
    cli_env: dict[str, str],
) -> None:
    env = {**cli_env, "WAYMARK_DATABASE_URL": "mysql://user:hunter2@db/waymark"}

    code, output = cli(env, "verify")

    assert code == 2
    assert "Unsupported database URL scheme: 'mysql'" in output
    assert "hunter2" not in output and "Traceback" not in output


def tamper_with_a_step(path: Path) -> UUID:
    """Alters a stored (sealed) step behind the application's back."""
    with sqlite3.connect(path) as connection:
        originator_id, version, state = connection.execute(
            "SELECT originator_id, originator_version, state FROM stored_events "
            "WHERE topic = 'waymark.case:StepRecorded' LIMIT 1"
        ).fetchone()
        connection.execute(
            "UPDATE stored_events SET state = ? "
            "WHERE originator_id = ? AND originator_version = ?",
            (state[:-1] + bytes([state[-1] ^ 1]), originator_id, version),
        )
    connection.close()
    return UUID(originator_id)

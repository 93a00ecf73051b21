"""Narrated journeys from the policy paper, on the in-memory, SQLite and PostgreSQL stores.

All names are pseudonyms already; every fact here is synthetic.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from domain.application import CaseJourneys, StepInput
from projections.chronology import Chronology, Purpose, RowStatus, chronology_of

ADVOCATE = "advocate-maple"


def chronology(app: CaseJourneys, case_id: UUID, **options: object) -> Chronology:
    as_at = options.get("as_at")
    events = app.case_events(
        case_id, until=as_at if isinstance(as_at, datetime) else None
    )
    return chronology_of(events, **options)  # type: ignore[arg-type]


def record(app: CaseJourneys, case_id: UUID, *step: object, **kwargs: object) -> UUID:
    return app.record_step(case_id, StepInput(*step, **kwargs), recorded_by=ADVOCATE).id  # type: ignore[arg-type]


def test_maureens_record_shows_both_accounts_and_when_each_was_given(
    journeys: CaseJourneys,
) -> None:
    # Maureen's exploiter dictated her first account; a negative RG decision followed.
    case_id = journeys.open_case(
        reference="MAUREEN-T1",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        local_authority="Northtown",
        recorded_by=ADVOCATE,
    ).case_id
    letter = journeys.attach_evidence(
        case_id,
        title="Home Office RG decision letter",
        document_kind="letter",
        bundle_ref="B/12",
        recorded_by=ADVOCATE,
    ).id
    first_account = record(
        journeys,
        case_id,
        "account.disclosure",
        "2018-03/2018-05",
        "Gave an account to the first responder, in the presence of her employer",
        {"to_whom": "first responder"},
        [{"document": "NRM referral form", "pin": "section 3"}],
    )
    record(journeys, case_id, "nrm.referred", "2018-05", "Referred into the NRM")
    negative_rg = record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2018-06-04",
        "Negative reasonable grounds decision",
        {"outcome": "negative"},
        [{"document": str(letter), "pin": "p. 2"}],
    )
    # Arrested for working on a false passport while in domestic servitude.
    record(
        journeys,
        case_id,
        "own_conviction.arrested",
        "2019-06~",
        "Arrested for working on a false passport",
    )
    # With her advocate, she tells immigration enforcement the truth.
    second_account = record(
        journeys,
        case_id,
        "account.disclosure",
        "2019-07-15",
        "Gave an account to immigration enforcement, with her advocate present",
        {"to_whom": "immigration enforcement"},
    )
    journeys.dispute_step(
        case_id,
        negative_rg,
        disputed_by="survivor",
        other_version="The account the decision relied on was dictated by her employer",
        other_occurred=None,
        recorded_by=ADVOCATE,
    )
    served = chronology(journeys, case_id)
    served_at = datetime.now(UTC)

    record(
        journeys,
        case_id,
        "nrm.reconsideration_requested",
        "2019-08",
        "Reconsideration requested",
    )
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2019-09-10",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2020-02",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys,
        case_id,
        "immigration.decision",
        "2021",
        "Granted refugee status",
        {"outcome": "refugee_status"},
    )
    record(
        journeys, case_id, "criminal_justice.abe_interview", "2021-03", "ABE interview"
    )
    record(
        journeys,
        case_id,
        "criminal_justice.witness_called",
        "2021-05",
        "Agreed to give evidence",
    )

    now = chronology(journeys, case_id)
    accounts = [row for row in now.rows if row.current.kind == "account.disclosure"]
    assert [row.step_id for row in accounts] == [first_account, second_account]
    assert [row.current.when for row in accounts] == [
        "between March and May 2018",
        "15 July 2019",
    ]
    # Each row also says when it entered the record, from the log's own clock.
    assert accounts[0].first_recorded_at < accounts[1].first_recorded_at < served_at

    rg_rows = [row for row in now.rows if row.label == "Reasonable grounds decision"]
    assert [row.status for row in rg_rows] == [RowStatus.DISPUTED, RowStatus.CURRENT]
    disputed = rg_rows[0]
    assert disputed.current.summary == "Negative reasonable grounds decision"
    assert disputed.disputes[0].other_version.startswith(
        "The account the decision relied on"
    )
    assert (
        disputed.current.sources[0].cite
        == "Home Office RG decision letter, p. 2 [B/12]"
    )

    # The chronology served earlier is reproduced exactly as it stood then.
    assert chronology(journeys, case_id, as_at=served_at) == _as_at(served, served_at)
    assert journeys.verify_chain(case_id).intact


def test_jins_journey_is_recorded_as_disclosed_and_read_in_date_order(
    journeys: CaseJourneys,
) -> None:
    # The advocate takes over when Jin turns 18; earlier steps are recorded as he discloses them.
    case_id = journeys.open_case(
        reference="JIN-T1",
        organisation_id="org-south",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    journeys.assign_advocate(case_id, ADVOCATE, recorded_by="manager-oak")
    journeys.give_consent(case_id, "record_keeping", recorded_by=ADVOCATE)
    record(
        journeys,
        case_id,
        "transition.turned_18",
        "2020-04",
        "Turned 18; child support ended",
    )
    record(
        journeys,
        case_id,
        "immigration.asylum_claim_lodged",
        "2018-09~",
        "Asylum claim lodged while a child, with his guardian",
    )
    record(
        journeys,
        case_id,
        "nrm.referred",
        "2018-08",
        "Referred into the NRM as a child by police",
    )
    referral_note = record(
        journeys,
        case_id,
        "safety.risk_identified",
        None,
        "Told his advocate of pressure to return to the people who exploited him",
    )
    job = record(
        journeys,
        case_id,
        "safety.risk_identified",
        "2021-06",
        "A job offer was recognised as a known cannabis farm; he declined it",
    )
    record(
        journeys,
        case_id,
        "immigration.decision",
        "2023-07",
        "Granted refugee status",
        {"outcome": "refugee_status"},
    )
    record(journeys, case_id, "employment.employment_gained", "2023-10", "Started work")
    record(
        journeys,
        case_id,
        "housing.accommodation_secured",
        "2024-01",
        "Moved into his own home",
        {"tenure": "permanent"},
    )
    journeys.correct_step(
        case_id,
        job,
        StepInput(
            "safety.risk_identified",
            "2021-05/2021-06",
            "A job offer was recognised as a known cannabis farm; he declined it",
        ),
        reason="He recalled the offer came in late May",
        recorded_by=ADVOCATE,
    )

    rows = chronology(journeys, case_id).rows
    assert [row.current.when for row in rows] == [
        "August 2018",
        "c. September 2018",
        "April 2020",
        "between May and June 2021",
        "July 2023",
        "October 2023",
        "January 2024",
        "undated",
    ]
    assert rows[-1].step_id == referral_note
    corrected = next(row for row in rows if row.step_id == job)
    assert corrected.status is RowStatus.CORRECTED
    assert [v.when for v in corrected.history] == [
        "June 2021",
        "between May and June 2021",
    ]
    assert corrected.history[-1].reason == "He recalled the offer came in late May"

    immigration = chronology(journeys, case_id, purpose=Purpose.IMMIGRATION)
    # His work and his home are support, left out of an immigration chronology
    # and counted there; turning 18 is kept.
    assert {row.area for row in immigration.rows} == {
        "nrm",
        "immigration",
        "safety",
        "transition",
    }
    assert immigration.selection.steps_left_out == 2
    summary = journeys.case_summary(case_id)
    assert (summary.advocate_id, summary.consents, summary.step_count) == (
        ADVOCATE,
        ("record_keeping",),
        8,
    )


def test_a_retraction_stays_on_the_chronology_openly(journeys: CaseJourneys) -> None:
    case_id = journeys.open_case(
        reference="FORT-T1",
        organisation_id="org-north",
        jurisdiction="scotland",
        recorded_by=ADVOCATE,
    ).case_id
    mistaken = record(
        journeys,
        case_id,
        "criminal_justice.trial_attended",
        "2019-10",
        "Attended trial",
    )
    journeys.retract_step(
        case_id, mistaken, reason="Entered on the wrong case", recorded_by=ADVOCATE
    )
    (row,) = chronology(journeys, case_id).rows
    assert row.status is RowStatus.RETRACTED
    assert (
        row.retraction is not None
        and row.retraction.reason == "Entered on the wrong case"
    )
    assert row.warnings == ()


def test_plausibility_findings_are_warnings_never_refusals(
    journeys: CaseJourneys,
) -> None:
    # An advocate joining mid-journey records a CG decision with no referral on record.
    case_id = journeys.open_case(
        reference="MID-T1",
        organisation_id="org-north",
        jurisdiction="northern_ireland",
        recorded_by=ADVOCATE,
    ).case_id
    record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2022",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys, case_id, "criminal_justice.trial_attended", "2023", "Attended trial"
    )
    rows = chronology(journeys, case_id).rows
    assert [row.warnings for row in rows] == [
        (
            "Conclusive grounds decision recorded, but no “Referred into the NRM” step is on record",
        ),
        ("Attended trial recorded, but no “Called as a witness” step is on record",),
    ]
    record(journeys, case_id, "nrm.referred", "2021", "Referred into the NRM")
    assert all(
        not row.warnings
        for row in chronology(journeys, case_id).rows
        if row.current.kind.startswith("nrm.")
    )


def _as_at(chronology: Chronology, moment: datetime) -> Chronology:
    return replace(chronology, as_at=moment)

"""Compensation evidence, narrated, on the in-memory, SQLite and PostgreSQL stores.

The stories follow survivors of the policy paper's journeys: one of the Operation Fort survivors,
whose claim is still running years after the trials, and Jin, criminally
exploited as a child, whose claim has barely begun. All facts are synthetic.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.application import CaseJourneys, StepInput
from projections.compensation import (
    CompensationEvidence,
    Consideration,
    ConvictionEffect,
    ConvictionStatus,
    CooperationStatus,
    Gap,
    NrmDecisionKind,
    Stage,
    compensation_evidence_of,
)

ADVOCATE = "advocate-rowan"


def evidence(
    app: CaseJourneys, case_id: UUID, stage: Stage = Stage.APPLICATION
) -> CompensationEvidence:
    return compensation_evidence_of(app.case_events(case_id), stage)


def open_case(
    app: CaseJourneys, reference: str, jurisdiction: str = "england_and_wales"
) -> UUID:
    return app.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction=jurisdiction,
        local_authority="Northtown",
        recorded_by=ADVOCATE,
    ).case_id


def record(app: CaseJourneys, case_id: UUID, *step: object, **kwargs: object) -> UUID:
    return app.record_step(case_id, StepInput(*step, **kwargs), recorded_by=ADVOCATE).id  # type: ignore[arg-type]


def gaps(found: CompensationEvidence) -> list[Gap]:
    return [missing.gap for missing in found.missing]


def test_a_fort_survivors_claim_gathers_everything_a_tribunal_appeal_needs(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "FORT-17")
    police_file = journeys.attach_evidence(
        case_id,
        title="Police crime report",
        document_kind="police_record",
        bundle_ref="C/3",
        recorded_by=ADVOCATE,
    ).id
    # Convicted of working on false papers while she was exploited.
    conviction = record(
        journeys,
        case_id,
        "own_conviction.convicted",
        "2015-11",
        "Convicted of possessing a false identity document",
        {"sentence": "custodial"},
        [{"document": "Certificate of conviction"}],
    )
    incident = record(
        journeys,
        case_id,
        "harm.incident",
        "2016-03~",
        "Assaulted at the farm by the gang's supervisor",
        {"offences": ["assault occasioning actual bodily harm", "forced labour"]},
        [{"document": str(police_file), "pin": "p. 2"}],
    )
    injury = record(
        journeys,
        case_id,
        "harm.injury",
        "2016-03~",
        "Bruising to the face and lasting anxiety",
        {"nature": "physical_and_mental"},
    )
    report = record(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2017-01-12",
        "Reported the assault and her exploitation to the police",
        {"crime_reference": "WY/17/0042"},
        [{"document": str(police_file), "pin": "p. 1"}],
    )
    interview = record(
        journeys,
        case_id,
        "criminal_justice.abe_interview",
        "2017-02",
        "Gave an ABE interview",
    )
    stop = record(
        journeys,
        case_id,
        "criminal_justice.cooperation_stopped",
        "2017-06",
        "Withdrew from the investigation",
        {"reason": "Threats were made to her family abroad"},
        [{"document": "Officer's note of withdrawal", "pin": "para 4"}],
    )
    record(journeys, case_id, "nrm.referred", "2017-01", "Referred into the NRM")
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2017-01-20",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    cg = record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2018-01",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
        [{"document": "CG decision letter", "pin": "p. 1"}],
    )
    diagnosis = record(
        journeys,
        case_id,
        "health.diagnosis",
        "2018-04-03",
        "Diagnosed with post-traumatic stress disorder",
        {
            "condition": "Post-traumatic stress disorder",
            "diagnosed_by": "clinical_psychologist",
        },
        [{"document": "Clinical psychologist's report", "pin": "p. 9"}],
    )
    report_mlr = record(
        journeys,
        case_id,
        "health.medico_legal_report",
        "2018-05",
        "Medico-legal report on her scarring and mental health",
    )
    record(
        journeys,
        case_id,
        "compensation.loss",
        "2016",
        "Unpaid wages at the farm",
        {"kind": "earnings", "amount": "4200.00"},
    )
    record(
        journeys,
        case_id,
        "compensation.loss",
        "2017",
        "Travel to medical appointments",
        {"kind": "expenses", "amount": "350.50"},
    )
    appeal = record(
        journeys,
        case_id,
        "own_conviction.appeal_lodged",
        "2018-09",
        "Appeal against conviction lodged",
    )
    overturned = record(
        journeys,
        case_id,
        "own_conviction.conviction_overturned",
        "2019-03",
        "Conviction quashed on appeal",
    )
    # The claim itself: refused, and refused again on review.
    record(
        journeys,
        case_id,
        "compensation.cica_application_submitted",
        "2019-05",
        "CICA application submitted",
    )
    record(
        journeys,
        case_id,
        "compensation.cica_decision",
        "2020-02-10",
        "CICA refused the application",
        {"outcome": "refused", "amount": None},
    )
    record(
        journeys,
        case_id,
        "compensation.cica_review_requested",
        "2020-03-20",
        "Review of the refusal requested",
    )
    record(
        journeys,
        case_id,
        "compensation.cica_review_decision",
        "2020-09-01",
        "On review, an award was made",
        {"outcome": "award", "amount": "2200.00"},
    )

    found = evidence(journeys, case_id, Stage.TRIBUNAL_APPEAL)

    # Nothing the appeal needs is missing.
    assert found.missing == ()
    assert found.complete
    assert found.stage is Stage.TRIBUNAL_APPEAL
    # The incident, dated as honestly as it is known, with its offences and cite.
    (harm,) = found.incidents
    assert harm.step_ids == (incident,)
    assert harm.step.when == "c. March 2016"
    assert harm.offences == ("assault occasioning actual bodily harm", "forced labour")
    assert [source.cite for source in harm.sources] == [
        "Police crime report, p. 2 [C/3]"
    ]
    # The crime report and its reference.
    (crime,) = found.crime_reports
    assert crime.crime_reference == "WY/17/0042"
    assert crime.step_ids == (report,)
    # Cooperation: an interview, then a stop, with the reason recorded.
    assert found.cooperation.status is CooperationStatus.STOPPED
    assert [item.step_ids for item in found.cooperation.steps] == [(interview,)]
    (stopped,) = found.cooperation.stops
    assert stopped.reason == "Threats were made to her family abroad"
    assert [source.cite for source in stopped.sources] == [
        "Officer's note of withdrawal, para 4"
    ]
    (cooperation_note,) = [
        note
        for note in found.notes
        if note.consideration is Consideration.COOPERATION_STOPPED
    ]
    assert "Threats were made to her family abroad" in cooperation_note.text
    assert cooperation_note.step_ids == (stop,)
    assert cooperation_note.rule.citation.endswith("para 23")
    # A mental injury, diagnosed by a clinical psychologist, and a medico-legal report.
    (hurt,) = found.injuries
    assert hurt.step_ids == (injury,)
    assert hurt.mental and hurt.specialist_diagnosis_on_record
    (diagnosed,) = found.diagnoses
    assert diagnosed.step_ids == (diagnosis,)
    assert diagnosed.by_specialist
    assert diagnosed.condition == "Post-traumatic stress disorder"
    assert [report.step_ids for report in found.medico_legal_reports] == [(report_mlr,)]
    # Losses, with amounts and their total.
    assert [(loss.kind, loss.amount) for loss in found.losses] == [
        ("earnings", Decimal("4200.00")),
        ("expenses", Decimal("350.50")),
    ]
    assert found.losses_total == Decimal("4550.50")
    # Her own conviction, overturned: the steps that bear on it are gathered with it.
    (convicted,) = found.convictions
    assert convicted.step_ids == (conviction, appeal, overturned)
    assert convicted.sentence == "custodial"
    assert convicted.status is ConvictionStatus.OVERTURNED
    assert convicted.effect is ConvictionEffect.NONE
    assert "overturned" in convicted.explanation
    assert not any(
        note.consideration is Consideration.CONVICTION_MAY_BAR_AWARD
        for note in found.notes
    )
    # The positive CG satisfies the residence requirement.
    assert found.residence_satisfied
    assert [(d.decision, d.outcome) for d in found.nrm_decisions] == [
        (NrmDecisionKind.REASONABLE_GROUNDS, "positive"),
        (NrmDecisionKind.CONCLUSIVE_GROUNDS, "positive"),
    ]
    assert found.nrm_decisions[-1].step_ids == (cg,)
    # The claim's history, in date order, with outcomes and amounts.
    assert [
        (item.step.kind.split(".")[1], item.outcome, item.amount)
        for item in found.claim_history
    ] == [
        ("cica_application_submitted", None, None),
        ("cica_decision", "refused", None),
        ("cica_review_requested", None, None),
        ("cica_review_decision", "award", Decimal("2200.00")),
    ]

    # Asked for an application, the record notes one was already made.
    as_application = evidence(journeys, case_id, Stage.APPLICATION)
    assert as_application.missing == ()
    assert any(
        note.consideration is Consideration.STAGE_ALREADY_ON_RECORD
        and note.text == "A CICA application is already on record (May 2019)."
        for note in as_application.notes
    )


def test_jins_claim_has_barely_begun_and_the_evidence_lists_what_is_missing(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "JIN-04")
    incident = record(
        journeys,
        case_id,
        "harm.incident",
        None,
        "Beaten by the men who ran the cannabis farm",
        {"offences": ["assault"]},
    )
    injury = record(
        journeys,
        case_id,
        "harm.injury",
        None,
        "Nightmares and panic attacks since",
        {"nature": "mental"},
    )
    record(
        journeys,
        case_id,
        "health.diagnosis",
        "2024-02",
        "GP recorded anxiety and depression",
        {"condition": "Anxiety and depression", "diagnosed_by": "general_practitioner"},
    )
    loss = record(
        journeys,
        case_id,
        "compensation.loss",
        "2019/2021",
        "Worked without pay",
        {"kind": "earnings", "amount": None},
    )
    record(
        journeys,
        case_id,
        "own_conviction.statutory_defence_raised",
        "2021-01",
        "Section 45 defence raised at trial",
    )
    conviction = record(
        journeys,
        case_id,
        "own_conviction.convicted",
        "2021-02",
        "Convicted of cultivating cannabis",
        {"sentence": "community"},
    )
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2020-11",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )

    found = evidence(journeys, case_id, Stage.REVIEW)

    assert gaps(found) == [
        Gap.INCIDENT_UNDATED,
        Gap.NO_SPECIALIST_DIAGNOSIS,
        Gap.NO_CRIME_REPORT,
        Gap.NO_POSITIVE_CONCLUSIVE_GROUNDS,
        Gap.LOSS_AMOUNT_NOT_STATED,
        Gap.CONVICTION_SPENT_STATUS_UNKNOWN,
        Gap.NO_CICA_APPLICATION,
        Gap.NO_CICA_DECISION,
    ]
    reasons = {missing.gap: missing for missing in found.missing}
    assert reasons[Gap.INCIDENT_UNDATED].step_ids == (incident,)
    specialist = reasons[Gap.NO_SPECIALIST_DIAGNOSIS]
    assert specialist.step_ids == (injury,)
    assert specialist.reason == (
        "A mental injury is on record, but no diagnosis by a psychiatrist or "
        "clinical psychologist is. The diagnoses on record are by: general "
        "practitioner."
    )
    assert "Annex E" in specialist.rule.citation
    assert reasons[Gap.LOSS_AMOUNT_NOT_STATED].step_ids == (loss,)
    assert reasons[Gap.NO_CICA_DECISION].reason.startswith(
        "No CICA decision is on record"
    )
    assert not found.residence_satisfied
    assert found.losses_total == Decimal(0)
    # The community sentence stands: if unspent, no award; the s.45 defence shows.
    (convicted,) = found.convictions
    assert convicted.step.step_id == conviction
    assert convicted.status is ConvictionStatus.STANDS
    assert convicted.statutory_defence_raised
    assert convicted.effect is ConvictionEffect.NO_AWARD_IF_UNSPENT
    (bar,) = [
        note
        for note in found.notes
        if note.consideration is Consideration.CONVICTION_MAY_BAR_AWARD
    ]
    assert bar.text.startswith(
        "Conviction with a community sentence: if it is unspent on the date of "
        "the application, the Scheme makes no award."
    )
    assert "para 26 and Annex D" in bar.rule.citation
    assert found.cooperation.status is CooperationStatus.NONE_ON_RECORD

    # An appeal to the tribunal needs the review as well.
    assert gaps(evidence(journeys, case_id, Stage.TRIBUNAL_APPEAL))[-4:] == [
        Gap.NO_CICA_APPLICATION,
        Gap.NO_CICA_DECISION,
        Gap.NO_REVIEW_REQUEST,
        Gap.NO_REVIEW_DECISION,
    ]
    # An application needs none of the claim's history.
    assert Gap.NO_CICA_DECISION not in gaps(evidence(journeys, case_id))


def test_an_empty_record_in_northern_ireland_lists_the_basics_and_the_other_scheme(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "NI-01", jurisdiction="northern_ireland")

    found = evidence(journeys, case_id)

    assert gaps(found) == [
        Gap.NO_INCIDENT,
        Gap.NO_INJURY,
        Gap.NO_CRIME_REPORT,
        Gap.NO_POSITIVE_CONCLUSIVE_GROUNDS,
    ]
    assert [note.consideration for note in found.notes] == [Consideration.OTHER_SCHEME]


def test_retracted_steps_are_left_out_and_corrected_steps_read_as_they_now_stand(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "FORT-23")
    record(
        journeys,
        case_id,
        "harm.incident",
        "2016-05",
        "Assaulted at the farm",
        {"offences": ["assault"]},
    )
    record(journeys, case_id, "harm.injury", "2016-05", "Anxiety", {"nature": "mental"})
    mistaken_report = record(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2017-01",
        "Crime reported",
        {"crime_reference": "WRONG/1"},
    )
    diagnosis = record(
        journeys,
        case_id,
        "health.diagnosis",
        "2018-04",
        "Post-traumatic stress disorder diagnosed",
        {"condition": "PTSD", "diagnosed_by": "general_practitioner"},
    )
    loss = record(
        journeys,
        case_id,
        "compensation.loss",
        "2016",
        "Unpaid wages",
        {"kind": "earnings", "amount": "100.00"},
    )
    before = evidence(journeys, case_id)
    assert Gap.NO_SPECIALIST_DIAGNOSIS in gaps(before)
    assert Gap.NO_CRIME_REPORT not in gaps(before)

    # The report belonged to another survivor; the diagnosis was a psychiatrist's.
    journeys.retract_step(
        case_id,
        mistaken_report,
        reason="Recorded on the wrong case",
        recorded_by=ADVOCATE,
    )
    journeys.correct_step(
        case_id,
        diagnosis,
        StepInput(
            "health.diagnosis",
            "2018-04-03",
            "Post-traumatic stress disorder diagnosed",
            {"condition": "PTSD", "diagnosed_by": "psychiatrist"},
            [{"document": "Psychiatric report", "pin": "p. 4"}],
        ),
        reason="The report is a consultant psychiatrist's, not the GP's",
        recorded_by=ADVOCATE,
    )
    journeys.correct_step(
        case_id,
        loss,
        StepInput(
            "compensation.loss",
            "2016",
            "Unpaid wages",
            {"kind": "earnings", "amount": "250.00"},
        ),
        reason="Payslips show a larger shortfall",
        recorded_by=ADVOCATE,
    )

    after = evidence(journeys, case_id)

    assert after.crime_reports == ()
    assert Gap.NO_CRIME_REPORT in gaps(after)
    assert Gap.NO_SPECIALIST_DIAGNOSIS not in gaps(after)
    (diagnosed,) = after.diagnoses
    assert diagnosed.by_specialist and diagnosed.step.corrected
    assert diagnosed.step.when == "3 April 2018"
    assert [source.cite for source in diagnosed.sources] == ["Psychiatric report, p. 4"]
    assert after.losses_total == Decimal("250.00")
    assert all(mistaken_report not in item.step_ids for item in after.cooperation.steps)


def test_with_two_convictions_appeals_are_matched_by_date_and_noted_for_counsel(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "MAUREEN-C2")
    first = record(
        journeys,
        case_id,
        "own_conviction.convicted",
        "2019-08",
        "Convicted of working on a false passport",
        {"sentence": "suspended"},
    )
    second = record(
        journeys,
        case_id,
        "own_conviction.convicted",
        "2020-03",
        "Convicted of theft at her employer's direction",
        {"sentence": "fine"},
    )
    appeal = record(
        journeys,
        case_id,
        "own_conviction.appeal_lodged",
        "2019-10",
        "Appeal against the passport conviction lodged",
    )

    found = evidence(journeys, case_id)

    passport, theft = found.convictions
    assert passport.step_ids == (first, appeal)
    assert passport.status is ConvictionStatus.APPEAL_LODGED
    assert passport.effect is ConvictionEffect.POSSIBLE_REDUCTION_IF_UNSPENT
    assert "suspended sentence of imprisonment may be treated" in passport.explanation
    assert "An appeal against the conviction is on record" in passport.explanation
    assert theft.step_ids == (second,)
    assert theft.status is ConvictionStatus.STANDS
    assert [note.consideration for note in found.notes] == [
        Consideration.CONVICTION_MAY_REDUCE_AWARD,
        Consideration.CONVICTION_MAY_REDUCE_AWARD,
        Consideration.CONVICTIONS_MATCHED_BY_DATE,
    ]


def test_cooperation_after_a_stop_shows_as_resumed(journeys: CaseJourneys) -> None:
    case_id = open_case(journeys, "FORT-31")
    record(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2017-01",
        "Crime reported",
        {"crime_reference": "WY/17/0099"},
    )
    record(
        journeys,
        case_id,
        "criminal_justice.cooperation_stopped",
        "2017-03",
        "Withdrew",
        {"reason": "Feared reprisals"},
    )
    record(
        journeys,
        case_id,
        "criminal_justice.evidence_given",
        "2019-06",
        "Gave evidence at the first trial",
        {"special_measures": True},
    )

    found = evidence(journeys, case_id)

    assert found.cooperation.status is CooperationStatus.RESUMED
    (note,) = [
        note
        for note in found.notes
        if note.consideration is Consideration.COOPERATION_STOPPED
    ]
    assert note.text.endswith("Cooperation is on record again after that.")

"""The Scheme's rules the compensation evidence reads steps against, as data.

Each rule names its source, so every flag and every gap shown to counsel says
where it comes from. The paragraphs are those of the Criminal Injuries
Compensation Scheme 2012 (in force from 27 November 2012). Spent status is not
judged here: it needs the sentence's length and end, which steps do not record.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCHEME = "Criminal Injuries Compensation Scheme 2012"


@dataclass(frozen=True)
class Rule:
    """A rule of the Scheme, in neutral words, with its citation."""

    text: str
    citation: str


CRIME_OF_VIOLENCE = Rule(
    "An award is made for a criminal injury directly attributable to being the "
    "victim of a crime of violence.",
    f"{SCHEME}, para 4",
)
TIME_LIMIT = Rule(
    "An application is made as soon as reasonably practicable and within two years "
    "of the incident (for an applicant under 18 at the incident, a longer period "
    "may apply); the time limit runs from the incident's date.",
    f"{SCHEME}, paras 87 to 89",
)
RESIDENCE = Rule(
    "The applicant meets a residence, nationality or other requirement; a positive "
    "conclusive grounds decision that the applicant is a victim of trafficking "
    "satisfies it.",
    f"{SCHEME}, paras 10 to 16",
)
REPORTING = Rule(
    "An award will not be made unless the incident was reported to the police as "
    "soon as reasonably practicable.",
    f"{SCHEME}, para 22",
)
COOPERATION = Rule(
    "An award may be withheld or reduced where the applicant did not co-operate as "
    "far as reasonably practicable in bringing the assailant to justice; the "
    "reason for any stop bears on that.",
    f"{SCHEME}, para 23",
)
CONVICTIONS = Rule(
    "An unspent conviction with a custodial or community sentence means no award; "
    "another unspent conviction may lead to an award being withheld or reduced.",
    f"{SCHEME}, para 26 and Annex D",
)
MENTAL_INJURY = Rule(
    "A mental injury is accepted on a diagnosis or prognosis by a psychiatrist or "
    "clinical psychologist.",
    f"{SCHEME}, Annex E (tariff of injuries, mental injury)",
)
REVIEW = Rule(
    "A review is requested against a CICA decision, within the time the Scheme "
    "allows (the legal clocks hold it).",
    f"{SCHEME}, review of decisions (paras 117 onward; check)",
)
APPEAL = Rule(
    "An appeal to the First-tier Tribunal lies against a review decision, within "
    "90 days of it; a late appeal needs an extension of time with reasons.",
    "Tribunal Procedure (First-tier Tribunal) (Social Entitlement Chamber) "
    "Rules 2008, r.22",
)
LOSSES = Rule(
    "Loss of earnings and special expenses are claimed with their amounts and the "
    "evidence of them.",
    f"{SCHEME}, paras 42 onward (check)",
)
NORTHERN_IRELAND = Rule(
    "Northern Ireland has its own criminal injuries compensation scheme; the CICA "
    "2012 Scheme covers England, Wales and Scotland.",
    "Criminal Injuries Compensation Scheme (Northern Ireland) 2009",
)


class ConvictionEffect(StrEnum):
    """What a conviction may mean for an award, if it is unspent."""

    NO_AWARD_IF_UNSPENT = "no_award_if_unspent"
    POSSIBLE_REDUCTION_IF_UNSPENT = "possible_reduction_if_unspent"
    NONE = "none"


#: Sentences (``own_conviction.convicted{sentence}``) that mean no award while the
#: conviction is unspent; every other sentence may reduce one.
BARRING_SENTENCES = frozenset({"custodial", "community"})
#: Sentences whose effect the Scheme's terms leave to be checked.
SENTENCE_CAVEATS = {
    "suspended": "a suspended sentence of imprisonment may be treated as a "
    "custodial sentence (check)",
}

#: Who may diagnose a mental injury for the Scheme
#: (``health.diagnosis{diagnosed_by}``).
SPECIALIST_DIAGNOSERS = frozenset({"psychiatrist", "clinical_psychologist"})
MENTAL_NATURES = frozenset({"mental", "physical_and_mental"})

#: Steps that show the survivor co-operating with the police after reporting.
COOPERATION_KINDS = (
    "criminal_justice.abe_interview",
    "criminal_justice.witness_called",
    "criminal_justice.trial_attended",
    "criminal_justice.evidence_given",
)

#: The claim's own history: application, decisions, review, appeal and awards.
CLAIM_KINDS = (
    "compensation.cica_application_submitted",
    "compensation.cica_decision",
    "compensation.cica_review_requested",
    "compensation.cica_review_decision",
    "compensation.tribunal_extension_requested",
    "compensation.tribunal_extension_granted",
    "compensation.tribunal_appeal_lodged",
    "compensation.tribunal_hearing_listed",
    "compensation.tribunal_decision",
    "compensation.civil_claim_issued",
    "compensation.award_received",
)

"""Which HTCDS 2.0 field each part of a Waymark case becomes, and what is lost.

HTCDS 2.0 (``HTCDS Field Standards 2.0``, UNMigration/HTCDS, IOM and partners)
names fields by table prefix: ``prs_`` person, ``vic_`` person as victim,
``cas_`` case, ``cco_`` case comment, ``hte_`` historic trafficking event,
``con_`` consent. Waymark keeps what the standard has no field for in
``wmk_``-prefixed fields beside them, so a Waymark-to-Waymark round trip keeps
every step; a system that knows only HTCDS reads the standard fields and may
ignore the rest. This table is the one source of the mapping: the exporter, the
importer and ``docs/htcds.md`` read it.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDARD = "HTCDS 2.0"


@dataclass(frozen=True)
class FieldMapping:
    record: str
    field: str
    waymark: str
    #: What the field cannot carry of the Waymark value; empty if nothing.
    lost: str = ""

    @property
    def standard(self) -> bool:
        return not self.field.startswith("wmk_")


#: HTCDS has no date precision: a day is a day. An uncertain date is written as
#: its earliest possible day, and its EDTF beside it in the ``wmk_`` field.
EARLIEST_DAY = (
    "HTCDS dates have no precision: an uncertain date is written as its earliest "
    "possible day (c. June 2019 becomes 2019-06-01; an undated step has no date); "
    "the EDTF is kept in {edtf}."
)

FIELDS: tuple[FieldMapping, ...] = (
    FieldMapping("Case", "cas_Status", "open or closed: Active or Closed"),
    FieldMapping("Case", "cas_ReasonForCaseClosure", "the reason the case was closed"),
    FieldMapping("Case", "cas_CaseOwner", "the advocate assigned (their id)"),
    FieldMapping(
        "Case",
        "wmk_Reference",
        "the case's pseudonymous reference",
        "HTCDS has no case reference field.",
    ),
    FieldMapping(
        "Case",
        "wmk_OpenedOn",
        "the day advocacy began (openedOn)",
        "HTCDS's referral dates are about referrals between organisations.",
    ),
    FieldMapping(
        "Case",
        "wmk_Jurisdiction",
        "england_and_wales, scotland or northern_ireland",
        "HTCDS has no jurisdiction; the legal clocks depend on it.",
    ),
    FieldMapping(
        "Case",
        "wmk_LocalAuthority",
        "the local authority where the case is placed",
        "HTCDS's address fields are a person's address, which Waymark does not hold.",
    ),
    FieldMapping(
        "Person",
        "prs_Birthdate",
        "the survivor's date of birth",
        EARLIEST_DAY.format(edtf="wmk_BirthdateEdtf"),
    ),
    FieldMapping("Person", "wmk_BirthdateEdtf", "the date of birth in EDTF"),
    FieldMapping(
        "VictimContext",
        "vic_TraffickingStatus",
        "from the latest NRM decision: a positive conclusive grounds decision is "
        "ActualVictimOfTrafficking, a positive reasonable grounds decision (no "
        "conclusive one yet) PossibleVictimOfTrafficking, a negative conclusive "
        "grounds decision NotAVictimOfTrafficking",
        "A negative reasonable grounds decision and a pending reconsideration have "
        "no value of their own; they are written as no status. Read back, the "
        "status is not a step: the NRM decisions travel as case comments.",
    ),
    FieldMapping(
        "VictimContext",
        "vic_TraffickingStatusDecisionMakingOrg",
        "NonPoliceGovernmentalOrganization when an NRM decision gives the status "
        "(the competent authority is a government body)",
    ),
    FieldMapping(
        "Consent",
        "con_Consent",
        "whether consent to record keeping stands",
        "HTCDS has one consent; Waymark's others travel in wmk_Consents.",
    ),
    FieldMapping(
        "Consent",
        "wmk_Consents",
        "every consent that stands, by purpose, separated by spaces",
        "The days consents were given are not carried: imported, they are dated "
        "the day of the import.",
    ),
    FieldMapping(
        "HistoricTraffickingEvent",
        "hte_Date",
        "an incident's date (harm.incident steps)",
        EARLIEST_DAY.format(edtf="the incident's case comment (wmk_Occurred)"),
    ),
    FieldMapping(
        "HistoricTraffickingEvent",
        "hte_Type",
        "Exploitation (Waymark records incidents of harm, not recruitment or "
        "transit as such)",
    ),
    FieldMapping(
        "HistoricTraffickingEvent",
        "hte_Description",
        "the incident's summary and offences",
    ),
    FieldMapping(
        "CaseComment",
        "cco_CaseComment",
        "each current step: its date as the chronology prints it, label and summary",
        "Corrections, disputes and retractions are not exported: only each step's "
        "current reading, and no retracted step. When and by whom each was "
        "recorded, and the hash chain, stay in Waymark.",
    ),
    FieldMapping("CaseComment", "wmk_Kind", "the step's kind, e.g. nrm.referred"),
    FieldMapping(
        "CaseComment",
        "wmk_Occurred",
        "the step's date in EDTF (2019-06~), empty if undated",
    ),
    FieldMapping("CaseComment", "wmk_Summary", "the step's neutral summary"),
    FieldMapping("CaseComment", "wmk_Details", "the step's typed payload, as JSON"),
    FieldMapping(
        "CaseComment",
        "wmk_Sources",
        "the step's sources as JSON [{document, pin}]",
        "Attached documents travel as their titles; the files and their bundle "
        "pages do not.",
    ),
    FieldMapping("CaseComment", "wmk_Order", "the step's stated order, if any"),
)

RECORDS = (
    "Case",
    "Person",
    "VictimContext",
    "Consent",
    "HistoricTraffickingEvent",
    "CaseComment",
)


def fields_of(record: str) -> tuple[str, ...]:
    return tuple(mapping.field for mapping in FIELDS if mapping.record == record)


def document() -> str:
    """``docs/htcds.md``: the mapping, for users."""
    lines = [
        "# HTCDS 2.0: what each Waymark field becomes",
        "",
        "Generated from `interchange/htcds/fields.py` by "
        "`python -m interchange.htcds.document`; a test fails when it is stale.",
        "",
        "`waymark htcds export CASE_ID [--format json|csv]` writes a case in the "
        "Human Trafficking Case Data Standard 2.0 (IOM and partners) field names; "
        "`waymark htcds import FILE --organisation ORG` creates a case from such a "
        "file, refusing the whole file, with the row and field named, if any row "
        "cannot be read. Fields prefixed `wmk_` are Waymark's own, beside the "
        "standard's, so a round trip between Waymark systems keeps every step; a "
        "system that knows only HTCDS may ignore them.",
        "",
        "The field names are those of the HTCDS Field Standards 2.0 spreadsheet "
        "(the UNMigration/HTCDS repository, IOM and partners).",
        "",
        "Dates: HTCDS dates have no precision. An uncertain date is written as its "
        "earliest possible day, and its EDTF is kept beside it.",
        "",
        "In JSON, a case is one object: `Case`, `Person`, `VictimContext` and "
        "`Consent` objects, and `HistoricTraffickingEvent` and `CaseComment` lists. "
        "In CSV, each row is one record, named in the `Record` column.",
        "",
        "| Record | Field | From Waymark | What is lost |",
        "|---|---|---|---|",
    ]
    for mapping in FIELDS:
        lost = mapping.lost or "nothing"
        lines.append(
            f"| {mapping.record} | `{mapping.field}` | {mapping.waymark} | {lost} |"
        )
    return "\n".join(lines) + "\n"

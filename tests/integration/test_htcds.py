"""A case in the Human Trafficking Case Data Standard 2.0, out and back.

A survivor's case travels to another organisation's system as an HTCDS file
(JSON or CSV) and back: every field the standard can hold comes back as it went,
uncertain dates are written as their earliest day with the EDTF kept beside
them, and a file with a row that cannot be read imports nothing, naming each
row and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import orjson
import pytest

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from interchange.htcds.document import DOCUMENT, REGENERATE
from interchange.htcds.export import htcds_record
from interchange.htcds.fields import document
from interchange.htcds.files import as_csv, as_json
from interchange.htcds.importer import HtcdsImportRefused, import_htcds
from tests.conftest import TODAY

ADVOCATE = "advocate-rowan"


@pytest.fixture
def journeys(settings: Settings) -> Iterator[CaseJourneys]:
    app = build_journeys(settings, today=lambda: TODAY)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def case_id(journeys: CaseJourneys) -> object:
    case_id = journeys.open_case(
        reference="HTCDS-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        local_authority="Glasgow City",
        recorded_by=ADVOCATE,
    ).case_id
    by = {"recorded_by": ADVOCATE}
    journeys.record_date_of_birth(case_id, "2001-04~", **by)
    journeys.assign_advocate(case_id, ADVOCATE, **by)
    journeys.give_consent(case_id, "record_keeping", **by)
    journeys.give_consent(case_id, "evaluation", **by)
    letter = journeys.attach_evidence(
        case_id, title="Decision letter", document_kind="letter", **by
    ).id
    steps = [
        StepInput(
            "harm.incident",
            "2018-06~",
            "Reported being made to work without pay.",
            {"offences": ["forced labour"]},
        ),
        StepInput("nrm.referred", "2019-01-07", "Referred into the NRM."),
        StepInput(
            "nrm.reasonable_grounds_decision",
            "2019-01-14",
            "Positive reasonable grounds decision.",
            {"outcome": "positive"},
            [{"document": str(letter), "pin": "p. 1"}],
        ),
        StepInput(
            "compensation.cica_decision",
            "2020",
            "CICA made an award.",
            {"outcome": "award", "amount": "2200.00"},
            order=2,
        ),
    ]
    for step in steps:
        journeys.record_step(case_id, step, **by)
    journeys.close_case(case_id, reason="Support ended.", **by)
    return case_id


def test_a_case_comes_back_from_htcds_with_every_field_it_went_with(
    journeys: CaseJourneys, case_id: object
) -> None:
    record = htcds_record(journeys.case_events(case_id))  # type: ignore[arg-type]

    assert record["Case"]["cas_Status"] == "Closed"
    assert record["Person"] == {
        "prs_Birthdate": "2001-04-01",
        "wmk_BirthdateEdtf": "2001-04~",
    }
    assert (
        record["VictimContext"]["vic_TraffickingStatus"]
        == "PossibleVictimOfTrafficking"
    )
    assert record["Consent"] == {
        "con_Consent": True,
        "wmk_Consents": "evaluation record_keeping",
    }
    assert record["HistoricTraffickingEvent"] == [
        {
            "hte_Date": "2018-06-01",
            "hte_Type": "Exploitation",
            "hte_Description": "Reported being made to work without pay. (forced labour)",
        }
    ]
    assert record["CaseComment"][0]["wmk_Occurred"] == "2018-06~"
    assert orjson.loads(record["CaseComment"][2]["wmk_Sources"]) == [
        {"document": "Decision letter", "pin": "p. 1"}
    ]

    for write, organisation in ((as_json, "org-east"), (as_csv, "org-west")):
        imported = import_htcds(
            journeys,
            write(record),
            organisation_id=organisation,
            recorded_by="importer",
        )
        again = htcds_record(journeys.case_events(imported.case_id))
        assert again == record, write.__name__
        assert journeys.case_summary(imported.case_id).organisation_id == organisation


def test_a_file_with_rows_it_cannot_read_imports_nothing_and_names_each_row(
    journeys: CaseJourneys, case_id: object
) -> None:
    record = htcds_record(journeys.case_events(case_id))  # type: ignore[arg-type]
    record["CaseComment"][1]["wmk_Kind"] = "nrm.sent_to_the_moon"
    record["CaseComment"][3]["wmk_Occurred"] = "2030-01-01"
    record["Case"]["wmk_Jurisdiction"] = "wales"
    position = journeys.log_position()

    with pytest.raises(HtcdsImportRefused) as refused:
        import_htcds(
            journeys, as_csv(record), organisation_id="org-east", recorded_by="i"
        )

    problems = {(p.row, p.field) for p in refused.value.problems}
    assert problems == {
        ("Case (row 2)", "wmk_Jurisdiction"),
        ("CaseComment[1] (row 8)", "wmk_Kind"),
        ("CaseComment[3] (row 10)", "wmk_Occurred"),
    }
    assert journeys.log_position() == position, "nothing was recorded"


def test_a_file_from_another_system_brings_its_trafficking_events_as_incidents(
    journeys: CaseJourneys,
) -> None:
    record = {
        "standard": "HTCDS 2.0",
        "Case": {
            "cas_Status": "Active",
            "wmk_Reference": "FROM-ELSEWHERE",
            "wmk_Jurisdiction": "england_and_wales",
        },
        "Person": {"prs_Birthdate": "1999-02-03"},
        "Consent": {"con_Consent": True},
        "HistoricTraffickingEvent": [
            {
                "hte_Date": "2017-05-01",
                "hte_Type": "Exploitation",
                "hte_Description": "Forced to work in a car wash.",
            }
        ],
        "CaseComment": [],
    }

    imported = import_htcds(
        journeys,
        orjson.dumps(record),
        organisation_id="org-east",
        recorded_by="i",
        idempotency_key="elsewhere-1",
    )
    again = import_htcds(
        journeys,
        orjson.dumps(record),
        organisation_id="org-east",
        recorded_by="i",
        idempotency_key="elsewhere-1",
    )

    assert again.replayed and again.case_id == imported.case_id
    exported = htcds_record(journeys.case_events(imported.case_id))
    assert exported["HistoricTraffickingEvent"] == [
        {
            "hte_Date": "2017-05-01",
            "hte_Type": "Exploitation",
            "hte_Description": "Forced to work in a car wash. (exploitation)",
        }
    ]
    assert exported["Consent"]["wmk_Consents"] == "record_keeping"
    assert exported["Person"]["prs_Birthdate"] == "1999-02-03"
    assert date.fromisoformat(exported["Person"]["prs_Birthdate"]) < TODAY


def test_the_committed_mapping_document_is_the_mapping_the_code_applies() -> None:
    committed = DOCUMENT.read_text() if DOCUMENT.exists() else ""
    assert committed == document(), f"docs/htcds.md is stale: run `{REGENERATE}`"

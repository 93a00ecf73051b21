import re
from decimal import Decimal

import pytest

from domain.errors import InvalidField
from domain.vocabulary import (
    STEP_KINDS,
    StepKind,
    UnknownStepKind,
    step_kind,
    upgrade_details,
    validate_details,
)


def test_every_kind_is_area_dot_kind_and_expects_only_kinds_that_exist() -> None:
    for code, kind in STEP_KINDS.items():
        assert code == kind.code
        assert code.count(".") == 1
        assert set(kind.expects) <= set(STEP_KINDS), code


def test_the_vocabulary_covers_every_area_of_the_domain() -> None:
    areas = {kind.area for kind in STEP_KINDS.values()}
    assert areas == {
        "nrm",
        "immigration",
        "housing",
        "benefits",
        "health",
        "legal",
        "criminal_justice",
        "own_conviction",
        "compensation",
        "employment",
        "safety",
        "transition",
        "engagement",
        "account",
        "harm",
    }


#: Words a label may capitalise mid-sentence: names and abbreviations a court
#: document capitalises too.
PROPER_WORDS = frozenset(
    {
        "NRM",
        "GP",
        "CICA",
        "Home",
        "Office",
        "First-tier",
        "Tribunal",
        "Achieving",
        "Best",
        "Evidence",
    }
)
#: What a drafting note looks like, never a court document.
DRAFTING = re.compile(
    r"\b(todo|fixme|xxx|tbc|tbd|check|equivalent|etc|e\.g|i\.e|s\.\d+)\b|[?!()/;]",
    re.IGNORECASE,
)


def test_every_label_reads_as_a_court_document_in_sentence_case() -> None:
    labels = [kind.label for kind in STEP_KINDS.values()]
    assert labels
    for label in labels:
        first, *rest = label.split(" ")
        assert first[0].isupper(), label
        # Sentence case: later words are lower case unless a proper name.
        for word in rest:
            assert word in PROPER_WORDS or not word[0].isupper(), label
        # A heading, so no full stop; and nothing left from drafting.
        assert not label.endswith((".", ",", ":")), label
        assert DRAFTING.search(label) is None, label
        assert label == label.strip() and "  " not in label, label
        assert len(label) <= 60, label
    assert len(set(labels)) == len(labels), "two kinds share a label"


def test_the_statutory_defence_is_labelled_as_a_chronology_prints_it() -> None:
    assert step_kind("own_conviction.statutory_defence_raised").label == (
        "Statutory defence raised"
    )
    assert step_kind("harm.incident").label == "Incident"


def test_an_unknown_kind_is_refused_naming_the_kind_field() -> None:
    with pytest.raises(UnknownStepKind) as refused:
        step_kind("nrm.decided_somehow")
    assert refused.value.field == "kind"


def test_a_payload_is_validated_and_normalised() -> None:
    kind = step_kind("compensation.cica_decision")
    details = validate_details(kind, {"outcome": "award", "amount": "22000.00"})
    assert details == {"outcome": "award", "amount": Decimal("22000.00")}


@pytest.mark.parametrize(
    ("kind", "details", "field"),
    [
        ("nrm.reasonable_grounds_decision", {}, "details.outcome"),
        ("nrm.reasonable_grounds_decision", {"outcome": "maybe"}, "details.outcome"),
        ("housing.accommodation_secured", {"tenure": "castle"}, "details.tenure"),
        (
            "compensation.award_received",
            {"amount": "-5", "source": "cica"},
            "details.amount",
        ),
        ("engagement.contact", {"mode": "phone", "mood": "good"}, "details.mood"),
        ("nrm.referred", {"anything": 1}, "details.anything"),
    ],
)
def test_a_bad_payload_is_refused_naming_the_field_at_fault(
    kind: str, details: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        validate_details(step_kind(kind), details)
    assert refused.value.field == field


def test_a_payload_stored_under_an_older_version_is_upgraded_on_reading() -> None:
    base = step_kind("engagement.contact")
    evolved = StepKind(
        base.code,
        base.label,
        base.payload,
        version=2,
        upgrades={1: lambda old: {"mode": old["how"]}},
    )
    assert upgrade_details(evolved, {"how": "phone"}, from_version=1) == {
        "mode": "phone"
    }
    assert upgrade_details(evolved, {"mode": "video"}, from_version=2) == {
        "mode": "video"
    }


def test_a_verdict_names_its_prosecution_and_defendant_by_pseudonymous_references() -> (
    None
):
    verdict = step_kind("criminal_justice.verdict")
    named = {
        "outcome": "convicted",
        "trafficking_offence": True,
        "prosecution_ref": "OP-FORT/2019",
        "defendant_ref": "D-07",
    }
    assert validate_details(verdict, named) == named
    for field, value in (
        ("defendant_ref", "John Smith"),  # a name, not a reference
        ("prosecution_ref", ""),
        ("prosecution_ref", "P" * 65),
    ):
        with pytest.raises(InvalidField) as refused:
            validate_details(verdict, {**named, field: value})
        assert refused.value.field == f"details.{field}"
    # Version 1 verdicts named neither; they read with both absent.
    old = {"outcome": "acquitted", "trafficking_offence": False}
    assert upgrade_details(verdict, old, from_version=1) == {
        **old,
        "prosecution_ref": None,
        "defendant_ref": None,
    }

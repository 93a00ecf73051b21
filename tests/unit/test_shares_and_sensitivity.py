"""Shares with counsel and step sensitivity, as the case's rules and fold keep
them (in memory: domain rules)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from domain.application import CaseJourneys, StepInput
from domain.errors import ConsentRequired, InvalidField, NothingToChange, ShareNotFound
from domain.sensitivity import sensitive_by_default
from tests.conftest import TODAY

BY = {"recorded_by": "advocate-1"}


def opened(journeys: CaseJourneys, *, consent: bool = True) -> UUID:
    case_id = journeys.open_case(
        reference="S-1", organisation_id="org-north", jurisdiction="scotland", **BY
    ).case_id
    if consent:
        journeys.give_consent(case_id, "sharing_with_counsel", **BY)
    return case_id


def share(journeys: CaseJourneys, case_id: UUID, days: int = 10, **kw: object) -> UUID:
    return journeys.share_with_counsel(
        case_id,
        counsel=str(kw.pop("counsel", "counsel-1")),
        purpose=str(kw.pop("purpose", "cica")),
        expires_on=TODAY + timedelta(days=days),
        **BY,
    ).id


def test_a_share_needs_consent_on_record(memory_journeys: CaseJourneys) -> None:
    case_id = opened(memory_journeys, consent=False)
    with pytest.raises(ConsentRequired):
        share(memory_journeys, case_id)
    assert memory_journeys.case_access(case_id).shares == ()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"days": -1}, "expiresOn"),
        ({"days": 367}, "expiresOn"),
        ({"counsel": ""}, "counsel"),
        ({"purpose": "full"}, "purpose"),
    ],
)
def test_a_share_is_refused_outside_its_bounds(
    memory_journeys: CaseJourneys, fields: dict[str, object], field: str
) -> None:
    case_id = opened(memory_journeys)
    with pytest.raises(InvalidField) as refused:
        share(memory_journeys, case_id, **fields)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_withdrawn_consent_ends_every_share_for_good(
    memory_journeys: CaseJourneys,
) -> None:
    journeys = memory_journeys
    case_id = opened(journeys)
    share(journeys, case_id)
    share(journeys, case_id, counsel="counsel-2", purpose="criminal_trial")
    revoked = share(journeys, case_id, counsel="counsel-3")
    journeys.revoke_share(case_id, revoked, reason="Done.", **BY)

    journeys.withdraw_consent(case_id, "sharing_with_counsel", **BY)
    journeys.give_consent(case_id, "sharing_with_counsel", **BY)

    ends = sorted(
        (s.counsel, s.ended, s.live) for s in journeys.case_access(case_id).shares
    )
    assert ends == [
        ("counsel-1", "consent_withdrawn", False),
        ("counsel-2", "consent_withdrawn", False),
        ("counsel-3", "revoked", False),
    ]
    with pytest.raises(NothingToChange):
        journeys.revoke_share(case_id, revoked, reason="Again.", **BY)
    with pytest.raises(ShareNotFound):
        journeys.revoke_share(case_id, case_id, reason="No such share.", **BY)


def test_a_share_is_live_to_its_last_day(memory_journeys: CaseJourneys) -> None:
    journeys = memory_journeys
    case_id = opened(journeys)
    share(journeys, case_id, days=0)
    (live,) = journeys.case_access(case_id).live_shares("counsel-1")
    assert live.expires_on == TODAY
    journeys.today = lambda: TODAY + timedelta(days=1)
    assert journeys.case_access(case_id).live_shares("counsel-1") == ()


def test_a_counsels_shares_are_found_without_loading_unshared_cases(
    memory_journeys: CaseJourneys, monkeypatch: pytest.MonkeyPatch
) -> None:
    journeys = memory_journeys
    first, unshared, other_counsel, second = (opened(journeys) for _ in range(4))
    share(journeys, first)
    share(journeys, other_counsel, counsel="counsel-2")
    share(journeys, second, purpose="criminal_trial")
    loaded: list[UUID] = []
    load = journeys.case_access
    monkeypatch.setattr(
        journeys, "case_access", lambda case_id: loaded.append(case_id) or load(case_id)
    )

    found = [access.case_id for access in journeys.shares_with("counsel-1")]

    assert found == [first, second]
    assert unshared not in loaded
    assert sorted(loaded) == sorted([first, other_counsel, second])


def test_sensitivity_by_kind_and_by_marking(memory_journeys: CaseJourneys) -> None:
    assert sensitive_by_default({"kind": "account.disclosure"})
    assert sensitive_by_default({"kind": "health.mental_health_support_accessed"})
    assert sensitive_by_default(
        {"kind": "health.diagnosis", "details": {"diagnosed_by": "psychiatrist"}}
    )
    assert not sensitive_by_default(
        {
            "kind": "health.diagnosis",
            "details": {"diagnosed_by": "general_practitioner"},
        }
    )
    assert not sensitive_by_default({"kind": "health.medico_legal_report"})

    journeys = memory_journeys
    case_id = opened(journeys)
    step = StepInput("housing.advocacy", "2024-01", "Called.")
    step_id = journeys.record_step(case_id, step, **BY).id
    journeys.mark_step_sensitivity(
        case_id, step_id, sensitive=True, reason="Safe house.", **BY
    )
    with pytest.raises(NothingToChange):
        journeys.mark_step_sensitivity(
            case_id, step_id, sensitive=True, reason="Again.", **BY
        )
    journeys.mark_step_sensitivity(
        case_id, step_id, sensitive=False, reason="Moved on.", **BY
    )
    assert journeys.verify_chain(case_id).intact

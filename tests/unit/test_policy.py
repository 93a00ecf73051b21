"""The policy: each role's rights, and what it lets a caller see of a case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from api.auth import Principal, Role
from api.policy import Action, NotPermittedError, Policy
from domain.application import CaseAccess, Share
from domain.errors import CaseNotFound, InvalidField

NORTH_ADVOCATE = Principal("advocate-1", Role.ADVOCATE, "org-north")
NORTH_MANAGER = Principal("manager-1", Role.MANAGER, "org-north")
COUNSEL = Principal("counsel-1", Role.COUNSEL, "chambers-1")


def case(
    advocate: str | None = None, *shares: Share, organisation: str = "org-north"
) -> CaseAccess:
    return CaseAccess(
        case_id=uuid4(),
        reference="R-1",
        organisation_id=organisation,
        advocate_id=advocate,
        consents=("sharing_with_counsel",),
        shares=shares,
        opened_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def shared(
    purpose: str, *, live: bool = True, sensitive: bool = False, to: str = "counsel-1"
) -> Share:
    return Share(uuid4(), to, purpose, date(2027, 1, 1), sensitive, None, live)


@pytest.mark.parametrize(
    ("principal", "organisation", "sees"),
    [
        (NORTH_ADVOCATE, "org-north", True),
        (NORTH_ADVOCATE, "org-south", False),
        (NORTH_MANAGER, "org-north", True),
        (NORTH_MANAGER, "org-south", False),
        (Principal("e-1", Role.EVALUATOR, None), "org-north", False),
        (Principal("admin-1", Role.ADMINISTRATOR, "org-north"), "org-north", False),
        (COUNSEL, "org-north", False),
    ],
)
def test_who_sees_a_case_that_is_not_shared(
    principal: Principal, organisation: str, sees: bool
) -> None:
    assert Policy().sees(principal, case(organisation=organisation)) is sees


def test_in_an_assigned_only_organisation_an_advocate_sees_their_cases_and_the_intake() -> (
    None
):
    policy = Policy(assigned_only=frozenset({"org-north"}))

    assert policy.sees(NORTH_ADVOCATE, case("advocate-1"))
    assert policy.sees(NORTH_ADVOCATE, case(None))
    assert not policy.sees(NORTH_ADVOCATE, case("advocate-2"))
    assert policy.sees(NORTH_MANAGER, case("advocate-2"))
    assert Policy().sees(NORTH_ADVOCATE, case("advocate-2"))


def test_counsel_read_only_the_purpose_shared_while_the_share_is_live() -> None:
    policy = Policy()
    cica = case(None, shared("cica"))

    grant = policy.grant(COUNSEL, cica, Action.READ_CHRONOLOGY, "cica")
    assert grant.include_sensitive is False
    assert policy.grant(COUNSEL, cica, Action.READ_EVIDENCE_PACK)
    for purpose in ("full", "immigration", "criminal_trial"):
        with pytest.raises(CaseNotFound):
            policy.grant(COUNSEL, cica, Action.READ_CHRONOLOGY, purpose)
    trial = case(None, shared("criminal_trial", sensitive=True))
    assert policy.grant(COUNSEL, trial, Action.READ_CHRONOLOGY, "criminal_trial")
    with pytest.raises(CaseNotFound):
        policy.grant(COUNSEL, trial, Action.READ_EVIDENCE_PACK)
    for ended in (shared("cica", live=False), shared("cica", to="counsel-2")):
        with pytest.raises(CaseNotFound):
            policy.grant(COUNSEL, case(None, ended), Action.READ_CHRONOLOGY, "cica")
    with pytest.raises(NotPermittedError, match="counsel"):
        policy.grant(COUNSEL, cica, Action.READ_CASE)
    with pytest.raises(NotPermittedError, match="read-only"):
        policy.guard(COUNSEL, Action.RECORD)


def test_a_hand_over_and_a_transfer_are_a_managers() -> None:
    policy = Policy()

    policy.guard(NORTH_ADVOCATE, Action.ASSIGN_ADVOCATE)(case(None))
    with pytest.raises(NotPermittedError, match="hand a case over"):
        policy.guard(NORTH_ADVOCATE, Action.ASSIGN_ADVOCATE)(case("advocate-1"))
    policy.guard(NORTH_MANAGER, Action.ASSIGN_ADVOCATE)(case("advocate-1"))
    with pytest.raises(NotPermittedError):
        policy.require(NORTH_ADVOCATE, Action.TRANSFER)
    policy.require(NORTH_MANAGER, Action.TRANSFER)
    with pytest.raises(CaseNotFound):
        policy.guard(NORTH_MANAGER, Action.RECORD)(case(organisation="org-south"))


def test_a_transfer_names_an_organisation_that_exists() -> None:
    policy = Policy(organisations=frozenset({"org-east"}))

    assert policy.transfer_target(" org-east ", lambda: ()) == "org-east"
    assert policy.transfer_target("org-south", lambda: ["org-south"]) == "org-south"
    with pytest.raises(InvalidField, match="no such organisation"):
        policy.transfer_target("org-nowhere", lambda: ["org-south"])


def test_every_role_has_its_rights_and_no_more() -> None:
    policy = Policy()
    admin = Principal("admin-1", Role.ADMINISTRATOR, None)
    evaluator = Principal("e-1", Role.EVALUATOR, None)

    assert {a for a in Action if policy.may(admin, a)} == {Action.READ_SUBJECT_AUDIT}
    assert {a for a in Action if policy.may(evaluator, a)} == {
        Action.READ_EVALUATION,
        Action.EXPORT_COHORT,
    }
    manager_only = {a for a in Action if policy.may(NORTH_MANAGER, a)} - {
        a for a in Action if policy.may(NORTH_ADVOCATE, a)
    }
    assert manager_only == {
        Action.HAND_OVER,
        Action.TRANSFER,
        Action.READ_CASE_AUDIT,
        Action.ERASE,
    }

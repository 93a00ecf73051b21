"""The authorisation checks resolvers make before touching a case.

They run in the worker thread beside the store calls they guard. A case the
caller may not see is answered exactly as a case that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from api.auth import Principal, Role
from api.graphql.results import NotPermittedError
from domain.application import CaseJourneys, CaseSummary
from domain.errors import CaseNotFound


def require_reader(principal: Principal) -> None:
    if not principal.may_read_cases:
        raise NotPermittedError("evaluators see aggregates only, never a case")


def require_writer(principal: Principal) -> None:
    if principal.may_change_cases:
        return
    if principal.role is Role.COUNSEL:
        raise NotPermittedError("counsel have read-only access")
    raise NotPermittedError(f"the {principal.role.value} role may not change cases")


def require_eraser(
    journeys: CaseJourneys, principal: Principal, case_id: UUID
) -> str:
    """Erasure is for managers of the organisation holding the case; returns
    that organisation. Other roles are refused; a manager elsewhere finds no
    case."""
    if principal.role is not Role.MANAGER:
        raise NotPermittedError(
            "only a manager of the organisation holding the case may erase it"
        )
    organisation_id = journeys.organisation_of(case_id)
    if not principal.may_change(organisation_id):
        raise CaseNotFound(case_id)
    return organisation_id


def readable_case(
    journeys: CaseJourneys, principal: Principal, case_id: UUID
) -> CaseSummary:
    """The case's summary, if the caller may read it."""
    require_reader(principal)
    summary = journeys.case_summary(case_id)
    if not principal.may_see(summary.organisation_id, summary.consents):
        raise CaseNotFound(case_id)
    return summary

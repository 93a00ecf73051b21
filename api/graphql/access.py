"""The gate every resolver passes: the policy's decision, then the audit.

Runs in the worker thread beside the store calls it guards. A case the caller
may not see is answered exactly as a case that does not exist. Every read that
answers something is recorded in the audit before it is answered; if the
record cannot be written, the read fails (masked as an unexpected error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from api.auth import Principal
from api.policy import Action, Grant, Policy
from domain.application import CaseAccess, CaseJourneys
from projections.audit import AuditStore, Operation


@dataclass(frozen=True)
class Gate:
    journeys: CaseJourneys
    policy: Policy
    audit: AuditStore
    principal: Principal

    def require(self, action: Action) -> None:
        self.policy.require(self.principal, action)

    def case(
        self, case_id: UUID, action: Action, purpose: str | None = None
    ) -> tuple[CaseAccess, Grant]:
        """The case, and what the caller may read of it for ``action``."""
        self.require(action)  # before any load: a role's refusal reveals nothing
        access = self.journeys.case_access(case_id)
        return access, self.policy.grant(self.principal, access, action, purpose)

    def sees(self, access: CaseAccess) -> bool:
        return self.policy.sees(self.principal, access)

    def guard(self, action: Action) -> Callable[[CaseAccess], None]:
        return self.policy.guard(self.principal, action)

    def record(
        self,
        operation: Operation,
        *,
        case_ids: Iterable[UUID] = (),
        item_ids: Sequence[object] = (),
        purpose: str | None = None,
    ) -> None:
        """Records what the caller is about to be answered (raising, so the
        answer is withheld, if the audit cannot be written)."""
        self.audit.record(
            subject=self.principal.subject,
            role=self.principal.role.value,
            organisation_id=self.principal.organisation_id,
            operation=operation,
            purpose=purpose,
            case_ids=list(case_ids),
            item_ids=[str(item) for item in item_ids],
        )

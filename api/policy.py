"""Who may do what: every role's rights, decided here and nowhere else.

Resolvers ask this module before they touch anything, in two steps:

1. ``require``: may the caller's role do this at all? A refusal is
   ``NotPermitted`` and never depends on any case, so it reveals nothing.
2. ``grant`` (reads) or ``guard`` (commands, checked on the very case the
   command changes, in the same load): may they do it to this case? A refusal
   is ``CaseNotFound``, answered exactly as for a case that does not exist.

The roles:

- **advocate**: their own organisation's cases; in an organisation listed in
  ``WAYMARK_ASSIGNED_ONLY_ORGANISATIONS``, only cases assigned to them, and
  cases no advocate has yet taken up (the organisation's intake). They open
  cases, record, assign the first advocate, share with counsel and mark steps
  sensitive.
- **manager**: everything an advocate may, on every case of their
  organisation, and also the caseload of any of its advocates, hand-over
  (re-assigning a case that has an advocate), transfer to another known
  organisation, the audit trail of its cases, and erasure.
- **counsel**: a person (the token's subject), not an organisation: only cases
  shared with them, read-only, only through the purpose shared (that purpose's
  chronology; for CICA, the compensation evidence pack too), until the share
  expires, is revoked, or the survivor withdraws consent to sharing.
- **evaluator**: evaluation statistics, their definitions and pseudonymous
  cohorts; never a case.
- **administrator**: organisations, users and keys, and anyone's audit trail
  by subject; no case content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from api.auth import Principal, Role
from domain.application import CaseAccess, Share
from domain.case import SharePurpose
from domain.errors import CaseNotFound, InvalidField


class NotPermittedError(Exception):
    """The caller's role may not do this (answered as ``NotPermitted``)."""


class Action(StrEnum):
    """What a caller asks to do, in words that finish "may not ..."."""

    READ_CASE = "read a case's details"
    LIST_CASES = "list cases"
    READ_CHRONOLOGY = "read a chronology"
    READ_DEADLINES = "read a case's deadlines"
    READ_EVIDENCE_PACK = "read a compensation evidence pack"
    READ_CASELOAD = "read caseloads"
    READ_EVALUATION = "read evaluation statistics"
    EXPORT_COHORT = "download a cohort: only evaluators may"
    OPEN_CASE = "open cases"
    RECORD = "change cases"
    ASSIGN_ADVOCATE = "assign advocates"
    HAND_OVER = "hand a case over to another advocate"
    TRANSFER = "transfer cases to another organisation"
    SHARE = "share cases with counsel or revoke shares"
    MARK_SENSITIVITY = "mark steps sensitive"
    READ_SHARES_WITH_ME = "list shares: only counsel have them"
    READ_CASE_AUDIT = "read a case's audit trail: only managers may"
    READ_SUBJECT_AUDIT = "read a person's audit trail: only administrators may"
    ERASE = "erase cases: only managers may"


_CASE_WORK = frozenset(
    {
        Action.READ_CASE,
        Action.LIST_CASES,
        Action.READ_CHRONOLOGY,
        Action.READ_DEADLINES,
        Action.READ_EVIDENCE_PACK,
        Action.READ_CASELOAD,
        Action.OPEN_CASE,
        Action.RECORD,
        Action.ASSIGN_ADVOCATE,
        Action.SHARE,
        Action.MARK_SENSITIVITY,
    }
)

RIGHTS: Mapping[Role, frozenset[Action]] = {
    Role.ADVOCATE: _CASE_WORK,
    Role.MANAGER: _CASE_WORK
    | {Action.HAND_OVER, Action.TRANSFER, Action.READ_CASE_AUDIT, Action.ERASE},
    Role.COUNSEL: frozenset(
        {Action.READ_CHRONOLOGY, Action.READ_EVIDENCE_PACK, Action.READ_SHARES_WITH_ME}
    ),
    Role.EVALUATOR: frozenset({Action.READ_EVALUATION, Action.EXPORT_COHORT}),
    Role.ADMINISTRATOR: frozenset({Action.READ_SUBJECT_AUDIT}),
}

#: Which shares let counsel read more than the chronology of the purpose shared.
_SHARED_READS: Mapping[Action, frozenset[SharePurpose]] = {
    Action.READ_EVIDENCE_PACK: frozenset({SharePurpose.CICA}),
}


@dataclass(frozen=True)
class Grant:
    """What a permitted read may show."""

    #: Whether sensitive steps may be shown (counsel: as their share says).
    include_sensitive: bool
    #: The live shares it rests on, for counsel.
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True)
class Policy:
    #: Organisations whose advocates see only cases assigned to them.
    assigned_only: frozenset[str] = frozenset()
    #: Organisations named in the settings; with those holding cases, the
    #: organisations a case may be transferred to.
    organisations: frozenset[str] = field(default_factory=frozenset)

    # Role level

    def may(self, principal: Principal, action: Action) -> bool:
        return action in RIGHTS[principal.role]

    def require(self, principal: Principal, action: Action) -> None:
        if not self.may(principal, action):
            if principal.role is Role.COUNSEL and action in _WRITES:
                raise NotPermittedError("counsel have read-only access")
            raise NotPermittedError(
                f"the {principal.role.value} role may not {action.value}"
            )

    # Object level

    def sees(self, principal: Principal, case: CaseAccess) -> bool:
        """Whether the case exists as far as the caller can tell."""
        if principal.role is Role.COUNSEL:
            return bool(case.live_shares(principal.subject))
        if principal.role not in (Role.ADVOCATE, Role.MANAGER):
            return False
        if case.organisation_id != principal.organisation_id:
            return False
        if principal.role is Role.ADVOCATE and self.assigned_only_for(
            case.organisation_id
        ):
            return case.advocate_id in (None, principal.subject)
        return True

    def assigned_only_for(self, organisation_id: str) -> bool:
        return organisation_id in self.assigned_only

    def grant(
        self,
        principal: Principal,
        case: CaseAccess,
        action: Action,
        purpose: str | None = None,
    ) -> Grant:
        """What the caller may read of the case for ``action`` (and, for a
        chronology, ``purpose``); a case they may not read is not found."""
        self.require(principal, action)
        if not self.sees(principal, case):
            raise CaseNotFound(case.case_id)
        if principal.role is not Role.COUNSEL:
            return Grant(include_sensitive=True)
        shares = tuple(
            share
            for share in case.live_shares(principal.subject)
            if _share_lets(share, action, purpose)
        )
        if not shares:
            raise CaseNotFound(case.case_id)
        return Grant(
            include_sensitive=any(share.include_sensitive for share in shares),
            shares=shares,
        )

    def guard(
        self, principal: Principal, action: Action
    ) -> Callable[[CaseAccess], None]:
        """The check a command makes on the case it changes, in the same load."""
        self.require(principal, action)

        def check(case: CaseAccess) -> None:
            if not self.sees(principal, case):
                raise CaseNotFound(case.case_id)
            if action is Action.ASSIGN_ADVOCATE and case.advocate_id is not None:
                self.require(principal, Action.HAND_OVER)

        return check

    # Scopes of cross-case reads

    def own_organisation(self, principal: Principal, asked: str | None) -> str:
        """The organisation whose cases an advocate or manager may list."""
        own = principal.organisation_id or ""
        if asked is not None and asked != own:
            raise NotPermittedError("only your own organisation's cases can be read")
        return own

    def caseload_scope(
        self, principal: Principal, organisation_id: str | None, advocate_id: str | None
    ) -> tuple[str, str | None]:
        """Whose caseload the caller may read: a manager any advocate's of their
        organisation; an advocate too, except where only assigned cases are
        theirs to see (then their own)."""
        self.require(principal, Action.READ_CASELOAD)
        organisation = self.own_organisation(principal, organisation_id)
        if principal.role is Role.ADVOCATE and self.assigned_only_for(organisation):
            if advocate_id not in (None, principal.subject):
                raise NotPermittedError("advocates here read only their own caseload")
            return organisation, principal.subject
        return organisation, advocate_id

    def transfer_target(
        self, to_organisation_id: str, holding_cases: Callable[[], Iterable[str]]
    ) -> str:
        """The organisation a case is transferred to, if it exists: named in
        the settings, or holding cases."""
        target = to_organisation_id.strip()
        if target not in self.organisations and target not in set(holding_cases()):
            raise InvalidField(
                "toOrganisationId",
                "no such organisation: name one in WAYMARK_ORGANISATIONS or "
                "holding cases",
            )
        return target


def _share_lets(share: Share, action: Action, purpose: str | None) -> bool:
    if action is Action.READ_CHRONOLOGY:
        return share.purpose == purpose
    return SharePurpose(share.purpose) in _SHARED_READS.get(action, frozenset())


_WRITES = frozenset(
    {
        Action.OPEN_CASE,
        Action.RECORD,
        Action.ASSIGN_ADVOCATE,
        Action.HAND_OVER,
        Action.TRANSFER,
        Action.SHARE,
        Action.MARK_SENSITIVITY,
        Action.ERASE,
    }
)

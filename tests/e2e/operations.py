"""GraphQL documents the end-to-end tests send, as a client would write them."""

from __future__ import annotations

FAILURE = """
fragment failure on Failure {
  __typename
  message
  ... on ValidationFailed { field }
  ... on VersionConflict { expectedVersion actualVersion }
  ... on Refused { reason }
}
"""

OPEN_CASE = (
    """
mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) {
    __typename
    ... on CaseOpened { caseId caseVersion position replayed }
    ...failure
  }
}
"""
    + FAILURE
)

RECORD_STEP = (
    """
mutation Record($input: RecordStepInput!) {
  recordStep(input: $input) {
    __typename
    ... on StepRecorded { caseId stepId caseVersion position replayed }
    ...failure
  }
}
"""
    + FAILURE
)

CORRECT_STEP = (
    """
mutation Correct($input: CorrectStepInput!) {
  correctStep(input: $input) {
    __typename
    ... on StepCorrected { stepId caseVersion position replayed }
    ...failure
  }
}
"""
    + FAILURE
)

RETRACT_STEP = (
    """
mutation Retract($input: RetractStepInput!) {
  retractStep(input: $input) {
    __typename
    ... on StepRetracted { stepId caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

DISPUTE_STEP = (
    """
mutation Dispute($input: DisputeStepInput!) {
  disputeStep(input: $input) {
    __typename
    ... on StepDisputed { stepId caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

ATTACH_EVIDENCE = (
    """
mutation Attach($input: AttachEvidenceInput!) {
  attachEvidence(input: $input) {
    __typename
    ... on EvidenceAttached { documentId caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

GIVE_CONSENT = (
    """
mutation Consent($input: GiveConsentInput!) {
  giveConsent(input: $input) {
    __typename
    ... on ConsentGiven { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

WITHDRAW_CONSENT = (
    """
mutation Withdraw($input: WithdrawConsentInput!) {
  withdrawConsent(input: $input) {
    __typename
    ... on ConsentWithdrawn { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

ASSIGN_ADVOCATE = (
    """
mutation Assign($input: AssignAdvocateInput!) {
  assignAdvocate(input: $input) {
    __typename
    ... on AdvocateAssigned { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

TRANSFER_CASE = (
    """
mutation Transfer($input: TransferCaseInput!) {
  transferCase(input: $input) {
    __typename
    ... on CaseTransferred { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

CLOSE_CASE = (
    """
mutation Close($input: CloseCaseInput!) {
  closeCase(input: $input) {
    __typename
    ... on CaseClosed { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

REOPEN_CASE = (
    """
mutation Reopen($input: ReopenCaseInput!) {
  reopenCase(input: $input) {
    __typename
    ... on CaseReopened { caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

CASE = (
    """
query Case($id: UUID!) {
  case(id: $id) {
    __typename
    ... on Case {
      id reference organisationId jurisdiction localAuthority born advocateId
      consents closed version stepCount openedAt openedOn modifiedAt
    }
    ...failure
  }
}
"""
    + FAILURE
)

CASES = (
    """
query Cases(
  $organisationId: String, $closed: Boolean, $first: Int!, $after: String,
  $atLeastPosition: Int
) {
  cases(
    organisationId: $organisationId, closed: $closed, first: $first, after: $after,
    atLeastPosition: $atLeastPosition
  ) {
    __typename
    ... on CasePage { cases { id reference closed } endCursor hasNextPage }
    ...failure
  }
}
"""
    + FAILURE
)

CHRONOLOGY = (
    """
query Chronology(
  $caseId: UUID!, $purpose: ChronologyPurpose! = FULL,
  $asAt: DateTime, $changedSince: DateTime, $includeSensitive: Boolean! = true
) {
  chronology(
    caseId: $caseId, purpose: $purpose, asAt: $asAt, changedSince: $changedSince,
    includeSensitive: $includeSensitive
  ) {
    __typename
    ... on Chronology {
      caseId reference purpose asAt changedSince caseVersion chainHead position
      selection {
        includes includedAreas stepsLeftOut
        leftOut { reason why areas kinds steps }
      }
      sensitiveLeftOut
      rows {
        stepId kind label area when occurred earliest latest order summary details
        sources { document pin title bundleRef cite } citation
        status recordedAt recordedBy lastChangedAt
        history {
          kind when occurred summary details citation reason recordedAt recordedBy
        }
        disputes {
          recordedVersion recordedWhen disputedBy otherVersion otherWhen
          otherOccurred sources { cite } citation recordedBy
        }
        retraction { reason recordedBy }
        warnings
      }
    }
    ...failure
  }
}
"""
    + FAILURE
)

STEP_KINDS = """
query {
  stepKinds {
    code area label version expects
    fields {
      name type required nullable allowedValues minLength maxLength minimum
      decimalPlaces maxDigits
    }
  }
}
"""

RECORD_DATE_OF_BIRTH = (
    """
mutation Born($input: RecordDateOfBirthInput!) {
  recordDateOfBirth(input: $input) {
    __typename
    ... on DateOfBirthRecorded { caseId caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)

SHARE_WITH_COUNSEL = (
    """
mutation Share($input: ShareWithCounselInput!) {
  shareWithCounsel(input: $input) {
    __typename
    ... on CounselShared { caseId shareId caseVersion position replayed }
    ...failure
  }
}
"""
    + FAILURE
)

REVOKE_SHARE = (
    """
mutation Revoke($input: RevokeShareInput!) {
  revokeShare(input: $input) {
    __typename
    ... on ShareRevoked { caseId shareId caseVersion replayed }
    ...failure
  }
}
"""
    + FAILURE
)

MARK_STEP_SENSITIVITY = (
    """
mutation Mark($input: MarkStepSensitivityInput!) {
  markStepSensitivity(input: $input) {
    __typename
    ... on StepSensitivityMarked { caseId stepId caseVersion replayed }
    ...failure
  }
}
"""
    + FAILURE
)

SHARED_WITH_ME = (
    """
query Shared {
  sharedWithMe {
    __typename
    ... on SharedWithMe {
      shares {
        caseId reference shareId purpose expiresOn includeSensitive
        lastLookedAt changedSinceLastLook
      }
    }
    ...failure
  }
}
"""
    + FAILURE
)

AUDIT_TRAIL = (
    """
query Audit($caseId: UUID, $subject: String) {
  auditTrail(caseId: $caseId, subject: $subject) {
    __typename
    ... on AuditTrail {
      caseId subject
      entries { at subject role organisationId operation purpose caseIds itemIds }
    }
    ...failure
  }
}
"""
    + FAILURE
)

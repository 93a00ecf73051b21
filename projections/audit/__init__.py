"""The audit: who looked at what, when, for which purpose; append-only."""

from projections.audit.store import (
    AuditRecord,
    AuditStore,
    AuditUnavailable,
    Operation,
    audit_store,
)

__all__ = ["AuditRecord", "AuditStore", "AuditUnavailable", "Operation", "audit_store"]

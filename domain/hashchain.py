"""Tamper evidence: each case's events form a hash chain.

Every event carries the hash of its predecessor. An event's hash covers its topic,
case, version and its state exactly as recorded (before any upcast), in a canonical
JSON form that does not depend on the storage format, so a court can check that a
chronology was not altered after it was served.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson

GENESIS = ""


def _canonical_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")


def event_hash(
    topic: str, originator_id: UUID, originator_version: int, state: dict[str, Any]
) -> str:
    """The SHA-256 of an event's canonical bytes, as hex."""
    recorded = {key: value for key, value in state.items() if not key.startswith("_")}
    canonical = orjson.dumps(
        {
            "topic": topic,
            "case": str(originator_id),
            "version": originator_version,
            "state": recorded,
        },
        default=_canonical_default,
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()

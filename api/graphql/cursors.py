"""Cursors of listings: opaque, signed, and good only for the listing that gave
them.

A cursor names a position in a listing (when the last case shown was opened,
and its id) and carries an HMAC of that position together with the listing's
scope: who asked (subject, role, organisation) and the filters they gave. A
cursor made up, altered, or given to another caller or another listing fails
the check and is refused exactly as any malformed cursor is; so no cursor can
ask whether a case exists, and none carries one caller's place to another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import datetime
from uuid import UUID

from api.auth import Principal
from api.graphql.results import InvalidArgument

#: Bytes of HMAC-SHA256 kept in a cursor: forging one is a 2^-128 guess.
_MAC_BYTES = 16
_SEPARATOR = b"|"
NOT_A_CURSOR = "not a cursor this API gave for this listing"

Position = tuple[datetime, UUID]


def listing_scope(principal: Principal, listing: str, *filters: object) -> bytes:
    """What a cursor is good for: this caller, this listing, these filters."""
    parts = [
        listing,
        principal.subject,
        principal.role.value,
        principal.organisation_id or "",
        *(repr(value) for value in filters),
    ]
    return "\x1f".join(parts).encode()


class ListingCursors:
    def __init__(self, key: bytes | None = None) -> None:
        #: Without a key (a test's schema), cursors hold for this process only.
        self._key = key or secrets.token_bytes(32)

    def encode(self, scope: bytes, position: Position) -> str:
        opened_at, case_id = position
        payload = opened_at.isoformat().encode() + _SEPARATOR + case_id.bytes
        token = payload + self._mac(scope, payload)
        return base64.urlsafe_b64encode(token).decode().rstrip("=")

    def decode(self, scope: bytes, cursor: str, argument: str = "after") -> Position:
        """The position, if this cursor was given for this scope; else the
        refusal every bad cursor gets."""
        try:
            token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            payload, mac = token[:-_MAC_BYTES], token[-_MAC_BYTES:]
            if len(token) <= _MAC_BYTES or not hmac.compare_digest(
                mac, self._mac(scope, payload)
            ):
                raise ValueError(cursor)
            opened_at, separator, case_id = (
                payload[:-17],
                payload[-17:-16],
                payload[-16:],
            )
            if separator != _SEPARATOR:
                raise ValueError(cursor)
            return datetime.fromisoformat(opened_at.decode()), UUID(bytes=case_id)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidArgument(argument, NOT_A_CURSOR) from None

    def _mac(self, scope: bytes, payload: bytes) -> bytes:
        digest = hmac.new(self._key, scope + b"\n" + payload, hashlib.sha256)
        return digest.digest()[:_MAC_BYTES]

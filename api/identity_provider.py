"""The OpenID Connect issuer the workspace signs in with, as the server's CSP
names it: its origin alone (scheme, host, port), checked strictly, since it is
written into every response's ``Content-Security-Policy`` header."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from api.token_keys import check_fetchable

ISSUER_SETTING = "WAYMARK_OIDC_ISSUER"

#: A DNS name: labels of letters, digits and inner hyphens, dot-separated.
_HOST_NAME = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


def issuer_origin(issuer: str) -> str:
    """``https://id.example.org`` of ``https://id.example.org/realms/imsa``;
    ``ValueError`` naming the setting when the issuer is not an https address
    (or http on loopback) of a plain host, without credentials."""
    try:
        check_fetchable(issuer)
    except ValueError:
        raise ValueError(
            f"{ISSUER_SETTING} must be an https address (http only on loopback), "
            f"not {issuer!r}"
        ) from None
    parts = urlsplit(issuer)
    try:
        port = parts.port
    except ValueError as error:  # not a number, or out of range
        raise ValueError(f"{ISSUER_SETTING} names an unusable port: {error}") from None
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{ISSUER_SETTING} must not carry a user name or password")
    host = parts.hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.fullmatch(host):
            raise ValueError(
                f"{ISSUER_SETTING} names no plain host name: {issuer!r}"
            ) from None
        shown = host
    else:
        shown = f"[{address}]" if address.version == 6 else str(address)
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")

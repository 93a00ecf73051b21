"""Sharing a case with counsel, as an advocate would over the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import TODAY
from tests.e2e.conftest import Api
from tests.e2e.operations import GIVE_CONSENT, SHARE_WITH_COUNSEL


def consent_to_sharing(api: Api, case_id: str, **caller: Any) -> None:
    given = api.call(
        GIVE_CONSENT,
        {"input": {"caseId": case_id, "purpose": "SHARING_WITH_COUNSEL"}},
        **caller,
    )["giveConsent"]
    assert given["__typename"] in {"ConsentGiven", "Refused"}, given


def share(
    api: Api,
    case_id: str,
    counsel: str,
    purpose: str,
    *,
    expires_on: date | None = None,
    include_sensitive: bool = False,
    consent: bool = True,
    **caller: Any,
) -> str:
    """Shares the case (first recording the survivor's consent, unless told
    not to) and returns the share's id."""
    if consent:
        consent_to_sharing(api, case_id, **caller)
    shared = api.call(
        SHARE_WITH_COUNSEL,
        {
            "input": {
                "caseId": case_id,
                "counsel": counsel,
                "purpose": purpose,
                "expiresOn": (expires_on or TODAY + timedelta(days=30)).isoformat(),
                "includeSensitive": include_sensitive,
            }
        },
        **caller,
    )["shareWithCounsel"]
    assert shared["__typename"] == "CounselShared", shared
    return str(shared["shareId"])

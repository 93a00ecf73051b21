"""The demo's people: one of each role a newcomer can sign in as on the
embedded demo. Pseudonymous, like everything in the demo."""

from __future__ import annotations

from dataclasses import dataclass

from demo.cases import DEMO_ADVOCATE, DEMO_COUNSEL, DEMO_ORGANISATION, DEMO_SHARED_CASE


@dataclass(frozen=True)
class DemoUser:
    key: str
    subject: str
    #: A role as tokens name it (``api.auth.Role``'s values).
    role: str
    organisation_id: str | None
    #: What signing in as them shows, for the sign-in page.
    description: str


DEMO_USERS: dict[str, DemoUser] = {
    user.key: user
    for user in (
        DemoUser(
            "advocate",
            DEMO_ADVOCATE,
            "advocate",
            DEMO_ORGANISATION,
            "Holds MAUREEN-D1 and JIN-D1: records steps, reads timelines.",
        ),
        DemoUser(
            "counsel",
            DEMO_COUNSEL,
            "counsel",
            DEMO_ORGANISATION,
            f"Reads {DEMO_SHARED_CASE}'s CICA chronology and evidence pack, shared"
            " with them read-only; nothing else.",
        ),
        DemoUser(
            "manager",
            "manager-north-01",
            "manager",
            DEMO_ORGANISATION,
            "Oversees the organisation's caseload, drift and deadlines.",
        ),
        DemoUser(
            "evaluator",
            "evaluator-01",
            "evaluator",
            None,
            "Sees the evaluation figures under disclosure control, never a case.",
        ),
    )
}

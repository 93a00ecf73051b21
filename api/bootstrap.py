"""The composition root: builds Waymark's application from settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from api.settings import Settings
from domain.application import CaseJourneys


def build_journeys(
    settings: Settings, *, today: Callable[[], date] | None = None
) -> CaseJourneys:
    return CaseJourneys(env=dict(settings.persistence), today=today)

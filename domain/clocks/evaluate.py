"""Every legal clock of a case, judged as at a given day.

``clocks_of`` is a pure function of the case's current steps (the latest reading of
each; retracted steps left out), the survivor's date of birth and the case's
jurisdiction, under a ``RuleBook``. It reads no store and keeps no state. Each
family of clocks is judged in its own module (``compensation``, ``nrm``) by the
shared ``Judge``, which says how uncertain dates are read.
"""

from __future__ import annotations

from datetime import date

from domain.clocks.clock import ClockReport
from domain.clocks.compensation import cica_clocks
from domain.clocks.facts import CaseFacts
from domain.clocks.judge import Judge
from domain.clocks.nrm import nrm_clocks
from domain.clocks.rules import DEFAULT_RULES, RuleBook


def clocks_of(
    facts: CaseFacts, as_of: date, rules: RuleBook = DEFAULT_RULES
) -> ClockReport:
    """Every clock the case's steps start, judged as at ``as_of``, earliest due
    first (a window not yet started last)."""
    judge = Judge(facts, as_of, rules)
    clocks = [*cica_clocks(judge), *nrm_clocks(judge)]
    clocks.sort(
        key=lambda clock: (clock.due_on or date.max, clock.started_on, clock.kind)
    )
    return ClockReport(
        as_of=as_of,
        clocks=tuple(clocks),
        jurisdictions=tuple(judge.spells),
        notes=tuple(judge.notes),
    )

"""Changes grouped for writing in few statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar
from uuid import UUID


class CaseChange(Protocol):
    @property
    def case_id(self) -> UUID: ...


TChange = TypeVar("TChange", bound=CaseChange)


def in_rounds(changes: Sequence[TChange]) -> list[tuple[type[TChange], list[TChange]]]:
    """The changes grouped for writing in few statements, each case's in order.

    Changes to different cases touch different rows, so they commute; one
    case's must stay in order. Each case's changes split into runs of one type;
    the k-th runs of all cases make round k, written after round k - 1, one
    group per type. A page of events thus needs a statement per type per round,
    not one per change.
    """
    runs: dict[UUID, tuple[int, type[TChange]]] = {}
    rounds: list[dict[type[TChange], list[TChange]]] = []
    for change in changes:
        kind = type(change)
        index, last = runs.get(change.case_id, (-1, None))
        if last is not kind:
            index += 1
            runs[change.case_id] = (index, kind)
            if index == len(rounds):
                rounds.append({})
        rounds[index].setdefault(kind, []).append(change)
    return [group for round_ in rounds for group in round_.items()]

"""Evaluation statistics for independent evaluators: the metrics of docs/metrics.md
over consenting cases, sliced by period, organisation, jurisdiction, area and
age band, with disclosure control built into every answer."""

from collections.abc import Mapping

from projections.evaluation.postgres import PostgresEvaluationView
from projections.evaluation.sqlite import SQLiteEvaluationView
from projections.evaluation.view import EvaluationView
from projections.tracking import construct_view

NAME = "evaluation"


__all__ = ["NAME", "EvaluationView", "evaluation_view"]


def evaluation_view(persistence: Mapping[str, str], name: str = NAME) -> EvaluationView:
    """The evaluation view for the event store these settings name (``name``
    another than the live one's: a view being rebuilt)."""
    view: EvaluationView = construct_view(
        name, persistence, sqlite=SQLiteEvaluationView, postgres=PostgresEvaluationView
    )
    return view

"""docs/metrics.md is the metrics' definitions as the code counts them."""

from __future__ import annotations

from projections.evaluation.metrics import DEFINITIONS, Metric
from projections.evaluation.metrics_doc import METRICS_DOC, REGENERATE, metrics_markdown


def test_the_committed_metric_definitions_are_up_to_date() -> None:
    committed = METRICS_DOC.read_text() if METRICS_DOC.exists() else ""

    assert committed == metrics_markdown(), (
        f"docs/{METRICS_DOC.name} is stale: regenerate it with `{REGENERATE}`"
    )


def test_every_metric_is_defined_once_in_the_document() -> None:
    assert [d.metric for d in DEFINITIONS] == list(Metric)
    text = metrics_markdown()
    for metric in Metric:
        assert text.count(f"## `{metric.value}`") == 1, metric

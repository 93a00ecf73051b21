"""What every materialised projection shares: views that write rows and tracking
in one transaction, the worker that keeps them current on PostgreSQL, SQLite and
the in-memory store, and the read-your-writes wait."""

from projections.tracking.batch import BatchProjection, BatchView
from projections.tracking.stores import (
    UnsupportedStore,
    construct_view,
    sibling_file,
    store_kind,
    view_env,
)
from projections.tracking.worker import ProjectionWorker

__all__ = [
    "BatchProjection",
    "BatchView",
    "ProjectionWorker",
    "UnsupportedStore",
    "construct_view",
    "sibling_file",
    "store_kind",
    "view_env",
]

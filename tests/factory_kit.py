"""What eventsourcing's ``InfrastructureFactoryTestCase`` must be told of the
in-memory ("plain old Python objects") store, for every kit test of ours that
runs on it. A mixin, not a test case: it holds no test of its own."""

from __future__ import annotations

from eventsourcing.persistence import TrackingRecorder
from eventsourcing.popo import (
    POPOAggregateRecorder,
    POPOApplicationRecorder,
    POPOFactory,
    POPOProcessRecorder,
    POPOTrackingRecorder,
)


class OwnTracking(POPOTrackingRecorder):
    """A tracking recorder of our own, for the kit to build by topic."""


class POPOFactoryExpectations:
    def expected_factory_class(self) -> type[POPOFactory]:
        return POPOFactory

    def expected_aggregate_recorder_class(self) -> type[POPOAggregateRecorder]:
        return POPOAggregateRecorder

    def expected_application_recorder_class(self) -> type[POPOApplicationRecorder]:
        return POPOApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[POPOTrackingRecorder]:
        return POPOTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        return OwnTracking

    def expected_process_recorder_class(self) -> type[POPOProcessRecorder]:
        return POPOProcessRecorder

"""The encrypting mapper and its keyring pass eventsourcing's own
``InfrastructureFactoryTestCase`` on the in-memory store, SQLite and PostgreSQL,
with the keyring as the store's cipher: the library's own mapper settings
(compressor, the library's cipher) still work beside it. The kit's cases run on a
plain event; ours check that the factory's mapper seals under per-case keys."""

from __future__ import annotations

import tempfile
import zlib
from pathlib import Path
from uuid import uuid4

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    ProcessRecorder,
    TrackingRecorder,
)
from eventsourcing.popo import (
    POPOFactory,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteFactory,
    SQLiteProcessRecorder,
    SQLiteTrackingRecorder,
)
from eventsourcing.tests.persistence import InfrastructureFactoryTestCase
from eventsourcing.utils import Environment

from storage.encryption import CaseEncryptingMapper
from storage.keyring import CaseKeyring, is_sealed, keyring_env
from storage.settings import MAPPER_TOPIC, TRANSCODER_TOPIC
from tests.conftest import TEST_MASTER_KEY
from tests.factory_kit import POPOFactoryExpectations
from tests.integration.test_tracking_recorders import PostgresSchema


class SealsPerCase:
    """Our cases, beside the kit's."""

    env: Environment
    factory: InfrastructureFactory[TrackingRecorder]

    def sealing_env(self, env: dict[str, str]) -> Environment:
        return Environment(
            "Cases",
            {
                **env,
                "MAPPER_TOPIC": MAPPER_TOPIC,
                "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
                **keyring_env(TEST_MASTER_KEY),
            },
        )

    def test_the_factory_seals_each_originator_under_its_own_key(self) -> None:
        mapper = self.factory.mapper()
        assert isinstance(mapper, CaseEncryptingMapper)
        assert isinstance(mapper.keyring, CaseKeyring)
        # The library's own paths never see the keyring as a whole-store cipher.
        assert mapper.cipher is None
        first, second = (
            DomainEvent(
                originator_id=uuid4(),
                originator_version=1,
                timestamp=DomainEvent.create_timestamp(),
            )
            for _ in range(2)
        )
        stored = [mapper.to_stored_event(e) for e in (first, second)]
        assert all(is_sealed(s.state) for s in stored)
        assert [mapper.to_domain_event(s) for s in stored] == [first, second]
        assert mapper.destroy_case_keys(first.originator_id) == 1
        assert mapper.holds_case_keys(second.originator_id)
        mapper.close()

    def test_the_keyring_seals_beside_a_compressor(self) -> None:
        self.env["COMPRESSOR_TOPIC"] = "zlib"
        mapper = self.factory.mapper()
        assert mapper.compressor is zlib
        event = DomainEvent(
            originator_id=uuid4(),
            originator_version=1,
            timestamp=DomainEvent.create_timestamp(),
        )
        assert mapper.to_domain_event(mapper.to_stored_event(event)) == event
        assert isinstance(mapper, CaseEncryptingMapper)
        mapper.close()


class TestInMemory(
    SealsPerCase, POPOFactoryExpectations, InfrastructureFactoryTestCase[POPOFactory]
):
    def setUp(self) -> None:
        self.env = self.sealing_env({"PERSISTENCE_MODULE": "eventsourcing.popo"})
        super().setUp()


class TestSQLite(SealsPerCase, InfrastructureFactoryTestCase[SQLiteFactory]):
    def setUp(self) -> None:
        self.directory = tempfile.TemporaryDirectory()
        self.env = self.sealing_env(
            {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(Path(self.directory.name) / "w.db"),
                "CREATE_TABLE": "y",
            }
        )
        super().setUp()

    def tearDown(self) -> None:
        super().tearDown()
        self.directory.cleanup()

    def expected_factory_class(self) -> type[SQLiteFactory]:
        return SQLiteFactory

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return SQLiteAggregateRecorder

    def expected_application_recorder_class(self) -> type[ApplicationRecorder]:
        return SQLiteApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return SQLiteTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        class Tracking(SQLiteTrackingRecorder):
            pass

        return Tracking

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return SQLiteProcessRecorder


class TestPostgres(
    SealsPerCase, PostgresSchema, InfrastructureFactoryTestCase[PostgresFactory]
):
    def setUp(self) -> None:
        self.make_schema()
        self.env = self.sealing_env(self.env_of_schema())
        super().setUp()

    def env_of_schema(self) -> dict[str, str]:
        return PostgresSchema.env(self)

    def tearDown(self) -> None:
        super().tearDown()
        self.drop_schema()

    def expected_factory_class(self) -> type[PostgresFactory]:
        return PostgresFactory

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return PostgresAggregateRecorder

    def expected_application_recorder_class(self) -> type[ApplicationRecorder]:
        return PostgresApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return PostgresTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        class Tracking(PostgresTrackingRecorder):
            pass

        return Tracking

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return PostgresProcessRecorder

"""The caseload and evaluation views are eventsourcing tracking recorders: each
passes the library's own ``TrackingRecorderTestCase``, on SQLite (a file, and in
memory) and on PostgreSQL (in a schema of its own); the caseload also runs under
the library's own ``ProjectionRunner``."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date
from pathlib import Path

import psycopg
from eventsourcing.persistence import TrackingRecorder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.projection import ProjectionRunner
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import TrackingRecorderTestCase

from domain.application import CaseJourneys, StepInput
from projections.caseload import (
    CaseloadProjection,
    PostgresCaseloadView,
    SQLiteCaseloadView,
)
from projections.evaluation.postgres import PostgresEvaluationView
from projections.evaluation.sqlite import SQLiteEvaluationView
from storage.settings import persistence_env
from tests.conftest import POSTGRES_URL


class SQLiteViewInAFile:
    view_class: type[SQLiteCaseloadView | SQLiteEvaluationView]

    def setUp(self) -> None:
        self.directory = tempfile.TemporaryDirectory()
        self.datastore = SQLiteDatastore(str(Path(self.directory.name) / "v.db"))

    def tearDown(self) -> None:
        self.datastore.close()
        self.directory.cleanup()

    def create_recorder(self) -> TrackingRecorder:
        view = self.view_class(self.datastore)
        view.create_table()
        return view


class SQLiteViewInMemory:
    view_class: type[SQLiteCaseloadView | SQLiteEvaluationView]

    def setUp(self) -> None:
        self.datastore = SQLiteDatastore(
            f"file:view-{uuid.uuid4().hex}?mode=memory&cache=shared"
        )

    def tearDown(self) -> None:
        self.datastore.close()

    def create_recorder(self) -> TrackingRecorder:
        view = self.view_class(self.datastore)
        view.create_table()
        return view


class PostgresSchema:
    """A schema of its own for each test, dropped afterwards."""

    schema: str

    def make_schema(self) -> None:
        self.schema = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{self.schema}"')

    def drop_schema(self) -> None:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{self.schema}" CASCADE')

    def env(self) -> dict[str, str]:
        return persistence_env(
            {"WAYMARK_DATABASE_URL": f"{POSTGRES_URL}?schema={self.schema}"},
            default_sqlite_path="",
        )


class PostgresView(PostgresSchema):
    view_class: type[PostgresCaseloadView | PostgresEvaluationView]

    def setUp(self) -> None:
        self.make_schema()
        env = self.env()
        self.datastore = PostgresDatastore(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            schema=self.schema,
        )

    def tearDown(self) -> None:
        self.datastore.close()
        self.drop_schema()

    def create_recorder(self) -> TrackingRecorder:
        view = self.view_class(self.datastore)
        view.create_table()
        return view


class TestSQLiteCaseloadViewInAFile(SQLiteViewInAFile, TrackingRecorderTestCase):
    view_class = SQLiteCaseloadView


class TestSQLiteCaseloadViewInMemory(SQLiteViewInMemory, TrackingRecorderTestCase):
    view_class = SQLiteCaseloadView


class TestPostgresCaseloadView(PostgresView, TrackingRecorderTestCase):
    view_class = PostgresCaseloadView


class TestSQLiteEvaluationViewInAFile(SQLiteViewInAFile, TrackingRecorderTestCase):
    view_class = SQLiteEvaluationView


class TestSQLiteEvaluationViewInMemory(SQLiteViewInMemory, TrackingRecorderTestCase):
    view_class = SQLiteEvaluationView


class TestPostgresEvaluationView(PostgresView, TrackingRecorderTestCase):
    view_class = PostgresEvaluationView


class TestTheLibrarysProjectionRunnerKeepsTheCaseloadOnPostgres(PostgresSchema):
    """``ProjectionRunner`` calls ``process_event`` one event at a time: the same
    handlers, one transaction per event."""

    def setup_method(self) -> None:
        self.make_schema()

    def teardown_method(self) -> None:
        self.drop_schema()

    def test_an_advocates_contact_reaches_the_view_through_the_runner(self) -> None:
        with ProjectionRunner(
            application_class=CaseJourneys,
            projection_class=CaseloadProjection,
            view_class=PostgresCaseloadView,
            env=self.env(),
        ) as runner:
            journeys: CaseJourneys = runner.app
            case_id = journeys.open_case(
                reference="RUNNER-1",
                organisation_id="org-north",
                jurisdiction="scotland",
                recorded_by="adv-1",
            ).case_id
            contact = journeys.record_step(
                case_id,
                StepInput("engagement.contact", "2026-10-05", "Met", {"mode": "phone"}),
                recorded_by="adv-1",
            )
            runner.wait(contact.position, timeout=5)

            (entry,) = runner.view.caseload(organisation_id="org-north")
            assert entry.last_contact_on == date(2026, 10, 5)
            assert runner.view.max_tracking_id(journeys.name) == contact.position

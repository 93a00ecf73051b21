"""The evaluation view in PostgreSQL, beside the events in their schema: tables
named after the view (``evaluation_cases``, ..., ``evaluation_tracking``; a
rebuild fills ``evaluation_next_...``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection, Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from projections.evaluation.view import (
    CHUNK_ROWS,
    INDEXES,
    TABLES,
    EvaluationView,
    Reading,
)
from projections.tracking.compare_and_set import PostgresCompareAndSetTracking


class PostgresReading(Reading):
    def __init__(self, connection: Connection[Any]) -> None:
        self.connection = connection
        self._cursors = 0

    def rows(self, statement: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connection.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    def chunks(
        self, statement: Any, params: Sequence[Any] = ()
    ) -> Iterator[list[tuple[Any, ...]]]:
        # A server-side cursor: the client holds one chunk, not the result.
        self._cursors += 1
        name = f"evaluation_rows_{self._cursors}"
        with self.connection.cursor(name, row_factory=tuple_row) as cursor:
            cursor.itersize = CHUNK_ROWS
            cursor.execute(statement, params)
            while chunk := cursor.fetchmany(CHUNK_ROWS):
                yield chunk


class PostgresEvaluationView(PostgresCompareAndSetTracking, EvaluationView):
    random_id = "gen_random_uuid()::text"

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str = "evaluation_tracking",
        **kwargs: Any,
    ) -> None:
        # Named as eventsourcing names the tracking table: after the view.
        self.prefix = tracking_table_name.removesuffix("_tracking")
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self._statements: dict[str, Composed] = {}
        self.sql_create_statements.extend(
            self.statement(text) for text in self.create_statements()
        )

    def table(self, name: str) -> str:
        return (
            SQL("{}.{}")
            .format(
                Identifier(self.datastore.schema), Identifier(f"{self.prefix}_{name}")
            )
            .as_string(None)
        )

    def statement(self, text: str) -> Composed:
        prepared = self._statements.get(text)
        if prepared is None:
            sql = self.sql(text).replace("%", "%%").replace("?", "%s")
            prepared = self._statements[text] = SQL(sql).format()
        return prepared

    def create_table(self) -> None:
        super().create_table()
        self.settle_version()

    def _forget_all_tracking(self, cursor: Cursor[DictRow]) -> None:
        # The library's own row, saying how the table is laid out, stays.
        cursor.execute(
            SQL("DELETE FROM {} WHERE application_name != %s").format(
                self.tracking_table
            ),
            (self.table_migration_identifier,),
        )

    @contextmanager
    def writing(self) -> Iterator[Cursor[DictRow]]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    def batched(self, cursor: Cursor[DictRow]) -> AbstractContextManager[Any]:
        return cursor.connection.pipeline()

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield PostgresReading(cursor.connection)

    def _tracked(self, cursor: Cursor[DictRow]) -> bool:
        cursor.execute(
            SQL("SELECT 1 FROM {} WHERE application_name != %s LIMIT 1").format(
                self.tracking_table
            ),
            (self.table_migration_identifier,),
        )
        return cursor.fetchone() is not None

    def _forget_tracking(self, cursor: Cursor[DictRow], application_name: str) -> None:
        cursor.execute(
            SQL("DELETE FROM {} WHERE application_name = %s").format(
                self.tracking_table
            ),
            (application_name,),
        )

    def tracking_position_statement(self) -> Composed:
        return SQL("SELECT notification_id FROM {} WHERE application_name = %s").format(
            self.tracking_table
        )

    def switch_to(self, fresh: EvaluationView) -> None:
        if not isinstance(fresh, PostgresEvaluationView):
            raise TypeError("a PostgreSQL view switches to a PostgreSQL view")
        self.refuse_older(fresh.definitions)
        schema = Identifier(self.datastore.schema)
        renames = [*TABLES, "tracking"]
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                SQL("DROP TABLE IF EXISTS {}").format(
                    SQL(", ").join(
                        SQL("{}.{}").format(schema, Identifier(f"{self.prefix}_{name}"))
                        for name in renames
                    )
                )
            )
            for name in renames:
                cursor.execute(
                    SQL("ALTER TABLE {}.{} RENAME TO {}").format(
                        schema,
                        Identifier(f"{fresh.prefix}_{name}"),
                        Identifier(f"{self.prefix}_{name}"),
                    )
                )
            # Indexes keep their names through a rename: give them the live ones,
            # so the next rebuild can create its own.
            for index in (*INDEXES, *(f"{{prefix}}_{name}_pkey" for name in renames)):
                cursor.execute(
                    SQL("ALTER INDEX {}.{} RENAME TO {}").format(
                        schema,
                        Identifier(index.format(prefix=fresh.prefix)),
                        Identifier(index.format(prefix=self.prefix)),
                    )
                )

    def close(self) -> None:
        self.datastore.close()

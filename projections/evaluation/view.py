"""The evaluation view: each consenting case's opening, spells open, places,
date of birth and step facts, kept with exactly-once tracking.

One SQL text serves SQLite and PostgreSQL: the dialects differ only in how they
are connected, in placeholders (``?`` here, rewritten for psycopg) and in how
tables are named (``projections.evaluation.sqlite`` and ``.postgres``). Days are
whole numbers (``date.toordinal``), money is pence, so the rows are the same on
both stores and load straight into arrays.

Tables, named after the view (``evaluation`` live; ``evaluation_next`` while a
rebuild fills a fresh one):

- ``_cases``: one row per case that has ever consented: ``consented`` 0 once
  withdrawn, with every other column cleared and no other row left; ``changed``
  is the log position that last changed it, so a reader refreshes only those;
- ``_spells``: from opening or reopening to closing (open: no end);
- ``_places``: organisation, jurisdiction and local authority from a day on;
- ``_facts``: a step's facts (``projections.evaluation.metrics``), a verdict's
  with the prosecution and defendant references it names;
- ``_version``: which definitions the rows were written under (``VERSION``).

A view written under older definitions than this code's is emptied when it is
opened, together with its position, so its worker replays the log into it (as
``waymark rebuild evaluation`` would): its figures would otherwise mix two
readings of the same steps. For the same reason a page is written only while
the view's stamp names this code's definitions (checked in the page's own
transaction): a worker still running older code beside newer processes (a
rolling upgrade) writes nothing more once they have stamped the view, and raises
``DefinitionsChanged``; and a process of older code opening a view stamped with
newer definitions leaves it as it is.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import Tracking

from projections.evaluation.changes import (
    Anonymised,
    Born,
    Consented,
    ConsentEnded,
    FactNoted,
    Opened,
    Placed,
    SpellBegun,
    SpellEnded,
    StepCleared,
)
from projections.evaluation.metrics import Fact
from projections.tracking import BatchView
from projections.tracking.batch import ViewOfNewerCode
from projections.tracking.rounds import in_rounds

logger = logging.getLogger(__name__)

TABLES = ("cases", "spells", "places", "facts", "version")
#: The definitions the view's rows follow; raised whenever a change to them
#: (or to the rows' shape) means the rows must be written again from the log.
#: 1: as first published; 2: re-engagement, verdicts' references, trials held,
#: asylum decisions and awards with an amount, days advocacy began.
VERSION = 2
#: The indexes the view names itself (the rest are its tables' keys).
INDEXES = ("{prefix}_cases_changed", "{prefix}_facts_by_case")

CREATE_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS {cases} (
        case_id TEXT PRIMARY KEY,
        consented INTEGER NOT NULL,
        opened_on INTEGER,
        six_months_on INTEGER,
        born_earliest INTEGER,
        born_latest INTEGER,
        engaged_on INTEGER,
        changed BIGINT NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX IF NOT EXISTS {prefix}_cases_changed ON {cases} (changed)",
    """
    CREATE TABLE IF NOT EXISTS {spells} (
        case_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        starts_on INTEGER NOT NULL,
        ends_on INTEGER,
        PRIMARY KEY (case_id, sequence)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {places} (
        case_id TEXT NOT NULL,
        source TEXT NOT NULL,
        starts_on INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        organisation_id TEXT,
        jurisdiction TEXT,
        local_authority TEXT,
        PRIMARY KEY (case_id, source)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {facts} (
        step_id TEXT NOT NULL,
        fact TEXT NOT NULL,
        case_id TEXT NOT NULL,
        on_day INTEGER,
        amount BIGINT,
        flag INTEGER NOT NULL,
        prosecution TEXT,
        defendant TEXT,
        PRIMARY KEY (step_id, fact)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {version} (
        id INTEGER PRIMARY KEY,
        definitions INTEGER NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS {prefix}_facts_by_case "
    "ON {facts} (case_id, fact, on_day)",
)

_CONSENTING = "EXISTS (SELECT 1 FROM {cases} c WHERE c.case_id = ? AND c.consented = 1)"
_FORGET_CASE = (
    "DELETE FROM {facts} WHERE case_id = ?",
    "DELETE FROM {spells} WHERE case_id = ?",
    "DELETE FROM {places} WHERE case_id = ?",
)
_CLEARED = (
    "opened_on = NULL, six_months_on = NULL, born_earliest = NULL, "
    "born_latest = NULL, engaged_on = NULL"
)

Params = Callable[[Any], Sequence[Any]]


def _case(change: Any) -> tuple[str]:
    return (str(change.case_id),)


def _renamed(change: Any) -> tuple[str, str]:
    return (str(change.new_case_id), str(change.case_id))


_CASE_COLUMNS = (
    "consented, opened_on, six_months_on, born_earliest, born_latest, engaged_on"
)


#: For each kind of change, its statements and their parameters, in order.
STATEMENTS: dict[type[Any], tuple[tuple[str, Params], ...]] = {
    Anonymised: (
        # A new row rather than a renamed one, so a reader refreshing changed
        # cases sees the old one gone (``snapshot.refreshed``).
        (
            f"INSERT INTO {{cases}} (case_id, {_CASE_COLUMNS}) "
            f"SELECT ?, {_CASE_COLUMNS} FROM {{cases}} WHERE case_id = ?",
            _renamed,
        ),
        ("UPDATE {spells} SET case_id = ? WHERE case_id = ?", _renamed),
        ("UPDATE {places} SET case_id = ? WHERE case_id = ?", _renamed),
        (
            "UPDATE {facts} SET case_id = ?, step_id = {random_id} WHERE case_id = ?",
            _renamed,
        ),
        ("DELETE FROM {cases} WHERE case_id = ?", _case),
    ),
    Consented: (
        *((statement, _case) for statement in _FORGET_CASE),
        (
            "INSERT INTO {cases} (case_id, consented) VALUES (?, 1) "
            f"ON CONFLICT (case_id) DO UPDATE SET consented = 1, {_CLEARED}",
            _case,
        ),
    ),
    ConsentEnded: (
        *((statement, _case) for statement in _FORGET_CASE),
        (f"UPDATE {{cases}} SET consented = 0, {_CLEARED} WHERE case_id = ?", _case),
    ),
    Opened: (
        (
            "UPDATE {cases} SET opened_on = ?, six_months_on = ? "
            "WHERE case_id = ? AND consented = 1",
            lambda c: (c.opened_on, c.six_months_on, str(c.case_id)),
        ),
    ),
    Born: (
        (
            "UPDATE {cases} SET born_earliest = ?, born_latest = ? "
            "WHERE case_id = ? AND consented = 1",
            lambda c: (c.earliest, c.latest, str(c.case_id)),
        ),
    ),
    SpellBegun: (
        (
            "INSERT INTO {spells} (case_id, sequence, starts_on) "
            f"SELECT ?, ?, ? WHERE {_CONSENTING} "
            "ON CONFLICT (case_id, sequence) DO NOTHING",
            lambda c: (str(c.case_id), c.sequence, c.on, str(c.case_id)),
        ),
    ),
    SpellEnded: (
        (
            "UPDATE {spells} SET ends_on = ? WHERE case_id = ? AND ends_on IS NULL",
            lambda c: (c.on, str(c.case_id)),
        ),
    ),
    Placed: (
        (
            "INSERT INTO {places} (case_id, source, starts_on, sequence, "
            "organisation_id, jurisdiction, local_authority) "
            f"SELECT ?, ?, ?, ?, ?, ?, ? WHERE {_CONSENTING} "
            "ON CONFLICT (case_id, source) DO UPDATE SET "
            "starts_on = excluded.starts_on, sequence = excluded.sequence, "
            "organisation_id = excluded.organisation_id, "
            "jurisdiction = excluded.jurisdiction, "
            "local_authority = excluded.local_authority",
            lambda c: (
                str(c.case_id),
                c.source,
                c.on,
                c.sequence,
                c.organisation_id,
                c.jurisdiction,
                c.local_authority,
                str(c.case_id),
            ),
        ),
    ),
    StepCleared: (
        ("DELETE FROM {facts} WHERE step_id = ?", lambda c: (str(c.step_id),)),
        (
            "DELETE FROM {places} WHERE case_id = ? AND source = ?",
            lambda c: (str(c.case_id), str(c.step_id)),
        ),
    ),
    FactNoted: (
        (
            "INSERT INTO {facts} (step_id, fact, case_id, on_day, amount, flag, "
            "prosecution, defendant) "
            f"SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE {_CONSENTING} "
            "ON CONFLICT (step_id, fact) DO UPDATE SET on_day = excluded.on_day, "
            "amount = excluded.amount, flag = excluded.flag, "
            "prosecution = excluded.prosecution, defendant = excluded.defendant",
            lambda c: (
                str(c.step_id),
                c.fact.value,
                str(c.case_id),
                c.on,
                c.amount,
                int(c.flag),
                c.prosecution,
                c.defendant,
                str(c.case_id),
            ),
        ),
    ),
}

#: A touched case's first engaged day and its position, from its facts: its
#: first contact from the six-month anniversary on when the survivor was not
#: disengaged (no disengagement before the contact, unless a re-engagement on
#: or after it and on or before the contact ended it).
RECOMPUTE = (
    "UPDATE {cases} SET changed = ?, engaged_on = CASE "
    "WHEN six_months_on IS NULL THEN NULL "
    "ELSE (SELECT MIN(k.on_day) FROM {facts} k WHERE k.case_id = {cases}.case_id "
    f"AND k.fact = '{Fact.CONTACT.value}' AND k.on_day >= {{cases}}.six_months_on "
    "AND NOT EXISTS (SELECT 1 FROM {facts} d WHERE d.case_id = k.case_id "
    f"AND d.fact = '{Fact.DISENGAGED.value}' AND d.on_day < k.on_day "
    "AND NOT EXISTS (SELECT 1 FROM {facts} r WHERE r.case_id = k.case_id "
    f"AND r.fact = '{Fact.RE_ENGAGED.value}' "
    "AND r.on_day >= d.on_day AND r.on_day <= k.on_day))) "
    "END WHERE case_id = ?"
)


class EvaluationView(BatchView, ABC):
    """The view's writes and reads, whatever the store."""

    #: The view's name: its tables' prefix.
    prefix: str
    #: SQL for a fresh random id, evaluated for each row.
    random_id: str

    @abstractmethod
    def table(self, name: str) -> str:
        """The qualified name of one of ``TABLES``."""

    @abstractmethod
    def statement(self, text: str) -> Any:
        """SQL written with ``?`` placeholders and ``{table}`` names, made ready
        for this store's driver."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Any]:
        """A transaction's cursor, committed on leaving."""

    def batched(self, cursor: Any) -> AbstractContextManager[Any]:
        """Where a driver can, the page's statements sent without waiting for
        each other's results."""
        return nullcontext()

    @abstractmethod
    def reading(self) -> AbstractContextManager[Reading]:
        """Reads of one consistent snapshot of the view."""

    @abstractmethod
    def _insert_tracking_after(
        self, cursor: Any, tracking: Tracking, after: int | None
    ) -> None: ...

    def sql(self, text: str) -> str:
        return text.format(
            prefix=self.prefix,
            random_id=self.random_id,
            **{name: self.table(name) for name in TABLES},
        )

    def create_statements(self) -> list[str]:
        return [self.sql(statement) for statement in CREATE_TABLES]

    @property
    def definitions(self) -> int:
        """The definitions this view's code writes under: ``VERSION`` as it was
        when the view was opened."""
        found: int | None = self.__dict__.get("_definitions")
        if found is None:
            found = self.__dict__["_definitions"] = VERSION
        return found

    def apply(
        self, changes: Sequence[Any], tracking: Tracking, *, after: int | None = None
    ) -> None:
        with self.writing() as cursor:
            # The stamp first: settle_version takes {version} before the
            # tracking rows, so taking them in the other order could deadlock.
            self._check_definitions(cursor)
            self._insert_tracking_after(cursor, tracking, after)
            with self.batched(cursor):
                # A consent's history follows it; each case's changes stay in
                # order, and different cases' rows never meet.
                for kind, group in in_rounds(changes):
                    for text, params in STATEMENTS[kind]:
                        cursor.executemany(
                            self.statement(text), [params(change) for change in group]
                        )
                touched = dict.fromkeys(
                    str(getattr(change, "new_case_id", change.case_id))
                    for change in changes
                )
                if touched:
                    cursor.executemany(
                        self.statement(RECOMPUTE),
                        [(tracking.notification_id, case_id) for case_id in touched],
                    )

    def forget(self, application_name: str) -> None:
        with self.writing() as cursor:
            self._refuse_older(cursor, self.definitions)
            self._forget_rows(cursor)
            self._forget_tracking(cursor, application_name)

    def _forget_rows(self, cursor: Any) -> None:
        """Every row gone, the view stamped as written under this code's
        definitions."""
        for name in TABLES:
            cursor.execute(self.statement(f"DELETE FROM {{{name}}}"))
        cursor.execute(
            self.statement("INSERT INTO {version} (id, definitions) VALUES (1, ?)"),
            (self.definitions,),
        )

    def _stamp(self, cursor: Any) -> int | None:
        """The definitions the view's rows were written under (None: unstamped)."""
        cursor.execute(self.statement("SELECT definitions FROM {version}"))
        stamped = cursor.fetchall()
        return int(_first(stamped[0])) if stamped else None

    def _refuse_older(self, cursor: Any, definitions: int) -> None:
        """An older release's rebuild must not stamp the view back: the newer
        workers would then write nothing more to it."""
        stamp = self._stamp(cursor)
        if stamp is not None and stamp > definitions:
            raise DefinitionsChanged(stamp, definitions)

    def refuse_older(self, definitions: int) -> None:
        """``_refuse_older`` in a transaction of its own (before a switch)."""
        with self.writing() as cursor:
            self._refuse_older(cursor, definitions)

    def _check_definitions(self, cursor: Any) -> None:
        stamp = self._stamp(cursor)
        if stamp != self.definitions:
            raise DefinitionsChanged(stamp, self.definitions)

    def lock_ddl(self, cursor: Any) -> None:
        """Where the store needs it, keeps other processes' DDL on the view
        waiting until this transaction ends."""

    def settle_version(self) -> None:
        """Drops a view written under older definitions (or before they were
        stamped), and its position, and creates it afresh, so its worker writes
        it again from the log. A view never written is only stamped; one stamped
        with newer definitions than this code's is left as it is."""
        with self.writing() as cursor:
            self.lock_ddl(cursor)  # of several processes opening it, one at a time
            stamp = self._stamp(cursor)
            if stamp is not None and stamp >= self.definitions:
                if stamp > self.definitions:
                    logger.warning(
                        "the evaluation view is written under definitions %d, "
                        "newer than this code's (%d): left as it is; this "
                        "process will not write to it",
                        stamp,
                        self.definitions,
                    )
                return
            if stamp is None and not self._tracked(cursor):
                self._forget_rows(cursor)  # new: nothing to write again
                return
            for name in TABLES:
                cursor.execute(self.statement(f"DROP TABLE IF EXISTS {{{name}}}"))
            for text in CREATE_TABLES:
                cursor.execute(self.statement(text))
            self._forget_rows(cursor)
            self._forget_all_tracking(cursor)

    @abstractmethod
    def _tracked(self, cursor: Any) -> bool:
        """Whether the view holds any position (beyond the library's record of
        its table's layout)."""

    @abstractmethod
    def _forget_all_tracking(self, cursor: Any) -> None: ...

    @abstractmethod
    def _forget_tracking(self, cursor: Any, application_name: str) -> None: ...

    @abstractmethod
    def tracking_position_statement(self) -> Any:
        """Selects the view's position for an application (one ``?``)."""

    @abstractmethod
    def switch_to(self, fresh: EvaluationView) -> None:
        """Makes ``fresh``'s rows and position this view's, in one transaction."""

    # Reading

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0


class DefinitionsChanged(ViewOfNewerCode):
    """The view is stamped with other definitions than this code's, so this
    code writes nothing to it: a worker of older code stops rather than mix two
    readings of the steps (the newer code writes the view again)."""

    def __init__(self, stamp: int | None, definitions: int) -> None:
        super().__init__(
            f"the evaluation view is stamped with definitions {stamp}, not this "
            f"code's ({definitions}): this worker writes nothing more to it; run "
            "the code the view was stamped by"
        )
        self.stamp = stamp
        self.definitions = definitions


def _first(row: Any) -> Any:
    """A row's first column, whichever the driver's row type."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


#: Rows streamed a chunk at a time, so loading millions holds few at once.
CHUNK_ROWS = 50_000


class Reading(ABC):
    """One transaction's reads, as tuples."""

    @abstractmethod
    def rows(self, statement: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All the rows a (small) query selects."""

    @abstractmethod
    def chunks(
        self, statement: Any, params: Sequence[Any] = ()
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows a (large) query selects, ``CHUNK_ROWS`` at a time."""

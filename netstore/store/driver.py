"""Hot statements run on the DBAPI cursor, compiled once per dialect.

The append and replay paths run the same few statements thousands of times.
:class:`Prepared` compiles a Core statement once per dialect (the SQL text and
bind processing SQLAlchemy itself would use) and executes it on the DBAPI
cursor of the Core connection's current transaction -- without SQLAlchemy's
per-execution context, result metadata or row objects, which cost more than
SQLite's own work for a one-row statement.  Result values are the driver's
own (no type processing: booleans come back 0/1 and times as text on
SQLite), and errors are the driver's (:func:`netstore.store.txn.translated`
turns them into the StoreError family).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Optional, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

FETCH_SIZE = 1000


class _Compiled:
    """One statement's SQL for one dialect, and how to turn named parameters into the driver's."""

    __slots__ = ("sql", "positional", "_names", "_values", "_processors")

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql: str = compiled.string
        self.positional: bool = bool(compiled.positional)
        self._names = tuple(compiled.positiontup or ()) if self.positional else tuple(compiled.binds)
        self._values = _getter(self._names)  # params -> the values of the names, in order
        processors = (bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for bind in (compiled.binds[name] for name in self._names))
        self._processors = tuple((position, process) for position, process in enumerate(processors)
                                 if process is not None)

    def arguments(self, params: Mapping[str, Any]) -> Any:
        """The driver's parameters (a tuple, or a dict for named paramstyles), bind-processed."""
        values = self._values(params)
        if self._processors:
            values = list(values)
            for position, process in self._processors:
                values[position] = process(values[position])
        return tuple(values) if self.positional else dict(zip(self._names, values, strict=True))


def _getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Sequence[Any]]:
    if len(names) == 1:
        name = names[0]
        return lambda params: (params[name],)
    if not names:
        return lambda params: ()
    return operator.itemgetter(*names)


class Prepared:
    """A Core statement with named bind parameters, compiled once per dialect."""

    __slots__ = ("statement", "_compiled")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[type, str], _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        key = (type(dialect), dialect.paramstyle)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.statement, dialect)
        return compiled

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> DBAPICursor:
        """Run the statement with ``params`` (by bind name; extra names are ignored); return the cursor."""
        compiled = self._for(conn.dialect)
        cursor = _dbapi_connection(conn).cursor()
        cursor.execute(compiled.sql, compiled.arguments(params))
        return cursor

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Optional[Sequence[Any]]:
        """The first row the statement returns with ``params`` (None: no row)."""
        cursor = self.execute(conn, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> DBAPICursor:
        compiled = self._for(conn.dialect)
        cursor = _dbapi_connection(conn).cursor()
        cursor.executemany(compiled.sql, [compiled.arguments(params) for params in rows])
        return cursor


def execute_sql(conn: Connection, sql: str) -> None:
    """Run a statement without parameters or results (``BEGIN IMMEDIATE``, a lock) on the DBAPI cursor."""
    _dbapi_connection(conn).cursor().execute(sql).close()


def _dbapi_connection(conn: Connection) -> Any:
    """The driver's connection under ``conn`` (in ``conn``'s transaction)."""
    return conn.connection.dbapi_connection


def batches(cursor: DBAPICursor, size: int = FETCH_SIZE) -> Iterator[Sequence[Any]]:
    """The rows of a :meth:`Prepared.execute` cursor as lists of the driver's own row tuples."""
    try:
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        cursor.close()

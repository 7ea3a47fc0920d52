"""Hot statements run through the DBAPI cursor, compiled once per dialect.

The append and replay paths run the same few statements thousands of times.
:class:`Prepared` compiles a Core statement once per dialect and executes it
with ``Connection.exec_driver_sql`` -- SQLAlchemy's connection, transaction
and error handling and the SQL text and bind processing SQLAlchemy itself
would use, without compiling the statement again or building result rows.
Result values are the driver's own (no type processing: booleans come back
0/1 on SQLite), and SQLAlchemy builds a result's metadata from the cursor on
every execution: use it for writes and for long streams of text and integer
columns; a short SELECT is cheaper on SQLAlchemy's cached path.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy.engine import Connection, CursorResult, Dialect
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
        return tuple(values) if self.positional else dict(zip(self._names, values))


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

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> CursorResult:
        """Run the statement with ``params`` (by bind name; extra names are ignored)."""
        compiled = self._for(conn.dialect)
        return conn.exec_driver_sql(compiled.sql, compiled.arguments(params))

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> CursorResult:
        compiled = self._for(conn.dialect)
        return conn.exec_driver_sql(compiled.sql, [compiled.arguments(params) for params in rows])


def batches(result: CursorResult, size: int = FETCH_SIZE) -> Iterator[Sequence[Any]]:
    """The rows of ``result`` as lists of the driver's own row tuples."""
    cursor = result.cursor
    try:
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        result.close()

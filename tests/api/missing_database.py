"""A URL naming a database that does not exist, on the backend of a given test database.

SQLite creates a missing file but not a missing directory, so its missing database
is a file in a directory that does not exist; PostgreSQL's is a database name the
server does not have.  Opening either must fail and create nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa


@dataclass(frozen=True)
class MissingDatabase:
    """``url`` names no database; ``reason`` is how the backend says so; ``beside`` is the test's database."""

    url: str
    reason: str
    beside: str

    def is_the_message(self, message: str) -> bool:
        """Whether ``message`` is netstore's for this failure: what failed, then the backend's reason.

        SQLite's reason follows netstore's words directly; on PostgreSQL, libpq's account of the
        connection attempt (``connection failed: connection to server on socket "..." failed:
        FATAL:``) comes between them.
        """
        prefix = f"cannot open database {self.url}: database unavailable: "
        if sa.make_url(self.url).get_backend_name() == "sqlite":
            return message == prefix + self.reason
        return message.startswith(prefix + "connection failed: ") and message.endswith(f"FATAL:  {self.reason}")

    def exists(self) -> bool:
        """Whether something now exists where ``url`` points."""
        url = sa.make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return Path(str(url.database)).parent.exists()
        engine = sa.create_engine(self.beside)
        try:
            with engine.connect() as conn:
                found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                     {"name": url.database}).first()
        finally:
            engine.dispose()
        return found is not None


def missing_database(db_url: str) -> MissingDatabase:
    """A database that does not exist, on the same backend (and server) as ``db_url``."""
    url = sa.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        missing = url.set(database=str(path.parent / "missing" / path.name))
        reason = "unable to open database file"
    else:
        missing = url.set(database=f"{url.database}_missing")
        reason = f"database \"{missing.database}\" does not exist"
    shown = missing.render_as_string(hide_password=False)
    return MissingDatabase(shown, reason, db_url)

"""A PostgreSQL server for the store tests.

``$NETSTORE_TEST_PG_URL`` (an admin URL such as
``postgresql+psycopg://postgres@/postgres?host=/run/postgresql``) names an
existing server; otherwise, when PostgreSQL's ``initdb``/``pg_ctl`` and the
``psycopg`` driver are installed, a throwaway cluster is started on a Unix
socket in a temporary directory (as the ``postgres`` user when run as root)
and removed afterwards.  Each test gets a database of its own.  Without
either, PostgreSQL tests skip (fail under ``NETSTORE_REQUIRE_ALL=1``).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from typing import Optional

from tests.helpers import require

URL_ENV = "NETSTORE_TEST_PG_URL"


class PostgresServer:
    def __init__(self, admin_url: Optional[str], unavailable: str = "", data_dir: Optional[str] = None,
                 pg_ctl: Optional[str] = None, options: str = "") -> None:
        self.admin_url, self.unavailable = admin_url, unavailable
        self._data_dir, self._pg_ctl, self._options = data_dir, pg_ctl, options  # options: the server's command line

    @classmethod
    def from_environment(cls, *, durable: bool = False, prefix: str = "netstore-pg-") -> PostgresServer:
        """The server ``$NETSTORE_TEST_PG_URL`` names, else a throwaway cluster in a ``prefix`` folder.

        ``durable``: the cluster fsyncs its commits (benchmarks); tests run with ``fsync=off``.
        """
        try:
            import psycopg  # noqa: F401 - imported only to learn whether it is installed
        except ImportError:
            return cls(None, "the psycopg driver is not installed (pip install 'psycopg[binary]')")
        if os.environ.get(URL_ENV):
            return cls(os.environ[URL_ENV])
        binaries = _binaries()
        if binaries is None:
            return cls(None, f"no PostgreSQL server: set {URL_ENV} or install postgresql (initdb, pg_ctl)")
        return _start_cluster(*binaries, fsync="on" if durable else "off", prefix=prefix)

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        admin_url = self.admin_url
        require(admin_url is not None, self.unavailable)
        assert admin_url is not None
        import sqlalchemy as sa

        name = f"netstore_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drops a database :meth:`new_database` made, cutting any connection a test left open."""
        assert self.admin_url is not None
        import sqlalchemy as sa

        name = sa.make_url(url).database
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        engine.dispose()

    def restart(self) -> None:
        """``pg_ctl restart -m immediate`` on the throwaway cluster (every connection is cut)."""
        self._pg_ctl_run("-m", "immediate", "restart")

    def pause(self) -> None:
        """``pg_ctl stop -m immediate``: the server is gone (every connection cut) until :meth:`resume`."""
        self._pg_ctl_run("-m", "immediate", "stop")

    def resume(self) -> None:
        """Start the server :meth:`pause` stopped, on the same socket and data."""
        self._pg_ctl_run("start", "-o", self._options)

    def _pg_ctl_run(self, *args: str) -> None:
        require(self._data_dir is not None, "stopping the server needs the throwaway cluster (not $NETSTORE_TEST_PG_URL)")
        assert self._pg_ctl is not None and self._data_dir is not None
        log = os.path.join(self._data_dir, "server.log")  # the server must not inherit a pipe of ours
        subprocess.run([self._pg_ctl, "-D", self._data_dir, "-w", "-l", log, *args],
                       user=_run_as(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=60)

    def stop(self) -> None:
        if self._data_dir is None or self._pg_ctl is None:
            return
        subprocess.run([self._pg_ctl, "-D", self._data_dir, "-m", "immediate", "stop"],
                       user=_run_as(), capture_output=True, check=False)
        shutil.rmtree(self._data_dir, ignore_errors=True)
        self._data_dir = None


def _binaries() -> Optional[tuple[str, str]]:
    for folder in [None, *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        initdb, pg_ctl = shutil.which("initdb", path=folder), shutil.which("pg_ctl", path=folder)
        if initdb and pg_ctl:
            return initdb, pg_ctl
    return None


def _run_as() -> Optional[str]:
    return "postgres" if os.geteuid() == 0 else None


def _start_cluster(initdb: str, pg_ctl: str, *, fsync: str, prefix: str) -> PostgresServer:
    data_dir = tempfile.mkdtemp(prefix=prefix)
    user = _run_as()
    if user is not None:
        shutil.chown(data_dir, user)
    port = _free_port()
    options = f"-k {data_dir} -p {port} -c listen_addresses='' -c fsync={fsync}"
    steps = [
        [initdb, "-D", data_dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        [pg_ctl, "-D", data_dir, "-w", "-l", os.path.join(data_dir, "server.log"), "start", "-o", options],
    ]
    for step in steps:
        done = subprocess.run(step, user=user, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(data_dir, ignore_errors=True)
            return PostgresServer(None, f"could not start PostgreSQL ({step[0]}): {done.stderr.strip()[-300:]}")
    url = f"postgresql+psycopg://postgres@/postgres?host={data_dir}&port={port}"
    return PostgresServer(url, data_dir=data_dir, pg_ctl=pg_ctl, options=options)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

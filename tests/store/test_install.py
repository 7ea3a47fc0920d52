"""A plain, non-editable ``pip install`` ships the migrations and can create a database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
from pathlib import Path

import sqlalchemy

from netstore.store import migrate
from tests.helpers import REPO_ROOT

SHIPPED = ("pyproject.toml", "README.md", "alembic.ini", "netstore", "migrations")

CHECK = textwrap.dedent("""
    import sys
    import netstore
    from netstore.store import EventStore, current, migrate
    assert netstore.__file__.startswith(sys.prefix), netstore.__file__
    assert str(migrate.script_location()).startswith(sys.prefix), migrate.script_location()
    url = sys.argv[1]
    with EventStore(url) as store:
        assert store.head_position() == 0 and store.verify().ok
    print(current(url))
""")


def _run(*args: str | Path, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, **kw)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.relative_to(REPO_ROOT).parts) for p in (REPO_ROOT / "netstore").rglob("*")
             if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py"))}
    found |= {"netstore", "netstore._migrations", "netstore._migrations.versions"}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


def test_non_editable_install_creates_a_database(tmp_path, new_db_url):
    source = tmp_path / "src"
    source.mkdir()
    for name in SHIPPED:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy(path, source / name)
    if not (source / "README.md").exists():
        (source / "README.md").write_text("netstore\n")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", source)
    # the dependencies come from the running interpreter's environment, after the venv's own
    venv_site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    dependencies = Path(sqlalchemy.__file__).resolve().parents[1]
    (venv_site / "zz_dependencies.pth").write_text(f"{dependencies}\n{sysconfig.get_paths()['platlib']}\n")
    done = _run(python, "-c", CHECK, new_db_url(), cwd=tmp_path,
                env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.stdout.strip() == migrate.HEAD_REVISION
    cli = _run(venv / "bin" / "netstore", "--db", new_db_url(), "db", "upgrade", cwd=tmp_path)
    assert migrate.HEAD_REVISION in cli.stdout

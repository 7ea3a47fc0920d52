"""Every test that opens a database runs on both backends.

CI runs the suite twice: on SQLite, then with ``NETSTORE_TEST_DB=postgresql``, where the
``db_url``/``new_db_url`` fixtures give PostgreSQL databases (tests/conftest.py).  A test that
writes its own ``sqlite:///`` URL, or asks for the SQLite-only ``sqlite_url`` fixture, would
silently stay on SQLite; this check finds it, unless the test is marked ``sqlite_only`` (a test
of SQLite itself) or sits in a file that parametrises over both backends already.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

BOTH_BACKENDS = {  # files whose SQLite URLs are one side of a sqlite/postgresql parametrisation
    "conftest.py": "the new_db_url fixture itself",
    "store/conftest.py": "the url fixture runs every store test on both backends",
    "test_backends.py": "this check",
}


def _marked_sqlite_only(decorators: list[ast.expr]) -> bool:
    return any("sqlite_only" in ast.unparse(decorator) for decorator in decorators)


def _module_marked(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            return "sqlite_only" in ast.unparse(node.value)
    return False


def _sqlite_uses(node: ast.AST) -> Iterator[int]:
    """Lines of ``node`` that name a SQLite URL or ask for the ``sqlite_url`` fixture."""
    for inner in ast.walk(node):
        names_url = isinstance(inner, ast.Constant) and isinstance(inner.value, str) and "sqlite:/" in inner.value
        asks_fixture = isinstance(inner, ast.arg) and inner.arg == "sqlite_url"
        if names_url or asks_fixture:
            yield inner.lineno


def unmarked_sqlite_uses(path: Path, source: str) -> list[str]:
    """``file:line`` of every SQLite URL in ``source`` outside a test marked ``sqlite_only``."""
    tree = ast.parse(source)
    if _module_marked(tree):
        return []
    found = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and _marked_sqlite_only(decorators):
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "sqlite_url":
            continue  # the fixture's definition; its users are checked
        found.extend(f"{path}:{line}" for line in _sqlite_uses(node))
    return found


def test_no_test_pins_itself_to_sqlite_unmarked() -> None:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative not in BOTH_BACKENDS:
            found.extend(unmarked_sqlite_uses(path.relative_to(TESTS), path.read_text()))
    assert not found, "these tests would run on SQLite only; use db_url/new_db_url or mark them sqlite_only:\n" \
        + "\n".join(found)


@pytest.mark.parametrize(("source", "expected"), [
    ('def test_a():\n    open_store("sqlite:///x.db")\n', ["t.py:2"]),
    ('def test_a(sqlite_url):\n    pass\n', ["t.py:1"]),
    ('def helper():\n    return f"sqlite:///{folder}/x.db"\n', ["t.py:2"]),
    ('@pytest.mark.sqlite_only("a SQLite file")\ndef test_a():\n    open_store("sqlite:///x.db")\n', []),
    ('pytestmark = pytest.mark.sqlite_only("WAL")\ndef test_a(sqlite_url):\n    pass\n', []),
    ('def test_a(db_url):\n    open_store(db_url)\n', []),
])
def test_the_check_finds_unmarked_sqlite_urls(source: str, expected: list[str]) -> None:
    assert unmarked_sqlite_uses(Path("t.py"), source) == expected

"""Reading the cases a libvirt test program runs, from its C source.

libvirt's ``networkxml2*test.c`` programs list their cases in ``mymain`` as calls
of local macros (``DO_TEST("name")``, ``DO_TEST_INDEX_FAIL(...)``) that end in a
``struct testInfo`` initialiser.  :func:`program_cases` expands those macros the way
the C preprocessor does (parameter substitution, nested macros) and maps the
initialiser onto the struct's declared fields, so a case gets the values the
program really runs with, including those of a positional initialiser that lists
fields in another order than the struct declares them.  Plain ``variable = value;``
statements of ``mymain`` (``section = VIR_NETWORK_SECTION_DNS_HOST;``) are tracked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_]\w*|-?\d+|\s+|.', re.S)
DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)(.*)$", re.M)
STRUCT = re.compile(r"struct testInfo\s*\{(.*?)\}|typedef struct\s*\{(.*?)\}\s*testInfo\s*;", re.S)


@dataclass(frozen=True)
class Symbol:
    """A C identifier the program does not assign in ``mymain`` (an enum or macro constant)."""

    name: str


Value = str | int | bool | Symbol


@dataclass(frozen=True)
class ProgramCase:
    """One case: ``fields`` of its testInfo, ``arguments`` of the macro that builds it."""

    fields: dict[str, Value]
    arguments: dict[str, Value]


@dataclass(frozen=True)
class _Macro:
    params: tuple[str, ...]
    body: str


def _preprocess(source: str) -> str:
    """Comments removed, continuation lines joined."""
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$", "", source)
    return source.replace("\\\n", " ")


def _split_arguments(text: str) -> list[str]:
    """Top-level comma-separated parts of ``text`` (parentheses and braces nest)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for token in TOKEN.findall(text):
        if token in "({[":
            depth += 1
        elif token in ")}]":
            depth -= 1
        if token == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(token)
    parts.append("".join(current).strip())
    return parts if parts != [""] else []


def _call_arguments(text: str, open_paren: int) -> tuple[list[str], int]:
    """The arguments of the call whose ``(`` is at ``open_paren``, and the index after ``)``."""
    depth = 0
    position = open_paren
    for token in TOKEN.findall(text[open_paren:]):
        position += len(token)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                return _split_arguments(text[open_paren + 1:position - 1]), position
    raise ValueError(f"unbalanced parentheses after {text[open_paren - 20:open_paren + 20]!r}")


def _substitute(body: str, bindings: dict[str, str]) -> str:
    """``body`` with each parameter token replaced by its argument text (not inside strings)."""
    return "".join(bindings.get(token, token) for token in TOKEN.findall(body))


def struct_fields(source: str) -> tuple[str, ...]:
    """The field names of the program's ``testInfo``, in declaration order."""
    match = STRUCT.search(_preprocess(source))
    if match is None:
        raise ValueError("no struct testInfo in the test program")
    declarations = (match.group(1) or match.group(2)).split(";")
    return tuple(re.findall(r"(\w+)\s*$", decl.strip())[0] for decl in declarations if decl.strip())


def _evaluate(expression: str, variables: dict[str, Value]) -> Value:
    expression = expression.strip()
    strings = re.findall(r'"((?:\\.|[^"\\])*)"', expression)
    if strings and re.fullmatch(r'(\s*"(?:\\.|[^"\\])*"\s*)+', expression):
        return "".join(strings)
    if re.fullmatch(r"-?\d+", expression):
        return int(expression)
    if expression in ("true", "false"):
        return expression == "true"
    if re.fullmatch(r"[A-Za-z_]\w*", expression):
        return variables.get(expression, Symbol(expression))
    raise ValueError(f"cannot read the C expression {expression!r}")


class _Program:
    """The macros and statements of one ``mymain``."""

    def __init__(self, source: str) -> None:
        text = _preprocess(source)
        start = text.index("mymain(void)")
        self.fields = struct_fields(source)
        self.macros = {name: _Macro(tuple(p.strip() for p in params.split(",") if p.strip()), body)
                       for name, params, body in DEFINE.findall(text[start:])}
        self.body = DEFINE.sub("", text[start:])

    def calls(self) -> list[ProgramCase]:
        statements = re.compile(r"^[ \t]*(?:(\w+)[ \t]*=[ \t]*([^;=]+);|(" +
                                "|".join(map(re.escape, self.macros)) + r")\s*\()", re.M)
        variables: dict[str, Value] = {}
        cases = []
        for match in statements.finditer(self.body):
            if match.group(1):
                variables[match.group(1)] = _evaluate(match.group(2), variables)
                continue
            arguments, _ = _call_arguments(self.body, match.end() - 1)
            cases.append(self._expand(match.group(3), arguments, variables))
        return cases

    def _expand(self, name: str, arguments: list[str], variables: dict[str, Value]) -> ProgramCase:
        macro = self.macros[name]
        if len(arguments) != len(macro.params):
            raise ValueError(f"{name} takes {len(macro.params)} arguments, got {len(arguments)}")
        bindings = dict(zip(macro.params, arguments, strict=True))
        body = _substitute(macro.body, bindings)
        for inner in re.finditer(r"\b(\w+)\s*\(", body):
            if inner.group(1) in self.macros:
                return self._expand(inner.group(1), _call_arguments(body, inner.end() - 1)[0], variables)
        values = {param: _evaluate(text, variables) for param, text in bindings.items()}
        return ProgramCase(self._info_fields(body, variables), values)

    def _info_fields(self, body: str, variables: dict[str, Value]) -> dict[str, Value]:
        initialiser = re.search(r"\binfo\s*=\s*\{(.*?)\}", body, re.S)
        if initialiser:
            items = _split_arguments(initialiser.group(1))
            return {field: _evaluate(item, variables) for field, item in zip(self.fields, items, strict=True)}
        return {field: _evaluate(value, variables)
                for field, value in re.findall(r"\binfo\.(\w+)\s*=\s*([^;]+);", body)}


def program_cases(source: str) -> list[ProgramCase]:
    """The cases ``mymain`` of a libvirt test program runs, in order."""
    return _Program(source).calls()

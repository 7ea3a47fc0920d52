"""The ``netstore`` command line: virsh's network commands plus the store's own tools.

Thin by design: each command parses its arguments, calls the library
(:mod:`netstore.api`) and prints.  The entry point is :func:`netstore.cli.main.main`.
"""

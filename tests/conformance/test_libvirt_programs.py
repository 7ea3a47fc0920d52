"""Reading the cases of a libvirt test program: macro expansion onto the testInfo fields."""

from __future__ import annotations

import pytest

from tests.conformance.libvirt_programs import Symbol, program_cases, struct_fields

POSITIONAL = r"""
struct testInfo {
    const char *name;
    int parentIndex;
    unsigned int flags;
};

static int
mymain(void)
{
    int ret = 0;
    unsigned int section;

#define DO_TEST_FULL(name, parentIndex, flags) \
    do { \
        const struct testInfo info = {name, flags, parentIndex}; \
        if (virTestRun("Case " name, helper, &info) < 0) \
            ret = -1; \
    } while (0)
#define DO_TEST(name, index) \
    DO_TEST_FULL(name, section, index)

    section = 7;
    DO_TEST("first", -3);  /* a comment */
    section = VIR_SOME_CONSTANT;
    DO_TEST("second",
            0);
    DO_TEST_FULL("third", 1, true);
    return ret;
}

VIR_TEST_MAIN(mymain)
"""

DESIGNATED = r"""
typedef struct {
    const char *name;
    dnsmasqCaps *caps;
} testInfo;

static int
mymain(void)
{
#define DO_TEST(xname, xcaps) \
    do { \
        static testInfo info; \
        info.name = xname; \
        info.caps = xcaps; \
    } while (0)

    DO_TEST("net", full);
    return 0;
}
"""


def test_struct_fields_in_declaration_order() -> None:
    assert struct_fields(POSITIONAL) == ("name", "parentIndex", "flags")
    assert struct_fields(DESIGNATED) == ("name", "caps")


def test_a_positional_initialiser_fills_fields_in_struct_order() -> None:
    first, second, third = program_cases(POSITIONAL)
    assert first.fields == {"name": "first", "parentIndex": -3, "flags": 7}
    assert first.arguments == {"name": "first", "parentIndex": 7, "flags": -3}
    assert second.fields == {"name": "second", "parentIndex": 0, "flags": Symbol("VIR_SOME_CONSTANT")}
    assert third.fields == {"name": "third", "parentIndex": True, "flags": 1}


def test_designated_assignments_fill_fields() -> None:
    (case,) = program_cases(DESIGNATED)
    assert case.fields == {"name": "net", "caps": Symbol("full")}


def test_a_call_with_the_wrong_arity_is_an_error() -> None:
    source = POSITIONAL.replace('DO_TEST("first", -3);', 'DO_TEST("first");')
    with pytest.raises(ValueError, match="DO_TEST takes 2 arguments, got 1"):
        program_cases(source)


def test_an_unreadable_expression_is_an_error() -> None:
    source = POSITIONAL.replace('DO_TEST("first", -3);', 'DO_TEST("first", 1 + 2);')
    with pytest.raises(ValueError, match="cannot read the C expression"):
        program_cases(source)

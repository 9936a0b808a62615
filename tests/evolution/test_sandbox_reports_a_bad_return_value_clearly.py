"""Whatever keep returns that is not a bool (or 0/1) is a bad_return with a reason naming the value's type
and the seed, never a crash: not an int too large to print (`return 10**5000` was "crash: status 70"), not
a value whose `__bool__`, `__eq__` or `__hash__` raises. Values the static policy refuses to build are
returned through `run_unchecked`, the child alone."""

import pytest

from evolution.sandbox import Limits
from tests.evolution.rules import GOOD, TABLE

LIMITS = Limits(cpu_seconds=2, wall_seconds=5, memory_bytes=64 * 2**20)
# A type of the rule's own, built without a class statement (the child's builtins have no __build_class__).
ODD = """
def boom(*args):
    return 1 // 0

def keep(seed):
    make = ().__class__.__class__
    {build}
    return value
"""


def assert_bad_return(outcome, *words):
    assert (outcome.ok, outcome.failure, outcome.selection) == (False, "bad_return", None), outcome
    assert outcome.reason.startswith("bad_return: keep returned ")
    assert outcome.reason.endswith("; it must return a bool (or 0/1)")
    assert "for seed 0 (r=0, s=1)" in outcome.reason
    for word in words:
        assert word in outcome.reason


# What keep returns -> what the reason says of it.
WITHIN_POLICY = {
    "10**5000": "an int too large to show (16610 bits)",
    "-(10**5000)": "an int too large to show (16610 bits)",
    "2**64": "keep returned int 18446744073709551616 for seed 0",
    "-(2**200)": "an int too large to show (201 bits)",
    "5": "keep returned int 5 for seed 0",
    "None": "keep returned NoneType",
    "[1]": "keep returned list",
    "1e308 * 10": "keep returned float",
    "(seed, seed)": "keep returned tuple",
    "range(10**5000)": "keep returned range",
    "abs": "keep returned builtin_function_or_method",
}
# The case -> how the value is built, and the type the reason names.
BYPASSES = {
    "str": ("value = 'yes'", "str"),
    "bytes": ("value = b'1'", "bytes"),
    "__bool__ raises": ("value = make('Falsy', (), {'__bool__': boom})()", "Falsy"),
    "int subclass": ("value = make('Equal', (int,), {'__eq__': boom, '__hash__': boom})(1)", "Equal"),
    "metaclass __hash__ raises": (
        "value = make(make)('Meta', (make,), {'__hash__': boom, '__eq__': boom})('Hashless', (), {})()",
        "Hashless",
    ),
    "__index__ raises": ("value = make('Index', (), {'__index__': boom, '__int__': boom})()", "Index"),
}


@pytest.mark.parametrize(("expression", "said"), WITHIN_POLICY.items())
def test_a_bad_value_within_the_policy_is_a_bad_return(sandbox, expression, said):
    outcome = sandbox.run(f"def keep(seed):\n    return {expression}\n", TABLE, LIMITS)
    assert outcome.path == "process"
    assert_bad_return(outcome, said)
    assert sandbox.run(GOOD, TABLE, fast_path=False).ok


@pytest.mark.parametrize(("build", "kind"), BYPASSES.values(), ids=list(BYPASSES))
def test_a_value_only_a_policy_bypass_can_build_is_a_bad_return(sandbox, build, kind):
    outcome = sandbox.run_unchecked(ODD.format(build=build), TABLE, LIMITS)
    assert_bad_return(outcome, f"keep returned {kind}")
    assert sandbox.run(GOOD, TABLE, fast_path=False).ok


def test_an_exception_about_a_huge_int_is_an_exception(sandbox):
    outcome = sandbox.run_unchecked("def keep(seed):\n    return [].index(10**5000)\n", TABLE, LIMITS)
    assert outcome.failure == "exception" and outcome.reason.startswith("exception: line 2: ValueError")


def test_a_huge_float_that_overflows_is_an_exception(sandbox):
    outcome = sandbox.run("def keep(seed):\n    return 10.0**400 > 1\n", TABLE, LIMITS)
    assert outcome.failure == "exception" and "OverflowError" in outcome.reason


def test_zero_and_one_are_still_accepted(sandbox):
    outcome = sandbox.run("def keep(seed):\n    return 1 if seed.r < 4 else 0\n", TABLE, LIMITS)
    assert outcome.ok and outcome.selection.tolist() == [True, True, False, False]


def test_an_exception_that_cannot_even_be_described_is_still_an_exception(sandbox):
    """Its __str__ raises SystemExit, which no `except Exception` catches: the child still reports."""
    source = """
def keep(seed):
    kinds = {c.__name__: c for c in ().__class__.__base__.__subclasses__()}
    errors = {c.__name__: c for c in kinds['BaseException'].__subclasses__()}
    def loud(self):
        raise errors['SystemExit'](1)
    raise ().__class__.__class__('Loud', (errors['Exception'],), {'__str__': loud})()
"""
    outcome = sandbox.run_unchecked(source, TABLE, LIMITS)
    assert outcome.failure == "exception", outcome
    assert "its objects raised while the failure was being described" in outcome.reason
    assert sandbox.run(GOOD, TABLE, fast_path=False).ok

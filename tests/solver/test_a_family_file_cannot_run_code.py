"""A family file is data: no expression in it can run code, and every hostile one is a FamilyError.

The attack reproduced here worked before expressions had their own grammar: sympy's parser evaluates Python,
invariant names could be dunders, and `.` and one-argument calls passed the character filter, so a scalar
product could climb from a Symbol to `__import__` and run a shell command (the CLI printed only "is not an
algebraic expression" after the command had run).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from solver import expression
from solver.family import FamilyError, parse_expression, parse_family

ROOT = Path(__file__).resolve().parents[2]
MARKER = "seedtracepwned"

# From a Symbol to builtins: Symbol.__new__ is a plain function, whose __globals__ hold __builtins__.
BUILTINS = "m1.__class__.__new__.__globals__.get(__builtins__.name)"
# os.system("touch seedtracepwned"), with the space made by chr(32) since quotes were filtered out.
ATTACK = (
    f"{BUILTINS}.get(__import__.name)(os.name).system(touch.name+{BUILTINS}.get(chr.name)(32)+{MARKER}.name)"
)
DUNDER_NAMES = ["__class__", "__new__", "__globals__", "__builtins__", "__import__"]
PLAIN_NAMES = ["m1", "get", "name", "os", "system", "chr", "touch", MARKER]


def family_text(value: str, invariants: list[str], key: str = "p^2") -> str:
    names = ", ".join(f'"{name}"' for name in invariants)
    return f"""
name = "evil"
loop_momenta = ["k"]
external_momenta = ["p"]
invariants = [{names}]
propagators = ["k^2", "(k+p)^2"]
[scalar_products]
"{key}" = "{value}"
"""


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty directory, where the attack would leave its marker file."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_attack_fits_the_old_length_limit():
    assert len(ATTACK) <= expression.MAX_EXPRESSION


def test_dunder_invariants_are_refused_before_any_expression_is_read(in_tmp):
    with pytest.raises(FamilyError) as refused:
        parse_family(family_text(ATTACK, PLAIN_NAMES + DUNDER_NAMES))
    assert refused.value.field == "invariants"
    assert "not a valid symbol name" in refused.value.reason
    assert not (in_tmp / MARKER).exists()


def test_an_attribute_chain_is_refused_by_the_grammar(in_tmp):
    with pytest.raises(FamilyError) as refused:
        parse_family(family_text(ATTACK, PLAIN_NAMES))
    assert refused.value.field == "scalar_products['p^2']"
    assert "unknown symbol __class__" in refused.value.reason
    assert not (in_tmp / MARKER).exists()


def test_a_call_on_declared_names_is_refused_by_the_grammar(in_tmp):
    with pytest.raises(FamilyError) as refused:
        parse_family(family_text(f"os.system(touch.name+{MARKER}.name)", PLAIN_NAMES))
    assert refused.value.field == "scalar_products['p^2']"
    assert "found '.'" in refused.value.reason
    assert not (in_tmp / MARKER).exists()


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("propagators[1]", '"(k+p)^2"', '"(k+p).__class__"'),
        ("scalar_products['p.__class__']", '"p^2" =', '"p.__class__" ='),
    ],
)
def test_propagators_and_product_keys_go_through_the_same_grammar(field, old, new):
    text = family_text("m1", PLAIN_NAMES)
    with pytest.raises(FamilyError) as refused:
        parse_family(text.replace(old, new, 1))
    assert refused.value.field == field
    assert "unknown symbol __class__" in refused.value.reason


@pytest.mark.parametrize("invariants", [PLAIN_NAMES + DUNDER_NAMES, PLAIN_NAMES], ids=["dunders", "plain"])
def test_the_command_line_refuses_it_in_one_line_without_running_it(tmp_path, invariants):
    path = tmp_path / "evil.toml"
    path.write_text(family_text(ATTACK, invariants))
    done = subprocess.run(
        [sys.executable, "-m", "solver", "reduce", str(path), "--masters"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert not (tmp_path / MARKER).exists()


FIELD = "scalar_products['p1^2']"
TABLE = {name: sympy.Symbol(name) for name in ["m1", "m2", "m3", "p1", "p2", "k"]}
m1, m2, m3 = (TABLE[name] for name in ("m1", "m2", "m3"))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("lambda: m1", "character ':'"),
        ("lambda", "unknown symbol lambda"),
        ('"m1"', "character '\"'"),
        ("'m1'", 'character "\'"'),
        ("[m1]", "character '['"),
        ("{m1}", "character '{'"),
        ("m1, m2", "character ','"),
        ("m1; m2", "character ';'"),
        ("m1 if m2 else m3", "unknown symbol if"),
        ("m1 @ m2", "character '@'"),
        ("m1 % m2", "character '%'"),
        ("m1 // m2", "expected a number, a symbol or '('"),
        ("\u043c1", "U+043C"),  # Cyrillic em, looks like m
        ("m\u0661", "U+0661"),  # Arabic-Indic digit one
        ("m1\x00", "U+0000"),
        ("m1\u00a0+ m2", "U+00A0"),  # no-break space
        ("m1 + " * 100 + "m1", "longer than 400 characters"),
        ("(" * 10_000 + "m1" + ")" * 10_000, "longer than 400 characters"),
        ("(" * 51 + "m1" + ")" * 51, "nested deeper than 50"),
        ("9^9^9", "a power of a power"),
        ("(((9^9)^9)^9)^9", "numbers too large"),
        ("((9^16)^16)^16", "numbers too large"),
        ("2^(9^9)", "closing the exponent"),
        ("m1^m2", "integer exponent"),
        ("m1^17", "exponent too large"),
        ("m1^-17", "exponent too large"),
        ("(m1+m2+m3+p1+p2)^16", "more than 1000 terms"),
        ("1/0", "division by zero"),
        ("m1/(m2-m2)", "division by zero"),
        ("1/((m1+1)^2 - m1^2 - 2*m1 - 1)", "division by zero"),
        ("0^-1", "division by zero"),
        ("1.5", "floating-point number 1.5"),
        ("1e9", "floating-point number 1e9"),
        (".5", "floating-point number .5"),
        ("1234567890123", "more than 12 digits"),
        ("m1**2", "write powers with ^"),
        ("m1.m2", "found '.'"),
        ("m1()", "found '('"),
        ("m1 m2", "found 'm2'"),
        ("2m1", "found 'm1'"),
        ("E", "unknown symbol E"),
        ("_m1", "unknown symbol _m1"),
        ("", "non-empty expression"),
    ],
)
def test_hostile_expressions_are_refused_naming_field_and_reason(text, reason):
    with pytest.raises(FamilyError) as refused:
        parse_expression(text, TABLE, FIELD)
    assert refused.value.field == FIELD
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"{FIELD}: ") and "\n" not in str(refused.value)


def test_fifty_levels_of_parentheses_are_enough_and_allowed():
    assert parse_expression("(" * 50 + "m1" + ")" * 50, TABLE, FIELD) == m1


def test_deep_nesting_is_refused_by_the_depth_counter_not_by_a_recursion_error(monkeypatch):
    monkeypatch.setattr(expression, "MAX_EXPRESSION", 10**6)
    table = {"m1": m1}
    with pytest.raises(FamilyError, match="nested deeper than 50"):
        parse_expression("(" * 10_000 + "m1" + ")" * 10_000, table, FIELD)
    with pytest.raises(FamilyError, match="nested deeper than 50"):
        parse_expression("-(" * 10_000 + "m1" + ")" * 10_000, table, FIELD)


def test_a_long_chain_of_signs_needs_no_recursion(monkeypatch):
    monkeypatch.setattr(expression, "MAX_EXPRESSION", 10**6)
    assert parse_expression("-" * 10_001 + "m1", {"m1": m1}, FIELD) == -m1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("m1^-1", 1 / m1),  # a small negative exponent is a rational function, as 1/m1 is
        ("m1^(-2)", 1 / m1**2),
        ("-m1^2", -(m1**2)),  # as in Python: the power binds tighter than the sign
        ("2^-1", sympy.Rational(1, 2)),
        ("m1 - m2 - m3", m1 - (m2 + m3)),  # left to right
        ("m1 / m2 / m3", m1 / (m2 * m3)),
        ("(m3 - m1 - m2)/2", (m3 - m1 - m2) / 2),
    ],
)
def test_what_the_grammar_allows_means_what_it_says(text, value):
    assert sympy.expand(parse_expression(text, TABLE, FIELD) - value) == 0

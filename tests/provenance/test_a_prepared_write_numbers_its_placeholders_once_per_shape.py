"""A prepared write is sent with PostgreSQL's own placeholders ($1, $2, …), found once per shape of statement
rather than on every call (psycopg finds them anew each time in a statement of more than 50 parameters); the
numbering reads the statement as psycopg does (%% is a percent sign) and refuses what it does not support."""

import pytest

from provenance.prepared import numbered


def test_each_placeholder_gets_the_next_number_and_a_doubled_percent_is_one():
    sql = "INSERT INTO t (a, b, c) VALUES (%s, %s, %s) RETURNING id, '100%%', %s"
    assert numbered(sql) == "INSERT INTO t (a, b, c) VALUES ($1, $2, $3) RETURNING id, '100%', $4"


def test_a_statement_of_hundreds_of_placeholders_is_numbered_in_order():
    sql = ", ".join(["%s"] * 300)
    assert numbered(sql) == ", ".join(f"${n}" for n in range(1, 301))


def test_the_numbering_of_a_shape_is_found_once_and_reused():
    sql = "SELECT %s, %s -- shape seen once in this test"
    before = numbered.cache_info()
    assert numbered(sql) == numbered(sql) == "SELECT $1, $2 -- shape seen once in this test"
    after = numbered.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


@pytest.mark.parametrize("placeholder", ["%(name)s", "%b", "%t"])
def test_placeholders_other_than_percent_s_are_refused(placeholder):
    with pytest.raises(ValueError, match="only %s placeholders are supported"):
        numbered(f"SELECT {placeholder}")

"""On PostgreSQL a write alone (provenance.optimistic) goes as a prepared statement with its values bound, so
the server plans each shape of write once per connection (provenance.prepared; a generic plan, not one at
each of its first runs); no other statement is prepared. With DATABASE_PREPARED_STATEMENTS off (a pooler in
front that cannot keep them) the same write goes as text, its values quoted in. Either way the records are
the same and verify."""

import pytest
from django.db import connection

from provenance import ledger
from provenance.models import Evaluation
from provenance.verify import verify
from tests.provenance.alone import statements

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's"),
]

# Text a quoting mistake would break or a placeholder scan would misread.
HOSTILE = "it's %s $1 \\' ; DROP TABLE provenance_evaluation; -- ünïcødé"


def prepared_writes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE from_sql = false")
        return [statement for (statement,) in cursor.fetchall()]


def evaluate_alone(founder, problem: str) -> Evaluation:
    with ledger.batch(founder.run, alone=True):
        return ledger.record_evaluation(founder, problem=problem, verdict="failed", failure="error",
                                        error=HOSTILE, details={"why": HOSTILE})


def test_writes_of_one_shape_share_one_prepared_statement_with_their_values_bound(run, founder):
    with statements() as sent:
        written = [evaluate_alone(founder, f"rank{n}") for n in (1, 2, 3)]
    assert len(sent) == 3 and len(set(sent)) == 1
    assert "$1" not in sent[0] and HOSTILE not in sent[0]  # Django's wrapper sees the statement, not values
    (prepared,) = prepared_writes()
    assert prepared.startswith("WITH head AS (UPDATE provenance_chainhead") and "$1" in prepared
    stored = Evaluation.objects.filter(pk__in=[e.pk for e in written]).order_by("seq")
    assert [(e.problem, e.error, e.details, e.hash) for e in stored] == [
        (e.problem, HOSTILE, {"why": HOSTILE}, e.hash) for e in written
    ]
    assert all(report.intact for report in verify())


def test_orm_queries_are_never_prepared(run, founder):
    for _ in range(10):
        assert Evaluation.objects.filter(problem=HOSTILE).count() == 0
    assert prepared_writes() == []


def test_with_prepared_statements_off_the_write_goes_as_text(run, founder, monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    with statements() as sent:
        written = [evaluate_alone(founder, f"rank{n}") for n in (1, 2)]
    assert len(sent) == 2 and "DROP TABLE provenance_evaluation" in sent[0]  # the values, quoted in
    assert prepared_writes() == []
    stored = Evaluation.objects.filter(pk__in=[e.pk for e in written])
    assert sorted(e.hash for e in stored) == sorted(e.hash for e in written)
    assert all(e.error == HOSTILE for e in stored)
    assert all(report.intact for report in verify())


def test_each_shape_of_write_is_planned_once_not_at_each_of_its_first_runs(run):
    # The server's default replans a prepared statement at each of its first five runs; a step's write,
    # whose shape changes with its candidates and edges, rarely ran five times and was replanned each time.
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)

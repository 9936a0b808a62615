import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from evolution.models import RunState
from provenance import ledger
from provenance.immutability import installed_triggers, record_tables
from provenance.models import RECORD_MODELS, Candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(founder, mutate, alice, llm_step):
    child = mutate(founder)
    llm_step(founder, child)
    ledger.annotate(child, "why *this* one?", alice)
    ledger.record_events(child.run, [("register", {"island": 0, "signature": [-92]}, child)])


def raw(sql):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("table", record_tables())
def test_a_raw_update_of_a_record_is_refused(world, table):
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"UPDATE {table} SET prev_hash = 'x'")


@pytest.mark.parametrize("table", record_tables())
def test_a_raw_delete_of_a_record_is_refused(world, table):
    with pytest.raises(IntegrityError, match="append-only"):
        raw(f"DELETE FROM {table}")


@pytest.mark.parametrize("record_model", RECORD_MODELS, ids=lambda m: m._meta.model_name)
def test_every_record_table_holds_rows_in_this_world(world, record_model):
    # the two tests above only mean something if each table has a row to refuse
    assert record_model.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(world):
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # else the inserts' pending FK checks refuse TRUNCATE first
    with pytest.raises(IntegrityError, match="append-only"):
        raw("TRUNCATE provenance_edge")


def test_the_orm_cannot_change_or_delete_a_record_either(founder):
    founder.island = 3
    with pytest.raises(IntegrityError), transaction.atomic():
        founder.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=founder.pk).delete()
    assert Candidate.objects.get(pk=founder.pk).island is None


def test_mutable_state_stays_mutable(run):
    RunState.objects.filter(run=run).update(status=RunState.Status.RUNNING, candidates=3)
    assert RunState.objects.get(run=run).status == "running"


def test_migrate_puts_back_the_triggers_it_finds_missing(db):
    from provenance.immutability import drop_triggers

    drop_triggers(connection)
    assert not installed_triggers(connection) & _expected()
    call_command("migrate", verbosity=0)
    assert _expected() <= installed_triggers(connection)


def _expected():
    if connection.vendor == "postgresql":
        return {f"{t}_{kind}" for t in record_tables() for kind in ("append_only", "no_truncate")}
    return {f"{t}_no_{op}" for t in record_tables() for op in ("update", "delete")}

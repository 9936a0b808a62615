"""A transaction that writes its records before it ends (a step writes its candidates for the ids their jobs
need) moves the chain's head in that same statement on PostgreSQL, and sends no UPDATE of the head at its end;
whatever it appends afterwards moves the head again with it. On SQLite the head is stored once, at the end.
Either way the head is the last record's, and the chain verifies."""

import pytest
from django.db import connection

from provenance import ledger
from provenance.chain import chain_name
from provenance.models import ChainHead
from provenance.verify import verify
from tests.provenance.alone import statements

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES = connection.vendor == "postgresql"


def _head_updates(sent: list[str]) -> list[str]:
    """The statements of its own that move the head (SQLite's lock is an UPDATE too, but sets seq = seq)."""
    return [sql for sql in sent if sql.startswith("UPDATE") and "chainhead SET seq = %s" in sql]


def _evaluation(candidate, problem: str):
    return ledger.record_evaluation(candidate, problem=problem, verdict="complete", score=-92, seeds=92)


def test_records_written_mid_transaction_carry_the_head_and_nothing_follows_them(run, founder):
    with statements() as sent, ledger.batch(run) as chain:
        with chain.deferred():
            first = _evaluation(founder, "rank3")
        chain.write()  # ids wanted now
        assert first.pk is not None
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert (head.seq, head.hash) == (first.seq, first.hash)
    if POSTGRES:
        assert _head_updates(sent) == []
        (write,) = [sql for sql in sent if sql.startswith("WITH")]
        assert "head AS (UPDATE" in write
    else:
        assert len(_head_updates(sent)) == 1 and sent[-1] == _head_updates(sent)[0]  # once, at the end
    assert all(report.intact for report in verify())


def test_records_appended_after_the_mid_transaction_write_move_the_head_again(run, founder):
    with statements() as sent, ledger.batch(run) as chain:
        with chain.deferred():
            _evaluation(founder, "rank3")
        chain.write()
        with chain.deferred():
            last = _evaluation(founder, "rank4")
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert (head.seq, head.hash) == (last.seq, last.hash)
    if POSTGRES:
        writes = [sql for sql in sent if sql.startswith("WITH")]
        assert len(writes) == 2 and all("head AS (UPDATE" in sql for sql in writes)
        assert _head_updates(sent) == []
    assert all(report.intact for report in verify())


def test_a_hold_that_appends_nothing_leaves_the_head_alone(run, founder):
    before = ChainHead.objects.get(name=chain_name(run.pk))
    with statements() as sent, ledger.batch(run):
        pass
    assert _head_updates(sent) == [] and not any(sql.startswith("WITH") for sql in sent)
    after = ChainHead.objects.get(name=chain_name(run.pk))
    assert (after.seq, after.hash) == (before.seq, before.hash)

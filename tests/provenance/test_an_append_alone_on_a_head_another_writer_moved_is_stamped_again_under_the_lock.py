"""The head an append alone is stamped from is a guess: where another writer (a worker on another machine, a
person's annotation) moved the chain since, the one statement writes nothing, and the records are stamped
again on the head as it is, under its lock. The chain stays one unbroken line either way."""

import threading

import pytest
from django.db import connection

from provenance import ledger, optimistic
from provenance.chain import chain_name
from provenance.models import ChainHead, Evaluation
from provenance.verify import verify
from tests.provenance.alone import elsewhere, statements

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's"),
]


def evaluate(candidate, score):
    return ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=score, seeds=-score)


def test_a_moved_head_leaves_the_statement_writing_nothing_and_the_lock_writes(run, founder):
    theirs = []
    elsewhere(lambda: theirs.append(evaluate(founder, -100)))
    with statements() as sent, ledger.batch(run, alone=True):
        ours = evaluate(founder, -92)
    assert sent[0].startswith("WITH head AS (UPDATE")  # the guess, refused by the database
    assert any("FOR UPDATE" in sql for sql in sent[1:])  # then the lock
    (other,) = theirs
    assert (ours.seq, ours.prev_hash) == (other.seq + 1, other.hash)
    assert sorted(Evaluation.objects.values_list("score", flat=True)) == [-100, -92]
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert (head.seq, head.hash) == (ours.seq, ours.hash)
    assert all(report.intact for report in verify())


def test_after_a_miss_the_next_writes_take_the_lock_at_once(run, founder):
    elsewhere(lambda: evaluate(founder, -100))
    with ledger.batch(run, alone=True):
        evaluate(founder, -92)
    for score in range(optimistic.PAUSE_AFTER_MISS):
        with statements() as sent, ledger.batch(run, alone=True):
            evaluate(founder, -score)
        assert "FOR UPDATE" in sent[0]
    with statements() as sent, ledger.batch(run, alone=True):
        evaluate(founder, -1000)
    assert len(sent) == 1 and sent[0].startswith("WITH head AS (UPDATE")
    assert all(report.intact for report in verify())


def test_two_writers_appending_alone_at_once_keep_one_chain(run, founder):
    # Threads of one process share its memory of the heads, so each guesses from whichever wrote last: the
    # race between guess and write is real, and a lost one is written again under the lock.
    def many(offset):
        try:
            for i in range(25):
                with ledger.batch(run, alone=True):
                    evaluate(founder, -(offset + i))
        finally:
            connection.close()

    threads = [threading.Thread(target=many, args=(offset,)) for offset in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Evaluation.objects.count() == 50
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert head.seq == founder.seq + 50
    assert all(report.intact for report in verify())

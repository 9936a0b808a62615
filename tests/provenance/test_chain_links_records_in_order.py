import threading

import pytest
from django.db import connection

from provenance import ledger
from provenance.chain import Hashes, content_hash
from provenance.membership import RUN_TABLES
from provenance.models import Agent, ChainHead, Run
from provenance.verify import verify


def chain_of(run):
    return sorted((r for model in RUN_TABLES for r in model.objects.filter(run=run)), key=lambda r: r.seq)


@pytest.mark.django_db
def test_each_record_points_at_the_one_before_it_in_its_run(run, founder, mutate, llm_step):
    llm_step(founder, mutate(founder))
    records = chain_of(run)
    kinds = [r._meta.model_name for r in records]
    assert kinds == [
        "candidate",
        "candidate",
        "edge",
        "prompt",
        "llmcall",
        "candidate",
        "edge",
        "edge",
        "evaluation",
    ]
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    assert records[0].prev_hash == run.hash  # the run record is the chain's first link
    for before, after in zip(records, records[1:], strict=False):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get(name=f"run:{run.pk}")
    assert (head.seq, head.hash) == (records[-1].seq, records[-1].hash)


@pytest.mark.django_db
def test_a_stored_hash_is_the_hash_of_the_stored_content(run, founder, mutate):
    child = mutate(founder)
    for record in chain_of(run):
        fresh = type(record).objects.get(pk=record.pk)  # as the database gives it back
        assert content_hash(fresh, Hashes()) == record.hash
    assert child.hash != founder.hash


@pytest.mark.django_db
def test_agents_and_runs_share_the_global_chain(project, alice, gp, laporta):
    second = ledger.start_run(project, family="trianglebox", problems=["rank1", "rank2"], engine="gp")
    records = sorted([*Agent.objects.all(), *Run.objects.all()], key=lambda r: r.seq)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == ""
    assert records[1].prev_hash == records[0].hash and records[2].prev_hash == records[1].hash
    assert records[-1] == second
    assert ChainHead.objects.get(name="global").hash == second.hash


@pytest.mark.django_db
def test_two_runs_have_independent_chains(project, founder, run, laporta):
    other = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp")
    theirs = ledger.record_candidate(
        other, source="def keep(seed): return False", activity="literature", agent=laporta
    )
    assert (founder.seq, theirs.seq) == (1, 1)
    assert theirs.prev_hash == other.hash


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_run_keep_a_single_unbroken_chain(run, founder, gp):
    errors = []

    def write(worker):
        try:
            for i in range(15):
                ledger.record_candidate(
                    run,
                    source=f"def keep(seed): return seed.t > {worker * 100 + i}",
                    activity="gp_mutation",
                    agent=gp,
                    parents=[(founder, "parent")],
                )
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    records = chain_of(run)
    assert [r.seq for r in records] == list(range(1, 1 + 1 + 3 * 15 * 2))
    assert all(report.intact for report in verify())

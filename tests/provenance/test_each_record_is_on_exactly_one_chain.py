"""Each record is on exactly one chain (provenance.membership): agents, runs and notes on agents on the
global chain, every other record on its run's. A note goes on the chain of its target's run, as the ledger
writes it."""

import pytest

from provenance import ledger
from provenance.membership import GLOBAL, chain_name, chain_records, chain_run, reference, run_of
from provenance.models import RECORD_MODELS

pytestmark = pytest.mark.django_db


def test_a_note_is_on_the_chain_of_its_targets_run(run, founder, laporta, alice):
    for target in (laporta, run, founder):
        note = ledger.annotate(target, "why this one?", alice)
        assert note.run_id == chain_run(note) == run_of(target)
    assert chain_name(run_of(laporta)) == GLOBAL and chain_name(run_of(run)) == f"run:{run.pk}"


def test_the_chains_hold_every_record_once_in_seq_order(run, founder, mutate, laporta, alice):
    ledger.annotate(laporta, "the rule of hep-ph/0102033", alice)
    ledger.annotate(run, "overnight run", alice)
    ledger.annotate(mutate(founder), "shorter", alice)

    chains = {GLOBAL: chain_records(None), f"run:{run.pk}": chain_records(run)}

    for name, records in chains.items():
        assert [record.seq for record in records] == list(range(1, len(records) + 1))
        assert {chain_name(chain_run(record)) for record in records} == {name}
    held = [reference(record) for records in chains.values() for record in records]
    every = [reference(record) for model in RECORD_MODELS for record in model.objects.all()]
    assert sorted(held) == sorted(every)

"""A block that only appends (an LLM call, a candidate's evaluations) is written, on PostgreSQL, in one
statement outside any transaction: no BEGIN, no lock, no COMMIT. The head it is stamped from is the one this
process last wrote, and the statement moves the head only from there."""

import pytest
from django.db import connection

from provenance import ledger
from provenance.chain import chain_name
from provenance.models import ChainHead, Evaluation
from provenance.verify import verify
from tests.provenance.alone import statements

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's"),
]


def test_an_evaluation_appended_alone_is_one_statement(run, founder):
    with statements() as sent, ledger.batch(run, alone=True):
        evaluation = ledger.record_evaluation(founder, problem="rank3", verdict="complete", score=-92,
                                              seeds=92)
    assert len(sent) == 1 and sent[0].startswith("WITH head AS (UPDATE")
    assert not connection.in_atomic_block and connection.get_autocommit()
    stored = Evaluation.objects.get(pk=evaluation.pk)
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert (stored.seq, stored.hash, stored.prev_hash) == (evaluation.seq, evaluation.hash, founder.hash)
    assert (head.seq, head.hash) == (evaluation.seq, evaluation.hash)
    assert all(report.intact for report in verify())


def test_records_appended_alone_that_refer_to_each_other_are_written_together(run, founder, gpt):
    with statements() as sent, ledger.batch(run, alone=True):
        prompt = ledger.record_prompt(run, template_name="funsearch", template_version="2", text="…",
                                      slots=[founder])
        call = ledger.record_llm_call(run, agent=gpt, prompt=prompt, response_text="def keep(seed): …")
        assert call.pk is None  # written when the block ends
    assert len(sent) == 1
    assert call.pk is not None and call.prompt_id == prompt.pk
    assert all(report.intact for report in verify())


def test_nothing_is_written_when_the_block_fails(run, founder):
    head = ChainHead.objects.get(name=chain_name(run.pk))
    with pytest.raises(ZeroDivisionError), statements() as sent, ledger.batch(run, alone=True):
        ledger.record_evaluation(founder, problem="rank3", verdict="complete", score=-92, seeds=92)
        raise ZeroDivisionError
    assert sent == [] and not Evaluation.objects.exists()
    assert ChainHead.objects.get(name=chain_name(run.pk)).seq == head.seq


def test_an_over_long_value_is_refused_as_the_usual_write_refuses_it(run, founder):
    # The rows of a write alone are a VALUES list cast to the columns' types; a cast to varchar(n) would cut
    # a longer value short in silence (and the stored record would not match its hash).
    with pytest.raises(Exception, match="too long"), ledger.batch(run, alone=True):
        ledger.record_evaluation(founder, problem="r" * 500, verdict="complete", score=-92, seeds=92)
    assert not Evaluation.objects.exists()
    assert all(report.intact for report in verify())

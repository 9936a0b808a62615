"""Records are hashed when appended and written when the ledger call that made them returns: a whole LLM step
in one INSERT on PostgreSQL. What is stored, what the caller holds and what the hash covers stay the same."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from provenance import ledger
from provenance.chain import Hashes, appending, chain_name, content_hash
from provenance.errors import RecordError
from provenance.models import RECORD_MODELS, Candidate, ChainHead, Edge, Evaluation, LLMCall, Prompt
from provenance.verify import verify

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    """The statements that write records or move the chain head (not the head's lock)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("INSERT", "WITH"))
        or (q["sql"].startswith("UPDATE provenance_chainhead") and "SET seq = seq" not in q["sql"])
    ]


def test_a_step_is_one_statement_on_postgresql(run, founder, mutate, llm_step):
    child = mutate(founder)
    with CaptureQueriesContext(connection) as queries:
        step = llm_step(founder, child)
    written = writes(queries.captured_queries)
    if connection.vendor == "postgresql":
        # the records, the edges into the candidate, and the chain head's move
        assert len(written) == 1 and written[0].startswith("WITH")
    else:  # SQLite: an INSERT per table (the two edges together), then the head
        assert [sql.split()[0] for sql in written] == ["INSERT"] * 5 + ["UPDATE"]
    head = ChainHead.objects.get(name=chain_name(run.pk))
    assert (head.seq, head.hash) == (step.evaluations[-1].seq, step.evaluations[-1].hash)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferrable constraints are PostgreSQL's")
def test_foreign_keys_checked_at_once_see_the_records_written_with_them(run, founder, llm_step):
    # Django makes foreign keys DEFERRABLE INITIALLY DEFERRED; checked at the end of the statement instead,
    # a reference to a record inserted by another part of the same statement still finds it.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    step = llm_step(founder)
    assert Evaluation.objects.get(pk=step.evaluations[0].pk).candidate_id == step.candidate.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:  # the premise: a reference to nothing is refused there and then
            cursor.execute(
                "UPDATE evolution_runstate SET best_candidate_id = %s WHERE run_id = %s", [10**9, run.pk]
            )


def test_the_records_returned_are_the_records_stored(
    run, founder, mutate, llm_step, django_assert_num_queries
):
    child = mutate(founder)
    step = llm_step(founder, child)
    with django_assert_num_queries(0):  # ids filled in, related records still in hand
        assert step.llm_call.prompt is step.prompt and step.llm_call.prompt_id == step.prompt.pk
        assert step.candidate.llm_call is step.llm_call
        assert step.evaluations[0].candidate is step.candidate
    stored_call = LLMCall.objects.get(pk=step.llm_call.pk)
    assert (stored_call.prompt_id, stored_call.hash) == (step.prompt.pk, step.llm_call.hash)
    assert Candidate.objects.get(pk=step.candidate.pk).llm_call_id == step.llm_call.pk
    assert Evaluation.objects.get(pk=step.evaluations[0].pk).candidate_id == step.candidate.pk
    edges = Edge.objects.filter(child=step.candidate).order_by("seq")
    assert [(e.parent_id, e.slot) for e in edges] == [(founder.pk, "v0"), (child.pk, "v1")]
    for record in (step.prompt, step.llm_call, step.candidate, *edges, *step.evaluations):
        fresh = type(record).objects.get(pk=record.pk)  # as the database gives it back
        assert content_hash(fresh, Hashes()) == record.hash
    assert all(report.intact for report in verify())


def test_inside_a_batch_each_call_returns_stored_records(run, founder, gpt, llm_step):
    with ledger.batch(run):
        step = llm_step(founder)
        assert Candidate.objects.filter(pk=step.candidate.pk).exists()
        again = ledger.record_candidate(
            run,
            source="def keep(seed):\n    return seed.t <= 2\n",
            activity="gp_mutation",
            agent=ledger.algorithm_agent("gp", "mutation", version="1"),
            parents=[(step.candidate, "parent")],
        )
        assert again.pk is not None and Edge.objects.get(child=again).parent_id == step.candidate.pk
        evaluation = ledger.record_evaluation(again, problem="rank3", verdict="incomplete", score=-3.0)
        assert Evaluation.objects.get(pk=evaluation.pk).candidate_id == again.pk
    assert all(report.intact for report in verify())


AWKWARD = "it's 100% \\n 'quoted' %s %(name)s $1 \\\\ é ∑ 😀 \u2028 -- ; DROP TABLE x"


def test_awkward_values_are_stored_as_hashed(run, founder, gpt, llm_step):
    step = llm_step(
        founder,
        prompt=dict(template_name="t%s", template_version="1'", text=AWKWARD, slots=[founder]),
        call=dict(
            agent=gpt,
            response_text=AWKWARD,
            request_temperature=1e-7,
            request_top_p=1.0,
            request_seed=2**63 - 1,
            request_stop_sequences=["%s", "\\", "'"],
            params={"nested": {"x": [1, 2.5, None, True, AWKWARD]}, "n": 10**20},
            cost=Decimal("0.1"),
            price_table="p%",
        ),
        candidate=dict(source=f"def keep(seed):\n    return True  # {AWKWARD}\n", params={"%s": "%s"}),
        evaluations=[dict(problem="rank3", verdict="failed", failure="exception", error=AWKWARD)],
    )
    prompt = Prompt.objects.get(pk=step.prompt.pk)
    call = LLMCall.objects.get(pk=step.llm_call.pk)
    assert prompt.text == AWKWARD and prompt.template_name == "t%s"
    assert call.response_text == AWKWARD and call.params["nested"]["x"][-1] == AWKWARD
    assert call.cost == Decimal("0.10000000") and call.request_seed == 2**63 - 1
    assert Evaluation.objects.get(pk=step.evaluations[0].pk).error == AWKWARD
    assert all(report.intact for report in verify())


def test_a_reference_to_a_record_never_recorded_is_refused_and_nothing_written(run):
    counts = {model: model.objects.count() for model in RECORD_MODELS}
    stray = Candidate(run=run, source="def keep(seed): return True")  # never went through the ledger
    with pytest.raises(RecordError, match="not recorded"):
        ledger.record_evaluation(stray, problem="rank3", verdict="complete")
    with pytest.raises(RecordError, match="already on a chain"):
        with appending(chain_name(run.pk)) as chain:
            chain.append(run)  # stored already
    assert counts == {model: model.objects.count() for model in RECORD_MODELS}

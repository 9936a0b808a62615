"""Each rule of the graph, broken once: a clear RecordError, and not one row written anywhere."""

import pytest

from evolution.models import RunState
from provenance import ledger
from provenance.errors import CanonicalError, CycleError, LinkError, RecordError, SecretError
from provenance.models import RECORD_MODELS, AnnotationHead, ChainHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(run, founder, mutate, gpt, alice, other_project, laporta, gp, llm_step):
    child = mutate(founder)
    call = ledger.record_llm_call(run, agent=gpt, response_text="def keep_v1(seed): return True")
    failed = ledger.record_llm_call(run, agent=gpt, error_type="timeout", error="no answer in 60 s")
    elsewhere = ledger.start_run(other_project, family="doublebox", problems=["rank2"], engine="gp")
    foreign = ledger.record_candidate(
        elsewhere, source="def keep(seed): return True", activity="literature", agent=laporta
    )
    sibling = ledger.start_run(run.project, family="trianglebox", problems=["rank3"], engine="gp")
    cousin = ledger.record_candidate(
        sibling, source="def keep(seed): return 1", activity="literature", agent=laporta
    )
    prompt = ledger.record_prompt(
        run, template_name="funsearch", template_version="1", text="p", slots=[child]
    )
    note = ledger.annotate(child, "first thought", alice)
    ledger.annotate(child, "second thought", alice, previous=note)
    return dict(
        run=run,
        founder=founder,
        child=child,
        call=call,
        failed=failed,
        foreign=foreign,
        cousin=cousin,
        gpt=gpt,
        gp=gp,
        laporta=laporta,
        alice=alice,
        note=note,
        llm_step=llm_step,
        prompt=prompt,
        person=ledger.person_agent(alice),
    )


def snapshot():
    counts = {model._meta.model_name: model.objects.count() for model in RECORD_MODELS}
    heads = dict(ChainHead.objects.values_list("name", "seq"))
    return counts, heads, AnnotationHead.objects.count(), RunState.objects.count()


def step(w, **changes):
    return w["llm_step"](w["founder"], w["child"], **changes)


# Each case spells only what breaks its rule; these fill in the rest.
def candidate(w, activity="gp_mutation", agent="gp", source="x = 1", **links):
    """A program recorded in the run by the world's `agent` (None: no agent)."""
    agent = agent and w[agent]
    return ledger.record_candidate(w["run"], source=source, activity=activity, agent=agent, **links)


def edge(w, child, parent, role):
    return ledger.record_edge(w[child], w[parent], role)


def evaluation(w, problem="rank3", verdict="incomplete", **fields):
    return ledger.record_evaluation(w["child"], problem=problem, verdict=verdict, **fields)


CASES = {
    "an llm candidate without its call": (LinkError, lambda w: candidate(w, "llm", agent="gpt")),
    "a call given for a gp candidate": (LinkError, lambda w: candidate(w, llm_call=w["call"])),
    "a model claiming a gp mutation": (LinkError, lambda w: candidate(w, agent="gpt")),
    "a person claiming literature": (LinkError, lambda w: candidate(w, "literature", agent="person")),
    "a candidate from a failed call": (LinkError, lambda w: candidate(w, "llm", None, llm_call=w["failed"])),
    "an unknown activity": (RecordError, lambda w: candidate(w, "dreamt")),
    "an empty program": (RecordError, lambda w: candidate(w, source="  ")),
    "a parent from another project": (LinkError, lambda w: candidate(w, parents=[(w["foreign"], "parent")])),
    "the same parent twice in one role": (
        LinkError,
        lambda w: candidate(w, parents=[(w["founder"], "parent"), (w["founder"], "parent")]),
    ),
    "an unknown edge role": (RecordError, lambda w: candidate(w, parents=[(w["founder"], "uncle")])),
    "an edge that closes a cycle": (CycleError, lambda w: edge(w, "founder", "child", "inspiration")),
    "an edge from a candidate to itself": (CycleError, lambda w: edge(w, "child", "child", "inspiration")),
    "an edge that already exists": (LinkError, lambda w: edge(w, "child", "founder", "parent")),
    "an edge across projects": (LinkError, lambda w: edge(w, "child", "foreign", "imported_from")),
    "a failed evaluation without its reason": (RecordError, lambda w: evaluation(w, verdict="failed")),
    "a complete evaluation with a failure": (
        RecordError,
        lambda w: evaluation(w, verdict="complete", failure="timeout"),
    ),
    "an evaluation of no problem": (RecordError, lambda w: evaluation(w, problem="")),
    "an evaluation with an unknown field": (RecordError, lambda w: evaluation(w, colour="red")),
    "an evaluation with a NaN score": (CanonicalError, lambda w: evaluation(w, score=float("nan"))),
    "a call made by an algorithm": (LinkError, lambda w: ledger.record_llm_call(w["run"], agent=w["gp"])),
    "a call whose prompt is in another run": (
        LinkError,
        lambda w: ledger.record_llm_call(w["cousin"].run, agent=w["gpt"], prompt=w["prompt"]),
    ),
    "a cost without its price table": (
        RecordError,
        lambda w: ledger.record_llm_call(w["run"], agent=w["gpt"], cost="0.01"),
    ),
    "an api key among the parameters": (
        SecretError,
        lambda w: ledger.record_llm_call(
            w["run"], agent=w["gpt"], params={"extra_headers": {"Authorization": "Bearer abcdefgh12345"}}
        ),
    ),
    "an api key in a run's configuration": (
        SecretError,
        lambda w: ledger.start_run(
            w["run"].project, family="f", problems=["p"], engine="llm", config={"llm": {"api_key": "x"}}
        ),
    ),
    "a key-shaped value under an innocent name": (
        SecretError,
        lambda w: ledger.model_agent("openai", "gpt", params={"note": "sk-abcdefghijklmnopqrstuvwx"}),
    ),
    "a prompt showing a candidate of another run": (
        LinkError,
        lambda w: ledger.record_prompt(
            w["run"], template_name="t", template_version="1", text="p", slots=[w["cousin"]]
        ),
    ),
    "a raw response with a NUL character": (
        CanonicalError,
        lambda w: ledger.record_llm_call(w["run"], agent=w["gpt"], response_text="a\x00b"),
    ),
    "an edit of a note that is no longer current": (
        LinkError,
        lambda w: ledger.annotate(w["child"], "third thought", w["alice"], previous=w["note"]),
    ),
    "an edit moved to another record": (
        LinkError,
        lambda w: ledger.annotate(w["founder"], "moved", w["alice"], previous=w["note"].next_version),
    ),
    "a step whose last evaluation is wrong": (
        RecordError,
        lambda w: step(
            w,
            evaluations=[dict(problem="rank3", verdict="complete"), dict(problem="rank4", verdict="failed")],
        ),
    ),
    "a step whose candidate breaks a rule": (
        LinkError,
        lambda w: step(w, candidate=dict(source="x", parents=[(w["foreign"], "parent")])),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_rule_raises_and_writes_nothing(world, case):
    error, attempt = CASES[case]
    before = snapshot()
    with pytest.raises(error) as refused:
        attempt(world)
    assert str(refused.value)  # says what is wrong
    assert snapshot() == before


def test_a_valid_step_does_write(world):
    before = snapshot()
    step(world)
    assert snapshot() != before

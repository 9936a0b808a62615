"""A run names problems it never trains on (held out). The rules that could be its result (evolution.
second_check: a rule that scored at least the run's best so far) are scored on them too, in the same job,
and recorded as held-out evaluations: never part of a candidate's score in the run, its counters or its
best; the others are not scored on them. `manage.py held_out` scores any candidate on request."""

import json

import pytest
from django.core.management import CommandError, call_command

from evolution.config import EvolutionConfig
from evolution.controller import Controller
from evolution.models import RunState
from evolution.second_check import BELOW
from provenance.models import Evaluation
from provenance.verify import verify
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def run(project, alice):
    controller = Controller.start(project, config(budget=24, seed=3, held_out=("rank4",)), user=alice)
    controller.evolve()
    return controller.run


def test_the_rules_that_could_be_final_and_only_they_are_scored_on_the_held_out_problems(run):
    trained = {e.candidate_id: e for e in Evaluation.objects.filter(run=run, problem="rank3")}
    held = {e.candidate_id: e for e in Evaluation.objects.filter(run=run, problem="rank4")}
    assert held and len(held) < len(trained)
    assert all(e.details.get("held_out") for e in held.values())
    assert not any(e.details.get("held_out") for e in trained.values())
    for pk, e in trained.items():  # scored apart exactly when the first prime did not rule it out as final
        could_be_final = e.verdict != "failed" and e.details.get("second_check") != BELOW
        assert (pk in held) == could_be_final or e.verdict == "incomplete", pk
    state = RunState.objects.get(run=run)
    assert state.evaluations == 24  # held-out results are not evaluations of the run's problems
    assert state.best_candidate_id in held
    assert state.best_score == trained[state.best_candidate_id].score  # the run's score is its own problems'
    assert all(report.intact for report in verify(run.pk))


def test_a_held_out_complete_result_is_checked_at_a_second_prime(run):
    for e in Evaluation.objects.filter(run=run, problem="rank4", verdict="complete"):
        assert e.details["checks"] and all(check["agree"] for check in e.details["checks"])


def test_a_candidate_is_scored_on_held_out_problems_on_request(run, capsys):
    below = Evaluation.objects.filter(run=run, problem="rank3").exclude(
        candidate__evaluations__problem="rank4").exclude(verdict="failed").first()
    call_command("held_out", str(below.candidate_id), "--problem", "rank4,rank5", "--json")
    rows = json.loads(capsys.readouterr().out)["held_out"]
    assert [row["problem"] for row in rows] == ["rank4", "rank5"]
    recorded = Evaluation.objects.filter(candidate_id=below.candidate_id).exclude(problem="rank3")
    assert sorted(e.problem for e in recorded) == ["rank4", "rank5"]
    assert all(e.details["held_out"] for e in recorded)
    assert all(report.intact for report in verify(run.pk))


@pytest.mark.parametrize(("problems", "why"), [
    ("rank3", "the run trains on rank3"),
    ("rank9", "no problem named 'rank9'"),
])
def test_held_out_refuses_a_trained_or_unknown_problem_and_records_nothing(run, problems, why):
    candidate = Evaluation.objects.filter(run=run).first().candidate_id
    before = Evaluation.objects.count()
    with pytest.raises(CommandError, match=why):
        call_command("held_out", str(candidate), "--problem", problems)
    assert Evaluation.objects.count() == before


def test_a_problem_cannot_be_both_trained_on_and_held_out():
    with pytest.raises(ValueError, match="trained on or held out, not both: rank3"):
        EvolutionConfig(family="trianglebox", problems=("rank3",), held_out=("rank3", "rank4"))

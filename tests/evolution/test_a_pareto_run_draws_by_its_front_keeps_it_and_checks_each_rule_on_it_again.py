"""A run under a Pareto objective, evolved by the real engine and workers: every registration carries the
rule's point, the run's state keeps the front of all of them, and every rule on the run's front (of rules
complete everywhere, as the run page draws it) had its complete reductions repeated at a second prime and
point and was scored on the held-out problems; a rule the front dominates was not, unless it led on seeds."""

import pytest

from evolution import objective, second_check
from evolution.controller import Controller
from evolution.dispatch import evaluate_later
from evolution.front import Front, dominates
from evolution.models import RunState
from evolution.scoring import COMPLETE, ProblemVerdict
from provenance import ledger
from provenance.models import Evaluation, RunEvent
from tests.evolution.conftest import KIRA3, config
from web.pareto import run_front

FRONT = "pareto(seeds,multiply_adds)"
# Every work count grows with the seeds on these problems (a front of one rule); wall time does not.
TIMED = "pareto(seeds,multiply_adds,elimination_seconds)"


@pytest.fixture
def pareto_run(project, alice):
    controller = Controller.start(project, config(budget=60, problems=("rank1", "rank2"), seed=3,
                                                  objective=TIMED, held_out=("rank3",)), user=alice)
    controller.evolve()
    return controller.run


def points_of(run) -> dict[int, tuple]:
    by_candidate: dict[int, list] = {}
    for e in Evaluation.objects.filter(run=run, problem__in=run.problems).order_by("seq"):
        by_candidate.setdefault(e.candidate_id, []).append(e)
    scored_by = objective.of_run(run)
    return {pk: objective.point(scored_by, records) for pk, records in by_candidate.items()}


@pytest.mark.django_db(transaction=True)
def test_each_registration_carries_the_rule_s_point_and_the_state_keeps_their_front(pareto_run):
    points = points_of(pareto_run)
    registered = {e.candidate_id: tuple(e.payload["point"])
                  for e in RunEvent.objects.filter(run=pareto_run, kind="register")}
    assert registered and registered == {pk: p for pk, p in points.items() if p is not None}
    everything = set(registered.values())
    expected = {p for p in everything if not any(dominates(q, p) for q in everything)}
    stored = Front.of_stored(RunState.objects.get(run=pareto_run).front, 3)
    assert set(stored.points) == expected


@pytest.mark.django_db(transaction=True)
def test_every_rule_on_the_run_s_front_was_checked_again_and_scored_held_out(pareto_run):
    front = run_front(pareto_run)
    assert front.objective and (front.cost, front.third) == ("multiply_adds", "elimination_seconds")
    assert front.front
    for point in front.front:
        records = Evaluation.objects.filter(candidate_id=point.candidate)
        trained = [e for e in records if e.problem in pareto_run.problems]
        assert all(e.verdict == COMPLETE and len(e.details["checks"]) == 1 for e in trained)
        assert [e.problem for e in records if e.details.get("held_out")] == ["rank3"]
    dominated = [e for e in Evaluation.objects.filter(run=pareto_run, verdict=COMPLETE)
                 if e.details["second_check"] == second_check.BELOW]
    assert dominated and not any(e.details.get("checks") for e in dominated)  # the saving is kept


def rule(seeds: int, cost: int) -> list[ProblemVerdict]:
    return [ProblemVerdict("rank3", COMPLETE, -seeds, seeds=seeds, details={"pareto": [-seeds, -cost]})]


@pytest.fixture
def leader(controller):
    """The run's best so far: complete on its one problem with 88 seeds."""
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    best = ledger.record_candidate(controller.run, source="def keep(seed):\n    return True\n",
                                   activity="gp_mutation", agent=gp)
    ledger.record_evaluation(best, problem="rank3", verdict=COMPLETE, score=-88, seeds=88)
    RunState.objects.filter(run=controller.run).update(best_score=-88, best_candidate=best)
    return controller.run


@pytest.mark.django_db
@pytest.mark.parametrize("seeds, cost, made, why", [
    (90, 10000, True, second_check.ON_THE_FRONT),  # fewer multiply-adds than any rule so far
    (90, 20000, False, second_check.BELOW),  # (88, 20000) dominates it
    (88, 20000, True, second_check.AT_LEAST_THE_BEST),
])
def test_a_rule_below_the_best_on_seeds_is_checked_again_when_the_front_does_not_dominate_it(
        leader, seeds, cost, made, why):
    RunState.objects.filter(run=leader).update(front=[[-88, -20000], [-95, -12000]])
    decision = second_check.against_the_best(leader.pk, rule(seeds, cost), objective.parse(FRONT))
    assert (decision.made, decision.why) == (made, why)


@pytest.mark.django_db
@pytest.mark.parametrize("stored", [None, "front", [[-88]], [[-88, "x"]], {"a": 1}])
def test_a_stored_front_that_is_not_one_reads_as_none_and_only_makes_more_repeats(leader, stored):
    RunState.objects.filter(run=leader).update(front=stored)
    decision = second_check.against_the_best(leader.pk, rule(90, 20000), objective.parse(FRONT))
    assert (decision.made, decision.why) == (True, second_check.ON_THE_FRONT)


@pytest.mark.django_db(transaction=True)
def test_a_person_s_rule_evaluated_after_the_run_ended_joins_its_front_where_nothing_dominates_it(
        project, alice):
    controller = Controller.start(project, config(budget=12, problems=("rank3",), seed=1, objective=FRONT),
                                  user=alice)
    controller.evolve()
    before = Front.of_stored(RunState.objects.get(run=controller.run).front, 2)
    edit = ledger.record_candidate(controller.run, source=KIRA3, activity="human",
                                   agent=ledger.person_agent(alice))
    evaluate_later(edit)  # the run has ended: counted into its state as its controller would have
    after = Front.of_stored(RunState.objects.get(run=controller.run).front, 2)
    point = objective.point(objective.parse(FRONT), list(edit.evaluations.all()))
    assert point[0] == -92 and point not in before.points  # Kira-3 on rank3, better than a 12-candidate run
    expected = Front(list(before.points))
    expected.add(point)
    assert set(after.points) == set(expected.points) and point in after.points

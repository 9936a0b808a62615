"""An evolution repeats a complete reduction at a second prime and point only for a rule that could be shown
as a final result (the run's best so far, or complete everywhere where the best is not) or that a person
wrote; every complete evaluation records why it was or was not repeated, and the run's best and an export's
final rule are always checked at two primes and points."""

import pytest

from evolution import second_check
from evolution.controller import Controller
from evolution.evaluation import evaluate_candidate, queue_job
from evolution.models import RunState
from evolution.scoring import COMPLETE, INCOMPLETE, ProblemVerdict
from provenance import ledger
from provenance.exports.results import best
from provenance.exports.scope import run_scope
from provenance.models import Evaluation
from tests.evolution.conftest import KIRA3, config

MADE = {second_check.FIRST, second_check.AT_LEAST_THE_BEST, second_check.COMPLETE_WHERE_THE_BEST_IS_NOT,
        second_check.BY_A_PERSON}


@pytest.mark.django_db(transaction=True)
def test_a_real_run_repeats_only_what_could_be_final_and_says_why(project, alice):
    controller = Controller.start(project, config(budget=80, problems=("rank2", "rank3"), seed=2), user=alice)
    controller.evolve()
    # One more rule from an operator, complete and below the run's best (the Laporta founder's source: the
    # run has bettered it): the kind of result the search makes most of, and no longer repeats.
    founder = controller.run.candidates.order_by("seq").first()
    assert RunState.objects.get(run=controller.run).best_candidate_id != founder.pk
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    again = ledger.record_candidate(controller.run, source=founder.source, activity="gp_mutation", agent=gp)
    queue_job(again)
    evaluate_candidate(again.pk)
    complete = list(Evaluation.objects.filter(run=controller.run, verdict=COMPLETE))
    for evaluation in complete:
        why = evaluation.details["second_check"]
        assert bool(evaluation.details.get("checks")) == (why in MADE), why
        assert all(check["agree"] for check in evaluation.details.get("checks", []))
    assert any(e.details["second_check"] == second_check.BELOW for e in complete)  # the saving
    shown = [RunState.objects.get(run=controller.run).best_candidate, best(run_scope(controller.run))]
    for candidate in shown:
        for evaluation in candidate.evaluations.all():
            assert len(evaluation.details["checks"]) == 1, evaluation.problem  # and the first prime: two


def verdicts(*scores: tuple[str, float]) -> list[ProblemVerdict]:
    return [ProblemVerdict(f"p{i}", verdict, score=score, seeds=-score if verdict == COMPLETE else None)
            for i, (verdict, score) in enumerate(scores)]


@pytest.fixture
def run_with_a_best(controller, alice):
    """The controller's run, its best so far a candidate complete on one problem, incomplete on the other."""
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    leader = ledger.record_candidate(controller.run, source="def keep(seed):\n    return True\n",
                                     activity="gp_mutation", agent=gp)
    ledger.record_evaluation(leader, problem="p0", verdict=COMPLETE, score=-10, seeds=10)
    ledger.record_evaluation(leader, problem="p1", verdict=INCOMPLETE, score=-300)
    RunState.objects.filter(run=controller.run).update(best_score=-310, best_candidate=leader)
    return controller.run, leader


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scores, made, why",
    [
        ([(COMPLETE, -100), (INCOMPLETE, -200)], True, second_check.AT_LEAST_THE_BEST),
        ([(COMPLETE, -10), (INCOMPLETE, -300)], True, second_check.AT_LEAST_THE_BEST),  # a tie
        ([(COMPLETE, -200), (COMPLETE, -150)], True, second_check.COMPLETE_WHERE_THE_BEST_IS_NOT),
        ([(COMPLETE, -20), (INCOMPLETE, -301)], False, second_check.BELOW),
    ],
)
def test_the_decision_follows_the_run_s_best_so_far(run_with_a_best, scores, made, why):
    run, _ = run_with_a_best
    decision = second_check.against_the_best(run.pk, verdicts(*scores))
    assert (decision.made, decision.why) == (made, why)


@pytest.mark.django_db
def test_below_a_best_complete_everywhere_a_rule_complete_everywhere_is_not_repeated(run_with_a_best):
    run, leader = run_with_a_best
    other = ledger.record_candidate(run, source="def keep(seed):\n    return False\n", activity="gp_mutation",
                                    agent=leader.agent)
    for problem in ("p0", "p1"):
        ledger.record_evaluation(other, problem=problem, verdict=COMPLETE, score=-50, seeds=50)
    RunState.objects.filter(run=run).update(best_score=-100, best_candidate=other)
    decision = second_check.against_the_best(run.pk, verdicts((COMPLETE, -60), (COMPLETE, -60)))
    assert (decision.made, decision.why) == (False, second_check.BELOW)


@pytest.mark.django_db
def test_the_first_rule_of_a_run_is_repeated(controller):
    decision = second_check.against_the_best(controller.run.pk, verdicts((COMPLETE, -5000)))
    assert (decision.made, decision.why) == (True, second_check.FIRST)


@pytest.mark.django_db(transaction=True)
def test_a_person_s_rule_is_repeated_where_the_same_rule_from_an_operator_is_not(controller, alice,
                                                                                 human_candidate):
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    leader = ledger.record_candidate(controller.run, source="def keep(seed):\n    return True\n",
                                     activity="gp_mutation", agent=gp)
    ledger.record_evaluation(leader, problem="rank3", verdict=COMPLETE, score=-50, seeds=50)  # beats Kira-3
    RunState.objects.filter(run=controller.run).update(best_score=-50, best_candidate=leader)
    theirs = ledger.record_candidate(controller.run, source=KIRA3, activity="gp_mutation", agent=gp)
    queue_job(theirs)
    hers = human_candidate(KIRA3)
    for candidate in (theirs, hers):
        evaluate_candidate(candidate.pk)
    (operator,), (person,) = theirs.evaluations.all(), hers.evaluations.all()
    assert operator.verdict == person.verdict == COMPLETE and operator.seeds == person.seeds == 92
    assert operator.details["second_check"] == second_check.BELOW and "checks" not in operator.details
    assert person.details["second_check"] == second_check.BY_A_PERSON
    assert [c["agree"] for c in person.details["checks"]] == [True]

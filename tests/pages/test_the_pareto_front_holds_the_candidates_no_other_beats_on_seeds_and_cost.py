"""The Pareto front of a run: its candidates complete on every problem of the run, by seeds and
multiply-adds in all (equations where some lack the count), one point for equal numbers, and on the front
those that no other candidate beats on one without losing on the other. Read in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evolution.runs import start_run
from provenance import ledger
from web.pareto import pareto, run_front

pytestmark = pytest.mark.django_db


def test_a_point_is_on_the_front_when_no_other_has_fewer_of_one_and_no_more_of_the_other():
    points = pareto({1: (92, 20000), 2: (88, 30000), 3: (120, 25000), 4: (92, 20000), 5: (100, 20000),
                     6: (92, 21000), 7: (80, 90000)})
    assert [(p.seeds, p.cost, p.candidate, p.count, p.front) for p in points] == [
        (80, 90000, 7, 1, True),
        (88, 30000, 2, 1, True),
        (92, 20000, 1, 2, True),  # candidates 1 and 4: one point, linking to the first
        (92, 21000, 6, 1, False),  # as many seeds as 1, more cost
        (100, 20000, 5, 1, False),  # as much cost as 1, more seeds
        (120, 25000, 3, 1, False),
    ]


def evaluate(candidate, problem, verdict="complete", seeds=None, madds=None):
    details = {} if madds is None else {"work": {"multiply_adds": madds}}
    ledger.record_evaluation(candidate, problem=problem, verdict=verdict, score=-(seeds or 10**5),
                             seeds=seeds, equations=None if seeds is None else 9 * seeds, details=details)


@pytest.fixture
def two_problems(project, alice, gp):
    run = start_run(project, family="trianglebox", problems=["rank2", "rank3"], engine="gp", started_by=alice)
    made = []
    for i, numbers in enumerate([((88, 1000), (92, 9000)), ((100, 500), (100, 4000)), ((90, 2000), None)]):
        candidate = ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.r <= {i}\n",
                                            activity="gp_mutation", agent=gp)
        for problem, pair in zip(run.problems, numbers, strict=True):
            if pair is None:
                evaluate(candidate, problem, verdict="incomplete")
            else:
                evaluate(candidate, problem, seeds=pair[0], madds=pair[1])
        made.append(candidate)
    return run, made


def test_only_candidates_complete_on_every_problem_are_counted_summed_over_the_problems(two_problems):
    run, (first, second, incomplete) = two_problems
    front = run_front(run)
    assert front.cost == "multiply_adds" and front.candidates == 2
    assert [(p.candidate, p.seeds, p.cost, p.front) for p in front.points] == [
        (first.pk, 180, 10000, True), (second.pk, 200, 4500, True)]


def test_equations_stand_in_where_some_candidate_has_no_multiply_adds(two_problems, gp):
    run, _ = two_problems
    older = ledger.record_candidate(run, source="def keep(seed):\n    return seed.t > 3\n",
                                    activity="gp_mutation", agent=gp)
    for problem in run.problems:
        evaluate(older, problem, seeds=95)  # recorded before work was counted
    front = run_front(run)
    assert front.cost == "equations"
    assert [(p.seeds, p.cost) for p in front.points] == [(180, 1620), (190, 1710), (200, 1800)]


def test_a_run_with_nothing_complete_or_no_cost_recorded_has_no_front(run, gp):
    candidate = ledger.record_candidate(run, source="def keep(seed):\n    return False\n",
                                        activity="gp_mutation", agent=gp)
    evaluate(candidate, "rank3", verdict="incomplete")
    assert run_front(run) is None
    bare = ledger.record_candidate(run, source="def keep(seed):\n    return True\n", activity="gp_mutation",
                                   agent=gp)
    ledger.record_evaluation(bare, problem="rank3", verdict="complete", score=-90, seeds=90)  # no equations
    assert run_front(run) is None


def test_the_front_is_read_in_one_query_however_many_candidates(two_problems, gp):
    run, _ = two_problems
    for i in range(30):
        candidate = ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.s <= {i}\n",
                                            activity="gp_mutation", agent=gp)
        for problem in run.problems:
            evaluate(candidate, problem, seeds=100 + i, madds=10**6 - i)
    with CaptureQueriesContext(connection) as queries:
        front = run_front(run)
    assert len(queries) == 1 and front.candidates == 32

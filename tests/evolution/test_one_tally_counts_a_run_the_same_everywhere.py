"""One tally (evolution.tally.RunTally) counts a run wherever it is counted: evaluations and failures, and
the best as the highest headline score (the sum over the problems), the first to reach it kept. Added to a
state row in the database, it moves the row as it moves itself."""

import pytest

from evolution.models import RunState
from evolution.runs import start_run
from evolution.scoring import COMPLETE, FAILED, INCOMPLETE, ProblemVerdict
from evolution.tally import Best, RunTally


def verdicts(*scores):
    """One verdict a problem: a number is a complete score (seeds its negative), None a failure."""
    return [
        ProblemVerdict(f"p{i}", FAILED, failure="timeout") if score is None
        else ProblemVerdict(f"p{i}", COMPLETE, score=score, seeds=-score)
        for i, score in enumerate(scores)
    ]


def test_the_best_is_the_highest_sum_and_the_first_to_reach_it():
    tally = RunTally()
    assert tally.count(1, verdicts(-50, -60)) == -110
    assert tally.count(2, verdicts(-40, None)) is None
    assert tally.count(3, verdicts(-45, -55)) == -100
    assert tally.count(4, verdicts(-30, -70)) == -100
    assert (tally.evaluations, tally.failures) == (4, 1)
    assert tally.best == Best(-100.0, 3, 100)
    assert tally.counters() == {"candidates": 0, "evaluations": 4, "failures": 1, "best_score": -100.0,
                                "best_candidate_id": 3}


def test_an_incomplete_best_has_no_seed_total():
    tally = RunTally()
    tally.count(7, [ProblemVerdict("p0", INCOMPLETE, score=-300.0, seeds=200)])
    assert tally.best == Best(-300.0, 7, None)


def test_no_best_is_no_best_columns():
    tally = RunTally(candidates=2)
    tally.count(1, verdicts(None))
    assert tally.counters() == {"candidates": 2, "evaluations": 1, "failures": 1}


@pytest.mark.django_db
def test_added_to_a_state_row_it_counts_and_beats_as_it_does_in_memory(project, alice):
    from provenance import ledger

    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    laporta = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
    first, second = (ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.r <= {i}\n",
                                             activity="literature", agent=laporta) for i in (1, 2))
    states = RunState.objects.filter(run=run)
    RunTally.of_one(first.pk, verdicts(-90)).add_to(states)
    RunTally.of_one(second.pk, verdicts(-95)).add_to(states)  # worse: counted, not best
    RunTally.of_one(second.pk, verdicts(None)).add_to(states)
    state = states.get()
    assert (state.candidates, state.evaluations, state.failures) == (3, 3, 1)
    assert (state.best_score, state.best_candidate_id) == (-90.0, first.pk)

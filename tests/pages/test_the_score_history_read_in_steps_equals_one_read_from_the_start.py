"""The run page's score history is kept between requests and goes on from the last evaluation it read: read
in steps while a run writes, it is the history read once from the start."""

import pytest
from django.core.cache import cache

from evolution.runs import start_run
from provenance import ledger
from web.progress import progress

pytestmark = pytest.mark.django_db


def fresh(run):
    cache.clear()
    return progress(run)


def test_reading_in_steps_gives_the_history_read_once(run, founder, mutate):
    better = mutate(founder, score=-100)
    steps = [progress(run)]
    mutate(better, score=-130)
    steps.append(progress(run))
    crossed = mutate(better, founder, score=-95)
    other = mutate(crossed)  # not evaluated yet: not in the history
    steps.append(progress(run))
    ledger.record_evaluation(other, problem="rank3", verdict="complete", score=-90, seeds=90)
    stepped = progress(run)
    once = fresh(run)
    assert stepped == once
    assert [score for _, score in once.best] == [-120, -100, -95, -90]
    assert once.improvements == [better.pk, crossed.pk, other.pk]
    assert [step.evaluated for step in steps] == [2, 3, 4]


def test_a_candidate_is_counted_once_all_its_problems_are_scored(project, alice, laporta):
    run = start_run(project, family="trianglebox", problems=["rank3", "rank4"], engine="gp", started_by=alice)
    first = ledger.record_candidate(run, source="def keep(seed):\n    return True\n", activity="literature",
                                    agent=laporta, island=0)
    ledger.record_evaluation(first, problem="rank3", verdict="complete", score=-50, seeds=50)
    assert progress(run).evaluated == 0  # half scored
    ledger.record_evaluation(first, problem="rank4", verdict="complete", score=-70, seeds=70)
    assert progress(run).evaluated == 1
    assert progress(run) == fresh(run)

"""`evolve --rank-growth` is stored with the run and read back by every evaluation of its candidates on the
problems it trains on; on held-out problems a rule is reduced whatever the run required of it, since what
it does there is the measure."""

import pytest
from django.core.management import call_command

from evolution import objective
from evolution.config import EvolutionConfig
from evolution.controller import Controller
from evolution.evaluation import evaluate_candidate, queue_job
from evolution.held_out import score_on
from evolution.sandbox import Limits
from provenance import ledger
from provenance.models import Evaluation, Run
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)

OVERFIT = ("def keep(seed):\n    return seed.s <= 3 - (seed.t_top - seed.t) and seed.d == 0 and "
           "seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n")


def test_evolve_stores_the_requirement_with_the_run(project, alice):
    call_command("evolve", "--family", "trianglebox", "--problem", "rank1", "--budget", "4", "--population",
                 "4", "--rank-growth", "--project", project.slug, "--user", alice.username)
    run = Run.objects.get(project=project)
    assert run.config["rank_growth"] is True
    assert EvolutionConfig.from_dict(run.config).rank_growth
    assert objective.of_run(run).rank_growth


def test_a_run_from_before_the_requirement_has_none(project, alice):
    run = Controller.start(project, config(), user=alice).run
    legacy = {k: v for k, v in run.config.items() if k != "rank_growth"}
    assert not EvolutionConfig.from_dict(legacy).rank_growth
    assert not objective.of_config(legacy).rank_growth


def test_held_out_problems_reduce_a_rule_the_training_problems_refused(project, alice):
    run = Controller.start(project, config(rank_growth=True, held_out=("rank4",)), user=alice).run
    candidate = ledger.record_candidate(run, source=OVERFIT, activity="human",
                                        agent=ledger.person_agent(alice))
    queue_job(candidate)
    evaluate_candidate(candidate.pk)
    trained = Evaluation.objects.get(candidate=candidate, problem="rank3")
    assert trained.verdict == "incomplete" and "a corner of its targets" in trained.details["rank_growth"]
    (held,) = score_on(candidate, ["rank4"], Limits())
    assert held.details["held_out"] and "rank_growth" not in held.details
    assert held.verdict == "incomplete" and held.unreduced > 0  # reduced, and found wanting

"""Records that hash and link correctly can still tell of two controllers on one run: the same step number
twice, the starting population founded twice, more candidates than the budget. `verify` names the first."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from provenance import ledger
from provenance.verify import verify
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db

LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top\n"


@pytest.fixture
def record(controller):
    """record(step=…, sample=…) or record(founder=True): a candidate as a controller records it."""
    run = controller.run
    literature = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
    gp = ledger.algorithm_agent("gp", "mutation", version="1")
    founder = ledger.record_candidate(run, source=LAPORTA, activity="literature", agent=literature,
                                      params={"founder": True})
    counter = iter(range(10**6))

    def make(**params):
        if params.pop("founder", False):
            return ledger.record_candidate(run, source=f"{KIRA3}# {next(counter)}\n", activity="literature",
                                           agent=literature, params={"founder": True})
        return ledger.record_candidate(run, source=f"{KIRA3}# {next(counter)}\n", activity="gp_mutation",
                                       agent=gp, parents=[(founder, "parent")], params=params, island=0)

    return make


def report_of(run):
    (report,) = verify(run.pk)
    return report


def test_one_controller_s_steps_verify(controller, record):
    for step in range(3):
        record(step=step)
    for sample in range(4):  # a language model's step: one candidate per sample
        record(step=3, sample=sample)
    assert report_of(controller.run).intact


def test_a_step_number_recorded_twice_is_named(controller, record):
    record(step=0)
    first = record(step=1)
    record(step=2)
    again = record(step=1)  # a second controller's step 1
    record(step=3)
    mismatch = report_of(controller.run).mismatch
    assert (mismatch.table, mismatch.id, mismatch.seq) == ("candidate", again.pk, again.seq)
    assert mismatch.reason == (f"step 1 recorded twice (first by candidate {first.pk}); "
                               "two controllers on one run?")
    with pytest.raises(CommandError, match="step 1 recorded twice"):
        call_command("verify", "--run", str(controller.run.pk))


def test_a_sample_recorded_twice_in_one_step_is_named(controller, record):
    record(step=0, sample=0)
    record(step=0, sample=1)
    again = record(step=0, sample=0)
    mismatch = report_of(controller.run).mismatch
    assert mismatch.id == again.pk and "step 0 (sample 0) recorded twice" in mismatch.reason


def test_a_population_founded_twice_is_named(controller, record):
    population = controller.config.population  # the fixture's run: 4, the literature founder among them
    for _ in range(population - 1):
        record(founder=True)
    assert report_of(controller.run).intact
    extra = record(founder=True)
    mismatch = report_of(controller.run).mismatch
    assert mismatch.id == extra.pk
    assert f"{population + 1} founders on a starting population of {population}" in mismatch.reason


def test_more_candidates_than_the_budget_are_named(controller, record):
    budget = controller.config.budget  # 16, the founder among them
    made = [record(step=step) for step in range(budget)]
    mismatch = report_of(controller.run).mismatch
    assert mismatch.id == made[-1].pk
    assert mismatch.reason.startswith(f"{budget + 1} candidates proposed on a budget of {budget}")

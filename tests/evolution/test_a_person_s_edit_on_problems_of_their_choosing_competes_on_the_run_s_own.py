"""A running evolution takes a person's edit evaluated on further problems of the family into its
population with its score on the run's problems alone; one that left out the run's problem is evaluated on
the problems chosen but never registered nor counted."""

import pytest

from evolution.dispatch import evaluate_later
from provenance import ledger
from provenance.models import RunEvent
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("problems, competes", [(["rank3", "rank4"], True), (["rank4"], False)])
def test_only_the_run_s_problems_count(controller, alice, monkeypatch, problems, competes):
    submitted = []
    real_step = controller._step

    def step_and_submit_once(dispatch):
        real_step(dispatch)
        if not submitted:
            candidate = ledger.record_candidate(controller.run, source=KIRA3, activity="human",
                                                agent=ledger.person_agent(alice), island=0,
                                                params={"problems": problems})
            evaluate_later(candidate)
            submitted.append(candidate)

    monkeypatch.setattr(controller, "_step", step_and_submit_once)
    final = controller.evolve()
    (human,) = submitted
    assert sorted(human.evaluations.values_list("problem", flat=True)) == problems
    registered = RunEvent.objects.filter(run=controller.run, kind="register", candidate=human).first()
    if competes:
        assert registered.payload["signature"] == [-92]  # Kira-3 on rank3: 92 seeds; rank4 beside
        assert final.best_candidate == human.pk and final.best_seeds == 92
    else:
        assert registered is None and final.best_candidate != human.pk
    # The budget counts the controller's own proposals; the evaluations count the edit only if it competes.
    assert final.evaluations - final.candidates == (1 if competes else 0)

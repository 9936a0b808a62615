"""A program a person submits to a running evolution is evaluated and joins its population."""

import pytest

from evolution.dispatch import evaluate_later
from provenance import ledger
from provenance.models import RunEvent
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_submitted_candidate_is_registered_in_the_program_database(controller, alice, monkeypatch):
    submitted = []
    real_step = controller._step

    def step_and_submit_once(dispatch):
        real_step(dispatch)
        if not submitted:  # while the run goes on, alice submits Kira-3 from the browser
            candidate = ledger.record_candidate(controller.run, source=KIRA3, activity="human",
                                                agent=ledger.person_agent(alice), island=0)
            evaluate_later(candidate)
            submitted.append(candidate)

    monkeypatch.setattr(controller, "_step", step_and_submit_once)
    final = controller.evolve()
    (human,) = submitted
    assert human.evaluations.get().seeds == 92
    assert RunEvent.objects.filter(run=controller.run, kind="register", candidate=human).exists()
    assert final.best_candidate == human.pk and final.best_seeds == 92

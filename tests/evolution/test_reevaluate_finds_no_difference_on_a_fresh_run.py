"""`reevaluate RUN` scores every stored candidate again: nothing differs on a fresh run, and a stored result
that no longer matches is named and makes the command fail."""

import json
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evolution.gp import LAPORTA
from evolution.management.commands import reevaluate
from provenance.models import Candidate

# The controller hands jobs out when their rows are committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fresh_run_scores_the_same_again(controller):
    controller.evolve()
    out = StringIO()
    call_command("reevaluate", controller.run.pk, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["candidates"], report["differences"]) == (16, [])


def test_a_result_that_differs_is_named_and_fails_the_command(controller, monkeypatch):
    controller.evolve()
    laporta = Candidate.objects.get(run=controller.run, activity="literature")
    real = reevaluate.score_program

    def one_seed_more_for_laporta(source, *args, **kwargs):
        verdicts = real(source, *args, **kwargs)
        return [replace(v, seeds=v.seeds + 1) for v in verdicts] if source == LAPORTA.source else verdicts

    monkeypatch.setattr(reevaluate, "score_program", one_seed_more_for_laporta)
    out = StringIO()
    with pytest.raises(CommandError, match="1 candidate") as refused:
        call_command("reevaluate", controller.run.pk, stdout=out)
    assert refused.value.returncode == 1
    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("candidate ")]
    assert line.startswith(f"candidate {laporta.pk}: ") and "6764" in line and "6765" in line

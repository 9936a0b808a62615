"""A run names the literature rules that start its population (evolve --founders): each is a candidate of
its own, recorded as literature with the paper it comes from, and the rest are random programs."""

import pytest
from django.core.management import call_command

from evolution.config import EvolutionConfig
from evolution.controller import Controller
from evolution.gp import KIRA3_FLOORED, LAPORTA
from provenance.models import Candidate, Run
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_founders_named_start_the_population_as_literature_candidates(project, alice):
    controller = Controller.start(project, config(founders=("laporta", "kira3_floored"), budget=6),
                                  user=alice)
    controller.evolve()
    first = list(Candidate.objects.filter(run=controller.run, params__founder=True).order_by("seq"))
    assert [c.source for c in first[:2]] == [LAPORTA.source, KIRA3_FLOORED.source]
    assert [c.activity for c in first] == ["literature", "literature", "random_init", "random_init"]
    assert [c.agent.identifier for c in first[:2]] == ["hep-ph/0102033", "arXiv:2505.20197"]
    assert first[1].agent.name == "Kira-3 rule, floored"
    assert first[1].params["citation"] == KIRA3_FLOORED.citation


def test_evolve_stores_the_founders_with_the_run_and_reads_them_back():
    call_command("evolve", "--family", "trianglebox", "--problem", "rank1", "--budget", "3",
                 "--population", "3", "--founders", "kira3_floored, laporta", "--verbosity", "0")
    run = Run.objects.get()
    stored = EvolutionConfig.from_dict(run.config)
    assert stored.founders == ("kira3_floored", "laporta")
    sources = list(Candidate.objects.filter(run=run).order_by("seq").values_list("source", flat=True))
    assert sources[:2] == [KIRA3_FLOORED.source, LAPORTA.source]


def test_a_run_recorded_before_founders_could_be_named_started_from_laporta():
    values = config().to_dict()
    del values["founders"]
    assert EvolutionConfig.from_dict(values).founders == ("laporta",)

"""What APS (2026) and AIP ask of an AI-use disclosure: each tool's name and version and what it did, how the
work was directed, how the outputs were verified (re-checked at a second prime and point), who took part,
and the cost — an unknown cost said to be unknown."""

import pytest

from evolution.controller import Controller
from provenance.exports import export
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db


def test_each_tool_is_named_with_its_version_and_what_it_did(story):
    text = export("disclosure", candidate=story.final.pk).content.decode().replace("\\", "")
    assert "OpenAI gpt-4o-mini version 2024-07-18: a language model that proposed programs (1 calls" in text
    assert "GP mutation version 1: a search operator" in text
    assert "directed by the people who configured and started it" in text
    assert "cost 0.00012000" in text


@pytest.mark.django_db(transaction=True)
def test_a_real_run_s_complete_results_were_rechecked_at_a_second_prime(project, alice):
    controller = Controller.start(project, config(budget=6), user=alice)
    controller.evolve()
    text = export("disclosure", run=controller.run.pk).content.decode()
    assert "re-checked at a second independent prime and random point" in text
    assert "2147483629" in text and "2147483647" in text

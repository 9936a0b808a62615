"""A run that is only its record (the ledger wrote it, no room started it: no state row) is shown as a run
not started, on every page and in the API, instead of failing."""

import pytest
from django.urls import reverse

from provenance import ledger
from tests.pages.conftest import LAPORTA

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare(project, alice, laporta):
    run = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                           title="Bare record")
    founder = ledger.record_candidate(run, source=LAPORTA, activity="literature", agent=laporta)
    return run, founder


def test_the_project_lists_it_as_created(as_alice, bare):
    run, _ = bare
    html = as_alice.get(reverse("pages:project", args=[run.project.slug])).content.decode()
    assert "Bare record" in html and "<td>created</td>" in html


def test_its_page_shows_it_created_with_nothing_counted(as_alice, bare):
    run, _ = bare
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert 'class="state-created">created<' in html
    assert "<dt>Evaluations done</dt><dd>0</dd>" in html


def test_its_candidates_and_lineage_pages_answer(as_alice, bare):
    run, founder = bare
    assert as_alice.get(reverse("pages:candidate", args=[founder.pk])).status_code == 200
    assert as_alice.get(reverse("pages:run-lineage", args=[run.pk])).status_code == 200
    graph = as_alice.get(reverse("pages:run-lineage-json", args=[run.pk])).json()
    assert [node["data"]["best"] for node in graph["nodes"]] == [False]


def test_the_api_reports_it_created(as_alice, bare):
    run, _ = bare
    summary = as_alice.get(reverse("pages:api-run", args=[run.pk])).json()
    assert (summary["status"], summary["candidates"], summary["best_candidate"]) == ("created", 0, None)
    listed = {row["id"]: row for row in as_alice.get(reverse("pages:api-runs")).json()["runs"]}
    assert listed[run.pk]["status"] == "created"

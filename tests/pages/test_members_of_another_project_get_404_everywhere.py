import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (url name, which of bob's records it takes)
PAGES = [
    ("pages:project", "slug"),
    ("pages:run", "run"),
    ("pages:run-lineage", "run"),
    ("pages:run-lineage-json", "run"),
    ("pages:candidate", "candidate"),
    ("pages:candidate-lineage", "candidate"),
    ("pages:candidate-lineage-json", "candidate"),
    ("pages:candidate-edit", "candidate"),
    ("pages:candidate-blame", "candidate"),
    ("pages:search", "slug"),
    ("pages:api-run", "run"),
    ("pages:api-run-candidates", "run"),
    ("pages:api-run-lineage", "run"),
    ("pages:api-candidate", "candidate"),
    ("pages:api-candidate-lineage", "candidate"),
]


def url_for(name, kind, other_run, other_candidate):
    arg = {"slug": other_run.project.slug, "run": other_run.pk, "candidate": other_candidate.pk}[kind]
    return reverse(name, args=[arg])


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_it_answers_404_for_every_page_of_a_foreign_project(as_alice, other_run, other_candidate, name, kind):
    assert as_alice.get(url_for(name, kind, other_run, other_candidate)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        lambda run, candidate: reverse("pages:annotate", args=["candidate", candidate.pk]),
        lambda run, candidate: reverse("pages:annotate", args=["run", run.pk]),
        lambda run, candidate: reverse("pages:candidate-edit", args=[candidate.pk]),
        lambda run, candidate: reverse("pages:reviewer-link-create", args=[run.pk]),
    ],
)
def test_it_answers_404_to_every_change_to_a_foreign_project(as_alice, other_run, other_candidate, url):
    response = as_alice.post(
        url(other_run, other_candidate), {"body": "x", "source": "def keep(s): return 1"}
    )
    assert response.status_code == 404


def test_it_answers_404_for_records_that_do_not_exist(as_alice, project):
    assert as_alice.get(reverse("pages:run", args=[10**9])).status_code == 404
    assert as_alice.get(reverse("pages:candidate", args=[10**9])).status_code == 404
    assert as_alice.get(reverse("pages:project", args=["nope"])).status_code == 404


def test_the_project_list_shows_only_the_users_projects(as_alice, project, other_project):
    page = as_alice.get(reverse("pages:projects")).content.decode()
    assert project.name in page
    assert "double box" not in page


def test_the_api_lists_only_the_users_runs(as_alice, run, other_run):
    assert [row["id"] for row in as_alice.get(reverse("pages:api-runs")).json()["runs"]] == [run.pk]

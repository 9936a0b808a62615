"""The addresses that show a run or one of its candidates, for the tests that walk all of them."""

from django.urls import reverse


def html_pages(run, candidate) -> list[str]:
    """Every page a member reads: the projects, the run's project, the run and the candidate (and who
    wrote which part of it)."""
    return [
        reverse("pages:projects"),
        reverse("pages:project", args=[run.project.slug]),
        reverse("pages:run", args=[run.pk]),
        reverse("pages:run-lineage", args=[run.pk]),
        reverse("pages:candidate", args=[candidate.pk]),
        reverse("pages:candidate-edit", args=[candidate.pk]),
        reverse("pages:candidate-lineage", args=[candidate.pk]),
        reverse("pages:candidate-blame", args=[candidate.pk]),
    ]


def json_endpoints(run, candidate) -> list[str]:
    """Every address that answers with JSON: the lineage graphs and the API."""
    return [
        reverse("pages:run-lineage-json", args=[run.pk]),
        reverse("pages:candidate-lineage-json", args=[candidate.pk]),
        reverse("pages:api-runs"),
        reverse("pages:api-run", args=[run.pk]),
        reverse("pages:api-candidate", args=[candidate.pk]),
    ]

"""Each page's title names what it shows (not just "Seedtrace"), and the search box and the edit areas
have labels a screen reader reads out."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_titles_name_the_page(as_alice, run, founder, mutate, project):
    child = mutate(founder, score=-100)
    expected = {
        reverse("pages:projects"): "Your projects",
        reverse("pages:project", args=[project.slug]): f"Runs of {project.name}",
        reverse("pages:run", args=[run.pk]): f"{run} (created) in {project.name}",
        reverse("pages:candidate", args=[child.pk]): f"Candidate {child.pk} of {run}",
        reverse("pages:candidate-blame", args=[child.pk]): f"Who wrote each part of candidate {child.pk}",
        reverse("pages:candidate-edit", args=[child.pk]): f"Edit candidate {child.pk} of {run}",
        reverse("pages:search", args=[project.slug]) + "?q=seed": f"“seed” in {project.name}",
    }
    for url, start in expected.items():
        page_title = title(as_alice.get(url).content.decode())
        assert page_title.startswith(start.replace("&", "&amp;")) and page_title.endswith(" · Seedtrace"), url


@pytest.mark.parametrize("url_name, args, field", [
    ("pages:project", "slug", "project-search"),
    ("pages:search", "slug", "search-q"),
    ("pages:candidate-edit", "pk", "edit-source"),
    ("pages:candidate-edit", "pk", "edit-rationale"),
])
def test_fields_have_labels(as_alice, project, founder, url_name, args, field):
    url = reverse(url_name, args=[project.slug if args == "slug" else founder.pk])
    html = as_alice.get(url).content.decode()
    assert f'<label for="{field}">' in html and f'id="{field}"' in html

"""Download buttons on the candidate page (its ancestry) and the run page (the whole run): the download is
the export, byte for byte; a member of another project gets 404; a reviewer may download."""

import pytest
from django.urls import reverse

from provenance.exports import FORMATS, export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_moment(monkeypatch):
    """Exports carry the moment they were made: stop the clock, so a download and an export compare."""
    from django.utils import timezone

    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_candidate_download_is_its_ancestry_export(as_alice, founder, mutate, fmt):
    child = mutate(founder, score=-100)
    response = as_alice.get(reverse("pages:candidate-export", args=[child.pk, fmt]))
    expected = export(fmt, candidate=child)
    assert response.status_code == 200
    assert response.content == expected.content
    assert response["Content-Type"] == expected.content_type
    assert response["Content-Disposition"] == f'attachment; filename="{expected.filename}"'


def test_the_run_download_is_the_whole_run_export(as_alice, run, founder):
    response = as_alice.get(reverse("pages:run-export", args=[run.pk, "jsonl"]))
    assert response.status_code == 200 and response.content == export("jsonl", run=run).content


def test_the_pages_offer_every_format(as_alice, run, founder):
    candidate_page = as_alice.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    run_page = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    for fmt in FORMATS:
        assert reverse("pages:candidate-export", args=[founder.pk, fmt]) in candidate_page
        assert reverse("pages:run-export", args=[run.pk, fmt]) in run_page


def test_a_member_of_another_project_gets_404(client, django_user_model, run, founder, other_project):
    from provenance.models import Membership

    carol = django_user_model.objects.create_user("carol")
    Membership.objects.create(project=other_project, user=carol, role=Membership.Role.OWNER)
    client.force_login(carol)
    assert client.get(reverse("pages:candidate-export", args=[founder.pk, "md"])).status_code == 404
    assert client.get(reverse("pages:run-export", args=[run.pk, "md"])).status_code == 404


def test_an_unknown_format_is_404(as_alice, run, founder):
    assert as_alice.get(reverse("pages:run-export", args=[run.pk, "docx"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, run):
    response = client.get(reverse("pages:run-export", args=[run.pk, "md"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_reviewer_may_download(client, alice, run, founder):
    owner_client = type(client)()
    owner_client.force_login(alice)
    owner_client.post(reverse("pages:reviewer-link-create", args=[run.pk]), {"label": "ref"})
    from provenance.models import ReviewerLink
    from web.reviewers import token_for

    client.get(reverse("pages:review", args=[token_for(ReviewerLink.objects.get())]))
    response = client.get(reverse("pages:candidate-export", args=[founder.pk, "md"]))
    assert response.status_code == 200 and response.content == export("md", candidate=founder).content

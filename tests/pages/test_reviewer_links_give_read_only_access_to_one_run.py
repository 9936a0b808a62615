from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from provenance import ledger
from provenance.models import Annotation, ReviewerLink
from web.reviewers import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(run, alice):
    return ReviewerLink.objects.create(
        run=run, label="referee", created_by=alice, expires_at=timezone.now() + timedelta(days=3)
    )


def open_link(client, link):
    return client.get(reverse("pages:review", args=[token_for(link)]))


def test_an_owner_creates_a_link_that_a_referee_opens(as_alice, client, run, founder):
    response = as_alice.post(
        reverse("pages:reviewer-link-create", args=[run.pk]), {"label": "ref", "days": "7"}
    )
    assert response.status_code == 200
    link = ReviewerLink.objects.get()
    assert token_for(link) in response.content.decode()
    client.logout()
    assert open_link(client, link)["Location"] == reverse("pages:run", args=[run.pk])
    assert client.get(reverse("pages:run", args=[run.pk])).status_code == 200
    assert client.get(reverse("pages:candidate", args=[founder.pk])).status_code == 200
    assert client.get(reverse("pages:run-lineage-json", args=[run.pk])).status_code == 200


def test_a_referee_reads_but_cannot_change_anything(client, link, run, founder):
    open_link(client, link)
    page = client.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    assert "Add note" not in page and "Edit and submit" not in page
    assert (
        client.post(reverse("pages:annotate", args=["candidate", founder.pk]), {"body": "x"}).status_code
        == 403
    )
    assert client.get(reverse("pages:candidate-edit", args=[founder.pk])).status_code == 403
    assert client.post(reverse("pages:reviewer-link-create", args=[run.pk])).status_code == 404
    assert not Annotation.objects.exists()


def test_a_link_opens_one_run_and_nothing_else(client, link, run, alice, project):
    second = ledger.start_run(
        project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice
    )
    open_link(client, link)
    assert client.get(reverse("pages:run", args=[second.pk])).status_code == 404
    assert client.get(reverse("pages:project", args=[project.slug])).status_code == 404


def test_a_link_stops_working_once_the_owner_revokes_it(as_alice, link, run):
    referee = Client()
    open_link(referee, link)
    assert referee.get(reverse("pages:run", args=[run.pk])).status_code == 200
    as_alice.post(reverse("pages:reviewer-link-revoke", args=[run.pk, link.pk]))
    assert referee.get(reverse("pages:run", args=[run.pk])).status_code == 404
    assert open_link(Client(), link).status_code == 404


def test_a_revoked_link_stops_a_browser_that_already_opened_it(client, link, run):
    open_link(client, link)
    ReviewerLink.objects.filter(pk=link.pk).update(revoked=True)
    assert client.get(reverse("pages:run", args=[run.pk])).status_code == 404


def test_a_link_stops_working_once_expired(client, link, run):
    open_link(client, link)
    ReviewerLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("pages:run", args=[run.pk])).status_code == 404
    assert open_link(client, link).status_code == 404


def test_a_tampered_token_is_refused(client, link):
    token = token_for(link)
    assert client.get(reverse("pages:review", args=[token[:-2] + "xx"])).status_code == 404
    forged = token.replace(str(link.pk), str(link.pk + 1), 1)
    assert client.get(reverse("pages:review", args=[forged])).status_code == 404

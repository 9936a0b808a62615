import pytest
from django.urls import reverse

from provenance.models import Annotation, Candidate

pytestmark = pytest.mark.django_db


def test_a_viewer_reads_the_pages(as_bob, run, founder):
    assert as_bob.get(reverse("pages:run", args=[run.pk])).status_code == 200
    page = as_bob.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    assert "Add note" not in page
    assert "Edit and submit" not in page


def test_a_viewer_cannot_annotate(as_bob, run, founder):
    for target, pk in [("candidate", founder.pk), ("run", run.pk)]:
        response = as_bob.post(reverse("pages:annotate", args=[target, pk]), {"body": "mine"})
        assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_a_viewer_cannot_submit_a_human_edit(as_bob, founder):
    url = reverse("pages:candidate-edit", args=[founder.pk])
    assert as_bob.get(url).status_code == 403
    assert as_bob.post(url, {"source": "def keep(seed):\n    return True\n"}).status_code == 403
    assert Candidate.objects.count() == 1


def test_a_viewer_cannot_create_reviewer_links(as_bob, run):
    assert as_bob.post(reverse("pages:reviewer-link-create", args=[run.pk])).status_code == 404
    assert not run.reviewer_links.exists()


def test_an_editor_may_annotate(client, django_user_model, project, founder):
    carol = django_user_model.objects.create_user("carol")
    project.memberships.create(user=carol, role="editor")
    client.force_login(carol)
    response = client.post(reverse("pages:annotate", args=["candidate", founder.pk]), {"body": "nice"})
    assert response.status_code == 302
    assert Annotation.objects.get().author == carol

import pytest
from django.urls import reverse

from provenance.models import Annotation

pytestmark = pytest.mark.django_db


def test_every_page_and_endpoint_redirects_to_login(client, run, founder):
    urls = [
        reverse("pages:projects"),
        reverse("pages:project", args=[run.project.slug]),
        reverse("pages:run", args=[run.pk]),
        reverse("pages:run-lineage-json", args=[run.pk]),
        reverse("pages:candidate", args=[founder.pk]),
        reverse("pages:candidate-lineage-json", args=[founder.pk]),
        reverse("pages:api-runs"),
        reverse("pages:api-run", args=[run.pk]),
        reverse("pages:api-candidate", args=[founder.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_an_anonymous_post_changes_nothing(client, run, founder):
    response = client.post(reverse("pages:annotate", args=["candidate", founder.pk]), {"body": "hi"})
    assert response.status_code == 302
    assert not Annotation.objects.exists()


def test_the_login_page_logs_a_member_in(client, django_user_model, project):
    user = django_user_model.objects.create_user("carol", password="a long passphrase 1")
    project.memberships.create(user=user, role="viewer")
    page = client.get("/login/")
    assert page.status_code == 200
    response = client.post("/login/", {"username": "carol", "password": "a long passphrase 1"})
    assert response.status_code == 302
    assert project.name in client.get("/").content.decode()

import pytest
from django.urls import reverse

from provenance.models import Annotation
from tests.pages.urls import html_pages, json_endpoints

pytestmark = pytest.mark.django_db


def test_every_page_and_endpoint_redirects_to_login(client, run, founder):
    for url in html_pages(run, founder) + json_endpoints(run, founder):
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

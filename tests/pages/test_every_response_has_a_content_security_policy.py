import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_redirects_and_errors_carry_the_policy(as_alice, client, run, founder):
    responses = [
        as_alice.get(reverse("pages:run", args=[run.pk])),
        as_alice.get(reverse("pages:candidate", args=[founder.pk])),
        as_alice.get(reverse("pages:candidate-lineage", args=[founder.pk])),
        as_alice.get(reverse("pages:run-lineage-json", args=[run.pk])),
        as_alice.get(reverse("pages:run", args=[10**9])),
    ]
    as_alice.logout()
    responses += [client.get("/login/"), client.get(reverse("pages:run", args=[run.pk]))]
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_have_no_inline_script(as_alice, run, founder):
    for url in [
        reverse("pages:run", args=[run.pk]),
        reverse("pages:candidate", args=[founder.pk]),
        reverse("pages:candidate-lineage", args=[founder.pk]),
    ]:
        html = as_alice.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert " style=" not in html and "onclick" not in html

import pytest
from django.urls import reverse

from provenance.models import Annotation, AnnotationHead

pytestmark = pytest.mark.django_db


def test_a_note_is_rendered_as_markdown_and_attributed(as_alice, founder):
    url = reverse("pages:annotate", args=["candidate", founder.pk])
    as_alice.post(url, {"body": "**Key idea**: drop `s`. See [paper](https://arxiv.org/abs/2505.20197)"})
    html = as_alice.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    assert "<strong>Key idea</strong>" in html
    assert '<a href="https://arxiv.org/abs/2505.20197" rel="noopener noreferrer nofollow">paper</a>' in html
    assert "alice" in html


def test_editing_a_note_adds_a_version_and_shows_the_latest(as_alice, founder):
    url = reverse("pages:annotate", args=["candidate", founder.pk])
    as_alice.post(url, {"body": "first thought"})
    first = Annotation.objects.get()
    as_alice.post(url, {"body": "second thought", "previous": first.pk})
    assert list(Annotation.objects.order_by("version").values_list("body", "version")) == [
        ("first thought", 1),
        ("second thought", 2),
    ]
    assert AnnotationHead.objects.get().current.body == "second thought"
    html = as_alice.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    assert "second thought" in html and "version 2" in html
    assert "first thought" not in html


def test_editing_an_old_version_is_refused(as_alice, founder):
    url = reverse("pages:annotate", args=["candidate", founder.pk])
    as_alice.post(url, {"body": "v1"})
    first = Annotation.objects.get()
    as_alice.post(url, {"body": "v2", "previous": first.pk})
    assert as_alice.post(url, {"body": "v2 again", "previous": first.pk}).status_code == 400
    assert Annotation.objects.count() == 2


def test_an_htmx_post_answers_with_the_notes_fragment(as_alice, run):
    url = reverse("pages:annotate", args=["run", run.pk])
    response = as_alice.post(url, {"body": "a note on the run"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="notes" id="notes-run-{run.pk}">')
    assert "a note on the run" in html and "<html" not in html


def test_an_empty_note_is_refused(as_alice, founder):
    response = as_alice.post(reverse("pages:annotate", args=["candidate", founder.pk]), {"body": "  "})
    assert response.status_code == 400


def test_notes_cannot_target_unknown_kinds(as_alice, founder):
    response = as_alice.post(reverse("pages:annotate", args=["agent", founder.agent_id]), {"body": "x"})
    assert response.status_code == 404

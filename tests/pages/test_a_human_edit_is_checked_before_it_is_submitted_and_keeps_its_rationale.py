"""The edit form checks the text as it is typed (an htmx POST answering whether it reads as Python and
passes the sandbox's static check), labels its fields, and records the person's rationale with the edit."""

import pytest
from django.urls import reverse

from provenance.models import Candidate

pytestmark = pytest.mark.django_db


def check(client, founder, source):
    url = reverse("pages:candidate-edit-check", args=[founder.pk])
    return client.post(url, {"source": source}, HTTP_HX_REQUEST="true").content.decode()


@pytest.mark.parametrize("source, said", [
    ("def keep(seed):\n    return seed.r <= 2\n", "Reads as Python and passes the sandbox"),
    ("def keep(seed):\n    return seed.r <=\n", "not valid Python"),
    ("import os\ndef keep(seed):\n    return True\n", "the sandbox would refuse it"),
    ("def keep(seed):\n    return '<script>'  (\n", "not valid Python"),
])
def test_the_live_check_says_whether_the_text_would_run(as_alice, founder, source, said):
    answer = check(as_alice, founder, source)
    assert said in answer and "<script>" not in answer


def test_a_viewer_cannot_use_the_check(as_bob, founder):
    url = reverse("pages:candidate-edit-check", args=[founder.pk])
    assert as_bob.post(url, {"source": "x"}).status_code in (403, 404)


def test_the_form_labels_its_fields_and_checks_as_you_type(as_alice, founder):
    html = as_alice.get(reverse("pages:candidate-edit", args=[founder.pk])).content.decode()
    assert '<label for="edit-source">' in html and '<label for="edit-rationale">' in html
    assert f'hx-post="{reverse("pages:candidate-edit-check", args=[founder.pk])}"' in html


def test_the_rationale_is_recorded_with_the_edit(as_alice, founder):
    source = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"
    as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]),
                  {"source": source, "rationale": "drop the extra <r> layer"})
    edit = Candidate.objects.get(activity="human_edit")
    assert edit.params == {"rationale": "drop the extra <r> layer"}
    html = as_alice.get(reverse("pages:candidate", args=[edit.pk])).content.decode()
    assert '<th scope="row">Rationale</th><td>drop the extra &lt;r&gt; layer</td>' in html

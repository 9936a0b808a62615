"""A person's edit that no parser can read (7 KB of minus signs, 400 nested ones, more than the form takes)
gets the form back with the reason and nothing written, never a server error; a program that parses but
that the sandbox's policy refuses is recorded and its evaluation fails with the reason."""

import pytest
from django.urls import reverse

from provenance.models import Candidate

pytestmark = pytest.mark.django_db

UNREADABLE = {
    "7 KB of minus signs": ("def keep(seed):\n    return " + "-" * 7000 + "seed.t <= 1\n",
                            "nested too deeply to parse"),
    "400 nested minus signs": ("def keep(seed):\n    return " + "-" * 400 + "seed.t <= 1\n",
                               "line 2: nested more than 100 levels deep"),
    "400 nested nots": ("def keep(seed):\n    return " + "not " * 400 + "True\n",
                        "line 2: nested more than 100 levels deep"),
    "more than the form takes": ("def keep(seed):\n    return True\n" + "#" * 25_000,
                                 "a program has at most 20000 characters"),
}


@pytest.mark.parametrize(("source", "reason"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_edit_is_refused_in_the_form_with_nothing_written(as_alice, founder, source, reason):
    response = as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]), {"source": source})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Candidate.objects.count() == 1


def test_a_program_the_policy_refuses_is_recorded_as_failed_with_the_reason(
    as_alice, founder, django_capture_on_commit_callbacks
):
    source = "import os\n\ndef keep(seed):\n    return seed.d == 0\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]), {"source": source})
    edit = Candidate.objects.exclude(pk=founder.pk).get()
    assert response.status_code == 302 and edit.source == source
    evaluation = edit.evaluations.get()
    assert evaluation.verdict == "failed" and evaluation.failure == "refused"
    assert "import" in evaluation.error


def test_nesting_a_person_may_write_is_accepted_and_evaluated(
    as_alice, founder, django_capture_on_commit_callbacks
):
    source = "def keep(seed):\n    return " + "-" * 40 + "seed.d == 0\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]), {"source": source})
    assert response.status_code == 302
    assert Candidate.objects.exclude(pk=founder.pk).get().evaluations.get().verdict != "failed"

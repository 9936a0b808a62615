"""A running run whose controller has gone silent (killed, its machine or database gone) says so, and how to
go on, on the run page, in the API and on the command line; one whose controller beats shows who it is."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evolution.models import RunState

pytestmark = pytest.mark.django_db


def running(run, seconds_silent: float) -> None:
    RunState.objects.filter(run=run).update(
        status="running", controller="lab-3:4242", controller_token="abc:1",
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_silent),
    )


def runs_command(run) -> str:
    out = StringIO()
    call_command("runs", str(run.pk), stdout=out)
    return out.getvalue()


def test_a_lost_controller_is_shown_with_the_command_that_continues_the_run(as_alice, run, founder):
    running(run, 84)
    resume = f"evolve --resume {run.pk}"

    lost = re.compile(rf"controller lost 8[4-9] s ago — continue with `{resume}`")  # 84 s, and the test's own

    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert re.search(rf"controller lost 8[4-9] s ago — continue with <code>{resume}</code>", html)
    fragment = as_alice.get(reverse("pages:run", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "controller lost" in fragment and 'hx-trigger="every 3s"' in fragment  # a resume would show

    data = as_alice.get(reverse("pages:api-run", args=[run.pk])).json()
    assert data["status"] == "running" and lost.fullmatch(data["message"])
    assert data["controller"]["lost"] is True and data["controller"]["name"] == "lab-3:4242"
    listed = {row["id"]: row for row in as_alice.get(reverse("pages:api-runs")).json()["runs"]}
    assert listed[run.pk]["controller"]["lost"] is True

    assert lost.search(runs_command(run))


def test_a_live_controller_is_named_and_not_called_lost(as_alice, run, founder):
    running(run, 2)
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert re.search(r"lab-3:4242, heard from [2-6] s ago", html) and "controller lost" not in html
    data = as_alice.get(reverse("pages:api-run", args=[run.pk])).json()
    assert data["controller"]["name"] == "lab-3:4242" and data["controller"]["lost"] is False
    assert 2 <= data["controller"]["heard_from_seconds_ago"] < 7
    assert "controller lost" not in data["message"]
    line = runs_command(run)
    assert re.search(r"controller lab-3:4242 heard from [2-6] s ago", line) and "lost" not in line


def test_an_ended_run_shows_no_controller(as_alice, run, founder):
    running(run, 500)
    message = f"stopped by SIGTERM; continue with `evolve --resume {run.pk}`"
    RunState.objects.filter(run=run).update(status="stopped", controller_token=None, message=message)
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert "controller lost" not in html and "stopped by SIGTERM" in html
    assert as_alice.get(reverse("pages:api-run", args=[run.pk])).json()["controller"] is None


def test_a_referee_sees_the_controller_lost_but_not_the_lab_s_machine(client, run, founder, alice):
    from provenance.models import ReviewerLink
    from web.reviewers import token_for

    link = ReviewerLink.objects.create(run=run, label="referee", created_by=alice,
                                       expires_at=timezone.now() + timedelta(days=3))
    client.get(reverse("pages:review", args=[token_for(link)]))
    running(run, 84)
    html = client.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert "controller lost" in html and "lab-3" not in html
    data = client.get(reverse("pages:api-run", args=[run.pk])).json()
    assert (data["controller"]["name"], data["controller"]["lost"]) == ("", True)
    assert "lab-3" not in str(data)

"""Search events (island choices, samples, registrations, resets) are records on the run's chain."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from provenance import ledger
from provenance.errors import LinkError, SecretError
from provenance.models import RunEvent
from provenance.verify import verify


@pytest.mark.django_db
def test_events_are_appended_in_order_and_verify(run, founder):
    first, second = ledger.record_events(run, [
        ("register", {"island": None, "signature": [-92], "length": 12}, founder),
        ("sample", {"island": 1, "program_ids": [founder.pk], "draw": 3}, None),
    ])
    assert (first.seq, second.seq) == (founder.seq + 1, founder.seq + 2)
    assert second.prev_hash == first.hash
    assert [e.kind for e in RunEvent.objects.filter(run=run).order_by("seq")] == ["register", "sample"]
    assert all(report.intact for report in verify(run.pk))


@pytest.mark.django_db
def test_an_event_cannot_be_changed_afterwards(run, founder):
    (event,) = ledger.record_events(run, [("register", {"island": 0}, founder)])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE provenance_runevent SET kind = 'reset' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_an_event_about_another_runs_candidate_is_refused(run, founder, project, alice):
    other = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    with pytest.raises(LinkError):
        ledger.record_events(other, [("register", {}, founder)])
    assert not RunEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_payload_with_a_secret_is_refused(run):
    with pytest.raises(SecretError):
        ledger.record_events(run, [("sample", {"api_key": "sk-123"}, None)])

import pytest

from provenance import ledger
from provenance.models import Annotation, AnnotationHead, ChainHead
from provenance.verify import verify

pytestmark = pytest.mark.django_db


def test_an_edit_is_a_new_version_and_the_thread_points_at_it(run, founder, alice, bob):
    first = ledger.annotate(founder, "Laporta's rule, as in **the paper**", alice)
    second = ledger.annotate(founder, "Laporta's rule, r ≤ r_top + 1", bob, previous=first)
    assert (first.version, second.version, second.previous) == (1, 2, first)
    thread = AnnotationHead.objects.get(first=first)
    assert thread.current == second
    assert (thread.target_type, thread.target_id) == ("candidate", founder.pk)
    assert Annotation.objects.get(pk=first.pk).body == "Laporta's rule, as in **the paper**"  # still there
    assert first.run_id == run.pk and second.prev_hash == first.hash  # on the run's chain, in order


def test_a_note_on_an_agent_goes_on_the_global_chain_and_verifies(run, laporta, alice):
    global_head = ChainHead.objects.get(name="global").hash
    note = ledger.annotate(laporta, "The rule of hep-ph/0102033", alice)
    assert note.run_id is None and note.prev_hash == global_head
    note_on_run = ledger.annotate(run, "overnight run", alice)
    assert note_on_run.run_id == run.pk
    assert all(report.intact for report in verify())


def test_a_note_on_a_note_is_refused(founder, alice):
    note = ledger.annotate(founder, "x", alice)
    with pytest.raises(ValueError):
        ledger.annotate(note, "y", alice)

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from provenance import ledger
from provenance.immutability import triggers_dropped
from provenance.models import ChainHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def lineage(run, founder, mutate):
    first = mutate(founder)
    second = mutate(first, founder)
    ledger.record_evaluation(second, problem="rank3", verdict="complete", score=-92, seeds=92, seconds=0.25)
    return founder, first, second


def behind_the_triggers_back(sql, *params):
    with triggers_dropped(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify(*args):
    from io import StringIO

    out = StringIO()
    call_command("verify", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_intact_ledger_passes_and_prints_the_chain_heads(run, lineage):
    out = verify()
    evaluation = run.evaluations.get()  # the last record of the run's chain
    assert "2 chain(s) intact" in out
    assert f"run:{run.pk}" in out and f"seq {evaluation.seq}" in out and evaluation.hash in out
    assert ChainHead.objects.get(name="global").hash in out


def test_a_one_byte_change_in_a_program_is_named(run, lineage):
    _, first, _ = lineage
    behind_the_triggers_back(
        "UPDATE provenance_candidate SET source = REPLACE(source, '<= 0', '<= 1') WHERE id = %s", first.pk
    )
    with pytest.raises(CommandError) as refused:
        verify()
    assert f"candidate {first.pk} (chain run:{run.pk}, seq {first.seq}): content hash mismatch" in str(
        refused.value
    )


def test_a_changed_number_in_an_evaluation_is_named(run, lineage):
    evaluation = run.evaluations.get()
    behind_the_triggers_back("UPDATE provenance_evaluation SET seeds = 88 WHERE id = %s", evaluation.pk)
    with pytest.raises(CommandError, match=f"evaluation {evaluation.pk} .*content hash mismatch"):
        verify("--run", str(run.pk))


def test_a_rewritten_hash_is_named(run, lineage):
    _, first, _ = lineage
    fake = "0" * 64
    behind_the_triggers_back("UPDATE provenance_candidate SET hash = %s WHERE id = %s", fake, first.pk)
    with pytest.raises(CommandError, match=f"candidate {first.pk} .*content hash mismatch"):
        verify()


def test_a_deleted_record_leaves_a_sequence_gap(run, lineage):
    _, first, second = lineage
    behind_the_triggers_back("DELETE FROM provenance_edge WHERE child_id = %s", first.pk)
    with pytest.raises(CommandError, match=f"candidate {second.pk} .*sequence gap"):
        verify()


def test_a_deleted_last_record_is_caught_by_the_chain_head(run, lineage):
    behind_the_triggers_back("DELETE FROM provenance_evaluation")
    with pytest.raises(CommandError, match=rf"chainhead run:{run.pk} .*sequence gap"):
        verify()


def test_a_changed_agent_is_named_on_the_global_chain(run, lineage, gp):
    behind_the_triggers_back("UPDATE provenance_agent SET version = '2' WHERE id = %s", gp.pk)
    with pytest.raises(
        CommandError, match=f"agent {gp.pk} \\(chain global, seq {gp.seq}\\): content hash mismatch"
    ):
        verify()


def test_a_reordered_link_is_named(run, lineage):
    _, first, second = lineage
    behind_the_triggers_back(
        "UPDATE provenance_candidate SET prev_hash = %s WHERE id = %s", run.hash, second.pk
    )
    with pytest.raises(CommandError, match=f"candidate {second.pk} .*broken link to the previous record"):
        verify()


def test_verify_refuses_an_unknown_run(db):
    with pytest.raises(CommandError, match="no run 999"):
        verify("--run", "999")

"""`evolve --objective` scores the run by that objective: it is in the run's configuration and in each
evaluation it scored, its exports name it, and `reevaluate` scores the run by it again, names it, and finds
nothing different; an objective that uses wall time is named as one whose scores are not compared. A bad
objective is refused before anything is written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evolution.models import RunState
from provenance.exports.transcript import md
from provenance.models import Evaluation, Run

pytestmark = pytest.mark.django_db(transaction=True)  # the controller hands jobs out once committed

MIX = "seeds+0.001*multiply_adds"


def evolve(alice, objective: str) -> Run:
    call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "8", "--population",
                 "4", "--seed", "1", "--user", alice.username, "--objective", objective, "--json", "-v0",
                 stdout=StringIO())
    return Run.objects.latest("pk")


def reevaluate(run: Run) -> dict:
    out = StringIO()
    call_command("reevaluate", run.pk, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_run_and_its_evaluations_are_scored_by_the_objective_and_score_the_same_again(project, alice):
    run = evolve(alice, "0.001*multiply_adds + seeds")
    assert run.config["objective"] == MIX
    evaluations = list(Evaluation.objects.filter(run=run))
    complete = [e for e in evaluations if e.verdict == "complete"]
    assert complete and all(e.details["objective"] == MIX for e in evaluations if e.score is not None)
    for e in complete:
        assert e.score == pytest.approx(-(e.seeds + 0.001 * e.details["work"]["multiply_adds"]))
    others = [e.score for e in evaluations if e.verdict == "incomplete"]
    assert all(score < min(e.score for e in complete) for score in others)
    assert RunState.objects.get(run=run).best_score == max(e.score for e in complete)
    report = reevaluate(run)
    assert (report["objective"], report["scores_compared"], report["differences"]) == (MIX, True, [])
    out = StringIO()
    call_command("reevaluate", run.pk, stdout=out)
    assert f"0 differ (objective {MIX})" in out.getvalue()


def test_the_run_s_exports_name_its_objective(project, alice, tmp_path):
    run = evolve(alice, MIX)
    for fmt, said in (("md", f"- **Objective**: {md(MIX)}"), ("jsonl", f'"objective":"{MIX}"')):
        path = tmp_path / f"run.{fmt}"
        call_command("export", "--run", str(run.pk), "--format", fmt, "-o", str(path), stderr=StringIO())
        assert said in path.read_text(), fmt


def test_a_run_scored_by_wall_time_is_reevaluated_without_comparing_its_scores(project, alice):
    run = evolve(alice, "seeds+100*elimination_seconds")
    report = reevaluate(run)
    assert (report["objective"], report["scores_compared"], report["differences"]) == (
        "seeds+100*elimination_seconds", False, [])


def test_a_run_scored_by_seeds_records_it_in_its_configuration_only(project, alice):
    run = evolve(alice, "seeds")
    assert run.config["objective"] == "seeds"
    assert not any("objective" in e.details for e in Evaluation.objects.filter(run=run))
    assert reevaluate(run)["objective"] == "seeds"


@pytest.mark.parametrize("objective, message", [
    ("seeds+", "expected one of"), ("seeds+time", "unknown term 'time'"), ("os.system", "unexpected"),
])
def test_a_bad_objective_is_refused_and_nothing_is_recorded(alice, objective, message):
    with pytest.raises(CommandError, match=message):
        call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "8",
                     "--objective", objective)
    assert Run.objects.count() == 0

"""`evolve` refuses bad input with a message that names the problem, before anything is written."""

import pytest
from django.core.management import CommandError, call_command

from provenance.models import Candidate, Project, Run

pytestmark = pytest.mark.django_db

GOOD = ["--family", "trianglebox", "--problem", "rank3", "--budget", "8"]


def with_(option: str, value: str) -> list[str]:
    args = list(GOOD)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


@pytest.mark.parametrize("args, message", [
    (with_("--family", "nosuchfamily"), "no family file 'nosuchfamily'"),
    (with_("--problem", "rank3,rank9"), "no problem named 'rank9'"),
    (with_("--budget", "0"), "budget must be a positive integer, got 0"),
    (with_("--budget", "-5"), "budget must be a positive integer"),
    (["--family", "trianglebox"], "--family and --budget are required"),
    (with_("--workers", "0"), "workers must be a positive integer"),
    (with_("--population", "0"), "population must be a positive integer"),
    (with_("--islands", "0"), "num_islands must be an integer >= 1"),
    (with_("--cap", "lots"), "cap must be 'laporta', 'default' or a positive number"),
    (with_("--cap", "0"), "cap must be"),
    (with_("--user", "mallory"), "no user 'mallory'"),
    (with_("--minutes", "0"), "--minutes must be positive"),
    (with_("--founders", "laporta,fire"), "no literature rule named 'fire'"),
    (with_("--founders", "kira3,kira3"), "founders must name each rule once"),
    (with_("--founders", " , "), "founders must name each rule once, got none"),
    (with_("--founders", "laporta,kira3,kira3_floored") + ["--population", "2"],
     "3 founders do not fit a starting population of 2"),
    (["--resume", "999"], "no run 999"),
])
def test_bad_input_is_refused_by_name_and_nothing_is_recorded(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("evolve", *args)
    assert (Run.objects.count(), Candidate.objects.count(), Project.objects.count()) == (0, 0, 0)


def test_a_finished_run_is_not_resumed(project):
    from evolution.controller import Controller
    from tests.evolution.conftest import config

    run = Controller.start(project, config()).run
    run.state.status = run.state.Status.FINISHED
    run.state.save()
    with pytest.raises(CommandError, match=f"run {run.pk} has finished"):
        call_command("evolve", "--resume", str(run.pk))
    assert Candidate.objects.count() == 0

"""`evolve --user` records the run where that person looks: their only project, a project they name (made
for them when new), or a new one named after them; it prints the run's page under SEEDTRACE_BASE_URL."""

import json

import pytest
from django.core.management import CommandError, call_command

from evolution.projects import NoProject, project_for_run
from provenance.models import Membership, Project, Run

pytestmark = pytest.mark.django_db


def test_a_person_s_only_project_is_the_default(project, alice):
    assert project_for_run(None, alice).project == project


def test_a_person_with_no_project_gets_one_named_after_them_that_they_own(django_user_model):
    carol = django_user_model.objects.create_user("carol")
    chosen = project_for_run(None, carol)
    assert (chosen.created, chosen.project.slug, chosen.project.role_of(carol)) == (True, "carol", "owner")


def test_a_new_named_project_is_owned_by_the_person(alice):
    chosen = project_for_run("fresh", alice)
    assert (chosen.created, chosen.project.role_of(alice)) == (True, "owner")


@pytest.mark.parametrize("slug, message", [
    ("trianglebox", "bob is not an owner or editor of project 'trianglebox'"),  # bob only views it
    (None, r"bob may write to several projects \(doublebox, second\): name one with --project"),
    ("Not A Slug", "is not a slug"),
])
def test_a_project_the_person_cannot_write_to_or_cannot_tell_apart_is_refused(project, other_project, bob,
                                                                               slug, message):
    second = Project.objects.create(slug="second", name="second")
    Membership.objects.create(project=second, user=bob, role=Membership.Role.EDITOR)
    with pytest.raises(NoProject, match=message):
        project_for_run(slug, bob)


def test_without_a_person_or_project_the_command_warns_that_nobody_will_see_the_run():
    chosen = project_for_run(None, None)
    assert chosen.project.slug == "default" and "no members" in chosen.notice


@pytest.mark.django_db(transaction=True)
def test_evolve_puts_the_run_in_alice_s_project_and_prints_its_page(project, alice, capsys, settings):
    settings.SEEDTRACE_BASE_URL = "https://seeds.example.org"
    call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "4", "--population",
                 "4", "--user", "alice", "--json")
    out = capsys.readouterr()
    summary = json.loads(out.out)
    run = Run.objects.get(pk=summary["run"])
    assert run.project == project
    assert summary["url"] == f"https://seeds.example.org/runs/{run.pk}/"
    assert f"run {run.pk} in project 'trianglebox': https://seeds.example.org/runs/{run.pk}/" in out.err


def test_a_refused_project_writes_nothing(project, bob):
    with pytest.raises(CommandError, match="bob is not an owner or editor"):
        call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "4",
                     "--user", "bob", "--project", "trianglebox")
    assert Run.objects.count() == 0

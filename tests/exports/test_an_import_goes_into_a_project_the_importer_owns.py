"""An import names the project it goes into and the person importing; only an owner of that project may, and a
refusal writes nothing."""

import pytest
from django.core.management import CommandError, call_command

from provenance.models import Membership, Run
from tests.exports.archives import archive_of, import_file, refused, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(story, tmp_path):
    return archive_of(story.run, tmp_path)


@pytest.mark.parametrize(
    "target, importer, why",
    [
        ("trianglebox", "bob", "bob is a viewer of it: only an owner of project 'trianglebox' may import"),
        ("doublebox", "alice", "alice is not a member: only an owner of project 'doublebox' may import"),
        ("nowhere", "bob", "no project 'nowhere' here"),
        ("doublebox", "mallory", "no user 'mallory' here"),
    ],
    ids=["viewer", "non-member", "unknown project", "unknown user"],
)
def test_anyone_but_an_owner_is_refused_and_nothing_is_written(path, other_project, target, importer, why):
    message = refused(path, target, importer)
    assert why in message and message.endswith("nothing was imported")


def test_an_editor_is_refused_too(path, project, django_user_model):
    carol = django_user_model.objects.create_user("carol")
    Membership.objects.create(project=project, user=carol, role=Membership.Role.EDITOR)
    assert "carol is an editor of it" in refused(path, "trianglebox", "carol")


def test_the_service_refuses_before_it_reads_a_line(project, bob):
    from provenance.exports.loader import ImportRefused, load

    before = snapshot()

    class Unread:
        def readline(self, limit):
            raise AssertionError("the archive was read")

    with pytest.raises(ImportRefused):
        load(Unread(), project=project, user=bob)
    assert snapshot() == before


def test_both_the_project_and_the_user_are_required(path, other_project):
    for arguments in (["--project", "doublebox"], ["--user", "bob"]):
        with pytest.raises(CommandError, match="required"):
            call_command("import", str(path), *arguments)


def test_the_owner_gets_a_new_run_in_that_project(path, other_project, bob):
    out = import_file(path, "doublebox", "bob")
    run = Run.objects.get(project=other_project)
    assert f"as run {run.pk} in project doublebox" in out

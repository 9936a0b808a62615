"""The people an archive names are names here ("alice (imported)"), never accounts of this server: not the
account that happens to have their id or username, and no account made for them."""

import pytest
from django.contrib.auth import get_user_model

from provenance import ledger
from provenance.exports.loader import load
from provenance.models import Agent, Annotation, Candidate, Edge, Run
from provenance.verify import verify
from tests.exports.archives import dump, import_file, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(story, alice, tmp_path):
    """alice's run, with a program alice edited by hand (a person agent: her account here)."""
    ledger.record_candidate(
        story.run,
        source="def keep(seed):\n    return seed.r <= 2\n",
        activity="human_edit",
        agent=ledger.person_agent(alice),
        parents=[(story.final, Edge.Role.HUMAN_EDIT_OF)],
    )
    path = tmp_path / "run.jsonl"
    path.write_bytes(dump(rows_of(story.run)))
    return path


NAMES = ["alice (imported)", "bob (imported)", "bob (imported)"]


def new_run(project) -> Run:
    return Run.objects.get(project=project)


def test_notes_the_run_and_programs_name_the_archived_people(archive, other_project, bob):
    accounts = get_user_model().objects.count()
    import_file(archive, "doublebox", "bob")

    run = new_run(other_project)
    assert run.started_by is None and run.archived["started_by"] == "alice (imported)"
    notes = Annotation.objects.filter(run=run)
    assert notes.count() == 3 and not notes.filter(author__isnull=False).exists()
    assert sorted(note.author_name for note in notes) == NAMES
    edited = Candidate.objects.get(run=run, activity="human_edit")
    assert edited.agent.kind == "person" and edited.agent.user is None
    assert edited.agent.name == "Alice <b>\\input{/etc/passwd} $_^&%#~ \x1b[31m 🙂</b> (imported)"
    assert edited.agent.identifier == "imported:alice"
    assert get_user_model().objects.count() == accounts
    assert all(report.intact for report in verify())


def test_the_accounts_with_the_archived_ids_and_usernames_get_nothing(archive, other_project, alice, bob):
    # The archive names alice and bob by the very ids and usernames they have here (it came from here).
    def theirs():
        return (
            Annotation.objects.filter(author__in=[alice, bob]).count(),
            Run.objects.filter(started_by__in=[alice, bob]).count(),
            set(Agent.objects.filter(user__isnull=False).values_list("pk", flat=True)),
        )

    before = theirs()
    import_file(archive, "doublebox", "bob")
    assert theirs() == before


def test_a_user_id_held_here_by_someone_else_is_not_attributed_to_them(archive, other_project, bob):
    # Formerly: refused ("user id … is 'mallory' here"). Now ids of archived users mean nothing here.
    mallory = get_user_model().objects.create_user("mallory")
    import_file(archive, "doublebox", "bob")
    assert not Annotation.objects.filter(author=mallory).exists()
    assert not Agent.objects.filter(user=mallory).exists()


def test_a_reimported_name_stays_one_name(archive, other_project, project, bob, alice):
    import_file(archive, "doublebox", "bob")
    again = dump(rows_of(new_run(other_project)))

    (run,) = load(again.splitlines(keepends=True), project=project, user=alice).runs.values()

    assert run.archived["started_by"] == "alice (imported)"
    names = sorted(note.author_name for note in Annotation.objects.filter(run=run))
    assert names == NAMES
    assert Candidate.objects.get(run=run, activity="human_edit").agent.identifier == "imported:alice"

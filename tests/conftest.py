"""Shared fixtures: personas (alice owns a project, bob views it and owns another), trigger-aware flush."""

import os

import pytest
from django.db.backends.base.operations import BaseDatabaseOperations
from hypothesis import HealthCheck, settings

from provenance.immutability import triggers_dropped
from provenance.models import Membership, Project

# The fuzz tests: the same examples on every CI run (a red CI names an input anyone can replay), and no
# per-example deadline (this 2-core machine is shared with worker processes). HYPOTHESIS_PROFILE=explore
# searches afresh with ten times the examples.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("explore", parent=settings.get_profile("ci"), derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_triggers():
    """Transactional tests empty every table afterwards (DELETE on SQLite, TRUNCATE on PostgreSQL), which the
    append-only triggers refuse: drop them for the flush alone."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with triggers_dropped(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def alice(django_user_model):
    # No password: hashing one costs about a second.
    return django_user_model.objects.create_user("alice", "alice@example.org")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.org")


@pytest.fixture
def project(alice, bob):
    project = Project.objects.create(name="Triangle-box seeds", slug="trianglebox")
    Membership.objects.create(project=project, user=alice, role=Membership.Role.OWNER)
    Membership.objects.create(project=project, user=bob, role=Membership.Role.VIEWER)
    return project


@pytest.fixture
def other_project(bob):
    project = Project.objects.create(name="Bob's double box", slug="doublebox")
    Membership.objects.create(project=project, user=bob, role=Membership.Role.OWNER)
    return project

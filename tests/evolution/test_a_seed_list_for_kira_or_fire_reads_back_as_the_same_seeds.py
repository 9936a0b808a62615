"""`manage.py seeds` writes the seeds a rule selects in Kira's and FIRE's notation; reading either back
selects exactly the seeds the solver selects with that rule (92 for Kira-3 on rank3, as published)."""

from io import StringIO

import pytest
from django.core.management import call_command

from evolution.runs import start_run
from provenance import ledger
from solver.family import load_family
from solver.literature import KIRA3
from solver.rules import select
from solver.score import pool_of
from solver.seedlist import read_fire, read_kira

pytestmark = pytest.mark.django_db


def seeds(**options) -> str:
    out = StringIO()
    call_command("seeds", problem="rank3", stdout=out, **options)
    return out.getvalue()


def kira3_seeds() -> set[tuple]:
    family = load_family("trianglebox")
    pool = pool_of(family, family.problem("rank3"))
    return {tuple(row) for row in pool.indices[select(pool, KIRA3.keep)].tolist()}


def test_the_kira_list_reads_back_as_the_rule_s_seeds():
    family, rows = read_kira(seeds(rule="kira3", family="trianglebox", format="kira"))
    assert family == "trianglebox"
    assert {tuple(row) for row in rows.tolist()} == kira3_seeds() and len(rows) == 92


def test_the_fire_list_reads_back_as_the_rule_s_seeds():
    rows = read_fire(seeds(rule="kira3", family="trianglebox", format="fire"))
    assert {tuple(row) for row in rows.tolist()} == kira3_seeds() and len(rows) == 92


def test_a_candidate_s_rule_runs_in_the_sandbox_and_gives_the_same_list(project, alice):
    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    candidate = ledger.record_candidate(run, source=KIRA3.source, activity="human",
                                        agent=ledger.person_agent(alice))
    _, rows = read_kira(seeds(candidate=candidate.pk))
    assert {tuple(row) for row in rows.tolist()} == kira3_seeds()

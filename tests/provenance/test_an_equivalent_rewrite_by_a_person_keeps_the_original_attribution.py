"""A person who rewrites a rule into an equivalent form (the same normalised program: ast_hash) takes no
credit for the operators' work; a person who changes the program is credited with exactly the change."""

import random

import pytest

from evolution import gp
from provenance import ledger
from provenance.attribution import blame

pytestmark = pytest.mark.django_db

REWRITE = '''def rule(s):
    """Both bounds, checked by hand."""
    # the rank bound first
    return (s.r <= s.r_top) and \\
        (s.s <= s.s_pinched + 3)
'''


@pytest.fixture
def mutant(run, laporta):
    """Laporta's rule and a real GP mutation of it (a new branch grafted in: `… <= seed.s_pinched + 3`)."""
    founder = ledger.record_candidate(
        run, source="def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n",
        activity="literature", agent=laporta,
    )
    child = gp.mutate(gp.Individual.from_source(founder.source, founder.pk), random.Random(0), "uniform")
    assert child.source == REWRITE_OF
    return ledger.record_candidate(
        run, source=child.source, activity="gp_mutation",
        agent=ledger.algorithm_agent("gp", child.operator_call.operator, version="gp-1"),
        parents=[(founder, "parent")], params=child.operator_call.as_record(),
    )


REWRITE_OF = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_pinched + 3\n"


def edit(run, alice, parent, source):
    return ledger.record_candidate(
        run, source=source, activity="human_edit", agent=ledger.person_agent(alice),
        parents=[(parent, "human_edit_of")],
    )


def test_a_reformatted_renamed_commented_copy_keeps_every_origin(run, alice, mutant):
    rewrite = edit(run, alice, mutant, REWRITE)
    assert rewrite.ast_hash == mutant.ast_hash

    before, after = blame(mutant.pk), blame(rewrite.pk)

    assert [part.origin for part in after.parts] == [part.origin for part in before.parts]
    assert ("alice", "person") not in after.contributions()
    credited = {part.text: part.origin.agent for part in after.parts}
    assert credited["s.s_pinched + 3"] == "gp mutation.uniform"
    assert credited["s.r <= s.r_top"] == "Laporta rule"


def test_a_real_change_is_the_persons_and_nothing_else_is(run, alice, mutant):
    changed = edit(run, alice, mutant, REWRITE.replace("s.s_pinched + 3", "s.s_pinched + 4"))

    mine = [part.text for part in blame(changed.pk).parts if part.origin.candidate == changed.pk]

    assert mine == ["4"]

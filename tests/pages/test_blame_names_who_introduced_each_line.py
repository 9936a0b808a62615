import pytest
from django.urls import reverse

from provenance import ledger
from web.blame import blame

pytestmark = pytest.mark.django_db


def test_each_line_is_credited_to_the_ancestor_that_wrote_it(run, alice, founder, gp, gpt):
    # founder (literature): 2 lines. A GP child adds a line; a crossover takes a line from a second parent;
    # a person edits one line of the result.
    child = ledger.record_candidate(
        run,
        source=founder.source + "    # gp line\n",
        activity="gp_mutation",
        agent=gp,
        parents=[(founder, "parent")],
    )
    donor = ledger.record_candidate(
        run, source="def keep(seed):\n    return seed.d == 0\n", activity="random_init", agent=gp
    )
    crossed = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return seed.d == 0\n    # gp line\n",
        activity="gp_crossover",
        agent=gp,
        parents=[(child, "parent"), (donor, "crossover_donor")],
    )
    edited = ledger.record_candidate(
        run,
        source="def keep(seed):\n    return seed.d == 0\n    # checked by hand\n",
        activity="human_edit",
        agent=ledger.person_agent(alice),
        parents=[(crossed, "human_edit_of")],
    )
    lines, _ = blame(edited)
    assert [line.origin for line in lines] == [founder.pk, donor.pk, edited.pk]
    assert [line.kind for line in lines] == ["literature", "algorithm", "person"]


def test_the_blame_page_shows_lines_and_contributions(as_alice, founder, mutate):
    child = mutate(founder)
    html = as_alice.get(reverse("pages:candidate-blame", args=[child.pk])).content.decode()
    assert reverse("pages:candidate", args=[founder.pk]) in html
    assert "Laporta rule" in html and "gp mutation" in html and "Contributions" in html

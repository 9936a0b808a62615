"""Each lineage node is labelled with its id, score and operator, carries a tooltip that explains the score
and a rank the graph draws as size; a side panel shows a candidate's code, diff and producer; the page
lists the same ancestry, and a whole run marks (and lists) the best rule's ancestry."""

import pytest
from django.urls import reverse

from evolution.models import RunState
from tests.pages.html_check import text_of

pytestmark = pytest.mark.django_db


def listed(html: str) -> list[str]:
    """The text of each row of the page's list of the lineage, in order."""
    table = html[html.index('<table class="lineage-list">'):].split("</table>")[0]
    return [" ".join(text_of("<tr" + row).split()) for row in table.split("<tr")[2:]]  # after the head


def test_nodes_are_labelled_with_id_score_and_operator(as_alice, founder, mutate):
    child = mutate(founder, score=-90)
    data = as_alice.get(reverse("pages:candidate-lineage-json", args=[child.pk])).json()
    nodes = {n["data"]["id"]: n["data"] for n in data["nodes"]}
    assert nodes[str(child.pk)]["label"] == f"#{child.pk} · 90 seeds · GP mutation"
    assert nodes[str(founder.pk)]["label"] == f"#{founder.pk} · 120 seeds · from the literature"
    assert nodes[str(child.pk)]["rank"] > nodes[str(founder.pk)]["rank"]
    assert "complete with 90 seeds" in nodes[str(child.pk)]["tip"]


def test_the_side_panel_shows_code_diff_and_producer(as_alice, founder, mutate):
    child = mutate(founder, score=-90)
    html = as_alice.get(reverse("pages:candidate-panel", args=[child.pk]), HTTP_HX_REQUEST="true")
    html = html.content.decode()
    assert "<html" not in html and f"Candidate {child.pk}" in html
    assert 'class="diff-add"' in html and "GP mutation" in html and "complete: 90 seeds" in html


def test_the_page_lists_the_same_ancestry(as_alice, founder, mutate):
    child = mutate(founder, score=-90)
    html = as_alice.get(reverse("pages:candidate-lineage", args=[child.pk])).content.decode()
    rows = listed(html)
    assert [row.split()[0] for row in rows] == [f"#{founder.pk}", f"#{child.pk}"]
    assert "120 seeds" in rows[0] and "90 seeds" in rows[1]
    assert f"<title>Ancestors of candidate {child.pk} · Seedtrace</title>" in html


def test_a_whole_run_marks_the_best_rule_s_ancestry(as_alice, run, founder, mutate):
    best = mutate(mutate(founder, score=-100), score=-90)
    aside = mutate(founder, score=-130)
    RunState.objects.filter(run=run).update(best_candidate=best, best_score=-90)
    data = as_alice.get(reverse("pages:run-lineage-json", args=[run.pk])).json()
    marked = {n["data"]["id"] for n in data["nodes"] if n["data"]["lineage"]}
    assert str(best.pk) in marked and str(founder.pk) in marked and str(aside.pk) not in marked
    html = as_alice.get(reverse("pages:run-lineage", args=[run.pk])).content.decode()
    rows = {row.split()[0]: row for row in listed(html)}
    assert f"#{aside.pk}" not in rows and "90 seeds" in rows[f"#{best.pk}"]

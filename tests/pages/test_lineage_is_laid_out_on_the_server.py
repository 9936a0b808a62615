import pytest
from django.urls import reverse

from web.layout import generations, positions

pytestmark = pytest.mark.django_db


def test_generation_is_the_longest_path_from_a_root():
    # 1 → 2 → 3, and 1 → 3 directly: 3 sits below 2, not beside it
    assert generations({1, 2, 3, 4}, [(1, 2), (2, 3), (1, 3)]) == {1: 0, 2: 1, 3: 2, 4: 0}


def test_each_generation_is_a_row_without_overlaps():
    edges = [(1, 3), (2, 4), (1, 5), (2, 5)]
    placed = positions({1, 2, 3, 4, 5}, edges)
    assert len(set(placed.values())) == 5
    assert placed[1][1] == placed[2][1] < placed[3][1] == placed[4][1] == placed[5][1]


def test_the_ancestors_json_has_preset_positions_and_roles(as_alice, founder, mutate, llm_step):
    a = mutate(founder)
    b = mutate(a, founder)
    step = llm_step(b)
    data = as_alice.get(reverse("pages:candidate-lineage-json", args=[step.candidate.pk])).json()
    nodes = {node["data"]["id"]: node for node in data["nodes"]}
    assert set(nodes) == {str(c.pk) for c in (founder, a, b, step.candidate)}
    assert data["start"] == str(step.candidate.pk)
    y = {pk: node["position"]["y"] for pk, node in nodes.items()}
    assert y[str(founder.pk)] < y[str(a.pk)] < y[str(b.pk)] < y[str(step.candidate.pk)]
    assert nodes[str(founder.pk)]["data"]["kind"] == "literature"
    assert nodes[str(step.candidate.pk)]["data"]["prompt"] is True
    assert nodes[str(b.pk)]["data"]["url"] == reverse("pages:candidate", args=[b.pk])
    roles = {(e["data"]["source"], e["data"]["target"]): e["data"]["role"] for e in data["edges"]}
    assert roles[(str(founder.pk), str(b.pk))] == "crossover_donor"


def test_descendants_go_the_other_way(as_alice, founder, mutate):
    child = mutate(founder)
    grandchild = mutate(child)
    url = reverse("pages:candidate-lineage-json", args=[founder.pk]) + "?direction=down"
    ids = {node["data"]["id"] for node in as_alice.get(url).json()["nodes"]}
    assert ids == {str(founder.pk), str(child.pk), str(grandchild.pk)}
    assert as_alice.get(url.replace("down", "sideways")).status_code == 404


def test_the_whole_run_marks_notes_and_the_best(as_alice, alice, run, founder, mutate):
    from evolution.models import RunState
    from provenance import ledger

    child = mutate(founder)
    ledger.annotate(child, "look here", alice)
    RunState.objects.filter(run=run).update(best_candidate=child)
    data = as_alice.get(reverse("pages:run-lineage-json", args=[run.pk])).json()
    nodes = {node["data"]["id"]: node["data"] for node in data["nodes"]}
    assert nodes[str(child.pk)]["annotated"] and nodes[str(child.pk)]["best"]
    assert not nodes[str(founder.pk)]["annotated"]
    assert data["start"] == str(child.pk)


def test_the_lineage_page_embeds_the_graph_for_cytoscape(as_alice, founder, mutate):
    child = mutate(founder)
    html = as_alice.get(reverse("pages:candidate-lineage", args=[child.pk])).content.decode()
    assert '<script id="lineage-data" type="application/json">' in html
    assert "vendor/cytoscape-3.34.4/cytoscape.min.js" in html and "pages/lineage.js" in html

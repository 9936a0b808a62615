"""The lineage page offers its graph or a list of the same candidates, as two links that work without
script (?view=graph|list); the list is a table of each candidate's id, score, operator, agent and parents."""

import re

import pytest
from django.urls import reverse

from tests.pages.html_check import read, text_of

pytestmark = pytest.mark.django_db


def table_rows(html: str) -> list[list[str]]:
    """The list's rows (its head first), each the text of its cells."""
    table = html[html.index('<table class="lineage-list">'):].split("</table>")[0]
    return [[" ".join(text_of(cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def section(html: str, name: str) -> str:
    return re.search(rf'<section id="{name}-view"[^>]*>', html).group(0)


def test_the_graph_is_the_default_and_the_list_a_link_away(as_alice, founder, mutate):
    child = mutate(founder, score=-90)
    html = as_alice.get(reverse("pages:candidate-lineage", args=[child.pk])).content.decode()
    assert " hidden" not in section(html, "graph") and " hidden" in section(html, "list")
    assert '<a href="?view=graph" data-view="graph" aria-current="true">Graph</a>' in html
    assert '<a href="?view=list" data-view="list">List</a>' in html
    assert '<a href="?view=list">the list</a>' in html  # said inside <noscript>, where the graph cannot draw


def test_the_list_view_shows_the_table_and_hides_the_graph(as_alice, founder, mutate):
    child = mutate(founder, score=-90)
    grandchild = mutate(child, founder, score=-80)
    url = reverse("pages:candidate-lineage", args=[grandchild.pk]) + "?view=list"
    html = as_alice.get(url).content.decode()
    assert " hidden" in section(html, "graph") and " hidden" not in section(html, "list")
    assert '<a href="?view=list" data-view="list" aria-current="true">List</a>' in html
    head, *rows = table_rows(html)
    assert head == ["Candidate", "Score", "Operator", "Agent", "Parents"]
    assert [row[0] for row in rows] == [f"#{founder.pk}", f"#{child.pk}", f"#{grandchild.pk} this candidate"]
    assert rows[0][1] == "120 seeds score -120: complete with 120 seeds"
    assert rows[0][2:] == ["from the literature", "Laporta rule (literature)", "–"]  # a root: no parents
    assert rows[2][1:] == ["80 seeds score -80: complete with 80 seeds", "GP crossover",
                           "GP mutation (algorithm)", f"#{founder.pk} crossover donor, #{child.pk} parent"]
    assert f'<a href="{reverse("pages:candidate", args=[child.pk])}">#{child.pk}</a>' in html
    assert read(html).dangers == []


def test_the_view_links_keep_the_direction(as_alice, founder, mutate):
    mutate(founder, score=-90)
    url = reverse("pages:candidate-lineage", args=[founder.pk]) + "?direction=down&view=list"
    html = as_alice.get(url).content.decode()
    assert 'href="?direction=down&amp;view=graph" data-view="graph"' in html
    assert "<h2 id=\"list-heading\">The same descendants as a list</h2>" in html


def test_an_unknown_view_is_the_graph(as_alice, founder):
    html = as_alice.get(reverse("pages:candidate-lineage", args=[founder.pk]) + "?view=<x>").content.decode()
    assert " hidden" not in section(html, "graph") and "<x>" not in html

"""A whole Pareto run's PROV-JSON and RO-Crate name its front as its results, as its Markdown and LaTeX do:
in PROV a collection whose members are the front's programs, each point's totals an attribute of it; in the
crate the root's description lists the points and each program on the front gives its own. Both still
validate. An ancestry's export, and a run scored otherwise, name no front."""

import json
import zipfile
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from provenance.exports import export
from provenance.exports.front import point_text, run_front
from provenance.exports.scope import run_scope
from provenance.models import Run
from tests.exports.rocrate_offline import validate

pytestmark = pytest.mark.django_db(transaction=True)  # the controller hands jobs out once committed
SCHEMA = json.loads((Path(__file__).parent / "standards" / "prov-json.schema.json").read_text())


def evolve(alice, objective: str) -> Run:
    call_command("evolve", "--family", "trianglebox", "--problem", "rank1,rank2", "--budget", "24",
                 "--population", "6", "--seed", "2", "--user", alice.username, "--objective", objective,
                 "--json", "-v0", stdout=StringIO())
    return Run.objects.latest("pk")


def fronts(prov: dict) -> dict:
    """The entities typed st:ParetoFront (a collection's prov:type lists prov:Collection too)."""
    def types(entity) -> list:
        kinds = entity.get("prov:type", [])
        return kinds if isinstance(kinds, list) else [kinds]

    return {key: e for key, e in prov.get("entity", {}).items() if "st:ParetoFront" in types(e)}


def crate_graph(content: bytes, tmp_path) -> tuple[dict, Path]:
    path = tmp_path / "crate.zip"
    path.write_bytes(content)
    with zipfile.ZipFile(path) as archive:
        metadata = json.loads(archive.read("data/ro-crate-metadata.json"))
    return {e["@id"]: e for e in metadata["@graph"]}, path


def test_the_prov_names_the_front_s_programs_as_members_of_the_run_s_results(project, alice):
    run = evolve(alice, "pareto(seeds,pivots)")
    front = run_front(run_scope(run))
    prov = json.loads(export("prov", run=run.pk).content)
    jsonschema.Draft4Validator(SCHEMA).validate(prov)
    (key, collection), = fronts(prov).items()
    assert key == f"st:front-{run.hash}" and collection["st:objective"] == "pareto(seeds,pivots)"
    points = collection["st:point"] if isinstance(collection["st:point"], list) else [collection["st:point"]]
    assert sorted(points) == sorted(point_text(front, row) for row in front.rows)
    members = {m["prov:entity"] for m in prov["hadMember"].values() if m["prov:collection"] == key}
    assert members == {f"st:candidate-{row.candidate.hash}" for row in front.rows}


def test_the_crate_lists_the_front_and_each_program_on_it_gives_its_point(project, alice, tmp_path,
                                                                          monkeypatch):
    run = evolve(alice, "pareto(seeds,pivots)")
    front = run_front(run_scope(run))
    graph, path = crate_graph(export("crate", run=run.pk).content, tmp_path)
    assert front.title in graph["./"]["description"]
    on_front = {row.candidate.pk: row for row in front.rows}
    for pk, row in on_front.items():
        described = graph[f"programs/candidate-{pk}.py"]["description"]
        assert described == f"On the run's Pareto front under pareto(seeds,pivots): {point_text(front, row)}"
    others = [e for key, e in graph.items() if key.startswith("programs/")
              and int(key.removeprefix("programs/candidate-").removesuffix(".py")) not in on_front]
    assert others and not any("description" in e for e in others)
    result = validate(path, tmp_path, monkeypatch)
    assert result.passed(), [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]


def test_an_ancestry_and_a_run_scored_otherwise_name_no_front(project, alice, tmp_path):
    pareto = evolve(alice, "pareto(seeds,pivots)")
    final = run_front(run_scope(pareto)).rows[0].candidate
    assert fronts(json.loads(export("prov", candidate=final.pk).content)) == {}
    plain = evolve(alice, "seeds")
    assert fronts(json.loads(export("prov", run=plain.pk).content)) == {}
    graph, _ = crate_graph(export("crate", run=plain.pk).content, tmp_path)
    assert "Pareto front" not in graph["./"]["description"]

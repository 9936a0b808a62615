"""The PROV-JSON export carries the results every other format opens with: a collection derived from the
final program, one member a problem derived from that problem's evaluation result by the evaluation, with
its seeds, equations, primes checked and the literature's numbers; and it still validates."""

import json
from pathlib import Path

import jsonschema
import pytest

from provenance.exports import export
from provenance.exports.baselines import baselines
from provenance.exports.results import best
from provenance.exports.scope import run_scope

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "standards" / "prov-json.schema.json").read_text())


def number(value) -> int:
    return int(value["$"]) if isinstance(value, dict) else value


def members(prov: dict, collection: str) -> list[str]:
    return sorted(m["prov:entity"] for m in prov["hadMember"].values() if m["prov:collection"] == collection)


def test_the_final_program_s_results_are_derived_from_its_evaluations(story):
    prov = json.loads(export("prov", candidate=story.final.pk).content)
    jsonschema.Draft4Validator(SCHEMA).validate(prov)
    collection = f"st:results-{story.final.hash}"
    assert "st:Results" in prov["entity"][collection]["prov:type"]
    derived = {(d["prov:generatedEntity"], d["prov:usedEntity"], d.get("prov:activity"))
               for d in prov["wasDerivedFrom"].values()}
    assert (collection, f"st:candidate-{story.final.hash}", None) in derived
    rank3, hostile = members(prov, collection)
    (evaluation,) = story.final.evaluations.all()
    assert (rank3, f"st:result-{evaluation.hash}", f"st:evaluation-{evaluation.hash}") in derived
    ours = prov["entity"][rank3]
    assert (ours["st:problem"], ours["st:verdict"], number(ours["st:seeds"])) == ("rank3", "complete", 90)
    assert number(ours["st:primes_checked"]) == 1 and ours["st:prime"] == str(evaluation.prime)
    laporta, kira3 = baselines("trianglebox", "rank3")
    assert (number(ours["st:laporta_seeds"]), number(ours["st:kira3_seeds"])) == (laporta.seeds, kira3.seeds)
    assert ours["st:kira3_complete"] is kira3.complete and number(ours["st:kira3_primes_checked"]) == 2
    assert prov["entity"][hostile]["st:verdict"] == "not evaluated"
    assert not any(d["prov:generatedEntity"] == hostile for d in prov["wasDerivedFrom"].values())
    not_checked = prov["entity"][collection]["st:not_checked"]
    assert "Problem rank3: complete at one prime and point only." in not_checked


def test_a_run_s_results_are_its_best_candidate_s(story):
    prov = json.loads(export("prov", run=story.run.pk).content)
    jsonschema.Draft4Validator(SCHEMA).validate(prov)
    chosen = best(run_scope(story.run))
    (collection,) = [name for name in prov["entity"] if name.startswith("st:results-")]
    assert collection == f"st:results-{chosen.hash}"
    label = prov["entity"][collection]["prov:label"]
    assert label == f"results of candidate {chosen.pk}, the best candidate of the run"

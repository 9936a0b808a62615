"""A Pareto objective names seeds and one or two other terms, no weights: `pareto(seeds,multiply_adds)`. It
is read by the same bounded grammar as a weighted mix, written back in one canonical text, and anything else
is refused with what is wrong. A problem's score under it stays minus its seeds; each axis's score is
recorded beside it, and a rule's point sums them over its problems."""

import pytest

from evolution import objective
from evolution.config import EvolutionConfig
from evolution.scoring import COMPLETE, FAILED, INCOMPLETE, ProblemVerdict
from solver.family import load_family
from tests.evolution.conftest import config


def test_a_pareto_objective_is_written_back_in_one_canonical_text():
    front = objective.parse(" pareto( seeds , equations,elimination_seconds ) ")
    assert front.pareto and not front.is_default
    assert front.names == ("seeds", "equations", "elimination_seconds")
    assert front.text == "pareto(seeds,equations,elimination_seconds)"
    assert objective.parse(front.text) == front
    assert not front.reproducible and objective.parse("pareto(seeds,multiply_adds)").reproducible


@pytest.mark.parametrize("text, says", [
    ("pareto(seeds)", "one or two other terms"),
    ("pareto(multiply_adds,seeds)", "one or two other terms"),
    ("pareto(seeds,equations,pivots,fill_in)", "one or two other terms"),
    ("pareto(seeds,seeds)", "twice"),
    ("pareto(seeds,equations", "closed by"),
    ("pareto(seeds;equations)", "unexpected"),
    ("pareto(seeds,2*equations)", "names two or three"),
    ("pareto(seeds,equations)+seeds", "ends the text"),
    ("seeds+pareto(seeds,equations)", "unknown term 'pareto'"),
    ("pareto(seeds,__import__)", "names two or three"),
])
def test_anything_else_is_refused_with_what_is_wrong(text, says):
    with pytest.raises(objective.ObjectiveError, match=says.replace("(", r"\(")):
        objective.parse(text)


def test_an_evolution_refuses_a_bad_pareto_objective_before_anything_is_written():
    with pytest.raises(ValueError, match="one or two other terms"):
        EvolutionConfig(**{**config().to_dict(), "objective": "pareto(equations)"})
    assert config(objective="pareto( seeds,pivots )").objective == "pareto(seeds,pivots)"


def verdict(kind, seeds, multiply_adds=None, score=None):
    work = {} if multiply_adds is None else {"work": {"multiply_adds": multiply_adds}}
    return ProblemVerdict("rank3", kind, score=-seeds if score is None else score, seeds=seeds,
                          equations=9 * seeds, details=work)


def test_each_axis_is_scored_alone_and_the_score_stays_minus_the_seeds():
    family, front = load_family("trianglebox"), objective.parse("pareto(seeds,multiply_adds)")
    complete = verdict(COMPLETE, 88, multiply_adds=12000)
    front.score(complete, family, cap=5000)
    assert complete.score == -88
    assert complete.details["pareto"] == [-88, -12000]
    assert complete.details["objective"] == "pareto(seeds,multiply_adds)"
    incomplete = verdict(INCOMPLETE, 300, score=-5012)
    front.score(incomplete, family, cap=5000)
    ceiling = objective.parse("multiply_adds").ceiling(family, 5000)
    assert incomplete.score == -5012  # seeds' own penalty, below every complete score
    assert incomplete.details["pareto"] == [-5012, -5012 - ceiling]  # below every complete one on each axis


def test_a_rule_s_point_sums_each_axis_over_its_problems_and_a_failure_has_none():
    front = objective.parse("pareto(seeds,multiply_adds)")
    records = [ProblemVerdict("rank2", COMPLETE, -40, details={"pareto": [-40, -500]}),
               ProblemVerdict("rank3", COMPLETE, -88, details={"pareto": [-88, -12000]})]
    assert objective.point(front, records) == (-128.0, -12500.0)
    assert objective.point(objective.parse("seeds+equations"), records) is None  # no front
    failed = ProblemVerdict("rank4", FAILED, details={"pareto": [-1, -1]})
    assert objective.point(front, [*records, failed]) is None
    older = ProblemVerdict("rank4", COMPLETE, -92, details={})  # scored before the run's axes were recorded
    assert objective.point(front, [*records, older]) is None
    odd = ProblemVerdict("rank4", COMPLETE, -92, details={"pareto": [-92]})  # of another width
    assert objective.point(front, [*records, odd]) is None

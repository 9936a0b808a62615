"""A run's objective is `seeds` or a weighted sum of seeds, equations and the elimination's work, read by a
small grammar (never eval'd) into one canonical text; anything else is refused with what is wrong, and an
evolution's configuration refuses it before anything is written."""

import re

import pytest

from evolution import objective
from evolution.config import EvolutionConfig
from tests.evolution.conftest import config


def test_seeds_is_the_default_and_the_same_however_it_is_written():
    for text in ("seeds", " seeds ", "1*seeds", "1.0 * seeds"):
        assert objective.parse(text).is_default, text
    assert objective.of_config({}).is_default  # a run from before objectives
    assert config().objective == "seeds"


def test_a_weighted_mix_is_written_back_in_one_canonical_order():
    mix = objective.parse("0.001 * multiply_adds + seeds + 1e-1*equations")
    assert mix.terms == (("seeds", 1.0), ("equations", 0.1), ("multiply_adds", 0.001))
    assert mix.text == "seeds+0.1*equations+0.001*multiply_adds"
    assert objective.parse(mix.text) == mix and not mix.is_default and mix.reproducible


def test_a_weighted_cost_is_the_sum_of_weight_times_value():
    mix = objective.parse("seeds+0.1*equations+0.001*multiply_adds")
    assert mix.cost({"seeds": 92, "equations": 828, "multiply_adds": 12000}) == pytest.approx(186.8)
    with pytest.raises(objective.ObjectiveError, match="multiply_adds"):
        mix.cost({"seeds": 92, "equations": 828, "multiply_adds": None})


def test_wall_time_may_be_used_but_is_marked_not_reproducible():
    timed = objective.parse("seeds+10*elimination_seconds")
    assert not timed.reproducible and objective.parse("seeds+pivot_steps").reproducible


@pytest.mark.parametrize("text, says", [
    ("", "at least one"),
    ("seeds+", "expected one of"),
    ("seeds*2", "joined by '+'"),
    ("2*", "expected one of"),
    ("2 seeds", "followed by '*'"),
    ("-1*seeds", "unexpected"),
    ("0*seeds", "above 0"),
    ("1001*seeds", "at most 1000"),
    ("seeds+seeds", "twice"),
    ("seed", "unknown term 'seed'"),
    ("nan*seeds", "unknown term 'nan'"),
    ("__import__('os').system('true')", "unexpected"),
    ("seeds;equations", "unexpected"),
    ("seeds-equations", "unexpected"),
    ("x" * 400, "short text"),
])
def test_anything_else_is_refused_saying_what_is_wrong(text, says):
    with pytest.raises(objective.ObjectiveError, match=re.escape(says)):
        objective.parse(text)


def test_an_evolution_s_configuration_keeps_the_canonical_objective_and_refuses_a_bad_one():
    given = config(objective="0.001*multiply_adds+seeds")
    assert given.objective == "seeds+0.001*multiply_adds"
    assert EvolutionConfig.from_dict(given.to_dict()) == given
    with pytest.raises(ValueError, match="unknown term"):
        config(objective="seeds+wall_time")

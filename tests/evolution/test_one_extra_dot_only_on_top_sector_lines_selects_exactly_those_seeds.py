""""Floored Kira-3, plus at most one dot, and that only on a line of the targets' top sector", written over
the placed features, keeps exactly the seeds a line-by-line reading of their index vectors keeps: in the
sandbox (numpy fast path and child process) and in GP's evaluator, on rank3 and on a target below the top
sector."""

import numpy as np
import pytest

from evolution.gp import KIRA3_FLOORED, evaluate, parse
from evolution.problems import problem_set
from evolution.sandbox import run

from .placed import PINCHED6, family_file

RULE = (
    "def keep(seed):\n"
    "    return seed.d_out == 0 and seed.d_in <= 1 and seed.s <= max(1, seed.s_top - seed.pinched)\n"
)


def _expected(indices: np.ndarray, target: tuple[int, ...]) -> np.ndarray:
    """The rule read off each index vector, line by line, without the features."""
    s_top = -sum(b for b in target if b < 0)
    top = [j for j, b in enumerate(target) if b > 0]
    kept = []
    for a in indices.tolist():
        dots_on_top = sum(a[j] - 1 for j in top if a[j] > 0)
        dots_elsewhere = sum(a[j] - 1 for j in range(len(a)) if j not in top and a[j] > 0)
        pinched = sum(1 for j in top if a[j] <= 0)
        s = -sum(x for x in a if x < 0)
        kept.append(dots_elsewhere == 0 and dots_on_top <= 1 and s <= max(1, s_top - pinched))
    return np.array(kept)


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    rank3 = problem_set("trianglebox", ("rank3",)).problems[0]
    pinched = problem_set(family_file(tmp_path_factory.mktemp("family")), (PINCHED6,), "default").problems[0]
    return {"rank3": rank3, PINCHED6: pinched}


@pytest.mark.parametrize("fast_path", [True, False], ids=["vector", "process"])
@pytest.mark.parametrize("problem", ["rank3", PINCHED6])
def test_the_sandbox_keeps_exactly_the_seeds_the_index_vectors_say(contexts, problem, fast_path):
    context = contexts[problem]
    (target,) = context.problem.targets
    outcome = run(RULE, context.table, fast_path=fast_path)
    assert outcome.ok and outcome.path == ("vector" if fast_path else "process"), outcome.reason
    assert np.array_equal(outcome.selection, _expected(context.pool.indices, target))


@pytest.mark.parametrize("problem", ["rank3", PINCHED6])
def test_gp_s_evaluator_keeps_the_same_seeds(contexts, problem):
    context = contexts[problem]
    columns = {name: context.table.features[:, i] for i, name in enumerate(context.table.names)}
    kept = evaluate(parse(RULE), {**columns, **context.table.context})
    assert np.array_equal(kept, _expected(context.pool.indices, context.problem.targets[0]))


def test_on_rank3_it_is_floored_kira3_plus_the_seeds_with_one_dot(contexts):
    context = contexts["rank3"]
    kept = run(RULE, context.table).selection
    floored = run(KIRA3_FLOORED.source, context.table).selection
    d = context.pool.features["d"]
    assert floored.sum() == 108  # DOMAIN.md: floored Kira-3 needs 108 seeds on rank 3
    assert np.array_equal(kept & (d == 0), floored)
    assert kept[d == 1].any() and not kept[d > 1].any()


def test_below_the_top_sector_a_dot_off_its_lines_is_refused(contexts):
    context = contexts[PINCHED6]
    indices = context.pool.indices
    kept = run(RULE, context.table).selection
    dotted_line6 = indices[:, 5] == 2
    dotted_line1 = (indices[:, 0] == 2) & (indices[:, 1:6] == 1).all(axis=1) & (indices[:, 6] == 0)
    assert dotted_line6.any() and not kept[dotted_line6].any()
    assert kept[dotted_line1].all()

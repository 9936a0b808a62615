"""The candidate seed pool (non-zero sectors, up to two dots and one numerator more than the targets) and the
Seed view that rules see."""

import numpy as np
import pytest

from solver.rules import RuleError, kira3, laporta, load_rule_file, select
from solver.sectors import zero_sectors


def test_the_pool_holds_non_zero_sectors_up_to_two_dots_and_one_numerator_more(trianglebox, pools):
    pool = pools["rank3"]
    f = pool.features
    assert f["r"].max() == 6 + 2 and f["s"].max() == 3 + 1
    assert not any(zero_sectors(trianglebox)[int(m)] for m in np.unique(f["sector"]))
    assert len(np.unique(pool.indices, axis=0)) == len(pool)
    assert select(pool, laporta(8, 4)).all()


def test_a_seed_shows_its_features_and_the_problems_tops(pools):
    seed = next(s for s in pools["rank3"].seeds if s.indices == (1, 1, 1, 1, 2, 1, -1))
    assert (seed.t, seed.r, seed.s, seed.d, seed.sector) == (6, 7, 1, 1, 0b111111)
    assert (seed.t_top, seed.r_top, seed.s_top) == (6, 6, 3)


def test_a_precomputed_selection_is_a_rule_too(pools):
    pool = pools["rank3"]
    chosen = select(pool, kira3)
    assert (select(pool, chosen) == chosen).all()
    with pytest.raises(RuleError):
        select(pool, chosen[:-1])


def test_a_rule_file_is_loaded_and_its_keep_is_used(tmp_path, pools):
    path = tmp_path / "rule.py"
    path.write_text(
        "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"
    )
    assert (select(pools["rank3"], load_rule_file(path)) == select(pools["rank3"], kira3)).all()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("def keep(seed) return 1", "SyntaxError"),
        ("x = 1", "defines no function keep"),
        ("1/0", "ZeroDivision"),
    ],
)
def test_a_broken_rule_file_is_refused(tmp_path, source, reason):
    path = tmp_path / "rule.py"
    path.write_text(source)
    with pytest.raises(RuleError, match=reason):
        load_rule_file(path)


def test_a_rule_that_raises_is_reported_as_a_rule_error(pools):
    with pytest.raises(RuleError, match="AttributeError"):
        select(pools["rank3"], lambda seed: seed.dots)

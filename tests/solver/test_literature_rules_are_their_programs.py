"""Each literature rule is written once: the solver's callable keeps exactly the seeds its program keeps when
run as a rule file, the program GP starts from."""

import pytest

from solver import literature
from solver.rules import kira3, kira3_floored, kira3_floored_dots, laporta, load_rule_file, select

CASES = [
    (literature.LAPORTA, literature.LAPORTA.keep),
    (literature.laporta(6, 3), laporta(6, 3)),
    (literature.KIRA3, kira3),
    (literature.KIRA3_FLOORED, kira3_floored),
    (literature.KIRA3_FLOORED_DOTS, kira3_floored_dots),
]


@pytest.mark.parametrize(("rule", "keep"), CASES, ids=[rule.name for rule, _ in CASES])
def test_the_callable_keeps_what_the_program_keeps(rule, keep, pools, tmp_path):
    path = tmp_path / "rule.py"
    path.write_text(rule.source)
    for name in ("rank1", "rank3", "dot2"):
        assert (select(pools[name], keep) == select(pools[name], load_rule_file(path))).all()
    assert keep.__name__ == rule.name

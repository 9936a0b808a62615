"""Every way a rule can fail becomes a recorded failed evaluation with a clear reason; the next one works."""

import pytest

from evolution.evaluation import evaluate_candidate
from tests.evolution.conftest import KIRA3

pytestmark = pytest.mark.django_db

BAD_RULES = {
    "infinite loop": ("def keep(seed):\n    while True:\n        pass\n", {"timeout", "cpu_limit"}),
    "memory bomb": ("def keep(seed):\n    x = [0] * (10 ** 10)\n    return True\n", {"memory"}),
    "fork": ("import os\ndef keep(seed):\n    os.fork()\n    return True\n", {"refused"}),
    "file write": ("def keep(seed):\n    open('/tmp/x', 'w').write('x')\n    return True\n", {"refused"}),
    "network": ("import socket\ndef keep(seed):\n    return True\n", {"refused"}),
    "import": ("def keep(seed):\n    import math\n    return True\n", {"refused"}),
    "dunder escape": ("def keep(seed):\n    return ().__class__.__bases__[0].__subclasses__()\n",
                      {"refused"}),
    "huge output": ("def keep(seed):\n    print('x' * 10 ** 6)\n    return True\n", {"refused"}),
    "exception": ("def keep(seed):\n    return seed.r // 0 > 1\n", {"exception"}),
    "bad return": ("def keep(seed):\n    return [seed.r]\n", {"bad_return"}),
}


@pytest.mark.parametrize("name", sorted(BAD_RULES))
def test_a_failing_rule_is_recorded_and_the_next_rule_still_evaluates(human_candidate, name):
    source, failures = BAD_RULES[name]
    bad = human_candidate(source)
    assert evaluate_candidate(bad.pk).state == "done"
    (evaluation,) = bad.evaluations.all()
    assert evaluation.verdict == "failed" and evaluation.failure in failures
    assert evaluation.error.startswith(evaluation.failure)
    assert len(evaluation.error) > len(evaluation.failure) + 5  # and says more than its class
    good = human_candidate(KIRA3)
    evaluate_candidate(good.pk)
    (scored,) = good.evaluations.all()
    assert (scored.verdict, scored.seeds) == ("complete", 92)

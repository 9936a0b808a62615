"""A rule that is one formula of the seed's features is written as math; anything else (or hostile) is not."""

import pytest

from provenance.exports.notation import rule_math
from solver.literature import KIRA3


def test_kira3_reads_as_its_formula():
    assert rule_math(KIRA3.source) == r"d = 0\;\land\;s \le s_{\mathrm{top}} - (t_{\mathrm{top}} - t)"


@pytest.mark.parametrize(
    "source",
    [
        "import os\ndef keep(seed):\n    return os.system('id')\n",
        "def keep(seed):\n    x = seed.s\n    return x < 2\n",
        "def keep(seed):\n    return seed.__class__\n",
        "def keep(seed):\n    return '\\\\input{/etc/passwd}'\n",
        "not python (",
    ],
)
def test_what_is_not_a_plain_formula_has_no_notation(source):
    assert rule_math(source) is None

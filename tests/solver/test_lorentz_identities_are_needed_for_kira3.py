"""With IBP identities only, the Kira-3 seeds do not close on trianglebox rank3: LI identities are needed."""

from solver.reduction import reduce_problem
from solver.rules import kira3


def test_the_same_seeds_without_li_leave_integrals_unreduced(trianglebox, trianglebox_masters, pools):
    result = reduce_problem(
        trianglebox,
        trianglebox.problem("rank3").targets,
        kira3,
        trianglebox_masters,
        li=False,
        pool=pools["rank3"],
    )
    assert result.seeds == 92
    assert result.equations == 92 * 8
    assert not result.complete
    # An independent computation leaves 21 integrals unreduced with IBP only; with this solver's Laporta order
    # the target's reduction keeps 5 non-master integrals. The verdict is what matters here.
    assert len(result.unreduced) == 5

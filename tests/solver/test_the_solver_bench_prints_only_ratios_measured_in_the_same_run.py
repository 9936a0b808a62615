"""bench/solver.py compares the fast solve only with a naive solve measured in the same run: where the naive
baseline was not run (the 60,876-equation system without --baseline-big) it prints no ratio, and no figure
from elsewhere."""

from tests.benches import BENCH, load_bench


def bench():
    return load_bench("solver")


def row(system, measured):
    return {
        "system": system,
        "seeds": 6764,
        "equations": 60876,
        "baseline_measured": measured,
        "baseline_solve_median_s": 9.0 if measured else None,
        "fast_solve_median_s": 0.03,
        "fast_instantiation_median_s": 0.01,
        "fast_elimination_median_s": 0.02,
        "ratio": 300.0 if measured else None,
        "goal_s": 12.0,
        "meets_goal": True,
        "fast_peak_rss_mb": 270.0,
    }


def test_an_unmeasured_baseline_gets_no_ratio_and_no_reference_figure():
    lines = bench().table_lines([row("measured", True), row("unmeasured", False)])
    measured = next(line for line in lines if line.startswith("measured"))
    unmeasured = next(line for line in lines if line.startswith("unmeasured"))
    assert "300x" in measured and "9.00 s" in measured
    assert "not run (--baseline-big)" in unmeasured
    assert "x " not in unmeasured.replace("inst + elim", "") and "367" not in unmeasured
    assert "reference" not in "\n".join(lines)


def test_the_ratio_is_computed_only_from_a_measured_baseline():
    source = (BENCH / "solver.py").read_text()
    assert '"ratio": naive["solve_median_s"] / fast["solve_median_s"] if naive else None' in source

"""bench/front.py: for each seed the same GP search runs under `seeds` and under `pareto(seeds,AXIS)`; each
run's front holds the points no other dominates, the area it dominates is measured up to the founders'
worst point (the same for both runs of a seed), and the report gives each run's front and the ratio of the
areas."""

import json

from tests.benches import load_bench


def bench():
    return load_bench("front")


def test_the_front_is_the_points_no_other_dominates_fewest_seeds_first():
    front = bench()._front({(100, 50), (90, 60), (95, 60), (120, 40), (130, 40), (90, 70)})
    assert front == [(90, 60), (100, 50), (120, 40)]


def test_the_area_is_what_the_front_dominates_inside_the_reference_box():
    front = bench()
    assert front._area([[90, 60], [100, 50]], (110, 70)) == (110 - 100) * (70 - 50) + (100 - 90) * (70 - 60)
    assert front._area([[120, 10]], (110, 70)) == 0  # beyond the reference: nothing inside the box
    assert front._reference([[(110, 70)], [(110, 70), (90, 80)]]) == (110, 80)


def test_each_run_s_share_of_the_union_s_area_is_one_where_its_front_dominates_the_other_s():
    runs = [{"front": [[90, 60], [100, 50]]}, {"front": [[95, 60]]}]
    bench()._shares(runs)
    assert runs[0]["share_of_union"] == 1.0 and 0 < runs[1]["share_of_union"] < 1


def test_a_small_bench_runs_both_objectives_and_reports_their_fronts(tmp_path, capsys):
    out = tmp_path / "front.json"
    assert bench().main(["--seeds", "1", "--evaluations", "24", "--problems", "rank1", "--axis", "pivots",
                         "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    (seed,) = report["seeds"]
    assert [run["objective"] for run in seed["runs"]] == ["seeds", "pareto(seeds,pivots)"]
    for run in seed["runs"]:
        assert run["evaluated"] == 24 and run["front"] and run["area"] >= 0
        assert run["reference"] == seed["runs"][0]["reference"]  # the founders are the same
        assert run["best_seeds"] == min(point[0] for point in run["front"])
        assert 0 < run["share_of_union"] <= 1
    printed = capsys.readouterr().out
    assert "pareto(seeds,pivots)" in printed and "area, Pareto run over seeds run, per seed" in printed

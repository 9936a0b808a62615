"""bench/discovery.py: the set modes start from all three literature rules (improving on the literature),
the default mode from Laporta alone (rediscovering it); --all-ranks times issue 19's goal of <= 400 seeds
besides beating floored Kira-3, and --stop-early ends a seed's run once both are reached."""

from types import SimpleNamespace

from tests.benches import load_bench


def _founders(cmd: list[str]) -> str:
    return cmd[cmd.index("--founders") + 1]


def test_a_set_mode_starts_from_every_literature_rule_and_the_default_mode_from_laporta():
    discovery = load_bench("discovery")
    assert _founders(discovery._evolve_command(1, discovery._plan(["--all-ranks"]))) == \
        "laporta,kira3,kira3_floored"
    assert _founders(discovery._evolve_command(1, discovery._plan(["--train", "rank1", "--hold-out",
                                                                  "rank2"]))) == "laporta,kira3,kira3_floored"
    assert _founders(discovery._evolve_command(1, discovery._plan([]))) == "laporta"
    alone = discovery._plan(["--all-ranks", "--founders", "laporta"])
    assert _founders(discovery._evolve_command(1, alone)) == "laporta"
    assert discovery._start(alone.founders) == "the Laporta rule (evolve --founders) and random programs"


def test_all_ranks_times_the_goal_of_400_besides_beating_the_baseline_and_stops_there_only_when_asked():
    discovery = load_bench("discovery")
    plan = discovery._plan(["--all-ranks"])
    plan.baselines = {key: {"seeds": seeds} for key, seeds in zip(
        ("rank1", "rank2", "rank3", "rank4"), (88, 89, 108, 205), strict=True)}
    assert discovery._set_thresholds(plan) == (489, 400)
    assert not plan.stop_early
    assert discovery._plan(["--all-ranks", "--stop-early"]).stop_early
    held = discovery._plan(["--train", "rank1,rank2,rank3", "--hold-out", "rank4"])
    held.baselines = {"rank1": {"seeds": 88}, "rank2": {"seeds": 89}, "rank3": {"seeds": 108},
                      "rank4": {"seeds": 205}}
    assert discovery._set_thresholds(held) == (284,)  # the goal of 400 is rank1..rank4's
    assert discovery._set_thresholds(SimpleNamespace(all_ranks=True, set=[("rank3", "trianglebox", "rank3",
                                                                            "train")],
                                                     baselines={"rank3": {"seeds": 108}})) == (107,)

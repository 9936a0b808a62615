"""bench/discovery.py: a budget by evaluations is evolve's --budget with one worker (the same run on any
machine); --train/--hold-out reach evolve as --problem/--held-out, and --rank-growth as itself; held-out
results in the run's records never count towards a rule's training total or its evaluation number; the set
table prints the best rule's verdict and seeds on each held-out problem beside the baseline's, and whether
the goal is met."""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.benches import load_bench


def bench():
    return load_bench("discovery")


def test_an_evaluation_budget_is_evolve_s_budget_with_one_worker_and_no_time_limit():
    discovery = bench()
    plan = discovery._plan(["--all-ranks", "--evaluations", "5000"])
    assert (plan.evaluations, plan.workers, plan.minutes) == (5000, 1, None)
    cmd = discovery._evolve_command(7, plan)
    assert cmd[cmd.index("--budget") + 1] == "5000" and cmd[cmd.index("--workers") + 1] == "1"
    assert cmd[cmd.index("--problem") + 1] == "rank1,rank2,rank3,rank4" and "--held-out" not in cmd
    assert plan.thresholds is None  # the baseline's training total less one, once it is scored
    assert discovery._plan(["--evaluations", "10", "--workers", "2"]).workers == 2
    timed = discovery._plan([])
    assert (timed.minutes, timed.workers, timed.evaluations, timed.thresholds) == (60.0, 2, None, (92, 88))
    cmd = discovery._evolve_command(1, timed)
    assert cmd[cmd.index("--budget") + 1] == str(discovery.BUDGET)  # the time limit stops it


def test_train_and_hold_out_reach_evolve_and_make_the_problem_set():
    discovery = bench()
    plan = discovery._plan(["--train", "rank1,rank2,rank3", "--hold-out", "rank4,rank5", "--across",
                            "dbox:rank1,rank2", "--minutes", "2"])
    cmd = discovery._evolve_command(1, plan)
    assert cmd[cmd.index("--problem") + 1] == "rank1,rank2,rank3"
    assert cmd[cmd.index("--held-out") + 1] == "rank4,rank5"
    assert "--rank-growth" not in cmd
    required = discovery._plan(["--train", "rank1,rank2,rank3", "--hold-out", "rank4,rank5", "--rank-growth"])
    assert "--rank-growth" in discovery._evolve_command(1, required)
    assert [(key, role) for key, _, _, role in plan.set] == [
        ("rank1", "train"), ("rank2", "train"), ("rank3", "train"), ("rank4", "held out"),
        ("rank5", "held out"), ("dbox/rank1", "across"), ("dbox/rank2", "across")]
    assert plan.mode == "held-out+across" and not plan.stop_early
    assert plan.out.name == "discovery-held-out-across.json"
    # A family named alone: its problems without dots (the floored Kira-3 rule reduces those).
    assert discovery._across("dbox") == ("dbox", ("rank1", "rank2", "rank3"))
    with pytest.raises(SystemExit):
        discovery._plan(["--train", "rank1,rank4", "--hold-out", "rank4"])
    with pytest.raises(SystemExit):
        discovery._plan(["--all-ranks", "--train", "rank1"])


def _records(path: Path, rows):
    """The columns of the run's records the bench reads, with a run's results in them."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE evolution_runstate (run_id INTEGER, started_at TEXT, finished_at TEXT,"
        " candidates INTEGER, evaluations INTEGER, failures INTEGER, updated_at TEXT);"
        "CREATE TABLE provenance_candidate (id INTEGER PRIMARY KEY, source TEXT);"
        "CREATE TABLE provenance_evaluation (id INTEGER PRIMARY KEY, candidate_id INTEGER, problem TEXT,"
        " verdict TEXT, seeds INTEGER, unreduced INTEGER, recorded_at TEXT, details TEXT);")
    conn.execute("INSERT INTO evolution_runstate VALUES (1, '2026-01-01 10:00:00', '2026-01-01 10:05:00',"
                 " 3, 3, 1, '2026-01-01 10:05:00')")
    for pk in (1, 2, 3):
        conn.execute("INSERT INTO provenance_candidate VALUES (?, ?)",
                     (pk, f"def keep(seed):\n    return seed.t >= {pk}\n"))
    for pk, (candidate, problem, verdict, seeds, minute, held) in enumerate(rows, 1):
        conn.execute("INSERT INTO provenance_evaluation VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (pk, candidate, problem, verdict, seeds, 0 if verdict == "complete" else 3,
                      f"2026-01-01 10:0{minute}:00", json.dumps({"held_out": True} if held else {})))
    conn.commit()
    conn.close()


def test_held_out_results_are_kept_apart_from_the_training_total_and_the_evaluation_count(tmp_path):
    discovery = bench()
    db = tmp_path / "run.sqlite3"
    _records(db, [
        (1, "rank1", "complete", 100, 1, False), (1, "rank2", "complete", 300, 1, False),
        (2, "rank1", "incomplete", 20, 2, False), (2, "rank2", "complete", 90, 2, False),
        (3, "rank1", "complete", 88, 3, False), (3, "rank2", "complete", 89, 3, False),
        (3, "rank4", "complete", 190, 3, True), (3, "rank5", "incomplete", 350, 3, True),
    ])
    watch = discovery._Watcher(db, ("rank1", "rank2"), (400, 177))
    watch.poll()
    watch.final()
    assert watch.best["candidate"] == 3 and watch.best["seeds"] == 177
    assert watch.best["evaluations"] == 3 and watch.best["minutes"] == pytest.approx(3.0)
    assert watch.first[400]["candidate"] == 1 and watch.first[400]["evaluations"] == 1
    assert watch.held[3] == {"rank4": {"verdict": "complete", "seeds": 190, "unreduced": 0},
                             "rank5": {"verdict": "incomplete", "seeds": 350, "unreduced": 3}}
    summary = watch.summary()
    assert summary["held_out_scored"] == 1 and summary["complete_rules"] == 2
    assert summary["run_minutes"] == pytest.approx(5.0)
    assert watch.best["source"].endswith("seed.t >= 3\n")


def _run(seed, held):
    best = {"candidate": 3, "seeds": 177, "minutes": 2.5, "evaluations": 1200,
            "per_problem": {"rank1": 88, "rank2": 89}, "source": "def keep(seed):\n    return seed.d == 0\n"}
    return {"seed": seed, "run_minutes": 4.0, "evaluations": 3000, "evaluations_per_second": 12.5,
            "candidates": 3000, "failures": 10, "complete_rules": 40, "held_out_scored": 5,
            "first": {"176": None}, "best": best, "stopped": "evaluation budget spent",
            "startup_seconds": 2.0,
            "load_before": [2.0, 2, 2], "load_after": [2.0, 2, 2],
            "set": {"rank1": {"verdict": "complete", "seeds": 88, "unreduced": 0},
                    "rank2": {"verdict": "complete", "seeds": 89, "unreduced": 0}, **held}}


def test_the_set_table_puts_each_held_out_verdict_beside_the_baseline_and_says_whether_the_goal_is_met(
        capsys):
    discovery = bench()
    plan = discovery._plan(["--train", "rank1,rank2", "--hold-out", "rank4,dot1", "--evaluations", "3000",
                            "--seeds", "2"])
    plan.thresholds = (176,)
    floored = {"verdict": "complete", "seeds": 0, "unreduced": 0}
    plan.baselines = {
        "rank1": {"rule": "kira3_floored", "seeds": 88, "complete": True, "floored": floored},
        "rank2": {"rule": "kira3_floored", "seeds": 89, "complete": True, "floored": floored},
        "rank4": {"rule": "kira3_floored", "seeds": 205, "complete": True, "floored": floored},
        "dot1": {"rule": "kira3_floored_dots", "seeds": 449, "complete": True,
                 "floored": {"verdict": "incomplete", "seeds": 89, "unreduced": 13}},
    }
    runs = [
        _run(1, {"rank4": {"verdict": "complete", "seeds": 190, "unreduced": 0},
                 "dot1": {"verdict": "complete", "seeds": 400, "unreduced": 0}}),
        _run(2, {"rank4": {"verdict": "incomplete", "seeds": 150, "unreduced": 2},
                 "dot1": {"verdict": "complete", "seeds": 500, "unreduced": None}}),
    ]
    report = discovery._report(runs, plan, {"cpus": 2, "loadavg_at_start": [2.0, 2, 2]})
    discovery._print(report)
    out = capsys.readouterr().out
    assert report["goals"]["held_out"]["met"] == [True, False]
    assert report["goals"]["whole_set"]["totals"] == [767, None]
    assert report["median_evaluations"] == 3000 and report["median_best_found_at_evaluations"] == 1200
    rank4 = next(line for line in out.splitlines() if line.startswith("rank4 "))
    assert "205 floored Kira-3" in rank4 and "190" in rank4 and "INCOMPLETE (150; 2 left)" in rank4
    assert "1/2" in rank4
    dot1 = next(line for line in out.splitlines() if line.startswith("dot1 "))
    assert "449 floored + dots (floored: INCOMPLETE (89; 13 left))" in dot1
    assert ("goal (held out): complete on every held-out problem with fewer seeds than the baseline on "
            "each: met by 1 of 2 seeds") in out
    median = next(line for line in out.splitlines() if line.startswith("median "))
    assert "4.00" in median and "3000" in median and "2.50 min / 1200 ev" in median
    assert "3000 evaluations per seed" in out


@pytest.mark.slow
def test_a_short_held_out_run_reads_the_best_rule_s_held_out_results_from_its_records(tmp_path):
    discovery = bench()
    out = tmp_path / "discovery.json"
    assert discovery.main(["--train", "rank1", "--hold-out", "rank2", "--evaluations", "40", "--seeds", "1",
                           "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    run = report["runs"][0]
    assert run["evaluations"] == 40 and run["stopped"] == "evaluation budget spent"
    held = next(row for row in report["set"] if row["problem"] == "rank2")
    assert held["role"] == "held out" and held["baseline"]["seeds"] == 89
    assert held["found"][0]["verdict"] in {"complete", "incomplete", "failed"}
    assert run["best"]["held_out_from"] == "the run's records"
    assert report["thresholds"] == [87]

"""bench/records.py --runs K makes the same mixed run K times, one after another, and judges the recording
goals on the median of the runs' medians (one run's median moves by more than a change worth measuring);
its table shows the run with that median, and a line gives every run's."""

import json
import statistics
import subprocess
import sys

from tests.benches import BENCH, load_bench


def summary(median: float) -> dict:
    return {"per_candidate": {"median_ms": median, "p95_ms": 2 * median}, "share_of_run": median / 1000,
            "run_seconds": 1.0}


def test_the_run_shown_is_the_one_with_the_median_of_the_medians():
    records = load_bench("records")
    runs = [summary(m) for m in (7.0, 4.0, 6.0)]
    assert records.real_paths(runs)["real_path"] is runs[2]
    even = [summary(m) for m in (7.0, 4.0, 6.0, 5.0)]
    assert records.real_paths(even)["real_path"] is even[3]  # the lower middle one
    assert [r["median_ms"] for r in records.real_paths(runs)["real_path_runs"]] == [7.0, 4.0, 6.0]


def test_three_real_runs_are_made_and_judged_together(tmp_path):
    out = tmp_path / "records.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "records.py"), "--database", "sqlite", "--runs", "3", "--budget", "6",
         "--candidates", "40", "--depth", "3", "--repeat", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    medians = [run["median_ms"] for run in results["real_path_runs"]]
    assert len(medians) == 3 and all(m > 0 for m in medians)
    assert results["real_path"]["per_candidate"]["median_ms"] == statistics.median(medians)
    assert results["met"]["per_candidate"] == (statistics.median(medians) <= 5.0)
    assert "3 runs, median per candidate in each:" in done.stdout

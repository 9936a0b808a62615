"""PostgreSQL restarting mid-run never leaves a run `running` for ever. A short outage: the controller
reconnects with a backoff, rebuilds itself from the records and completes the run, every candidate evaluated
once, the ledger intact. An outage longer than SEEDTRACE_CONTROLLER_DB_PATIENCE: the controller stops with
the command that continues the run, the run shows its controller lost, and that command completes it.

Each test runs its own throwaway cluster (initdb, pg_ctl) on a free port; skipped where there is none."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.ports import free_port
from tests.worker import ROOT, reaped, wait_until

pytestmark = pytest.mark.slow

BUDGET = 60
EVOLVE = ("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET), "--population",
          "4", "--seed", "12", "--json", "--verbosity", "0")


def _binaries() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config:
        return Path(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip())
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """A PostgreSQL cluster of its own, trusting local connections, on 127.0.0.1:port."""

    def __init__(self):
        self.bin = _binaries()
        if self.bin is None or not (self.bin / "initdb").exists():
            pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) to start a throwaway cluster")
        self.root = Path(tempfile.mkdtemp(prefix="seedtrace-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: as its own account, if there is one
            if shutil.which("runuser") is None:
                pytest.skip("running as root without runuser: no PostgreSQL cluster of our own")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "seedtrace")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/seedtrace"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *args], check=True, capture_output=True,
                       cwd=self.root)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def query(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="seedtrace") as db:
            return db.execute(sql).fetchall()

    def manage(self, *args: str, **env: str) -> subprocess.Popen:
        brokers = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
        embedded = {k: v for k, v in os.environ.items() if k not in brokers}
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT,
                                env={**embedded, "DATABASE_URL": self.url, **env}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)




@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        migrate = cluster.manage("migrate", "--verbosity", "0")
        _, err = migrate.communicate(timeout=300)
        assert migrate.returncode == 0, err
        yield cluster
    finally:
        cluster.close()


def candidates(cluster: Cluster) -> int:
    try:
        return cluster.query("select count(*) from provenance_candidate")[0][0]
    except Exception:  # not there yet
        return 0


def assert_completed(cluster: Cluster, run: int) -> None:
    assert cluster.query(f"select status from evolution_runstate where run_id = {run}") == [("finished",)]
    assert candidates(cluster) == BUDGET
    steps = cluster.query("select params->>'step' from provenance_candidate where params ? 'step' "
                          "order by seq")
    assert [int(step) for (step,) in steps] == list(range(len(steps)))
    per_candidate = cluster.query("select count(*) from provenance_evaluation group by candidate_id")
    assert sorted(n for (n,) in per_candidate) == [1] * BUDGET
    assert cluster.query("select distinct status from evolution_evaluationjob") == [("done",)]
    verify = cluster.manage("verify", "--run", str(run))
    _, err = verify.communicate(timeout=120)
    assert verify.returncode == 0, err


def stopped_mid_run(cluster: Cluster, evolve: subprocess.Popen, seconds: float) -> int:
    wait_until(lambda: candidates(cluster) >= 12, 120, "12 candidates")
    (run,) = cluster.query("select id from provenance_run")[0]
    cluster.stop()
    time.sleep(seconds)
    return run


def test_a_controller_rides_out_a_postgresql_restart_and_completes_the_run(cluster):
    evolve = cluster.manage(*EVOLVE)
    with reaped(evolve):
        run = stopped_mid_run(cluster, evolve, 3)
        cluster.start()
        out, err = evolve.communicate(timeout=300)
    assert evolve.returncode == 0, err
    assert "database error" in err  # it noticed, waited, and went on
    assert_completed(cluster, run)


def test_a_longer_outage_stops_the_controller_with_the_resume_command(cluster):
    quick = {"SEEDTRACE_CONTROLLER_DB_PATIENCE": "3", "SEEDTRACE_HEARTBEAT": "1"}
    evolve = cluster.manage(*EVOLVE, **quick)
    try:
        with reaped(evolve):
            run = stopped_mid_run(cluster, evolve, 1)
            _, err = evolve.communicate(timeout=120)
    finally:
        cluster.start()
    assert evolve.returncode == 1
    assert "stopped: the database was out of reach" in err
    assert f"continue with: manage.py evolve --resume {run}" in err

    time.sleep(3)  # three heartbeats of 1 s
    runs = cluster.manage("runs", str(run), **quick)
    out, err = runs.communicate(timeout=60)
    assert runs.returncode == 0, err
    assert "controller lost" in out and f"continue with `evolve --resume {run}`" in out

    resumed = cluster.manage("evolve", "--resume", str(run), "--json", "--verbosity", "0")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert_completed(cluster, run)

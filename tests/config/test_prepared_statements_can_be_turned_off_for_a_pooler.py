"""On PostgreSQL the records' writes alone are prepared statements (provenance.prepared): the connection is
opened with a threshold no statement reaches, so that psycopg prepares only what asks to be, and with
generic plans, so that each shape of write is planned once. With DATABASE_PREPARED_STATEMENTS off (a pooler
that cannot keep prepared statements, nor perhaps startup options) nothing is prepared and no option is
sent."""

import json
import subprocess
import sys

import pytest

from tests.config.production import ROOT

SHOW = "import json, seedtrace.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
POSTGRES = "postgres://postgres@127.0.0.1:5432/seedtrace"


def options(tmp_path, **variables) -> dict:
    env = {"PATH": "/usr/bin:/bin", "SEEDTRACE_VAR_DIR": str(tmp_path), **variables}
    done = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_by_default_only_what_asks_is_prepared(tmp_path):
    threshold = options(tmp_path, DATABASE_URL=POSTGRES)["prepare_threshold"]
    assert threshold >= 2**62  # psycopg prepares a statement run this often: none is


def test_prepared_writes_are_planned_once_per_shape_beside_the_url_s_own_options(tmp_path):
    assert options(tmp_path, DATABASE_URL=POSTGRES)["options"] == "-c plan_cache_mode=force_generic_plan"
    given = options(tmp_path, DATABASE_URL=f"{POSTGRES}?options=-c%20statement_timeout%3D5000")["options"]
    assert given == "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"


@pytest.mark.parametrize("off", ["0", "false", "off"])
def test_turned_off_nothing_is_prepared(tmp_path, off):
    settings = options(tmp_path, DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS=off)
    assert settings["prepare_threshold"] is None and "options" not in settings


def test_sqlite_has_no_such_option(tmp_path):
    assert "prepare_threshold" not in options(tmp_path)

"""Bad environment values stop start-up with ImproperlyConfigured naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from seedtrace import env

ROOT = Path(__file__).resolve().parents[2]


def settings_error(tmp_path, **variables) -> str:
    """Import the real settings module in a fresh interpreter; return what it raised."""
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    environ.update(SEEDTRACE_VAR_DIR=str(tmp_path), **variables)
    code = "import seedtrace.settings"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    return done.stderr if done.returncode else ""


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("DATABASE_URL", "postgres://localhost:notaport/db"),
        ("DATABASE_URL", "postgres://localhost"),
        ("DATABASE_PREPARED_STATEMENTS", "maybe"),
        ("CELERY_BROKER_URL", "kafka://localhost:9092"),
        ("ALLOWED_HOSTS", " , "),
        ("CELERY_TASK_TIME_LIMIT", "soon"),
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("SECURE_HSTS_SECONDS", "-1"),
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("SECURE_HSTS_PRELOAD", "sure"),
        ("CSRF_TRUSTED_ORIGINS", " , "),
        ("SEEDTRACE_BASE_URL", "seedtrace.example.org"),
    ],
)
def test_a_bad_value_names_the_variable(tmp_path, variable, value):
    error = settings_error(tmp_path, **{variable: value})
    assert "ImproperlyConfigured" in error
    assert variable in error


def test_without_a_secret_key_one_is_generated_that_only_its_owner_can_read(tmp_path):
    assert settings_error(tmp_path, DEBUG="0", SECRET_KEY="") == ""
    key = tmp_path / "secret_key"
    assert len(key.read_text()) >= 50 and key.stat().st_mode & 0o777 == 0o600


def test_a_short_secret_key_is_refused(tmp_path):
    assert "SECRET_KEY must be at least 32" in settings_error(tmp_path, SECRET_KEY="short")


def test_debug_off_with_a_key_starts(tmp_path):
    assert settings_error(tmp_path, DEBUG="0", SECRET_KEY="k" * 40) == ""


def test_the_development_key_is_generated_once_and_kept(tmp_path):
    first = env.secret_key("SEEDTRACE_TEST_UNSET_KEY", tmp_path / "secret_key")
    second = env.secret_key("SEEDTRACE_TEST_UNSET_KEY", tmp_path / "secret_key")
    assert first == second and len(first) >= 50
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_no_database_url_means_a_sqlite_file_under_var(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = env.database_from_url("DATABASE_URL", tmp_path / "var" / "db.sqlite3")
    assert db["ENGINE"].endswith("sqlite3") and db["NAME"] == str(tmp_path / "var" / "db.sqlite3")


def test_a_postgres_url_is_split_into_its_parts(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://al%40ice:p%2Fw@db.example:6543/seed?sslmode=require")
    db = env.database_from_url("DATABASE_URL", Path("/unused"))
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "al@ice", "p/w", "db.example", "6543", "seed")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_no_broker_means_eager_tasks(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    assert env.broker_url("CELERY_BROKER_URL") is None


@pytest.mark.parametrize("raw", ["yes", "On", "1", "TRUE"])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw):
    monkeypatch.setenv("SEEDTRACE_FLAG", raw)
    assert env.env_bool("SEEDTRACE_FLAG", False) is True


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("SEEDTRACE_N", "0")
    with pytest.raises(ImproperlyConfigured, match="SEEDTRACE_N must be at least 1"):
        env.env_int("SEEDTRACE_N", 5, minimum=1)

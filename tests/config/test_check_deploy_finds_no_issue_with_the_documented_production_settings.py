"""`manage.py check --deploy` with deploy/seedtrace.env.example as it stands (README, "Deploying"): no issue
at all. And it is those settings that satisfy it: without their HTTPS lines, the same check complains."""

import subprocess
import sys

from tests.config.production import ROOT, documented_settings, production_environment


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_finds_no_issue_with_the_documented_settings(tmp_path):
    done = check_deploy(production_environment(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    # The key was generated into the service's own folder, readable by its owner alone.
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_without_the_documented_https_settings_check_deploy_complains(tmp_path):
    https = [name for name in documented_settings() if name.startswith("SECURE_")]
    assert {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"} <= set(https)
    env = production_environment(tmp_path)
    for name in https:
        del env[name]
    done = check_deploy(env)
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr  # HSTS, the HTTPS redirect

"""The HTTPS settings of a deployment come from the environment: off unless asked for (the tests and `make
run` serve plain HTTP), a proxy's header given by its name. (A bad value stops start-up:
test_settings_refuse_bad_environment.)"""

import json
import subprocess
import sys

from tests.config.production import ROOT

SHOW = (
    "import json, seedtrace.settings as s; print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
    " getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.CSRF_TRUSTED_ORIGINS]))"
)


def settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "SEEDTRACE_VAR_DIR": str(tmp_path), **variables}
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True)


def test_without_them_nothing_is_redirected_or_promised(tmp_path):
    done = settings_with(tmp_path)
    assert json.loads(done.stdout) == [False, 0, None, []], done.stderr


def test_a_proxy_header_is_given_by_its_name(tmp_path):
    done = settings_with(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", SECURE_SSL_REDIRECT="1",
                         SECURE_HSTS_SECONDS="3600", CSRF_TRUSTED_ORIGINS="https://a.example,https://b.example")
    assert json.loads(done.stdout) == [
        True, 3600, ["HTTP_X_FORWARDED_PROTO", "https"], ["https://a.example", "https://b.example"]
    ], done.stderr

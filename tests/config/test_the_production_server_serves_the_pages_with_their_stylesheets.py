"""The documented production commands, for real: with deploy/seedtrace.env.example's settings (DEBUG off),
`migrate`, `collectstatic`, then gunicorn exactly as deploy/systemd/seedtrace-web.service starts it. Through
it, with requests as the TLS-ending proxy forwards them, a person logs in and the pages' stylesheets arrive:
content-hashed names, text/css, gzip, cached for good. Without WhiteNoise gunicorn answers 404 for them."""

import gzip
import http.client
import re
import shlex
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.config.production import ROOT, documented_settings, production_environment

pytestmark = pytest.mark.slow

UNIT = ROOT / "deploy" / "systemd" / "seedtrace-web.service"
PASSWORD = "a-long-test-password-7731"


def unit_command() -> list[str]:
    """The unit's ExecStart, with this virtual environment in place of /opt/seedtrace/.venv."""
    (line,) = [line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart=")]
    program, *args = shlex.split(line.removeprefix("ExecStart="))
    assert program == "/opt/seedtrace/.venv/bin/gunicorn", program
    return [str(Path(sys.executable).parent / "gunicorn"), *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Requests as the reverse proxy forwards them: the public Host, X-Forwarded-Proto: https."""

    def __init__(self, port: int, host: str):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method, path, body=None, headers=None, proxied=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": self.host, **(headers or {})}
        if proxied:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response, content


@pytest.fixture
def production(tmp_path):
    env = production_environment(
        tmp_path / "var",
        # The one thing not as documented: a database of its own instead of the site's PostgreSQL; no broker.
        DATABASE_URL=f"sqlite:///{tmp_path / 'seedtrace.sqlite3'}",
        CELERY_BROKER_URL="",
        GUNICORN_BIND=f"127.0.0.1:{free_port()}",
        WEB_CONCURRENCY="1",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["createsuperuser", "--noinput", "--username", "ops", "--email", "ops@example.org"],
    ):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(unit_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    browser = Browser(int(env["GUNICORN_BIND"].rsplit(":", 1)[1]), documented_settings()["ALLOWED_HOSTS"])
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()}"
            try:
                browser.request("GET", "/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        yield browser
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def stylesheets(html: bytes) -> list[str]:
    return re.findall(r'<link rel="stylesheet"[^>]* href="([^"]+)"', html.decode())


def test_a_person_logs_in_and_the_pages_stylesheets_are_served(production):
    response, _ = production.request("GET", "/login/", proxied=False)
    assert response.status == 301 and response.getheader("Location").startswith("https://")

    response, login_page = production.request("GET", "/login/")
    assert response.status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1).decode()
    response, _ = production.request(
        "POST", "/login/",
        body=urlencode({"csrfmiddlewaretoken": token, "username": "ops", "password": PASSWORD}),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Origin": f"https://{production.host}"},
    )
    assert response.status == 302 and response.getheader("Location") == "/"
    response, home = production.request("GET", "/")
    assert response.status == 200

    sheets = stylesheets(home)
    assert sheets == stylesheets(login_page) and len(sheets) >= 2
    for url in sheets:
        # collectstatic's content-hashed name, from its manifest: name.0123456789ab.css
        name = re.fullmatch(r"/static/(.+)\.[0-9a-f]{12}\.css", url)
        assert name, url
        response, body = production.request("GET", url, headers={"Accept-Encoding": "gzip"})
        assert response.status == 200, url
        assert response.getheader("Content-Type").startswith("text/css")
        assert response.getheader("Content-Encoding") == "gzip"
        assert "immutable" in response.getheader("Cache-Control")
        assert gzip.decompress(body) == (ROOT / "web" / "static" / f"{name.group(1)}.css").read_bytes()

"""DEBUG is off unless asked for; and even with it on, an error page shows no setting, no environment
variable and no secret held in a traceback variable."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
# Made at run time: the technical page shows source lines around each frame, this file's included.
BROKER_PASSWORD = secrets.token_hex(12)
API_KEY = "sk-" + secrets.token_hex(12)


def boom(request):
    broker = settings.CELERY_BROKER_URL  # a local that holds a credentialed URL when the view fails
    raise RuntimeError(f"the view failed near {len(broker)}")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def hostile_server(settings, monkeypatch):
    settings.CELERY_BROKER_URL = f"amqp://lab:{BROKER_PASSWORD}@broker.example:5672//"
    monkeypatch.setenv("LLM_API_KEY", API_KEY)
    return Client(raise_request_exception=False)


def test_debug_is_off_when_the_environment_does_not_say(tmp_path):
    code = "import seedtrace.settings as s; print(s.DEBUG)"
    env = {"PATH": "/usr/bin:/bin", "SEEDTRACE_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_debug_500_page_shows_no_setting_environment_or_secret(hostile_server, settings):
    settings.DEBUG = True
    page = hostile_server.get("/boom/", LLM_API_KEY=API_KEY, HTTP_COOKIE="sessionid=abc").content.decode()
    assert "RuntimeError" in page and "the view failed" in page  # it is the technical page
    assert BROKER_PASSWORD not in page
    assert API_KEY not in page
    assert settings.SECRET_KEY not in page
    assert "INSTALLED_APPS" not in page


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_with_debug_off_a_500_page_says_only_that_something_failed(hostile_server):
    response = hostile_server.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "RuntimeError" not in page and BROKER_PASSWORD not in page and "Traceback" not in page


@pytest.mark.django_db
def test_a_bad_link_does_not_list_the_site_s_urls(client):
    response = client.get("/review/not-a-token/nothing-here/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "admin/" not in page and "URLconf" not in page

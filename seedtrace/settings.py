"""One settings module; every knob is an environment variable (see README, "Configuration")."""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from seedtrace.env import broker_url, database_from_url, env_bool, env_int, env_list, env_url, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SEEDTRACE_VAR_DIR", BASE_DIR / "var"))

# Off unless asked for: with it on, error pages show code and the URL list. `make run` turns it on for the
# local demo alone.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key("SECRET_KEY", VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Where people reach the pages: commands print addresses under it (`evolve` names its run's page).
SEEDTRACE_BASE_URL = env_url("SEEDTRACE_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "provenance",
    "evolution",
    "web",
]

MIDDLEWARE = [
    "web.middleware.ContentSecurityPolicyMiddleware",  # outermost: every response gets it
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise: static files from the application server (seedtrace/static.py); after SecurityMiddleware
    # (HTTPS redirect, HSTS), before sessions and the rest, which a stylesheet does not need.
    "seedtrace.static.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "web.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "seedtrace.urls"
# Error pages and reports show neither settings nor the environment, DEBUG on or off.
DEFAULT_EXCEPTION_REPORTER_FILTER = "seedtrace.error_report.ErrorReportFilter"
WSGI_APPLICATION = "seedtrace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", VAR_DIR / "seedtrace.sqlite3")}
PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)  # PostgreSQL only
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The test database is a file so that a worker process started by the tests sees it too;
    # one per test process, so that two test sessions on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-seedtrace-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 30}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
    # The records' one-statement writes go as prepared statements (provenance.prepared), and nothing else: a
    # threshold no statement reaches, so psycopg prepares only what is asked. Off: None, for a pooler that
    # cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 1 << 62 if PREPARED_STATEMENTS else None)
    if PREPARED_STATEMENTS:
        # Planned once per shape, not at each of a shape's first five runs as the server's default does (a
        # custom plan each time): a step's write, whose shape depends on how many candidates and edges it
        # holds, was planned anew at nearly every run. These writes are inserts and updates by key, which a
        # generic plan serves as well. Only prepared statements are affected: nothing else is prepared.
        options = DATABASES["default"]["OPTIONS"]
        options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# Shared by a machine's server processes (a page's score history: web/progress.py), so that each of them
# does not replay a run on its own; kept across restarts. Small entries, culled past 300.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(VAR_DIR / "cache")}}

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # `manage.py collectstatic` writes here; WhiteNoise serves it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed, gzipped copies once collected; the names as written before (tests, `make run`)
    "staticfiles": {"BACKEND": "seedtrace.static.ManifestOnceCollected"},
}
# Until collectstatic has run, WhiteNoise serves the files from the app folders themselves (uncompressed,
# cached for a minute), so that DEBUG off without collectstatic still has its styles and scripts.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").is_file()

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it for X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# HTTPS, for `manage.py check --deploy` (README, "Deploying"). Off by default: a wrong value locks browsers
# out, with a redirect to an HTTPS port nobody serves or an HSTS promise they keep for SECURE_HSTS_SECONDS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a proxy that ends TLS: the header it sets to "https" (X-Forwarded-Proto), and strips from clients.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    if not re.fullmatch(r"[A-Za-z0-9-]+", _proxy_header):
        raise ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER must be a header name, got {_proxy_header!r}")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Other origins forms may be posted from (https://name): only when the public address is not the Host header.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Celery: no broker → tasks run eagerly in the calling process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = broker_url("CELERY_BROKER_URL") is None
CELERY_BROKER_URL = broker_url("CELERY_BROKER_URL") or "memory://localhost/"  # unused when eager
# On Redis, Celery's transport with the repair in seedtrace/broker.py (a worker survives a Redis restart).
# Not on rediss://: a transport named here stops kombu reading TLS from the URL's scheme.
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "seedtrace.broker:Transport"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process holds its next evaluation while it runs one (the controller keeps two in flight per
# worker): a job then starts without a broker round trip. Evaluations are short (~15 ms); a longer one
# delays at most the one job reserved behind it. bench/throughput.py: +7% for one worker against 1.
CELERY_WORKER_PREFETCH_MULTIPLIER = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job state lives in database rows; a result backend is optional (tests use one to read replies).
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
# One queue name per deployment, so several Seedtrace installations can share a broker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "seedtrace")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker is away keeps trying (every 2, 4, … up to 30 s) rather than giving up after 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540, minimum=1)
# Celery's Django fixup otherwise closes the database connections around every task; seedtrace/celery.py
# gives them Django's own lifecycle instead (CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = 2**62

# Evolution: a claimed evaluation older than this belongs to a worker that died and may be taken over.
SEEDTRACE_EVALUATION_LEASE = env_int("SEEDTRACE_EVALUATION_LEASE", 300, minimum=1)
# Seconds between heartbeats: a worker's on the job it evaluates, a controller's on its run. A claim or a
# controller silent for three heartbeats is taken for dead (the lease above stays the last resort for claims).
SEEDTRACE_HEARTBEAT = env_int("SEEDTRACE_HEARTBEAT", 5, minimum=1)
# A job still queued this long after its task was sent is sent again (its message may be lost: a broker
# restart, a task that failed on the database); the job's row still decides who evaluates it.
SEEDTRACE_EVALUATION_RESEND = env_int("SEEDTRACE_EVALUATION_RESEND", 60, minimum=1)
# How long a controller waits for its database to come back (reconnecting with a backoff) before it stops.
SEEDTRACE_CONTROLLER_DB_PATIENCE = env_int("SEEDTRACE_CONTROLLER_DB_PATIENCE", 300, minimum=0)
# Redis re-delivers an unacknowledged task after this long (a worker killed mid-task): keep it near the lease.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=1)}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Eager tasks would log a line each; a worker logs its own tasks under celery.worker / celery.app.trace.
    # The OpenAI client's HTTP library logs every request at INFO: thousands of lines in a run, each call
    # being on the record already (status, timing, tokens). LOG_LEVEL=DEBUG shows them.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
                **{name: {"level": "DEBUG" if LOG_LEVEL == "DEBUG" else "WARNING"}
                   for name in ("httpx", "httpx2")}},  # the openai package's HTTP library, by release
}

"""gunicorn settings: `gunicorn -c deploy/gunicorn.conf.py seedtrace.wsgi` (README, "Deploying").

The command line and GUNICORN_CMD_ARGS override any of them; the environment file sets those read here.
"""

import os

# Where to listen: host:port or unix:/path. Behind a reverse proxy on the same machine, the loopback address.
# Without GUNICORN_BIND, gunicorn's own default: 0.0.0.0:$PORT where PORT is set (platforms that run a
# Procfile set it), 127.0.0.1:8000 otherwise.
if os.environ.get("GUNICORN_BIND"):
    bind = os.environ["GUNICORN_BIND"].split(",")

# Synchronous workers, each one request at a time. Every page is a few database queries; an export of a
# whole run (RO-Crate zip, LaTeX) is the slowest request, hence the generous timeout. A worker holds the
# Django app, numpy and sympy: about 120 MB.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30  # SIGTERM or HUP: a worker finishes its request for at most this long
keepalive = 5  # behind a proxy that keeps connections open
# Workers are replaced after a while, so that no slow leak grows without bound; the jitter spreads restarts.
max_requests = 1000
# Load the application (and every view: seedtrace/wsgi.py) once in the master, before forking: a process
# started or recycled (max_requests) serves its first request warm, and the processes share those pages.
preload_app = True
max_requests_jitter = 100

# X-Forwarded-Proto & co. are believed from these addresses only (the reverse proxy). gunicorn reads
# FORWARDED_ALLOW_IPS itself; the default is the loopback interface.

accesslog = "-"  # stdout: the journal (systemd) or the platform's log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The systemd unit supervises and reloads (HUP); no control socket in the service user's home.
control_socket_disable = True

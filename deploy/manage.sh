#!/bin/sh
# Run manage.py with the production environment, as the services do:
#   sudo -u seedtrace /opt/seedtrace/deploy/manage.sh migrate
# The environment file is /etc/seedtrace/seedtrace.env unless SEEDTRACE_ENV names another; the checkout is
# the one this script is in, its virtual environment .venv.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
env_file=${SEEDTRACE_ENV:-/etc/seedtrace/seedtrace.env}
if [ ! -r "$env_file" ]; then
    echo "deploy/manage.sh: cannot read $env_file (SEEDTRACE_ENV names another)" >&2
    exit 2
fi
set -a
. "$env_file"
set +a
cd "$root"
exec "$root/.venv/bin/python" manage.py "$@"

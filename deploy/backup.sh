#!/bin/sh
# Seedtrace backups (README, "Backup and restore"):
#   deploy/backup.sh dump [DIR]    pg_dump -Fc of DATABASE_URL into DIR/seedtrace-<UTC time>.dump (default
#                                  /var/backups/seedtrace), with the generated secret key if there is one
#   deploy/backup.sh check FILE    restore FILE into a scratch database beside the real one, run
#                                  `manage.py verify` there (every hash and chain recomputed), drop it
# DATABASE_URL and SEEDTRACE_VAR_DIR come from /etc/seedtrace/seedtrace.env, or the file SEEDTRACE_ENV names
# (SEEDTRACE_ENV=- : from the environment as it is). `check` needs the right to create databases.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
env_file=${SEEDTRACE_ENV:-/etc/seedtrace/seedtrace.env}
if [ "$env_file" != "-" ]; then
    set -a
    . "$env_file"
    set +a
fi
: "${DATABASE_URL:?DATABASE_URL is not set: backups are of a PostgreSQL database}"
case $DATABASE_URL in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
python=$root/.venv/bin/python
umask 077

case ${1:-} in
dump)
    dir=${2:-/var/backups/seedtrace}
    mkdir -p "$dir"
    file=$dir/seedtrace-$(date -u +%Y%m%dT%H%M%SZ).dump
    # One transaction: a consistent snapshot while the services keep running.
    pg_dump --format=custom --dbname="$DATABASE_URL" --file="$file.partial"
    mv "$file.partial" "$file"
    key=${SEEDTRACE_VAR_DIR:-$root/var}/secret_key
    if [ -z "${SECRET_KEY:-}" ] && [ -r "$key" ]; then
        cp "$key" "$dir/secret_key"
    fi
    echo "$file ($(wc -c <"$file") bytes)"
    ;;
check)
    file=${2:?usage: backup.sh check FILE}
    scratch=seedtrace_restore_check_$$
    scratch_url=$("$python" -c 'import sys, urllib.parse as u
url = u.urlsplit(sys.argv[1])
print(u.urlunsplit(url._replace(path="/" + sys.argv[2])))' "$DATABASE_URL" "$scratch")
    createdb --maintenance-db="$DATABASE_URL" "$scratch"
    trap 'dropdb --maintenance-db="$DATABASE_URL" --if-exists "$scratch"' EXIT
    pg_restore --no-owner --exit-on-error --dbname="$scratch_url" "$file"
    cd "$root"
    DATABASE_URL=$scratch_url "$python" manage.py verify
    ;;
*)
    echo "usage: backup.sh dump [DIR] | backup.sh check FILE" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Load with nothing lost: 64 connections of searches, detail pages and problem reports for 60 s
# against gunicorn + PostgreSQL while four staff members edit and verify listings in the admin;
# then every report the server accepted and every edit staff saw saved must be in the database,
# with no server error and no deadlock. Stops by itself; exits 1 if anything is missing.
#
#   scripts/load_nothing_lost.sh
#
# Optional: DATABASE_URL (postgres://postgres@127.0.0.1:5432/finder_load, dropped and made
# again with the demo directory), PORT (8022), SECONDS_LOAD (60, at most 300), CONNECTIONS (64),
# WORKERS (2 per core), REDIS_URL (the local Redis if it answers, as in production). Needs wrk
# (apt-get install -y wrk) and the project's .venv (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/finder_load}
PORT=${PORT:-8022}
SECONDS_LOAD=$(( ${SECONDS_LOAD:-60} > 300 ? 300 : ${SECONDS_LOAD:-60} ))
CONNECTIONS=${CONNECTIONS:-64}
source scripts/loopback.sh
use_local_redis 5  # shared rate limits and taxonomy version
# The report form's per-address limit raised, as every request comes from 127.0.0.1.
export REPORT_RATE_LIMIT=100000000

database=${DATABASE_URL##*/}
server=${DATABASE_URL%/*}
psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$database\"" \
  -c "CREATE DATABASE \"$database\""
"$PYTHON" manage.py migrate -v0
"$PYTHON" manage.py load_demo
"$PYTHON" manage.py collectstatic --noinput -v0  # DEBUG=0 serves hashed static files

work=$(mktemp -d)
"$PYTHON" scripts/load_nothing_lost.py prepare --work "$work"
trap 'kill "$gunicorn" 2>/dev/null || true; rm -rf "$work"' EXIT
serve --graceful-timeout 60 --access-logfile "$work/access.log" --error-logfile "$work/error.log"

echo "$CONNECTIONS connections, $WORKERS gunicorn workers, ${SECONDS_LOAD}s;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout $(( SECONDS_LOAD + 240 )) "$PYTHON" scripts/load_nothing_lost.py run --work "$work" \
  --base "http://127.0.0.1:$PORT" --seconds "$SECONDS_LOAD" --connections "$CONNECTIONS"
# Stop gunicorn gracefully: requests in flight finish and are logged before the count.
kill -TERM "$gunicorn"
wait "$gunicorn" || true
"$PYTHON" scripts/load_nothing_lost.py check --work "$work" --seconds "$SECONDS_LOAD" \
  --connections "$CONNECTIONS"

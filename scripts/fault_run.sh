#!/usr/bin/env bash
# Fault run: wrk's public mix (searches, detail pages, the API, HSDS, problem reports) against
# gunicorn under production settings while the parts behind it fail, one phase at a time:
#
#   baseline    all well
#   redis_down  Redis stopped                 rule: no 5xx (pages come from the database)
#   redis_hung  Redis accepting, never answering (SIGSTOP)                  rule: no 5xx
#   redis_back  Redis answering again (SIGCONT)                             rule: no 5xx
#   db_down     PostgreSQL unreachable       rule: the friendly 503 page, no other 5xx
#   db_back     PostgreSQL back                                             rule: no 5xx
#
# then every report the server accepted (a 302 to the thanks page in gunicorn's access log, which
# holds the requests wrk gave up on at the end of a phase too) must be in the database.
# Prints one line per phase and exits 1 if a rule failed. Loopback only; stops by itself
# (about 2 minutes: setup, then PHASE_SECONDS per phase).
#
#   scripts/fault_run.sh
#
# It never touches the machine's own Redis or PostgreSQL: it starts a second redis-server of its
# own on REDIS_PORT (6390), and the app reaches PostgreSQL through a proxy of its own on
# PROXY_PORT (6433; scripts/fault_run.py proxy) which it cuts and restores. Optional:
# DATABASE_URL (postgres://postgres@127.0.0.1:5432/finder_fault, dropped and made again with the
# demo directory), PORT (8023), PHASE_SECONDS (10, at most 30), CONNECTIONS (16), WORKERS.
# Needs wrk and redis-server (apt-get install -y wrk redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."
DIRECT_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/finder_fault}
PORT=${PORT:-8023}
REDIS_PORT=${REDIS_PORT:-6390}
PROXY_PORT=${PROXY_PORT:-6433}
PHASE_SECONDS=$(( ${PHASE_SECONDS:-10} > 30 ? 30 : ${PHASE_SECONDS:-10} ))
CONNECTIONS=${CONNECTIONS:-16}
command -v redis-server >/dev/null || { echo "redis-server is missing" >&2; exit 1; }
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"  # before loopback.sh: not the machine's Redis
source scripts/loopback.sh
export REPORT_RATE_LIMIT=100000000  # every report comes from 127.0.0.1

work=$(mktemp -d)
redis=""; proxy=""
cleanup() {
  [ -n "$gunicorn" ] && kill "$gunicorn" 2>/dev/null
  [ -n "$redis" ] && { kill -CONT "$redis"; kill "$redis"; } 2>/dev/null
  [ -n "$proxy" ] && kill "$proxy" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --logfile "$work/redis.log" &
  redis=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && return; sleep 0.1; done
}

# A fresh database with the demo directory, made directly; the app then goes through the proxy.
database=${DIRECT_URL##*/}
server=${DIRECT_URL%/*}
psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS \"$database\"" -c "CREATE DATABASE \"$database\""
DATABASE_URL=$DIRECT_URL "$PYTHON" manage.py migrate -v0
DATABASE_URL=$DIRECT_URL "$PYTHON" manage.py load_demo >/dev/null
"$PYTHON" manage.py collectstatic --noinput -v0  # DEBUG=0 serves hashed static files

start_redis
"$PYTHON" scripts/fault_run.py proxy --listen "$PROXY_PORT" --target "${server##*:}" \
  >"$work/proxy.log" 2>&1 &
proxy=$!
sleep 0.5
export DATABASE_URL="${server%:*}:$PROXY_PORT/$database"
# The app's own log (every "Database unavailable" of the outage) kept for a failure's report.
serve --access-logfile "$work/access.log" --error-logfile "$work/gunicorn.log" 2>"$work/app.log"
DATABASE_URL=$DIRECT_URL "$PYTHON" scripts/fault_run.py prepare --work "$work" \
  --base "http://127.0.0.1:$PORT"
read -r token cookie < "$work/csrf"

echo "$CONNECTIONS connections, $WORKERS gunicorn workers, ${PHASE_SECONDS}s a phase;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
n=0
phase() {  # NAME: load for PHASE_SECONDS, with /healthz and one search page looked at midway
  n=$((n + 1))
  local name=$1 out="$work/wrk-$1.txt"
  timeout $(( PHASE_SECONDS + 30 )) wrk -t2 -c"$CONNECTIONS" -d"${PHASE_SECONDS}s" \
    --timeout 10s -s scripts/wrk_fault.lua "http://127.0.0.1:$PORT" -- \
    "$work/mix.txt" "$token" "$cookie" "$name" >"$out" &
  local load=$!
  sleep $(( PHASE_SECONDS / 2 ))
  local health page friendly=false
  health=$(curl -s -m 15 -w ' %{http_code}' "http://127.0.0.1:$PORT/healthz" || echo "no answer")
  page=$(curl -s -m 15 "http://127.0.0.1:$PORT/?location=94110" || true)
  grep -q "briefly unavailable" <<<"$page" && grep -q 'href="tel:988"' <<<"$page" && friendly=true
  wait "$load"
  printf '{"name": "%s", "healthz": %s, "friendly_page": %s, "result": %s}\n' "$name" \
    "$("$PYTHON" -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$health")" "$friendly" \
    "$(sed -n 's/^RESULT //p' "$out")" >"$work/phase-$n-$name.json"
  echo "  $name done"
}

phase baseline
kill "$redis"; wait "$redis" 2>/dev/null || true; redis=""
phase redis_down
start_redis
kill -STOP "$redis"
phase redis_hung
kill -CONT "$redis"
phase redis_back
kill -USR1 "$proxy"
phase db_down
kill -USR2 "$proxy"
phase db_back

# gunicorn stops gracefully first: requests in flight finish before the reports are counted.
kill -TERM "$gunicorn"; wait "$gunicorn" || true; gunicorn=""
DATABASE_URL=$DIRECT_URL "$PYTHON" scripts/fault_run.py check --work "$work" || {
  tail -20 "$work/gunicorn.log" "$work/app.log"; exit 1; }
echo "the app logged: $(grep -c "Shared cache unavailable" "$work/app.log" || true) cache failures" \
  "(once per process per 5 s), $(grep -c "Database unavailable" "$work/app.log" || true)" \
  "database failures"
echo "fault run took ${SECONDS}s in all"

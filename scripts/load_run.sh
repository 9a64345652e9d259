#!/usr/bin/env bash
# Load run: the app under gunicorn on loopback, wrk on the benchmark's search mix; stops itself.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/finder_bench_100k scripts/load_run.sh
#
# DATABASE_URL: a database filled by `manage.py bench_search`. Optional: PORT (8021), DURATION
# seconds (30, at most 120), CONNECTIONS (8), WORKERS (2 per core), MIX=api for the JSON API's
# URLs instead of the search page's, SEARCH_CACHE_SECONDS=0 to work out every page rather than
# serve repeated searches from the cache, REDIS_URL (the local Redis if it answers, as in
# production). Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Set DATABASE_URL to a database filled by manage.py bench_search}"
PORT=${PORT:-8021}
DURATION=$(( ${DURATION:-30} > 120 ? 120 : ${DURATION:-30} ))
CONNECTIONS=${CONNECTIONS:-8}
source scripts/loopback.sh
use_local_redis 6  # the shared cache, as in production
work=$(mktemp -d)
"$PYTHON" manage.py collectstatic --noinput -v0  # DEBUG=0 serves hashed static files
"$PYTHON" manage.py bench_search --print-urls ${MIX:+--print-api} > "$work/urls.txt"

trap 'kill "$gunicorn" 2>/dev/null; wait "$gunicorn" 2>/dev/null; rm -rf "$work"' EXIT
serve --access-logfile /dev/null --error-logfile "$work/gunicorn.log"
# One pass over the mix first, so every worker has warmed its caches.
while read -r url; do curl -s -o /dev/null "http://127.0.0.1:$PORT$url"; done < "$work/urls.txt"

echo "$(wc -l < "$work/urls.txt") URLs, $WORKERS gunicorn workers, $CONNECTIONS connections," \
  "${DURATION}s, page cache ${SEARCH_CACHE_SECONDS:-120}s${REDIS_URL:+ in Redis};" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout $(( DURATION + 30 )) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
  -s scripts/wrk_mix.lua "http://127.0.0.1:$PORT" -- "$work/urls.txt"
grep -i "error\|exception" "$work/gunicorn.log" | head -5 || true

# Sourced by load_run.sh, load_nothing_lost.sh and fault_run.sh: the app under production settings on
# 127.0.0.1 over plain HTTP, as those load runs serve it. Set PORT first. Gives WORKERS (2 per
# core), PYTHON, Redis as the shared cache if one answers locally (use_local_redis DB), and
# serve ARGS…: gunicorn in the background (its pid in $gunicorn), returning once / answers.
WORKERS=${WORKERS:-$(( 2 * $(nproc) ))}
PYTHON=${PYTHON:-.venv/bin/python}
gunicorn=""  # serve() sets it
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# Plain HTTP, so cookies may not be Secure-only; the API's throttle off: we load, not defend.
export DEBUG=0 SECRET_KEY="loopback-$$-$RANDOM$RANDOM$RANDOM" ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export API_ANON_RATE=1000000000/min
# Every request comes from 127.0.0.1: one "client" may add any number of pages to the page cache.
export SEARCH_CACHE_NEW_PAGES_PER_CLIENT=1000000000

use_local_redis() {  # DB number: each run its own
  if [ -z "${REDIS_URL+x}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    export REDIS_URL="redis://127.0.0.1:6379/$1"
  fi
}

serve() {
  # The production configuration (gunicorn.conf.py: threads, timeouts, worker recycling), on
  # loopback with the run's number of workers.
  "$PYTHON" -m gunicorn -c gunicorn.conf.py finder.wsgi --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" "$@" &
  gunicorn=$!
  for _ in $(seq 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && return
    sleep 0.5
  done
}

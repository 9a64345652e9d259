# gunicorn reads this file with `gunicorn -c gunicorn.conf.py finder.wsgi` (the README's command).
# Sized from the machine; each value can be set in the environment (GUNICORN_WORKERS…).
import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or ""
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# A request is mostly waiting on PostgreSQL and Redis: two processes per core keep the cores busy,
# and a few threads in each let a slow request (a wide search, an admin page) not stall the rest.
workers = _env_int("GUNICORN_WORKERS", 2 * cores)
threads = _env_int("GUNICORN_THREADS", 4)
worker_class = "gthread"  # set explicitly: threads > 1 means gthread anyway
# No request should take this long (a search is well under a second; a big import runs in the
# task worker, not in a request). A stuck worker is killed and replaced after this many seconds.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On a restart or scale-down (SIGTERM), requests in flight get this long to finish.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer that reuses connections; longer than its idle timeout is not needed.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# The worker's own health: each is replaced after about this many requests, so a slow leak
# (a growing cache, fragmentation) never builds up; the jitter keeps them from restarting at once.
# A new worker starts cold (gazetteer, taxonomy, templates): at 2,000, four workers serving ~500
# pages/s from the page cache each restarted every ~16 s, and the load run's p99 was 2.9 s
# (473 requests/s); at 20,000 it was 34 ms (711 requests/s, docs/performance.md).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)
# The heartbeat file each worker touches: in memory where there is /dev/shm, so a slow or full
# disk never makes a healthy worker look hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Its access log is off unless --access-logfile is given; when it is on, this format keeps the
# method, path and status but neither the query string (it is the search: a ZIP code,
# "medicaid"…) nor the client's address.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

"""Gunicorn's settings for production: ``make serve`` and ``make bench`` both start gunicorn with them.

    gunicorn -c ruspolitikk/gunicorn.conf.py ruspolitikk.wsgi:application

Why these numbers, from the cores this process may run on (``os.process_cpu_count``: taskset and
cpusets count, a container's CPU quota does not; set ``WEB_CONCURRENCY`` there):

- **worker class ``gthread``**: a page render is Python on the CPU, under one GIL per process, but
  each request also waits: on PostgreSQL, on the page cache (a file or Redis), on a slow client.
  Threads fill those waits; keep-alive connections (from a load balancer, or wrk) stay open,
  which the ``sync`` worker cannot do.
- **workers = cores + 1**: one process per core is what the CPU-bound renders can use; the extra
  one keeps every core busy while a process waits on all its threads at once, or is being
  replaced. More processes would only fight over the same cores and hold more database
  connections.
- **4 threads per worker**: enough to overlap a render with the waits of a few others, few enough
  that a burst of slow renders cannot pile up in one process behind the GIL. Each thread may
  hold a PostgreSQL connection (``CONN_MAX_AGE``): ``workers × threads × app servers`` must stay
  below the server's ``max_connections`` (100 by default) — on a 2-core machine that is 12.
- **timeout 30 s**: a worker silent for 30 s is stuck, not busy (the slowest page renders in tens
  of milliseconds); it is killed and replaced. **graceful_timeout 30 s**: on a restart or
  deploy, requests in flight get that long to finish. **keepalive 5 s**: an idle connection is
  closed after 5 s; behind a load balancer that reuses connections, set it above the balancer's
  idle timeout (e.g. ``GUNICORN_CMD_ARGS="--keep-alive 75"`` behind one with 60 s).
- **preload_app**: the app (and so the settings) loads once in the master before forking: a
  missing ``SECRET_KEY`` or empty ``ALLOWED_HOSTS`` stops the start at once with the message,
  and the workers share the loaded code's memory.
- **pre_fork loads and freezes the shared heap** (``ruspolitikk.heap``): what every worker needs is
  loaded once in the master and kept out of the garbage collector's full collections, which
  otherwise walked it in the middle of requests.

Environment: ``BIND`` (default ``127.0.0.1:8000``; ``0.0.0.0:8000`` behind a load balancer on
another machine), ``WEB_CONCURRENCY`` (workers), ``GUNICORN_THREADS``; anything else through
gunicorn's own ``GUNICORN_CMD_ARGS`` (e.g. ``--access-logfile -``) and ``FORWARDED_ALLOW_IPS``.
"""

import os


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"gunicorn.conf.py: {name} must be a whole number of at least 1, not {value!r}.")
    return int(value)


def cores() -> int:
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


bind = [os.environ.get("BIND", "127.0.0.1:8000")]
worker_class = "gthread"
workers = _positive_int("WEB_CONCURRENCY", cores() + 1)
threads = _positive_int("GUNICORN_THREADS", 4)
timeout = 30
graceful_timeout = 30
keepalive = 5
preload_app = True
# Heartbeat files in memory: a slow or full disk must not make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket (gunicorn ≥ 25.1): a process manager restarts the server, and the default
# socket path is per user, so a second instance on the machine would take it over.
control_socket_disable = True
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server):
    """Say it when production runs on SQLite: it works, on one machine, with few writers."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        server.log.warning(
            "Serving from SQLite (%s): fine for one machine and a trial, but production wants "
            "PostgreSQL (DATABASE_URL=postgres://…); SQLite cannot be shared by several app servers.",
            settings.DATABASES["default"]["NAME"],
        )


def pre_fork(server, worker):
    """Before each worker is forked: what every worker shares is loaded once, and frozen out of the
    garbage collector's walks (``ruspolitikk.heap``)."""
    from ruspolitikk.heap import load_and_freeze

    load_and_freeze()

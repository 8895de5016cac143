"""gunicorn settings, read from the environment so one image fits every host."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads share each worker's database pool and page cache; pages are mostly
# served from cache, so a few processes with several threads each go far.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycling workers guards against slow leaks; off unless asked, as it skews benchmarks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the app before forking: faster start, shared memory.
preload_app = True

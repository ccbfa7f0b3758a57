"""Gunicorn settings of `make run` and of the container (see docs/deploy.md).

Every value can be changed by an environment variable; gunicorn's own GUNICORN_CMD_ARGS
also applies. Web processes are stateless (sessions and jobs live in PostgreSQL), so a
deployment grows by adding processes or machines behind the reverse proxy.
"""

import multiprocessing
import os

bind = f"{os.environ.get('RELAIS_HOST', '127.0.0.1')}:{os.environ.get('RELAIS_PORT', '8000')}"
# Threads serve the requests of a worker while others wait on PostgreSQL; the processes use
# the cores. Defaults: 2 processes per core (at least 2), 4 threads each.
workers = int(os.environ.get("RELAIS_WEB_WORKERS", max(2, 2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("RELAIS_WEB_THREADS", "4"))
worker_class = "gthread"
backlog = 2048
timeout = int(os.environ.get("RELAIS_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (bounded memory growth), with jitter so that
# they do not all restart together.
max_requests = 2000
max_requests_jitter = 200
wsgi_app = "config.wsgi:application"
accesslog = os.environ.get("RELAIS_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("RELAIS_LOG_LEVEL", "warning").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("RELAIS_FORWARDED_ALLOW_IPS", "127.0.0.1")

"""Serving the app: waitress in one process (everywhere, Windows too), or gunicorn with several processes.

One Python process runs Python code on one core at a time. Measured with ``bench/workshop.py`` (300
trainees, a click every 3 s, 2 cores): waitress in one process saturated at 94 requests/s (p95 2.5 s),
gunicorn with 2 processes carried the same class at 167 requests/s with p95 77 ms. A workshop larger
than about a hundred trainees wants ``--workers 2`` or more (``make run`` does that where it can).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from flask import Flask

from sandbox.config import Settings


def open_files_for(connections: int) -> int:
    """As many connections as asked, if the process may open that many files (raise the soft limit, POSIX)."""
    try:
        import resource
    except ImportError:  # Windows: no per-process limit to raise here
        return connections
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 64  # the database, logs, the listening socket, uploads
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return connections if soft == resource.RLIM_INFINITY else max(16, min(connections, soft - 64))


def workers_here(asked: int) -> int:
    """The processes that will really serve: several only where gunicorn can fork them."""
    return max(1, asked) if can_fork_workers() else 1


def threads_for(workers: int, configured: int) -> int:
    """Threads per process when none are asked for: the configured number in one process, else one each."""
    return configured if workers <= 1 else 1


def can_fork_workers() -> bool:
    if os.name != "posix":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def serve(app: Flask, settings: Settings, *, host: str, port: int, threads: int, workers: int) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM)."""
    connections = open_files_for(settings.connections)
    if workers > 1 and can_fork_workers():
        _Gunicorn(app, host=host, port=port, workers=workers, threads=threads, connections=connections).run()
        return
    from waitress import serve as waitress_serve

    # select() takes no descriptor above 1023 (Linux) or more than 512 sockets (Windows): poll() where it exists
    poll = os.name == "posix"
    waitress_serve(app, host=host, port=port, threads=threads, ident="sandbox", clear_untrusted_proxy_headers=True,
                   connection_limit=connections if poll else min(connections, 500), asyncore_use_poll=poll)  # fmt: skip


def describe(*, threads: int, workers: int) -> str:
    """The server that :func:`serve` will run, in Vietnamese, for the start-up message."""
    if workers > 1 and can_fork_workers():
        return f"gunicorn, {workers} tiến trình" + (f" × {threads} luồng" if threads > 1 else "")
    if workers > 1:
        return f"waitress, 1 tiến trình × {threads} luồng (không chạy được nhiều tiến trình trên máy này)"
    return f"waitress, 1 tiến trình × {threads} luồng"


def _gunicorn_base() -> type:
    from gunicorn.app.base import BaseApplication

    return BaseApplication  # type: ignore[no-any-return]


class _Gunicorn(_gunicorn_base() if can_fork_workers() else object):  # type: ignore[misc]
    """gunicorn run from Python with our app object (the app is built before forking, shared copy-on-write).

    One thread per process (sync workers) unless asked: the app is CPU-bound, and threads of one process
    only take turns on its interpreter lock. Measured with 300 trainees on 2 cores (bench/workshop.py):
    2 sync processes p95 31 ms, 4 sync processes 91 ms, 2 processes × 4 threads 120 ms. The price: a
    sync worker serves one client at a time, so a slow upload over a classroom's Wi-Fi holds one
    process while it lasts (``--threads 2`` or more workers if uploads are many and slow)."""

    def __init__(self, app: Flask, *, host: str, port: int, workers: int, threads: int, connections: int) -> None:
        self.application = app
        self.options: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread" if threads > 1 else "sync",
            "threads": threads,
            "worker_connections": connections,
            "keepalive": 5,
            "graceful_timeout": 5,
            "timeout": 120,
            "accesslog": None,
            "loglevel": "warning",
            "proc_name": "sandbox",
            "post_fork": self._post_fork,
        }
        super().__init__()

    def _post_fork(self, _server: Any, _worker: Any) -> None:
        """A worker never uses a database connection its parent opened (SQLAlchemy: dispose after fork)."""
        engine = self.application.extensions.get("sandbox.engine")
        if engine is not None:
            engine.dispose(close=False)

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application

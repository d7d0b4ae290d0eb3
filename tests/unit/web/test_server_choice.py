"""Which server `sandbox run` starts: several processes only where gunicorn can fork them."""

from __future__ import annotations

import pytest

from sandbox.web import server


def test_without_gunicorn_a_request_for_workers_gets_one_full_waitress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "can_fork_workers", lambda: False)
    workers = server.workers_here(2)
    assert workers == 1 and server.threads_for(workers, 8) == 8
    assert server.describe(threads=8, workers=workers) == "waitress, 1 tiến trình × 8 luồng"


def test_with_gunicorn_each_process_gets_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "can_fork_workers", lambda: True)
    workers = server.workers_here(2)
    assert workers == 2 and server.threads_for(workers, 8) == 1
    assert server.describe(threads=1, workers=workers) == "gunicorn, 2 tiến trình"


def test_the_connection_limit_fits_the_open_files_limit() -> None:
    resource = pytest.importorskip("resource")
    allowed = server.open_files_for(100_000_000)  # far more than any limit: capped below the soft limit
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert 16 <= allowed and (soft == resource.RLIM_INFINITY or allowed <= soft - 64)

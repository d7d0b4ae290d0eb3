"""End-to-end fixtures: the real server (`sandbox run`, waitress) on a free loopback port, and Debian's
Chromium driven by Playwright. Screenshots go to tests/e2e/artifacts/ (ignored by git)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    # asked of a child process: the test process itself has no sockets (pytest-socket)
    out = subprocess.run([sys.executable, "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); "
                          "print(s.getsockname()[1])"], capture_output=True, text=True, check=True, timeout=30)  # fmt: skip
    return int(out.stdout)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (run `make browser` as root on Debian): end-to-end tests skipped.")
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = _free_port()
    env = {**os.environ, "SANDBOX_INSTANCE_DIR": str(instance), "SANDBOX_PORT": str(port), "SANDBOX_HOST": "127.0.0.1"}
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "sandbox.cli"]
    subprocess.run([*cli, "seed", "--profile", "tiny", "--seed", "7", "--quiet"], env=env, cwd=ROOT, check=True,
                   timeout=120, capture_output=True)  # fmt: skip
    log = (instance / "server.log").open("wb")
    server = subprocess.Popen([*cli, "run"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    os.environ["SANDBOX_E2E_DB"] = str(instance / "sandbox.db")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = chromium.new_page()
        deadline = time.monotonic() + 60
        while True:  # wait for the server to answer
            try:
                if page.goto(f"{live_server}/healthz", timeout=2000).ok:
                    break
            except Exception:  # noqa: BLE001 - connection refused while the server starts
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        page.close()
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")  # type: ignore[attr-defined]
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base = live_server  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page: object, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)  # type: ignore[attr-defined]


def sign_in(page: object, username: str, password: str = "demo2026") -> None:
    page.goto(f"{page.base}/dang-nhap")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button[type=submit]")  # type: ignore[attr-defined]


def sign_out(page: object) -> None:
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("text=Đăng xuất")  # type: ignore[attr-defined]

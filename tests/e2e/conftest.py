"""End-to-end fixtures: the real server (`sandbox run`, waitress) on a free loopback port, and Debian's
Chromium driven by Playwright. Screenshots go to tests/e2e/artifacts/ (ignored by git)."""

from __future__ import annotations

import os
import shutil
import sqlite3
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
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--lang=vi-VN"]  # the browser's own widgets (file picker, date field) in Vietnamese, as officers see them  # fmt: skip


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


def a_citizen_of_the_demo_province() -> str:
    with sqlite3.connect(os.environ["SANDBOX_E2E_DB"]) as conn:
        return conn.execute("SELECT c.cccd FROM citizens c JOIN communes m ON m.code = c.commune_code "
                            "WHERE m.province_code = '37' ORDER BY c.id LIMIT 1").fetchone()[0]  # fmt: skip


def act(page, label: str, **fields: str) -> None:
    """Fire an action from the dossier page: a direct button, or its form when it needs input."""
    direct = page.locator(f"form.inline button:text-is('{label}')")
    if direct.count():
        with page.expect_navigation():
            direct.first.click()
    else:
        with page.expect_navigation():
            page.click(f"a:text-is('{label}…')")
        for name, value in fields.items():
            target = page.locator(f"[name={name}]")
            if target.evaluate("e => e.tagName") == "SELECT":
                target.select_option(index=1) if value == "@first" else target.select_option(value)
            else:
                target.fill(value)
        with page.expect_navigation():
            page.click(f"button:has-text('Xác nhận: {label}')")
    assert f"Đã thực hiện «{label}»" in page.content(), page.content()[:2000]


def vneid_sign_in(page: object, cccd: str, *, shot_as: str | None = None) -> None:
    """Sign in on the citizen portal with the mock VNeID (a sample citizen's button, or the CCCD typed)."""
    page.goto(f"{page.base}/dich-vu-cong/dang-nhap")  # type: ignore[attr-defined]
    sample = page.locator(f"button:text-is('{cccd}')")  # type: ignore[attr-defined]
    sample.click() if sample.count() else page.fill("#so_dinh_danh", cccd)  # type: ignore[attr-defined]
    page.fill("#mat_khau", "vneid2026")  # type: ignore[attr-defined]
    if shot_as:
        shot(page, shot_as)
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("button:has-text('Đăng nhập bằng VNeID')")  # type: ignore[attr-defined]


def through_every_role(page: object, dossier_url: str, opinion: str, *, shots: str | None = None) -> None:
    """From «Chờ phân công» to «Đã trả kết quả» in the KH&CN Sở: each officer signs in and does their step."""
    for username, label, fields in [
        ("ldphong.khcn", "Phân công xử lý", {"assignee_id": "@first"}),
        ("chuyenvien.khcn", "Thẩm định, trình phê duyệt", {"opinion": opinion}),
        ("ldphong.khcn", "Phê duyệt", {}),
        ("lddonvi.khcn", "Ký số kết quả", {}),
        ("vanthu.khcn", "Cấp số, phát hành", {}),
        ("motcua", "Trả kết quả", {}),
    ]:
        sign_in(page, username)
        page.goto(dossier_url)  # type: ignore[attr-defined]
        act(page, label, **fields)
        if shots:
            shot(page, f"{shots}-{username}-{label[:12]}")
        sign_out(page)

"""The desk queue on a phone: searching by CCCD finds the citizen's dossiers, and no page scrolls sideways."""

from __future__ import annotations

import os
import sqlite3

from tests.e2e.conftest import shot, sign_in


def overflow(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def test_search_by_cccd_on_a_phone(browser, live_server) -> None:
    with sqlite3.connect(os.environ["SANDBOX_E2E_DB"]) as conn:
        cccd, code = conn.execute("SELECT applicant_id_number, code FROM dossiers WHERE citizen_id IS NOT NULL "
                                  "AND code LIKE '000.00.20.H37-%' ORDER BY id LIMIT 1").fetchone()  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.base = live_server
    try:
        sign_in(page, "motcua")
        assert overflow(page) <= 0
        page.fill("input[name=q]", cccd)
        with page.expect_navigation():
            page.click("button:has-text('Tìm')")
        rows = page.locator("tbody tr")
        assert rows.count() >= 1
        assert all(cccd in text for text in rows.all_inner_texts())
        assert code in page.content()
        shot(page, "20-phone-queue-search")
        assert overflow(page) <= 0
        page.goto(f"{live_server}/motcua/ho-so/{code}")
        shot(page, "21-phone-dossier")
        assert overflow(page) <= 0
    finally:
        context.close()

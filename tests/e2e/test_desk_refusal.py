"""The desk refuses an online dossier: the form says what is missing next to the field, keeps nothing
half-done, and the refusal lands with its reason and the national status «Không được tiếp nhận»."""

from __future__ import annotations

import os
import sqlite3

from tests.e2e.conftest import shot, sign_in


def a_new_online_dossier_at_the_provincial_desk() -> str:
    with sqlite3.connect(os.environ["SANDBOX_E2E_DB"]) as conn:
        return conn.execute("SELECT code FROM dossiers WHERE state = 'new' AND channel = 2 "
                            "AND code LIKE '000.00.20.H37-%' ORDER BY id LIMIT 1").fetchone()[0]  # fmt: skip


def test_refusal_needs_a_reason_and_then_lands(page) -> None:
    code = a_new_online_dossier_at_the_provincial_desk()
    sign_in(page, "motcua")
    page.goto(f"{page.base}/motcua/ho-so/{code}")
    assert "Mới đăng ký" in page.content()
    with page.expect_navigation():
        page.click("a:text-is('Từ chối tiếp nhận…')")

    with page.expect_navigation() as answer:  # no reason given: refused next to the field, nothing recorded
        page.click("button:has-text('Xác nhận: Từ chối tiếp nhận')")
    assert answer.value.status == 422
    error = page.locator(".field-error").first
    assert error.is_visible() and error.inner_text().strip()
    shot(page, "10-refusal-missing-reason")
    page.goto(f"{page.base}/motcua/ho-so/{code}")
    assert "Mới đăng ký" in page.content() and "Không được tiếp nhận" not in page.content()

    with page.expect_navigation():
        page.click("a:text-is('Từ chối tiếp nhận…')")
    page.fill("[name=reason]", "Thủ tục không thuộc thẩm quyền giải quyết của đơn vị.")
    with page.expect_navigation():
        page.click("button:has-text('Xác nhận: Từ chối tiếp nhận')")
    html = page.content()
    assert "Đã thực hiện «Từ chối tiếp nhận»" in html
    assert "Không được tiếp nhận" in html and "Thủ tục không thuộc thẩm quyền giải quyết của đơn vị." in html
    shot(page, "11-refused")

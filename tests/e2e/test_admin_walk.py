"""The unit administrator configures an internal process and a fee account in the browser."""

from __future__ import annotations

from tests.e2e.conftest import shot, sign_in


def test_the_administrator_sets_a_process_and_a_fee_account(page) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and "status of 422" not in m.text and console_errors.append(m.text))
    sign_in(page, "quantri")
    with page.expect_navigation():
        page.click("nav.topnav >> text=Quản trị")
    page.fill("input[name=q]", "Khoa học")
    with page.expect_navigation():
        page.click("button:text-is('Tìm')")
    shot(page, "50-admin-units")
    with page.expect_navigation():
        page.click("tr:has-text('Sở Khoa học và Công nghệ') >> a:text-is('Quản lý')")
    shot(page, "51-admin-officers")
    with page.expect_navigation():
        page.click("nav.tabs >> text=Quy trình nội bộ")
    with page.expect_navigation():
        page.click("tr:has(code:text-is('2.002131')) >> a:text-is('Cấu hình')")
    first_days = page.input_value("#buoc_3_days")
    page.fill("#buoc_3_days", str(float(first_days.replace(",", ".")) + 1).replace(".", ","))  # one day too many
    with page.expect_navigation():
        page.click("button:has-text('Lưu quy trình')")
    assert "phải bằng thời hạn giải quyết" in page.content()
    shot(page, "52-admin-process-refused")
    page.fill("#buoc_3_days", first_days)
    with page.expect_navigation():
        page.click("button:has-text('Lưu quy trình')")
    assert "Đã lưu quy trình nội bộ phiên bản 1" in page.content()
    with page.expect_navigation():
        page.click("nav.tabs >> text=Tài khoản thu phí, lệ phí")
    page.fill("#bank_name", "Ngân hàng TMCP Ngoại thương Việt Nam")
    page.fill("#account_number", "0011001234567")
    page.fill("#account_name", "Sở Khoa học và Công nghệ tỉnh Ninh Bình — thu phí")
    with page.expect_navigation():
        page.click("button:text-is('Lưu tài khoản thu')")
    assert "Đang dùng" in page.content()
    page.goto(f"{page.base}/quan-tri/")
    assert "Cấu hình quy trình nội bộ" in page.content() and "Quản lý tài khoản thu phí, lệ phí" in page.content()
    shot(page, "53-admin-log")
    assert console_errors == []

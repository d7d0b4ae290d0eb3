"""A paper dossier from the counter to the returned result, every role in a real browser."""

from __future__ import annotations

import os
import re
import sqlite3

from tests.e2e.conftest import (
    a_citizen_of_the_demo_province,
    act,
    shot,
    sign_in,
    sign_out,
    through_every_role,
    vneid_sign_in,
)


def test_counter_dossier_to_returned_result(page) -> None:
    console_errors: list[str] = []  # a missing asset or a script error on any page fails the walk
    page.on("console", lambda m: m.type == "error" and console_errors.append(f"{page.url}: {m.text}"))
    sign_in(page, "motcua")
    shot(page, "01-queue-desk")
    with page.expect_navigation():
        page.click("nav.topnav >> text=Điều phối")
    assert page.locator("tbody tr").count() == 4  # the four sector systems
    shot(page, "01b-coordination")
    page.goto(f"{page.base}/motcua/")
    with page.expect_navigation():
        page.click("text=+ Tiếp nhận hồ sơ trực tiếp")
    with page.expect_navigation():  # choosing the procedure reloads the form with its documents and fields
        page.select_option("#thu_tuc", "2.002131")
    citizen = a_citizen_of_the_demo_province()
    page.fill("#cccd", citizen)
    page.check("input[name=so_hoa_TP1]")
    page.fill("#ef_ten_co_so", "Phòng khám Đa khoa An Bình")
    page.fill("#ef_dia_diem_dat_thiet_bi", "Phòng X-quang, tầng 1")
    page.fill("#ef_so_luong_thiet_bi", "1")
    page.select_option("#ef_loai_thiet_bi", "X-quang răng")
    # viewport only: after a full-page capture of this long form, Debian's Chromium drops the next click
    shot(page, "02-counter-receipt", full_page=False)
    with page.expect_navigation():
        page.click("button:has-text('Tiếp nhận và lập Giấy tiếp nhận')")
    errors = page.locator(".field-error, .flash-error, .errors").all_inner_texts()
    assert "Đã tiếp nhận hồ sơ" in page.content(), errors
    dossier_url = page.url
    code = re.search(r"/ho-so/([^/?#]+)", dossier_url).group(1)
    shot(page, "03-dossier-received")
    with page.expect_navigation():  # the printable receipt (Mẫu 01) handed to the applicant
        page.click("a:text-is('Giấy tiếp nhận hồ sơ và hẹn trả kết quả')")
    assert code in page.content() and page.locator("svg").count() == 1
    shot(page, "03b-receipt-print")
    page.goto(dossier_url)
    act(page, "Chuyển xử lý")
    sign_out(page)

    through_every_role(page, dossier_url, "Hồ sơ đầy đủ, hợp lệ; đề nghị xác nhận.", shots="04")

    sign_in(page, "motcua")
    page.goto(dossier_url)
    html = page.content()
    assert code in html and "Đã trả kết quả" in html and "đã ký số" in html
    shot(page, "05-dossier-returned")
    sign_out(page)

    # the applicant follows it on the portal, signed in with the mock VNeID
    vneid_sign_in(page, citizen, shot_as="06-portal-login")
    with page.expect_navigation():
        page.click(f"a:has-text('{code}')")
    html = page.content()
    assert "Đã trả kết quả" in html and "Tiến độ giải quyết" in html and "đã ký số" in html
    with sqlite3.connect(os.environ["SANDBOX_E2E_DB"]) as conn:  # officers' names stay inside the one-stop system
        officers = {n for (n,) in conn.execute("SELECT DISTINCT e.actor_name FROM events e JOIN dossiers d ON "
                                               "d.id = e.dossier_id WHERE d.code = ? AND e.actor_kind = 'officer'",
                                               (code,))}  # fmt: skip
    assert len(officers) >= 5 and not any(name in html for name in officers)
    shot(page, "07-portal-dossier")
    assert console_errors == []

"""A dossier filed online on the portal, through every role, back to the citizen; and a supplement round trip."""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    a_citizen_of_the_demo_province,
    act,
    shot,
    sign_in,
    sign_out,
    through_every_role,
    vneid_sign_in,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PROCEDURE = "2.002131"  # Khai báo thiết bị X-quang chẩn đoán trong y tế: one document, an eForm, toàn trình


def watch_console(page) -> list[str]:
    """Console errors: a missing asset or a script error on any page fails the walk. A 422 is the answer the
    walk asks for when it sends a form wrong on purpose (Chromium logs every 4xx page load)."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and "status of 422" not in m.text
            and errors.append(f"{page.url}: {m.text}"))  # fmt: skip
    return errors


def file_online(page, citizen: str, prefix: str) -> tuple[str, str]:
    """The citizen finds the procedure in the catalogue, fills the eForm, attaches the file and submits."""
    vneid_sign_in(page, citizen)
    with page.expect_navigation():
        page.click("nav.topnav >> text=Thủ tục hành chính")
    page.fill("input[name=q]", "x-quang chẩn đoán")
    with page.expect_navigation():
        page.click("button:text-is('Tìm')")
    shot(page, f"{prefix}-catalogue")
    with page.expect_navigation():
        page.click(f"tr:has(code:text-is('{PROCEDURE}')) >> a:text-is('Nộp trực tuyến')")
    assert citizen in page.content()  # the applicant comes from the population registry, not typed
    page.fill("#ef_ten_co_so", "Phòng khám Đa khoa An Bình")
    page.fill("#ef_dia_diem_dat_thiet_bi", "Phòng X-quang, tầng 1")
    page.fill("#ef_so_luong_thiet_bi", "1")
    page.select_option("#ef_loai_thiet_bi", "X-quang răng")
    page.set_input_files("#tep_TP1", files=[{"name": "phieu-khai-bao.pdf", "mimeType": "application/pdf",
                                             "buffer": PDF}])  # fmt: skip
    page.check("input[name=cam_doan]")
    shot(page, f"{prefix}-submit-form", full_page=False)  # viewport only (see docs/NOTES.md: Chromium drops the click)
    with page.expect_navigation():
        page.click("button:text-is('Nộp hồ sơ')")
    assert "Nộp hồ sơ thành công" in page.content(), page.locator(".field-error, .flash-error").all_inner_texts()
    code = re.search(r"/ho-so/([^/?#]+)", page.url).group(1)
    assert "Mới đăng ký" in page.content()
    shot(page, f"{prefix}-submitted")
    sign_out(page)
    return code, f"{page.base}/motcua/ho-so/{code}"


def test_online_dossier_from_the_portal_to_the_returned_result(page) -> None:
    console_errors = watch_console(page)
    citizen = a_citizen_of_the_demo_province()
    code, dossier_url = file_online(page, citizen, "30")

    sign_in(page, "motcua")
    page.goto(f"{page.base}/motcua/?q={code}")
    assert code in page.content()
    page.goto(dossier_url)
    assert "phieu-khai-bao.pdf" in page.content()  # the attachment, openable by the desk
    shot(page, "31-desk-online-dossier")
    act(page, "Tiếp nhận")
    act(page, "Chuyển xử lý")
    sign_out(page)
    through_every_role(page, dossier_url, "Hồ sơ trực tuyến đầy đủ, hợp lệ.")

    vneid_sign_in(page, citizen)
    with page.expect_navigation():
        page.click(f"a:has-text('{code}')")
    html = page.content()
    assert "Đã trả kết quả" in html and "Tải kết quả điện tử (PDF)" in html
    result = page.context.request.get(f"{page.base}/dich-vu-cong/ho-so/{code}/ket-qua.pdf")
    assert result.status == 200 and result.body().startswith(b"%PDF-")
    page.check("input[value=rat_hai_long]")
    page.fill("#comment", "Nhanh, không phải đi lại.")
    with page.expect_navigation():
        page.click("button:text-is('Gửi đánh giá')")
    assert "Bạn đã đánh giá" in page.content() and "Rất hài lòng" in page.content()
    shot(page, "32-portal-result-rated")
    assert console_errors == []


def test_a_supplement_round_trip(page) -> None:
    console_errors = watch_console(page)
    citizen = a_citizen_of_the_demo_province()
    code, dossier_url = file_online(page, citizen, "40")

    sign_in(page, "motcua")
    page.goto(dossier_url)
    with page.expect_navigation():
        page.click("a:text-is('Yêu cầu bổ sung…')")
    page.check("input[name=documents][value=TP1]")
    page.fill("[name=reason]", "Phiếu khai báo chưa có chữ ký của người đứng đầu cơ sở.")
    with page.expect_navigation():
        page.click("button:has-text('Xác nhận: Yêu cầu bổ sung')")
    assert "Đã thực hiện «Yêu cầu bổ sung»" in page.content()
    shot(page, "41-desk-supplement-requested")
    sign_out(page)

    vneid_sign_in(page, citizen)
    page.goto(f"{page.base}/dich-vu-cong/ho-so/{code}")
    assert "Yêu cầu bổ sung hồ sơ" in page.content()
    with page.expect_navigation():  # sent empty: refused, said next to the file field
        page.click("button:text-is('Nộp bổ sung')")
    assert "một lần, đầy đủ" in page.locator(".field-error").first.inner_text()
    page.set_input_files("#tep_TP1", files=[{"name": "phieu-da-ky.pdf", "mimeType": "application/pdf",
                                             "buffer": PDF + b"% signed\n"}])  # fmt: skip
    page.fill("#note", "Đã bổ sung chữ ký.")
    shot(page, "42-portal-supplement", full_page=False)
    with page.expect_navigation():
        page.click("button:text-is('Nộp bổ sung')")
    assert "Đã nộp bổ sung" in page.content()
    sign_out(page)

    sign_in(page, "motcua")
    page.goto(dossier_url)
    assert "phieu-da-ky.pdf" in page.content() and "bổ sung" in page.content()
    act(page, "Hoàn thành bổ sung")
    assert "Được tiếp nhận" in page.content()
    shot(page, "43-desk-supplement-complete")
    assert console_errors == []

"""The officer pages through the test client: sign-in, queue, dossier page, actions with CSRF, errors in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from sandbox.domain.vocabulary import State
from tests.conftest import csrf, sign_in

BANNER = "Môi trường đào tạo — dữ liệu giả lập"


@pytest.fixture
def login(client: FlaskClient) -> Callable[[str], FlaskClient]:
    def signed_in(username: str) -> FlaskClient:
        sign_in(client, username)
        return client

    return signed_in


def test_login_page_lists_demo_accounts_and_the_banner(client: FlaskClient) -> None:
    html = client.get("/dang-nhap").get_data(as_text=True)
    assert BANNER in html and "Đăng nhập" in html
    assert "motcua" in html and "Cán bộ một cửa" in html and "Lãnh đạo đơn vị" in html and "demo2026" in html


def test_wrong_password_says_so_in_vietnamese_and_keeps_the_username(client: FlaskClient) -> None:
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post("/dang-nhap", data={"username": "motcua", "password": "x", "csrf_token": csrf(page)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in html and 'value="motcua"' in html


def test_form_without_csrf_token_is_refused(client: FlaskClient) -> None:
    resp = client.post("/dang-nhap", data={"username": "motcua", "password": "demo2026"})
    assert resp.status_code == 400 and "Phiên làm việc đã hết hạn" in resp.get_data(as_text=True)


def test_the_session_cookie_is_sent_again_only_when_the_session_changes(client: FlaskClient) -> None:
    page = client.get("/dang-nhap")
    signed = client.post("/dang-nhap", data={"username": "motcua", "password": "demo2026",
                                             "csrf_token": csrf(page.get_data(as_text=True))})  # fmt: skip
    cookie = signed.headers.get("Set-Cookie", "")
    assert signed.status_code == 302 and cookie.startswith("session=") and "Expires=" in cookie  # 12 hours
    queue = client.get("/motcua/")
    assert queue.status_code == 200 and "Set-Cookie" not in queue.headers  # nothing changed: nothing to sign
    out = client.post("/dang-xuat", data={"csrf_token": csrf(queue.get_data(as_text=True))})
    assert out.status_code == 302 and "session=" in out.headers.get("Set-Cookie", "")  # signed out: changed
    assert client.get("/motcua/").status_code == 302


def test_pages_need_a_login(client: FlaskClient) -> None:
    resp = client.get("/motcua/")
    assert resp.status_code == 302 and "/dang-nhap" in resp.headers["Location"]


def test_queue_shows_counts_per_status_and_late_rows(login: Callable) -> None:
    html = login("motcua").get("/motcua/?xem=tat-ca").get_data(as_text=True)
    assert BANNER in html and "Mới đăng ký" in html and "Đã trả kết quả" in html
    assert "row-late" in html or "Quá hạn" in html
    searched = login("motcua").get("/motcua/?xem=tat-ca&q=H37").get_data(as_text=True)
    assert "000.00.20.H37-" in searched
    assert login("motcua").get("/motcua/?trang_thai=99").status_code == 422


def test_dossier_page_and_an_action_through_the_form(login: Callable, dossier_in: Callable) -> None:
    client = login("motcua")
    new = dossier_in(State.NEW)
    html = client.get(f"/motcua/ho-so/{new.code}").get_data(as_text=True)
    assert new.code in html and "Thành phần hồ sơ" in html and "Quá trình xử lý" in html
    assert "Tiếp nhận" in html and "Từ chối tiếp nhận…" in html
    resp = client.post(f"/motcua/ho-so/{new.code}/thao-tac/accept",
                       data={"csrf_token": csrf(html), "version": new.version})  # fmt: skip
    assert resp.status_code == 303
    after = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Đã thực hiện «Tiếp nhận»" in after and "Được tiếp nhận" in after and "Hẹn trả kết quả" in after


def test_validation_error_keeps_what_was_typed_next_to_the_field(login: Callable, dossier_in: Callable) -> None:
    client = login("motcua")
    new = dossier_in(State.NEW)
    form_page = client.get(f"/motcua/ho-so/{new.code}/thao-tac/request_supplement").get_data(as_text=True)
    assert "Giấy tờ cần bổ sung" in form_page
    resp = client.post(f"/motcua/ho-so/{new.code}/thao-tac/request_supplement",
                       data={"csrf_token": csrf(form_page), "reason": "Bản sao chưa chứng thực"})  # fmt: skip
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Vui lòng nhập «Giấy tờ cần bổ sung»" in html and "Bản sao chưa chứng thực" in html


def test_stale_form_is_refused_with_a_message(login: Callable, dossier_in: Callable) -> None:
    client = login("motcua")
    new = dossier_in(State.NEW)
    html = client.get(f"/motcua/ho-so/{new.code}").get_data(as_text=True)
    token, version = csrf(html), new.version
    client.post(f"/motcua/ho-so/{new.code}/thao-tac/accept", data={"csrf_token": token, "version": version})
    resp = client.post(f"/motcua/ho-so/{new.code}/thao-tac/forward", data={"csrf_token": token, "version": version},
                       follow_redirects=True)  # fmt: skip
    assert "vừa được người khác cập nhật" in resp.get_data(as_text=True)


def test_errors_are_vietnamese_pages_not_stack_traces(login: Callable, dossier_in: Callable) -> None:
    client = login("motcua.xa1")
    resp = client.get("/motcua/ho-so/KHONG-TON-TAI")
    assert resp.status_code == 404 and "Không tìm thấy hồ sơ" in resp.get_data(as_text=True)
    other = dossier_in(State.NEW)  # received at the provincial centre, not at this commune
    resp = client.get(f"/motcua/ho-so/{other.code}")
    assert resp.status_code == 403 and "đơn vị của bạn" in resp.get_data(as_text=True)
    resp = client.get("/khong-co-trang-nay")
    assert resp.status_code == 404 and "Không tìm thấy trang" in resp.get_data(as_text=True)
    assert "Traceback" not in resp.get_data(as_text=True)


def test_the_queue_pages_keep_their_filters(login: Callable[[str], FlaskClient]) -> None:
    client = login("motcua")
    first = client.get("/motcua/?xem=tat-ca&linh_vuc=nnmt").get_data(as_text=True)
    pages = re.search(r"Trang 1/(\d+) · (\d+) hồ sơ", first)
    assert pages and int(pages.group(1)) >= 2, "the tiny world should give the desk more than one page"
    assert "‹ Trang trước" not in first
    forward = re.search(r'href="([^"]+)">Trang sau ›', first).group(1).replace("&amp;", "&")
    assert "linh_vuc=nnmt" in forward and "xem=tat-ca" in forward and "trang=2" in forward
    second = client.get(forward).get_data(as_text=True)
    assert f"Trang 2/{pages.group(1)} · {pages.group(2)} hồ sơ" in second and "‹ Trang trước" in second

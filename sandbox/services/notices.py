"""The SMS/e-mail texts sent to applicants, in Vietnamese, one per action that concerns them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.domain.vocabulary import Action

if TYPE_CHECKING:
    from sandbox.store.models import Dossier


def _when(dossier: Dossier) -> str:
    return f"{dossier.due_at:%H:%M ngày %d/%m/%Y}" if dossier.due_at else "(chưa xác định)"


def _money(amount: int) -> str:
    """500000 -> '500.000' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def notice_for(action: Action, dossier: Dossier) -> str | None:
    """The message for ``action`` on ``dossier``, or None when the applicant needs no notice."""
    code = dossier.code
    texts = {
        Action.SUBMIT_ONLINE: f"Hồ sơ {code} đã được nộp trực tuyến thành công, đang chờ cán bộ tiếp nhận.",
        Action.RECEIVE_AT_COUNTER: f"Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: {_when(dossier)}.",
        Action.ACCEPT: f"Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: {_when(dossier)}.",
        Action.REFUSE: f"Hồ sơ {code} không được tiếp nhận. Vui lòng xem Phiếu từ chối để biết lý do.",
        Action.REQUEST_SUPPLEMENT: f"Hồ sơ {code} cần bổ sung giấy tờ. Vui lòng xem Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
        Action.COMPLETE_SUPPLEMENT: f"Hồ sơ {code} đã được bổ sung đầy đủ. Hẹn trả kết quả: {_when(dossier)}.",
        Action.REQUEST_FEE: f"Hồ sơ {code}: vui lòng nộp phí, lệ phí {_money(dossier.fee_amount)} đồng để tiếp tục giải quyết.",
        Action.CONFIRM_PAYMENT: f"Hồ sơ {code}: đã nhận khoản nộp phí, lệ phí. Cảm ơn ông/bà.",
        Action.ISSUE: f"Hồ sơ {code} đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
        Action.RETURN_RESULT: f"Hồ sơ {code} đã được trả kết quả. Mời ông/bà đánh giá mức độ hài lòng.",
        Action.WITHDRAW: f"Hồ sơ {code} đã được rút theo yêu cầu.",
        Action.STOP: f"Hồ sơ {code} đã dừng giải quyết. Vui lòng xem Thông báo dừng giải quyết hồ sơ.",
        Action.APOLOGISE: f"Xin lỗi ông/bà: hồ sơ {code} chưa có kết quả đúng hẹn. Ngày hẹn trả mới: {_when(dossier)}.",
    }
    return texts.get(action)

"""The words of the one-stop system: statuses, states, actions, roles, channels, forms.

Enum values are the real system's codes where one exists (national status 1–10, channel
1–3, copy type 0–2; domain.md §2.1), so a value can go straight into the DB, the API and
the logs. Each member also carries its exact Vietnamese label for the UI.
"""

from __future__ import annotations

import enum


class _Labelled(enum.Enum):
    """Shared behaviour of enums whose members carry a Vietnamese ``label``."""

    label: str

    @classmethod
    def parse(cls, raw: object) -> _Labelled | None:
        """Return the member whose value (or name, or value written as text) is ``raw``, or None.

        A table built once per enum (pages parse a label per row of a list): of the members that match, the
        first defined wins."""
        table = _PARSE_TABLES.get(cls)
        if table is None:
            table = {}
            for member in reversed(list(cls)):  # an earlier member overwrites a later one's keys
                table.update({str(member.value): member, member.name: member, member.value: member})
            _PARSE_TABLES[cls] = table
        try:
            found = table.get(raw)
        except TypeError:  # unhashable (a list, a dict): by its text
            found = None
        return found if found is not None else table.get(str(raw))


_PARSE_TABLES: dict[type, dict[object, _Labelled]] = {}


class _IntLabelled(int, _Labelled):
    """``Member = (code, "nhãn")`` with an integer code."""

    def __new__(cls, value: int, label: str) -> _IntLabelled:
        obj = int.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj


class _StrLabelled(str, _Labelled):
    """``Member = ("code", "nhãn")`` with a string code."""

    def __new__(cls, value: str, label: str) -> _StrLabelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return str(self.value)


class Status(_IntLabelled):
    """The 10 national dossier statuses synced to the national portal (domain.md §2.1)."""

    NEW = (1, "Mới đăng ký")
    RECEIVED = (2, "Được tiếp nhận")
    NOT_RECEIVED = (3, "Không được tiếp nhận")
    PROCESSING = (4, "Đang xử lý")
    SUPPLEMENT = (5, "Yêu cầu bổ sung giấy tờ")
    FINANCIAL = (6, "Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = (7, "Công dân yêu cầu rút hồ sơ")
    STOPPED = (8, "Dừng xử lý")
    DONE = (9, "Đã xử lý xong")
    RETURNED = (10, "Đã trả kết quả")


class State(_StrLabelled):
    """Fine-grained lifecycle states. Each maps onto exactly one national :class:`Status`.

    Real systems keep such sub-states beside the 10 codes (the supplement stage, the step
    inside "Đang xử lý"; domain.md §2.1 "Sub-states").
    """

    NEW = ("new", "Mới đăng ký, chờ tiếp nhận")
    SUPPLEMENT_AT_DESK = ("supplement_at_desk", "Chờ bổ sung (giai đoạn tiếp nhận)")
    RECEIVED = ("received", "Đã tiếp nhận, chờ chuyển xử lý")
    NOT_RECEIVED = ("not_received", "Không được tiếp nhận")
    AWAITING_ASSIGNMENT = ("awaiting_assignment", "Chờ phân công xử lý")
    APPRAISING = ("appraising", "Chuyên viên đang thẩm định")
    AWAITING_APPROVAL = ("awaiting_approval", "Chờ lãnh đạo phòng phê duyệt")
    AWAITING_SIGNATURE = ("awaiting_signature", "Chờ lãnh đạo đơn vị ký số")
    AWAITING_ISSUE = ("awaiting_issue", "Chờ văn thư cấp số, phát hành")
    SUPPLEMENT_IN_PROCESSING = ("supplement_in_processing", "Chờ bổ sung (giai đoạn xử lý)")
    FINANCIAL_OBLIGATION = ("financial_obligation", "Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = ("withdrawn", "Công dân đã rút hồ sơ")
    STOPPED = ("stopped", "Dừng xử lý")
    DONE = ("done", "Đã có kết quả, chờ trả")
    RETURNED = ("returned", "Đã trả kết quả")

    @property
    def status(self) -> Status:
        return STATUS_OF_STATE[self]


STATUS_OF_STATE: dict[State, Status] = {
    State.NEW: Status.NEW,
    State.SUPPLEMENT_AT_DESK: Status.SUPPLEMENT,
    State.RECEIVED: Status.RECEIVED,
    State.NOT_RECEIVED: Status.NOT_RECEIVED,
    State.AWAITING_ASSIGNMENT: Status.PROCESSING,
    State.APPRAISING: Status.PROCESSING,
    State.AWAITING_APPROVAL: Status.PROCESSING,
    State.AWAITING_SIGNATURE: Status.PROCESSING,
    State.AWAITING_ISSUE: Status.PROCESSING,
    State.SUPPLEMENT_IN_PROCESSING: Status.SUPPLEMENT,
    State.FINANCIAL_OBLIGATION: Status.FINANCIAL,
    State.WITHDRAWN: Status.WITHDRAWN,
    State.STOPPED: Status.STOPPED,
    State.DONE: Status.DONE,
    State.RETURNED: Status.RETURNED,
}


class Role(_StrLabelled):
    """Roles of domain.md §8 (exact Vietnamese names), plus the applicant."""

    CITIZEN = ("citizen", "Công dân, doanh nghiệp")
    DESK = ("desk", "Cán bộ một cửa")
    SPECIALIST = ("specialist", "Chuyên viên")
    DEPT_LEADER = ("dept_leader", "Lãnh đạo phòng")
    UNIT_LEADER = ("unit_leader", "Lãnh đạo đơn vị")
    CLERK = ("clerk", "Văn thư")
    ADMIN = ("admin", "Quản trị đơn vị")
    TRAINER = ("trainer", "Giảng viên")  # the sandbox's own role: runs workshops, never acts on dossiers


OFFICER_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.CITIZEN)


class Action(_StrLabelled):
    """Actions that move a dossier; the labels are the real systems' menu words (domain.md §8)."""

    SUBMIT_ONLINE = ("submit_online", "Nộp hồ sơ trực tuyến")
    RECEIVE_AT_COUNTER = ("receive_at_counter", "Tiếp nhận hồ sơ trực tiếp")
    ACCEPT = ("accept", "Tiếp nhận")
    REFUSE = ("refuse", "Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = ("request_supplement", "Yêu cầu bổ sung")
    SUBMIT_SUPPLEMENT = ("submit_supplement", "Nộp bổ sung")
    COMPLETE_SUPPLEMENT = ("complete_supplement", "Hoàn thành bổ sung")
    FORWARD = ("forward", "Chuyển xử lý")
    ASSIGN = ("assign", "Phân công xử lý")
    APPRAISE = ("appraise", "Thẩm định, trình phê duyệt")
    RETURN_FOR_REWORK = ("return_for_rework", "Trả lại bước trước")
    REQUEST_FEE = ("request_fee", "Yêu cầu thực hiện nghĩa vụ tài chính")
    CONFIRM_PAYMENT = ("confirm_payment", "Xác nhận đã nộp phí, lệ phí")
    APPROVE = ("approve", "Phê duyệt")
    SIGN = ("sign", "Ký số kết quả")
    ISSUE = ("issue", "Cấp số, phát hành")
    RETURN_RESULT = ("return_result", "Trả kết quả")
    WITHDRAW = ("withdraw", "Rút hồ sơ")
    STOP = ("stop", "Dừng xử lý")
    APOLOGISE = ("apologise", "Xin lỗi và hẹn lại ngày trả kết quả")
    FINISH = ("finish", "Kết thúc hồ sơ")  # the real menus' «Kết thúc»: done without the signing step


class Activity(_StrLabelled):
    """Things recorded in a dossier's event log that do not move it (no state change, not replayed)."""

    DIGITIZE = ("digitize", "Số hóa thành phần hồ sơ")
    RATE = ("rate", "Đánh giá mức độ hài lòng")
    # a unit administrator's configuration changes (logged with no dossier)
    CONFIGURE_PROCESS = ("configure_process", "Cấu hình quy trình nội bộ")
    MANAGE_OFFICER = ("manage_officer", "Quản lý tài khoản cán bộ")
    MANAGE_FEE_ACCOUNT = ("manage_fee_account", "Quản lý tài khoản thu phí, lệ phí")


class Satisfaction(_StrLabelled):
    """The applicant's vote on the national portal (766 indicator 5.4 counts the «không hài lòng»)."""

    VERY_SATISFIED = ("rat_hai_long", "Rất hài lòng")
    SATISFIED = ("hai_long", "Hài lòng")
    DISSATISFIED = ("khong_hai_long", "Không hài lòng")


class Channel(_IntLabelled):
    """``KenhThucHien`` / ``LoaiTiepNhan`` (domain.md §2.1)."""

    COUNTER = (1, "Trực tiếp")
    ONLINE = (2, "Trực tuyến")
    POSTAL = (3, "Bưu chính công ích")


class CopyType(_IntLabelled):
    """``LoaiBan`` of an attached document (domain.md §2.1)."""

    ORIGINAL = (0, "Bản chính")
    COPY = (1, "Bản sao")
    ELECTRONIC = (2, "Bản điện tử")


class ApplicantKind(_StrLabelled):
    CITIZEN = ("citizen", "Công dân")
    BUSINESS = ("business", "Doanh nghiệp")


class OnlineLevel(_StrLabelled):
    """NĐ 42/2022: a service is toàn trình or một phần (domain.md §7)."""

    FULL = ("toan_trinh", "Toàn trình")
    PARTIAL = ("mot_phan", "Một phần")


class CompetentLevel(_StrLabelled):
    PROVINCE = ("province", "Cấp tỉnh")
    COMMUNE = ("commune", "Cấp xã")


class PaymentMethod(_StrLabelled):
    ONLINE = ("online", "Thanh toán trực tuyến")
    CASH = ("cash", "Tiền mặt tại quầy")


class Form(_StrLabelled):
    """Forms of TT 03/2025/TT-VPCP Phụ lục I (domain.md §3.2); TT 01/2018 names are aliases."""

    RECEIPT = ("mau_01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = ("mau_02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = ("mau_03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = ("mau_04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    STOP_NOTICE = ("mau_05", "Thông báo dừng giải quyết hồ sơ")
    CONTROL_SLIP = ("mau_06", "Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = ("mau_07", "Sổ theo dõi hồ sơ")

    @property
    def tt01_2018(self) -> str | None:
        """The same form's number and title under TT 01/2018, which many templates still print."""
        return _TT01_ALIASES.get(self)


_TT01_ALIASES: dict[Form, str] = {
    Form.RECEIPT: "Mẫu số 01 (TT 01/2018/TT-VPCP)",
    Form.SUPPLEMENT_REQUEST: "Mẫu số 02 (TT 01/2018/TT-VPCP)",
    Form.REFUSAL: "Mẫu số 03 (TT 01/2018/TT-VPCP)",
    Form.APOLOGY: "Mẫu số 04 (TT 01/2018/TT-VPCP): Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    Form.CONTROL_SLIP: "Mẫu số 05 (TT 01/2018/TT-VPCP)",
    Form.REGISTER: "Mẫu số 06 (TT 01/2018/TT-VPCP)",
}


class Sector(_StrLabelled):
    """The four sector systems of 2026 (DESIGN.md, Worlds and workspaces)."""

    KHCN = ("khcn", "Khoa học và Công nghệ")
    NOIVU = ("noivu", "Nội vụ")
    XAYDUNG = ("xaydung", "Xây dựng")
    NNMT = ("nnmt", "Nông nghiệp và Môi trường")

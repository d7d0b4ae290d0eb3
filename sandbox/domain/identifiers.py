"""Identifiers of the one-stop world: dossier, agency and procedure codes, CCCD, tax codes, mobiles.

Pure structure checks (no registry look-ups). Sources are in domain.md §4; each validator raises
:class:`~sandbox.domain.errors.InvalidInput` with a Vietnamese reason and a stable code.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sandbox.domain.errors import InvalidInput

# -- agency and procedure codes ------------------------------------------------------------------

# Mã định danh cơ quan (QCVN 102:2016/BTTTT): V1V2V3.Z1Z2.Y1Y2.MX1X2 (e.g. 000.00.53.H48), or the
# short form used by ministry systems: level-1 code first, then sub-units (G09.20, H55.242).
_AGENCY = r"(?:\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}(?:\.\d{2,3}){1,2})"
AGENCY_CODE_RE = re.compile(_AGENCY, re.ASCII)
PROCEDURE_CODE_RE = re.compile(r"[1-9]\.\d{6}", re.ASCII)


def is_valid_agency_code(code: str) -> bool:
    """Tell whether ``code`` has the shape of an agency identifier (mã định danh cơ quan)."""
    return AGENCY_CODE_RE.fullmatch(code) is not None


def is_valid_procedure_code(code: str) -> bool:
    """Tell whether ``code`` is a national procedure code ``d.dddddd`` (e.g. ``1.001612``)."""
    return PROCEDURE_CODE_RE.fullmatch(code) is not None


def validate_procedure_code(code: str) -> str:
    """Return the stripped national procedure code.

    :raises InvalidInput: it is not of the form ``d.dddddd``.
    """
    code = code.strip()
    if not is_valid_procedure_code(code):
        raise InvalidInput(
            f"Mã thủ tục hành chính «{code}» không đúng định dạng d.dddddd (ví dụ 1.001612).",
            code="invalid_procedure_code",
        )
    return code


# -- dossier codes (TT 01/2018/TT-VPCP Điều 19) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class DossierCode:
    """The parts of a dossier code (mã hồ sơ)."""

    agency: str
    day: date
    seq: int


_DATE_DIRECTIVES = {"%Y": ("Y", 4), "%y": ("y", 2), "%m": ("m", 2), "%d": ("d", 2)}  # -> (group, digits)


@dataclass(frozen=True, slots=True)
class DossierCodeFormat:
    """A dossier-code pattern: ``str.format`` text with ``{agency}``, ``{date:<strftime>}``, ``{seq:0Nd}``.

    The pattern is compiled into a regex once, so any such pattern can also be parsed. The date
    spec may use ``%Y``, ``%y`` (read as 20yy), ``%m``, ``%d`` and literal characters.

    :raises ValueError: an unsupported field or directive, or a field missing or repeated.
    """

    pattern: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    layout: str = field(init=False, repr=False, compare=False)  # e.g. "[mã cơ quan]-YYMMDD-XXXX"
    seq_width: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex: list[str] = []
        layout: list[str] = []
        seen: list[str] = []
        width = 0
        for literal, name, spec, _conv in string.Formatter().parse(self.pattern):
            regex.append(re.escape(literal))
            layout.append(literal)
            if name is None:
                continue
            seen.append(name)
            if name == "agency" and not spec:
                regex.append(f"(?P<agency>{_AGENCY})")
                layout.append("[mã cơ quan]")
            elif name == "date":
                regex.append(_date_part(spec or "", layout))
            elif name == "seq" and (m := re.fullmatch(r"0([1-9]\d?)d", spec or "")):
                width = int(m[1])
                regex.append(rf"(?P<seq>\d{{{width}}})")
                layout.append("X" * width)
            else:
                raise ValueError(f"unsupported field {{{name}:{spec}}} in dossier code pattern {self.pattern!r}")
        if sorted(seen) != ["agency", "date", "seq"]:
            raise ValueError(f"pattern needs agency, date and seq exactly once: {self.pattern!r}")
        object.__setattr__(self, "regex", re.compile("".join(regex), re.ASCII))
        object.__setattr__(self, "layout", "".join(layout))
        object.__setattr__(self, "seq_width", width)

    @property
    def max_seq(self) -> int:
        """The largest daily sequence number the pattern can hold."""
        return int(10**self.seq_width) - 1


def _date_part(spec: str, layout: list[str]) -> str:
    out: list[str] = []
    fields: set[str] = set()
    for piece in re.findall(r"%.|[^%]", spec):
        if piece in _DATE_DIRECTIVES:
            name, digits = _DATE_DIRECTIVES[piece]
            if name in fields or (name in "Yy" and fields & {"Y", "y"}):
                raise ValueError(f"date directive {piece} repeated in {spec!r}")
            fields.add(name)
            out.append(rf"(?P<date_{name}>\d{{{digits}}})")
            layout.append(name.upper() * digits)
        elif piece.startswith("%") and piece != "%%":
            raise ValueError(f"unsupported date directive {piece} in {spec!r}")
        else:
            out.append(re.escape(piece[-1]))
            layout.append(piece[-1])
    if not ({"m", "d"} <= fields and fields & {"Y", "y"}):
        raise ValueError(f"date spec needs a year, a month and a day: {spec!r}")
    return "".join(out)


TT01_2018 = DossierCodeFormat("{agency}-{date:%y%m%d}-{seq:04d}")
"""TT 01/2018 Điều 19: ``000.00.53.H48-220921-0099``."""
SYNC_2026 = DossierCodeFormat("{agency}-{date:%Y%m%d}-{seq:07d}")
"""Shape seen in a 2026 ministry sync sample: ``G09.20-20260609-0092637``."""


def _as_format(fmt: DossierCodeFormat | str) -> DossierCodeFormat:
    return fmt if isinstance(fmt, DossierCodeFormat) else DossierCodeFormat(fmt)


def format_dossier_code(agency_code: str, day: date, seq: int, fmt: DossierCodeFormat | str = TT01_2018) -> str:
    """Build a dossier code.

    :raises InvalidInput: bad agency code, ``seq`` outside ``1..fmt.max_seq``, or a year a 2-digit
        pattern cannot hold.
    """
    fmt = _as_format(fmt)
    if not is_valid_agency_code(agency_code):
        raise InvalidInput(f"Mã định danh cơ quan «{agency_code}» không hợp lệ.", code="invalid_agency_code")
    if not 1 <= seq <= fmt.max_seq:
        raise InvalidInput(
            f"Số thứ tự hồ sơ trong ngày phải từ 1 đến {fmt.max_seq}, nhận được {seq}.", code="dossier_seq_overflow"
        )
    if "date_y" in fmt.regex.groupindex and not 2000 <= day.year <= 2099:
        raise InvalidInput(f"Năm {day.year} không ghi được bằng 2 chữ số trong mã hồ sơ.", code="invalid_dossier_code")
    return fmt.pattern.format(agency=agency_code, date=day, seq=seq)


def parse_dossier_code(code: str, fmt: DossierCodeFormat | str = TT01_2018) -> DossierCode:
    """Split a dossier code into agency, receipt day and daily sequence.

    :raises InvalidInput: the code does not match the pattern, the date does not exist, or seq is 0.
    """
    fmt = _as_format(fmt)
    m = fmt.regex.fullmatch(code.strip())
    if m is not None:
        parts = m.groupdict()
        year = int(parts["date_Y"]) if parts.get("date_Y") else 2000 + int(parts["date_y"])
        try:
            day = date(year, int(parts["date_m"]), int(parts["date_d"]))
        except ValueError:
            pass
        else:
            if int(parts["seq"]) > 0:
                return DossierCode(parts["agency"], day, int(parts["seq"]))
    example = fmt.pattern.format(agency="000.00.53.H48", date=date(2022, 9, 21), seq=99)
    raise InvalidInput(
        f"Mã hồ sơ «{code.strip()}» không đúng định dạng {fmt.layout} (ví dụ {example}).", code="invalid_dossier_code"
    )


# -- CCCD: số định danh cá nhân, 12 digits (NĐ 137/2015, TT 07/2016/TT-BCA; domain.md §4.4) ---------


class Sex(StrEnum):
    """Sex as encoded in the CCCD century digit."""

    MALE = "male"
    FEMALE = "female"


# Birth-registration codes of the 63 pre-2025 provinces (TT 07/2016/TT-BCA, Phụ lục).
# fmt: off
CCCD_PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
# fmt: on
CCCD_MIN_YEAR, CCCD_MAX_YEAR = 1900, 2399  # century digits 0..9 cover the 1900s to the 2300s
_SEX_VI = {Sex.MALE: "nam", Sex.FEMALE: "nữ"}


@dataclass(frozen=True, slots=True)
class CccdInfo:
    """What a CCCD number says about its holder."""

    province_code: str
    province_name: str
    sex: Sex
    birth_year: int
    serial: str


def _cccd_error(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_cccd", field="cccd")


def _as_sex(sex: Sex | str) -> Sex:
    try:
        return Sex(sex)
    except ValueError:
        raise _cccd_error(f"Giới tính «{sex}» không hợp lệ (male hoặc female).") from None


def generate_cccd(rng: random.Random, province_code: str, sex: Sex | str, birth_year: int) -> str:
    """Return a well-formed fake CCCD number for the given birth province, sex and year.

    :raises InvalidInput: unknown province code, sex or a year outside 1900–2399.
    """
    if province_code not in CCCD_PROVINCES:
        raise _cccd_error(f"Mã tỉnh nơi đăng ký khai sinh «{province_code}» không có trong danh mục.")
    sex = _as_sex(sex)
    if not CCCD_MIN_YEAR <= birth_year <= CCCD_MAX_YEAR:
        raise _cccd_error(f"Năm sinh {birth_year} nằm ngoài khoảng {CCCD_MIN_YEAR}–{CCCD_MAX_YEAR}.")
    century_digit = 2 * (birth_year // 100 - 19) + (sex is Sex.FEMALE)
    return f"{province_code}{century_digit}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"


def parse_cccd(number: str, *, today: date | None = None) -> CccdInfo:
    """Read a 12-digit CCCD number.

    :param today: when given, a birth year after ``today.year`` is refused (a wrong century digit).
    :raises InvalidInput: not 12 digits, unknown province code, or an impossible birth year.
    """
    number = unicodedata.normalize("NFKC", number).strip()  # full-width digits typed on some keyboards
    if not (len(number) == 12 and number.isascii() and number.isdigit()):
        raise _cccd_error(f"Số định danh cá nhân «{number}» phải gồm đúng 12 chữ số.")
    province = number[:3]
    if province not in CCCD_PROVINCES:
        raise _cccd_error(f"Ba chữ số đầu «{province}» không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.")
    century_digit = int(number[3])
    birth_year = 1900 + 100 * (century_digit // 2) + int(number[4:6])
    if today is not None and birth_year > today.year:
        raise _cccd_error(
            f"Chữ số thứ tư «{century_digit}» (thế kỷ và giới tính) cho năm sinh {birth_year}, "
            f"sau năm hiện tại {today.year}."
        )
    sex = Sex.FEMALE if century_digit % 2 else Sex.MALE
    return CccdInfo(province, CCCD_PROVINCES[province], sex, birth_year, number[6:])


def validate_cccd(number: str, *, today: date | None = None) -> str:
    """Return the stripped CCCD number if it is well formed (see :func:`parse_cccd`)."""
    parse_cccd(number, today=today)
    return unicodedata.normalize("NFKC", number).strip()


def check_cccd_matches(number: str, birth_date: date, sex: Sex | str) -> CccdInfo:
    """Check that a CCCD number agrees with the holder's birth date and sex.

    :raises InvalidInput: malformed number, or its century digit / year / sex disagree.
    """
    info, sex = parse_cccd(number), _as_sex(sex)
    if info.birth_year != birth_date.year:
        raise _cccd_error(
            f"Số định danh cá nhân «{number.strip()}» ứng với năm sinh {info.birth_year}, "
            f"không khớp với ngày sinh {birth_date:%d/%m/%Y}."
        )
    if info.sex is not sex:
        raise _cccd_error(
            f"Số định danh cá nhân «{number.strip()}» ứng với giới tính {_SEX_VI[info.sex]}, "
            f"không khớp với giới tính {_SEX_VI[sex]} đã khai."
        )
    return info


# -- enterprise tax code (mã số doanh nghiệp / MST) ------------------------------------------------

# Check digit: weights over digits 1–9, check = 10 − (sum mod 11); a result of 10 is never issued.
# Same algorithm as python-stdnum's stdnum/vn/mst.py (arthurdejong/python-stdnum).
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_RE = re.compile(r"(\d{10})(?:-?(\d{3}))?", re.ASCII)


def tax_check_digit(first_nine: str) -> int | None:
    """Return the check digit for the first nine digits, or None if no code can end them."""
    check = 10 - sum(w * int(c) for w, c in zip(_TAX_WEIGHTS, first_nine, strict=True)) % 11
    return None if check == 10 else check


def _tax_error(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_tax_code", field="tax_code")


def validate_tax_code(code: str) -> str:
    """Return the tax code normalised to ``dddddddddd`` or ``dddddddddd-ddd``.

    :raises InvalidInput: wrong shape, zero sequence or branch number, or a wrong check digit.
    """
    code = code.strip()
    m = _TAX_RE.fullmatch(code)
    if m is None:
        raise _tax_error(f"Mã số thuế «{code}» phải gồm 10 chữ số, có thể kèm mã đơn vị phụ thuộc -001 đến -999.")
    main, branch = m[1], m[2]
    if main[2:9] == "0000000":
        raise _tax_error(f"Mã số thuế «{code}» có số thứ tự 0000000, không hợp lệ.")
    if branch == "000":
        raise _tax_error(f"Mã đơn vị phụ thuộc của mã số thuế «{code}» phải từ 001 đến 999.")
    if tax_check_digit(main[:9]) != int(main[9]):
        raise _tax_error(f"Chữ số kiểm tra (chữ số thứ 10) của mã số thuế «{code}» không đúng.")
    return f"{main}-{branch}" if branch else main


def generate_tax_code(rng: random.Random, province_prefix: str, branch: int | None = None) -> str:
    """Return a fake enterprise tax code with a valid check digit.

    :param province_prefix: two digits of the issuing province (e.g. ``"01"`` Hà Nội, ``"03"`` TP.HCM).
    :param branch: optional branch number 1–999 (gives ``dddddddddd-ddd``).
    :raises InvalidInput: a bad prefix or branch number.
    """
    if not re.fullmatch(r"\d{2}", province_prefix, re.ASCII) or province_prefix == "00":
        raise _tax_error(f"Mã tỉnh đầu mã số thuế «{province_prefix}» phải gồm 2 chữ số khác 00.")
    if branch is not None and not 1 <= branch <= 999:
        raise _tax_error(f"Mã đơn vị phụ thuộc phải từ 1 đến 999, nhận được {branch}.")
    while True:
        body = f"{province_prefix}{rng.randint(1, 9_999_999):07d}"
        check = tax_check_digit(body)
        if check is not None:
            main = f"{body}{check}"
            return f"{main}-{branch:03d}" if branch is not None else main


# -- Vietnamese mobile numbers (LOADTESTING.md §3; general knowledge, verify before relying) ---------

MOBILE_PREFIXES: dict[str, str] = {
    **dict.fromkeys(("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098"), "Viettel"),
    **dict.fromkeys(("081", "082", "083", "084", "085", "088", "091", "094"), "VinaPhone"),
    **dict.fromkeys(("070", "076", "077", "078", "079", "089", "090", "093"), "MobiFone"),
    **dict.fromkeys(("052", "056", "058", "092"), "Vietnamobile"),
    **dict.fromkeys(("059", "099"), "Gmobile"),
}
_MOBILE_RE = re.compile(r"(?:0|\+84)(\d{9})", re.ASCII)


def generate_mobile(rng: random.Random) -> str:
    """Return a fake mobile number ``0xxxxxxxxx`` with a real network prefix."""
    return f"{rng.choice(sorted(MOBILE_PREFIXES))}{rng.randrange(10_000_000):07d}"


def validate_mobile(number: str) -> str:
    """Return the mobile number normalised to ``0xxxxxxxxx`` (spaces, dots and dashes ignored).

    :raises InvalidInput: not ``0`` + 9 digits or ``+84`` + 9 digits, or an unknown network prefix.
    """
    compact = re.sub(r"[\s.\-]", "", number)
    m = _MOBILE_RE.fullmatch(compact)
    if m is None:
        reason = f"Số điện thoại di động «{number.strip()}» phải gồm 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số."
    elif f"0{m[1][:2]}" not in MOBILE_PREFIXES:
        reason = f"Đầu số 0{m[1][:2]} không phải đầu số di động Việt Nam đang sử dụng."
    else:
        return f"0{m[1]}"
    raise InvalidInput(reason, code="invalid_mobile", field="mobile")

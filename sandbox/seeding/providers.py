"""Fast, realistic generators of Vietnamese people and businesses.

Faker ``vi_VN`` writes names in Western order with 10 unweighted surnames and makes invalid
phone numbers (LOADTESTING.md §3), so names, CCCDs, phones and addresses come from our own
weighted lists here; Faker only supplies a pool of street names. Everything is drawn from a
seeded :class:`random.Random`, so a world is the same for the same seed.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from sandbox.domain.identifiers import Sex, generate_cccd, generate_mobile, generate_tax_code

# Surname shares (approximate, general knowledge; Nguyễn ≈ 38 %).
SURNAMES: dict[str, float] = {
    "Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.1, "Hoàng": 4.1, "Huỳnh": 1.6, "Phan": 4.5,
    "Vũ": 3.0, "Võ": 2.0, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0,
    "Lý": 0.5, "Đào": 0.5, "Đinh": 0.5, "Mai": 0.4, "Trịnh": 0.4, "Trương": 0.4, "Lương": 0.3,
    "Lưu": 0.3, "Cao": 0.3, "Tạ": 0.2, "Hà": 0.3, "Tô": 0.2, "Chu": 0.2, "Kiều": 0.1, "Quách": 0.1,
}  # fmt: skip
MIDDLE = {
    Sex.MALE: ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Ngọc", "Xuân",
               "Thanh", "Hoàng", "Anh", "Tuấn", "Duy", "Gia", "Bảo", "Trọng", "Quốc", "Mạnh", "Đình"],
    Sex.FEMALE: ["Thị"] * 10 + ["Ngọc", "Thu", "Thanh", "Minh", "Phương", "Bảo", "Kim",
                 "Mai", "Hồng", "Diệu", "Khánh", "Quỳnh", "Thùy", "Hải", "Hoài", "Mỹ", "Tuyết", "Bích"],
}  # fmt: skip
GIVEN = {
    Sex.MALE: ["An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng",
               "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Mạnh", "Minh", "Nam",
               "Nghĩa", "Nhân", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành",
               "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Hậu", "Công"],
    Sex.FEMALE: ["An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
                 "Huyền", "Hương", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
                 "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trâm", "Uyên",
                 "Vân", "Vy", "Yến", "Hạnh", "Liên", "Nhi", "Thư", "Ánh"],
}  # fmt: skip

# Which pre-2025 provinces (CCCD birth-registration codes) each of the 34 provinces merged
# (Nghị quyết 202/2025/QH15 on rearranging provincial units; general knowledge, verify).
MERGED_FROM: dict[str, tuple[str, ...]] = {
    "01": ("001",), "04": ("004",), "08": ("008", "002"), "11": ("011",), "12": ("012",),
    "14": ("014",), "15": ("010", "015"), "19": ("019", "006"), "20": ("020",), "22": ("022",),
    "24": ("027", "024"), "25": ("025", "026", "017"), "31": ("031", "030"), "33": ("033", "034"),
    "37": ("037", "035", "036"), "38": ("038",), "40": ("040",), "42": ("042",), "44": ("045", "044"),
    "46": ("046",), "48": ("048", "049"), "51": ("051", "062"), "52": ("064", "052"),
    "56": ("056", "058"), "66": ("066", "054"), "68": ("068", "067", "060"), "75": ("075", "070"),
    "79": ("079", "074", "077"), "80": ("072", "080"), "82": ("087", "082"),
    "86": ("086", "083", "084"), "91": ("089", "091"), "92": ("092", "094", "093"), "96": ("096", "095"),
}  # fmt: skip

BUSINESS_WORDS = ["An Phát", "Thành Công", "Minh Long", "Hoàng Gia", "Việt Tiến", "Phú Thịnh", "Đại Dương",
                  "Sao Mai", "Tân Tiến", "Hưng Thịnh", "Trường Sơn", "Bình Minh", "Phương Nam", "Kim Ngân",
                  "Hòa Phát", "Đông Á", "Thiên Long", "Nam Việt", "Hồng Hà", "Tiến Đạt", "Quang Minh",
                  "Xuân Mai", "Cửu Long", "An Khang", "Toàn Thắng", "Đức Tín", "Vạn Xuân", "Lạc Hồng"]  # fmt: skip
BUSINESS_TRADES = ["Xây dựng", "Thương mại", "Thương mại và Dịch vụ", "Công nghệ", "Nông sản", "Vận tải",
                   "Môi trường", "Thiết bị Y tế", "Tư vấn Thiết kế", "Đầu tư", "Cơ khí", "Thủy sản",
                   "Điện tử Viễn thông", "Giáo dục", "Thực phẩm", "Bất động sản"]  # fmt: skip
BUSINESS_KINDS = [("Công ty TNHH", 55), ("Công ty Cổ phần", 20), ("Doanh nghiệp tư nhân", 5), ("Hộ kinh doanh", 20)]
EMAIL_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "vnpt.vn"]


def ascii_fold(text: str) -> str:
    """'Nguyễn Đức Anh' -> 'nguyen duc anh' (for e-mail addresses and usernames)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    sex: Sex
    birth_date: date
    cccd: str
    phone: str
    email: str | None
    commune_code: str
    address: str


class PeopleFactory:
    """Draw people and businesses living on real communes, from one seeded RNG."""

    def __init__(self, rng: random.Random, communes: list[tuple[str, str, str]], *, today: date) -> None:
        """:param communes: ``(commune_code, province_code, commune_kind)`` for every commune to live on."""
        self.rng = rng
        self.communes = communes
        self.today = today
        self._surnames = list(SURNAMES)
        self._surname_cum = _cumulative(SURNAMES.values())
        faker = Faker("vi_VN")
        faker.seed_instance(rng.randrange(2**32))
        self.streets = sorted({faker.street_name() for _ in range(400)})
        self.cccd_seen: set[str] = set()

    def name(self, sex: Sex) -> str:
        r = self.rng
        surname = r.choices(self._surnames, cum_weights=self._surname_cum)[0]
        middle = r.choice(MIDDLE[sex])
        given = r.choice(GIVEN[sex])
        if r.random() < 0.12:  # some people carry two middle names (Nguyễn Thị Thu Hà)
            extra = r.choice(MIDDLE[sex])
            if extra not in (middle, given):
                middle = f"{middle} {extra}"
        return f"{surname} {middle} {given}"

    def address(self, commune_kind: str) -> str:
        r = self.rng
        if commune_kind == "Phường" or r.random() < 0.3:
            return f"Số {r.randint(1, 350)}, {r.choice(self.streets)}"
        return f"Thôn {r.choice(['Đông', 'Tây', 'Nam', 'Bắc', 'Trung', 'Thượng', 'Hạ'])} {r.randint(1, 12)}"

    def person(self, *, min_age: int = 18, max_age: int = 85) -> Person:
        r = self.rng
        commune_code, province_code, kind = r.choice(self.communes)
        sex = Sex.MALE if r.random() < 0.5 else Sex.FEMALE
        birth = self.today - timedelta(days=r.randint(min_age * 365, max_age * 365))
        origins = MERGED_FROM[province_code] if r.random() < 0.85 else MERGED_FROM[r.choice(list(MERGED_FROM))]
        cccd = generate_cccd(r, r.choice(origins), sex, birth.year)
        full_name = self.name(sex)
        email = None
        if r.random() < 0.45:
            email = f"{ascii_fold(full_name).replace(' ', '')}{r.randint(1, 9999)}@{r.choice(EMAIL_DOMAINS)}"
        return Person(full_name, sex, birth, cccd, generate_mobile(r), email, commune_code, self.address(kind))

    def business_name(self, owner_name: str) -> tuple[str, str]:
        r = self.rng
        kind = r.choices([k for k, _ in BUSINESS_KINDS], weights=[w for _, w in BUSINESS_KINDS])[0]
        if kind == "Hộ kinh doanh":
            return kind, f"Hộ kinh doanh {owner_name}"
        if kind == "Doanh nghiệp tư nhân":
            return kind, f"Doanh nghiệp tư nhân {r.choice(BUSINESS_WORDS)}"
        return kind, f"{kind} {r.choice(BUSINESS_TRADES)} {r.choice(BUSINESS_WORDS)}"

    def tax_code(self, province_code: str) -> str:
        return generate_tax_code(self.rng, province_code if province_code != "00" else "01")


def _cumulative(weights: object) -> list[float]:
    total, out = 0.0, []
    for w in weights:  # type: ignore[attr-defined]
        total += float(w)
        out.append(total)
    return out

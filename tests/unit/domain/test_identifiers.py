"""Dossier, agency and procedure codes, CCCD, tax codes and mobile numbers (domain.md §4)."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.domain.errors import InvalidInput
from sandbox.domain.identifiers import (
    AGENCY_CODE_RE,
    CCCD_PROVINCES,
    MOBILE_PREFIXES,
    SYNC_2026,
    TT01_2018,
    DossierCode,
    DossierCodeFormat,
    Sex,
    check_cccd_matches,
    format_dossier_code,
    generate_cccd,
    generate_mobile,
    generate_tax_code,
    is_valid_agency_code,
    is_valid_procedure_code,
    parse_cccd,
    parse_dossier_code,
    tax_check_digit,
    validate_cccd,
    validate_mobile,
    validate_procedure_code,
    validate_tax_code,
)

agency_codes = st.from_regex(AGENCY_CODE_RE, fullmatch=True)
rngs = st.integers(0, 2**32).map(random.Random)

# -- dossier codes -------------------------------------------------------------------------------


def test_format_real_examples() -> None:
    assert format_dossier_code("000.00.53.H48", date(2022, 9, 21), 99) == "000.00.53.H48-220921-0099"
    assert format_dossier_code("G09.20", date(2026, 6, 9), 92637, SYNC_2026) == "G09.20-20260609-0092637"


def test_parse_real_examples() -> None:
    assert parse_dossier_code("000.00.53.H48-220921-0099") == DossierCode("000.00.53.H48", date(2022, 9, 21), 99)
    assert parse_dossier_code("G09.20-20260609-0092637", SYNC_2026) == DossierCode("G09.20", date(2026, 6, 9), 92637)


@given(agency_codes, st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 9999))
def test_tt01_round_trip(agency: str, day: date, seq: int) -> None:
    assert parse_dossier_code(format_dossier_code(agency, day, seq)) == DossierCode(agency, day, seq)


@given(agency_codes, st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)), st.integers(1, 9_999_999))
def test_sync_2026_round_trip(agency: str, day: date, seq: int) -> None:
    code = format_dossier_code(agency, day, seq, SYNC_2026)
    assert parse_dossier_code(code, SYNC_2026) == DossierCode(agency, day, seq)


def test_any_pattern_is_compiled_not_only_the_two_known_ones() -> None:
    fmt = DossierCodeFormat("HS/{seq:05d}/{date:%d.%m.%Y}/{agency}")
    code = format_dossier_code("000.00.04.G18", date(2026, 3, 10), 42, fmt)
    assert code == "HS/00042/10.03.2026/000.00.04.G18"
    assert parse_dossier_code(code, fmt) == DossierCode("000.00.04.G18", date(2026, 3, 10), 42)
    assert fmt.layout == "HS/XXXXX/DD.MM.YYYY/[mã cơ quan]"
    assert parse_dossier_code("G09.20-20260609-0092637", "{agency}-{date:%Y%m%d}-{seq:07d}").seq == 92637


@pytest.mark.parametrize(
    "pattern", ["{agency}-{seq:04d}", "{agency}-{date:%y%m}-{seq:04d}", "{agency}-{date:%y%m%d}-{seq}", "{x}"]
)
def test_unusable_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"pattern|date"):
        DossierCodeFormat(pattern)


@pytest.mark.parametrize(
    "code",
    [
        "000.00.53.H48-221321-0099",  # month 13
        "000.00.53.H48-220230-0099",  # 30 February
        "000.00.53.H48-220921-099",  # 3-digit sequence
        "000.00.53.H48-220921-0000",  # sequence 0
        "000.00.53.H48-20220921-0099",  # SYNC date in a TT01 code
        "00.00.53.H48-220921-0099",  # bad agency
        "000.00.53.H48-220921-0099x",
        "",
    ],
)
def test_bad_dossier_codes(code: str) -> None:
    with pytest.raises(InvalidInput, match="không đúng định dạng") as exc:
        parse_dossier_code(code)
    assert exc.value.code == "invalid_dossier_code"
    assert "[mã cơ quan]-YYMMDD-XXXX" in exc.value.message


def test_sequence_overflow_and_zero_are_refused() -> None:
    assert format_dossier_code("000.00.53.H48", date(2022, 9, 21), 9999).endswith("-9999")
    with pytest.raises(InvalidInput, match="từ 1 đến 9999") as exc:
        format_dossier_code("000.00.53.H48", date(2022, 9, 21), 10_000)
    assert exc.value.code == "dossier_seq_overflow"
    with pytest.raises(InvalidInput, match="từ 1 đến 9999999"):
        format_dossier_code("G09.20", date(2026, 6, 9), 0, SYNC_2026)


def test_format_refuses_bad_agency_and_unrepresentable_year() -> None:
    with pytest.raises(InvalidInput, match="Mã định danh cơ quan"):
        format_dossier_code("H48", date(2022, 9, 21), 1)
    with pytest.raises(InvalidInput, match="2 chữ số"):
        format_dossier_code("000.00.53.H48", date(1999, 9, 21), 1, TT01_2018)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("000.00.53.H48", True),
        ("000.00.04.G18", True),
        ("000.00.00.G09", True),
        ("G09.20", True),
        ("H55.242", True),
        ("000.00.53.h48", False),
        ("000.0.53.H48", False),
        ("G09", False),
        ("G09-20", False),
        ("000.00.53.H48 ", False),
    ],
)
def test_agency_codes(code: str, ok: bool) -> None:
    assert is_valid_agency_code(code) is ok


# -- procedure codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("1.001612", True),
        ("2.000635", True),
        ("3.000181", True),
        ("1.00161", False),
        ("1001612", False),
        ("0.001612", False),
        ("1.001612.000.00.00.H48", False),
        ("a.001612", False),
        ("1.٠٠١٦١٢", False),  # non-ASCII digits
    ],
)
def test_procedure_codes(code: str, ok: bool) -> None:
    assert is_valid_procedure_code(code) is ok


def test_validate_procedure_code() -> None:
    assert validate_procedure_code(" 1.001612 ") == "1.001612"
    with pytest.raises(InvalidInput, match=re.escape("Mã thủ tục hành chính «1.0016» không đúng định dạng")) as exc:
        validate_procedure_code("1.0016")
    assert exc.value.code == "invalid_procedure_code"


# -- CCCD ----------------------------------------------------------------------------------------


def test_province_table_is_the_63_pre_merger_codes() -> None:
    assert len(CCCD_PROVINCES) == 63
    assert CCCD_PROVINCES["001"] == "Hà Nội"
    assert CCCD_PROVINCES["079"] == "Hồ Chí Minh"
    assert CCCD_PROVINCES["096"] == "Cà Mau"
    assert "003" not in CCCD_PROVINCES
    assert "097" not in CCCD_PROVINCES


@given(rngs, st.sampled_from(sorted(CCCD_PROVINCES)), st.sampled_from(Sex), st.integers(1900, 2099))
def test_cccd_generate_parse_round_trip(rng: random.Random, province: str, sex: Sex, year: int) -> None:
    number = generate_cccd(rng, province, sex, year)
    info = parse_cccd(number)
    assert len(number) == 12
    assert (info.province_code, info.sex, info.birth_year) == (province, sex, year)
    assert info.province_name == CCCD_PROVINCES[province]
    assert info.serial == number[6:]


def test_cccd_century_digit() -> None:
    rng = random.Random(7)
    assert generate_cccd(rng, "001", Sex.MALE, 1985)[3:6] == "085"
    assert generate_cccd(rng, "001", "female", 1985)[3:6] == "185"
    assert generate_cccd(rng, "001", Sex.MALE, 2005)[3:6] == "205"
    assert generate_cccd(rng, "001", Sex.FEMALE, 2005)[3:6] == "305"
    info = parse_cccd("079099035680")
    assert (info.province_name, info.sex, info.birth_year) == ("Hồ Chí Minh", Sex.MALE, 1999)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("07909903568", "phải gồm đúng 12 chữ số"),
        ("0790990356801", "phải gồm đúng 12 chữ số"),
        ("07909A035680", "phải gồm đúng 12 chữ số"),
        ("003099035680", "Ba chữ số đầu «003» không phải mã tỉnh"),
        ("097099035680", "Ba chữ số đầu «097» không phải mã tỉnh"),
    ],
)
def test_bad_cccd_numbers(number: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as exc:
        validate_cccd(number)
    assert exc.value.code == "invalid_cccd"


def test_cccd_century_digit_in_the_future_is_refused_when_today_is_given() -> None:
    assert validate_cccd("079499035680") == "079499035680"  # 2199 is well formed without a "today"
    with pytest.raises(InvalidInput, match=r"Chữ số thứ tư «4».*năm sinh 2199.*năm hiện tại 2026"):
        validate_cccd("079499035680", today=date(2026, 3, 10))


def test_generate_cccd_refuses_bad_input() -> None:
    rng = random.Random(1)
    with pytest.raises(InvalidInput, match="Mã tỉnh"):
        generate_cccd(rng, "003", Sex.MALE, 1990)
    with pytest.raises(InvalidInput, match="Giới tính"):
        generate_cccd(rng, "001", "other", 1990)
    with pytest.raises(InvalidInput, match="Năm sinh 1899"):
        generate_cccd(rng, "001", Sex.MALE, 1899)


def test_check_cccd_matches_birth_date_and_sex() -> None:
    assert check_cccd_matches("001301012345", date(2001, 5, 4), Sex.FEMALE).province_name == "Hà Nội"
    with pytest.raises(InvalidInput, match="năm sinh 2001, không khớp với ngày sinh 04/05/1901"):
        check_cccd_matches("001301012345", date(1901, 5, 4), Sex.FEMALE)
    with pytest.raises(InvalidInput, match="giới tính nữ, không khớp với giới tính nam"):
        check_cccd_matches("001301012345", date(2001, 5, 4), "male")


# -- tax codes -----------------------------------------------------------------------------------


def test_known_tax_codes() -> None:
    assert validate_tax_code("0100233488") == "0100233488"
    assert validate_tax_code(" 0314409058-002 ") == "0314409058-002"
    assert validate_tax_code("0314409058002") == "0314409058-002"
    assert tax_check_digit("010023348") == 8


def _refused(code: str) -> bool:
    try:
        validate_tax_code(code)
    except InvalidInput:
        return True
    return False


def test_check_digit_ten_is_never_issued() -> None:
    # A body whose weighted sum is ≡ 0 (mod 11) would need check digit 10: no ending is valid.
    body = next(f"01{n:07d}" for n in range(1, 10_000) if tax_check_digit(f"01{n:07d}") is None)
    assert all(_refused(f"{body}{d}") for d in range(10))
    assert not _refused("0100233488")


@given(rngs, st.integers(1, 99).map(lambda n: f"{n:02d}"), st.none() | st.integers(1, 999))
def test_tax_code_generate_validate_round_trip(rng: random.Random, prefix: str, branch: int | None) -> None:
    code = generate_tax_code(rng, prefix, branch)
    assert validate_tax_code(code) == code
    assert code.startswith(prefix)
    assert len(code) == (10 if branch is None else 14)


@given(rngs, st.integers(1, 9))
def test_corrupted_check_digit_fails(rng: random.Random, shift: int) -> None:
    code = generate_tax_code(rng, "01")
    corrupted = code[:9] + str((int(code[9]) + shift) % 10)
    with pytest.raises(InvalidInput, match="Chữ số kiểm tra") as exc:
        validate_tax_code(corrupted)
    assert exc.value.code == "invalid_tax_code"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("010023348", "phải gồm 10 chữ số"),
        ("01002334888", "phải gồm 10 chữ số"),
        ("0100233488-01", "phải gồm 10 chữ số"),
        ("0100233480", "Chữ số kiểm tra"),
        ("0100000000", "số thứ tự 0000000"),
        ("0100233488-000", "từ 001 đến 999"),
    ],
)
def test_bad_tax_codes(code: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_tax_code(code)


def test_generate_tax_code_refuses_bad_prefix_and_branch() -> None:
    with pytest.raises(InvalidInput, match="2 chữ số khác 00"):
        generate_tax_code(random.Random(1), "1")
    with pytest.raises(InvalidInput, match="từ 1 đến 999"):
        generate_tax_code(random.Random(1), "01", branch=1000)


# -- mobiles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("0868.123.456", "0868123456"),
        ("0599-123-456", "0599123456"),
    ],
)
def test_valid_mobiles(raw: str, normal: str) -> None:
    assert validate_mobile(raw) == normal


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0123456789", "Đầu số 012 không phải đầu số di động"),
        ("0241234567", "Đầu số 024"),
        ("091234567", "phải gồm 10 chữ số"),
        ("84912345678", "phải gồm 10 chữ số"),
        ("+8491234567", "phải gồm 10 chữ số"),
        ("09123456ab", "phải gồm 10 chữ số"),
    ],
)
def test_bad_mobiles(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as exc:
        validate_mobile(raw)
    assert exc.value.code == "invalid_mobile"


@given(rngs)
def test_generated_mobiles_validate(rng: random.Random) -> None:
    number = generate_mobile(rng)
    assert validate_mobile(number) == number
    assert number[:3] in MOBILE_PREFIXES

"""Internal processes: the default split and the validation of a unit's own steps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.domain.errors import InvalidInput
from sandbox.domain.processes import clean_steps, default_steps, format_days
from sandbox.domain.vocabulary import Role


@given(st.integers(min_value=1, max_value=120))
def test_the_default_steps_always_add_up_to_the_deadline(deadline: int) -> None:
    steps = default_steps(deadline)
    assert sum(s.days for s in steps) == deadline and all(s.days >= 0 and s.days % Decimal("0.5") == 0 for s in steps)
    assert next(s for s in steps if s.role is Role.SPECIALIST).days >= Decimal("0.5")


def test_a_valid_split_is_kept_and_the_sum_must_equal_the_deadline() -> None:
    rows = [{"name": "Tiếp nhận", "role": "desk", "days": "0"}, {"name": "Thẩm định", "role": "specialist", "days": "2,5"},
            {"name": "Ký", "role": "unit_leader", "days": "0.5"}, {"name": "", "role": "", "days": ""}]  # fmt: skip
    steps = clean_steps(rows, 3)
    assert [s.days for s in steps] == [0, Decimal("2.5"), Decimal("0.5")] and len(steps) == 3
    with pytest.raises(InvalidInput) as exc:
        clean_steps(rows, 5)
    assert exc.value.field == "tong" and "3 ngày" in exc.value.message and "5 ngày" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        clean_steps(rows, 5.0)  # the catalogue stores deadlines as numbers: read as «5», not «5.0»
    assert "quy định: 5 ngày" in exc.value.message


@pytest.mark.parametrize(("row", "field"), [
    ({"name": "x", "role": "desk", "days": "1"}, "buoc_1_name"),
    ({"name": "Bước", "role": "citizen", "days": "1"}, "buoc_1_role"),
    ({"name": "Bước", "role": "desk", "days": "0,3"}, "buoc_1_days"),
    ({"name": "Bước", "role": "desk", "days": "-1"}, "buoc_1_days"),
    ({"name": "Bước", "role": "desk", "days": "NaN"}, "buoc_1_days"),
    ({"name": "Bước", "role": "desk", "days": "một"}, "buoc_1_days"),
])  # fmt: skip
def test_each_wrong_part_is_named(row: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        clean_steps([row], 1)
    assert exc.value.field == field


def test_days_read_the_vietnamese_way() -> None:
    assert format_days(Decimal("2.5")) == "2,5" and format_days(Decimal("3.0")) == "3"

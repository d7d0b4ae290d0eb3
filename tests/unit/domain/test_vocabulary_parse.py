"""``parse`` by its table finds what a walk through the members finds (the first member that matches)."""

from __future__ import annotations

import enum

from hypothesis import given
from hypothesis import strategies as st

import sandbox.domain.vocabulary as vocabulary

ENUMS = [c for c in vars(vocabulary).values()
         if isinstance(c, type) and issubclass(c, vocabulary._Labelled) and list(c)]  # fmt: skip


def walk(cls: type[enum.Enum], raw: object) -> enum.Enum | None:
    for member in cls:
        if member.value == raw or member.name == raw or str(member.value) == str(raw):
            return member
    return None


def test_every_value_name_and_text_of_every_enum() -> None:
    assert len(ENUMS) >= 8
    for cls in ENUMS:
        for member in cls:
            for raw in (member.value, member.name, str(member.value)):
                assert cls.parse(raw) is walk(cls, raw)


@given(raw=st.one_of(st.integers(-3, 12), st.floats(0, 12), st.booleans(), st.none(), st.text(max_size=12),
                     st.lists(st.integers(), max_size=2)))  # fmt: skip
def test_anything_else(raw: object) -> None:
    for cls in ENUMS:
        assert cls.parse(raw) is walk(cls, raw)

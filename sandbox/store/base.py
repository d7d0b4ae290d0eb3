"""Declarative base: naming convention for constraints, enums stored by value."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Enum, ForeignKey, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from sandbox.domain.vocabulary import Channel, CopyType

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_column(enum_cls: type[enum.Enum], **kw: Any) -> Any:
    """Store an enum by its value (the real system's code), not its Python name."""
    return Enum(
        enum_cls,
        values_callable=lambda e: [str(m.value) for m in e],
        native_enum=False,
        validate_strings=True,
        length=32,
        **kw,
    )


class IntCode(TypeDecorator[Any]):
    """An integer-coded enum (national channel 1–3, copy type 0–2) stored as its code."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum_cls: type[enum.Enum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(self.enum_cls(value).value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.enum_cls(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        datetime: DateTime(),
        Channel: IntCode(Channel),
        CopyType: IntCode(CopyType),
    }

    def __repr__(self) -> str:
        pk = ", ".join(f"{c.key}={getattr(self, c.key)!r}" for c in self.__mapper__.primary_key)
        return f"<{type(self).__name__} {pk}>"


class WorkspaceScoped:
    """Mixin for every mutable row: it belongs to exactly one workspace."""

    @declared_attr
    def workspace_id(cls) -> Mapped[str]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(String(64), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)

"""Reading query-string and form values: one place, ASCII digits only, Vietnamese errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sandbox.domain.errors import InvalidInput
from sandbox.domain.inputs import is_clean_text


def int_arg(args: Mapping[str, Any], name: str, default: int | None, low: int, high: int, *,
            label: str | None = None) -> int | None:  # fmt: skip
    """An integer parameter within ``[low, high]``; ``default`` when absent or empty."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 9 and low <= int(raw) <= high):
        raise InvalidInput(f"«{label or name}» phải là số nguyên từ {low} đến {high}.", field=name)
    return int(raw)


def bool_arg(args: Mapping[str, Any], name: str) -> bool | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or raw.lower() not in ("true", "false", "1", "0"):
        raise InvalidInput(f"Tham số «{name}» phải là true hoặc false.", field=name)
    return raw.lower() in ("true", "1")


def text_arg(args: Mapping[str, Any], name: str, *, max_length: int = 100) -> str | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > max_length or not is_clean_text(raw):
        raise InvalidInput(f"Tham số «{name}» không hợp lệ (tối đa {max_length} ký tự).", field=name)
    return raw.strip() or None


def date_arg(args: Mapping[str, Any], name: str, *, label: str | None = None) -> date | None:
    """A calendar date written YYYY-MM-DD; ``None`` when absent or empty."""
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    try:
        if not (isinstance(raw, str) and raw.isascii() and len(raw) == 10):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"«{label or name}» phải là một ngày dạng NNNN-TT-NN (ví dụ 2026-11-01).", field=name
        ) from None


def reject_unclean(value: Any) -> bool:
    """True when a decoded JSON value holds a string with NUL or lone surrogates anywhere."""
    if isinstance(value, str):
        return not is_clean_text(value)
    if isinstance(value, dict):
        return any(reject_unclean(k) or reject_unclean(v) for k, v in value.items())
    if isinstance(value, list):
        return any(reject_unclean(v) for v in value)
    return False

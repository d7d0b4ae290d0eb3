"""The inputs an action takes (reason, documents, dates, …) and their validation, with Vietnamese messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sandbox.domain.dossier import Situation
from sandbox.domain.errors import InvalidInput
from sandbox.domain.vocabulary import PaymentMethod

ParamKind = Literal["text", "documents", "date", "int", "payment_method"]


@dataclass(frozen=True, slots=True)
class Param:
    """One input an action takes, with its Vietnamese label for forms and messages."""

    name: str
    kind: ParamKind
    label: str
    required: bool = True


def _clean_param(p: Param, raw: Any, situation: Situation) -> Any:
    if raw is None or raw == "" or raw == []:
        if p.required:
            raise InvalidInput(f"Vui lòng nhập «{p.label}».", code="missing_field", field=p.name)
        return None
    if p.kind == "text":
        if not isinstance(raw, str):
            raise InvalidInput(f"«{p.label}» phải là văn bản.", field=p.name)
        if not is_clean_text(raw):
            raise InvalidInput(f"«{p.label}» chứa ký tự không hợp lệ.", field=p.name)
        text = raw.strip()
        if p.required and len(text) < 5:
            raise InvalidInput(f"«{p.label}» quá ngắn: hãy ghi rõ nội dung (ít nhất 5 ký tự).", field=p.name)
        if len(text) > 2000:
            raise InvalidInput(f"«{p.label}» quá dài (tối đa 2000 ký tự).", field=p.name)
        return text
    if p.kind == "documents":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) and len(i) <= 16 for i in items):
            raise InvalidInput(f"«{p.label}» phải là danh sách mã giấy tờ.", field=p.name)
        known = situation.procedure.document_codes
        unknown = [i for i in items if i not in known]
        if unknown:
            raise InvalidInput(
                f"Giấy tờ {', '.join(unknown)} không thuộc thành phần hồ sơ của thủ tục "
                f"{situation.procedure.code}: chỉ được yêu cầu bổ sung giấy tờ thủ tục quy định.",
                code="document_not_in_procedure",
                field=p.name,
            )
        return sorted(set(items))
    if p.kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise InvalidInput(f"«{p.label}» phải là ngày hợp lệ (YYYY-MM-DD).", field=p.name) from None
    if p.kind == "int":
        value = as_id(raw)
        if value is None:
            raise InvalidInput(f"«{p.label}» phải là số nguyên dương.", field=p.name)
        return value
    method = PaymentMethod.parse(raw)
    if method is None:
        raise InvalidInput(f"«{p.label}» chỉ nhận: trực tuyến (online) hoặc tiền mặt (cash).", field=p.name)
    return method


MAX_ID = 2**63 - 1


def as_id(raw: Any) -> int | None:
    """A positive integer id from JSON or a form (``7`` or ``"7"``), or None: no bools, fractions,
    infinities, exponents or non-ASCII digits, and nothing beyond a 64-bit integer."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 19:
        value = int(raw)
    else:
        return None
    return value if 1 <= value <= MAX_ID else None


def is_clean_text(text: str) -> bool:
    """False for text a database or an encoder would choke on: NUL and lone surrogates."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def clean_params(params: tuple[Param, ...], raw: Mapping[str, Any], situation: Situation) -> dict[str, Any]:
    """Validate an action's inputs; raise :class:`InvalidInput` naming the field."""
    return {p.name: _clean_param(p, raw.get(p.name), situation) for p in params}


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with «…» when cut (for messages)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return f"{cut}…"

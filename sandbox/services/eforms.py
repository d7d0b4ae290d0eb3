"""Validate an online form (eForm) against the procedure's field list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sandbox.domain.errors import InvalidInput

# eForm fields the business registry knows: filled from it when a representative files for the
# business (shown read-only on the portal), never retyped.
BUSINESS_REGISTRY_FIELDS = {"ma_so_doanh_nghiep": "tax_code", "ten_dntn": "name", "ten_doanh_nghiep": "name"}


def registry_values(fields: Sequence[Mapping[str, Any]], business: Any | None) -> dict[str, Any]:
    """The values of ``fields`` that come from the registry record of ``business`` (none without one)."""
    if business is None:
        return {}
    return {f["name"]: getattr(business, BUSINESS_REGISTRY_FIELDS[f["name"]]) for f in fields
            if f["name"] in BUSINESS_REGISTRY_FIELDS}  # fmt: skip


def clean_form_data(fields: Sequence[Mapping[str, Any]], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return the cleaned values; raise :class:`InvalidInput` naming the first wrong field."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("Dữ liệu tờ khai phải là một đối tượng (trường: giá trị).", field="form_data")
    known = {f["name"] for f in fields}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InvalidInput(f"Tờ khai không có trường: {', '.join(unknown)}.", field="form_data")
    out: dict[str, Any] = {}
    for f in fields:
        name, label, kind = f["name"], f["label"], f.get("type", "text")
        value = raw.get(name)
        if value is None or value == "" or value is False and kind != "checkbox":
            if f.get("required") and kind != "checkbox":
                raise InvalidInput(f"Vui lòng nhập «{label}».", code="missing_field", field=name)
            continue
        if kind == "number":
            try:
                value = float(value) if not isinstance(value, bool) else None
            except (TypeError, ValueError):
                value = None
            if value is None:
                raise InvalidInput(f"«{label}» phải là số.", field=name)
        elif kind == "date":
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise InvalidInput(f"«{label}» phải là ngày hợp lệ (YYYY-MM-DD).", field=name) from None
        elif kind == "select":
            if value not in f.get("options", []):
                raise InvalidInput(f"«{label}» phải là một trong: {', '.join(f.get('options', []))}.", field=name)
        elif kind == "checkbox":
            value = value in (True, "on", "1", "true", 1)
        else:
            if not isinstance(value, str):
                raise InvalidInput(f"«{label}» phải là văn bản.", field=name)
            value = value.strip()
            if len(value) > 2000:
                raise InvalidInput(f"«{label}» quá dài (tối đa 2000 ký tự).", field=name)
        out[name] = value
    return out


def example_form_data(fields: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A valid filling of the form's required fields (for demos, tests and load scripts)."""
    samples = {"text": "Nội dung kê khai mẫu", "textarea": "Nội dung kê khai mẫu", "number": 1, "date": "2026-01-15",
               "checkbox": True}  # fmt: skip
    out: dict[str, Any] = {}
    for f in fields:
        if f.get("required"):
            kind = f.get("type", "text")
            out[f["name"]] = f["options"][0] if kind == "select" else samples[kind]
    return out

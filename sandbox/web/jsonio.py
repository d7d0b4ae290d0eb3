"""JSON responses written by orjson: the API's lists spent a tenth of their time in the standard library's encoder.

Same output as Flask's default provider for what the views return (text as UTF-8, not ``\\u`` escapes, as
``ensure_ascii=False`` gave; keys in the order the view built them), about ten times faster to encode
(``bench/api.py``). Request bodies are still read by the standard library (they are small, and its
errors are the ones ``web.api.views`` turns into Vietnamese messages).
"""

from __future__ import annotations

import dataclasses
import decimal
import uuid
from datetime import date, datetime
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.http import http_date

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _default(o: Any) -> Any:
    """What orjson leaves to us, as Flask's provider writes it (dates as HTTP dates, as Flask does)."""
    if isinstance(o, datetime | date):
        return http_date(o)
    if isinstance(o, decimal.Decimal | uuid.UUID):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _encode(obj: Any) -> bytes:
    return orjson.dumps(obj, default=_default, option=_OPTIONS)


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # someone asked for the standard library's options (indent, …)
            return super().dumps(obj, **kwargs)
        return _encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(_encode(obj), mimetype="application/json")

"""JSON responses by orjson write what Flask's own provider wrote for what the views return."""

from __future__ import annotations

import json
from datetime import datetime

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from sandbox.web.jsonio import OrjsonProvider


def _both(value: object) -> tuple[bytes, bytes]:
    ours, theirs = Flask("ours"), Flask("theirs")
    ours.json = OrjsonProvider(ours)
    theirs.json = DefaultJSONProvider(theirs)
    theirs.json.ensure_ascii, theirs.json.sort_keys = False, False  # as the app had it
    out = []
    for app in (ours, theirs):
        with app.app_context():
            resp = jsonify(value)
            assert resp.mimetype == "application/json"
            out.append(resp.get_data())
    return out[0], out[1]


def test_the_same_values_as_flasks_provider_with_vietnamese_unescaped_and_keys_in_order() -> None:
    value = {"z": "Hồ sơ đã tiếp nhận", "a": [1, 2.5, None, True], "khi": datetime(2026, 11, 23, 9, 30), "n": {"1": 2}}
    ours, theirs = _both(value)
    assert json.loads(ours) == json.loads(theirs)
    assert "Hồ sơ đã tiếp nhận".encode() in ours and b"\\u" not in ours
    assert list(json.loads(ours)) == ["z", "a", "khi", "n"]
    assert json.loads(ours)["khi"] == "Mon, 23 Nov 2026 09:30:00 GMT"


def test_what_is_not_json_is_refused_and_infinity_is_null_not_invalid_json() -> None:
    app = Flask("t")
    app.json = OrjsonProvider(app)
    with app.app_context():
        assert json.loads(jsonify({"x": float("inf")}).get_data()) == {"x": None}  # the stdlib wrote «Infinity»
        try:
            jsonify({"x": object()})
        except TypeError as exc:
            assert "not JSON serializable" in str(exc)
        else:
            raise AssertionError("an object was serialised")

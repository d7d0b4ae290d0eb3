"""The dossier link of lists is what url_for builds, for any code."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from sandbox.web.filters import dossier_url


@pytest.mark.parametrize("code", ["000.00.20.H37-261123-0766", "H37.22-261001-0001", "có dấu", "a b&c?d#e%f", "x/y"])
def test_dossier_url_is_url_for(app: Flask, code: str) -> None:
    with app.test_request_context("/motcua/", base_url="http://lop.local/sandbox"):  # under a prefix, too
        assert dossier_url(code) == url_for("motcua.dossier", code=code)
        assert dossier_url(code).startswith("/sandbox/motcua/ho-so/")

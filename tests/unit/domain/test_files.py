"""Uploaded files: told by content, names cleaned."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import InvalidInput
from sandbox.domain.files import check_upload, clean_file_name


def test_names_lose_folders_and_control_characters() -> None:
    assert clean_file_name("C:\\Users\\an\\Giấy phép.pdf") == "Giấy phép.pdf"
    assert clean_file_name("../../x\x0bdoc\x1f\x7f\u202e.pdf") == "xdoc.pdf"
    with pytest.raises(InvalidInput):
        clean_file_name("\x00\x01")


def test_the_content_decides_not_the_name() -> None:
    assert check_upload("anh.pdf", b"\x89PNG\r\n\x1a\n....")[1] == "image/png"
    with pytest.raises(InvalidInput) as exc:
        check_upload("scan.pdf", b"MZ\x90\x00")
    assert exc.value.code == "file_type"

"""What an uploaded document may be: PDF, JPEG or PNG, told by its content (not its name), within a size.

Scans reach the sandbox from the desk's scanner and from citizens' phones; the real systems take
these three formats. The first bytes decide: a renamed ``.exe`` called ``scan.pdf`` is refused.
"""

from __future__ import annotations

import posixpath
import unicodedata

from sandbox.domain.errors import InvalidInput
from sandbox.domain.inputs import is_clean_text

MAX_FILE_BYTES = 5 * 1024 * 1024  # per file; a request carries at most 10 MB (the web app's limit)
MAX_NAME_CHARS = 200

# magic numbers (the file signatures) → content type
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"  # for <input type=file accept=…>


def sniff(data: bytes) -> str | None:
    """The content type that ``data`` starts like, or None."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def clean_file_name(raw: str | None, field: str | None = None) -> str:
    """The base name of an uploaded file, NFC, without any folder part, at most 200 characters."""
    name = unicodedata.normalize("NFC", posixpath.basename((raw or "").replace("\\", "/")))
    # control and format characters (\x0b, \x7f, RLO …) would end up raw in Content-Disposition headers
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")).strip()
    if not name or not is_clean_text(name):
        raise InvalidInput("Tên tệp không hợp lệ.", field=field)
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME_CHARS]
    return name


def check_upload(file_name: str | None, data: bytes, field: str | None = None) -> tuple[str, str]:
    """Return ``(clean name, content type)`` or raise :class:`InvalidInput` saying what is wrong, in Vietnamese."""
    name = clean_file_name(file_name, field)
    if not data:
        raise InvalidInput(f"Tệp «{name}» rỗng (0 byte).", code="file_empty", field=field)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"Tệp «{name}» có dung lượng {len(data) / 1048576:.1f} MB, vượt quá "
                           f"{MAX_FILE_BYTES // 1048576} MB cho mỗi tệp.", code="file_too_large", field=field)  # fmt: skip
    kind = sniff(data)
    if kind is None:
        raise InvalidInput(f"Tệp «{name}» không phải PDF, JPEG hoặc PNG (nội dung tệp không đúng định dạng, "
                           "dù tên tệp có đuôi gì).", code="file_type", field=field)  # fmt: skip
    return name, kind

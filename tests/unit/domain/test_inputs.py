"""Small input helpers shared by the use cases."""

from __future__ import annotations

from sandbox.domain.inputs import shorten


def test_shorten_cuts_at_a_word_and_says_so() -> None:
    name = "Phiếu khai báo thiết bị X-quang chẩn đoán trong y tế (theo mẫu, mỗi thiết bị một phiếu)"
    short = shorten(name, 60)
    kept = short.removesuffix("…")
    assert len(short) <= 60 and short.endswith("…") and name.startswith(kept)
    assert name[len(kept)] in " ,;:("  # never in the middle of a word
    assert shorten("ngắn", 60) == "ngắn"

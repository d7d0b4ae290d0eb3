"""PDF from a Jinja template, on the server, with no browser: fpdf2's ``write_html`` and a vendored Unicode font.

fpdf2 reads a small HTML subset (paragraphs, bold, headings, tables of plain text cells, images), which
the PDF templates keep to; the printable pages share their bodies with them. The font is DejaVu Sans,
vendored in ``static/fonts`` (licence and how it was cut beside it) so a workshop laptop needs nothing
installed, cut down to Latin and Vietnamese: parsing the full 750 KB face on every PDF cost ~120 ms.
No italic face is registered, so the PDF templates use no <i>/<em>.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import segno
from flask import Response, render_template, send_file
from fpdf import FPDF
from fpdf.fonts import TextStyle
from fpdf.html import HTML2FPDF

from sandbox.services.context import ServiceContext
from sandbox.services.results import electronic_result
from sandbox.store.models import Dossier

FONTS = Path(__file__).parent / "static" / "fonts"
FAMILY = "DejaVu"
# official forms are black on white: fpdf2's default headings are coloured
TAG_STYLES = {
    "h1": TextStyle(font_family=FAMILY, font_style="B", font_size_pt=15, color="#000000", t_margin=4, b_margin=2),
    "h2": TextStyle(font_family=FAMILY, font_style="B", font_size_pt=13, color="#000000", t_margin=4, b_margin=2),
    "h4": TextStyle(font_family=FAMILY, font_style="B", font_size_pt=11, color="#000000", t_margin=1, b_margin=1),
}


class _Html(HTML2FPDF):
    """fpdf2 2.8 lays a table out in whatever style the last bold text left set: start and end tables upright."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.pdf.set_font(style="")
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.pdf.set_font(style="")
        super().handle_endtag(tag)


class _Pdf(FPDF):
    HTML2FPDF_CLASS = _Html


def qr_png(text: str) -> bytes:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=4, border=2)
    return buf.getvalue()


def render_pdf(template: str, *, title: str, images: dict[str, bytes] | None = None, **context: Any) -> bytes:
    """Render ``template`` and lay it out on A4 pages; ``images`` maps an ``<img src>`` to PNG bytes."""
    html = render_template(template, **context)
    pdf = _Pdf(format="A4")
    for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        pdf.add_font(FAMILY, style, str(FONTS / file))
    pdf.set_title(title)
    pdf.set_creator("Sa Bàn Một Cửa — môi trường đào tạo")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, size=11)
    found = images or {}
    pdf.write_html(html, font_family=FAMILY, tag_styles=TAG_STYLES,
                   image_map=lambda src: io.BytesIO(found[src]) if src in found else src)  # fmt: skip
    return bytes(pdf.output())


def pdf_response(content: bytes, file_name: str) -> Response:
    resp = send_file(io.BytesIO(content), mimetype="application/pdf", download_name=file_name, as_attachment=False,
                     max_age=0)  # fmt: skip
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def result_pdf(ctx: ServiceContext, dossier: Dossier, lookup: str) -> Response:
    """The electronic result of ``dossier`` as a PDF (officers and the applicant get the same document)."""
    result = electronic_result(ctx, dossier)
    content = render_pdf("result_pdf.html", title=f"{dossier.procedure.result} · {dossier.code}",
                         images={"qr": qr_png(lookup)}, dossier=dossier, result=result, lookup=lookup)  # fmt: skip
    return pdf_response(content, f"{dossier.code}-ket-qua.pdf")

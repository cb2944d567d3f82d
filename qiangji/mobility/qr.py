"""QR codes (segno) as inline SVG for pages and as data URIs for PDFs (no file, no network)."""

import io

import segno


def svg(text: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title="二维码", border=2
    )
    return buffer.getvalue().decode()


def data_uri(text: str, *, scale: int = 4) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)

"""core.pdf: Chinese documents embed a CJK font (system or packaged), never boxes; only local files load."""

import re
import shutil
import subprocess
import zlib

import pytest

from qiangji.core import pdf

TEXT = "中国共产党发展党员工作细则 入党积极分子备案表 张三同志"


def embedded_font_names(data: bytes) -> set[str]:
    """Subset font names (`ABCDEF+Name`) from the PDF's (possibly compressed) objects."""
    names = set(re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Z]{6}\+[^\s/<>\[\]]+)", data))
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            raw = zlib.decompressobj().decompress(data[match.end() : match.end() + 4_000_000])
        except zlib.error:
            continue
        names.update(re.findall(rb"/(?:BaseFont|FontName)\s*/([A-Z]{6}\+[^\s/<>\[\]]+)", raw))
    return {name.decode().split("+", 1)[1] for name in names}


def assert_cjk_text(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, timeout=30
        ).stdout.decode()
        assert "入党积极分子备案表" in text
        assert "张三同志" in text


@pytest.fixture
def fresh_font():
    pdf.cjk_font.cache_clear()
    yield
    pdf.cjk_font.cache_clear()


def test_render_pdf_embeds_a_cjk_font(fresh_font):
    data = pdf.render_pdf("core/pdf/sample.html", {"title": "入党积极分子备案表", "body": TEXT})
    fonts = embedded_font_names(data)
    assert fonts, "no embedded font"
    assert all(re.search(r"CJK|SC|Han|Hei", name) for name in fonts), fonts
    assert_cjk_text(data)


def test_packaged_font_is_used_without_system_cjk_fonts(settings, fresh_font):
    """A fresh machine without fonts-noto-cjk: the PyPI package's Noto Sans SC is loaded via @font-face."""
    settings.QIANGJI_PDF_PACKAGED_FONT_ONLY = True
    font = pdf.cjk_font()
    assert font.packaged and font.path.endswith("NotoSansSC-Regular.otf")
    assert "@font-face" in font.css()
    data = pdf.render_pdf("core/pdf/sample.html", {"title": "入党积极分子备案表", "body": TEXT})
    assert any("Qiangji-Noto-Sans-SC" in name for name in embedded_font_names(data))
    assert_cjk_text(data)


def test_system_font_must_really_be_the_family_asked_for(monkeypatch):
    """fc-match answers with a fallback (e.g. DejaVu) for a missing family: that is not a CJK font."""
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/fc-match")

    class Done:
        stdout = "DejaVu Sans\n/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    monkeypatch.setattr(pdf.subprocess, "run", lambda *a, **k: Done())
    assert pdf._fontconfig_file("Noto Sans CJK SC") == ""


def test_user_text_is_escaped_and_remote_urls_are_not_fetched(fresh_font):
    html = pdf.render_html(
        "core/pdf/sample.html", {"title": "t", "body": '<img src="http://example.invalid/x.png">'}
    )
    assert "&lt;img" in html
    fetcher = pdf._url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.invalid/x.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_pdf_response_names_the_file_in_utf8():
    response = pdf.pdf_response(b"%PDF-1.7", "入党志愿书.pdf", inline=False)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''%E5%85%A5")

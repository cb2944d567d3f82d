"""PDF rendering shared by every app (dossier forms, meeting minutes, certificates) with WeasyPrint.

Chinese must never come out as empty boxes, on a developer's laptop or a fresh server alike, so the
font is chosen explicitly instead of trusting whatever fontconfig falls back to:

1. a system CJK font found by fontconfig (`fonts-noto-cjk`, which the CI and install steps bring),
   or one of its usual file paths when `fc-match` itself is missing;
2. otherwise Noto Sans SC shipped inside the pinned PyPI package `pylopdf-fonts-zh-cn`, loaded
   through `@font-face`, so a `pip install` alone is enough.

Documents only ever load local files (the font, static images, `data:` URIs): a template that
interpolates user text must not make the server fetch a URL.
"""

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei")
KNOWN_PATHS = (
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("Noto Sans CJK SC", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    ("Noto Sans CJK SC", "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)
PACKAGED_FAMILY = "Qiangji Noto Sans SC"
PDF_CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class CJKFont:
    family: str  # the CSS font-family name documents use
    path: str  # the font file, for the record and for @font-face
    packaged: bool  # True: loaded through @font-face from the PyPI package

    def css(self) -> str:
        if not self.packaged:
            return f'html {{ font-family: "{self.family}", sans-serif; }}'
        url = Path(self.path).as_uri()
        return (
            f'@font-face {{ font-family: "{self.family}"; src: url("{url}"); }}\n'
            f'html {{ font-family: "{self.family}", sans-serif; }}'
        )


def _fontconfig_file(family: str) -> str:
    """The file fontconfig gives for `family`, only if it really is that family (no silent fallback)."""
    if not shutil.which("fc-match"):
        return ""
    try:
        answer = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}", family], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    families, _, file = answer.partition("\n")
    return file if family in families.split(",") and Path(file).is_file() else ""


def _packaged_font() -> str:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return ""
    path = pylopdf_fonts_zh_cn.sans_path()
    return str(path) if path.is_file() else ""


@functools.cache
def cjk_font() -> CJKFont:
    """The CJK font documents are set in; raises if there is none at all (a PDF of boxes is worse)."""
    if not getattr(settings, "QIANGJI_PDF_PACKAGED_FONT_ONLY", False):
        for family in SYSTEM_FAMILIES:
            if file := _fontconfig_file(family):
                return CJKFont(family, file, packaged=False)
        if not shutil.which("fc-match"):
            for family, path in KNOWN_PATHS:
                if Path(path).is_file():
                    return CJKFont(family, path, packaged=False)
    if path := _packaged_font():
        return CJKFont(PACKAGED_FAMILY, path, packaged=True)
    raise RuntimeError("没有可用的中文字体：请安装 fonts-noto-cjk 或 Python 包 pylopdf-fonts-zh-cn")


def _allowed_roots() -> list[Path]:
    roots = [Path(cjk_font().path).parent]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    roots += [Path(app_static) for app_static in _app_static_dirs()]
    return [root.resolve() for root in roots]


def _app_static_dirs() -> list[str]:
    from django.apps import apps

    return [
        str(Path(config.path) / "static")
        for config in apps.get_app_configs()
        if (Path(config.path) / "static").is_dir()
    ]


def _url_fetcher():
    """Local files under the font and static folders and `data:` URIs; anything else is refused."""
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"PDF 只能读取本地字体和静态文件：{url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"file", "data"}, timeout=5)


def render_html(template_name: str, context: dict, *, request=None) -> str:
    """The document's HTML (the same the PDF is made of); `pdf_font_css` is added for the base template."""
    font = cjk_font()
    return render_to_string(
        template_name, {**context, "pdf_font_css": font.css(), "pdf_font": font}, request=request
    )


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template (extending `core/pdf/base.html`) to PDF bytes with a CJK font embedded."""
    from weasyprint import HTML

    html = render_html(template_name, context, request=request)
    base_url = str(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).write_pdf()


def pdf_response(data: bytes, filename: str, *, inline: bool = True):
    """An HttpResponse for PDF bytes with a UTF-8 file name (RFC 6266)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response

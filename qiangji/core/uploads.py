"""Uploaded images checked by their content, not their name (docs/security.md: upload checks).

`check_image(upload, field=…, max_bytes=…, label=…)` decodes the file with Pillow: a script or a PDF
renamed `.jpg` is refused, as is an image over the size limit or in a format we do not serve. The error is
a `ValidationError` naming `field`, in Chinese, so a service refuses the whole write and nothing is saved.
Used by every app that takes photos (the request desk's one-tap help, governance visits …).
"""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
_FORMATS_TEXT = "JPG、PNG、WebP"

__all__ = ["IMAGE_FORMATS", "check_image"]


def _size_text(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes // (1024 * 1024)}MB"
    return f"{max(max_bytes // 1024, 1)}KB"


def check_image(upload, *, field: str, max_bytes: int, label: str = "照片", formats=IMAGE_FORMATS):
    """`upload` rewound and returned when it is an image of `formats` within `max_bytes`; else a
    ValidationError on `field` ("第2张照片超过8MB，请压缩后再传", "…不是有效的图片（支持 JPG、PNG、WebP）")."""
    if (getattr(upload, "size", 0) or 0) > max_bytes:
        raise ValidationError({field: f"{label}超过{_size_text(max_bytes)}，请压缩后再传"})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: f"{label}不是有效的图片（支持 {_FORMATS_TEXT}）"}) from None
    if kind not in formats:
        raise ValidationError({field: f"{label}格式为{kind}，只支持 {_FORMATS_TEXT}"})
    upload.seek(0)
    return upload

"""Shared view plumbing of the education app: the year asked for, serving a stored file with Range support."""

import os
import re

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from qiangji.core.dates import today

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def year_from(request) -> int:
    """`?year=` between 2000 and 2100, else the current year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today().year


def _chunks(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def _harden(response, *, content_type: str, attachment: bool, filename: str):
    response["X-Content-Type-Options"] = "nosniff"
    # Never active content: even a file that slipped through the upload check cannot run script here.
    response["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; sandbox"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def ranged_file_response(request, fieldfile, *, content_type: str, attachment: bool = False):
    """The stored file with HTTP Range support (RFC 9110 §14: one byte range → 206 Partial Content with
    Content-Range; an unsatisfiable range → 416). In production set QIANGJI_EDUCATION_ACCEL_PREFIX
    (e.g. "/protected-media/") and the front web server serves the bytes (nginx X-Accel-Redirect to an
    `internal` location aliased to MEDIA_ROOT; it answers Range itself) after this view checked scope."""
    filename = os.path.basename(fieldfile.name)
    accel = getattr(settings, "QIANGJI_EDUCATION_ACCEL_PREFIX", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + fieldfile.name
        return _harden(response, content_type=content_type, attachment=attachment, filename=filename)
    size = fieldfile.size
    match = RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # a suffix range: the last N bytes
            start = max(0, size - int(last))
            end = size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _harden(response, content_type=content_type, attachment=attachment, filename=filename)
        length = end - start + 1
        response = StreamingHttpResponse(
            _chunks(fieldfile.open("rb"), start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
        return _harden(response, content_type=content_type, attachment=attachment, filename=filename)
    response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Length"] = str(size)
    return _harden(response, content_type=content_type, attachment=attachment, filename=filename)

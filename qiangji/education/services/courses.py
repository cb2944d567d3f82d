"""Online courses and their chapters. An upload is checked by its content (never by its name or the
browser's claimed type) and by size before anything is stored."""

import io
import wave

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from qiangji.core import audit
from qiangji.core.choices import Action
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.education.choices import ChapterKind, Provider
from qiangji.education.models import Chapter, Course
from qiangji.education.services.base import half_hours_of
from qiangji.orgs.models import Organisation

EXTENSIONS = {
    "video/webm": "webm",
    "video/mp4": "mp4",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "application/pdf": "pdf",
}
KIND_OF = {
    "video/webm": ChapterKind.VIDEO,
    "video/mp4": ChapterKind.VIDEO,
    "audio/wav": ChapterKind.AUDIO,
    "audio/mpeg": ChapterKind.AUDIO,
    "audio/ogg": ChapterKind.AUDIO,
    "application/pdf": ChapterKind.PDF,
}


def sniff(head: bytes) -> str:
    """The media type a file's first bytes prove, or "" (a script, HTML, SVG or anything else)."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return ""


def max_upload_bytes() -> int:
    return int(getattr(settings, "QIANGJI_EDUCATION_UPLOAD_MAX_MB", 1024)) * 1024 * 1024


def _wav_seconds(upload) -> int | None:
    upload.seek(0)
    try:
        with wave.open(io.BytesIO(upload.read(64 * 1024 * 1024)), "rb") as handle:
            seconds = handle.getnframes() / float(handle.getframerate())
    except (wave.Error, EOFError, ZeroDivisionError):
        return None
    finally:
        upload.seek(0)
    return max(1, round(seconds))


@transaction.atomic
def create_course(
    *, actor, organisation, title: str, description: str = "", provider: str = Provider.OWN, max_speed_pct=150
) -> Course:
    org = get_in_scope_or_404(Organisation, actor, getattr(organisation, "pk", organisation), Action.CHANGE)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写课程名称"
    if provider not in Provider.values:
        errors["provider"] = "请选择组织方"
    try:
        speed = int(max_speed_pct)
    except (TypeError, ValueError):
        speed = 0
    if not 100 <= speed <= 200:
        errors["max_speed_pct"] = "允许的最高倍速须在100%至200%之间"
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        organisation=org,
        org_path=org.path,
        region_code=org.region_code,
        title=title.strip()[:200],
        description=(description or "").strip(),
        provider=provider,
        max_speed_pct=speed,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="education.course.created",
        target=course,
        org=org,
        after=audit.snapshot(course, ["title", "provider", "max_speed_pct"]),
    )
    return course


@transaction.atomic
def add_chapter(
    *, actor, course, title: str, hours, upload=None, body: str = "", duration_seconds=None, checks: int = 1
) -> Chapter:
    """A chapter from an uploaded file (video/audio/PDF, type proved by its content) or from text.
    Timed media need a duration: WAV files give their own; for other media it is entered. PDF and text
    chapters carry a required reading time (`duration_seconds`) counted on the page while it is visible."""
    course = get_in_scope_or_404(Course, actor, getattr(course, "pk", course), Action.CHANGE, lock=True)
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "请填写章节名称"
    try:
        half_hours = half_hours_of(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        half_hours = 0
    content_type, kind = "", ChapterKind.TEXT
    if upload is not None:
        if upload.size > max_upload_bytes():
            errors["file"] = f"文件超过大小上限（{max_upload_bytes() // 1024 // 1024}MB）"
        else:
            head = upload.read(16)
            upload.seek(0)
            content_type = sniff(head)
            if not content_type:
                errors["file"] = "文件内容不是所支持的视频（WebM/MP4）、音频（WAV/MP3/OGG）或PDF，已拒收"
            else:
                kind = KIND_OF[content_type]
    elif not (body or "").strip():
        errors["file"] = "请上传文件或填写图文正文"
    seconds = None
    if content_type == "audio/wav" and "file" not in errors:
        seconds = _wav_seconds(upload)
        if seconds is None:
            errors["file"] = "WAV文件已损坏，无法读取时长"
    if seconds is None and "file" not in errors:
        try:
            seconds = int(duration_seconds or 0)
        except (TypeError, ValueError):
            seconds = 0
        if not 1 <= seconds <= 24 * 3600:
            errors["duration_seconds"] = "请填写时长（秒，1至86400）"
    try:
        checks = int(checks)
    except (TypeError, ValueError):
        checks = -1
    if not 0 <= checks <= 5:
        errors["checks"] = "随机检查次数须在0至5之间"
    if errors:
        raise ValidationError(errors)
    chapter = Chapter(
        course=course,
        org_path=course.org_path,
        region_code=course.region_code,
        position=course.chapters.count() + 1,
        title=title.strip()[:200],
        kind=kind,
        content_type=content_type,
        size=upload.size if upload is not None else 0,
        body=(body or "").strip(),
        duration_seconds=seconds or 1,
        half_hours=half_hours,
        checks=checks,
    )
    if upload is not None:
        chapter.file.save(f"chapter-{course.pk}.{EXTENSIONS[content_type]}", upload, save=False)
    chapter.save()
    audit.record(
        actor=actor,
        action="education.chapter.added",
        target=chapter,
        org_path=course.org_path,
        after=audit.snapshot(
            chapter, ["title", "kind", "content_type", "size", "duration_seconds", "half_hours"]
        ),
    )
    return chapter


@transaction.atomic
def publish_course(*, actor, course) -> Course:
    course = get_in_scope_or_404(Course, actor, getattr(course, "pk", course), Action.CHANGE, lock=True)
    if not course.chapters.exists():
        raise ValidationError({"published": "课程还没有章节，不能发布"})
    if course.published:
        raise ValidationError({"published": "课程已发布"})
    course.published = True
    course.save(update_fields=["published", "updated_at"])
    audit.record(actor=actor, action="education.course.published", target=course, org_path=course.org_path)
    return course

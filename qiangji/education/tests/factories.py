"""Test helpers: a WAV chapter generated with Python's `wave` module, courses made through the services."""

import io
import wave

from django.core.files.uploadedfile import SimpleUploadedFile


def wav_bytes(seconds: float = 6.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(1)
        handle.setframerate(rate)
        frames = bytes((128 + (40 if (i // 20) % 2 else -40)) for i in range(int(seconds * rate)))
        handle.writeframes(frames)
    return buffer.getvalue()


def wav_upload(seconds: float = 6.0, name: str = "lesson.wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, wav_bytes(seconds), content_type="audio/wav")


def published_chapter(
    world, *, seconds: float = 60.0, checks: int = 0, speed: int = 150, hours="1", org=None
):
    from qiangji.education import services

    actor = world.users["xian"]
    course = services.create_course(
        actor=actor, organisation=org or world.county, title="学习二十大精神", max_speed_pct=speed
    )
    chapter = services.add_chapter(
        actor=actor, course=course, title="第一讲", hours=hours, upload=wav_upload(seconds), checks=checks
    )
    services.publish_course(actor=actor, course=course)
    return chapter

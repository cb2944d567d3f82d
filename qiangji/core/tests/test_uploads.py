"""core.uploads.check_image: the content decides, not the name; size and format limits name the field."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qiangji.core.uploads import check_image


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, fmt)
    return buffer.getvalue()


def test_a_png_passes_and_is_rewound():
    upload = SimpleUploadedFile("a.png", image_bytes("PNG"))
    assert check_image(upload, field="photo", max_bytes=1024 * 1024).tell() == 0


def test_a_script_named_jpg_is_refused_on_the_field():
    upload = SimpleUploadedFile("a.jpg", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as error:
        check_image(upload, field="photos", max_bytes=1024 * 1024, label="第2张照片")
    assert error.value.message_dict["photos"] == ["第2张照片不是有效的图片（支持 JPG、PNG、WebP）"]


def test_size_limit_at_and_over():
    data = image_bytes("PNG")
    check_image(SimpleUploadedFile("a.png", data), field="photo", max_bytes=len(data))
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile("a.png", data), field="photo", max_bytes=len(data) - 1)
    assert "请压缩后再传" in error.value.message_dict["photo"][0]


def test_a_real_image_in_another_format_is_refused():
    upload = SimpleUploadedFile("a.gif", image_bytes("GIF"))
    with pytest.raises(ValidationError) as error:
        check_image(upload, field="photo", max_bytes=1024 * 1024)
    assert error.value.message_dict["photo"] == ["照片格式为GIF，只支持 JPG、PNG、WebP"]

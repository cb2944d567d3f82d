"""Validation of personal identifiers, shared by forms, the API and the roster import."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from qiangji.core.dates import today as local_today

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: datetime.date
    sex: str  # GB/T 2261.1: "1" male, "2" female


def gb11643_check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_citizen_id(value: str, *, today: datetime.date | None = None) -> CitizenId:
    """Validate an 18-digit citizen ID number (GB 11643-1999) and read its birth date and sex."""
    number = (value or "").strip().upper().replace(" ", "")
    if not _ID_RE.match(number):
        raise ValidationError("公民身份证号应为18位，前17位为数字，末位为数字或X", code="id_format")
    if gb11643_check_char(number[:17]) != number[17]:
        raise ValidationError("公民身份证号校验位不正确（GB 11643），请核对", code="id_checksum")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("公民身份证号中的出生日期不存在", code="id_birth_date")
    today = today or local_today()
    if birth > today or birth.year < 1900:
        raise ValidationError("公民身份证号中的出生日期不合理", code="id_birth_date")
    sex = "1" if int(number[16]) % 2 == 1 else "2"
    return CitizenId(number=number, birth_date=birth, sex=sex)


def check_citizen_id_agrees(cid: CitizenId, *, birth_date=None, sex=None) -> dict[str, str]:
    """Field errors where the record disagrees with what the ID number encodes."""
    errors = {}
    if birth_date and birth_date != cid.birth_date:
        errors["birth_date"] = (
            f"出生日期 {birth_date:%Y-%m-%d} 与公民身份证号中的 {cid.birth_date:%Y-%m-%d} 不一致"
        )
    if sex and sex != cid.sex:
        errors["sex"] = "性别与公民身份证号第17位不一致（奇数为男，偶数为女）"
    return errors


def normalise_phone(value: str) -> str:
    phone = re.sub(r"[\s()（）]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        return ""
    if not (_MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone)):
        raise ValidationError("联系电话格式不正确：应为11位手机号或带区号的固定电话", code="phone")
    return phone


def validate_not_future(value: datetime.date, label: str, *, today: datetime.date | None = None) -> None:
    if value and value > (today or local_today()):
        raise ValidationError(f"{label}不能晚于今天", code="future_date")


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def validate_credit_code(value: str) -> str:
    """Unified social credit code (GB 32100-2015) with its check character."""
    code = (value or "").strip().upper()
    if not code:
        return ""
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        raise ValidationError("统一社会信用代码应为18位数字或大写字母", code="uscc_format")
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_ALPHABET[(31 - total % 31) % 31] != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确", code="uscc_checksum")
    return code

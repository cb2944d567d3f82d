"""One member's values checked once, for the form, the API and the roster import alike.

No database access here: the import calls `validate_member_fields` for every row of a file that
may hold a million members, and uniqueness (duplicate ID numbers) is the service's job.
Rules: docs/rules.md §7 (the 16 national items), §1 step 1 (age ≥ 18, 《中国共产党发展党员工作细则》第五条), §5 (lost
contact, mobile members).
"""

import datetime

from django.core.exceptions import ValidationError

from qiangji.core import crypto
from qiangji.core.dates import add_years
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import check_citizen_id_agrees, normalise_phone, parse_citizen_id
from qiangji.members.choices import (
    ETHNICITIES,
    Category,
    Education,
    MembershipStatus,
    MemberStatus,
    PoliticalStatus,
    Post,
    Sex,
)

LABELS = {
    "name": "姓名",
    "sex": "性别",
    "ethnicity": "民族",
    "id_number": "公民身份证号",
    "birth_date": "出生日期",
    "education": "学历",
    "category": "人员类别",
    "organisation": "所在党支部",
    "joined_on": "加入党组织日期",
    "confirmed_on": "转为正式党员日期",
    "post": "工作岗位",
    "phone": "联系电话",
    "address": "家庭住址",
    "membership_status": "党籍状态",
    "lost_contact": "是否失去联系",
    "lost_contact_since": "失去联系日期",
    "is_mobile": "是否流动党员",
    "mobile_destination": "外出流向",
    "status": "党员状态",
    "status_since": "状态起始日期",
    "position": "职务",
    "employer": "工作单位",
    "family_contact_name": "家庭联系人",
    "family_contact_relation": "与本人关系",
    "family_contact_phone": "家庭联系人电话",
    "national_id": "全国系统党员标识",
}

CHOICES = {
    "sex": {code for code, _ in Sex.choices},
    "ethnicity": {code for code, _ in ETHNICITIES},
    "education": {code for code, _ in Education.choices},
    "post": {code for code, _ in Post.choices},
    "category": {code for code, _ in Category.choices},
    "status": {code for code, _ in MemberStatus.choices},
    "membership_status": {code for code, _ in MembershipStatus.choices},
}
MAX_LENGTHS = {
    "name": 50,
    "position": 100,
    "employer": 200,
    "address": 255,
    "mobile_destination": 200,
    "family_contact_name": 50,
    "family_contact_relation": 20,
    "national_id": 64,
}
TEXT_FIELDS = tuple(MAX_LENGTHS)
DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on", "lost_contact_since", "status_since")
BOOL_FIELDS = ("is_mobile", "lost_contact")
OPTIONAL_CODES = ("ethnicity", "education", "post", "membership_status")
PARTY_FOUNDED = datetime.date(1921, 7, 1)
MINIMUM_AGE = 18  # 《中国共产党发展党员工作细则》第五条 (step 1; unchanged in fzdy-2026)

# The 16 national items (docs/rules.md §7) as (key, label); `completeness` counts the filled ones.
NATIONAL_ITEMS = (
    ("name", "姓名"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("id_number", "公民身份证号"),
    ("birth_date", "出生日期"),
    ("education", "学历"),
    ("category", "人员类别"),
    ("organisation", "所在党支部"),
    ("joined_on", "加入党组织日期"),
    ("confirmed_on", "转为正式党员日期"),
    ("post", "工作岗位"),
    ("phone", "联系电话"),
    ("address", "家庭住址"),
    ("membership_status", "党籍状态"),
    ("lost_contact", "失去联系情况"),
    ("is_mobile", "流动党员情况"),
)


def labelled(field: str, message: str) -> str:
    """ "标签：说明" — every message names its field, even when the core validator already does."""
    label = LABELS.get(field, field)
    text = message[len(label) :].lstrip(" ：:") if message.startswith(label) else message
    return f"{label}：{text}"


def validate_member_fields(values: dict, *, today: datetime.date) -> tuple[dict, dict[str, str]]:
    """Check one member's values; return (cleaned, errors) with errors keyed by field name."""
    cleaned = _strip(values)
    errors: dict[str, str] = {}
    _check_types(cleaned, errors)
    _check_required(cleaned, errors)
    _check_choices(cleaned, errors)
    _check_id_number(cleaned, errors, today)
    _check_phones(cleaned, errors)
    _derive_status(cleaned, errors)
    _check_dates(cleaned, errors, today)
    _check_category_dates(cleaned, errors)
    _check_status_flags(cleaned, errors)
    cleaned.pop("_lost_contact_given")
    return cleaned, errors


def _strip(values: dict) -> dict:
    cleaned = {}
    for key, value in values.items():
        cleaned[key] = value.strip() if isinstance(value, str) else value
    for key in OPTIONAL_CODES + TEXT_FIELDS:
        if cleaned.get(key) is None and key in cleaned:
            cleaned[key] = ""
    cleaned["_lost_contact_given"] = values.get("lost_contact") is not None
    for key in BOOL_FIELDS:
        cleaned[key] = bool(cleaned.get(key))
    return cleaned


def _check_types(cleaned: dict, errors: dict) -> None:
    for key in DATE_FIELDS:
        value = cleaned.get(key)
        if value in ("", None):
            cleaned[key] = None
        elif isinstance(value, datetime.datetime):
            cleaned[key] = value.date()
        elif not isinstance(value, datetime.date):
            errors[key] = labelled(key, "日期格式不正确，请使用 2024-05-01 的格式")
    for key, limit in MAX_LENGTHS.items():
        value = cleaned.get(key) or ""
        if not isinstance(value, str):
            cleaned[key] = value = str(value)
        if len(value) > limit:
            errors[key] = labelled(key, f"不能超过{limit}个字（现为{len(value)}个）")


def _check_required(cleaned: dict, errors: dict) -> None:
    for key in ("name", "id_number", "category"):
        if not cleaned.get(key) and key not in errors:
            errors[key] = labelled(key, "必填")


def _check_choices(cleaned: dict, errors: dict) -> None:
    for key, allowed in CHOICES.items():
        value = cleaned.get(key)
        if value in ("", None):
            continue
        if str(value) not in allowed:
            errors[key] = labelled(key, f"代码“{value}”不在代码表中")
        else:
            cleaned[key] = str(value)


def _check_id_number(cleaned: dict, errors: dict, today: datetime.date) -> None:
    if not cleaned.get("id_number"):
        return
    try:
        cid = parse_citizen_id(str(cleaned["id_number"]), today=today)
    except ValidationError as exc:
        errors["id_number"] = labelled("id_number", exc.messages[0])
        return
    cleaned["id_number"] = cid.number
    agree_errors = check_citizen_id_agrees(
        cid,
        birth_date=cleaned.get("birth_date") if "birth_date" not in errors else None,
        sex=cleaned.get("sex") if "sex" not in errors else None,
    )
    for key, message in agree_errors.items():
        errors[key] = labelled(key, message)
    if not cleaned.get("birth_date") and "birth_date" not in errors:
        cleaned["birth_date"] = cid.birth_date
    if not cleaned.get("sex") and "sex" not in errors:
        cleaned["sex"] = cid.sex


def _check_phones(cleaned: dict, errors: dict) -> None:
    for key in ("phone", "family_contact_phone"):
        if key not in cleaned:
            continue
        try:
            cleaned[key] = normalise_phone(str(cleaned.get(key) or ""))
        except ValidationError as exc:
            errors[key] = labelled(key, exc.messages[0].removeprefix("联系电话"))


def _derive_status(cleaned: dict, errors: dict) -> None:
    """Status may be left out (the national form has no such column): derive it from the flags."""
    if cleaned.get("status") or "status" in errors:
        return
    if cleaned.get("lost_contact") or (
        cleaned.get("lost_contact_since") and not cleaned.get("_lost_contact_given")
    ):
        cleaned["status"] = MemberStatus.LOST_CONTACT.value
    elif cleaned.get("membership_status") == MembershipStatus.SUSPENDED:
        cleaned["status"] = MemberStatus.SUSPENDED.value
    elif cleaned.get("category") and "category" not in errors:
        cleaned["status"] = cleaned["category"]
    else:
        errors.setdefault("status", labelled("status", "必填"))


def _check_dates(cleaned: dict, errors: dict, today: datetime.date) -> None:
    for key in DATE_FIELDS:
        value = cleaned.get(key)
        if value and key not in errors and value > today:
            errors[key] = labelled(key, f"{value:%Y-%m-%d} 不能晚于今天（{today:%Y-%m-%d}）")
    joined, birth = cleaned.get("joined_on"), cleaned.get("birth_date")
    if joined and "joined_on" not in errors:
        if joined < PARTY_FOUNDED:
            errors["joined_on"] = labelled("joined_on", "不能早于1921年7月1日")
        elif birth and "birth_date" not in errors and joined < add_years(birth, MINIMUM_AGE):
            errors["joined_on"] = labelled(
                "joined_on",
                f"{joined:%Y-%m-%d} 时未满18周岁（{add_years(birth, MINIMUM_AGE):%Y-%m-%d} 年满18周岁），"
                "不符合入党年龄要求（《中国共产党发展党员工作细则》第五条）",
            )
    confirmed = cleaned.get("confirmed_on")
    if (
        confirmed
        and joined
        and "confirmed_on" not in errors
        and "joined_on" not in errors
        and confirmed <= joined
    ):
        errors["confirmed_on"] = labelled(
            "confirmed_on", f"{confirmed:%Y-%m-%d} 应晚于加入党组织日期 {joined:%Y-%m-%d}"
        )
    lost = cleaned.get("lost_contact_since")
    if lost and joined and "lost_contact_since" not in errors and lost < joined:
        errors["lost_contact_since"] = labelled("lost_contact_since", "不能早于加入党组织日期")


def _check_category_dates(cleaned: dict, errors: dict) -> None:
    category = cleaned.get("category")
    if category == Category.FULL and not cleaned.get("confirmed_on") and "confirmed_on" not in errors:
        errors["confirmed_on"] = labelled("confirmed_on", "人员类别为正式党员时必填")
    if category == Category.PROBATIONARY and cleaned.get("confirmed_on"):
        errors["confirmed_on"] = labelled("confirmed_on", "预备党员不应填写转为正式党员日期")
    status = cleaned.get("status")
    if (
        category
        and "category" not in errors
        and status in (MemberStatus.FULL, MemberStatus.PROBATIONARY)
        and status != category
    ):
        errors["status"] = labelled("status", "党员状态与人员类别不一致")


def _check_status_flags(cleaned: dict, errors: dict) -> None:
    status = cleaned.get("status")
    if (
        cleaned.get("lost_contact")
        and status
        and status != MemberStatus.LOST_CONTACT
        and "status" not in errors
    ):
        errors["status"] = labelled("status", "已标记失去联系的党员，党员状态应为“失去联系”")
    if status == MemberStatus.LOST_CONTACT:
        cleaned["lost_contact"] = True
        if not cleaned.get("lost_contact_since") and "lost_contact_since" not in errors:
            errors["lost_contact_since"] = labelled(
                "lost_contact_since", "失去联系的党员必须填写失去联系的年月（docs/rules.md §5）"
            )
    elif (
        cleaned.get("lost_contact_since")
        and not cleaned.get("lost_contact")
        and "lost_contact_since" not in errors
    ):
        errors["lost_contact_since"] = labelled("lost_contact_since", "未失去联系的党员不应填写失去联系日期")
    if (
        cleaned.get("membership_status") == MembershipStatus.SUSPENDED
        and status in (MemberStatus.FULL, MemberStatus.PROBATIONARY)
        and "status" not in errors
    ):
        errors["membership_status"] = labelled(
            "membership_status", "停止党籍的党员，党员状态应为“停止党籍”或“失去联系”"
        )
    if (
        cleaned.get("is_mobile")
        and not cleaned.get("mobile_destination")
        and "mobile_destination" not in errors
    ):
        errors["mobile_destination"] = labelled(
            "mobile_destination", "流动党员必须填写外出流向（省、市、县）"
        )


def status_since_for(cleaned: dict):
    status = cleaned.get("status")
    if cleaned.get("status_since"):
        return cleaned["status_since"]
    if status == MemberStatus.LOST_CONTACT:
        return cleaned.get("lost_contact_since")
    if status == MemberStatus.FULL:
        return cleaned.get("confirmed_on")
    if status == MemberStatus.PROBATIONARY:
        return cleaned.get("joined_on")
    return None


def member_columns(cleaned: dict) -> dict:
    """The stored columns for a cleaned member (organisation, org_path and region_code excluded)."""
    plain = {
        key: cleaned.get(key)
        for key in (
            "name",
            "sex",
            "birth_date",
            "category",
            "joined_on",
            "confirmed_on",
            "status",
            "lost_contact_since",
            "is_mobile",
        )
    }
    for key in TEXT_FIELDS + OPTIONAL_CODES:
        plain[key] = cleaned.get(key) or ""
    id_number, phone = cleaned.get("id_number") or "", cleaned.get("phone") or ""
    full, initials = name_pinyin(cleaned.get("name") or "")
    status = cleaned.get("status")
    suspended = (
        status == MemberStatus.SUSPENDED or cleaned.get("membership_status") == MembershipStatus.SUSPENDED
    )
    plain.update(
        id_number_encrypted=crypto.encrypt(id_number),
        id_number_hash=crypto.blind_index(id_number),
        id_suffix=id_number[-4:],
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone),
        phone_suffix=_digits(phone)[-4:],
        family_contact_phone_encrypted=crypto.encrypt(cleaned.get("family_contact_phone") or ""),
        name_pinyin=full[:120],
        name_initials=initials[:30],
        political_status=PoliticalStatus.MEMBER
        if cleaned.get("category") == Category.FULL
        else PoliticalStatus.PROBATIONARY,
        membership_status=MembershipStatus.SUSPENDED if suspended else MembershipStatus.NORMAL,
        status_since=status_since_for(cleaned),
        completeness=completeness(cleaned),
    )
    if not plain["is_mobile"]:
        plain["mobile_destination"] = ""
    return plain


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def missing_items(values: dict) -> list[str]:
    """Keys of the national items not filled in `values` (cleaned values or a member's columns)."""

    def has(*keys):
        return any(values.get(key) for key in keys)

    missing = []
    checks = {
        "name": has("name"),
        "sex": has("sex"),
        "ethnicity": has("ethnicity"),
        "id_number": has("id_number", "id_number_hash"),
        "birth_date": has("birth_date"),
        "education": has("education"),
        "category": has("category"),
        "organisation": True,
        "joined_on": has("joined_on"),
        "confirmed_on": values.get("category") != Category.FULL or has("confirmed_on"),
        "post": has("post"),
        "phone": has("phone", "phone_hash"),
        "address": has("address"),
        "membership_status": True,
        "lost_contact": not (values.get("lost_contact") or values.get("status") == MemberStatus.LOST_CONTACT)
        or has("lost_contact_since"),
        "is_mobile": not values.get("is_mobile") or has("mobile_destination"),
    }
    for key, _label in NATIONAL_ITEMS:
        if not checks[key]:
            missing.append(key)
    return missing


def completeness(values: dict) -> int:
    """Share (0–100) of the 16 national items filled in."""
    filled = len(NATIONAL_ITEMS) - len(missing_items(values))
    return round(filled * 100 / len(NATIONAL_ITEMS))

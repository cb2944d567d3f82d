"""The shared member validation (form, API and import use it): each rule at its boundary."""

import datetime

import pytest

from qiangji.core.dates import add_months, add_years
from qiangji.members.tests.factories import TODAY, member_values
from qiangji.members.validation import (
    NATIONAL_ITEMS,
    completeness,
    member_columns,
    missing_items,
    validate_member_fields,
)
from qiangji.testing import make_id_number


def check(**overrides):
    return validate_member_fields(member_values(**overrides), today=TODAY)


def test_valid_values_pass_and_id_supplies_birth_date_and_sex():
    values = member_values()
    del values["birth_date"], values["sex"]
    cleaned, errors = validate_member_fields(values, today=TODAY)
    assert errors == {}
    assert cleaned["birth_date"] == datetime.date(1990, 5, 1)
    assert cleaned["sex"] == "1"
    assert cleaned["status"] == "full"  # derived from the category


def test_bad_checksum_is_refused_naming_the_field():
    good = make_id_number(datetime.date(1990, 5, 1))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    _, errors = check(id_number=bad)
    assert errors["id_number"] == "公民身份证号：校验位不正确（GB 11643），请核对"


@pytest.mark.parametrize("value", ["12345", "11010519900501123Y", "110105199013011230"])
def test_malformed_id_numbers_are_refused(value):
    _, errors = check(id_number=value)
    assert errors["id_number"].startswith("公民身份证号：")


def test_birth_date_disagreeing_with_id_is_refused():
    _, errors = check(birth_date=datetime.date(1990, 5, 2))
    assert errors["birth_date"].startswith("出生日期：")
    assert "1990-05-01" in errors["birth_date"]


def test_sex_disagreeing_with_id_is_refused():
    _, errors = check(id_number=make_id_number(datetime.date(1990, 5, 1), "2"))
    assert errors["sex"].startswith("性别：")


@pytest.mark.parametrize("field", ["joined_on", "confirmed_on", "birth_date", "lost_contact_since"])
def test_future_dates_are_refused_today_is_accepted(field):
    overrides = {"status": "lost_contact", "lost_contact_since": datetime.date(2020, 1, 1)}
    if field == "birth_date":
        # The ID number itself may not encode a future birth date either.
        _, errors = check(birth_date=TODAY + datetime.timedelta(days=1), **overrides)
        assert errors["birth_date"].startswith("出生日期：")
        return
    _, errors = check(**overrides | {field: TODAY + datetime.timedelta(days=1)})
    assert errors[field].startswith(f"{dict(NATIONAL_ITEMS).get(field, '失去联系日期')}：")
    assert "不能晚于今天" in errors[field]
    _, errors = check(**overrides | {field: TODAY})
    assert field not in errors


def test_joined_before_18th_birthday_is_refused_on_the_birthday_accepted():
    birth = datetime.date(1990, 5, 1)
    _, errors = check(joined_on=datetime.date(2008, 4, 30), confirmed_on=datetime.date(2009, 5, 1))
    assert (
        "未满18周岁" in errors["joined_on"] and "《中国共产党发展党员工作细则》第五条" in errors["joined_on"]
    )
    _, errors = check(joined_on=add_years(birth, 18), confirmed_on=datetime.date(2009, 5, 1))
    assert errors == {}


def test_leap_day_birth_turns_18_on_28_february():
    # The kernel's rule (民法典第二百零二条: no corresponding day → the month's last day); the members
    # copy used to give 1 March.
    assert add_years(datetime.date(2004, 2, 29), 18) == datetime.date(2022, 2, 28)


def test_confirmation_must_follow_joining():
    _, errors = check(confirmed_on=datetime.date(2015, 7, 1))
    assert errors["confirmed_on"].startswith("转为正式党员日期：")


def test_category_rules_for_confirmation_date():
    _, errors = check(confirmed_on=None)
    assert "正式党员时必填" in errors["confirmed_on"]
    _, errors = check(category="probationary")
    assert "预备党员不应填写" in errors["confirmed_on"]
    _, errors = check(category="probationary", confirmed_on=None)
    assert errors == {}


def test_status_must_agree_with_category():
    _, errors = check(status="probationary")
    assert errors["status"].startswith("党员状态：")


def test_lost_contact_needs_its_date_and_mobile_needs_a_destination():
    _, errors = check(lost_contact=True, is_mobile=True)
    assert errors["lost_contact_since"].startswith("失去联系日期：")
    assert errors["mobile_destination"].startswith("外出流向：")
    cleaned, errors = check(lost_contact=True, lost_contact_since=datetime.date(2024, 5, 1))
    assert errors == {} and cleaned["status"] == "lost_contact"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ethnicity", "77"),
        ("education", "99"),
        ("post", "1234"),
        ("sex", "3"),
        ("category", "x"),
        ("status", "alive"),
    ],
)
def test_unknown_codes_are_refused(field, value):
    _, errors = check(**{field: value})
    assert "不在代码表中" in errors[field]


def test_required_fields_and_phone_format():
    _, errors = validate_member_fields({"phone": "12345"}, today=TODAY)
    assert errors["name"] == "姓名：必填"
    assert errors["id_number"] == "公民身份证号：必填"
    assert errors["category"] == "人员类别：必填"
    assert errors["phone"].startswith("联系电话：")


def test_too_long_text_is_refused():
    _, errors = check(name="张" * 51)
    assert errors["name"].startswith("姓名：不能超过50个字")


def test_member_columns_encrypt_and_derive():
    cleaned, _ = check(name="单雄信")
    columns = member_columns(cleaned)
    assert cleaned["id_number"] not in str(columns)
    assert "13912345678" not in str(columns)
    assert columns["id_suffix"] == cleaned["id_number"][-4:]
    assert columns["phone_suffix"] == "5678"
    assert (columns["name_pinyin"], columns["name_initials"]) == ("shanxiongxin", "sxx")
    assert columns["political_status"] == "01"
    assert columns["membership_status"] == "normal"
    assert columns["status_since"] == datetime.date(2016, 7, 1)
    assert columns["completeness"] == 100
    assert "organisation" not in columns and "org_path" not in columns


def test_completeness_counts_missing_national_items():
    cleaned, _ = check(education="", post="", address="", phone="")
    assert set(missing_items(cleaned)) == {"education", "post", "address", "phone"}
    assert completeness(cleaned) == round(12 * 100 / 16)


def test_add_months_is_calendar_months_clamped_to_month_end():
    assert add_months(datetime.date(2025, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 1, 15), 6) == datetime.date(2025, 7, 15)


def test_lost_contact_date_alone_means_lost_contact_unless_the_flag_says_no():
    cleaned, errors = check(lost_contact_since=datetime.date(2024, 5, 1))
    assert errors == {} and cleaned["status"] == "lost_contact" and cleaned["lost_contact"] is True
    _, errors = check(lost_contact_since=datetime.date(2024, 5, 1), lost_contact=False)
    assert errors["lost_contact_since"].startswith("失去联系日期：")

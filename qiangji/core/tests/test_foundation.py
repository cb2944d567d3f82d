import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from qiangji.core import audit, crypto
from qiangji.core.dates import parse_cn_date
from qiangji.core.models import AuditEntry
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import check_citizen_id_agrees, parse_citizen_id, validate_credit_code
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.testing import make_id_number


class TestCitizenId:
    def test_valid_number_gives_birth_date_and_sex(self):
        cid = parse_citizen_id("11010519491231002X")
        assert cid.birth_date == datetime.date(1949, 12, 31)
        assert cid.sex == "2"

    def test_bad_checksum_is_refused_in_chinese(self):
        with pytest.raises(ValidationError) as err:
            parse_citizen_id("110105194912310021")
        assert "校验位" in err.value.messages[0]

    @pytest.mark.parametrize("value", ["", "123", "11010519491231002Y", "110105194913310020"])
    def test_malformed_numbers_are_refused(self, value):
        with pytest.raises(ValidationError):
            parse_citizen_id(value)

    def test_birth_date_and_sex_must_agree(self):
        cid = parse_citizen_id(make_id_number(datetime.date(1990, 1, 2), "1"))
        errors = check_citizen_id_agrees(cid, birth_date=datetime.date(1990, 1, 3), sex="2")
        assert set(errors) == {"birth_date", "sex"}
        assert check_citizen_id_agrees(cid, birth_date=datetime.date(1990, 1, 2), sex="1") == {}


def test_credit_code_checksum():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")


def test_encryption_round_trip_and_blind_index():
    token = crypto.encrypt("13800138000")
    assert "13800138000" not in token
    assert crypto.decrypt(token) == "13800138000"
    assert crypto.encrypt("13800138000") != token  # random nonce
    assert crypto.blind_index("11010519491231002x") == crypto.blind_index("11010519491231002X")
    assert crypto.mask_phone("13800138000") == "138****8000"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("单雄信", "shanxiongxin", "sxx"),
        ("曾国藩", "zengguofan", "zgf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区志刚", "ouzhigang", "ozg"),
        ("覃海", "qinhai", "qh"),
        ("欧阳修", "ouyangxiu", "oyx"),
        ("万俟卨", "moqixie", "mqx"),
        ("张三", "zhangsan", "zs"),
    ],
)
def test_surname_readings(name, full, initials):
    assert name_pinyin(name) == (full, initials)


@pytest.mark.parametrize("text", ["2024-05-01", "2024/5/1", "2024年5月1日", "20240501", "2024.5.1"])
def test_chinese_date_forms(text):
    assert parse_cn_date(text) == datetime.date(2024, 5, 1)


@pytest.mark.parametrize("text", ["2024-02-30", "yesterday", "2024-13-01"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_cn_date(text)


@pytest.mark.django_db
class TestScope:
    def test_each_role_sees_its_subtree(self, world):
        def names(user):
            return set(Member.objects.visible_to(user).values_list("name", flat=True))

        everyone = {"李四", "王五", "赵六", "单雄信", "外县党员"}
        assert names(world.users["admin"]) == everyone
        assert names(world.users["sheng"]) == everyone
        assert names(world.users["xian"]) == everyone - {"外县党员"}
        assert names(world.users["zhibu"]) == everyone - {"外县党员"}
        assert names(world.users["dangyuan"]) == {"李四"}
        assert names(world.users["foreign"]) == {"外县党员"}
        assert names(world.users["nobody"]) == set()

    def test_member_sees_own_org_only(self, world):
        orgs = Organisation.objects.visible_to(world.users["dangyuan"])
        assert list(orgs) == [world.branch]
        assert not Member.objects.visible_to(world.users["dangyuan"], "change").exists()


@pytest.mark.django_db(transaction=True)
def test_audit_is_append_only(world):
    with transaction.atomic():
        entry = audit.record(
            actor=world.users["xian"], action="test.done", target=world.member, org=world.branch
        )
    assert entry.actor_name == "xian" and entry.org_path == world.branch.path
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database trigger, below the ORM
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk)._raw_delete(using="default")


@pytest.mark.django_db(transaction=True)
def test_audit_needs_a_transaction():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x")

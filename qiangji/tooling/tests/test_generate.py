"""`qiangji generate`: rows as the services would write them, a valid tree, determinism, refusals."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from qiangji.core import crypto
from qiangji.core.models import AuditEntry
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import parse_citizen_id
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.validation import completeness
from qiangji.orgs.models import Committee, CommitteeMember, Organisation
from qiangji.tooling.generate import GenerateError, generate, make_plan
from qiangji.tooling.generate.tree import encode_step

AS_OF = datetime.date(2026, 11, 1)


def small(seed=1, members=300, orgs=80, **extra):
    return generate(
        make_plan(scale="county", seed=seed, members=members, orgs=orgs, as_of=AS_OF, **extra),
        progress=lambda message: None,
    )


def wipe_apps(*labels):
    """Every row of these apps' models (their histories protect members and organisations); models that
    protect each other are retried until the apps are empty."""
    from django.apps import apps
    from django.db.models import ProtectedError

    models = [model for label in labels for model in reversed(list(apps.get_app_config(label).get_models()))]
    for _ in range(len(models)):
        blocked = False
        for model in models:
            try:
                model._base_manager.all().delete()
            except ProtectedError:
                blocked = True
        if not blocked:
            from qiangji.conftest import reseed_rule_tables

            reseed_rule_tables()  # their seeded rule tables (categories, templates …) as the migrations left them
            return
    raise AssertionError(f"could not empty {labels}")


def wipe():
    """Everything `generate` writes, history first (its rows protect members and organisations)."""
    from qiangji.dues.models import DuesAccount, DuesBase, Payment
    from qiangji.life.models import Attendance, BranchLifeYear, Meeting, MemberLife, MonthlyTheme
    from qiangji.mobility.models import MobileFlow, NumberSequence, Transfer
    from qiangji.recruitment.models import AdmissionFormRange, Case, DevelopmentPlan

    wipe_apps("assessment", "governance", "education", "service")
    for model in (
        Attendance,
        Meeting,
        BranchLifeYear,
        MemberLife,
        MonthlyTheme,
        Case,
        AdmissionFormRange,
        DevelopmentPlan,
        MobileFlow,
        Transfer,
        NumberSequence,
        Payment,
        DuesBase,
        DuesAccount,
    ):
        model._base_manager.all().delete()
    CommitteeMember.objects.all().delete()
    Committee.objects.all().delete()
    MemberStatusEvent.objects.all().delete()
    Member.objects.all().delete()
    Organisation.objects.all().delete()


def signature():
    orgs = list(Organisation.objects.order_by("path").values_list("path", "name", "kind", "numchild"))
    members = list(
        Member.objects.order_by("org_path", "id_number_hash").values_list(
            "org_path", "name", "sex", "birth_date", "id_number_hash", "phone_hash", "joined_on", "status"
        )
    )
    return orgs, members


@pytest.mark.parametrize("number", [1, 9, 10, 35, 36, 1295, 1296, 36**4 - 1])
def test_paths_are_the_ones_treebeard_computes(number):
    assert encode_step(number) == Organisation._get_path(None, 1, number)


@pytest.mark.django_db
def test_small_county_is_a_valid_tree_under_real_names():
    result = small()
    assert Organisation.find_problems() == ([], [], [], [], [])
    assert result.organisations == Organisation.objects.count() == 82  # province + city + 80
    county = Organisation.objects.get(division_code="371427")
    assert (county.name, county.depth) == ("中共夏津县委员会", 3)
    assert Organisation.objects.get(depth=1).name == "中共山东省委员会"
    assert county.get_children().filter(name__contains="银城街道党工委").exists()  # a real street office
    # treebeard still works on the bulk-written tree
    child = Organisation.objects.add_child(
        county, create_kwargs={"name": "新组织", "kind": "branch", "code": "X1"}
    )
    assert child.path.startswith(county.path) and child.depth == 4
    assert Organisation.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_members_are_what_the_member_service_would_write():
    small(members=300)
    assert Member.objects.count() == 300
    for member in Member.objects.select_related("organisation")[:300]:
        number = member.id_number
        cid = parse_citizen_id(number, today=AS_OF)
        assert number.startswith("371427") and cid.birth_date == member.birth_date and cid.sex == member.sex
        assert member.id_number_hash == crypto.blind_index(number) and member.id_suffix == number[-4:]
        assert (member.name_pinyin, member.name_initials) == name_pinyin(member.name)
        assert member.org_path == member.organisation.path and member.region_code == "371427"
        assert member.joined_on >= member.birth_date.replace(
            year=member.birth_date.year + 18
        ) - datetime.timedelta(1)
        if member.phone_encrypted:
            assert re.fullmatch(r"1[3-9]\d{9}", member.phone) and member.phone_hash == crypto.blind_index(
                member.phone
            )
        values = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields}
        assert member.completeness == completeness(values)
        assert member.status_events.order_by("effective_on").last().status == member.status


@pytest.mark.django_db
def test_one_audit_entry_for_the_whole_run():
    result = small(members=120)
    entries = AuditEntry.objects.filter(action="core.data.generated")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.after["members"] == 120 and entry.after["seed"] == 1 and entry.after["scale"] == "county"
    assert entry.org_path == Organisation.objects.get(pk=result.root_id).path
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    small(seed=7)
    first = signature()
    wipe()
    small(seed=7)
    assert signature() == first
    wipe()
    small(seed=8)
    assert signature()[1] != first[1]


@pytest.mark.django_db
def test_refuses_to_generate_the_same_county_twice():
    small(members=50, orgs=20)
    with pytest.raises(GenerateError, match="已经存在"):
        small(members=50, orgs=20)
    assert Member.objects.count() == 50


@pytest.mark.django_db
def test_bad_overrides_are_refused():
    with pytest.raises(GenerateError, match="--members"):
        make_plan(scale="county", seed=1, members=0)
    with pytest.raises(CommandError):
        call_command("generate", scale="county", orgs=-1, stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite refusal")
def test_province_scale_is_refused_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate", scale="province", stdout=io.StringIO())
    assert not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="province scale needs PostgreSQL COPY")
def test_province_scale_writes_with_copy_and_resets_sequences():
    out = io.StringIO()
    call_command("generate", scale="province", seed=3, counties=3, members=600, orgs=240, stdout=out)
    assert "[3/3]" in out.getvalue() and "完成" in out.getvalue()
    assert Organisation.find_problems() == ([], [], [], [], [])
    assert Member.objects.count() == 600
    assert Organisation.objects.filter(depth=2).count() == 1  # the three counties share one city
    assert Organisation.objects.filter(depth=3).count() == 3
    root = Organisation.objects.get(depth=1)
    assert root.numchild == 1
    created = Organisation.objects.add_child(
        root, create_kwargs={"name": "新市委", "kind": "committee", "code": "N"}
    )
    assert created.pk > Organisation.objects.exclude(pk=created.pk).order_by("-pk").first().pk


@pytest.mark.django_db
def test_command_prints_counts_and_time():
    out = io.StringIO()
    call_command("generate", scale="county", seed=2, members=40, orgs=30, stdout=out)
    assert re.search(r"完成：32 个组织、40 名党员.*用时 [\d.]+ 秒", out.getvalue())


@pytest.mark.django_db
def test_county_scale_is_realistic():
    """The full county (the demo): ~900 organisations, 20,000 members, real warnings.  Its load time is
    measured by `qiangji generate` itself (printed, docs/performance.md), not asserted here."""
    result = generate(make_plan(scale="county", seed=1, as_of=AS_OF), progress=lambda message: None)
    assert result.seconds > 0
    assert 800 <= result.organisations <= 1000 and result.members == 20_000
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds["branch"] > 600 and kinds["general_branch"] > 20 and kinds["mobile_branch"] >= 1
    for word in ("外卖骑手", "网约车司机", "货车司机", "快递小哥", "中学", "有限公司"):
        assert Organisation.objects.filter(name__contains=word).exists(), word
    statuses = Counter(Member.objects.values_list("status", flat=True))
    assert 0.02 < statuses["probationary"] / 20_000 < 0.04 and statuses["lost_contact"] > 0
    assert 0.25 < Member.objects.filter(sex="2").count() / 20_000 < 0.35
    assert Member.objects.filter(is_mobile=True).exists()
    assert Member.objects.exclude(ethnicity="01").exists()
    small_branches = [
        o for o in Organisation.objects.filter(kind="branch") if o.members.filter(status="full").count() < 3
    ]
    assert small_branches, "some branches must have fewer than 3 full members"
    today = timezone.localdate()
    assert Committee.objects.filter(term_ends_on__lt=AS_OF).exists()
    assert Committee.objects.filter(term_ends_on__gte=today).exists()
    assert CommitteeMember.objects.filter(post="secretary").count() == Committee.objects.count()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("西关村委会", ("西关村", False)),
        ("龙山社区居民委员会", ("龙山社区", True)),
        ("南门居委会", ("南门社区", True)),
        ("张堤社区村委会", ("张堤社区", False)),
        ("西桥口村民委员会", ("西桥口村", False)),
    ],
)
def test_village_names_from_the_address_list(raw, expected):
    from qiangji.tooling.generate.places import village_display

    assert village_display(raw) == expected


def test_enterprise_credit_codes_pass_the_gb32100_check():
    import random

    from qiangji.core.validators import validate_credit_code
    from qiangji.tooling.generate.orgs import credit_code

    rng = random.Random(5)
    for _ in range(200):
        code = credit_code(rng, "371427")
        assert validate_credit_code(code) == code and code[2:8] == "371427"

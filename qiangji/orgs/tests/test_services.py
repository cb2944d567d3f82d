import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from qiangji.core.choices import Role
from qiangji.core.dates import today
from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.orgs import services
from qiangji.orgs.models import Committee, CommitteeMember, Grant, Organisation
from qiangji.testing import add_member, add_org

pytestmark = pytest.mark.django_db


def last_audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


# --- create / update -------------------------------------------------------------------------------------------


def test_create_child_inherits_region_and_is_audited(world):
    org = services.create_organisation(
        actor=world.users["jiedao"],
        parent=world.community,
        name="幸福社区第三党支部",
        kind="branch",
        category="community",
    )
    assert org.get_parent().pk == world.community.pk
    assert org.path.startswith(world.community.path)
    assert org.region_code == "370124"
    assert org.code.startswith("Q")
    entry = last_audit("orgs.organisation.created")
    assert entry.target_id == str(org.pk) and entry.after["name"] == "幸福社区第三党支部"
    assert entry.actor == world.users["jiedao"]


def test_create_own_county_code_sets_region(world):
    org = services.create_organisation(
        actor=world.users["sheng"],
        parent=world.city,
        name="新区党工委",
        kind="working_committee",
        division_code="370199",
    )
    assert org.region_code == "370199"


@pytest.mark.parametrize("username", ["foreign", "zhibu", "dangyuan", "nobody"])
def test_create_outside_manage_scope_is_404(world, username):
    before = Organisation.objects.count()
    with pytest.raises(Http404):
        services.create_organisation(
            actor=world.users[username], parent=world.community, name="X", kind="branch"
        )
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.filter(action="orgs.organisation.created").exists()


def test_create_root_needs_superuser(world):
    with pytest.raises(Http404):
        services.create_organisation(actor=world.users["sheng"], parent=None, name="X省委", kind="committee")
    root = services.create_organisation(
        actor=world.users["admin"], parent=None, name="X省委", kind="committee"
    )
    assert root.depth == 1


def test_create_under_branch_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor=world.users["xian"], parent=world.branch, name="X", kind="branch")
    assert "党支部下不能设立下级党组织" in str(exc.value)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("division_code", "37012", "行政区划代码"),
        ("credit_code", "123", "统一社会信用代码"),
        ("contact_phone", "12345", "联系电话"),
        ("kind", "nonsense", "kind"),
        ("founded_on", datetime.date(2999, 1, 1), "成立日期不能晚于今天"),
    ],
)
def test_create_bad_input_names_field_and_saves_nothing(world, field, value, message):
    before = Organisation.objects.count()
    fields = {"name": "某党支部", "kind": "branch", field: value}
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(actor=world.users["xian"], parent=world.community, **fields)
    assert field in exc.value.message_dict
    assert message in str(exc.value) or field == "kind"
    assert Organisation.objects.count() == before


def test_create_duplicate_code_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(
            actor=world.users["xian"], parent=world.community, name="X", kind="branch", code=world.branch.code
        )
    assert "code" in exc.value.message_dict


def test_update_renames_and_audits_changed_fields_only(world):
    services.update_organisation(actor=world.users["zhibu"], org=world.branch, name="幸福社区第一支部（新）")
    world.branch.refresh_from_db()
    assert world.branch.name == "幸福社区第一支部（新）"
    entry = last_audit("orgs.organisation.updated")
    assert entry.before == {"name": "幸福社区第一党支部"}
    assert entry.after == {"name": "幸福社区第一支部（新）"}


def test_update_cannot_touch_tree_fields(world):
    with pytest.raises(ValidationError):
        services.update_organisation(actor=world.users["xian"], org=world.branch, path="0001")


def test_update_foreign_is_404_and_unchanged(world):
    with pytest.raises(Http404):
        services.update_organisation(actor=world.users["xian"], org=world.foreign_branch, name="改名")
    world.foreign_branch.refresh_from_db()
    assert world.foreign_branch.name == "另一县某村党支部"


def test_update_division_code_carries_region_down(world):
    services.update_organisation(actor=world.users["xian"], org=world.street, division_code="370124001")
    assert Organisation.objects.get(pk=world.branch.pk).region_code == "370124"
    services.update_organisation(actor=world.users["sheng"], org=world.county, division_code="370126")
    assert Organisation.objects.get(pk=world.branch.pk).region_code == "370126"
    assert Member.objects.get(pk=world.member.pk).region_code == "370126"


# --- move ------------------------------------------------------------------------------------------------------


def elect(world, org, actor="xian", on=datetime.date(2024, 3, 1)):
    return services.elect_committee(
        actor=world.users[actor], org=org, elected_on=on, seats=[{"name": "甲", "post": "secretary"}]
    )


def test_move_rewrites_every_live_org_path_in_one_go(world):
    community2 = add_org(world.street, "和平社区党委", "committee", "community", region_code="370124")
    committee = elect(world, world.branch)
    old_path = world.branch.path
    audit_before = AuditEntry.objects.filter(org_path=old_path).count()
    services.move_subtree(actor=world.users["jiedao"], org=world.branch, new_parent=community2)
    branch = Organisation.objects.get(pk=world.branch.pk)
    assert branch.path.startswith(Organisation.objects.get(pk=community2.pk).path)
    assert set(Member.objects.filter(organisation=branch).values_list("org_path", flat=True)) == {branch.path}
    assert Committee.objects.get(pk=committee.pk).org_path == branch.path
    assert set(CommitteeMember.objects.filter(committee=committee).values_list("org_path", flat=True)) == {
        branch.path
    }
    assert Grant.objects.get(user=world.users["zhibu"]).org_path == branch.path
    # The audit trail is frozen history: it keeps the old path.
    assert AuditEntry.objects.filter(org_path=old_path).count() == audit_before + 0
    entry = last_audit("orgs.organisation.moved")
    assert entry.before["path"] == old_path and entry.after["path"] == branch.path
    assert entry.after["parent"] == community2.pk
    # The moved branch's secretary still sees their branch and members.
    zhibu = world.users["zhibu"]
    assert Member.objects.visible_to(zhibu).count() == 4


def test_move_is_one_query_per_table_not_per_row(world):
    community2 = add_org(world.street, "和平社区党委", "committee", "community", region_code="370124")
    for index in range(30):
        add_member(world.branch, f"党员{index}")
    counts = []
    for org in (world.branch2, world.branch):  # 0 members, then 34 members
        with CaptureQueriesContext(connection) as queries:
            services.move_subtree(actor=world.users["jiedao"], org=org, new_parent=community2)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert (
        Member.objects.filter(org_path__startswith=Organisation.objects.get(pk=community2.pk).path).count()
        == 34
    )


def test_move_across_counties_rewrites_region(world):
    services.move_subtree(actor=world.users["sheng"], org=world.branch, new_parent=world.foreign_county)
    assert Organisation.objects.get(pk=world.branch.pk).region_code == "370125"
    assert set(Member.objects.filter(organisation=world.branch).values_list("region_code", flat=True)) <= {
        "370125"
    }


@pytest.mark.parametrize("target", ["branch_self", "descendant"])
def test_move_under_itself_or_descendant_refused(world, target):
    new_parent = world.street if target == "branch_self" else world.community
    org = world.street
    with pytest.raises(ValidationError) as exc:
        services.move_subtree(actor=world.users["xian"], org=org, new_parent=new_parent)
    assert "自身或其下级" in str(exc.value)


def test_move_outside_manage_scope(world):
    path = world.branch.path
    with pytest.raises(ValidationError) as exc:
        services.move_subtree(actor=world.users["xian"], org=world.branch, new_parent=world.foreign_county)
    assert "管理范围" in str(exc.value)
    with pytest.raises(Http404):
        services.move_subtree(actor=world.users["foreign"], org=world.branch, new_parent=world.foreign_county)
    with pytest.raises(Http404):  # a township cannot move itself; its county decides
        services.move_subtree(actor=world.users["jiedao"], org=world.street, new_parent=world.county)
    with pytest.raises(Http404):
        services.move_subtree(actor=world.users["zhibu"], org=world.branch, new_parent=world.community)
    assert Organisation.objects.get(pk=world.branch.pk).path == path
    assert not AuditEntry.objects.filter(action="orgs.organisation.moved").exists()


def test_move_under_a_branch_refused(world):
    with pytest.raises(ValidationError):
        services.move_subtree(actor=world.users["xian"], org=world.branch, new_parent=world.branch2)


# --- merge / dissolve ------------------------------------------------------------------------------------------


def test_merge_moves_members_and_marks_source(world):
    services.merge_organisations(
        actor=world.users["jiedao"], source=world.branch, target=world.branch2, on=datetime.date(2025, 1, 1)
    )
    source = Organisation.objects.get(pk=world.branch.pk)
    assert source.dissolved_on == datetime.date(2025, 1, 1) and source.merged_into_id == world.branch2.pk
    assert Member.objects.filter(organisation=world.branch2).count() == 4
    assert set(Member.objects.filter(organisation=world.branch2).values_list("org_path", flat=True)) == {
        world.branch2.path
    }
    entry = last_audit("orgs.organisation.merged")
    assert entry.after["members_moved"] == 4 and entry.after["merged_into"] == world.branch2.pk


def test_merge_moves_children(world):
    community2 = add_org(world.street, "和平社区党委", "committee", "community", region_code="370124")
    services.merge_organisations(actor=world.users["jiedao"], source=world.community, target=community2)
    community2.refresh_from_db()
    assert Organisation.objects.get(pk=world.branch.pk).path.startswith(community2.path)
    assert Member.objects.get(pk=world.member.pk).org_path.startswith(community2.path)
    assert Organisation.objects.get(pk=world.community.pk).merged_into_id == community2.pk


def test_merge_refusals(world):
    with pytest.raises(ValidationError):
        services.merge_organisations(actor=world.users["xian"], source=world.community, target=world.branch)
    with pytest.raises(ValidationError):
        services.merge_organisations(
            actor=world.users["xian"], source=world.branch, target=world.foreign_branch
        )
    with pytest.raises(Http404):
        services.merge_organisations(actor=world.users["foreign"], source=world.branch, target=world.branch2)
    assert Organisation.objects.get(pk=world.branch.pk).is_active


def test_dissolve_refused_while_members_on_roll(world):
    with pytest.raises(ValidationError) as exc:
        services.dissolve_organisation(
            actor=world.users["jiedao"], org=world.branch, on=datetime.date(2025, 1, 1), reason="撤并"
        )
    assert "4名党员在册" in str(exc.value)
    assert Organisation.objects.get(pk=world.branch.pk).is_active


def test_dissolve_refused_while_children_active(world):
    Member.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.dissolve_organisation(
            actor=world.users["jiedao"], org=world.community, on=datetime.date(2025, 1, 1), reason="撤并"
        )
    assert "2个下级组织" in str(exc.value)


def test_dissolve_empty_branch(world):
    with pytest.raises(ValidationError) as exc:
        services.dissolve_organisation(
            actor=world.users["jiedao"], org=world.branch2, on=datetime.date(2025, 1, 1), reason=" "
        )
    assert "reason" in exc.value.message_dict
    services.dissolve_organisation(
        actor=world.users["jiedao"], org=world.branch2, on=datetime.date(2025, 1, 1), reason="企业注销"
    )
    org = Organisation.objects.get(pk=world.branch2.pk)
    assert org.dissolved_on == datetime.date(2025, 1, 1) and org.dissolved_reason == "企业注销"
    assert last_audit("orgs.organisation.dissolved").after["dissolved_reason"] == "企业注销"


def test_dissolve_foreign_is_404(world):
    with pytest.raises(Http404):
        services.dissolve_organisation(
            actor=world.users["xian"], org=world.foreign_branch, on=today(), reason="x"
        )


# --- committees ------------------------------------------------------------------------------------------------


def test_elect_uses_term_rule_and_ends_previous(world):
    first = elect(world, world.branch, on=datetime.date(2021, 3, 1))
    assert first.term_years == 5  # community branch: docs/rules.md §2, village and community 5 years
    assert first.term_ends_on == datetime.date(2026, 3, 1)
    second = services.elect_committee(
        actor=world.users["zhibu"],
        org=world.branch,
        elected_on=datetime.date(2024, 3, 1),
        seats=[
            {"member": world.member.pk, "post": "secretary"},
            {"name": "乙", "post": "organisation"},
            {"name": "丙", "post": "publicity"},
        ],
    )
    first.refresh_from_db()
    assert first.ended_on == datetime.date(2024, 3, 1)
    assert not first.seats.filter(ended_on__isnull=True).exists()
    assert second.seats.get(post="secretary").name == "李四"
    entry = last_audit("orgs.committee.elected")
    assert entry.after["term_years"] == 5 and entry.after["term_ends_on"] == "2029-03-01"
    assert {"name": "李四", "post": "书记"} in entry.after["seats"]
    assert "zbtl-2018" in entry.after["rule_source"]


def test_term_years_by_type(world):
    rural_free = add_org(world.county, "某局机关党委", "committee", "government")
    general = add_org(world.county, "某公司党总支", "general_branch", "state_enterprise")
    assert elect(world, rural_free).term_years == 5
    assert elect(world, general).term_years == 3
    assert elect(world, world.foreign_branch, actor="foreign").term_years == 5  # rural branch


def test_elect_leap_day(world):
    assert elect(world, world.branch, on=datetime.date(2024, 2, 29)).term_ends_on == datetime.date(
        2029, 2, 28
    )


@pytest.mark.parametrize(
    "seats,message",
    [
        ([], "至少"),
        ([{"name": "甲", "post": "organisation"}], "一名书记"),
        ([{"name": "甲", "post": "secretary"}, {"name": "乙", "post": "secretary"}], "一名书记"),
        (
            [{"name": "甲", "post": "secretary"}] + [{"name": f"委{i}", "post": "member"} for i in range(7)],
            "7人",
        ),
        ([{"name": "", "post": "secretary"}], "姓名"),
        ([{"name": "甲", "post": "boss"}], "职务"),
    ],
)
def test_elect_bad_seats_save_nothing(world, seats, message):
    with pytest.raises(ValidationError) as exc:
        services.elect_committee(
            actor=world.users["zhibu"], org=world.branch, elected_on=datetime.date(2024, 1, 1), seats=seats
        )
    assert message in str(exc.value)
    assert not Committee.objects.exists()


def test_elect_probationary_or_foreign_member_refused(world):
    probationary = add_member(world.branch, "预备甲", status="probationary")
    for member in (probationary, world.foreign_member):
        with pytest.raises(ValidationError):
            services.elect_committee(
                actor=world.users["zhibu"],
                org=world.branch,
                elected_on=datetime.date(2024, 1, 1),
                seats=[{"member": member.pk, "post": "secretary"}],
            )
    assert not Committee.objects.exists()


def test_elect_date_rules(world):
    elect(world, world.branch, on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        elect(world, world.branch, on=datetime.date(2024, 3, 1))
    assert "elected_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        elect(world, world.branch, on=today() + datetime.timedelta(days=1))


def test_elect_foreign_or_member_role_404(world):
    for username in ("foreign", "dangyuan", "nobody"):
        with pytest.raises(Http404):
            elect(world, world.branch, actor=username)
    assert not Committee.objects.exists()


# --- grants ----------------------------------------------------------------------------------------------------


def test_grant_and_revoke(world):
    user = world.users["nobody"]
    grant = services.grant_role(actor=world.users["jiedao"], user=user, org=world.branch2, role=Role.BRANCH)
    assert grant.org_path == world.branch2.path
    assert last_audit("orgs.grant.created").after["user"] == "nobody"
    with pytest.raises(ValidationError):
        services.grant_role(actor=world.users["jiedao"], user=user, org=world.branch2, role=Role.BRANCH)
    services.revoke_grant(actor=world.users["jiedao"], grant=grant)
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert last_audit("orgs.grant.revoked").before["role"] == "branch"


def test_grant_scope_checks(world):
    nobody = world.users["nobody"]
    for username in ("foreign", "zhibu"):
        with pytest.raises(Http404):
            services.grant_role(actor=world.users[username], user=nobody, org=world.branch, role=Role.BRANCH)
    with pytest.raises(ValidationError):
        services.grant_role(actor=world.users["xian"], user=nobody, org=world.branch, role="king")
    own = Grant.objects.get(user=world.users["jiedao"])
    with pytest.raises(ValidationError):
        services.revoke_grant(actor=world.users["jiedao"], grant=own)
    assert not Grant.objects.filter(user=nobody).exists()

"""Member services: validation, scope, duplicates, status transitions, reveal, audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.dates import today
from qiangji.core.models import AuditEntry
from qiangji.members import services
from qiangji.members.models import Member, MemberStatusEvent, RewardPunishment
from qiangji.members.tests.factories import member_values
from qiangji.testing import add_org, make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services.base, "today", lambda: datetime.date(2026, 6, 15))


def create(world, user="zhibu", org=None, **overrides):
    return services.create_member(
        actor=world.users[user], organisation=org or world.branch, values=member_values(**overrides)
    )


def refused(exc_info, field):
    return exc_info.value.message_dict[field][0]


class TestCreate:
    def test_creates_encrypted_record_event_and_audit(self, world):
        member = create(world)
        assert member.org_path == world.branch.path and member.region_code == "370124"
        assert member.id_number == member_values()["id_number"][:0] + member.id_number  # decrypts
        assert member.phone == "13912345678" and member.phone_suffix == "5678"
        assert member.status_events.get().status == "full"
        entry = AuditEntry.objects.get(action="members.member.created", target_id=str(member.pk))
        assert entry.actor == world.users["zhibu"] and entry.org_path == world.branch.path
        assert member.id_number not in str(entry.after) and "13912345678" not in str(entry.after)
        assert entry.after["name"] == "曾小明"

    def test_bad_input_saves_nothing(self, world):
        before = Member.objects.count(), AuditEntry.objects.count()
        with pytest.raises(ValidationError) as exc:
            create(world, joined_on=datetime.date(2027, 1, 1))
        assert refused(exc, "joined_on").startswith("加入党组织日期：")
        assert (Member.objects.count(), AuditEntry.objects.count()) == before

    @pytest.mark.parametrize("user", ["foreign", "dangyuan", "nobody"])
    def test_branch_outside_scope_is_refused_like_an_unknown_one(self, world, user):
        with pytest.raises(ValidationError) as exc:
            create(world, user=user)
        assert refused(exc, "organisation") == services.BRANCH_REFUSED
        with pytest.raises(ValidationError) as exc:
            create(world, org=999999)
        assert refused(exc, "organisation") == services.BRANCH_REFUSED

    def test_non_branch_and_dissolved_organisations_are_refused(self, world):
        with pytest.raises(ValidationError) as exc:
            create(world, user="jiedao", org=world.community)
        assert "不是党支部" in refused(exc, "organisation")
        closed = add_org(world.community, "已撤销支部", "branch", dissolved_on=datetime.date(2025, 1, 1))
        with pytest.raises(ValidationError) as exc:
            create(world, user="jiedao", org=closed)
        assert "已撤销" in refused(exc, "organisation")

    def test_duplicate_id_names_the_branch_only_when_visible(self, world):
        first = create(world)
        with pytest.raises(ValidationError) as exc:
            create(world, user="jiedao", org=world.branch2, id_number=first.id_number)
        assert refused(exc, "id_number").startswith("公民身份证号已存在于“幸福社区第一党支部”")
        foreign_id = world.foreign_member.id_number
        with pytest.raises(ValidationError) as exc:
            create(world, id_number=foreign_id, birth=world.foreign_member.birth_date)
        message = refused(exc, "id_number")
        assert message.startswith("公民身份证号已存在于其他党组织") and "外县" not in message
        assert Member.objects.filter(id_number_hash=first.id_number_hash).count() == 1


class TestUpdate:
    def test_update_reencrypts_changed_id_and_phone_and_audits_without_clear_values(self, world):
        member = create(world)
        old_token = member.id_number_encrypted
        new_id = make_id_number(datetime.date(1990, 5, 1))
        updated = services.update_member(
            actor=world.users["zhibu"], member=member, values={"id_number": new_id, "phone": "13700001111"}
        )
        assert updated.id_number == new_id and updated.id_number_encrypted != old_token
        assert updated.phone == "13700001111" and updated.phone_suffix == "1111"
        entry = AuditEntry.objects.get(action="members.member.updated")
        assert entry.after["id_number_changed"] is True and entry.after["phone_changed"] is True
        assert new_id not in str(entry.before) + str(entry.after)
        assert "13700001111" not in str(entry.after)

    def test_unchanged_number_keeps_its_ciphertext(self, world):
        member = create(world)
        token = member.id_number_encrypted
        updated = services.update_member(
            actor=world.users["zhibu"], member=member, values={"address": "新地址"}
        )
        assert updated.id_number_encrypted == token and updated.address == "新地址"

    def test_duplicate_on_update_and_bad_values_save_nothing(self, world):
        member = create(world)
        with pytest.raises(ValidationError) as exc:
            services.update_member(
                actor=world.users["zhibu"],
                member=member,
                values={"id_number": world.member.id_number, "address": "x"},
            )
        assert refused(exc, "id_number").startswith("公民身份证号已存在于")
        member.refresh_from_db()
        assert member.address == "幸福路1号"

    def test_status_and_branch_are_not_edited_here(self, world):
        member = create(world)
        with pytest.raises(ValidationError) as exc:
            services.update_member(actor=world.users["zhibu"], member=member, values={"status": "left"})
        assert refused(exc, "status").startswith("党员状态：")

    @pytest.mark.parametrize("user", ["foreign", "dangyuan", "nobody"])
    def test_out_of_scope_update_is_404_and_changes_nothing(self, world, user):
        with pytest.raises(Http404):
            services.update_member(actor=world.users[user], member=world.member, values={"address": "x"})
        world.member.refresh_from_db()
        assert world.member.address == ""


class TestStatusEvents:
    def test_confirmation_sets_category_dates_and_codes(self, world):
        member = create(
            world, category="probationary", confirmed_on=None, joined_on=datetime.date(2025, 6, 1)
        )
        with pytest.raises(ValidationError) as exc:
            services.record_status_event(
                actor=world.users["zhibu"],
                member=member,
                status="full",
                effective_on=datetime.date(2026, 5, 31),
                reason="",
            )
        assert "预备期为一年" in refused(exc, "effective_on")
        services.record_status_event(
            actor=world.users["zhibu"],
            member=member,
            status="full",
            effective_on=datetime.date(2026, 6, 1),
            reason="",
        )
        member.refresh_from_db()
        assert (member.status, member.category, member.political_status) == ("full", "full", "01")
        assert member.confirmed_on == member.status_since == datetime.date(2026, 6, 1)
        assert AuditEntry.objects.filter(action="members.status.recorded", target_id=str(member.pk)).exists()

    def test_suspension_lost_contact_and_restoration_keep_columns_consistent(self, world):
        member, actor = world.member, world.users["zhibu"]
        services.record_status_event(
            actor=actor,
            member=member,
            status="lost_contact",
            effective_on=datetime.date(2025, 1, 1),
            reason="长期无法联系",
        )
        member.refresh_from_db()
        assert member.lost_contact_since == datetime.date(2025, 1, 1) and member.membership_status == "normal"
        services.record_status_event(
            actor=actor,
            member=member,
            status="suspended",
            effective_on=datetime.date(2025, 7, 1),
            reason="失联满6个月",
        )
        member.refresh_from_db()
        assert (member.membership_status, member.lost_contact_since) == ("suspended", None)
        services.record_status_event(
            actor=actor,
            member=member,
            status="full",
            effective_on=datetime.date(2026, 1, 1),
            reason="恢复联系",
        )
        member.refresh_from_db()
        assert (member.status, member.membership_status, member.political_status) == ("full", "normal", "01")
        assert list(member.status_events.values_list("status", flat=True)) == [
            "lost_contact",
            "suspended",
            "full",
        ]

    def test_nothing_follows_death_and_future_or_backdated_events_are_refused(self, world):
        member, actor = world.member, world.users["zhibu"]
        with pytest.raises(ValidationError) as exc:
            services.record_status_event(
                actor=actor,
                member=member,
                status="deceased",
                effective_on=datetime.date(2026, 6, 16),
                reason="病故",
            )
        assert "不能晚于今天" in refused(exc, "effective_on")
        services.record_status_event(
            actor=actor,
            member=member,
            status="deceased",
            effective_on=datetime.date(2026, 6, 15),
            reason="病故",
        )
        with pytest.raises(ValidationError) as exc:
            services.record_status_event(
                actor=actor, member=member, status="full", effective_on=datetime.date(2026, 6, 15), reason=""
            )
        assert "不能变为" in refused(exc, "status")
        assert MemberStatusEvent.objects.filter(member=member).count() == 1

    def test_reason_required_for_leaving(self, world):
        with pytest.raises(ValidationError) as exc:
            services.record_status_event(
                actor=world.users["zhibu"],
                member=world.member,
                status="left",
                effective_on=datetime.date(2026, 1, 1),
                reason=" ",
            )
        assert refused(exc, "reason") == "原因：必填"

    def test_foreign_actor_gets_404(self, world):
        with pytest.raises(Http404):
            services.record_status_event(
                actor=world.users["foreign"],
                member=world.member,
                status="left",
                effective_on=datetime.date(2026, 1, 1),
                reason="x",
            )
        world.member.refresh_from_db()
        assert world.member.status == "full"


class TestReveal:
    def test_reveal_returns_value_and_audits_without_it(self, world):
        value = services.reveal_id_number(actor=world.users["zhibu"], member=world.member)
        assert value == world.member.id_number
        entry = AuditEntry.objects.get(action="members.id_number.revealed")
        assert entry.target_id == str(world.member.pk) and entry.org_path == world.member.org_path
        assert value not in str(entry.before) + str(entry.after)
        assert services.reveal_phone(actor=world.users["xian"], member=world.member) == "13800138000"
        assert AuditEntry.objects.filter(action="members.phone.revealed").count() == 1

    @pytest.mark.parametrize("user", ["foreign", "dangyuan", "nobody"])
    def test_reveal_refused_outside_reveal_scope(self, world, user):
        with pytest.raises(Http404):
            services.reveal_id_number(actor=world.users[user], member=world.member)
        assert not AuditEntry.objects.filter(action="members.id_number.revealed").exists()


class TestRewards:
    def test_add_and_validate(self, world):
        record = services.add_reward_punishment(
            actor=world.users["zhibu"],
            member=world.member,
            kind="reward",
            title="优秀共产党员",
            decided_on=datetime.date(2025, 7, 1),
            issuer="县委",
        )
        assert record.org_path == world.member.org_path
        assert AuditEntry.objects.get(action="members.record.added").after["title"] == "优秀共产党员"
        with pytest.raises(ValidationError) as exc:
            services.add_reward_punishment(
                actor=world.users["zhibu"],
                member=world.member,
                kind="medal",
                title="",
                decided_on=datetime.date(2027, 1, 1),
            )
        assert set(exc.value.message_dict) == {"kind", "title", "decided_on"}
        assert RewardPunishment.objects.count() == 1


class TestPositions:
    def test_current_post_becomes_position_and_is_audited(self, world):
        actor = world.users["zhibu"]
        services.add_position(
            actor=actor,
            member=world.member,
            title="村委会主任",
            unit="幸福村",
            started_on=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2023, 1, 1),
        )
        world.member.refresh_from_db()
        assert world.member.position == ""
        services.add_position(
            actor=actor, member=world.member, title="社区书记", started_on=datetime.date(2023, 1, 2)
        )
        world.member.refresh_from_db()
        assert world.member.position == "社区书记"
        assert world.member.positions.count() == 2
        entry = AuditEntry.objects.filter(action="members.position.added").first()
        assert entry.after["position"] == "社区书记" and entry.before == {"position": ""}

    def test_bad_dates_are_refused(self, world):
        with pytest.raises(ValidationError) as exc:
            services.add_position(
                actor=world.users["zhibu"],
                member=world.member,
                title="",
                started_on=today() + datetime.timedelta(days=1),  # a start in the future is refused
                ended_on=datetime.date(2020, 1, 1),
            )
        assert set(exc.value.message_dict) == {"title", "started_on"}
        with pytest.raises(ValidationError) as exc:
            services.add_position(
                actor=world.users["zhibu"],
                member=world.member,
                title="委员",
                started_on=datetime.date(2021, 1, 1),
                ended_on=datetime.date(2020, 1, 1),
            )
        assert refused(exc, "ended_on") == "免职日期：不能早于任职日期"

    def test_foreign_actor_gets_404(self, world):
        with pytest.raises(Http404):
            services.add_position(
                actor=world.users["foreign"],
                member=world.member,
                title="x",
                started_on=datetime.date(2020, 1, 1),
            )


def test_family_contact_is_kept_and_its_phone_encrypted(world):
    member = create(
        world, family_contact_name="王芳", family_contact_relation="配偶", family_contact_phone="13600001111"
    )
    assert member.family_contact_relation == "配偶"
    assert member.family_contact_phone == "13600001111"
    assert "13600001111" not in member.family_contact_phone_encrypted
    assert member.family_contact_phone_masked == "136****1111"
    entry = AuditEntry.objects.get(action="members.member.created", target_id=str(member.pk))
    assert "13600001111" not in str(entry.after)


def test_suspension_after_lost_contact_needs_six_months(world):
    actor, member = world.users["zhibu"], world.member
    services.record_status_event(
        actor=actor,
        member=member,
        status="lost_contact",
        effective_on=datetime.date(2025, 8, 31),
        reason="无法联系",
    )
    with pytest.raises(ValidationError) as exc:
        services.record_status_event(
            actor=actor,
            member=member,
            status="suspended",
            effective_on=datetime.date(2026, 2, 27),
            reason="失联",
        )
    assert "失去联系满6个月" in refused(exc, "effective_on") and "2026-02-28" in refused(exc, "effective_on")
    services.record_status_event(
        actor=actor, member=member, status="suspended", effective_on=datetime.date(2026, 2, 28), reason="失联"
    )
    member.refresh_from_db()
    assert member.status == "suspended"

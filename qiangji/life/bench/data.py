"""Scratch data for the life benchmarks: built in bulk, removed afterwards (audit entries stay: append-only)."""

import datetime
import math
import secrets
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from qiangji.life.models import Attendance, BranchLifeYear, CheckInCode, Meeting, MeetingType, MemberLife
from qiangji.members.models import Member
from qiangji.orgs.models import Organisation
from qiangji.tooling.bench import add_org


@dataclass
class CheckinFixture:
    root: Organisation
    member_ids: list[int]
    meeting_ids: list[int]
    tokens: list[str]
    keys: list[str]
    user_ids: list[int]
    warmup_token: str = ""

    @classmethod
    def create(cls, members: int, meetings: int) -> "CheckinFixture":
        tag = uuid.uuid4().hex[:6]
        root = add_org(None, f"签到基准党委-{tag}", "committee", code=f"BCI-{tag}")
        branch = add_org(root, f"签到基准党支部-{tag}", "branch", code=f"BCI-{tag}-1")
        users = _user_pool(members)
        existing = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
        Token.objects.bulk_create(
            [Token(user=u, key=Token.generate_key()) for u in users if u.pk not in existing]
        )
        keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
        rows = Member.objects.bulk_create(
            [_member(branch, user, f"bench-{tag}-{i}") for i, user in enumerate(users)]
        )
        group = MeetingType.objects.get(code="group")
        today = timezone.localdate()
        made = Meeting.objects.bulk_create(
            [
                Meeting(
                    organisation=branch,
                    org_path=branch.path,
                    meeting_type=group,
                    title=f"签到基准会议{i + 1}",
                    planned_on=today,
                )
                for i in range(meetings + 1)
            ]
        )
        expires = timezone.now() + datetime.timedelta(hours=2)
        codes = CheckInCode.objects.bulk_create(
            [
                CheckInCode(
                    meeting=m, org_path=branch.path, token=secrets.token_urlsafe(24), expires_at=expires
                )
                for m in made
            ]
        )
        return cls(
            root,
            [m.pk for m in rows],
            [m.pk for m in made],
            [c.token for c in codes[:-1]],
            [keys[u.pk] for u in users],
            [u.pk for u in users],
            warmup_token=codes[-1].token,
        )

    def warmup(self) -> "CheckinFixture":
        """The last meeting, used only to warm the server up (its pairs are not part of the run)."""
        return CheckinFixture(self.root, [], [], [self.warmup_token], self.keys[:200], [])

    def recorded(self) -> int:
        return Attendance.objects.filter(meeting_id__in=self.meeting_ids[:-1]).count()

    def cleanup(self) -> None:
        Attendance.objects.filter(meeting_id__in=self.meeting_ids).delete()
        MemberLife.objects.filter(member_id__in=self.member_ids).delete()
        CheckInCode.objects.filter(meeting_id__in=self.meeting_ids).delete()
        Meeting.objects.filter(pk__in=self.meeting_ids).delete()
        Member.objects.filter(pk__in=self.member_ids).delete()
        # The pool users stay (their audit entries keep them), inactive until the next run.
        get_user_model().objects.filter(pk__in=self.user_ids).update(is_active=False)
        _delete_tree(self.root.path)


def _user_pool(count: int) -> list:
    User = get_user_model()
    names = [f"bench-checkin-{i:05d}" for i in range(count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create([User(username=n, password=unusable) for n in names if n not in have])
    User.objects.filter(username__in=names).update(is_active=True)
    return list(User.objects.filter(username__in=names).order_by("username"))


def _member(branch, user, number_hash: str) -> Member:
    return Member(
        organisation=branch,
        org_path=branch.path,
        user=user,
        name=f"基准党员{user.pk}",
        sex="1",
        id_number_encrypted="-",
        id_number_hash=number_hash,
        id_suffix="0000",
        birth_date=datetime.date(1980, 1, 1),
        category="full",
        status="full",
        political_status="01",
    )


def _delete_tree(path: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Organisation._meta.db_table} WHERE path LIKE %s AND depth > 1", [path + "%"]
        )
        cursor.execute(f"DELETE FROM {Organisation._meta.db_table} WHERE path = %s", [path])


@dataclass
class ProvinceFixture:
    root: Organisation
    orgs: int
    branches: int
    rollups: int = 0
    meetings: int = 0
    levels: list[int] = field(default_factory=list)

    @classmethod
    def find_or_create(cls, orgs: int, year: int, log) -> "ProvinceFixture":
        name = f"合规基准省委-{orgs}-{year}"
        root = Organisation.objects.filter(name=name, depth=1).first()
        if root is None:
            root = add_org(None, name, "committee", code=f"BCP-{uuid.uuid4().hex[:6]}")
            log(f"生成约 {orgs:,} 个组织 …")
            _generate_tree(root, orgs)
            log("生成全年汇总行和一个月的会议 …")
            _generate_life(root, year)
        count = lambda model, column="org_path": model.objects.filter(  # noqa: E731
            **{f"{column}__startswith": root.path}
        ).count()
        branches = Organisation.objects.filter(path__startswith=root.path, kind="branch").count()
        return cls(root, count(Organisation, "path"), branches, count(BranchLifeYear), count(Meeting))

    def cleanup(self) -> None:
        with connection.cursor() as cursor:
            for table in ("life_meeting", "life_branchlifeyear"):
                cursor.execute(f"DELETE FROM {table} WHERE org_path LIKE %s", [self.root.path + "%"])
        _delete_tree(self.root.path)


def _generate_tree(root: Organisation, orgs: int) -> None:
    """root → cities → counties → streets → communities → 9 branches each (≈ 10 organisations a community)."""
    communities = max(1, round(orgs / 10.11))
    shape = [
        ("committee", math.ceil(communities / 1000)),
        ("committee", math.ceil(communities / 100)),
        ("working_committee", math.ceil(communities / 10)),
        ("committee", communities),
    ]
    parents = [(root.path, 1)]
    serial = 0
    for kind, total in [*shape, ("branch", communities * 9)]:
        per_parent = math.ceil(total / len(parents))
        level, made = [], 0
        for parent_path, depth in parents:
            for k in range(1, per_parent + 1):
                if made == total:
                    break
                serial += 1
                made += 1
                level.append(
                    Organisation(
                        path=Organisation._get_path(parent_path, depth + 1, k),
                        depth=depth + 1,
                        numchild=0,
                        name=f"基准组织{serial}",
                        kind=kind,
                        category="community",
                        code=f"{root.code}-{serial}",
                    )
                )
        Organisation.objects.bulk_create(level, batch_size=5000)
        parents = [(o.path, o.depth) for o in level]
    with connection.cursor() as cursor:  # numchild, which treebeard keeps for later inserts
        cursor.execute(
            f"UPDATE {Organisation._meta.db_table} p SET numchild = c.n FROM (SELECT SUBSTR(path, 1, LENGTH(path) - 4) "
            f"AS parent, COUNT(*) AS n FROM {Organisation._meta.db_table} WHERE path LIKE %s GROUP BY 1) c "
            f"WHERE p.path = c.parent",
            [root.path + "%"],
        )


def _generate_life(root: Organisation, year: int) -> None:
    """A year of rollups (most branches hold most meetings) and one month (March) of meeting rows."""
    types = dict(MeetingType.objects.values_list("code", "pk"))
    theme_day = types["theme_day"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO life_branchlifeyear (organisation_id, org_path, year, meeting_type_id, held_months, "
            "held_count, held_month_count, held_quarter_count, due_sum, present_sum, checklist_required, "
            "checklist_done) "
            "SELECT o.id, o.path, %s, t.id, CASE WHEN random() < 0.9 THEN 4095 ELSE floor(random() * 4096)::int END, "
            "12, 0, 0, 360, 300 + floor(random() * 60)::int, CASE WHEN t.id = %s THEN 36 ELSE 0 END, "
            "CASE WHEN t.id = %s THEN 30 + floor(random() * 7)::int ELSE 0 END "
            "FROM orgs_organisation o CROSS JOIN life_meetingtype t WHERE o.path LIKE %s AND o.kind = 'branch'",
            [year, theme_day, theme_day, root.path + "%"],
        )
        cursor.execute(  # the counts the service keeps: bits set in the mask, quarters with a bit set
            "UPDATE life_branchlifeyear SET held_month_count = length(replace((held_months::bit(12))::text, '0', '')), "
            "held_quarter_count = (CASE WHEN held_months & 7 <> 0 THEN 1 ELSE 0 END) + (CASE WHEN held_months & 56 <> 0 "
            "THEN 1 ELSE 0 END) + (CASE WHEN held_months & 448 <> 0 THEN 1 ELSE 0 END) + (CASE WHEN held_months & 3584 "
            "<> 0 THEN 1 ELSE 0 END) WHERE org_path LIKE %s",
            [root.path + "%"],
        )
        cursor.execute(
            "INSERT INTO life_meeting (organisation_id, org_path, meeting_type_id, title, planned_on, held_on, place, "
            "host, recorder, lecturer, agenda, minutes, decisions, study_hours, status, return_reason, due_count, "
            "present_count, guest_count, checklist_required, checklist_done, created_at, updated_at) "
            "SELECT o.id, o.path, t.id, t.name, make_date(%s, 3, 10), make_date(%s, 3, 10), '', '', '', '', '', '', "
            "'', 1, 'approved', '', 30, 25 + floor(random() * 6)::int, 0, CASE WHEN t.id = %s THEN 3 ELSE 0 END, "
            "CASE WHEN t.id = %s THEN 3 ELSE 0 END, now(), now() FROM orgs_organisation o CROSS JOIN life_meetingtype t "
            "WHERE o.path LIKE %s AND o.kind = 'branch' AND t.code IN ('branch_committee', 'group', 'theme_day') "
            "AND random() < 0.95",
            [year, year, theme_day, theme_day, root.path + "%"],
        )

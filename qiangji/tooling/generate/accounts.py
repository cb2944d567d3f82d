"""The six demo accounts, one per role, bound to nodes of the generated county (README.md)."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from qiangji.core import audit
from qiangji.core.choices import Role
from qiangji.members.models import Member
from qiangji.orgs.models import Grant, Organisation
from qiangji.tooling.generate.places import DEMO_COUNTY


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None  # None: superuser
    label: str
    organisation: Organisation | None = None


def demo_password() -> tuple[str, str]:
    """(password, where it came from): QIANGJI_DEMO_PASSWORD, else one generated once into var/."""
    value = os.environ.get("QIANGJI_DEMO_PASSWORD", "")
    if value:
        return value, "QIANGJI_DEMO_PASSWORD"
    path = Path(settings.VAR_DIR) / "demo_password"
    if path.exists() and path.read_text().strip():
        return path.read_text().strip(), str(path)
    value = secrets.token_urlsafe(12)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value, str(path)


def demo_nodes() -> dict[str, Organisation]:
    """The province, county, a street working committee and a community branch of the demo county."""
    county = Organisation.objects.filter(division_code=DEMO_COUNTY).order_by("path").first()
    if county is None:
        raise LookupError(f"没有找到演示县（{DEMO_COUNTY}）：请先运行 qiangji generate --scale county")
    province = Organisation.objects.filter(path=county.path[: Organisation.steplen]).get()
    street = county.get_children().filter(kind="working_committee", category="community").first()
    branches = (
        Organisation.objects.filter(
            path__startswith=(street or county).path, kind="branch", category="community"
        )
        .annotate(full=Count("members", filter=Q(members__status="full")))
        .filter(full__gte=3)
        .order_by("path")
    )
    branch = branches.first()
    if street is None or branch is None:
        raise LookupError("演示县中没有街道党工委或社区党支部")
    return {"province": province, "county": county, "street": street, "branch": branch}


def accounts(nodes: dict[str, Organisation]) -> list[DemoAccount]:
    return [
        DemoAccount("sheng", Role.PROVINCE, "省委组织部", nodes["province"]),
        DemoAccount("xian", Role.COUNTY, "县委组织部", nodes["county"]),
        DemoAccount("jiedao", Role.COMMITTEE, "街道党工委", nodes["street"]),
        DemoAccount("zhibu", Role.BRANCH, "党支部书记", nodes["branch"]),
        DemoAccount("dangyuan", Role.MEMBER, "党员", nodes["branch"]),
        DemoAccount("admin", None, "系统管理员（超级用户）"),
    ]


@transaction.atomic
def ensure_demo_accounts(password: str) -> list[DemoAccount]:
    """Create or update the six accounts and their grants; running it again changes nothing new."""
    wanted = accounts(demo_nodes())
    users = {}
    for account in wanted:
        user = _upsert_user(account, password)
        users[account.username] = user
        if account.organisation is not None:
            Grant.objects.filter(user=user).exclude(
                organisation=account.organisation, role=account.role
            ).delete()
            Grant.objects.get_or_create(
                user=user,
                organisation=account.organisation,
                role=account.role,
                defaults={"org_path": account.organisation.path},
            )
    _link_member(users["dangyuan"], wanted[4].organisation)
    audit.record(
        actor=None,
        action="core.demo.accounts_set",
        org=wanted[0].organisation,
        target_repr="演示账号",
        after={a.username: a.organisation.path if a.organisation else "*" for a in wanted},
    )
    return wanted


def _upsert_user(account: DemoAccount, password: str):
    user, _ = get_user_model().objects.get_or_create(username=account.username)
    user.is_active = True
    user.is_staff = user.is_superuser = account.role is None
    user.first_name = account.label[:150]
    user.set_password(password)
    user.save()
    return user


def _link_member(user, branch: Organisation) -> None:
    """`dangyuan` is a full member of the demo branch, so "my record" pages have a row."""
    Member.objects.filter(user=user).exclude(organisation=branch).update(user=None)
    if Member.objects.filter(user=user, organisation=branch).exists():
        return
    member = (
        Member.objects.filter(organisation=branch, status="full", user__isnull=True).order_by("pk").first()
    )
    if member is not None:
        member.user = user
        member.save(update_fields=["user"])

"""`qiangji demo --no-serve`: the six accounts, their grants and scopes, the password, idempotency."""

import datetime
import io
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from qiangji.core.choices import Role
from qiangji.core.models import AuditEntry
from qiangji.members.models import Member
from qiangji.orgs.models import Grant, Organisation
from qiangji.tooling.generate import generate, make_plan
from qiangji.tooling.management.commands import demo as demo_command

USERNAMES = ["sheng", "xian", "jiedao", "zhibu", "dangyuan", "admin"]


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("QIANGJI_DEMO_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture
def small_county(db):
    plan = make_plan(scale="county", seed=1, members=900, orgs=150, as_of=datetime.date(2026, 11, 1))
    return generate(plan, progress=lambda message: None)


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out, **options)
    return out.getvalue()


def grants():
    return {
        g.user.username: (g.role, g.organisation)
        for g in Grant.objects.select_related("user", "organisation")
    }


@pytest.mark.django_db
def test_accounts_one_per_role_bound_to_the_right_nodes(var_dir, small_county, monkeypatch):
    monkeypatch.setenv("QIANGJI_DEMO_PASSWORD", "demo-pass-2026")
    output = run_demo()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    assert sorted(users) == sorted(USERNAMES)
    assert all(u.check_password("demo-pass-2026") for u in users.values())
    assert users["admin"].is_superuser and not users["xian"].is_superuser
    bound = grants()
    assert bound["sheng"][0] == Role.PROVINCE and bound["sheng"][1].depth == 1
    assert bound["xian"][0] == Role.COUNTY and bound["xian"][1].division_code == "371427"
    assert bound["jiedao"][0] == Role.COMMITTEE and bound["jiedao"][1].kind == "working_committee"
    branch = bound["zhibu"][1]
    assert bound["zhibu"][0] == Role.BRANCH and branch.kind == "branch" and branch.category == "community"
    assert bound["dangyuan"] == (Role.MEMBER, branch)
    assert branch.path.startswith(bound["jiedao"][1].path)
    linked = Member.objects.get(user=users["dangyuan"])
    assert linked.organisation == branch and linked.status == "full"
    assert "admin" not in bound
    for name in USERNAMES + ["demo-pass-2026", "http://127.0.0.1:8000/"]:
        assert name in output
    assert AuditEntry.objects.filter(action="core.demo.accounts_set").count() == 1


@pytest.mark.django_db
def test_each_account_sees_its_subtree(var_dir, small_county):
    run_demo()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    everyone = Member.objects.count()
    assert Member.objects.visible_to(users["sheng"]).count() == everyone
    assert Member.objects.visible_to(users["xian"]).count() == everyone
    street = grants()["jiedao"][1]
    assert (
        Member.objects.visible_to(users["jiedao"]).count()
        == Member.objects.filter(org_path__startswith=street.path).count()
        < everyone
    )
    branch = grants()["zhibu"][1]
    assert set(Member.objects.visible_to(users["zhibu"])) == set(Member.objects.filter(organisation=branch))
    assert list(Member.objects.visible_to(users["dangyuan"])) == [Member.objects.get(user=users["dangyuan"])]


@pytest.mark.django_db
def test_running_again_changes_nothing_and_reuses_the_password(var_dir, small_county):
    first = run_demo()
    password = (var_dir / "demo_password").read_text().strip()
    assert len(password) >= 12 and password in first
    before = (
        grants(),
        Grant.objects.count(),
        list(Member.objects.filter(user__isnull=False).values_list("pk")),
    )
    second = run_demo()
    assert password in second
    assert (
        grants(),
        Grant.objects.count(),
        list(Member.objects.filter(user__isnull=False).values_list("pk")),
    ) == before
    assert get_user_model().objects.filter(username__in=USERNAMES).count() == 6
    assert get_user_model().objects.get(username="zhibu").check_password(password)
    assert Organisation.objects.count() == small_county.organisations  # no second generation


@pytest.mark.django_db
def test_stale_grants_are_replaced(var_dir, small_county):
    run_demo()
    xian = get_user_model().objects.get(username="xian")
    other = Organisation.objects.get(depth=1)
    Grant.objects.create(user=xian, organisation=other, org_path=other.path, role=Role.PROVINCE)
    run_demo()
    assert list(Grant.objects.filter(user=xian).values_list("role", flat=True)) == [Role.COUNTY]


@pytest.mark.django_db
def test_empty_database_gets_the_county_generated(var_dir, monkeypatch):
    calls = []
    real = demo_command.call_command

    def fake(name, *args, **kwargs):
        calls.append(name)
        if name == "generate":  # the real county is 20,000 members; a small one proves the wiring
            kwargs.update(members=900, orgs=150)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", fake)
    run_demo()
    assert calls == ["migrate", "generate", "dashboard_rebuild"]
    assert Grant.objects.count() == 5
    from qiangji.life.models import Meeting
    from qiangji.recruitment.models import Case

    assert Case.objects.exists() and Meeting.objects.exists()  # the demo screens have history to show


@pytest.mark.django_db
def test_busy_port_is_refused_before_anything_is_written(var_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=str(port)):
            call_command("demo", port=port, stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_env_example_lists_every_setting():
    """.env.example names every QIANGJI_* variable that settings.py and env.py read."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    read = set()
    for source in (root / "qiangji" / "settings.py", root / "qiangji" / "env.py"):
        read |= set(re.findall(r"[\"'](QIANGJI_[A-Z0-9_]+)[\"']", source.read_text(encoding="utf-8")))
    listed = set(
        re.findall(r"^#?\s*(QIANGJI_[A-Z0-9_]+)=", (root / ".env.example").read_text(encoding="utf-8"), re.M)
    )
    assert read - listed == set(), f"add these to .env.example: {sorted(read - listed)}"


def test_first_start_prints_only_what_a_user_needs():
    """No granian start-up lines, threads-vs-cores advice or access log, no English worker log (#12)."""
    server = demo_command.server_command("python", 8106)
    assert "--access-log" not in server and server[server.index("--log-level") + 1] == "error"
    worker = demo_command.helper_commands("python")["后台任务"]
    assert worker[worker.index("--verbosity") + 1] == "0"

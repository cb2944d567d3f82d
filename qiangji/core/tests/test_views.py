"""The web shell: sign-in (with lockout), home, password change, audit log and detail, English."""

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse

from qiangji.core import audit
from qiangji.core.models import AuditEntry
from qiangji.core.selectors import audit_log, history_for

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123456"


def _record(
    world, *, actor="zhibu", org=None, target=None, action="members.member.updated", before=None, after=None
):
    with transaction.atomic():
        return audit.record(
            actor=world.users[actor],
            action=action,
            target=target or world.member,
            org=org or world.branch,
            before=before,
            after=after,
        )


def _rows(response) -> str:
    """The table body only (the filter form's datalist also names every action)."""
    body = response.content.decode()
    return body[body.index("<tbody") : body.index("</tbody>")]


@pytest.fixture
def foreign_entry(world):
    return _record(
        world,
        actor="foreign",
        org=world.foreign_branch,
        target=world.foreign_member,
        before={"name": "外县党员"},
        after={"name": "外县党员甲"},
    )


class TestSignIn:
    def test_good_credentials_sign_in_and_go_home(self, client, world):
        response = client.post(reverse("login"), {"username": "zhibu", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("home")

    def test_anonymous_home_redirects_to_sign_in(self, client, world):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_bad_password_says_so_in_chinese(self, client, world):
        response = client.post(reverse("login"), {"username": "zhibu", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()

    def test_fifth_failure_locks_the_account_with_a_chinese_page(self, client, world):
        for _ in range(4):
            assert (
                client.post(reverse("login"), {"username": "zhibu", "password": "wrong"}).status_code == 200
            )
        response = client.post(reverse("login"), {"username": "zhibu", "password": "wrong"})
        assert response.status_code == 429
        assert "账号已临时锁定" in response.content.decode()
        # Even the right password is refused while locked.
        response = client.post(reverse("login"), {"username": "zhibu", "password": PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_sessions_expire(self, client, world, settings):
        from freezegun import freeze_time

        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        settings.QIANGJI_SESSION_IDLE_MINUTES = 0  # the absolute age here; the idle timeout: test_security
        with freeze_time("2026-06-01 08:00:00") as frozen:
            client.post(reverse("login"), {"username": "zhibu", "password": PASSWORD})
            assert client.get(reverse("home")).status_code == 200
            frozen.tick(settings.SESSION_COOKIE_AGE - 60)
            assert client.get(reverse("home")).status_code == 200
            frozen.tick(120)
            response = client.get(reverse("home"))
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_a_success_resets_the_failure_count(self, client, world):
        for _ in range(4):
            client.post(reverse("login"), {"username": "zhibu", "password": "wrong"})
        assert client.post(reverse("login"), {"username": "zhibu", "password": PASSWORD}).status_code == 302
        client.post(reverse("logout"))
        for _ in range(4):
            assert (
                client.post(reverse("login"), {"username": "zhibu", "password": "wrong"}).status_code == 200
            )


class TestHome:
    def test_shows_counts_of_my_subtree(self, client_as, world):
        body = client_as(world.users["zhibu"]).get(reverse("home")).content.decode()
        assert "我的管辖范围" in body and "在册党员" in body
        assert "外县党员" not in body and "另一县委" not in body

    def test_a_user_without_grants_is_told_why_nothing_shows(self, client_as, world):
        body = client_as(world.users["nobody"]).get(reverse("home")).content.decode()
        assert "尚未分配组织和角色" in body
        assert (
            "尚未分配组织和角色" not in client_as(world.users["zhibu"]).get(reverse("home")).content.decode()
        )

    def test_member_sees_own_record(self, client_as, world):
        body = client_as(world.users["dangyuan"]).get(reverse("home")).content.decode()
        assert "李四" in body

    def test_nav_hides_audit_and_import_from_members(self, client_as, world):
        body = client_as(world.users["dangyuan"]).get(reverse("home")).content.decode()
        assert reverse("audit-log") not in body
        body = client_as(world.users["zhibu"]).get(reverse("home")).content.decode()
        assert reverse("audit-log") in body

    def test_home_query_count_is_bounded(self, client_as, world, django_assert_max_num_queries):
        client = client_as(world.users["xian"])
        # Each app's to-do provider is a fixed handful of aggregate queries (core.workbench), whatever the data.
        with django_assert_max_num_queries(45):
            client.get(reverse("home"))


class TestEnglish:
    def test_chinese_by_default_even_for_an_english_browser(self, client_as, world):
        body = (
            client_as(world.users["zhibu"]).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        )
        assert "首页" in body and 'lang="zh-CN"' in body

    def test_language_cookie_switches_to_english(self, client_as, world, settings):
        client = client_as(world.users["zhibu"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(reverse("home")).content.decode()
        assert "Home" in body and "Sign out" in body and 'lang="en"' in body and "My scope" in body

    def test_set_language_switches_and_back(self, client_as, world):
        client = client_as(world.users["zhibu"])
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert "Audit log" in client.get(reverse("home")).content.decode()
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        assert "审计日志" in client.get(reverse("home")).content.decode()

    def test_sign_in_page_in_english(self, client, world, settings):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(reverse("login")).content.decode()
        assert "Sign in" in body and "Username" in body
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # unknown: back to Chinese
        assert "登录" in client.get(reverse("login")).content.decode()


class TestPasswordChange:
    def test_change_is_audited_and_keeps_session(self, client_as, world):
        client = client_as(world.users["zhibu"])
        response = client.post(
            reverse("password-change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Hongqi-2026-piao",
                "new_password2": "Hongqi-2026-piao",
            },
        )
        assert response.status_code == 302
        world.users["zhibu"].refresh_from_db()
        assert world.users["zhibu"].check_password("Hongqi-2026-piao")
        entry = AuditEntry.objects.get(action="core.password.changed")
        assert entry.actor == world.users["zhibu"] and entry.org_path == world.branch.path
        assert entry.before is None and entry.after is None  # never the password
        assert client.get(reverse("home")).status_code == 200

    @pytest.mark.parametrize(("new", "message"), [("12345678901", "只包含数字"), ("short", "太短")])
    def test_weak_password_is_refused_in_chinese(self, client_as, world, new, message):
        response = client_as(world.users["zhibu"]).post(
            reverse("password-change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200 and message in response.content.decode()
        assert 'class="field-error"' in response.content.decode()
        assert not AuditEntry.objects.filter(action="core.password.changed").exists()

    def test_wrong_old_password_is_refused(self, client_as, world):
        response = client_as(world.users["zhibu"]).post(
            reverse("password-change"),
            {
                "old_password": "nope",
                "new_password1": "Hongqi-2026-piao",
                "new_password2": "Hongqi-2026-piao",
            },
        )
        assert response.status_code == 200
        world.users["zhibu"].refresh_from_db()
        assert world.users["zhibu"].check_password(PASSWORD)


class TestAuditLog:
    def test_lists_my_subtree_only(self, client_as, world, foreign_entry):
        _record(world, before={"name": "李四"}, after={"name": "李四四"})
        body = client_as(world.users["xian"]).get(reverse("audit-log")).content.decode()
        assert "修改党员档案" in body and "李四" in body
        assert "外县党员" not in body and "另一县某村党支部" not in body

    @pytest.mark.parametrize("role", ["dangyuan", "nobody"])
    def test_roles_without_audit_are_refused(self, client_as, world, role):
        response = client_as(world.users[role]).get(reverse("audit-log"))
        assert response.status_code == 403
        assert "您没有查看审计日志的权限" in response.content.decode()

    def test_filters(self, client_as, world):
        _record(world, action="members.member.updated")
        _record(
            world, actor="jiedao", org=world.street, target=world.street, action="orgs.organisation.updated"
        )
        client = client_as(world.users["xian"])
        rows = _rows(client.get(reverse("audit-log"), {"action": "orgs."}))
        assert "修改党组织" in rows and "修改党员档案" not in rows
        rows = _rows(client.get(reverse("audit-log"), {"actor": "jiedao"}))
        assert "修改党组织" in rows and "修改党员档案" not in rows
        rows = _rows(client.get(reverse("audit-log"), {"organisation": world.branch.code}))
        assert "修改党员档案" in rows and "修改党组织" not in rows
        rows = _rows(client.get(reverse("audit-log"), {"target_type": "orgs.organisation"}))
        assert "修改党组织" in rows and "修改党员档案" not in rows

    def test_foreign_organisation_filter_is_refused(self, client_as, world, foreign_entry):
        body = (
            client_as(world.users["xian"])
            .get(reverse("audit-log"), {"organisation": world.foreign_branch.code})
            .content.decode()
        )
        assert "外县党员" not in body and "field-error" in body

    def test_date_filter_boundaries(self, client_as, world):
        from django.utils import timezone

        entry = _record(world)
        day = timezone.localtime(entry.created_at).date()  # the filter works in local (Asia/Shanghai) dates
        client = client_as(world.users["xian"])
        rows = audit_log(world.users["xian"], {"date_from": day.isoformat(), "date_to": day.isoformat()})
        assert list(rows) == [entry]
        next_day = day.fromordinal(day.toordinal() + 1)
        assert not audit_log(world.users["xian"], {"date_from": next_day.isoformat()}).exists()
        previous = day.fromordinal(day.toordinal() - 1)
        assert not audit_log(world.users["xian"], {"date_to": previous.isoformat()}).exists()
        response = client.get(reverse("audit-log"), {"date_from": "2026-13-01"})
        assert response.status_code == 200 and "field-error" in response.content.decode()

    def test_query_count_is_pinned(self, client_as, world, django_assert_max_num_queries):
        for _ in range(30):
            _record(world)
        client = client_as(world.users["xian"])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("audit-log"))
        assert response.status_code == 200

    def test_pagination_keeps_filters(self, client_as, world):
        for _ in range(55):
            _record(world)
        body = (
            client_as(world.users["xian"]).get(reverse("audit-log"), {"action": "members."}).content.decode()
        )
        assert "action=members." in body and "page=2" in body

    def test_export_csv_neutralises_formulas(self, client_as, world):
        _record(world, target=world.member, action='=HYPERLINK("x")')
        response = client_as(world.users["xian"]).get(reverse("audit-export"), {"fmt": "csv"})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][0] == "时间"
        assert rows[1][2].startswith("'=")

    def test_export_xlsx_is_scoped(self, client_as, world, foreign_entry):
        from openpyxl import load_workbook

        _record(world)
        response = client_as(world.users["xian"]).get(reverse("audit-export"), {"fmt": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert "李四" in values and "外县党员" not in values

    def test_export_unknown_format_is_404(self, client_as, world):
        assert client_as(world.users["xian"]).get(reverse("audit-export"), {"fmt": "pdf"}).status_code == 404


class TestAuditDetail:
    def test_shows_before_and_after_with_field_names(self, client_as, world):
        entry = _record(world, before={"name": "李四"}, after={"name": "李四四"})
        body = client_as(world.users["zhibu"]).get(reverse("audit-detail", args=[entry.pk])).content.decode()
        assert "姓名" in body and "李四" in body and "李四四" in body and "修改党员档案" in body
        assert f'href="{reverse("members:detail", args=[world.member.pk])}"' in body

    @pytest.mark.parametrize("role", ["xian", "jiedao", "zhibu", "dangyuan", "nobody"])
    def test_foreign_entry_is_404(self, client_as, world, foreign_entry, role):
        response = client_as(world.users[role]).get(reverse("audit-detail", args=[foreign_entry.pk]))
        assert response.status_code == 404
        assert "未找到该记录" in response.content.decode()

    def test_member_sees_entries_about_self_but_not_others(self, client_as, world):
        own = _record(world, target=world.member)
        other_member = (
            world.member.__class__.objects.exclude(pk=world.member.pk)
            .filter(organisation=world.branch)
            .first()
        )
        other = _record(world, target=other_member)
        client = client_as(world.users["dangyuan"])
        assert client.get(reverse("audit-detail", args=[own.pk])).status_code == 200
        assert client.get(reverse("audit-detail", args=[other.pk])).status_code == 404


class TestHistory:
    def test_history_for_own_scope_and_self(self, world):
        entry = _record(world, target=world.member)
        assert list(history_for(world.member, world.users["zhibu"])) == [entry]
        assert list(history_for(world.member, world.users["dangyuan"])) == [entry]  # their own record
        assert not history_for(world.member, world.users["foreign"]).exists()
        assert not history_for(world.member, world.users["nobody"]).exists()

    def test_history_of_another_member_is_hidden_from_a_member(self, world):
        _record(world, target=world.foreign_member, org=world.foreign_branch, actor="foreign")
        assert not history_for(world.foreign_member, world.users["dangyuan"]).exists()
        assert not history_for(world.foreign_member, world.users["xian"]).exists()
        assert history_for(world.foreign_member, world.users["foreign"]).exists()

    def test_history_partial_renders_diff(self, world):
        from django.template.loader import render_to_string

        _record(
            world, before={"name": "李四", "address": ""}, after={"name": "李四四", "address": "幸福路1号"}
        )
        html = render_to_string(
            "core/_history.html", {"entries": history_for(world.member, world.users["zhibu"])}
        )
        assert "修改党员档案" in html and "李四四" in html and "幸福路1号" in html and "家庭住址" in html

    def test_unknown_action_code_shows_raw(self, world):
        from django.template.loader import render_to_string

        _record(world, action="nowhere.thing.done")
        html = render_to_string(
            "core/_history.html", {"entries": history_for(world.member, world.users["zhibu"])}
        )
        assert "nowhere.thing.done" in html


class TestTemplateTags:
    def test_nav_link_renders_nothing_for_an_unknown_url_name(self, rf):
        from django.template import Context, Template

        template = Template(
            '{% load qiangji %}[{% nav_link "nowhere:list" "无" %}]{% nav_link "home" "首页" "/" %}'
        )
        html = template.render(Context({"request": rf.get("/")}))
        assert html.startswith("[]") and 'class="active"' in html and 'href="/"' in html

    def test_nav_link_marks_the_section_active(self, rf):
        from django.template import Context, Template

        template = Template('{% load qiangji %}{% nav_link "audit-log" "审计日志" %}')
        assert 'class="active"' in template.render(Context({"request": rf.get("/audit/3/")}))
        assert 'class="active"' not in template.render(Context({"request": rf.get("/")}))

    def test_target_type_label(self):
        from qiangji.core.templatetags.qiangji import target_type_label

        assert target_type_label("members.member") == "党员"
        assert target_type_label("gone.model") == "gone.model"


class TestLocalAssets:
    @pytest.mark.parametrize("url_name", ["login", "home", "audit-log", "api-docs"])
    def test_every_asset_is_served_locally(self, client, client_as, world, url_name):
        import re

        browser = client if url_name == "login" else client_as(world.users["xian"])
        body = browser.get(reverse(url_name)).content.decode()
        assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', body)
        assert assets, "expected some assets"
        assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets

    def test_htmx_2_is_pinned(self, client_as, world):
        body = client_as(world.users["xian"]).get(reverse("home")).content.decode()
        assert "/static/vendor/htmx-2.0.11.min.js" in body

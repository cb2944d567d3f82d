"""The notification centre: my inbox only, mark read (one or all, audited), the top-bar badge."""

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry, Notification
from qiangji.core.notifications import notify, unread_count


@pytest.fixture
def inbox(world):
    zhibu = world.users["zhibu"]
    notify(
        recipients=[zhibu],
        kind="recruitment.digest",
        title="发展党员到期提醒",
        body="3 项逾期",
        url="/recruitment/due/",
        org_path=world.branch.path,
    )
    notify(recipients=[zhibu], kind="test", title="第二条通知", url="https://evil.example/")
    notify(recipients=[world.users["foreign"]], kind="test", title="外县党员的通知")
    return Notification.objects.filter(recipient=zhibu).order_by("pk")


def test_list_shows_only_my_notifications(world, inbox, client_as, django_assert_max_num_queries):
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications"))
    text = response.content.decode()
    assert "发展党员到期提醒" in text and "第二条通知" in text
    assert "外县党员的通知" not in text
    assert 'class="badge danger"' in text


def test_unread_filter(world, inbox, client_as):
    Notification.objects.filter(pk=inbox[0].pk).update(read_at=inbox[0].created_at)
    text = client_as(world.users["zhibu"]).get(reverse("notifications") + "?unread=1").content.decode()
    assert "第二条通知" in text and "发展党员到期提醒" not in text


def test_open_marks_read_and_follows_local_links_only(world, inbox, client_as):
    client = client_as(world.users["zhibu"])
    first, second = inbox
    response = client.post(reverse("notification-read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/recruitment/due/"
    first.refresh_from_db()
    assert first.read_at is not None
    entry = AuditEntry.objects.get(action="core.notification.read")
    assert entry.after == {"count": 1, "ids": [first.pk]}
    response = client.post(reverse("notification-read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications")  # an outside URL is not followed


def test_someone_elses_notification_is_404_and_unchanged(world, inbox, client_as):
    other = Notification.objects.get(title="外县党员的通知")
    response = client_as(world.users["zhibu"]).post(reverse("notification-read", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    assert not AuditEntry.objects.filter(action="core.notification.read").exists()


def test_read_all_marks_only_mine_with_one_audit_entry(world, inbox, client_as):
    client = client_as(world.users["zhibu"])
    response = client.post(reverse("notifications-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.users["zhibu"], read_at__isnull=True).exists()
    assert Notification.objects.get(title="外县党员的通知").read_at is None
    assert AuditEntry.objects.filter(action="core.notification.read").count() == 1
    client.post(reverse("notifications-read-all"))  # nothing left: no second entry
    assert AuditEntry.objects.filter(action="core.notification.read").count() == 1


def test_badge_count_is_cached_and_cleared_on_change(world, inbox, client_as, django_assert_num_queries):
    zhibu = world.users["zhibu"]
    assert unread_count(zhibu) == 2
    with django_assert_num_queries(0):
        assert unread_count(zhibu) == 2
    notify(recipients=[zhibu], kind="test", title="第三条")
    assert unread_count(zhibu) == 3
    client_as(zhibu).post(reverse("notifications-read-all"))
    assert unread_count(zhibu) == 0


def test_badge_in_the_top_bar(world, inbox, client_as):
    text = client_as(world.users["zhibu"]).get(reverse("home")).content.decode()
    assert reverse("notifications") in text
    assert '<span class="badge danger" aria-label="未读">2</span>' in text


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and reverse("login") in response["Location"]

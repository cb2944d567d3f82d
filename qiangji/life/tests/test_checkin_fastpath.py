"""The lean check-in path (qiangji/life/fastpath.py) answers exactly as Django's API view and leaves the same rows.

Each scenario runs twice on the same starting state, inside a savepoint rolled back in between: once through Django
alone (`WSGIHandler`: middleware, DRF, token auth, the ORM service `check_in`) and once through `LeanCheckin` in front
of it.  Status, headers, JSON body, attendance rows, MemberLife rows and audit entries must be equal (the attendance id
is compared with the row each run left).  The one-statement SQL is PostgreSQL only: on SQLite `wrap()` hands every
request to Django, which is tested here too.
"""

import datetime
import io
import json
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from freezegun import freeze_time
from rest_framework.authtoken.models import Token

from qiangji.core import audit
from qiangji.core.models import AuditEntry
from qiangji.life import fastpath, services
from qiangji.life.models import Attendance, MemberLife
from qiangji.life.tests.factories import schedule
from qiangji.testing import add_member, add_user

pytestmark = pytest.mark.django_db
PATH = "/api/v1/life/checkin/"
NOW = "2026-03-10 09:30:00+08:00"
MEMBER = "<member key>"
postgres_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the one-statement SQL is PostgreSQL",
)


@contextmanager
def in_test_transaction():
    """As Django's test client does: a request must not close the test's connection (it is inside an atomic block)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class CountingDjango:
    def __init__(self):
        self.app, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


class LeanOnTestConnection(fastpath.LeanCheckin):
    """The lean path on the test's own connection (its data is not committed), server-side binding as in production."""

    def _cursor(self):
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)


def wsgi_post(app, *, body=None, key=None, raw=None, headers=None):
    data = raw if raw is not None else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
        "HTTP_X_REQUEST_ID": "req-parity",
    }
    if key is not None:
        environ["HTTP_AUTHORIZATION"] = f"Token {key}"
    environ.update(headers or {})
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, response_headers

    with in_test_transaction():
        chunks = app(environ, start_response)
        payload = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    answer["body"] = json.loads(payload) if payload.startswith(b"{") else payload.decode()
    answer["headers"] = [(name, value) for name, value in answer["headers"] if name != "Content-Length"]
    return answer


def state():
    attendance = list(
        Attendance.objects.order_by("meeting_id", "member_id").values(
            "pk",
            "meeting_id",
            "member_id",
            "org_path",
            "status",
            "absence_reason",
            "leave_approved",
            "is_guest",
            "home_organisation_id",
            "home_org_path",
            "checked_in_at",
            "method",
            "created_at",
            "recorded_by_id",
        )
    )
    life = list(MemberLife.objects.order_by("member_id").values())
    audit = list(
        AuditEntry.objects.filter(action__startswith="life.checkin")
        .order_by("pk")
        .values(
            "created_at",
            "actor_id",
            "actor_name",
            "org_path",
            "org_name",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "before",
            "after",
            "request_id",
        )
    )
    return {"attendance": attendance, "life": life, "audit": audit}


def normalised(answer, after):
    """The attendance id in a body is the id of the row that run left; compare everything else as is."""
    body = answer["body"]
    if isinstance(body, dict) and "attendance" in body:
        row = next(
            r
            for r in after["attendance"]
            if r["meeting_id"] == body["meeting"] and r["pk"] == body["attendance"]
        )
        body = {**body, "attendance": (row["meeting_id"], row["member_id"])}
    rows = [{k: v for k, v in r.items() if k != "pk"} for r in after["attendance"]]
    return {**answer, "body": body}, {**after, "attendance": rows}


def compare(**request):
    """Django alone, then the lean path, from the same state; returns (answer, state, lean delegated to Django)."""
    django_app = CountingDjango()
    lean = LeanOnTestConnection(django_app)
    sid = transaction.savepoint()
    expected = normalised(wsgi_post(django_app, **request), state())
    transaction.savepoint_rollback(sid)
    django_app.calls = 0
    got = normalised(wsgi_post(lean, **request), state())
    transaction.savepoint_rollback(sid)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    return expected[0], expected[1], django_app.calls == 1


@pytest.fixture
def code(world):
    with freeze_time("2026-03-10 09:00:00+08:00"):
        meeting = schedule(world, planned_on=datetime.date(2026, 3, 10), title="三月主题党日")
        return services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=60)


def key_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


@postgres_only
@freeze_time(NOW)
def test_first_scan_and_second_scan(world, code):
    key = key_of(world.users["dangyuan"])
    answer, after, delegated = compare(body={"token": code.token}, key=key)
    assert answer["status"] == "201 Created" and not delegated
    assert answer["body"] == {
        "attendance": (code.meeting_id, world.member.pk),
        "meeting": code.meeting_id,
        "already": False,
        "guest": False,
        "detail": "签到成功",
    }
    assert ("X-Request-ID", "req-parity") in answer["headers"]
    assert (
        after["audit"][-1]["target_repr"] == "三月主题党日：李四"
        and after["audit"][-1]["request_id"] == "req-parity"
    )
    assert after["audit"][-1]["after"] == {"member": world.member.pk, "guest": False}
    services.check_in(token=code.token, user=world.users["dangyuan"])
    answer, after, delegated = compare(body={"token": code.token}, key=key)
    assert answer["status"] == "200 OK" and answer["body"]["already"] and answer["body"]["detail"] == "已签到"
    recorded = [entry for entry in after["audit"] if entry["action"] == "life.checkin.recorded"]
    assert not delegated and len(recorded) == 1  # the idempotent answer writes nothing


@postgres_only
@freeze_time(NOW)
def test_guest_is_credited_to_their_own_branch(world, code):
    visitor = add_user("visitor")
    visitor.first_name, visitor.last_name = "流动", "党员"
    visitor.save()
    add_member(world.foreign_branch, "外县流动党员", user=visitor, is_mobile=True)
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(visitor))
    assert answer["status"] == "201 Created" and answer["body"]["guest"] and not delegated
    row = after["attendance"][0]
    assert row["is_guest"] and row["home_organisation_id"] == world.foreign_branch.pk
    assert row["home_org_path"] == world.foreign_branch.path
    assert (
        after["audit"][-1]["actor_name"] == "流动 党员（visitor）"
    )  # core.audit.person_name: name, account in brackets


@postgres_only
@pytest.mark.parametrize(
    ("moment", "status"),
    [
        ("2026-03-10 09:59:59+08:00", "201 Created"),
        ("2026-03-10 10:00:00+08:00", "400 Bad Request"),
        ("2026-03-10 10:00:01+08:00", "400 Bad Request"),
    ],
)
def test_code_expires_at_its_second(world, code, moment, status):
    key = key_of(world.users["dangyuan"])
    with freeze_time(moment):
        answer, after, delegated = compare(body={"token": code.token}, key=key)
    assert answer["status"] == status and not delegated
    if status.startswith("400"):
        assert (
            answer["body"]["detail"] == "签到码已过期，请联系会议主持人刷新二维码" and not after["attendance"]
        )


@postgres_only
@freeze_time(NOW)
def test_refusals(world, code):
    key = key_of(world.users["dangyuan"])
    answer, after, delegated = compare(body={"token": "nope"}, key=key)
    assert answer["status"] == "400 Bad Request" and not delegated and not after["attendance"]
    assert answer["body"] == {
        "code": "invalid",
        "detail": services.checkin.INVALID,
        "fields": {"token": [services.checkin.INVALID]},
    }
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["nobody"]))
    assert (
        answer["body"]["detail"] == "您的账号没有关联党员档案，无法签到"
        and not delegated
        and not after["attendance"]
    )
    left = add_user("left-member")
    add_member(world.branch, "已出党", user=left, status="left")
    answer, _after, delegated = compare(body={"token": code.token}, key=key_of(left))
    assert answer["body"]["detail"] == services.checkin.NO_MEMBER and not delegated


@postgres_only
@freeze_time(NOW)
def test_closed_meeting_refuses(world, code):
    services.record_held(actor=world.users["zhibu"], meeting=code.meeting, held_on=datetime.date(2026, 3, 10))
    services.submit_meeting(actor=world.users["zhibu"], meeting=code.meeting)
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert answer["status"] == "400 Bad Request" and answer["body"]["detail"] == "会议记录已报送，签到已结束"
    assert not delegated and all(
        row["status"] == "absent" for row in after["attendance"]
    )  # as recorded when held


@postgres_only
@freeze_time(NOW)
@pytest.mark.parametrize(
    ("before", "after_scan"),
    [
        (None, datetime.date(2026, 3, 10)),
        (datetime.date(2026, 1, 5), datetime.date(2026, 3, 10)),
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 1)),
    ],
)
def test_held_meeting_moves_member_life_forward_never_back(world, code, before, after_scan):
    services.record_held(actor=world.users["zhibu"], meeting=code.meeting, held_on=datetime.date(2026, 3, 10))
    member = add_member(
        world.branch, "迟到党员", user=add_user("late")
    )  # not on the list made when it was held
    if before:
        MemberLife.objects.create(member=member, org_path="stale", last_attended_on=before)
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(member.user))
    assert answer["status"] == "201 Created" and not delegated
    assert {"member_id": member.pk, "org_path": member.org_path, "last_attended_on": after_scan} in after[
        "life"
    ]


@postgres_only
@freeze_time(NOW)
def test_absent_by_hand_then_scan_goes_to_the_service(world, code):
    services.record_attendance(
        actor=world.users["zhibu"],
        meeting=code.meeting,
        member=world.member,
        status="absent",
        absence_reason="出差",
    )
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert (
        answer["status"] == "201 Created" and delegated
    )  # the lean statement wrote nothing, the service did
    assert after["attendance"][0]["status"] == "present" and after["attendance"][0]["absence_reason"] == ""


@postgres_only
@freeze_time(NOW)
@pytest.mark.parametrize(
    "request_",
    [
        {"body": {"token": "x"}, "key": "0" * 40},  # unknown API token: DRF's 401
        {"body": {"token": "x"}},  # no credentials
        {"body": {"token": "x"}, "key": "a b"},  # malformed header
        {"body": {}, "key": MEMBER},  # no token field
        {"body": {"token": ""}, "key": MEMBER},
        {"body": {"token": " padded "}, "key": MEMBER},
        {"body": {"token": "x" * 65}, "key": MEMBER},
        {"body": {"token": 12345}, "key": MEMBER},
        {"body": ["token"], "key": MEMBER},
        {"raw": b"{not json", "key": MEMBER},
        {"raw": b'{"token": NaN}', "key": MEMBER},
        {"body": {"token": "x"}, "key": MEMBER, "headers": {"HTTP_ACCEPT": "application/xml"}},
        {
            "body": {"token": "x"},
            "key": MEMBER,
            "headers": {"CONTENT_TYPE": "application/x-www-form-urlencoded"},
        },
        {"body": {"token": "x"}, "key": MEMBER, "headers": {"HTTP_COOKIE": "django_language=en"}},
        {"body": {"token": "x"}, "key": MEMBER, "headers": {"HTTP_HOST": "evil.example"}},
        {"body": {"token": "x"}, "key": MEMBER, "headers": {"QUERY_STRING": "format=json"}},
    ],
    ids=lambda r: json.dumps(r, default=str)[:60],
)
def test_anything_unusual_is_answered_by_django(world, code, request_):
    if request_.get("key") == MEMBER:
        request_ = {**request_, "key": key_of(world.users["dangyuan"])}
    answer, after, delegated = compare(**request_)
    assert delegated and not after["attendance"]
    assert answer["status"][:3] in ("400", "401", "406")


@postgres_only
@freeze_time(NOW)
def test_browsable_api_request_is_answered_by_django(world, code):
    django_app = CountingDjango()
    for headers in ({"HTTP_ACCEPT": "text/html"}, {"QUERY_STRING": "format=api"}):
        sid = transaction.savepoint()
        answer = wsgi_post(
            LeanOnTestConnection(django_app),
            body={"token": code.token},
            key=key_of(world.users["dangyuan"]),
            headers=headers,
        )
        transaction.savepoint_rollback(sid)
        assert answer["status"] == "201 Created" and "<html" in answer["body"]
    assert django_app.calls == 2


@postgres_only
@freeze_time(NOW)
@pytest.mark.parametrize("separator", ["\x85", "\xa0", "\t"])
def test_authorization_header_is_split_as_drf_splits_it(world, code, separator):
    """DRF splits the latin-1 bytes on ASCII whitespace only: "Token<NEL>key" is one word there (401)."""
    header = f"Token{separator}{key_of(world.users['dangyuan'])}"
    answer, _after, delegated = compare(body={"token": code.token}, headers={"HTTP_AUTHORIZATION": header})
    assert answer["status"] == ("201 Created" if separator == "\t" else "401 Unauthorized")
    assert delegated == (separator != "\t")


@postgres_only
@freeze_time(NOW)
def test_inactive_user_gets_drf_401(world, code):
    user = world.users["dangyuan"]
    key = key_of(user)
    user.is_active = False
    user.save()
    answer, after, delegated = compare(body={"token": code.token}, key=key)
    assert answer["status"] == "401 Unauthorized" and delegated and not after["attendance"]


@postgres_only
@freeze_time(NOW)
def test_other_urls_and_methods_pass_through(world, code):
    django_app = CountingDjango()
    lean = LeanOnTestConnection(django_app)
    with in_test_transaction():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": PATH,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
        }
        b"".join(lean(environ, lambda *a: None))
        b"".join(
            lean(
                {**environ, "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/life/meeting-types/"},
                lambda *a: None,
            )
        )
    assert django_app.calls == 2


@postgres_only
@freeze_time(NOW)
def test_a_database_error_hands_the_request_to_django(world, code, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(fastpath, "check_in_one_statement", broken)
    answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert answer["status"] == "201 Created" and delegated and len(after["attendance"]) == 1


def test_sqlite_uses_django_alone(world, code):
    app = fastpath.wrap(WSGIHandler())
    if connection.vendor == "postgresql":
        assert isinstance(app, fastpath.LeanCheckin)
        return
    assert isinstance(app, WSGIHandler)
    with freeze_time(NOW):
        answer = wsgi_post(app, body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert answer["status"] == "201 Created" and answer["body"]["detail"] == "签到成功"
    assert AuditEntry.objects.filter(action="life.checkin.recorded").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_own_connection_commits_one_transaction(world):
    """Production mode: the worker's own autocommit connection; the row and its audit entry are committed together."""
    with freeze_time(NOW):
        meeting = schedule(world, planned_on=datetime.date(2026, 3, 10))
        code = services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=60)
    django_app = CountingDjango()
    lean = fastpath.LeanCheckin(django_app)
    with freeze_time(NOW):
        answer = wsgi_post(lean, body={"token": code.token}, key=key_of(world.users["dangyuan"]))
        again = wsgi_post(lean, body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    lean._drop()
    assert answer["status"] == "201 Created" and again["status"] == "200 OK" and django_app.calls == 0
    assert again["body"]["attendance"] == Attendance.objects.get(meeting=meeting, member=world.member).pk
    assert AuditEntry.objects.filter(action="life.checkin.recorded", request_id="req-parity").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_first_scan_of_the_same_pair_is_answered_as_a_repeat(world):
    """Two phones post the same scan at once: the statement that waited on the other's row sees nothing in its
    snapshot, writes nothing, and Django's service (a new statement) answers 200 with the other's row."""
    import threading

    with freeze_time(NOW):
        meeting = schedule(world, planned_on=datetime.date(2026, 3, 10))
        code = services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=60)
    key = key_of(world.users["dangyuan"])
    other = fastpath.connect()
    other.autocommit = False
    other.execute(
        "INSERT INTO life_attendance (meeting_id, org_path, member_id, status, absence_reason, leave_approved, is_guest, "
        "home_org_path, checked_in_at, method, created_at) VALUES (%s, %s, %s, 'present', '', false, false, '', now(), "
        "'qr', now())",
        [meeting.pk, meeting.org_path, world.member.pk],
    )  # not committed yet
    django_app = CountingDjango()
    lean = fastpath.LeanCheckin(django_app)
    answers = []

    def scan():
        with freeze_time(NOW):
            answers.append(wsgi_post(lean, body={"token": code.token}, key=key))
        lean._drop()

    thread = threading.Thread(target=scan)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive()  # waiting on the other transaction's row
    other.commit()
    other.close()
    thread.join(timeout=30)
    assert answers and answers[0]["status"] == "200 OK" and answers[0]["body"]["already"]
    assert django_app.calls == 1 and Attendance.objects.filter(meeting=meeting).count() == 1
    assert not AuditEntry.objects.filter(action="life.checkin.recorded").exists()


@postgres_only
@freeze_time(NOW)
def test_a_new_check_in_nudges_the_audit_listeners_at_most_once_per_interval(world, code, monkeypatch):
    """The lean path writes its audit entry by SQL, so it tells the listeners (the dashboard refresh) itself —
    once per NUDGE_SECONDS, not per request; a repeat scan writes nothing and nudges nothing."""
    calls = []
    monkeypatch.setattr(audit, "_listeners", [calls.append])
    lean = LeanOnTestConnection(CountingDjango())
    key = key_of(world.users["dangyuan"])
    assert wsgi_post(lean, body={"token": code.token}, key=key)["status"] == "201 Created"
    assert len(calls) == 1
    assert wsgi_post(lean, body={"token": code.token}, key=key)["status"] == "200 OK"
    lean.nudged_at -= fastpath.NUDGE_SECONDS + 1  # an interval later, a repeat still writes nothing
    assert wsgi_post(lean, body={"token": code.token}, key=key)["status"] == "200 OK"
    assert len(calls) == 1


@postgres_only
@pytest.mark.parametrize(
    ("moment", "detail"),
    [
        ("2026-03-10 17:59:00+08:00", "签到尚未开始，可于 2026-03-10 18:00 起签到"),
        ("2026-03-10 18:00:00+08:00", "签到成功"),
        ("2026-03-11 00:59:00+08:00", "签到成功"),
        ("2026-03-11 01:00:00+08:00", "签到已结束"),
        ("2026-03-11 01:01:00+08:00", "签到已结束"),
    ],
)
def test_the_meeting_window_is_the_same_on_both_paths(world, moment, detail):
    """A meeting at 19:00: check-in from 60 minutes before until 6 hours after (more in test_checkin_window.py)."""
    with freeze_time("2026-03-10 17:00:00+08:00"):
        meeting = schedule(world, planned_on=datetime.date(2026, 3, 10), starts_at=datetime.time(19, 0))
        code = services.issue_checkin_code(actor=world.users["zhibu"], meeting=meeting, minutes=24 * 60)
    with freeze_time(moment):
        answer, after, delegated = compare(body={"token": code.token}, key=key_of(world.users["dangyuan"]))
    assert not delegated and answer["body"]["detail"] == detail
    assert len(after["attendance"]) == (1 if detail == "签到成功" else 0)

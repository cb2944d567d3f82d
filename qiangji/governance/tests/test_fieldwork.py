"""Contact points: visits with photos checked by content, a finding followed to closure, coverage gaps."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from qiangji.core.dates import add_months, today
from qiangji.governance import selectors, services
from qiangji.governance.models import Finding, Visit
from qiangji.governance.tests.factories import days_ago

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def point(gw, since=None):
    return services.add_point(
        actor=gw.world.users["xian"],
        village=gw.village,
        kind="village",
        since=since or days_ago(400),
        leader_name="县委组织部部长",
        interval_months=3,
    )


def test_a_finding_is_followed_to_closure(gw, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = point(gw)
    xian = gw.world.users["xian"]
    visit = services.record_visit(
        actor=xian,
        point=p,
        kind="squat",
        visited_on=days_ago(30),
        until=days_ago(26),
        people="部长、科长",
        summary="蹲点5天",
        report="村级小微权力运行情况调研报告",
        photos=[png()],
        findings=[{"description": "低保评定未公示", "owner_name": "村党支部", "deadline": days_ago(5)}],
    )
    assert visit.photos.count() == 1
    finding = Finding.objects.get()
    assert list(selectors.overdue_findings(xian)) == [finding]
    todo_texts = [t["text"] for t in selectors.todos(xian)]
    assert "1个调研发现问题逾期未销号" in todo_texts
    with pytest.raises(ValidationError):
        services.close_finding(actor=xian, finding=finding, evidence="", closed_on=today())
    response = client_as(gw.secretary).post(
        reverse("governance:finding-close", args=[finding.pk]),
        {"evidence": "已补充公示7天，照片存档", "closed_on": today().isoformat()},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.evidence.startswith("已补充公示")
    assert list(selectors.overdue_findings(xian)) == []
    page = client_as(xian).get(reverse("governance:point", args=[p.pk])).content.decode()
    assert "已销号" in page and "已补充公示7天" in page


def test_a_photo_is_checked_by_content_not_by_name(gw):
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            actor=gw.world.users["xian"],
            point=point(gw),
            kind="visit",
            visited_on=days_ago(3),
            people="部长",
            summary="走访",
            photos=[fake],
        )
    assert "不是有效的图片" in error.value.message_dict["photos"][0]
    assert not Visit.objects.exists()


def test_a_squat_needs_its_report(gw):
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            actor=gw.world.users["xian"],
            point=point(gw),
            kind="squat",
            visited_on=days_ago(3),
            until=days_ago(1),
            people="部长",
            summary="蹲点",
        )
    assert "report" in error.value.message_dict


def test_a_point_is_a_gap_from_the_day_its_interval_has_run(gw):
    xian = gw.world.users["xian"]
    p = point(gw)
    cutoff = add_months(today(), -3)
    services.record_visit(
        actor=xian,
        point=p,
        kind="visit",
        visited_on=cutoff + datetime.timedelta(days=1),
        people="部长",
        summary="走访",
    )
    assert list(selectors.coverage_gaps(xian)) == []
    Visit.objects.update(visited_on=cutoff)
    assert [row.pk for row in selectors.coverage_gaps(xian)] == [p.pk]
    assert "1个联系点超过规定间隔未走访" in [t["text"] for t in selectors.todos(xian)]
    assert list(selectors.coverage_gaps(gw.world.users["foreign"])) == []


def test_the_api_records_a_visit_and_closes_a_finding(gw):
    client = APIClient()
    client.force_authenticate(gw.world.users["xian"])
    p = point(gw)
    response = client.post(
        f"/api/v1/governance/points/{p.pk}/visits/",
        {
            "visit_kind": "random",
            "visited_on": days_ago(2).isoformat(),
            "people": "部长",
            "summary": "四不两直",
            "findings": [
                {"description": "台账不全", "owner_name": "村党支部", "deadline": days_ago(1).isoformat()}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    fid = response.json()["findings"][0]["id"]
    assert client.get(f"/api/v1/governance/points/{p.pk}/").json()["overdue_findings"] == 1
    response = client.post(
        f"/api/v1/governance/findings/{fid}/close/",
        {"evidence": "", "closed_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "evidence" in response.json()["fields"]
    response = client.post(
        f"/api/v1/governance/findings/{fid}/close/",
        {"evidence": "台账已补齐", "closed_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    foreign = APIClient()
    foreign.force_authenticate(gw.world.users["foreign"])
    assert foreign.get(f"/api/v1/governance/points/{p.pk}/").status_code == 404

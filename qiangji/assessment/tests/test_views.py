"""Pages: every role, a foreign subtree (404), the explanation links, the workflow through the forms."""

import pytest

from qiangji.assessment import services
from qiangji.assessment.models import Score, ScoreLine, StarRating
from qiangji.assessment.tests.helpers import AS_OF, good_branch, pay_dues
from qiangji.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, example_set):
    good_branch(world.branch)
    pay_dues(world.branch, unpaid=("王五",))
    run = services.compute_run(actor=world.users["xian"], indicator_set=example_set, as_of=AS_OF)
    return services.publish_run(actor=world.users["xian"], run=run)


def test_pages_for_each_role(world, published, client_as):
    score = Score.objects.get(run=published, organisation=world.branch)
    line = ScoreLine.objects.filter(score=score).first()
    urls = [
        "/assessment/",
        f"/assessment/sets/{published.indicator_set_id}/",
        f"/assessment/runs/{published.pk}/",
        f"/assessment/scores/{score.pk}/",
        f"/assessment/lines/{line.pk}/",
    ]
    for name in ("sheng", "xian", "jiedao", "zhibu", "admin"):
        client = client_as(world.users[name])
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
    client = client_as(world.users["foreign"])
    assert client.get("/assessment/").status_code == 200
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url


def test_score_page_lists_what_is_missing_with_links(world, published, client_as):
    score = Score.objects.get(run=published, organisation=world.branch)
    page = client_as(world.users["zhibu"]).get(f"/assessment/scores/{score.pk}/").content.decode()
    assert "王五：连续交至 2026-05" in page
    member = Member.objects.get(organisation=world.branch, name="王五")
    assert f"/dues/members/{member.pk}/" in page
    assert "作用发挥" in page  # the manual indicator lost its 15 points
    dues_line = ScoreLine.objects.get(score=score, indicator__code="dues")
    detail = client_as(world.users["xian"]).get(f"/assessment/lines/{dues_line.pk}/").content.decode()
    assert detail.count("/dues/members/") == 4


def test_workflow_through_the_pages(world, published, client_as):
    score = Score.objects.get(run=published, organisation=world.branch)
    branch = client_as(world.users["zhibu"])
    response = branch.post(f"/assessment/scores/{score.pk}/self-assess/", {"stars": "3", "note": "自评"})
    rating = StarRating.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assessment/ratings/{rating.pk}/"
    response = branch.post(f"/assessment/ratings/{rating.pk}/review/", {"stars": "3", "note": "自己审"})
    assert response.status_code == 200 and "上级党组织审核" in response.content.decode()
    street = client_as(world.users["jiedao"])
    assert (
        street.post(f"/assessment/ratings/{rating.pk}/review/", {"stars": "2", "note": "同意"}).status_code
        == 302
    )
    response = client_as(world.users["foreign"]).post(
        f"/assessment/ratings/{rating.pk}/decide/", {"stars": "2", "note": "x"}
    )
    assert response.status_code == 404
    rating.refresh_from_db()
    assert rating.status == "reviewed" and rating.review_stars == 2
    assert client_as(world.users["xian"]).get(f"/assessment/ratings/{rating.pk}/nope/").status_code == 404


def test_bad_input_names_the_field(world, published, client_as):
    score = Score.objects.get(run=published, organisation=world.branch)
    response = client_as(world.users["zhibu"]).post(
        f"/assessment/scores/{score.pk}/self-assess/", {"stars": "9", "note": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"stars", "note"}
    assert not StarRating.objects.exists()


def test_weak_pages_and_sign_off_through_the_forms(world, client_as):
    from qiangji.assessment.models import WeakFlag

    county = client_as(world.users["xian"])
    assert (
        county.post(f"/assessment/weak/criteria/?org={world.county.pk}", {"year": "2026"}).status_code == 302
    )
    assert county.post(f"/assessment/weak/detect/?org={world.county.pk}", {"year": "2026"}).status_code == 302
    flag = WeakFlag.objects.get(organisation=world.branch)
    page = county.get(f"/assessment/weak/?org={world.county.pk}&year=2026").content.decode()
    assert "幸福社区第一党支部" in page and "未配备书记" in page
    branch = client_as(world.users["zhibu"])
    response = branch.post(
        f"/assessment/weak/{flag.pk}/plan/",
        {"measures": "选配书记", "deadline": "2027-03-01", "responsible": "李四"},
    )
    assert response.status_code == 302
    assert branch.post(f"/assessment/weak/{flag.pk}/evidence/", {"evidence": "选举报告"}).status_code == 302
    response = branch.post(f"/assessment/weak/{flag.pk}/sign-off/", {"note": "自己验收"})
    assert response.status_code == 200 and "上级党委" in response.content.decode()
    street = client_as(world.users["jiedao"])
    assert street.post(f"/assessment/weak/{flag.pk}/sign-off/", {"note": "验收合格"}).status_code == 302
    assert "上级党委已验收销号" in street.get(f"/assessment/plans/{flag.plan.pk}/").content.decode()
    assert client_as(world.users["foreign"]).get(f"/assessment/weak/{flag.pk}/").status_code == 404


def test_report_pages(world, client_as):
    from qiangji.assessment.models import SecretaryReport

    branch = client_as(world.users["zhibu"])
    response = branch.post(
        "/assessment/reports/new/", {"year": "2026", "secretary_name": "李四", "report": "全年工作"}
    )
    report = SecretaryReport.objects.get()
    assert response.status_code == 302 and report.organisation == world.branch
    street = client_as(world.users["jiedao"])
    bad = street.post(
        f"/assessment/reports/{report.pk}/review/", {"meeting_on": "2026-12-30", "scores": "甲"}
    )
    assert bad.status_code == 200 and "scores" in bad.context["form"].errors
    ok = street.post(
        f"/assessment/reports/{report.pk}/review/", {"meeting_on": "2099-01-01", "scores": "甲 92 好\n乙 86"}
    )
    assert ok.status_code == 302
    assert (
        street.post(f"/assessment/reports/{report.pk}/grade/", {"grade": "", "note": ""}).status_code == 302
    )
    page = branch.get(f"/assessment/reports/{report.pk}/").content.decode()
    assert "89.00" in page and "较好" in page
    assert client_as(world.users["foreign"]).get(f"/assessment/reports/{report.pk}/").status_code == 404

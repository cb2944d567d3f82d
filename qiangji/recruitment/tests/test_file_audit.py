"""File audits: a reproducible 10% sample of the year's new members' files, findings, corrections, scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from qiangji.core import dates
from qiangji.core.models import AuditEntry
from qiangji.recruitment.models import FileAudit, FileAuditFinding
from qiangji.recruitment.services import audits
from qiangji.recruitment.tests.ui_factories import make_case

YEAR = dates.today().year


@pytest.fixture
def new_members(world):
    day = datetime.date(YEAR, 1, 10)
    cases = [
        make_case(
            world.branch if i % 2 else world.branch2,
            step=15,
            admitted_on=day,
            applied_on=day - datetime.timedelta(days=800),
        )
        for i in range(25)
    ]
    make_case(
        world.branch,
        step=15,
        admitted_on=datetime.date(YEAR - 1, 12, 31),
        applied_on=datetime.date(YEAR - 4, 1, 1),
    )  # last year's: not in the population
    make_case(world.foreign_branch, step=15, admitted_on=day, applied_on=day - datetime.timedelta(days=800))
    return cases


def test_sample_is_ten_percent_rounded_up_and_reproducible(world, new_members):
    drawn = audits.draw_file_audit(
        actor=world.users["xian"], organisation=world.county, year=YEAR, seed="abc"
    )
    assert drawn.population == 25 and drawn.samples.count() == 3  # ceil(2.5)
    ids = sorted(drawn.samples.values_list("case_id", flat=True))
    population = list(audits.population(world.county, YEAR).values_list("pk", flat=True))
    assert ids == audits.sample_ids(population, drawn.ratio, "abc")
    again = audits.draw_file_audit(
        actor=world.users["xian"], organisation=world.county, year=YEAR, seed="abc"
    )
    assert sorted(again.samples.values_list("case_id", flat=True)) == ids
    entry = AuditEntry.objects.filter(action="recruitment.file_audit.drawn").first()
    assert entry.after["sampled"] == 3 and entry.after["seed"] == "abc"


def test_bad_input_and_foreign_organisation(world, new_members):
    with pytest.raises(ValidationError, match="抽查比例"):
        audits.draw_file_audit(actor=world.users["xian"], organisation=world.county, year=YEAR, ratio=0)
    with pytest.raises(ValidationError, match="不能是党支部"):
        audits.draw_file_audit(actor=world.users["zhibu"], organisation=world.branch, year=YEAR)
    with pytest.raises(ValidationError, match="没有发展党员"):
        audits.draw_file_audit(actor=world.users["xian"], organisation=world.county, year=2001)
    with pytest.raises(Http404):
        audits.draw_file_audit(actor=world.users["xian"], organisation=world.foreign_county, year=YEAR)
    assert not FileAudit.objects.exists()


def test_finding_correction_and_acceptance(world, new_members):
    drawn = audits.draw_file_audit(actor=world.users["xian"], organisation=world.county, year=YEAR, ratio=100)
    sample = drawn.samples.filter(org_path=world.branch.path).first()
    today = dates.today()
    finding = audits.record_finding(
        actor=world.users["xian"], sample=sample, description="缺少政审材料", found_on=today, step=10
    )
    sample.refresh_from_db()
    assert sample.compliant is False
    with pytest.raises(Http404):  # the branch corrects, but does not record findings
        audits.record_finding(actor=world.users["zhibu"], sample=sample, description="x", found_on=today)
    audits.correct_finding(
        actor=world.users["zhibu"],
        finding=finding,
        status="corrected",
        corrected_on=today,
        correction="已补齐",
    )
    with pytest.raises(ValidationError, match="只有组织抽查的组织部门可以验收"):
        audits.correct_finding(
            actor=world.users["zhibu"],
            finding=finding,
            status="accepted",
            corrected_on=today,
            correction="已补齐",
        )
    audits.correct_finding(
        actor=world.users["xian"], finding=finding, status="accepted", corrected_on=today, correction="已验收"
    )
    assert FileAuditFinding.objects.get(pk=finding.pk).status == "accepted"
    assert AuditEntry.objects.filter(action="recruitment.file_audit.corrected").count() == 2


def test_pages(world, new_members, client_as, django_assert_max_num_queries):
    client = client_as(world.users["xian"])
    response = client.post(
        reverse("recruitment:file-audits"),
        {"organisation": world.county.pk, "year": YEAR, "ratio": "10", "seed": "s1"},
    )
    assert response.status_code == 302
    drawn = FileAudit.objects.get()
    with django_assert_max_num_queries(15):
        text = client.get(reverse("recruitment:file-audit", args=[drawn.pk])).content.decode()
    assert "随机种子 s1" in text
    sample = drawn.samples.first()
    response = client.post(
        reverse("recruitment:file-audit-sample", args=[sample.pk]),
        {"description": "入党志愿书缺页", "found_on": dates.today().isoformat()},
    )
    assert response.status_code == 302
    assert (
        "入党志愿书缺页"
        in client.get(reverse("recruitment:file-audit-sample", args=[sample.pk])).content.decode()
    )
    assert (
        client_as(world.users["foreign"]).get(reverse("recruitment:file-audit", args=[drawn.pk])).status_code
        == 404
    )

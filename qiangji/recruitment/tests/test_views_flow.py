"""The whole pipeline through the phone forms: application → archived file (issue 3 "Resolved means")."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiangji.members.models import Member
from qiangji.recruitment.models import AdmissionFormRange, Case
from qiangji.testing import make_id_number

D = datetime.date


def post_step(client, case, data, *, step=None, form=None, query=""):
    url = (
        reverse("recruitment:step", args=[case.pk])
        + "?"
        + (f"step={step}" if step else f"form={form}")
        + query
    )
    response = client.post(
        url, {key: (value.isoformat() if isinstance(value, D) else value) for key, value in data.items()}
    )
    assert response.status_code == 302, f"{url}: {_errors(response)}"
    case.refresh_from_db()
    return case


def _errors(response) -> str:
    import re

    text = response.content.decode()
    return " | ".join(re.findall(r'role="alert">(?:<p>)?([^<]+)', text)) or text[:500]


def test_application_to_archived_file_in_the_ui(world, client_as):
    secretary, committee = client_as(world.users["zhibu"]), None
    members = list(
        Member.objects.filter(organisation=world.branch, status="full").values_list("pk", flat=True)
    )
    response = secretary.post(
        reverse("recruitment:case-create"),
        {
            "organisation": world.branch.pk,
            "applied_on": "2023-09-04",
            "name": "周全",
            "id_number": make_id_number(D(2000, 2, 2)),
            "group": "industrial_worker",
        },
    )
    assert response.status_code == 302, _errors(response)
    case = Case.objects.get(name="周全")
    post_step(secretary, case, {"date": D(2023, 9, 12), "talker": "支部书记"}, step=2)
    post_step(secretary, case, {"date": D(2023, 10, 9), "basis": "党员推荐"}, step=3)
    post_step(secretary, case, {"date": D(2023, 10, 10)}, step=4)
    post_step(secretary, case, {"date": D(2023, 10, 11), "members": members[:1], "role": "general"}, step=5)
    post_step(secretary, case, {"date": D(2024, 4, 1), "summary": "表现良好"}, step=6)
    post_step(secretary, case, {"date": D(2024, 10, 8), "summary": "表现良好"}, step=6)
    post_step(secretary, case, {"date": D(2024, 10, 10), "basis": "听取意见"}, step=7)
    post_step(secretary, case, {"date": D(2024, 10, 11)}, step=8)
    post_step(secretary, case, {"date": D(2024, 10, 12), "members": members[1:3]}, step=9)
    post_step(
        secretary,
        case,
        {
            "date": D(2024, 11, 1),
            "reviewer_name": "组织委员",
            "outcome": "pass",
            "conclusion": "政治审查合格",
        },
        step=10,
    )
    post_step(
        secretary,
        case,
        {
            "date": D(2024, 11, 4),
            "ended_on": D(2024, 11, 6),
            "provider": "县委党校",
            "days": "3",
            "hours": "24",
        },
        step=11,
    )
    post_step(
        secretary, case, {"date": D(2024, 11, 20), "person_name": "支部书记", "outcome": "pass"}, step=12
    )
    committee = client_as(world.users["jiedao"])
    post_step(
        committee, case, {"date": D(2024, 12, 2), "person_name": "街道党工委书记", "outcome": "pass"}, step=13
    )
    AdmissionFormRange.objects.create(
        organisation=world.street,
        org_path=world.street.path,
        first_number=1,
        last_number=100,
        next_number=1,
        received_on=D(2024, 1, 2),
    )
    secretary = client_as(world.users["zhibu"])
    post_step(secretary, case, {"date": D(2024, 12, 5)}, step=14)
    assert case.admission_form.number == "000001"
    # issue 11 item 2: the meeting takes the attendance list (each member of the roll marked), not numbers
    post_step(secretary, case, {"date": D(2025, 1, 6), **{f"m{pk}": "for" for pk in members}}, step=15)
    assert case.member is not None and case.member.status == "probationary"
    post_step(secretary, case, {"date": D(2025, 1, 10)}, step=16)
    committee = client_as(world.users["jiedao"])
    post_step(
        committee, case, {"date": D(2025, 2, 10), "person_name": "街道党工委书记", "outcome": "pass"}, step=17
    )
    secretary = client_as(world.users["zhibu"])
    for step, day in ((18, D(2025, 2, 12)), (19, D(2025, 2, 13))):
        post_step(secretary, case, {"date": day}, step=step)
    post_step(secretary, case, {"date": D(2025, 2, 20), "place": "党员活动室"}, step=20)
    post_step(secretary, case, {"date": D(2025, 6, 1)}, step=21)
    post_step(secretary, case, {"date": D(2026, 1, 6)}, step=22)
    post_step(
        secretary,
        case,
        {"date": D(2026, 1, 20), **{f"m{pk}": "for" for pk in members}, "outcome": "confirmed"},
        step=23,
    )
    committee = client_as(world.users["jiedao"])
    post_step(
        committee, case, {"date": D(2026, 2, 10), "person_name": "街道党工委书记", "outcome": "pass"}, step=24
    )
    secretary = client_as(world.users["zhibu"])
    for kind in ("admission_form", "application", "vetting", "confirmation_application", "training"):
        url = reverse("recruitment:step", args=[case.pk]) + "?form=document"
        response = secretary.post(
            url, {"kind": kind, "title": kind, "file": SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 test")}
        )
        assert response.status_code == 302, _errors(response)
    post_step(secretary, case, {"date": D(2026, 2, 20)}, step=25)
    assert case.status == "archived" and case.step == 25
    case.member.refresh_from_db()
    assert case.member.status == "full"
    text = secretary.get(reverse("recruitment:dossier", args=[case.pk])).content.decode()
    assert "缺少" not in text
    for slug in ("activist", "target", "pre-review", "approval", "confirmation", "checklist"):
        response = secretary.get(reverse("recruitment:dossier-pdf", args=[case.pk, slug]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), slug

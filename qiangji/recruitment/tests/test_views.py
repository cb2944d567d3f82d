"""Recruitment pages: board, case page, application and step forms (gates shown with the rule id), scope."""

import datetime

import pytest
from django.urls import reverse

from qiangji.core import dates
from qiangji.core.models import AuditEntry
from qiangji.recruitment.models import Case
from qiangji.recruitment.tests.ui_factories import make_case
from qiangji.testing import make_id_number

TODAY = dates.today()


@pytest.fixture
def case(world):
    return make_case(world.branch, name="王小明", applied_on=TODAY - datetime.timedelta(days=40))


def application(world, birth: datetime.date, applied_on: datetime.date) -> dict:
    return {
        "organisation": world.branch.pk,
        "applied_on": applied_on.isoformat(),
        "name": "陈新",
        "id_number": make_id_number(birth),
        "group": "young_farmer",
        "phone": "13900001111",
    }


def test_board_shows_cases_by_stage_with_what_they_wait_for(
    world, case, client_as, django_assert_max_num_queries
):
    make_case(
        world.branch,
        name="预备期者",
        step=20,
        admitted_on=TODAY - datetime.timedelta(days=100),
        approved_on=TODAY - datetime.timedelta(days=50),
        probation_ends_on=TODAY + datetime.timedelta(days=265),
    )
    make_case(world.foreign_branch, name="外县申请人")
    for index in range(10):  # more cases: the same number of queries (one per deadline rule, not per case)
        make_case(world.branch, applied_on=TODAY - datetime.timedelta(days=35 + index))
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(21):  # + the per-stage totals over the whole scope (one GROUP BY)
        response = client.get(reverse("recruitment:board"))
    text = response.content.decode()
    assert "王小明" in text and "预备期者" in text and "外县申请人" not in text
    assert "第2步 派人谈话" in text
    assert "逾期" in text  # talk due one month after the application: 40 days ago


def test_case_page_shows_timeline_rules_and_checklist(world, case, client_as, django_assert_max_num_queries):
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(24):
        response = client.get(reverse("recruitment:case", args=[case.pk]))
    text = response.content.decode()
    assert "递交入党申请书" in text
    assert "step02.talk_within" in text and "已逾期" in text
    assert "入党志愿书" in text and "缺少" in text


def test_create_application(world, client_as):
    client = client_as(world.users["zhibu"])
    data = application(world, datetime.date(1995, 1, 1), TODAY)
    response = client.post(reverse("recruitment:case-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(name="陈新")
    assert case.org_path == world.branch.path and case.group == "young_farmer"
    assert AuditEntry.objects.filter(action="recruitment.case.created", target_id=str(case.pk)).exists()


def test_application_under_18_is_refused_with_the_rule_id(world, client_as):
    """《中国共产党发展党员工作细则》第五条: 18 on the application date — the day before the birthday is refused."""
    client = client_as(world.users["zhibu"])
    applied_on = TODAY - datetime.timedelta(days=1)
    birth = applied_on.replace(year=applied_on.year - 18) + datetime.timedelta(days=1)
    response = client.post(reverse("recruitment:case-create"), application(world, birth, applied_on))
    assert response.status_code == 200
    text = response.content.decode()
    assert "step01.min_age" in text and "fzdy-20" in text
    assert not Case.objects.filter(name="陈新").exists()


def test_step_form_records_the_talk(world, case, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("recruitment:step", args=[case.pk])
    assert "第2步 派人谈话" in client.get(url).content.decode()
    response = client.post(url, {"date": TODAY.isoformat(), "talker": "支部书记", "summary": "谈话"})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.step == 2 and case.talked_on == TODAY


def test_step_refused_by_a_gate_shows_the_rule(world, client_as):
    """Development target before a year as activist: refused, named, nothing saved (《中国共产党发展党员工作细则》第十三条)."""
    activist_on = TODAY - datetime.timedelta(days=200)
    case = make_case(
        world.branch,
        step=6,
        applied_on=activist_on - datetime.timedelta(days=200),
        talked_on=activist_on - datetime.timedelta(days=190),
        activist_on=activist_on,
        last_assessment_on=TODAY - datetime.timedelta(days=10),
    )
    client = client_as(world.users["zhibu"])
    response = client.post(
        reverse("recruitment:step", args=[case.pk]) + "?step=7", {"date": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert "step07.activist_min_period" in response.content.decode()
    case.refresh_from_db()
    assert case.step == 6


@pytest.mark.parametrize("name", ["case", "step", "override", "case-transfer", "dossier"])
def test_another_branch_case_is_404(world, client_as, name):
    foreign = make_case(world.foreign_branch, name="外县申请人")
    client = client_as(world.users["zhibu"])
    assert client.get(reverse(f"recruitment:{name}", args=[foreign.pk])).status_code == 404
    assert client.post(
        reverse(f"recruitment:{name}", args=[foreign.pk]), {"date": TODAY.isoformat(), "talker": "x"}
    ).status_code in (404, 405)
    foreign.refresh_from_db()
    assert foreign.step == 1


def test_member_role_cannot_record_steps(world, case, client_as):
    client = client_as(world.users["dangyuan"])
    assert client.get(reverse("recruitment:step", args=[case.pk])).status_code == 404


def test_committee_page_lists_waiting_cases(world, client_as):
    make_case(world.branch, name="待预审者", step=12)
    make_case(world.foreign_branch, name="外县申请人", step=12)
    text = client_as(world.users["jiedao"]).get(reverse("recruitment:committee")).content.decode()
    assert "待预审者" in text and "外县申请人" not in text


def test_due_page_and_export(world, case, client_as, django_assert_max_num_queries):
    client = client_as(world.users["zhibu"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recruitment:due"))
    assert "王小明" in response.content.decode()
    response = client.get(reverse("recruitment:due-export") + "?fmt=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "王小明" in body and "逾期" in body
    assert client.get(reverse("recruitment:due") + f"?org={world.foreign_branch.pk}").status_code == 404


def test_dossier_pdfs(world, client_as):
    case = make_case(world.branch, name="王小明", step=3, talked_on=TODAY, activist_on=TODAY)
    client = client_as(world.users["zhibu"])
    text = client.get(reverse("recruitment:dossier", args=[case.pk])).content.decode()
    assert "入党积极分子备案表" in text and "发展对象备案表" not in text
    response = client.get(reverse("recruitment:dossier-pdf", args=[case.pk, "activist"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get(reverse("recruitment:dossier-pdf", args=[case.pk, "target"])).status_code == 404


def test_notice_objection_and_resolution_through_the_forms(world, client_as):
    """A notice blocks the step it precedes until its window closed and objections are resolved."""
    case = make_case(
        world.branch,
        step=2,
        applied_on=TODAY - datetime.timedelta(days=300),
        talked_on=TODAY - datetime.timedelta(days=290),
    )
    client = client_as(world.users["zhibu"])
    url = reverse("recruitment:step", args=[case.pk])
    response = client.post(
        url + "?form=notice",
        {
            "purpose": "activist",
            "starts_on": TODAY.isoformat(),
            "working_days": 5,
            "place": "社区公示栏",
            "text_": "拟确定为入党积极分子",
        },
    )
    assert response.status_code == 302
    notice = case.notices.get()
    response = client.post(
        url + f"?form=objection&notice={notice.pk}", {"received_on": TODAY.isoformat(), "summary": "反映情况"}
    )
    assert response.status_code == 302
    objection = notice.objections.get()
    response = client.post(url + "?step=3", {"date": TODAY.isoformat(), "basis": "推荐"})
    assert response.status_code == 200 and "step03.notice_closed" in response.content.decode()
    response = client.post(
        url + f"?form=resolve&objection={objection.pk}",
        {"resolved_on": TODAY.isoformat(), "resolution": "经核实不影响"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.resolution == "经核实不影响"
    assert (
        client.post(url + f"?form=resolve&objection={objection.pk}", {}).status_code == 404
    )  # already resolved


def test_unknown_form_or_step_is_404(world, case, client_as):
    client = client_as(world.users["zhibu"])
    url = reverse("recruitment:step", args=[case.pk])
    assert client.get(url + "?form=nope").status_code == 404
    assert client.get(url + "?step=99").status_code == 404
    assert client.get(url + "?step=x").status_code == 404


def test_case_page_evaluates_record_gates(world, client_as):
    """Before step 14 the page says whether the pre-review passed (《中国共产党发展党员工作细则》第十九条, gate)."""
    case = make_case(world.branch, step=13, applied_on=TODAY - datetime.timedelta(days=900))
    text = client_as(world.users["zhibu"]).get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "step13.pre_review_passed" in text and "尚未预审合格" in text


def test_org_picker_offers_my_subtree_only(world, client_as):
    client = client_as(world.users["jiedao"])
    text = client.get(reverse("recruitment:board")).content.decode()
    assert f'<option value="{world.branch.pk}"' in text and "另一县" not in text
    text = client.get(reverse("recruitment:due") + f"?org={world.community.pk}").content.decode()
    assert f'<option value="{world.community.pk}" selected>' in text
    assert f'<option value="{world.street.pk}"' not in text  # below the chosen node only


def test_due_export_xlsx_and_bad_format(world, case, client_as):
    import io

    from openpyxl import load_workbook

    client = client_as(world.users["zhibu"])
    response = client.get(reverse("recruitment:due-export"))
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content),
        read_only=True,
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("步骤", "规则", "姓名") and any(row[2] == "王小明" for row in rows[1:])
    assert client.get(reverse("recruitment:due-export") + "?fmt=pdf").status_code == 404

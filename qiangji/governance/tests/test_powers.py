"""小微权力清单: template order, roles, notices and objections, disclosure checks, whistle-blowing routing."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.models import AuditEntry
from qiangji.governance import selectors, services
from qiangji.governance.choices import CaseStatus
from qiangji.governance.models import CaseStep, Objection, PowerCase, WhistleReport
from qiangji.governance.tests.factories import DIBAO_DOCS, days_ago, run_case_to

pytestmark = pytest.mark.django_db


def open_dibao(gw, name="张小三", opened=70):
    return services.open_case(
        actor=gw.secretary,
        village=gw.village,
        item=gw.item,
        applicant_name=name,
        subject="申请最低生活保障",
        opened_on=days_ago(opened),
    )


def refusals():
    return AuditEntry.objects.filter(action="governance.refused")


def test_the_seeded_template_is_the_minimum_allowance_procedure(gw):
    names = [step.name for step in gw.item.steps.order_by("order")]
    assert names == [
        "申请受理",
        "入户调查",
        "民主评议",
        "评议结果公示",
        "乡镇审核",
        "县级审批",
        "审批结果公示",
    ]
    assert gw.item.org_path == gw.world.county.path
    assert [s.notice_days for s in gw.item.steps.order_by("order")] == [0, 0, 0, 7, 0, 0, 7]


def test_a_case_copies_its_steps_so_a_later_edit_of_the_list_does_not_change_it(gw):
    case = open_dibao(gw)
    services.save_step(
        actor=gw.world.users["xian"],
        item=gw.item,
        order=2,
        name="入户核查",
        role="village",
        time_limit_days=5,
    )
    case.refresh_from_db()
    assert case.step_spec(2)["name"] == "入户调查"
    assert gw.item.steps.get(order=2).name == "入户核查"


def test_a_village_cannot_edit_the_county_list(gw):
    with pytest.raises(Http404):
        services.save_step(actor=gw.secretary, item=gw.item, order=2, name="x", role="village")


def test_an_out_of_order_step_is_refused_with_the_rule_and_audited_nothing_saved(gw):
    case = open_dibao(gw)
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=gw.secretary,
            case=case,
            order=3,
            done_on=days_ago(60),
            person_name="甲",
            documents=DIBAO_DOCS[3],
        )
    text = error.value.message_dict["order"][0]
    assert "不能跳过“申请受理”直接办理“民主评议”" in text and "docs/rules.md §9" in text
    assert not CaseStep.objects.filter(case=case).exists()
    entry = refusals().get()
    assert entry.after["operation"] == "办理小微权力事项环节" and entry.target_id == str(case.pk)


def test_missing_documents_are_named(gw):
    case = open_dibao(gw)
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=gw.secretary,
            case=case,
            order=1,
            done_on=days_ago(60),
            person_name="甲",
            documents=["低保申请书"],
        )
    assert "户口簿复印件" in error.value.message_dict["documents"][0]


def test_the_township_step_is_not_taken_by_the_village_and_the_county_step_not_by_the_township(gw):
    case = open_dibao(gw)
    day = run_case_to(gw, case, 4)
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=gw.secretary,
            case=case,
            order=5,
            done_on=days_ago(day),
            person_name="甲",
            documents=DIBAO_DOCS[5],
        )
    assert "应由乡镇（街道）办理" in error.value.message_dict["order"][0]
    services.take_step(
        actor=gw.world.users["jiedao"],
        case=case,
        order=5,
        done_on=days_ago(day),
        person_name="乙",
        documents=DIBAO_DOCS[5],
    )
    with pytest.raises(ValidationError):
        services.take_step(
            actor=gw.world.users["jiedao"],
            case=case,
            order=6,
            done_on=days_ago(day),
            person_name="乙",
            documents=DIBAO_DOCS[6],
        )


def test_the_step_after_a_notice_waits_for_the_window_day_of_refused_day_after_taken(gw):
    case = open_dibao(gw)
    run_case_to(gw, case, 4, start=30)
    notice = case.records.get(order=4)
    assert (notice.notice_to - notice.notice_from).days == 6  # 7 days, both included
    jiedao = gw.world.users["jiedao"]
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=jiedao,
            case=case,
            order=5,
            done_on=notice.notice_to,
            person_name="乙",
            documents=DIBAO_DOCS[5],
        )
    assert "公示期至" in error.value.message_dict["done_on"][0]
    import datetime

    services.take_step(
        actor=jiedao,
        case=case,
        order=5,
        done_on=notice.notice_to + datetime.timedelta(days=1),
        person_name="乙",
        documents=DIBAO_DOCS[5],
    )


def test_an_open_objection_blocks_the_next_step_until_resolved(gw):
    import datetime

    case = open_dibao(gw)
    run_case_to(gw, case, 4, start=30)
    notice = case.records.get(order=4)
    # the window: day before refused, first and last day accepted, day after refused
    for day in (
        notice.notice_from - datetime.timedelta(days=1),
        notice.notice_to + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError):
            services.raise_objection(actor=gw.secretary, case=case, received_on=day, content="收入不实")
    services.raise_objection(
        actor=gw.secretary, case=case, received_on=notice.notice_from, content="家有轿车"
    )
    objection = services.raise_objection(
        actor=gw.secretary, case=case, received_on=notice.notice_to, content="收入不实"
    )
    jiedao = gw.world.users["jiedao"]
    after = notice.notice_to + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=jiedao, case=case, order=5, done_on=after, person_name="乙", documents=DIBAO_DOCS[5]
        )
    assert "2条异议尚未核实处理" in error.value.message_dict["order"][0]
    for open_one in Objection.objects.filter(case=case):
        services.resolve_objection(
            actor=gw.secretary, objection=open_one, upheld=False, resolution="经核实不属实", resolved_on=after
        )
    services.take_step(
        actor=jiedao, case=case, order=5, done_on=after, person_name="乙", documents=DIBAO_DOCS[5]
    )
    assert objection.pk


def test_an_upheld_objection_ends_the_case(gw):
    case = open_dibao(gw)
    run_case_to(gw, case, 4, start=30)
    notice = case.records.get(order=4)
    objection = services.raise_objection(
        actor=gw.secretary, case=case, received_on=notice.notice_from, content="有经营收入"
    )
    services.resolve_objection(
        actor=gw.secretary, objection=objection, upheld=True, resolution="属实", resolved_on=notice.notice_to
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED


def test_a_case_completes_after_its_last_notice(gw):
    case = open_dibao(gw)
    run_case_to(gw, case, 7, start=60)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.closed_on is not None


@pytest.mark.parametrize(
    "text,word",
    [
        ("张*三，身份证110101198503010011，拟纳入低保", "身份证号码"),
        ("张*三 联系电话 13800138000", "电话号码"),
        ("张*三 联系电话 0531-88886666", "电话号码"),
        ("张小三户拟纳入低保", "未遮蔽的姓名"),
    ],
)
def test_a_notice_with_personal_data_is_refused(gw, text, word):
    case = open_dibao(gw)
    run_case_to(gw, case, 3, start=30)
    with pytest.raises(ValidationError) as error:
        services.take_step(
            actor=gw.secretary, case=case, order=4, done_on=days_ago(25), person_name="甲", notice_text=text
        )
    assert word in error.value.message_dict["notice_text"][0]
    assert not case.records.filter(order=4).exists()
    assert refusals().filter(target_id=str(case.pk)).exists()


def test_the_disclosure_page_masks_the_name(gw):
    case = open_dibao(gw)
    run_case_to(gw, case, 4, start=30)
    page = selectors.disclosure_for(gw.village)
    assert [n["applicant"] for n in page["notices"]] == ["张*三"]
    assert "张小三" not in str(page)


def test_cases_are_scoped(gw):
    case = open_dibao(gw)
    assert list(selectors.cases_for(gw.world.users["foreign"])) == []
    assert list(selectors.cases_for(gw.world.users["jiedao"])) == [case]
    with pytest.raises(Http404):
        services.take_step(
            actor=gw.world.users["foreign"],
            case=case,
            order=1,
            done_on=days_ago(60),
            person_name="x",
            documents=DIBAO_DOCS[1],
        )
    assert PowerCase.objects.get().next_order == 1


# ----- whistle-blowing ---------------------------------------------------------------------------------


def make_report(gw, named=()):
    return services.receive_report(
        actor=gw.world.users["dangyuan"],
        village=gw.village,
        content="低保评定优亲厚友",
        named_text="王书记",
        named_users=named,
    )


def test_a_report_reaches_the_discipline_member_and_the_township_not_the_village_officers(gw):
    report = make_report(gw)
    assert list(selectors.reports_for(gw.discipline)) == [report]
    assert list(selectors.reports_for(gw.world.users["jiedao"])) == [report]
    assert list(selectors.reports_for(gw.secretary)) == []
    assert list(selectors.reports_for(gw.world.users["foreign"])) == []


def test_a_named_officer_cannot_read_the_report_404_and_audited(gw):
    report = make_report(gw, named=[gw.world.users["jiedao"]])
    jiedao = gw.world.users["jiedao"]
    assert list(selectors.reports_for(jiedao)) == []
    with pytest.raises(Http404):
        services.read_report(actor=jiedao, pk=report.pk)
    entry = AuditEntry.objects.get(action="governance.report.read_refused")
    assert entry.actor == jiedao and entry.org_path == gw.world.street.path
    assert services.read_report(actor=gw.discipline, pk=report.pk) == report
    assert WhistleReport.objects.visible_to(gw.world.users["xian"]).get() == report


def test_only_the_township_designates_supervision_contacts(gw):
    from qiangji.testing import add_user

    other = add_user("other")
    with pytest.raises(ValidationError):
        services.add_contact(actor=gw.secretary, village=gw.village, user=other, role="discipline")

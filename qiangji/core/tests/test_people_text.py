"""People-facing text (issue #12, build 7): change histories, timelines and audit pages show labels for every
field and value, never a raw enum value or an internal id; the audit entry of an ID reveal names the
organisation and the person; refusals and printed cards cite rules in words."""

import re

import pytest
from django.urls import reverse

from qiangji.core.models import AuditEntry

pytestmark = pytest.mark.django_db

RAW = re.compile(
    r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^(outflow|inflow|transit|full|probationary|pending|open|closed)$"
)


def diff_cells(html: str) -> list[str]:
    """The text of every cell of every before/after table on the page."""
    cells = []
    for table in re.findall(r'<table class="table diff">(.*?)</table>', html, re.S):
        for cell in re.findall(r"<td>(.*?)</td>", table, re.S):
            cells.append(re.sub(r"<[^>]+>", "", cell).strip())
    return cells


def assert_no_raw_values(html: str) -> None:
    cells = diff_cells(html)
    assert cells, "no history rows rendered"
    raw = [cell for cell in cells if RAW.match(cell)]
    assert not raw, f"raw identifiers shown to people: {raw}"


def test_histories_and_audit_pages_show_labels(world, client_as):
    from qiangji.mobility import services as mobility
    from qiangji.mobility.tests.factories import FLOW_VALUES, station

    st = station(world)
    transfer = mobility.issue_transfer(actor=world.users["zhibu"], member=world.member, to_org=st.committee)
    other = (
        world.member.__class__.objects.exclude(pk=world.member.pk).filter(organisation=world.branch).first()
    )
    flow = mobility.register_outflow(actor=world.users["zhibu"], member=other, values=FLOW_VALUES)
    client = client_as(world.users["xian"])
    pages = [
        reverse("mobility:transfer-detail", args=[transfer.pk]),
        reverse("mobility:flow-detail", args=[flow.pk]),
    ]
    pages += [reverse("audit-detail", args=[entry.pk]) for entry in AuditEntry.objects.all()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_raw_values(response.content.decode())


def test_an_unlabelled_value_would_fail():
    html = (
        '<table class="table diff"><tbody><tr><td>状态</td><td>—</td><td>in_transit</td></tr></tbody></table>'
    )
    with pytest.raises(AssertionError):
        assert_no_raw_values(html)


def test_value_labels_cover_choices_anywhere():
    from qiangji.core import audit_labels

    assert audit_labels.value_label("in_transit") == "在途"
    assert audit_labels.value_label("某个自由文本") is None


def test_id_reveal_entry_names_organisation_and_person(world, client_as):
    from qiangji.members import services

    world.users["xian"].first_name = "王芳"
    world.users["xian"].save()
    services.reveal_id_number(actor=world.users["xian"], member=world.member)
    entry = AuditEntry.objects.get(action="members.id_number.revealed")
    assert entry.org_name == "幸福社区第一党支部"
    assert entry.actor_name == "王芳（xian）" and entry.target_repr == "李四"
    html = client_as(world.users["xian"]).get(reverse("audit-detail", args=[entry.pk])).content.decode()
    assert "幸福社区第一党支部" in html and "王芳（xian）" in html and "李四" in html
    assert "公民身份证号" in html  # the revealed field by its name, not "id_number"
    assert ">id_number<" not in html


def test_actor_without_full_name_is_named_by_member_record(world):
    from qiangji.core.audit import person_name

    assert person_name(world.users["dangyuan"]) == "李四（dangyuan）"
    assert person_name(world.users["nobody"]) == "nobody"


def test_recruitment_step_facts_in_words():
    from qiangji.recruitment.templatetags.recruitment_text import alert_text, rule_set_title, step_facts

    facts = step_facts({"vote": 9, "entitled": 17, "present": 12, "votes_for": 1, "votes_against": 0})
    assert facts[0] == "表决：同意 1 人，反对 0 人，应到 17 人，实到 12 人"
    assert all("vote" not in line and "entitled" not in line for line in facts)
    assert step_facts({"decision": "extended", "months": 6}) == ["决定：延长预备期", "延长月数：6"]
    assert alert_text("fzdy-2014:step25.archive_checklist：缺少入党志愿书") == "缺少入党志愿书"
    assert "fzdy" not in rule_set_title("fzdy-2014")


def test_refusal_prints_the_rule_id_once_with_its_title_and_source():
    from qiangji.recruitment.forms.base import violation_message
    from qiangji.recruitment.rules import RuleViolation, refusal_text

    text = refusal_text(
        "fzdy-2014:step01.min_age", "年满18岁", "出生于2010-01-01", "《中国共产党章程》第一条"
    )
    shown = violation_message(RuleViolation(rule="fzdy-2014:step01.min_age", detail=text))
    assert shown.count("step01.min_age") == 1 and "年满18岁" in shown and "《中国共产党章程》第一条" in shown


def test_printed_activity_card_cites_in_words():
    from qiangji.mobility.services.certificates import NO_VOTE

    assert "RULES" not in NO_VOTE and "§" not in NO_VOTE and "docs/" not in NO_VOTE
    assert "《中国共产党党员教育管理工作条例》" in NO_VOTE

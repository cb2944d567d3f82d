"""Citations (issue #11 item 8): the 2014 article numbers of the reference notes, and no fzdy-2026 rule citing
the 2014 document as if it were the 2026 one (docs/rules.md §1)."""

import pytest

from qiangji.recruitment import services
from qiangji.recruitment.models import Rule
from qiangji.recruitment.rule_data import XIZE, XIZE_2026, rows
from qiangji.recruitment.rules import RuleViolation
from qiangji.recruitment.tests.factories import D, case_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "article"),
    [
        ("step05.mentor_count", "第九条☑"),
        ("step06.assessment_interval", "第十条、第十一条☑"),
        ("step09.sponsor_count", "第十四条"),
        ("step09.sponsor_standing", "第十四条"),
        ("step13.pre_review_passed", "第十九条"),
        ("step15.majority", "第二十条、第二十一条"),
        ("step17.approval_limit", "第二十四条、第二十五条☑"),
        ("step21.probation_period", "第三十二条"),
        ("step24.approval_within", "第三十四条☑"),
        ("step25.archive_checklist", "第三十七条"),
    ],
)
def test_2014_articles(code, article):
    assert Rule.objects.get(rule_set="fzdy-2014", code=code).source.startswith(XIZE + article)
    assert Rule.objects.get(rule_set="fzdy-2026", code=code).source.startswith(
        f"{XIZE_2026}暂据2014年版{article}"
    )


def test_no_fzdy_2026_row_cites_the_2014_document():
    for rule in Rule.objects.filter(rule_set="fzdy-2026"):
        if XIZE in rule.source:
            assert rule.source.startswith(XIZE_2026), rule.code
        assert "（2014）" not in rule.source, rule.code
    for rule in Rule.objects.filter(rule_set="fzdy-2014", mark="N"):
        assert rule.source.startswith(XIZE) and "2026" not in rule.source, rule.code


def test_the_seeded_rows_match_rule_data():
    seeded = {(rule.rule_set, rule.code): rule.source for rule in Rule.objects.all()}
    for rule_set, values in rows():
        assert seeded[(rule_set, values["code"])] == values["source"], values["code"]


def test_a_refusal_under_2026_cites_the_revision(world, people):
    case = case_at(world, 8, people)
    with pytest.raises(RuleViolation) as info:
        services.name_sponsors(actor=world.users["zhibu"], case=case, date=D(2026, 5, 18), members=people[:1])
    assert info.value.rule == "fzdy-2026:step09.sponsor_count"
    assert "《中国共产党发展党员工作细则》（2026年修订）暂据2014年版第十四条" in info.value.detail
    with pytest.raises(RuleViolation) as info:
        services.name_sponsors(actor=world.users["zhibu"], case=case, date=D(2026, 5, 17), members=people[:1])
    assert (
        "《中国共产党发展党员工作细则》第十四条" in info.value.detail
        and "2026" not in info.value.detail.split("依据")[1]
    )

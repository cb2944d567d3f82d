"""What every member service shares: the date (the kernel's `today`, patched in tests through this
module), the branch gate, scoped locking and re-reading."""

from django.core.exceptions import ValidationError
from django.http import Http404

from qiangji.core.choices import Action
from qiangji.core.dates import today  # noqa: F401  (services call `base.today()`, which tests patch)
from qiangji.core.scoping import get_in_scope_or_404
from qiangji.members.models import Member
from qiangji.members.validation import labelled
from qiangji.orgs.choices import BRANCH_KINDS
from qiangji.orgs.models import Organisation

BRANCH_REFUSED = "所在党支部不存在或不在您的管理范围内"
ACTION_LABELS = {
    "members.member.created": "新建党员档案",
    "members.member.updated": "修改党员档案",
    "members.status.recorded": "记录党员状态变化",
    "members.id_number.revealed": "查看完整公民身份证号",
    "members.phone.revealed": "查看完整联系电话",
    "members.record.added": "添加奖惩记录",
    "members.position.added": "添加任职经历",
}
AUDITED_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "post",
    "position",
    "employer",
    "address",
    "status",
    "status_since",
    "political_status",
    "membership_status",
    "lost_contact_since",
    "is_mobile",
    "mobile_destination",
    "family_contact_name",
    "family_contact_relation",
    "national_id",
    "id_suffix",
    "phone_suffix",
    "completeness",
    "org_path",
)
EDITABLE_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "post",
    "position",
    "employer",
    "phone",
    "address",
    "membership_status",
    "lost_contact_since",
    "is_mobile",
    "mobile_destination",
    "family_contact_name",
    "family_contact_relation",
    "family_contact_phone",
    "national_id",
)


def check_branch(actor, organisation) -> Organisation:
    """The branch must be in the actor's CHANGE scope, a branch-kind organisation and not dissolved.
    Unknown and out-of-scope branches get the same answer, so the refusal leaks nothing."""
    pk = getattr(organisation, "pk", organisation)
    found = Organisation.objects.visible_to(actor, Action.CHANGE).filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"organisation": BRANCH_REFUSED})
    if found.kind not in BRANCH_KINDS:
        raise ValidationError(
            {
                "organisation": labelled(
                    "organisation",
                    f"“{found.name}”不是党支部，党员须编入党支部（《中国共产党支部工作条例（试行）》，docs/rules.md §2）",
                )
            }
        )
    if found.dissolved_on is not None:
        raise ValidationError(
            {"organisation": labelled("organisation", f"“{found.name}”已撤销，不能再编入党员")}
        )
    return found


def changeable(actor, member: Member) -> Member:
    """Lock and return the member if the actor may change it; 404 otherwise (nothing is said)."""
    return get_in_scope_or_404(Member, actor, member.pk, Action.CHANGE, lock=True)


def reread(actor, member: Member) -> Member:
    """After a write, re-read through the scope (docs/architecture.md "Layers inside an app"); raising here rolls the write back."""
    found = Member.objects.visible_to(actor, Action.CHANGE).filter(pk=member.pk).first()
    if found is None:
        raise Http404("保存后的记录不在您的管理范围内，已撤销本次操作")
    return found

from django.apps import AppConfig


class LifeConfig(AppConfig):
    name = "qiangji.life"
    label = "life"
    verbose_name = "组织生活"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "life",
                _("组织生活"),
                "life:home",
                icon="calendar",
                order=30,
                section="work",
                prefix="/life/",
                visible=nav.is_manager,
            )
        )
        nav.register(
            nav.NavEntry(
                "my-meetings",
                _("我的组织生活"),
                "life:home",
                icon="calendar",
                order=30,
                section="mine",
                visible=nav.has_member_record,
            )
        )
        from qiangji.core import audit_labels, paths
        from qiangji.life.models import MemberLife
        from qiangji.life.services.base import ACTION_LABELS

        audit_labels.register(ACTION_LABELS)
        for target in ("meeting", "yearplan", "monthlytheme", "appraisalround"):
            audit_labels.register_target_url(f"life.{target}", f"life:{target}-detail")

        # Rows that follow ONE member whose transfer is accepted: only the member's own running summary
        # (`MemberLife`: last organisational life, for the lapse list) sits on the member's current branch.
        # Not registered, on purpose — they are records of an organisation's past, not of the member:
        # * `Attendance` carries the path of the MEETING's branch (and a guest's `home_org_path`, the branch
        #   credited on that day): a meeting held in the old branch stays the old branch's record, so its
        #   compliance figures and rollups (`BranchLifeYear`) do not change when one member leaves.
        # * `AppraisalGrade` / `AppraisalVote` belong to the appraisal round of the branch that held it.
        # (The member's new branch still sees their history: the member's life page reads by member.)
        paths.register_member_rows(MemberLife, member_field="member")
        from qiangji.life import workbench

        workbench.register()  # meetings to record, the period's checklist (core.workbench)

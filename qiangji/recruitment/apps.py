from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "qiangji.recruitment"
    label = "recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "recruitment",
                _("发展党员"),
                "recruitment:board",
                icon="user-plus",
                order=40,
                section="work",
                prefix="/recruitment/",
                visible=nav.is_manager,
            )
        )
        # Imported here, not at module top: models and services need the app registry ready.
        from qiangji.core import audit_labels, paths
        from qiangji.recruitment import jobs, models, schedule  # noqa: F401 - schedule registers the periodic jobs
        from qiangji.recruitment.services import audits, base

        for labels in (base.ACTION_LABELS, audits.AUDIT_LABELS, jobs.AUDIT_LABELS):
            audit_labels.register(labels)

        # The development case of a member whose membership moves (a transfer accepted) follows the
        # member with every row on its path — the same rows `services.cases.transfer_case` moves when a
        # case changes branch.  Transfers keep the receiving branch's path as history; file audits
        # belong to the department that drew them.
        paths.register_member_rows(
            models.Case, member_field="member", org_field="organisation", region_field="region_code"
        )
        for model in (
            models.StepRecord,
            models.StepDocument,
            models.Mentor,
            models.Sponsor,
            models.Vetting,
            models.TrainingRecord,
            models.SignOff,
            models.GateOverride,
            models.ProbationDecision,
            models.PublicNotice,
            models.MeetingVote,
            models.AdmissionForm,
        ):
            paths.register_member_rows(model, member_field="case__member")
        paths.register_member_rows(models.Objection, member_field="notice__case__member")
        from qiangji.recruitment import workbench

        workbench.register()  # steps overdue and due (core.workbench)

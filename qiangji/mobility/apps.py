from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "qiangji.mobility"
    label = "mobility"
    verbose_name = "流动党员与组织关系转接"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "mobility",
                _("流动与转接"),
                "mobility:index",
                icon="arrows-exchange",
                order=50,
                section="work",
                prefix="/mobility/",
                visible=nav.is_manager,
            )
        )
        nav.register(
            nav.NavEntry(
                "my-certificate",
                _("我的流动党员证"),
                "mobility:certificate-list",
                icon="id-badge",
                order=50,
                section="mine",
                visible=nav.has_member_record,
            )
        )
        # Imported here, not at the top: models and services need the app registry to be ready.
        from qiangji.core import audit_labels, paths
        from qiangji.mobility import models
        from qiangji.mobility.services.base import ACTION_LABELS, TARGET_URLS

        audit_labels.register(ACTION_LABELS)
        for target_type, url_name in TARGET_URLS.items():
            audit_labels.register_target_url(target_type, url_name)
        # The member's own rows follow a transfer (the home side, `org_path`, becomes the new branch).  A
        # transfer letter does not: its `org_path` is the side that issued it, which keeps the stub (the
        # receiving side sees it through `other_path`).  Dual anchors and service posts belong to
        # organisations, not to a member.
        for model in (models.MobileFlow, models.Certificate, models.CommunityReport, models.GraduateHold):
            paths.register_member_rows(model, member_field="member")
        paths.register_member_rows(models.VolunteerHours, member_field="report__member")
        # The inflow branch of a mobile member (a flow it accepted) reads the member's organisational life and
        # records their attendance at its own meetings (docs/rules.md §5).
        from qiangji.life.models.meetings import register_inflow_members
        from qiangji.mobility.selectors import inflow_member_ids

        register_inflow_members(inflow_member_ids)
        # A branch anchored to a second line (DualAnchor) is visible to that line (the street, the platform).
        from qiangji.mobility.selectors import anchored_branch_ids
        from qiangji.orgs.models import register_second_line

        register_second_line(anchored_branch_ids)
        from qiangji.mobility import workbench

        workbench.register()  # letters to receive, receipts, inflows (core.workbench)

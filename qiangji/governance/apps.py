"""The governance and field work: micro-power lists, 四议两公开, reports, co-governance, contact points."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "qiangji.governance"
    label = "governance"
    verbose_name = "基层治理"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "governance",
                _("基层治理"),
                "governance:home",
                icon="building-community",
                order=67,
                prefix="/governance/",
                visible=nav.is_manager,
            )
        )
        # Imported here, not at the top: services and selectors need the app registry to be ready.
        from qiangji.core import audit_labels, workbench
        from qiangji.governance.selectors import todos
        from qiangji.governance.services.base import ACTION_LABELS, TARGET_URLS

        audit_labels.register(ACTION_LABELS)
        for target_type, url_name in TARGET_URLS.items():
            audit_labels.register_target_url(target_type, url_name)
        workbench.register_todos("governance.todos", todos, order=67)

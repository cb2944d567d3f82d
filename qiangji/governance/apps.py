from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "qiangji.governance"
    label = "governance"
    verbose_name = "基层治理"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        # Shown once the app routes "governance:home" (core.navigation leaves out entries that do not resolve).
        nav.register(
            nav.NavEntry(
                "governance",
                _("基层治理"),
                "governance:home",
                icon="building-community",
                order=67,
                prefix="/governance/",
            )
        )
